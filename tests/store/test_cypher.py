"""The Cypher registry: headers, declared parameters, calls that match them, the wheel."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from graphkit.errors import NetscanError
from graphkit.store.cypher import parse_query, queries, query

ROOT = Path(__file__).parents[2]


def test_every_file_has_a_header_and_declares_exactly_the_parameters_it_uses() -> None:
    found = queries()
    assert len(found) == len(list((ROOT / "cypher").glob("*.cypher")))
    for q in found.values():
        assert q.purpose and q.mode in ("read", "write", "schema") and q.statements


def test_a_file_using_an_undeclared_parameter_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.cypher"
    path.write_text(
        "// name: bad\n// purpose: x\n// parameters: $a\n// mode: read\n"
        "MATCH (n {id: $a, name: $b}) RETURN n\n"
    )
    with pytest.raises(NetscanError, match=r"declares \['a'\] but uses \['a', 'b'\]"):
        parse_query(path)


def test_a_call_with_other_parameters_is_refused() -> None:
    with pytest.raises(NetscanError, match="takes"):
        query("load_companies").check({"rows": [], "extra": 1})


def _calls(source: Path) -> list[tuple[str, set[str], int]]:
    """(query name, parameter names, line) of every call that names a query by a literal.

    ``session.read("q", a=...)`` passes ``a``; ``_read_in_batches(session, "q", ids, a=...)``
    passes ``ids`` and ``a``.
    """
    known = set(queries())
    calls = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        names = [a.value for a in node.args if isinstance(a, ast.Constant) and a.value in known]
        if names:
            keywords = {k.arg for k in node.keywords if k.arg}
            function = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", "")
            )
            if function == "_read_in_batches":
                keywords.add("ids")
            calls.append((names[0], keywords, node.lineno))
    return calls


def test_every_call_in_the_code_passes_the_declared_parameters() -> None:
    source = ROOT / "graphkit" / "store" / "neo4j.py"
    calls = _calls(source)
    assert {name for name, _, _ in calls} >= {
        "find_candidates",
        "read_shipments",
        "read_supplier_history",
        "read_directorships",
        "read_same_address",
        "read_holdings",
        "read_entities",
        "read_sanctions",
        "count_nodes",
    }
    # the load plan and the write-back pass their parameters through one generic call, which
    # Query.check verifies on every run (the end-to-end tests run each of them)
    for name, keywords, line in calls:
        assert keywords == query(name).parameters, f"{source.name}:{line} {name}"


def test_cypher_files_ship_inside_the_wheel_and_load_from_an_installed_copy(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("netscan-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n.split("/")[-1] for n in names if n.startswith("graphkit/cypher/")}
    assert shipped == {p.name for p in (ROOT / "cypher").glob("*.cypher")}
    target = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(target)
    probe = "import graphkit.store.cypher as c; print(c.cypher_folder()); print(len(c.queries()))"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    folder, count = result.stdout.split()
    assert folder == str(target / "graphkit" / "cypher")
    assert int(count) == len(shipped)
