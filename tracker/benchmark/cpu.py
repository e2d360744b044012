"""Where a run's CPU went, on this machine: the app's server (gunicorn and its workers) and the
PostgreSQL server, read from Linux's ``/proc`` before and after the run (elsewhere: not
measured). A closed loop on one machine is bounded by the CPU each request takes, wherever it is
spent; these figures say whose it is."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
#: the name Linux gives PostgreSQL's processes (the server and a backend per connection)
POSTGRES = "postgres"


@dataclass(frozen=True)
class Process:
    name: str
    group: int  # the process group: the app's server runs in a group of its own
    cpu: float  # seconds, user and system


def snapshot() -> dict[int, Process] | None:
    """Every process of the machine now, by pid; None without ``/proc``."""
    if not (PROC / "self" / "stat").exists():
        return None
    processes = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (process := _read(entry / "stat")) is not None:
            processes[int(entry.name)] = process
    return processes


def _read(stat: Path) -> Process | None:
    try:
        text = stat.read_text()
    except OSError:  # it ended meanwhile
        return None
    # "pid (name) state ppid pgrp ...": the name may hold spaces and parentheses
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return Process(name, int(fields[2]), (int(fields[11]) + int(fields[12])) / TICKS)


def used(before: dict[int, Process], after: dict[int, Process], belongs) -> float:
    """CPU seconds the processes ``belongs`` picks took between the two snapshots (one that
    started in between counts from its start; one that ended is missed)."""
    total = 0.0
    for pid, process in after.items():
        if belongs(process):
            earlier = before.get(pid)
            same = earlier is not None and earlier.name == process.name
            total += process.cpu - (earlier.cpu if same else 0.0)
    return total


def split(before, after, server_group: int, requests: int, postgres: bool) -> str | None:
    """The run's CPU by whose it was, in seconds and per request: None when not measured.
    ``postgres``: the run's database is PostgreSQL (named when its server runs here)."""
    if before is None or after is None or requests <= 0:
        return None
    parts = [("the app's server", used(before, after, lambda p: p.group == server_group))]
    database = used(before, after, lambda p: p.name == POSTGRES) if postgres else 0.0
    if database > 0:
        parts.append(("the PostgreSQL server", database))
    said = ", ".join(
        f"{who} {s:.1f} s ({s / requests * 1000:.1f} ms a request)" for who, s in parts
    )
    return f"CPU during the run: {said}"
