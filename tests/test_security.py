"""Security guarantees that need no server: no value ever enters Cypher as text, and the Neo4j
password, given in the environment, is never printed.

The static scan reads every module of ``graphkit/``: each query text handed to the driver
(``tx.run``, ``session.run``, ``driver.execute_query``, ``neo4j.Query``) must be traced, within
the module, to a statement of the ``cypher/`` registry (``query(name).statements``); an
f-string, ``%`` or ``.format``, a concatenation, a string literal or anything the scan cannot
trace fails. The Cypher files themselves must not build and run query text either. The round
trip of injection-looking data through a real Bolt server is in tests/store/test_injection.py.
"""

from __future__ import annotations

import ast
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from builders import EU_SUPPLIER, RU_BUYER, shipment
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.store.cypher import Query, parse_query, queries

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "graphkit"

# Driver methods whose first argument (or ``query``/``query_`` keyword) is Cypher text.
DRIVER_METHODS = frozenset(("run", "execute_query"))
QUERY_KEYWORDS = frozenset(("query", "query_"))
NOT_THE_DRIVER = frozenset(("subprocess", "asyncio"))  # their .run takes no Cypher
REGISTRY = frozenset(("query", "queries"))  # graphkit.store.cypher's lookups
STRING_BUILDERS = frozenset(("format", "format_map", "join", "replace", "strip", "lower", "upper"))
# Cypher clauses in a Python string: Cypher written outside cypher/.
CYPHER_IN_PYTHON = re.compile(
    r"\b(MATCH|MERGE|CREATE)\s*\(|\bUNWIND\s+\$|\bDETACH\s+DELETE\b|\bCALL\s*\{", re.I
)
# What a statement of cypher/ must not do: run text it built, or take labels from values.
CYPHER_BUILDERS = {
    r"\bapoc\.(cypher|periodic|do|custom|trigger)\.": "runs Cypher text it is given (APOC)",
    r"\bapoc\.(when|case)\b": "runs Cypher text it is given (APOC)",
    r"\bapoc\.(create|merge)\.": "takes labels or types from values (APOC)",
    r"\$(any|all)?\s*\(": "takes a label, type or key from a value ($(...))",
    r"['\"]\s*\+(?!=)|(?<![+])\+\s*['\"]": "joins text with +",
    r"\$\w+\s*\+(?!=)|(?<![+])\+\s*\$\w+": "joins a parameter with +",
}


@dataclass(frozen=True)
class Violation:
    where: str  # file:line
    code: str  # the query argument as written
    why: str


