"""Mapping files: a few lines of YAML that let netscan read any CSV file as one of its tables.

An investigator who has, say, a customs export ``declarations.csv`` with headers of its own writes
``declarations.yaml`` next to it, saying which of its columns holds which netscan column::

    netscan: mapping 1          # marks the file as a netscan mapping, version 1
    file: declarations.csv      # the CSV file, relative to this file's folder
    table: shipments            # which netscan table its rows are
    columns:                    # netscan column: the CSV's header, as in its first line
      id: Номер ДТ
      date: Дата ДТ
      exporter_name: Отправитель
      exporter_country: Страна отправления
      importer_name: Получатель
      hs_code: Код ТН ВЭД
      description: Наименование товара
      value_usd: Стоимость, USD
    constants:                  # optional: one value for every row
      importer_country: RU

One mapping file may describe several CSV files, one table each, as a list under ``files:``::

    netscan: mapping 1
    files:
      - file: registry.csv
        table: companies
        columns: {id: БИН, registration_number: БИН, name: Наименование, registered_on: Дата}
        constants: {country: KZ}
      - file: founders.csv
        table: ownership
        columns: {owner_id: ИИН учредителя, owned_id: БИН, share: Доля}

The rules:

- Only the columns listed under ``columns`` are read; the CSV's other columns are ignored (and
  logged once). A header is matched as ``read_csv`` matches netscan's own headers: letter case,
  surrounding spaces and the BOM do not matter.
- Every required column of the table (``graphkit.model``) must be given, under ``columns`` or
  ``constants``. One CSV column may feed several netscan columns (a BIN that is both the id and
  the registration number); a netscan column comes from one place only.
- Values are taken as text, exactly as from netscan's own CSV files, and the loader checks them
  the same way (dates, countries, shares); ``constants`` are text too, so ``country: NO`` is
  Norway, not "false", and ``hs_code: 0101`` keeps its zero.
- Each table appears once per mapping file. Two CSV files of the same table (one per year)
  need a mapping file each.

The CSV file is read by ``graphkit.ingest.read.read_csv``, as netscan's own files are: any of
the encodings and delimiters it detects, and rows with the wrong number of fields set aside with
their line numbers. Rejected rows name the CSV file and its lines, not the mapping file.

A mapping file that cannot be used (not YAML, an unknown table or column, a header the CSV does
not have, a required column not given, the CSV file missing) raises InputError with the mapping
file, the line of the key at fault and a fix. The YAML is parsed with PyYAML's safe loader, as
``yaml.safe_load`` does, but values are taken from the parsed nodes as written, so that no
YAML 1.1 conversion (booleans, octal numbers, dates) changes them.
"""

from __future__ import annotations

import codecs
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from graphkit.errors import InputError
from graphkit.ingest.formats import TABLES_BY_NAME, Extract, shorten
from graphkit.ingest.read import LINE, RawTable, normalise_header, read_csv, read_header
from graphkit.model import Column, Kind, Table

FORMAT = "YAML mapping"
MARKER = "netscan"  # the key that makes a YAML file a mapping file
VERSION = 1
ENTRY_KEYS = ("file", "table", "columns", "constants")
YAML_FIX = (
    "Check this line: each key ends with a colon and a space, indentation is spaces (not tabs), "
    "and a header that contains ': ' or ' #', or starts with one of * & ! % @ ` ' \", is put "
    'in double quotes ("...")'
)
SAVE_AS_UTF8 = "Save the mapping file as UTF-8 text (in Notepad: File > Save As, Encoding UTF-8)"
FIRST_LINE = f"Start the file with the line '{MARKER}: mapping {VERSION}'"

# 'netscan: mapping ...' at the start of a line: a top-level key of a YAML file.
_MARKER_LINE = re.compile(rf"^{MARKER}[ \t]*:[ \t]*[\"']?mapping\b", re.MULTILINE)
_NULL = "tag:yaml.org,2002:null"


def recognises(head: bytes) -> bool:
    """Whether the file is YAML with a top-level ``netscan: mapping ...`` line."""
    return _MARKER_LINE.search(_decode(head, errors="ignore")) is not None


