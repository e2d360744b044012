"""The demo world as data: the files of ``tracker/demo/data/``, one per kind, read once.

YAML files hold the calls, measures, value chains, communities and their texts (with comments on
where each fact comes from); ``organisations.csv`` the organisations the demo names. Times in
them are UTC, written "YYYY-MM-DD HH:MM" (``moment``); dates are YAML dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from importlib.resources import files
from typing import Any

import yaml

_DATA = files("tracker.demo") / "data"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def load(name: str) -> Any:
    """The parsed ``data/<name>.yaml`` (shared: read it, never change it)."""
    with (_DATA / f"{name}.yaml").open(encoding="utf-8") as f:
        return yaml.load(f, Loader=_Loader)


@functools.cache
def organisations() -> tuple[dict[str, str | None], ...]:
    """The rows of ``data/organisations.csv`` in order; '#' lines are comments, empty cells None."""
    with (_DATA / "organisations.csv").open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return tuple({k: (v or None) for k, v in row.items()} for row in rows)


def moment(text: str) -> dt.datetime:
    """A time of the data files ("2022-05-09 10:00", UTC)."""
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=dt.UTC)