class _Module:
    """One module's functions and parents, to trace a query argument back to where it is made."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.parent: dict[ast.AST, ast.AST] = {
            child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)
        }

    def scope(self, node: ast.AST) -> ast.AST:
        """The function (or lambda, or module) whose names ``node`` sees."""
        while node in self.parent:
            node = self.parent[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                return node
        return self.tree

    def untraced(self, expr: ast.expr, seen: frozenset[str] = frozenset()) -> str | None:
        """None when ``expr`` is a statement of the cypher/ registry; else why it is not."""
        match expr:
            case ast.JoinedStr():
                return "an f-string"
            case ast.BinOp(op=ast.Mod()):
                return "%-formatting"
            case ast.BinOp(op=ast.Add()):
                return "concatenation"
            case ast.BinOp():
                return "an expression that builds text"
            case ast.Constant():
                return "a string literal in Python, not a file of cypher/"
            case ast.Call(func=ast.Attribute(attr=attr)) if attr in STRING_BUILDERS:
                return f"str.{attr}()"
            case ast.Call(func=ast.Name(id=name) | ast.Attribute(attr=name)) if name in REGISTRY:
                return None
            case ast.Call(func=ast.Name(id="Query") | ast.Attribute(attr="Query"), args=[text, *_]):
                return self.untraced(text, seen)  # neo4j.Query(text, timeout=...)
            case ast.Attribute(attr="statements") | ast.Subscript():
                return self.untraced(expr.value, seen)
            case ast.Name(id=name):
                return self._untraced_name(name, self.scope(expr), seen)
        return f"not traceable to the cypher/ registry ({ast.unparse(expr)})"

    def _untraced_name(self, name: str, scope: ast.AST, seen: frozenset[str]) -> str | None:
        """Every binding of ``name`` must be traced: assignments and loop targets in its scope
        (else in the scopes around it), or, for a parameter, what every call passes."""
        bindings: list[ast.expr] = []
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign) and any(_binds(t, name) for t in node.targets):
                bindings.append(node.value)
            elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and _binds(node.target, name):
                if node.value is not None:
                    bindings.append(node.value)
            elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension) and _binds(
                node.target, name
            ):
                bindings.append(node.iter)
            elif isinstance(node, ast.AugAssign) and _binds(node.target, name):
                return f"'{name}' is changed in place"
            elif isinstance(node, ast.withitem) and _binds(node.optional_vars or ast.Pass(), name):
                return f"'{name}' is bound by a with statement"
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) and name in [
            a.arg for a in (*scope.args.posonlyargs, *scope.args.args, *scope.args.kwonlyargs)
        ]:
            why = self._untraced_parameter(scope, name, seen)
            if why:
                return why
        elif not bindings:
            if scope is self.tree:
                return f"'{name}' is not bound in this module"
            return self._untraced_name(name, self.scope(scope), seen)
        for value in bindings:
            why = self.untraced(value, seen)
            if why:
                return f"'{name}' = {why}"
        return None

    def _untraced_parameter(self, function: ast.AST, name: str, seen: frozenset[str]) -> str | None:
        if isinstance(function, ast.Lambda):
            return f"'{name}' is a parameter of a lambda"
        assert isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        key = f"{function.name}.{name}"
        if key in seen:
            return None  # a recursive call: the other call sites decide
        arguments = self._arguments(function, name)
        if not arguments:
            return f"parameter '{name}' of {function.name}() is never given a registry query here"
        for argument in arguments:
            why = self.untraced(argument, seen | {key})
            if why:
                return f"{function.name}({name}=...) at line {argument.lineno}: {why}"
        return None

    def _arguments(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str
    ) -> list[ast.expr]:
        """What each call of ``function`` in this module passes as ``name``: f(...), obj.f(...)
        and partial(f, ...)."""
        parameters = [a.arg for a in function.args.posonlyargs + function.args.args]
        position = parameters.index(name) if name in parameters else None
        found: list[ast.expr] = []
        for call in (n for n in ast.walk(self.tree) if isinstance(n, ast.Call)):
            args = call.args
            if _names(call.func, function.name):
                if isinstance(call.func, ast.Attribute) and parameters[:1] in (["self"], ["cls"]):
                    args = [call.func.value, *args]
            elif _names(call.func, "partial") and args and _names(args[0], function.name):
                args = args[1:]
            else:
                continue
            given = [k.value for k in call.keywords if k.arg == name]
            if position is not None and position < len(args):
                given.append(args[position])
            found += given
        return found

    def driver_calls(self) -> Iterator[tuple[ast.Call, ast.expr | None]]:
        """Each call that hands Cypher to the driver, with its query argument."""
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            receiver = node.func.value
            if node.func.attr not in DRIVER_METHODS or (
                isinstance(receiver, ast.Name) and receiver.id in NOT_THE_DRIVER
            ):
                continue
            keyword = next((k.value for k in node.keywords if k.arg in QUERY_KEYWORDS), None)
            yield node, keyword or (node.args[0] if node.args else None)


def _binds(target: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target))


def _names(func: ast.AST, name: str) -> bool:
    return (isinstance(func, ast.Name) and func.id == name) or (
        isinstance(func, ast.Attribute) and func.attr == name
    )


def scan_source(source: str, name: str = "<source>") -> tuple[int, list[Violation]]:
    """How many driver calls a module makes, and those whose query text is not from cypher/."""
    module = _Module(ast.parse(source))
    calls, violations = 0, []
    for call, argument in module.driver_calls():
        calls += 1
        why = "no query argument" if argument is None else module.untraced(argument)
        if why:
            code = ast.unparse(argument) if argument is not None else ""
            violations.append(Violation(f"{name}:{call.lineno}", code, why))
    return calls, violations


def cypher_in_python(source: str, name: str = "<source>") -> list[Violation]:
    """String literals (docstrings aside) that hold Cypher clauses: Cypher outside cypher/."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        Violation(f"{name}:{node.lineno}", node.value[:80], "Cypher in a Python string")
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and CYPHER_IN_PYTHON.search(node.value)
    ]


def string_building(q: Query) -> list[Violation]:
    """Statements of a cypher/ file that build query text or take labels from values."""
    return [
        Violation(q.path.name, statement[:80], why)
        for statement in q.statements
        for pattern, why in CYPHER_BUILDERS.items()
        if re.search(pattern, statement, re.I)
    ]


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


# The scan on netscan's own code ---------------------------------------------------------------


