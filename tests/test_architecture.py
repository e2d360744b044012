"""What the code's layout promises, checked on the source: no module outside ``workflows/`` lists
state names (it asks the definitions: ``states_where(holds_label=True)``), and no domain module
imports the dashboards, which are a projection of the domains."""

from __future__ import annotations

import ast
from pathlib import Path

from workflows import WORKFLOWS

TRACKER = Path(__file__).resolve().parent.parent / "tracker"
STATE_NAMES = {s.name for wf in WORKFLOWS.values() for s in wf.states}
#: The demo is left out: it writes its world as stories, each naming the states its applications
#: are driven to (through the operations, as data, like the data files it is moving to); the
#: states it names are the world's content, not what a state means.
NOT_SCANNED = {TRACKER / "demo"}


def modules():
    for path in sorted(TRACKER.rglob("*.py")):
        if not any(path.is_relative_to(skip) for skip in NOT_SCANNED):
            yield path, ast.parse(path.read_text(), filename=str(path))


def state_lists(tree: ast.AST) -> list[tuple[int, list[str]]]:
    """The list, tuple and set literals naming two or more states (one alone may be a name a
    state shares with something else: an email kind, a column)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            names = [
                e.value
                for e in node.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
                if e.value in STATE_NAMES
            ]
            if len(names) >= 2:
                found.append((node.lineno, names))
    return found


def test_no_module_outside_workflows_lists_states():
    listed = [
        f"{path.relative_to(TRACKER.parent)}:{line}: {names}"
        for path, tree in modules()
        for line, names in state_lists(tree)
    ]
    assert listed == [], "ask the definitions (State flags, states_where) instead:\n" + "\n".join(
        listed
    )


def test_the_scan_finds_a_state_list():
    tree = ast.parse('RECOGNISED = ("label_granted", "support_active", "closed")\nx = ["draft"]')
    assert state_lists(tree) == [(1, ["label_granted", "support_active", "closed"])]
    assert state_lists(ast.parse('if s in {"idea", "parked"}: pass')) == [(1, ["idea", "parked"])]


# --- which way imports point ----------------------------------------------------------------

#: above the dashboards: the pages, the API and the command line, which read their figures
ABOVE = {"dashboards", "views", "web", "api"}
ABOVE_MODULES = {TRACKER / "__init__.py", TRACKER / "cli.py"}


def imported(tree: ast.AST) -> set[str]:
    """Every module ``tree`` imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def registers_routes(tree: ast.AST) -> bool:
    """A page module (it makes a Blueprint) or an API module (its routes are declared with
    ``@endpoint``): above the domains even inside a domain's package."""
    return any(
        isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("Blueprint", "endpoint")
        for node in ast.walk(tree)
    )


def test_nothing_below_the_dashboards_imports_them():
    upward = []
    for path, tree in modules():
        package = path.relative_to(TRACKER).parts[0]
        if package in ABOVE or path in ABOVE_MODULES or registers_routes(tree):
            continue
        names = [
            n
            for n in imported(tree)
            if n == "tracker.dashboards" or n.startswith("tracker.dashboards.")
        ]
        if names:
            upward.append(f"{path.relative_to(TRACKER.parent)}: {sorted(names)}")
    assert upward == [], "pass the figures down from the pages instead:\n" + "\n".join(upward)
