"""A new server process prepares before its first request (tracker.warm): the templates compiled
once in gunicorn's master, the public pages read once by each worker."""

from __future__ import annotations

from types import SimpleNamespace

from tracker import create_app
from tracker.labels import queries as label_queries
from tracker.warm import PUBLIC_PAGES, TEMPLATE_SUFFIXES, prepare, read_public_pages


def test_every_template_is_compiled_before_the_first_page(app, monkeypatch):
    app.jinja_env.cache.clear()  # as in a new process (other tests rendered some)
    names = app.jinja_env.list_templates(filter_func=lambda n: n.endswith(TEMPLATE_SUFFIXES))
    assert prepare(app) == len(names) > 100

    def no_more_reading(environment, name):
        raise AssertionError(f"{name} read from disk after prepare()")

    monkeypatch.setattr(app.jinja_env.loader, "get_source", no_more_reading)
    for name in names:
        assert app.jinja_env.get_template(name).name == name


def test_a_worker_reads_the_public_pages_and_keeps_the_registry_totals(app, monkeypatch):
    monkeypatch.setattr(label_queries, "_registry_totals_cache", {})
    assert read_public_pages(app) == [200] * len(PUBLIC_PAGES)
    assert len(label_queries._registry_totals_cache) == 1  # counted once, kept


def test_a_worker_whose_database_is_unreachable_still_starts():
    nowhere = "postgresql+psycopg://nobody@/tracker?host=/nonexistent&connect_timeout=1"
    broken = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": nowhere})
    statuses = read_public_pages(broken)  # raises nothing
    assert len(statuses) == len(PUBLIC_PAGES)
    assert 200 not in statuses


def test_gunicorn_prepares_once_in_the_master_and_warms_each_worker(app, monkeypatch):
    from tracker import gunicorn_conf

    done = []
    monkeypatch.setattr("tracker.warm.prepare", lambda a: done.append(("prepare", a)) or 0)
    monkeypatch.setattr("tracker.warm.read_public_pages", lambda a: done.append(("read", a)))
    monkeypatch.setattr(gunicorn_conf, "tune_gc", lambda: done.append(("tune_gc", None)))
    process = SimpleNamespace(app=SimpleNamespace(wsgi=lambda: app))
    gunicorn_conf.when_ready(process)
    for _ in range(2):  # two forks: the first worker, a recycled one
        gunicorn_conf.pre_fork(process, None)
    gunicorn_conf.post_worker_init(process)
    assert done == [("prepare", app), ("tune_gc", None), ("tune_gc", None), ("read", app)]
