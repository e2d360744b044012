"""The pages: one blueprint per domain, registered here."""

from flask import Flask, g


def register_views(app: Flask) -> None:
    from tracker.views import applications, auth, calls, home, organisations, registry, workflows

    for module in (home, auth, calls, applications, organisations, registry, workflows):
        app.register_blueprint(module.bp)

    @app.before_request
    def _load_user_afresh() -> None:
        # Flask-Login caches the user in ``g``, which lives as long as the app context. A request
        # normally has its own context; one shared by several requests (tests) must not let a
        # request act as the previous request's user.
        g.pop("_login_user", None)
