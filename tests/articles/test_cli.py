"""`factcheck import FILE...`: summary, FILE:LINE errors, exit status, --strict."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from factcheck.cli import main
from factcheck.extensions import db
from factcheck.models import Article


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Article))


def run(app, *args):
    return app.test_cli_runner().invoke(main, ["import", *args])


def write_jsonl(path, records):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records))
    return str(path)


def test_imports_files_and_prints_a_summary(app, app_ctx, tmp_path):
    good = write_jsonl(tmp_path / "a.jsonl", [{"title": "A", "text": "a", "external_id": "1"}])
    txt = tmp_path / "b.txt"
    txt.write_text("Titre\n\nTexte")
    result = run(app, good, str(txt), "--language", "FR")
    assert result.exit_code == 0, result.output + result.stderr
    assert "2 imported, 0 duplicates skipped, 0 invalid" in result.stdout
    assert count() == 2
    assert {a.language for a in db.session.scalars(select(Article))} == {"fr"}
    again = run(app, good)
    assert again.exit_code == 0
    assert "1 duplicates skipped" in again.stdout
    assert "a.jsonl:1: duplicate" in again.stderr


def test_invalid_records_are_named_and_the_exit_code_is_non_zero(app, app_ctx, tmp_path):
    path = write_jsonl(
        tmp_path / "mixed.jsonl",
        [{"title": "A", "text": "a"}, "{oops", {"title": "C", "text": "c", "url": "ftp://x"}],
    )
    result = run(app, path)
    assert result.exit_code == 1
    assert f"{path}:2: error: Not valid JSON" in result.stderr
    assert f"{path}:3: error: The url" in result.stderr
    assert "1 imported" in result.stdout
    assert count() == 1


def test_strict_imports_nothing(app, app_ctx, tmp_path):
    path = write_jsonl(tmp_path / "s.jsonl", [{"title": "A", "text": "a"}, {"title": "B"}])
    result = run(app, path, "--strict")
    assert result.exit_code == 1
    assert "nothing was imported" in result.stderr
    assert count() == 0


def test_undecodable_file_is_reported_with_its_position(app, app_ctx, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Titre\nété".encode("latin-1"))
    result = run(app, str(path))
    assert result.exit_code == 1
    assert "latin1.txt:2: error: Not valid UTF-8: byte 6 (line 2)" in result.stderr


def test_format_option_and_bad_language(app, app_ctx, tmp_path):
    path = tmp_path / "page.data"
    path.write_text("<title>T</title><p>Corps</p>")
    assert run(app, str(path), "--format", "html").exit_code == 0
    assert db.session.scalar(select(Article.text)) == "Corps"
    assert run(app, str(path), "--language", "french").exit_code == 2
    assert run(app, str(tmp_path / "missing.txt")).exit_code == 2
