"""`factcheck export`: stdout, atomic files, modes and failures."""

from __future__ import annotations

import json

import pytest

from factcheck.cli.exporting import export_command
from factcheck.models import Status
from factcheck.services import export

from .conftest import parse_csv


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def _run(*args):
        return runner.invoke(export_command, list(args), catch_exceptions=True)

    return _run


def test_stdout_is_exact_csv_without_bom(run, reviewed):
    reviewed(claim="=SUM(A1) « été » 🎉")
    result = run()
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"annotation_id,")
    (row,) = parse_csv(result.stdout_bytes)
    assert row["claim"] == "=SUM(A1) « été » 🎉"


def test_spreadsheet_safe_flag(run, reviewed, tmp_path):
    reviewed(claim="=SUM(A1)")
    target = tmp_path / "safe.csv"
    result = run("--spreadsheet-safe", "-o", str(target))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert parse_csv(data.decode("utf-8-sig"))[0]["claim"] == "'=SUM(A1)"


def test_help_says_which_mode_is_which(run):
    result = run("--help")
    assert "exact text" in result.output
    assert "spreadsheet" in result.output


def test_output_file_and_filters(run, reviewed, tmp_path):
    reviewed()
    reviewed(status=Status.SUBMITTED)
    reviewed(status=Status.DRAFT)
    target = tmp_path / "all.jsonl"
    result = run("--format", "jsonl", "--status", "all", "-o", str(target))
    assert result.exit_code == 0, result.output
    lines = target.read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["status"] for line in lines) == [
        "approved",
        "draft",
        "submitted",
    ]
    assert "Exported 3 rows" in result.stderr
    assert list(tmp_path.iterdir()) == [target]


def test_claimreview_format(run, reviewed):
    reviewed()
    result = run("--format", "claimreview")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout_bytes)[0]["@type"] == "ClaimReview"


def test_bad_filter_is_a_clear_error(run):
    result = run("--status", "pending")
    assert result.exit_code != 0
    assert "Unknown status" in result.output


def test_a_failure_mid_stream_leaves_no_file(run, reviewed, tmp_path, monkeypatch):
    for _ in range(3):
        reviewed()
    real_batches = export.csv_batches

    def failing_chunks(session, fmt, filters, **kw):
        yield from real_batches(session, filters, batch_size=1)  # some rows written first
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(export, "chunks", failing_chunks)
    target = tmp_path / "dataset.csv"
    result = run("-o", str(target))
    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    assert list(tmp_path.iterdir()) == []  # no file under the final name, no temp file


def test_a_failure_keeps_the_previous_file(run, reviewed, tmp_path, monkeypatch):
    reviewed()
    target = tmp_path / "dataset.csv"
    target.write_text("previous export\n")

    def failing_chunks(session, fmt, filters, **kw):
        raise RuntimeError("database gone")
        yield  # pragma: no cover

    monkeypatch.setattr(export, "chunks", failing_chunks)
    assert run("-o", str(target)).exit_code != 0
    assert target.read_text() == "previous export\n"
    assert list(tmp_path.iterdir()) == [target]