def test_every_query_the_code_sends_comes_from_the_cypher_files() -> None:
    found: dict[str, int] = {}
    violations: list[Violation] = []
    for path in modules():
        name = str(path.relative_to(ROOT))
        calls, bad = scan_source(path.read_text(encoding="utf-8"), name)
        found[name] = calls
        violations += bad
    assert violations == []
    # the scan saw the calls there are (tx.run in _run, session.run in _auto_commit): it
    # cannot pass because it found nothing to check
    assert found["graphkit/store/neo4j.py"] >= 2


def test_no_python_string_holds_cypher() -> None:
    violations = [
        v
        for path in modules()
        for v in cypher_in_python(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert violations == []


def test_no_cypher_file_builds_query_text_or_labels_from_values() -> None:
    violations = [v for q in queries().values() for v in string_building(q)]
    assert violations == []
    assert len(queries()) >= 20  # every file was read


# The scan catches what it is meant to catch --------------------------------------------------

CLEAN = """
from functools import partial
from graphkit.store.cypher import query

def _run(tx, name, **params):
    q = query(name)
    for statement in q.statements:
        result = tx.run(statement, params).data()
    return result

def schema(session):
    for statement in query("schema").statements:
        session._call(partial(_auto_commit, statement))

def _auto_commit(statement, session):
    session.run(statement).consume()

def first(driver):
    return driver.execute_query(query_=query("count_nodes").statements[0])
"""

PLANTED = {
    "f-string": ('def f(tx, name):\n    tx.run(f"MATCH (c {{name: \'{name}\'}}) RETURN c")\n',
                 "an f-string"),
    "%-format": ('def f(tx, name):\n    tx.run("MATCH (c {name: \'%s\'}) RETURN c" % name)\n',
                 "%-formatting"),
    ".format": ('def f(s, n):\n    s.run("MATCH (c {{name: \'{}\'}}) RETURN c".format(n))\n',
                "str.format()"),
    "concatenation": ("def f(tx, q, name):\n    tx.run(q.statements[0] + name)\n",
                      "concatenation"),
    "literal": ('def f(tx):\n    tx.run("MATCH (n) DETACH DELETE n")\n', "string literal"),
    "variable": ('def f(tx, name):\n    text = f"MATCH (c) WHERE c.id = \'{name}\'"\n'
                 "    tx.run(text)\n", "'text' = an f-string"),
    "replace": ('def f(tx, name):\n    for s in query("x").statements:\n'
                '        tx.run(s.replace("$id", name))\n', "str.replace()"),
    "through partial": (
        "from functools import partial\n"
        'def f(session, name):\n    session._call(partial(g, "MATCH (c {id: \'" + name + "\'})"))\n'
        "def g(statement, session):\n    session.run(statement)\n",
        "g(statement=...) at line 3: concatenation",
    ),
    "untraced parameter": ("def f(tx, text):\n    tx.run(text)\n", "never given a registry query"),
    "execute_query": ('def f(driver, n):\n    driver.execute_query(f"RETURN {n}")\n', "f-string"),
    "neo4j.Query": ('import neo4j\ndef f(tx, n):\n    tx.run(neo4j.Query(f"RETURN {n}"))\n',
                    "f-string"),
}  # fmt: skip


def test_the_scan_passes_the_way_netscan_runs_queries() -> None:
    assert scan_source(CLEAN) == (3, [])


@pytest.mark.parametrize("case", PLANTED)
def test_the_scan_catches_a_planted_violation(case: str) -> None:
    source, why = PLANTED[case]
    calls, violations = scan_source(source, "planted.py")
    assert calls == 1
    [violation] = violations
    assert why in violation.why, violation
    assert violation.where.startswith("planted.py:")


def test_the_scan_reports_the_f_string_with_file_line_and_reason() -> None:
    source = "def find(tx, name):\n    return tx.run(f\"MATCH (c {{name: '{name}'}}) RETURN c\")\n"
    assert scan_source(source, "graphkit/store/bad.py") == (
        1,
        [
            Violation(
                "graphkit/store/bad.py:2",
                "f\"MATCH (c {{name: '{name}'}}) RETURN c\"",
                "an f-string",
            )
        ],
    )


def test_subprocess_run_is_not_taken_for_the_driver() -> None:
    assert scan_source("import subprocess\nsubprocess.run(['ls', f'{x}'])\n") == (0, [])


def test_cypher_in_a_python_string_is_caught() -> None:
    source = '"""MATCH (n) in a docstring is prose."""\nQ = f"MATCH (c:Company {{id: \'{x}\'}})"\n'
    [violation] = cypher_in_python(source, "planted.py")
    assert violation.where == "planted.py:2"


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("CALL apoc.cypher.run('MATCH (n {id: \"' + $id + '\"}) RETURN n', {}) YIELD value\n"
         "RETURN value", "runs Cypher text"),
        ("CALL apoc.periodic.iterate($id, 'RETURN 1', {})", "runs Cypher text"),
        ("MATCH (n {id: $id}) SET n:$($id)", "takes a label"),
        ("MATCH (n) WHERE n.name = 'x' + $id RETURN n", "joins"),
        ("CALL apoc.create.addLabels($id, ['x']) YIELD node RETURN node", "takes labels"),
    ],
)  # fmt: skip
def test_a_planted_cypher_file_that_builds_text_is_caught(
    tmp_path: Path, body: str, why: str
) -> None:
    path = tmp_path / "planted.cypher"
    header = "// name: planted\n// purpose: a test\n// parameters: $id\n// mode: read\n"
    path.write_text(header + body + "\n", encoding="utf-8")
    violations = string_building(parse_query(path))
    assert violations and all(v.where == "planted.cypher" for v in violations)
    assert any(why in v.why for v in violations)


