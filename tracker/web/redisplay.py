"""An object's page drawn again for a form that belongs to another domain.

A form may sit on another domain's page: the agreement upload (documents) is on the application
page. When the upload is refused, the application page is shown again with the form's errors,
and the applications pages know how to draw it. They register that (``@draws("application")``)
and the documents pages ask for it (``draw("application", application, status=422)``), so that
neither domain's pages import the other's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask.typing import ResponseReturnValue

Draw = TypeVar("Draw", bound=Callable[..., ResponseReturnValue])

#: how each kind of object's page is drawn: ``render(obj, status=...)``
_DRAWERS: dict[str, Callable[..., ResponseReturnValue]] = {}


def draws(kind: str) -> Callable[[Draw], Draw]:
    """Register the decorated function as the one that draws ``kind``'s page."""

    def register(render: Draw) -> Draw:
        _DRAWERS[kind] = render
        return render

    return register


def draw(kind: str, obj: Any, *, status: int) -> ResponseReturnValue:
    """``obj``'s page, answered with ``status``, as its own domain's pages draw it."""
    return _DRAWERS[kind](obj, status=status)
