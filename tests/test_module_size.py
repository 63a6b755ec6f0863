"""No module of the package grows past 450 lines (STYLE.md): a longer one is split by
what it is about, as services/revisions/ and services/project_members.py were."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "factcheck"
LIMIT = 450


def test_no_module_is_over_the_limit():
    long = {
        path.relative_to(PACKAGE).as_posix(): lines
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert long == {}
