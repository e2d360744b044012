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
# Recycle workers now and then (memory), staggered so that they never all restart together.
max_requests = 2000
max_requests_jitter = 200
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


def pre_fork(server, worker) -> None:
    """Move everything the master loaded (the app, its modules, catalogues, schemas: some
    200,000 objects) out of the garbage collector's reach before forking (Python's advice for
    pre-fork servers, ``gc.freeze``): a worker's full collections otherwise walk all of it,
    and the pages the collector never touches stay shared between the workers."""
    gc.freeze()


def post_request(worker, req, environ, resp) -> None:
    """Collect a request's cyclic garbage (ORM objects and their relationships: some 12,000
    objects for a page of the API's list) once its answer is sent, in 2-3 ms. Left to the
    collector's thresholds, it piled up over a few requests and was collected in the middle of
    one: 25-250 ms pauses, the p95 of the lists over HTTP."""
    gc.collect()


def post_fork(server, worker) -> None:
    """Never share the master's pooled connections (if it opened any) with a worker."""
    from tracker.extensions import db

    with server.app.wsgi().app_context():
        db.engine.dispose(close=False)
