"""Import every domain's models (so the metadata, and Alembic, see the whole schema) and its
operations (which register the effects workflow transitions name)."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil


def load_all() -> None:
    import tracker

    for info in pkgutil.iter_modules(tracker.__path__):
        if not info.ispkg:
            continue
        for part in ("models", "operations"):
            name = f"tracker.{info.name}.{part}"
            if importlib.util.find_spec(name) is not None:
                importlib.import_module(name)
