"""Reading JSON files, shared by the GLEIF and BODS readers: a document of gigabytes record by
record (``JsonItems``), each record with the line it starts on, and where it breaks off
(``BrokenJson``); plus the small helpers both readers use on the records.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from graphkit.errors import InputError
from graphkit.ingest.formats import QUOTE_LENGTH, shorten


@dataclass
class Item:
    """One element of a list of records: the key the list is under (None: the document itself
    is the list), the line the element starts on, and its value."""

    key: str | None
    line: int
    value: Any


class BrokenJson(Exception):
    """The JSON goes wrong at ``line``: the records before it were read, the rest was not."""

    def __init__(self, line: int, text: str, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.line = line
        self.text = text  # the line where it goes wrong
        self.problem = problem
        self.fix = fix  # what to do, as a clause

    @property
    def sentence(self) -> str:
        """Problem and fix in one, for the rejects file."""
        return f"{self.problem}; {self.fix}"

    def input_error(self, path: Path) -> InputError:
        """For a file broken before its first record: it cannot be read at all."""
        return InputError(self.problem, path=path, line=self.line, fix=self.fix.capitalize())


CHUNK = 1 << 20  # characters read at a time
MARGIN = 1 << 20  # an error further than this from the end of what was read is not a cut
DECODER = json.JSONDecoder()
WHITESPACE = " \t\n\r"


@dataclass
class JsonItems:
    """The records of a JSON document, one at a time, never the whole document in memory.

    The document is a list of records, or an object some of whose keys (``keys``) hold a list
    of records (or one record). Other keys are read and passed over. Each record comes with
    the line it starts on. ``BrokenJson`` is raised where the JSON breaks off (a cut file) or
    goes wrong; the records before it have been given. Lines are counted as the file's "\\n".
    For ``{"meta": {...}, "data": [\\n{"id": 1},\\n{"id": 2}]}`` and ``keys={"data"}``: the items
    ("data", 2, {"id": 1}) and ("data", 3, {"id": 2}).
    """

    path: Path
    keys: Container[str]
    count: int = 0  # records given so far
    keys_found: set[str | None] = field(default_factory=set)

    def __iter__(self) -> Iterator[Item]:
        try:
            with self.path.open(encoding="utf-8-sig") as handle:
                yield from self._document(_Text(handle, self.path))
        except UnicodeDecodeError as error:
            raise InputError(
                f"the file is not UTF-8 text ({error.reason})",
                path=self.path,
                fix="GLEIF and BODS files are UTF-8: download the file again, or save it as UTF-8",
            ) from None

    def _document(self, text: _Text) -> Iterator[Item]:
        first = text.skip_space()
        if first is None:
            raise InputError(
                "the file is empty", path=self.path, line=1, fix="Download the file again"
            )
        if first == "[":
            self.keys_found.add(None)
            yield from self._list(text, None)
            return
        if first != "{":
            raise InputError(
                "this is not a JSON document (it does not start with '{' or '[')",
                path=self.path,
                line=text.line_at(text.pos),
                fix="Give the file as downloaded, unzipped",
            )
        text.pos += 1
        while True:
            mark = text.skip_space()
            if mark == "}":
                return
            key = text.value(self)
            if not isinstance(key, str) or text.skip_space() != ":":
                raise text.broken(text.pos, _expected("a key and ':'", text), self)
            text.pos += 1
            start = text.skip_space()
            if key in self.keys and start in ("[", "{"):
                self.keys_found.add(key)
                if start == "[":
                    yield from self._list(text, key)
                else:
                    line = text.line_at(text.pos)
                    value = text.value(self)
                    self.count += 1
                    yield Item(key, line, value)
            else:
                text.value(self)  # passed over
            mark = text.skip_space()
            if mark == ",":
                text.pos += 1
            elif mark != "}":
                raise text.broken(text.pos, _expected("',' or '}' after a value", text), self)

    def _list(self, text: _Text, key: str | None) -> Iterator[Item]:
        text.pos += 1  # the "["
        if text.skip_space() == "]":
            text.pos += 1
            return
        while True:
            line = text.line_at(text.pos)
            value = text.value(self)
            self.count += 1
            yield Item(key, line, value)
            mark = text.skip_space()
            if mark == ",":
                text.pos += 1
                text.skip_space()
            elif mark == "]":
                text.pos += 1
                return
            else:
                raise text.broken(text.pos, _expected("',' or ']' after a record", text), self)


class _Text:
    """A window on a text file: read on as needed, what was decoded let go."""

    def __init__(self, handle: TextIO, path: Path) -> None:
        self.handle = handle
        self.path = path
        self.text = ""
        self.pos = 0  # where decoding goes on
        self.eof = False
        self.line = 1  # the line at ``counted``
        self.counted = 0

    def more(self) -> bool:
        """Read another chunk; False at the end of the file."""
        if self.eof:
            return False
        chunk = self.handle.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        if self.pos > CHUNK:  # let go of what was decoded
            self.line_at(self.pos)
            self.text = self.text[self.pos :]
            self.counted -= self.pos
            self.pos = 0
        self.text += chunk
        return True

    def skip_space(self) -> str | None:
        """The next character that is not white space (not consumed); None at the end."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in WHITESPACE:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return None

    def line_at(self, index: int) -> int:
        """The line of the character at ``index`` (never before the last one asked about)."""
        self.line += self.text.count("\n", self.counted, index)
        self.counted = index
        return self.line

    def value(self, items: JsonItems) -> Any:
        """Decode the JSON value at ``pos``, reading on while it may be cut by the window."""
        if self.skip_space() is None:
            raise self.broken(self.pos, _expected("a value", self), items)
        while True:
            try:
                value, end = DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                if not self.eof and error.pos >= len(self.text) - MARGIN and self.more():
                    continue
                raise self.broken(error.pos, self._explain(error), items) from None
            if end == len(self.text) and self.more():  # a number may go on: 12|3
                continue
            self.pos = end
            return value

    def _explain(self, error: json.JSONDecodeError) -> tuple[str, str]:
        start = self.line_at(self.pos)
        rest = self.text[error.pos :].strip()
        cut = self.eof and (
            not rest
            or (
                "\n" not in rest
                and error.msg in ("Unterminated string starting at", "Expecting value")
            )
        )
        if cut:
            return f"the file ends in the middle of the record that starts at line {start}", CUT
        return f"the record that starts at line {start} is not valid JSON ({error.msg})", FIX

    def broken(self, at: int, what: tuple[str, str], items: JsonItems) -> BrokenJson:
        """What to raise where the JSON goes wrong, at ``at`` (at the end of the file: on its
        last line with text)."""
        written = len(self.text.rstrip())
        if self.eof and at >= written > self.pos:
            at = written - 1
        line = self.line_at(max(at, self.counted))
        ends = self.text.find("\n", at)
        before = self.text[self.pos : ends if ends >= 0 else len(self.text)].rstrip()
        last_line = before[before.rfind("\n") + 1 :].strip()  # up to ``at``
        snippet = last_line[:QUOTE_LENGTH]
        problem, fix = what
        if items.count == 1:
            problem += " (the record before it was read, the rest of the file was not)"
        elif items.count:
            problem += f" (the {items.count} records before it were read, the rest was not)"
        return BrokenJson(line, snippet, problem, fix)


CUT = "it was probably cut off, as by an interrupted download: download it again"
FIX = "fix the JSON here, or download the file again"


def _expected(what: str, text: _Text) -> tuple[str, str]:
    if text.skip_space() is None:
        return f"the file ends where {what} should follow", CUT
    return f"the JSON is not valid here: {what} should follow", FIX


# Helpers for the records, shared by the JSON readers.


def head_text(head: bytes) -> str:
    """The first bytes as text, the byte-order mark and leading space removed."""
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    return head.decode("utf-8", errors="ignore").lstrip()


def quote(value: object) -> str:
    """A record as compact JSON, cut to ``QUOTE_LENGTH`` characters, for the rejects file."""
    return shorten(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def as_dict(node: object) -> dict[str, Any]:
    """An object, or {} for anything else."""
    return node if isinstance(node, dict) else {}


def as_list(node: object) -> list[Any]:
    """A repeated value: a list, or a value given alone (GLEIF's golden copy, made from XML,
    writes a list of one as its one element)."""
    if node is None:
        return []
    return node if isinstance(node, list) else [node]
