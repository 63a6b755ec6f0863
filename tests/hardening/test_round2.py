"""Security and reliability, round 2 (issue 15): one test per finding, at API level.

Each of these failed on the behaviour the outside test found.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from factcheck import create_app
from factcheck.extensions import db
from factcheck.models import Annotation, Role, Status

from ..server import ROOT

EVIL = "</script><!--<script>alert(1)</script> & <b>"


# --- 12. one charset in the export's Content-Type -------------------------------------------


@pytest.mark.parametrize("path", ["export.csv", "export.jsonl", "export.claimreview.json"])
def test_export_content_type_names_one_charset(client, make, login, path):
    login(make.user(roles=[Role.ADMIN]))
    response = client.get(f"/api/v1/{path}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].count("charset") == 1, response.headers["Content-Type"]


# --- 5. every JSON the app emits is safe to embed in HTML -------------------------------------


def _approved_evil_claim(make):
    author = make.user(roles=[Role.ANNOTATOR])
    article = make.article(title=f"Titre {EVIL}")
    return make.annotation(
        article=article,
        author=author,
        status=Status.APPROVED,
        claim=f"Claim {EVIL}",
        claimant=f"Claimant {EVIL}",
        rationale=f"Rationale {EVIL}",
    )


def _assert_escaped(text: str) -> None:
    assert "<" not in text and ">" not in text and "&" not in text, text[:300]
    assert "\\u003c/script\\u003e" in text


@pytest.mark.parametrize("path", ["export.claimreview.json", "export.jsonl"])
def test_exports_escape_html_characters(client, make, login, path):
    annotation = _approved_evil_claim(make)
    login(make.user(roles=[Role.ADMIN]))
    body = client.get(f"/api/v1/{path}").get_data(as_text=True)
    _assert_escaped(body)
    first = json.loads(body)[0] if path.endswith(".json") else json.loads(body.splitlines()[0])
    # the same value once parsed: nothing was lost, only written differently
    text = json.dumps(first, ensure_ascii=False)
    assert f"Claim {EVIL}" in text or annotation.claim in text


def test_api_json_escapes_html_characters(client, make, login):
    annotation = _approved_evil_claim(make)
    login(make.user(roles=[Role.ADMIN]))
    response = client.get(f"/api/v1/annotations/{annotation.id}")
    assert response.status_code == 200
    _assert_escaped(response.get_data(as_text=True))
    assert response.get_json()["claim"] == f"Claim {EVIL}"
    error = client.get("/api/v1/articles", query_string={"<script>": "1"})
    assert error.status_code == 400
    assert "<" not in error.get_data(as_text=True)


def test_cli_claimreview_export_escapes_html_characters(app, make, tmp_path):
    _approved_evil_claim(make)
    out = tmp_path / "cr.json"
    result = app.test_cli_runner().invoke(
        args=["export", "--format", "claimreview", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    _assert_escaped(out.read_text(encoding="utf-8"))


# --- 8. an edit that loses to an approval gets 409, not 403 ------------------------------------


def test_edit_after_a_concurrent_approval_is_a_409_with_what_happened(client, make, login):
    author = make.user(roles=[Role.ANNOTATOR])
    reviewer = make.user(roles=[Role.REVIEWER])
    annotation = make.annotation(author=author, status=Status.SUBMITTED)
    seen = annotation.version
    login(reviewer)
    approved = client.post(
        f"/api/v1/annotations/{annotation.id}/review",
        json={"decision": "approve", "version": seen},
    )
    assert approved.status_code == 200
    login(author)  # the author's edit, sent with the version seen before the approval
    response = client.patch(
        f"/api/v1/annotations/{annotation.id}", json={"claim": "Edited.", "version": seen}
    )
    assert response.status_code == 409, response.json
    error = response.json["error"]
    assert error["code"] == "stale_version"
    assert error["current"]["status"] == "approved"
    db.session.rollback()
    assert db.session.get(Annotation, annotation.id).claim != "Edited."
    # naming the current version of an approved claim is still the frozen rule's 403
    current = client.get(f"/api/v1/annotations/{annotation.id}").json["version"]
    frozen = client.patch(
        f"/api/v1/annotations/{annotation.id}", json={"claim": "Edited.", "version": current}
    )
    assert frozen.status_code == 403
    assert frozen.json["error"]["code"] == "frozen"


# --- 10. ids are never reused --------------------------------------------------------------------


def test_article_id_is_never_reused_after_a_delete(client, make, login):
    login(make.user(roles=[Role.ADMIN]))
    first = client.post("/api/v1/articles", json={"title": "Un", "text": "Premier texte."})
    assert first.status_code == 201, first.json
    gone = first.json["ids"][0]
    assert client.delete(f"/api/v1/articles/{gone}").status_code in (200, 204)
    second = client.post("/api/v1/articles", json={"title": "Deux", "text": "Second texte."})
    assert second.status_code == 201
    assert second.json["ids"][0] > gone
    assert client.get(f"/api/v1/articles/{gone}").status_code == 404


# --- 7. secret keys are judged by length and entropy; tests cannot weaken serve ----------------

WEAK_KEYS = [
    "change-me-in-production",
    "your-secret-key-here",
    "0000000000000000",
    "aaaaaaaaaaaaaaaaaaaa",
    "a" * 64,
    "ab" * 32,
    "Secret123" * 4,
    "0123456789abcdef0123456789abcdef",
]


@pytest.mark.parametrize("key", WEAK_KEYS)
def test_weak_secret_keys_are_refused(tmp_path, monkeypatch, key):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("FACTCHECK_SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY is unfit"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_testing_switch_in_the_environment_does_not_relax_the_key(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("FACTCHECK_TESTING", "true")
    monkeypatch.setenv("FACTCHECK_SECRET_KEY", "change-me-in-production")
    with pytest.raises(RuntimeError, match="SECRET_KEY is unfit"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_serve_refuses_a_weak_key_even_with_the_testing_switch(tmp_path):
    env = dict(
        os.environ,
        FACTCHECK_TESTING="true",
        FACTCHECK_SECRET_KEY="aaaaaaaaaaaaaaaaaaaa",
        FACTCHECK_INSTANCE_PATH=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path}/x.db",
    )
    result = subprocess.run(
        [sys.executable, "-m", "factcheck", "serve", "--port", "1", "--workers", "1"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is unfit" in result.stderr


def test_a_long_random_key_is_accepted(tmp_path, monkeypatch):
    import secrets

    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("FACTCHECK_SECRET_KEY", secrets.token_hex(32))
    create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


# --- 9. instance folder 700, database and secret key 600 ---------------------------------------


def test_instance_folder_and_files_are_private(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(instance))
    monkeypatch.delenv("FACTCHECK_SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(os, "umask", os.umask)  # restored below either way
    old = os.umask(0o022)  # the usual umask: files would be 644, folders 755
    try:
        app = create_app()
        with app.app_context():
            result = app.test_cli_runner().invoke(args=["init"])
            assert result.exit_code == 0, result.output
            db.engine.dispose()
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(instance).st_mode) == 0o700
    for name in ("factcheck.db", "secret_key"):
        assert stat.S_IMODE(os.stat(instance / name).st_mode) == 0o600, name
    for extra in ("factcheck.db-wal", "factcheck.db-shm"):
        if (instance / extra).exists():
            assert stat.S_IMODE(os.stat(instance / extra).st_mode) == 0o600, extra


def test_an_existing_world_readable_database_is_tightened(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    os.chmod(instance, 0o755)  # noqa: S103 (the old, too open mode under test)
    (instance / "factcheck.db").touch()
    os.chmod(instance / "factcheck.db", 0o644)  # noqa: S103
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(instance))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    create_app({"SECRET_KEY": "k3Jx9-pQ2mZ7vL4tR8wY1nB6cF0hD5sG"})
    assert stat.S_IMODE(os.stat(instance).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(instance / "factcheck.db").st_mode) == 0o600
