"""Each domain's API routes live in its own package (``tracker/<domain>/api.py``) with its bodies
and answers (``tracker/<domain>/schemas.py``). ``tracker/api/`` is the small shared framework: it
imports no domain, except ``register_api``, which imports the route modules its list names."""

from __future__ import annotations

import ast
from pathlib import Path

from tracker.api import API_MODULES

TRACKER = Path(__file__).resolve().parents[2] / "tracker"
SHARED = TRACKER / "api"
REGISTRATION = SHARED / "__init__.py"
#: packages of tracker/ that are no domain
NOT_DOMAINS = {"api", "web", "static", "translations", "__pycache__"}
DOMAINS = {p.name for p in TRACKER.iterdir() if p.is_dir() and p.name not in NOT_DOMAINS}


def runtime_imports(path: Path) -> set[str]:
    """Every module ``path`` imports when it runs (not under ``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def domain_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "tracker" and parts[1] in DOMAINS else None


def test_routes_live_in_their_domain_packages():
    routes = sorted(p.relative_to(TRACKER).as_posix() for p in TRACKER.glob("*/api.py"))
    assert routes, "no api modules found"
    assert not (SHARED / "endpoints").exists(), "routes moved to tracker/<domain>/api.py"
    assert not list(SHARED.glob("*_schemas.py")), "answers moved to tracker/<domain>/schemas.py"


def test_the_registration_lists_every_route_module():
    modules = {"tracker." + p.parent.name + ".api" for p in TRACKER.glob("*/api.py")}
    assert modules <= set(API_MODULES), sorted(modules - set(API_MODULES))
    assert len(API_MODULES) == len(set(API_MODULES))


def test_no_module_imports_a_route_module():
    offenders = {
        path.relative_to(TRACKER).as_posix(): sorted(found)
        for path in TRACKER.rglob("*.py")
        if (found := {m for m in runtime_imports(path) if m in API_MODULES})
    }
    assert not offenders, f"route modules are imported by register_api only: {offenders}"


def test_the_shared_layer_imports_no_domain():
    offenders = {
        path.relative_to(TRACKER).as_posix(): sorted(found)
        for path in SHARED.glob("*.py")
        if path != REGISTRATION and (found := {m for m in runtime_imports(path) if domain_of(m)})
    }
    assert not offenders, f"tracker/api/ imports domains: {offenders}"


def test_the_scan_sees_a_domain_import():
    assert domain_of("tracker.applications.operations") == "applications"
    assert domain_of("tracker.api.framework") is None
    assert domain_of("tracker.errors") is None