def test_merging_a_map_of_properties_is_not_string_building(tmp_path: Path) -> None:
    path = tmp_path / "fine.cypher"
    path.write_text(
        "// name: fine\n// purpose: a test\n// parameters: $rows\n// mode: write\n"
        "UNWIND $rows AS row MERGE (n:Company {id: row.id}) SET n += row\n",
        encoding="utf-8",
    )
    assert string_building(parse_query(path)) == []


NEO4J_MODULE = PACKAGE / "store" / "neo4j.py"
MUTATIONS = {
    "f-string in _run": ("tx.run(statement, params)", 'tx.run(f"{statement} LIMIT 10", params)'),
    "concatenation in _auto_commit": (
        "session.run(statement)",
        'session.run(statement + " RETURN 1")',
    ),
    "formatted schema statement": (
        'query("schema").statements',
        '[s.format() for s in query("schema").statements]',
    ),
}


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_a_violation_planted_in_a_copy_of_the_store_module_is_caught(mutation: str) -> None:
    old, new = MUTATIONS[mutation]
    source = NEO4J_MODULE.read_text(encoding="utf-8")
    assert source.count(old) == 1, f"the store module changed: update MUTATIONS[{mutation!r}]"
    calls, violations = scan_source(source.replace(old, new), "neo4j.py")
    assert calls == scan_source(source)[0]
    assert len(violations) == 1, violations


# Secrets only from the environment, never printed ----------------------------------------------

SECRET = "Pw-7f3c9e1a-only-in-the-environment"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_help_shows_no_password_default_and_no_password_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    assert isinstance(cli, click.Group)
    password_options = 0
    for name, command in cli.commands.items():
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert SECRET not in result.output
        context = click.Context(command)
        for option in command.params:
            if "password" in (option.name or ""):
                password_options += 1
                assert isinstance(option, click.Option) and option.envvar == "NEO4J_PASSWORD"
                assert option.to_info_dict()["default"] is None and not option.show_default
                record = option.get_help_record(context)
                assert record is not None and "default" not in record[1].lower()
    assert password_options == 2  # load and find-intermediaries


@pytest.mark.parametrize("command", ["load", "find-intermediaries"])
def test_the_password_is_never_printed_or_logged_when_the_server_is_unreachable(
    command: str, write_dataset, monkeypatch: pytest.MonkeyPatch, logs: list[str]
) -> None:
    folder = write_dataset(
        companies=[EU_SUPPLIER, RU_BUYER],
        shipments=[shipment("2022-05-01", "DE1", "DE", "RU1", "RU")],
    )
    uri = f"bolt://127.0.0.1:{free_port()}"
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    result = CliRunner().invoke(
        cli, [command, "--data", str(folder)] if command == "load" else [command]
    )
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1].startswith(f"Error: no Neo4j server answers at {uri}")
    assert SECRET not in result.stdout + result.stderr
    assert logs and not [record for record in logs if SECRET in record]


def test_a_password_written_into_the_uri_is_not_printed_either(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEO4J_URI", f"bolt://neo4j:{SECRET}@127.0.0.1:{free_port()}")
    result = CliRunner().invoke(cli, ["find-intermediaries"])
    assert result.exit_code == 1 and result.stderr.startswith("Error: ")
    assert SECRET not in result.output + str(result.exception or "")
    assert "give them in NEO4J_USERNAME and NEO4J_PASSWORD instead" in result.stderr
