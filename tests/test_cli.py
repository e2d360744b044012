from sqlalchemy import select

from tracker.auth.models import User
from tracker.auth.operations import user_for_token
from tracker.extensions import db
from workflows import WORKFLOWS, State, Transition, Workflow


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_users_create_with_roles_org_and_password(app, make):
    org = make.organisation("Acciaierie Bresciane")
    result = run(app, "users", "create", "Anna@Example.org", "--role", "applicant", "--role", "reviewer",
                 "--org", f"IT {org.vat_number}", "--password", "larch-copper-harbour-7")  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "anna@example.org"))
    assert user.roles == ["applicant", "reviewer"]
    assert user.organisation_id == org.id
    assert user.check_password("larch-copper-harbour-7") and not user.check_password("wrong")


def test_users_create_refuses_bad_input(app, make):
    make.user("officer", email="taken@example.org")
    cases = [
        (["users", "create", "x@example.org", "--role", "wizard"], "Roles must be among"),
        (["users", "create", "not-an-email", "--role", "officer"], "email"),
        (["users", "create", "taken@example.org", "--role", "officer"], "already exists"),
        (
            ["users", "create", "y@example.org", "--role", "applicant", "--org", "12345678903"],
            "No organisation",
        ),
    ]
    for args, message in cases:
        result = run(app, *args)
        assert result.exit_code == 1, args
        assert message in result.output, result.output
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


def test_users_token_prints_a_working_token_alone_on_the_last_line(app, make):
    user = make.user("officer", email="officer@example.org")
    result = run(app, "users", "token", "officer@example.org")
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    assert " " not in token and len(token) > 30
    assert user_for_token(token).id == user.id
    assert user_for_token(token + "x") is None
    assert run(app, "users", "token", "nobody@example.org").exit_code == 1


def test_workflows_list_show_draw(app):
    listing = run(app, "workflows", "list").output
    assert all(name in listing for name in WORKFLOWS)
    shown = run(app, "workflows", "show", "value_chain").output
    assert (
        "grant_label: evaluated -> label_granted" in shown and "needs data decree_number" in shown
    )
    drawn = run(app, "workflows", "draw", "value_chain")
    assert drawn.exit_code == 0 and "stateDiagram-v2" in drawn.output
    assert run(app, "workflows", "show", "nope").exit_code == 1


def test_workflows_check_passes_then_fails_on_a_broken_definition(app, monkeypatch):
    ok = run(app, "workflows", "check")
    assert ok.exit_code == 0, ok.output
    broken = Workflow(
        "broken", "Broken", (State("a", "A"), State("b", "B"), State("c", "C", terminal=True)),
        (Transition("go", "Go", ("a",), "b", frozenset()),),
    )  # fmt: skip
    monkeypatch.setitem(WORKFLOWS, "broken", broken)
    result = run(app, "workflows", "check")
    assert result.exit_code == 1
    assert "broken.go: names no roles" in result.output
    assert "state 'c' is unreachable" in result.output
    assert "non-terminal state 'b' has no way out" in result.output