def _decode(data: bytes, errors: str = "strict") -> str:
    """A mapping file's text: UTF-16 where it starts with a byte-order mark of UTF-16, else UTF-8
    (a UTF-8 byte-order mark removed)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors=errors)
    return data.decode("utf-8-sig", errors=errors)


def read(path: Path) -> Extract:
    """The rows of each CSV file the mapping file ``path`` describes, as its netscan table."""
    extract = Extract(path, FORMAT)
    for entry in _entries(path):
        extract.tables[entry.table.name] = _read_entry(path, entry)
    return extract


def claimed_files(path: Path) -> list[Path]:
    """The CSV files the mapping file ``path`` reads: the loader must not read them again.

    Each is the mapping file's folder joined with the path under ``file:``, not resolved, so a
    CSV file in the same folder is ``path.parent / its name``.
    """
    return list(dict.fromkeys(entry.csv for entry in _entries(path)))


@dataclass(frozen=True)
class _Entry:
    """One CSV file a mapping file describes, with the YAML lines to name in messages."""

    csv: Path
    file_line: int
    table: Table
    columns: dict[str, tuple[str, int]]  # netscan column -> (the CSV's header, YAML line)
    constants: dict[str, str]  # netscan column -> the value of every row


def _read_entry(path: Path, entry: _Entry) -> RawTable:
    """The CSV file's rows under netscan's column names, with their lines in the CSV file."""
    if not entry.csv.is_file():
        raise InputError(
            f"the file {entry.csv.name} it names does not exist (looked for {entry.csv})",
            path=path,
            line=entry.file_line,
            fix="Put the CSV file in the mapping file's folder, or correct 'file:' (a path "
            "relative to the mapping file)",
        )
    # The CSV's own headers as a table of its own: read_csv then finds the delimiter by them,
    # refuses a header given twice, and logs the columns the mapping does not use.
    wanted = dict.fromkeys(normalise_header(header) for header, _ in entry.columns.values())
    source = Table(entry.csv.stem, tuple(Column(name, Kind.TEXT, True) for name in wanted))
    found = read_header(entry.csv, source)
    have = {normalise_header(name) for name in found}
    for column, (header, line) in entry.columns.items():
        if normalise_header(header) not in have:
            raise InputError(
                f"{entry.csv.name} has no column '{header}' for {column} "
                f"(its header has: {_listing(found)})",
                path=path,
                line=line,
                fix=f"Write the header as it is in the first line of {entry.csv.name}",
            )
    raw = read_csv(entry.csv, source)
    frame = pd.DataFrame(
        {
            column: raw.frame[normalise_header(header)]
            for column, (header, _) in entry.columns.items()
        }
    )
    for column, value in entry.constants.items():
        frame[column] = pd.Series(value, index=frame.index, dtype="string")
    frame[LINE] = raw.frame[LINE]
    return RawTable(entry.csv, raw.encoding, frame, raw.malformed)


def _listing(names: list[str]) -> str:
    return shorten(", ".join(f"'{name.strip()}'" for name in names))


# Reading the YAML


class _Document:
    """A parsed mapping file: its nodes, and errors that name its lines."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.root = self._parse()

    def _parse(self) -> yaml.MappingNode:
        data = self.path.read_bytes()
        try:
            text = _decode(data)
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise InputError(
                "the mapping file is not UTF-8 text", path=self.path, line=line, fix=SAVE_AS_UTF8
            ) from None
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            raise InputError(
                f"not valid YAML: {error.problem or error.context}",
                path=self.path,
                line=mark.line + 1 if mark else None,
                fix=YAML_FIX,
            ) from None
        except yaml.YAMLError as error:
            raise InputError(f"not valid YAML: {error}", path=self.path, fix=YAML_FIX) from None
        if not isinstance(root, yaml.MappingNode):
            raise InputError(
                "the mapping file holds no keys",
                path=self.path,
                line=_line(root) if root is not None else 1,
                fix=f"{FIRST_LINE}, then give 'file:', 'table:' and 'columns:'",
            )
        return root

    def error(self, problem: str, node: yaml.Node, fix: str) -> InputError:
        return InputError(problem, path=self.path, line=_line(node), fix=fix)

    def keys(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """A YAML mapping's keys (as written) with their key and value nodes."""
        if not isinstance(node, yaml.MappingNode):
            raise self.error(
                f"{what} must be a list of 'key: value' lines",
                node,
                f"Write each on its own line under {what}, indented by two spaces",
            )
        found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            name = self.text(key, f"a key of {what}")
            if name in found:
                raise self.error(
                    f"'{name}' is given twice in {what} (also on line {_line(found[name][0])})",
                    key,
                    "Remove one of them",
                )
            found[name] = (key, value)
        return found

    def text(self, node: yaml.Node, what: str) -> str:
        """A scalar's text as written; refuses lists, mappings and empty values."""
        if not isinstance(node, yaml.ScalarNode):
            raise self.error(f"{what} must be a single value", node, YAML_FIX)
        text = str(node.value).strip()
        if not text or node.tag == _NULL:
            raise self.error(
                f"{what} has no value",
                node,
                "Give a value after the colon, or remove the line; a value starting with '#' is "
                "a comment unless it is in double quotes",
            )
        return text


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _entries(path: Path) -> list[_Entry]:
    """The CSV files the mapping file describes, checked against netscan's model."""
    document = _Document(path)
    keys = document.keys(document.root, "the mapping file")
    if MARKER not in keys:
        raise document.error(f"the '{MARKER}:' line is missing", document.root, FIRST_LINE)
    marker_key, marker = keys.pop(MARKER)
    value = document.text(marker, f"'{MARKER}'")
    version = re.fullmatch(r"mapping\s+(\d+)", value)
    if version is None:
        raise document.error(
            f"'{MARKER}: {value}' is not a mapping file's first line", marker_key, FIRST_LINE
        )
    if int(version[1]) != VERSION:
        raise document.error(
            f"this is a mapping file of version {version[1]}; this netscan reads version {VERSION}",
            marker_key,
            f"Update netscan, or write the file for version {VERSION} (see README 'Mapping files')",
        )
    if "files" in keys:
        both = [key for key in keys if key in ENTRY_KEYS]
        if both:
            raise document.error(
                f"'{both[0]}:' is given beside 'files:'",
                keys[both[0]][0],
                "Give either one file with 'file:', 'table:', 'columns:', or a list under "
                "'files:' whose items each have them",
            )
        files_key, files = keys.pop("files")
        _refuse_unknown(document, keys, (MARKER, "files"))
        if not isinstance(files, yaml.SequenceNode) or not files.value:
            raise document.error(
                "'files:' must be a list of files",
                files_key,
                "Start each file with '- file: name.csv', indented under 'files:'",
            )
        items = [(document.keys(item, "a file under 'files:'"), item) for item in files.value]
    else:
        items = [(keys, document.root)]
    entries: list[_Entry] = []
    for entry_keys, node in items:
        entry = _entry(document, entry_keys, node)
        for earlier in entries:
            if earlier.table is entry.table:
                raise document.error(
                    f"{entry.table.name} is already read from {earlier.csv.name}; a mapping file "
                    "gives each table once",
                    node,
                    f"Describe {entry.csv.name} in a mapping file of its own",
                )
        entries.append(entry)
    return entries


def _refuse_unknown(
    document: _Document, keys: dict[str, tuple[yaml.Node, yaml.Node]], known: tuple[str, ...]
) -> None:
    for name, (key, _) in keys.items():
        if name not in known:
            raise document.error(
                f"unknown key '{name}'{_guess(name, known)}",
                key,
                f"Use {', '.join(known)}; see README 'Mapping files'",
            )


def _entry(
    document: _Document, keys: dict[str, tuple[yaml.Node, yaml.Node]], node: yaml.Node
) -> _Entry:
    _refuse_unknown(document, keys, (MARKER, *ENTRY_KEYS))
    for name in ("file", "table", "columns"):
        if name not in keys:
            raise document.error(
                f"'{name}:' is missing",
                node,
                "Give 'file:' (the CSV file), 'table:' (its netscan table) and 'columns:' (which "
                "CSV column holds which netscan column)",
            )
    file_key, file = keys["file"]
    table_node = keys["table"][1]
    table_name = document.text(table_node, "'table'")
    if table_name not in TABLES_BY_NAME:
        raise document.error(
            f"'{table_name}' is not a netscan table{_guess(table_name, tuple(TABLES_BY_NAME))}",
            table_node,
            f"Use one of: {', '.join(TABLES_BY_NAME)}",
        )
    table = TABLES_BY_NAME[table_name]
    columns_key, columns_node = keys["columns"]
    columns = {
        column: (document.text(value, f"'{name}'"), _line(key))
        for name, (key, value) in document.keys(columns_node, "'columns'").items()
        for column in [_column(document, table, name, key, value)]
    }
    if not columns:
        raise document.error(
            "'columns:' lists no column", columns_key, "List which CSV column holds which column"
        )
    constants: dict[str, str] = {}
    if "constants" in keys:
        for name, (key, value) in document.keys(keys["constants"][1], "'constants'").items():
            column = _column(document, table, name, key, value)
            if column in columns:
                raise document.error(
                    f"{column} is given both under 'columns' (line {columns[column][1]}) and "
                    "under 'constants'",
                    key,
                    "Keep one of them",
                )
            constants[column] = document.text(value, f"'{name}'")
    missing = [c for c in table.required_columns if c not in columns and c not in constants]
    if missing:
        raise document.error(
            f"{table.name} needs {', '.join(table.required_columns)}; the mapping gives no "
            f"{', '.join(missing)}",
            columns_key,
            f"Add '{missing[0]}: <the CSV's header for it>' under 'columns:', or "
            f"'{missing[0]}: <a value for every row>' under 'constants:'",
        )
    csv = document.path.parent / document.text(file, "'file'")
    return _Entry(csv, _line(file_key), table, columns, constants)


def _column(document: _Document, table: Table, name: str, key: yaml.Node, value: yaml.Node) -> str:
    """The netscan column a key names, in any letter case."""
    column = normalise_header(name)
    names = tuple(c.name for c in table.columns)
    if column in names:
        return column
    if isinstance(value, yaml.ScalarNode) and normalise_header(str(value.value)) in names:
        fix = f"The netscan column comes first: write '{value.value}: {name}'"
    else:
        fix = f"Use one of: {', '.join(names)}"
    raise document.error(
        f"'{name}' is not a column of {table.name}{_guess(column, names)}", key, fix
    )


def _guess(given: str, names: tuple[str, ...]) -> str:
    """' (did you mean 'exporter_name'?)' for the name closest to ``given``, if one is close."""
    close = difflib.get_close_matches(given, names, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
