"""The pages: one blueprint per domain, registered here."""

from flask import Flask


def register_views(app: Flask) -> None:
    from tracker.views import home

    app.register_blueprint(home.bp)
