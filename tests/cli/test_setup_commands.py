from sqlalchemy import func, select

from factcheck.extensions import db
from factcheck.models import Annotation, Article, Role, User


def test_user_create_with_roles_from_stdin(app, app_ctx):
    result = app.test_cli_runner().invoke(
        args=[
            "user",
            "create",
            "Lea",
            "--role",
            "annotator",
            "--role",
            "reviewer",
            "--password-stdin",
        ],
        input="a very long password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "lea"))
    assert user.roles == {Role.ANNOTATOR, Role.REVIEWER}
    assert user.check_password("a very long password")


def test_user_create_refuses_a_short_password(app, app_ctx):
    result = app.test_cli_runner().invoke(
        args=["user", "create", "lea", "--role", "annotator", "--password-stdin"], input="short\n"
    )
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output


def test_token_create_prints_a_working_token(app, make):
    user = make.user(username="scripter")
    result = app.test_cli_runner().invoke(args=["token", "create", "scripter", "--label", "ci"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    response = app.test_client().get(
        "/api/v1/verdicts", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert user.username == "scripter"


def test_token_create_for_unknown_user_fails_clearly(app, app_ctx):
    result = app.test_cli_runner().invoke(args=["token", "create", "ghost"])
    assert result.exit_code != 0
    assert "No user named" in result.output


def test_demo_is_idempotent_and_prints_logins(app, app_ctx):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "admin-demo-password" in first.output
    runner.invoke(args=["demo"])
    # three newsroom articles, one in the FEVER research project
    assert db.session.scalar(select(func.count()).select_from(Article)) == 4
    assert db.session.scalar(select(func.count()).select_from(User)) == 5
    french = db.session.scalar(select(Article).where(Article.language == "fr"))
    assert "é" in french.text
    statuses = sorted(a.status.value for a in db.session.scalars(select(Annotation)))
    assert statuses == [
        "approved",
        "approved",
        "draft",
        "rejected",
        "submitted",
        "submitted",
        "submitted",
    ]
    research = {
        a.verdict
        for a in db.session.scalars(select(Annotation))
        if a.project_id != french.project_id
    }
    assert research == {"supported", "not_enough_info"}
    for annotation in db.session.scalars(select(Annotation)):
        assert annotation.article.text[annotation.start : annotation.end] == annotation.quote


def test_every_command_has_help(app):
    runner = app.test_cli_runner()
    for args in (["init"], ["user", "create"], ["token", "create"], ["demo"], ["serve"]):
        result = runner.invoke(args=[*args, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output
