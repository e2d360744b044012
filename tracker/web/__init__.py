"""The pages: one blueprint per module of this package that defines ``bp``."""

import importlib
import pkgutil

from flask import Flask, g


def register_views(app: Flask) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "bp"):
            app.register_blueprint(module.bp)

    @app.before_request
    def _load_user_afresh() -> None:
        # Flask-Login caches the user in ``g``, which lives as long as the app context. A request
        # normally has its own context; one shared by several requests (tests) must not let a
        # request act as the previous request's user.
        g.pop("_login_user", None)
