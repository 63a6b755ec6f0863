"""The desk's memory in the exports (issue 26): the CSV appends claimant_id, claim_date,
claim_medium, appearances and published_url after the last older column; JSON Lines
carries the same with appearances as objects. Read with the csv module, as a user would."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

from factcheck.extensions import db
from factcheck.models import Appearance, Claimant, ClaimMedium
from factcheck.services import export

NEW = ["claimant_id", "claim_date", "claim_medium", "appearances", "published_url"]


def _claim(make, reviewed):
    claimant = Claimant(name="Sophie Martin", folded="sophie martin", same_as=[])
    make.session.add(claimant)
    make.session.commit()
    annotation = reviewed(
        claimant_id=claimant.id,
        claim_date=date(2026, 11, 3),
        claim_medium=ClaimMedium.PRESS_RELEASE,
        published_url="https://desk.example/fc/1",
        published_at=datetime(2026, 11, 26, 9, 0, 1, tzinfo=UTC),
    )
    for position, (url, first) in enumerate(
        [("https://b.example/x,y", False), ("=https://a.example/", True)]
    ):
        make.session.add(
            Appearance(
                annotation_id=annotation.id,
                position=position,
                url=url,
                first=first,
                date=date(2026, 11, 1 + position),
                note="sur « X »" if first else "",
            )
        )
    make.session.commit()
    return claimant, annotation


def _csv(safe: bool = False) -> tuple[list[str], list[list[str]]]:
    filters = export.parse_filters({})
    data = b"".join(c for _n, c in export.csv_batches(db.session, filters, spreadsheet_safe=safe))
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return header, rows


def test_the_csv_appends_the_new_columns_in_order_after_source_stances(app_ctx, make, reviewed):
    claimant, annotation = _claim(make, reviewed)
    header, rows = _csv()
    at = header.index("source_stances")
    assert header[at + 1 :] == NEW
    (row,) = rows
    cells = dict(zip(header, row, strict=True))
    assert cells["annotation_id"] == str(annotation.id)
    assert [cells[name] for name in NEW] == [
        str(claimant.id),
        "2026-11-03",
        "press_release",
        "https://b.example/x,y =https://a.example/",  # position order, one space
        "https://desk.example/fc/1",
    ]


def test_empty_desk_fields_are_empty_cells(app_ctx, reviewed):
    reviewed()
    header, (row,) = _csv()
    assert row[-len(NEW) :] == [""] * len(NEW)


def test_spreadsheet_safe_mode_neutralizes_an_appearance_but_not_a_date(app_ctx, make, reviewed):
    _claim(make, reviewed)
    header, (row,) = _csv(safe=True)
    cells = dict(zip(header, row, strict=True))
    assert cells["appearances"] == "https://b.example/x,y =https://a.example/"  # starts with h
    assert cells["claim_date"] == "2026-11-03" and cells["claimant_id"].isdigit()
    make.session.execute(Appearance.__table__.delete())
    make.session.add(Appearance(annotation_id=int(cells["annotation_id"]), url="=cmd|x"))
    make.session.commit()
    header, (row,) = _csv(safe=True)
    assert dict(zip(header, row, strict=True))["appearances"] == "'=cmd|x"
    header, (row,) = _csv(safe=False)
    assert dict(zip(header, row, strict=True))["appearances"] == "=cmd|x"  # exact by default


def test_json_lines_carry_them_with_appearances_as_objects(app_ctx, make, reviewed):
    claimant, _annotation = _claim(make, reviewed)
    filters = export.parse_filters({})
    data = b"".join(c for _n, c in export.jsonl_batches(db.session, filters))
    (record,) = [json.loads(line) for line in data.decode().splitlines()]
    assert record["claimant_id"] == claimant.id
    assert (record["claim_date"], record["claim_medium"]) == ("2026-11-03", "press_release")
    assert record["appearances"] == [
        {"url": "https://b.example/x,y", "date": "2026-11-01", "note": "", "first": False},
        {"url": "=https://a.example/", "date": "2026-11-02", "note": "sur « X »", "first": True},
    ]
    assert record["published_url"] == "https://desk.example/fc/1"
    assert record["published_at"] == "2026-11-26T09:00:01Z"


def test_json_lines_of_a_claim_without_them(app_ctx, reviewed):
    reviewed()
    data = b"".join(c for _n, c in export.jsonl_batches(db.session, export.parse_filters({})))
    record = json.loads(data)
    assert [record[k] for k in NEW] == [None, None, None, [], None]
    assert record["published_at"] is None
