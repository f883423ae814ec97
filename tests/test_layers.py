"""The code's shape holds: the import-layer contracts in pyproject.toml, and each
concept's SQL inside the package that owns its tables (docs/architecture.md)."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Every table, and the package whose modules write it. The store's schema
# (core/store/schema.py) creates them all; nobody else writes another's table.
OWNERS = {
    "meta": "core.store",
    "events": "core.store",
    "meeting": "core.meeting",
    "subjects": "core.meeting",
    "categories": "core.meeting",
    "criteria": "core.meeting",
    "grades": "core.meeting",
    "agenda": "core.meeting",
    "state": "core.meeting",
    "commentary": "core.record",
    "questions": "core.record",
    "attendance": "core.record",
    "tokens": "core.ballots",
    "ballots": "core.ballots",
    "scores": "core.ballots",
    "comments": "core.ballots",
    "receipts": "core.ballots",
    "revision_links": "core.ballots",
    "tally_counts": "core.ballots",
    "tally_graded": "core.ballots",
    "tally_ballots": "core.ballots",
    "daily_scores": "core.ballots",
    "overrides": "core.ballots",
    "import_rows": "core.ballots",
    "ledger": "core.ledger",
    "carried_results": "core.ledger",
}
# Lower layers first: a concept may read the tables of the concepts below it.
BELOW = {
    "core.store": set(),
    "core.meeting": {"core.store"},
    "core.record": {"core.store", "core.meeting"},
    "core.ballots": {"core.store", "core.meeting"},
    "core.ledger": {"core.store", "core.meeting", "core.record", "core.ballots"},
}
WRITES = re.compile(r"\b(?:INSERT(?: OR \w+)? INTO|(?<!DO )UPDATE|DELETE FROM)\s+(\w+)", re.I)
READS = re.compile(r"\b(?:FROM|JOIN)\s+(\w+)", re.I)
SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b")


def _sql_strings(path: Path) -> list[tuple[int, str]]:
    """Each SQL statement written in the module (adjacent literals joined)."""
    found = []
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if SQL.search(text) and not text.startswith(("CREATE", '"""')):
            found.append((node.lineno, text))
    return found


def _concept(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:2])


def test_each_concept_writes_only_its_own_tables_and_reads_only_those_below():
    wrong = []
    checked = 0
    for path in sorted((ROOT / "core").rglob("*.py")):
        if path.name == "schema.py" and path.parent.name == "store":
            continue  # the schema's history creates every table
        concept = _concept(path)
        for line, sql in _sql_strings(path):
            for table in WRITES.findall(sql):
                checked += 1
                if OWNERS.get(table) != concept:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} writes {table}")
            for table in READS.findall(sql):
                if table not in OWNERS:
                    continue  # json_each, a subquery's alias
                checked += 1
                owner = OWNERS[table]
                if owner != concept and owner not in BELOW.get(concept, set()):
                    wrong.append(f"{path.relative_to(ROOT)}:{line} reads {table}")
    assert checked > 50  # the scan sees the store's users at all
    assert wrong == []


def test_the_screens_and_the_office_run_no_sql_of_their_own():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for folder in ("tui", "core/office", "core/web", "core/venue")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, _ in _sql_strings(path)
    ]
    assert offenders == []


def test_the_import_layers_hold():
    """pyproject.toml's import-linter contracts: layers, no circle, no toolkit in core."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None, "import-linter is a test dependency"
    result = subprocess.run(
        [lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
