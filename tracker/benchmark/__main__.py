"""python -m tracker.benchmark [--n 100000] [--repeat 30]"""

from __future__ import annotations

import argparse
import time

from tracker import create_app, settings
from tracker.benchmark.build import bench_path, build, is_current
from tracker.benchmark.measure import measure_all, report

SMALL = 1000


def app_for(url: str):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
        }
    )


def ensure(n: int):
    path = bench_path(n, settings.INSTANCE)
    if is_current(path, n):
        print(f"reusing {path}")
        return path
    print(f"building {path} ...")
    start = time.perf_counter()
    counts = build(app_for(f"sqlite:///{path}"), n, path)
    print(
        f"  {counts.applications} applications, {counts.partners} partners, "
        f"{counts.history} history rows, {counts.reviews} reviews, {counts.labels} labels "
        f"in {time.perf_counter() - start:.1f} s"
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tracker.benchmark")
    parser.add_argument("--n", type=int, default=100_000, help="applications (default 100000)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per kind")
    args = parser.parse_args()
    if args.n < 10:
        parser.error("--n must be at least 10")
    paths = {n: ensure(n) for n in sorted({SMALL, args.n})}
    results = {}
    for n, path in paths.items():
        print(f"measuring at N = {n} ...")
        results[n] = measure_all(app_for, path, args.repeat)
    print()
    print(report(SMALL, args.n, results[SMALL], results[args.n]))


if __name__ == "__main__":
    main()
