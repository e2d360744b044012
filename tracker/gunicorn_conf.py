"""gunicorn settings of ``make serve`` (``gunicorn --config tracker/gunicorn_conf.py wsgi:app``).

The command line may override any of them (the Makefile passes ``--workers`` and ``--bind``).
The app is loaded once in the master and forked (``preload_app``): workers start in
milliseconds, so one that dies (killed, out of memory, stuck past ``timeout``) is replaced at
once. Each worker opens its own database connections after the fork (``post_fork``): SQLite in
WAL mode with a busy timeout (tracker.database) lets the workers read together and queue their
writes; on PostgreSQL each worker has its own pool. A code change needs a restart, not a HUP.
"""

from __future__ import annotations

import gc
import os

bind = f"{os.environ.get('SERVE_HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WORKERS", 4))
worker_class = "sync"
preload_app = True
# A request slower than this is a stuck worker: gunicorn kills and replaces it. Its open
# transaction dies with its connection, so nothing half-written stays.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Clients queue here while every worker is busy.
backlog = 2048
# Recycle workers now and then (memory), staggered so that they never all restart together: at
# the deadline-day rush's 66 requests a second, each of the 4 about every 10 minutes. A new
# worker starts with the templates and locale data compiled in the master and the public pages
# read (tracker.warm); each other statement it compiles on first use (5 to 10 ms each, some
# 0.15 s over a page's first request), which every 2,000 requests showed in the rush's p99.
max_requests = 10_000
max_requests_jitter = 1_000
# Which peers may say the request came over HTTPS (X-Forwarded-Proto): a proxy on this host,
# and only when one is configured (PROXY_COUNT, which tracker.security also reads): without a
# proxy, a local client must not make a plain-HTTP request look secure.
_behind_proxy = int(os.environ.get("PROXY_COUNT", 0)) > 0
forwarded_allow_ips = os.environ.get(
    "FORWARDED_ALLOW_IPS", "127.0.0.1,::1" if _behind_proxy else ""
)
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")


#: young objects allocated before the collector runs by itself (Python's default: 700). A
#: request's garbage stays young and is collected after it (``post_request``); only a long
#: request (an export, a bulk decision) still collects midway. Full collections are rare.
GC_THRESHOLDS = (100_000, 10, 1000)


def tune_gc() -> None:
    """Move everything loaded so far (the app, its modules, catalogues, schemas: some 200,000
    objects) out of the collector's reach (``gc.freeze``, Python's advice for pre-fork servers:
    the pages it never touches stay shared between the workers), and set ``GC_THRESHOLDS``.

    The API's lists build some 12,000 objects held in cycles (ORM rows and their
    relationships). With the defaults they were promoted while in use, piled up over a few
    requests and were freed by a full collection in the middle of one, which also walked the
    whole app: 25-250 ms pauses, the p95 of the lists over HTTP."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def collect_request_garbage() -> None:
    """A request's cyclic garbage, still young: 0.1 ms for most requests, a few for a list."""
    gc.collect(1)


def when_ready(server) -> None:
    """Once, in the master, before the first fork: the templates compiled and the locale data
    loaded, inherited by every worker, recycled ones included (``tracker.warm``)."""
    from tracker.warm import prepare

    prepare(server.app.wsgi())


def pre_fork(server, worker) -> None:
    tune_gc()


def post_request(worker, req, environ, resp) -> None:
    """Once the answer is sent (nobody waits)."""
    collect_request_garbage()


def post_fork(server, worker) -> None:
    """Never share the master's pooled connections (if it opened any) with a worker."""
    from tracker.extensions import db

    with server.app.wsgi().app_context():
        db.engine.dispose(close=False)


def post_worker_init(worker) -> None:
    """Before the worker's first request: the public pages read once (``tracker.warm``)."""
    from tracker.warm import read_public_pages

    read_public_pages(worker.app.wsgi())
