"""``make bench`` prints each figure beside the floor and the previous committed run
(bench/compare.py): the ratios that make a regression visible on a busy machine."""

from __future__ import annotations

from bench import compare
from bench.run import verdict


def test_a_figure_is_read_against_the_floor_and_the_previous_run():
    before = {"floor.cpu_ms": 10.0, "save.sqlite.p50_ms": 5.0, "save.sqlite.rps_4": 200.0}
    # the machine is twice as slow (the CPU floor doubled), the save only 1.5× slower:
    # adjusted for the machine, the save got faster and the rate better
    now = {
        "floor.cpu_ms": 20.0,
        "floor.healthz_p50_ms": 1.5,
        "floor.healthz_rps_4": 400.0,
        "save.sqlite.p50_ms": 7.5,
        "save.sqlite.rps_4": 150.0,
    }
    assert compare.drift(now, before) == 2.0
    lines = {line.split()[0]: line.split() for line in compare.rows(now, before, verdict)[2:]}
    p50 = lines["save.sqlite.p50_ms"]
    assert p50[1:6] == ["7.50", "5.0", "5.00", "1.50", "0.75"]
    rps = lines["save.sqlite.rps_4"]
    assert rps[1:6] == ["150.00", "0.375", "200.00", "0.75", "1.50"]
    assert "MISS" in " ".join(rps)


def test_kinds_and_a_figure_never_measured_before():
    assert compare.kind("import.articles_per_s") == "rate"
    assert compare.kind("save.sqlite.rps_4") == "rate"
    assert compare.kind("page.paint_ms") == "time"
    assert compare.kind("diff.worst_page_s") == "time"
    assert compare.kind("page.asset_kb") == ""
    (line,) = [
        row
        for row in compare.rows({"page.paint_ms": 280.0}, {}, verdict)
        if row.startswith("page.paint_ms")
    ]
    assert line.split()[1] == "280.00" and "ok" in line


def test_the_run_names_its_commit():
    found = compare.identity()
    assert len(found["commit"].split("+")[0]) == 40
