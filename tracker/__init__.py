"""tracker: the Lombardy value-chain EOI and AFIL Strategic Communities, as state machines."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tracker import settings
from tracker.extensions import csrf, db, login_manager, migrate
from tracker.settings import ROOT
from tracker.validation import IdConverter
from workflows.i18n import N_


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "tracker" / "static"),
        instance_path=str(settings.INSTANCE),
    )
    app.config.update(settings.from_environment())
    app.config.update(config or {})
    app.url_map.converters["int"] = IdConverter  # before any route is added
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from tracker import database, i18n, security  # noqa: F401  (database: SQLite pragmas)
    from tracker.models import load_all

    load_all()
    database.planner_options(app.config)
    db.init_app(app)
    # after db.init_app: teardowns run in reverse, so this one runs before the session's removal
    app.teardown_appcontext(database.end_request_transaction)
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Please log in to see this page.")
    login_manager.localize_callback = i18n.translate  # in the reader's language
    login_manager.login_message_category = "info"

    from tracker.auth import sessions

    # the cookie names a row of user_sessions, which logout, a password change or a
    # deactivation deletes (tracker.auth.sessions)
    login_manager.user_loader(sessions.load)


def register_blueprints(app: Flask) -> None:
    from tracker.api import register_api
    from tracker.web import register_pages

    register_pages(app)
    register_api(app)


def register_errorhandlers(app: Flask) -> None:
    from tracker.web.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from tracker.web.templating import register

    register(app)


def register_commands(app: Flask) -> None:
    from tracker.cli import register

    register(app)
