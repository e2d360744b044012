"""Each domain's pages live in its own package (``tracker/<domain>/pages.py``) and import no other
domain's pages: what two domains' pages share is in ``tracker/web`` or in a domain's queries.
Nothing but the registration in ``tracker/web/__init__.py`` imports a pages module."""

from __future__ import annotations

import ast
from pathlib import Path

TRACKER = Path(__file__).resolve().parents[2] / "tracker"
REGISTRATION = TRACKER / "web" / "__init__.py"


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, ``from a.b import c`` counted as both ``a.b`` and ``a.b.c``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def page_modules_imported(path: Path) -> set[str]:
    return {m for m in imported_modules(path) if m.startswith("tracker.") and m.endswith(".pages")}


def test_pages_live_in_their_domain_packages():
    pages = sorted(p.relative_to(TRACKER).as_posix() for p in TRACKER.rglob("pages.py"))
    assert pages, "no pages modules found"
    assert all(len(p.split("/")) == 2 for p in pages), pages
    assert not (TRACKER / "views").exists(), "pages moved to tracker/<domain>/pages.py"


def test_only_the_registration_imports_pages():
    offenders = {
        path.relative_to(TRACKER).as_posix(): sorted(page_modules_imported(path))
        for path in TRACKER.rglob("*.py")
        if path != REGISTRATION and page_modules_imported(path)
    }
    assert not offenders, f"pages import pages (share through tracker/web instead): {offenders}"


def test_the_registration_registers_every_pages_module():
    registered = page_modules_imported(REGISTRATION)
    pages = {
        "tracker." + ".".join(p.relative_to(TRACKER).with_suffix("").parts)
        for p in TRACKER.rglob("pages.py")
    }
    assert pages <= registered, sorted(pages - registered)
