"""Every refusal people read reaches the catalogue: none is an f-string.

An f-string is English for ever: Babel cannot extract it and ``translate`` finds no msgid for it,
so an Italian reviewer would read English. A refusal with values is a marked message with
parameters (``N_("Application %(id)s is not a value chain.", id=...)``): the API still sends
the same English, the pages say it in Italian. An AST scan of every module under ``tracker/``:
no f-string is given to a ``TrackerError`` (``BadRequest``, ``Forbidden``, ``NotFound``,
``Conflict``, ``ValidationFailed``, ``Unauthorized``...), and a ``*refusal`` function returns
neither an f-string nor a plain string (a string literal given to an error is extracted by
``tracker.i18n.MORE_KEYWORDS``; one returned is not: it is marked with ``N_``).
"""

from __future__ import annotations

import ast
from pathlib import Path

from tracker.errors import TrackerError

TRACKER = Path(__file__).resolve().parents[2] / "tracker"


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def error_names() -> set[str]:
    """The names of TrackerError and its subclasses, those defined outside ``tracker.errors``
    (``UnsupportedMediaType``...) included: read from the sources, imported or not."""
    names = {"TrackerError"} | {c.__name__ for c in _subclasses(TrackerError)}
    for path in TRACKER.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                getattr(base, "id", getattr(base, "attr", None)) in names for base in node.bases
            ):
                names.add(node.name)
    return names


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _message_args(call: ast.Call) -> list[ast.expr]:
    return call.args[:1] + [k.value for k in call.keywords if k.arg == "message"]


def fstring_refusals(tree: ast.AST, errors: set[str]) -> list[int]:
    """Lines where an f-string is given to an error, or an f-string or an unmarked string is
    returned by a ``*refusal`` function."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node.func) in errors:
            lines += [a.lineno for a in _message_args(node) if isinstance(a, ast.JoinedStr)]
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.endswith(
            "refusal"
        ):
            lines += [
                r.lineno
                for r in ast.walk(node)
                if isinstance(r, ast.Return)
                and (
                    isinstance(r.value, ast.JoinedStr)
                    or (isinstance(r.value, ast.Constant) and isinstance(r.value.value, str))
                )
            ]
    return sorted(lines)


def test_no_refusal_is_an_fstring():
    errors = error_names()
    found = [
        f"{path.relative_to(TRACKER.parent)}:{line}"
        for path in sorted(TRACKER.rglob("*.py"))
        for line in fstring_refusals(ast.parse(path.read_text(encoding="utf-8")), errors)
    ]
    assert found == [], "mark these with N_(template, **params):\n" + "\n".join(found)


def test_the_scan_finds_fstring_refusals():
    errors = error_names()
    assert {"BadRequest", "Forbidden", "NotFound", "Conflict", "ValidationFailed"} <= errors
    assert "Unauthorized" in errors and "UnsupportedMediaType" in errors
    source = """
raise NotFound(f"No call {call_id}.")
raise errors.Conflict(message=f"Stale {v}.", code="stale")
raise Forbidden(N_("No access to %(id)s.", id=1))

def review_refusal(app):
    if app:
        return f"{app} is not yours."
    if app is None:
        return "Log in to review."
    return N_("Not now.")
"""
    assert fstring_refusals(ast.parse(source), errors) == [2, 3, 8, 10]
