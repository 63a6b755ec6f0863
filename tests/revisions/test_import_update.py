"""`factcheck import --update`: a known external_id with a new text makes a revision."""

from __future__ import annotations

import json

from sqlalchemy import select

from factcheck.cli import main
from factcheck.extensions import db
from factcheck.models import Annotation, Article, Status

from .conftest import DEBT, JOBS, TEXT


def write(path, text):
    record = {"title": "La dette et les postes", "text": text, "external_id": "afp-42"}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return str(path)


def run(app, *args):
    return app.test_cli_runner().invoke(main, ["import", *args])


def test_update_revises_a_known_article_and_re_anchors_its_claims(
    app, make, admin, author, tmp_path
):
    assert run(app, write(tmp_path / "v1.jsonl", TEXT)).exit_code == 0
    article = db.session.scalar(select(Article).where(Article.external_id == "afp-42"))
    start = article.text.index(JOBS)
    claim = make.annotation(
        article=article, author=author, start=start, end=start + len(JOBS), status=Status.APPROVED
    )
    new = "Correctif : une phrase ajoutée.\n\n" + TEXT.replace("300 postes", "350 postes")
    path = write(tmp_path / "v2.jsonl", new)

    skipped = run(app, path)  # without --update: skipped as a duplicate, as before
    assert skipped.exit_code == 0 and "1 duplicates skipped" in skipped.stdout
    db.session.expire_all()
    assert article.revision == 1

    result = run(app, path, "--update")
    assert result.exit_code == 0, result.output + result.stderr
    assert "1 revised" in result.stdout
    db.session.expire_all()
    assert article.revision == 2 and article.text == new
    stored = db.session.get(Annotation, claim.id)
    assert stored.anchor.value == "relocated" and stored.status is Status.SUBMITTED
    assert stored.events[-1].actor.username == admin.username

    again = run(app, path, "--update")  # same text: nothing to revise
    assert again.exit_code == 0 and "1 duplicates skipped" in again.stdout
    db.session.expire_all()
    assert article.revision == 2


def test_update_keeps_unchanged_claims_ok(app, make, admin, author, tmp_path):
    run(app, write(tmp_path / "v1.jsonl", TEXT))
    article = db.session.scalar(select(Article).where(Article.external_id == "afp-42"))
    start = article.text.index(DEBT)
    claim = make.annotation(article=article, author=author, start=start, end=start + len(DEBT))
    result = run(app, write(tmp_path / "v2.jsonl", "Avant-propos.\n\n" + TEXT), "--update")
    assert result.exit_code == 0
    db.session.expire_all()
    stored = db.session.get(Annotation, claim.id)
    assert stored.anchor.value == "ok"
    assert stored.start == start + len("Avant-propos.\n\n")


def test_update_needs_an_administrator(app, app_ctx, tmp_path):
    result = run(app, write(tmp_path / "v1.jsonl", TEXT), "--update")
    assert result.exit_code != 0
    assert "administrator" in result.output
