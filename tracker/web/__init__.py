"""What the pages of every domain share: error pages, template helpers, form errors, the
transition form, the next-step summary, an object's page drawn again for another domain's form.

Each domain's pages live in its own package (``tracker/<domain>/pages.py``), one blueprint per
section of the site; ``register_pages`` registers them all. No domain's pages import another's:
what two of them need is here, or in a domain's queries.
"""

from flask import Flask, g


def register_pages(app: Flask) -> None:
    from tracker.admin.pages import bp as admin
    from tracker.agreements.pages import bp as agreements
    from tracker.applications.pages import bp as applications
    from tracker.auth.pages import account_bp, language_bp
    from tracker.auth.pages import bp as auth
    from tracker.calls.pages import bp as calls
    from tracker.changes.pages import bp as changes
    from tracker.communities.pages import bp as communities
    from tracker.communities.pages import proposals_bp
    from tracker.dashboards.pages import bp as dashboards
    from tracker.dashboards.pages import home_bp, statistics_bp
    from tracker.documents.annex_pages import bp as annexes
    from tracker.documents.pages import bp as documents
    from tracker.integrations.pages import bp as integrations
    from tracker.labels.pages import bp as registry
    from tracker.notifications.pages import bp as notifications
    from tracker.organisations.pages import bp as organisations
    from tracker.projects.pages import bp as projects
    from tracker.reports.pages import bp as reports
    from tracker.search.pages import bp as search
    from tracker.web.workflows import bp as workflows

    for blueprint in (
        account_bp,
        admin,
        agreements,
        annexes,
        applications,
        auth,
        calls,
        changes,
        communities,
        dashboards,
        documents,
        home_bp,
        integrations,
        language_bp,
        notifications,
        organisations,
        projects,
        proposals_bp,
        registry,
        reports,
        search,
        statistics_bp,
        workflows,
    ):
        app.register_blueprint(blueprint)

    @app.before_request
    def _load_user_afresh() -> None:
        # Flask-Login caches the user in ``g``, which lives as long as the app context. A request
        # normally has its own context; one shared by several requests (tests) must not let a
        # request act as the previous request's user.
        g.pop("_login_user", None)
