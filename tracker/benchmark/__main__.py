"""python -m tracker.benchmark [--n 100000] [--repeat 30] [--no-http]

SQLite files under instance/ by default; with ``DATABASE_URL`` naming a PostgreSQL database, the
benches are built there (``tracker.benchmark.places``).
"""

from __future__ import annotations

import argparse
import os
import time

from tracker import create_app, settings
from tracker.benchmark.measure import measure_in_process, measure_over_http, report
from tracker.benchmark.places import place_for

SMALL = 1000


def app_for(url: str):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
        }
    )


def ensure(place, n: int) -> str:
    url = place.url(n)
    if place.is_current(n):
        print(f"reusing {url}")
        return url
    print(f"building {url} ...")
    start = time.perf_counter()
    counts = place.build(app_for(url), n)
    print(
        f"  {counts.applications} applications, {counts.partners} partners, "
        f"{counts.history} history rows, {counts.reviews} reviews, {counts.labels} labels "
        f"in {time.perf_counter() - start:.1f} s"
    )
    return url


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tracker.benchmark")
    parser.add_argument("--n", type=int, default=100_000, help="applications (default 100000)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per kind")
    parser.add_argument("--no-http", action="store_true", help="in-process figures only")
    args = parser.parse_args()
    if args.n < 10:
        parser.error("--n must be at least 10")
    place = place_for(settings.INSTANCE, args.n)
    sizes = sorted({SMALL, args.n})
    for n in sizes:
        ensure(place, n)
    in_process, over_http, bulk = {}, {}, {}
    for n in sizes:
        print(f"measuring in-process at N = {n} ...")
        with place.scratch(n) as url:
            in_process[n], bulk[n, "in-process"] = measure_in_process(app_for, url, args.repeat)
        if not args.no_http:
            print(f"measuring over HTTP (make serve, 4 workers) at N = {n} ...")
            with place.scratch(n, "http") as url:
                log = settings.INSTANCE / f"bench-serve-{n}.log"
                over_http[n], bulk[n, "over HTTP"] = measure_over_http(
                    app_for, url, args.repeat, log
                )
    small, large = sizes[0], sizes[-1]
    print()
    print(f"In-process (Flask's test client), {place.backend}:")
    print(report(small, large, in_process[small], in_process[large]))
    if over_http:
        print()
        print(f"Over HTTP (make serve: gunicorn, 4 workers), {place.backend}:")
        print(
            report(
                small,
                large,
                over_http[small],
                over_http[large],
                queries_from=(in_process[small], in_process[large]),
            )
        )
    print()
    print(f"Bulk decisions (POST /api/v1/applications/transitions), {place.backend}:")
    for (n, where), measure in bulk.items():
        print(f"  N = {n}: {measure.line(where)}")
    print()
    print(f"Machine: {load_average()} (os.getloadavg at the end of the run).")


if __name__ == "__main__":
    main()
