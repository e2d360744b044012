"""Where a run's CPU went (``tracker.benchmark.cpu``): read from /proc, by process group (the
app's server) and by name (PostgreSQL's processes), per request."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tracker.benchmark import cpu
from tracker.benchmark.cpu import Process

linux = pytest.mark.skipif(cpu.snapshot() is None, reason="no /proc: CPU is not measured here")


def test_a_name_with_spaces_and_parentheses_is_read_whole(tmp_path):
    stat = tmp_path / "stat"
    fields = ["S", "1", "4242", "4242"] + ["0"] * 7 + ["250", "50"] + ["0"] * 10
    stat.write_text(f"4243 (odd (name) here) {' '.join(fields)}\n")
    assert cpu._read(stat) == Process("odd (name) here", 4242, 300 / cpu.TICKS)
    assert cpu._read(tmp_path / "gone") is None


def test_only_what_the_processes_took_in_between_counts():
    before = {1: Process("gunicorn", 7, 10.0), 2: Process("postgres", 2, 5.0),
              3: Process("gunicorn", 7, 1.0), 4: Process("python", 9, 3.0)}  # fmt: skip
    after = {1: Process("gunicorn", 7, 12.5), 2: Process("postgres", 2, 6.0),
             4: Process("gunicorn", 7, 0.5),  # a pid used again: counted from its start
             5: Process("gunicorn", 7, 0.25)}  # started in between  # fmt: skip
    assert cpu.used(before, after, lambda p: p.group == 7) == 2.5 + 0.5 + 0.25
    said = cpu.split(before, after, 7, requests=1000, postgres=True)
    assert said == (
        "CPU during the run: the app's server 3.2 s (3.2 ms a request), "
        "the PostgreSQL server 1.0 s (1.0 ms a request)"
    )
    # on SQLite a PostgreSQL server of the machine is not the run's; on PostgreSQL, one that
    # did nothing (it runs elsewhere) is not named
    assert "PostgreSQL" not in cpu.split(before, after, 7, requests=1000, postgres=False)
    quiet = {2: Process("postgres", 2, 5.0)}
    assert "PostgreSQL" not in cpu.split(quiet, quiet | {1: after[1]}, 7, 10, postgres=True)
    assert cpu.split(None, after, 7, 1000, True) is None
    assert cpu.split(before, after, 7, 0, True) is None


@linux
def test_a_busy_process_group_is_measured():
    busy = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n"
    before = cpu.snapshot()
    child = subprocess.Popen([sys.executable, "-c", busy + "time.sleep(5)"],
                             start_new_session=True)  # fmt: skip
    try:
        time.sleep(1.0)
        after = cpu.snapshot()
    finally:
        child.kill()
        child.wait()
    took = cpu.used(before, after, lambda p: p.group == child.pid)
    assert 0.25 <= took < 1.0, took
