"""The dataset carries the evidence: CSV ``source_stances``, JSON Lines citations with
their excerpts and each excerpt's capture."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Annotation, Capture, Status
from factcheck.services import export

TEXT = "Selon l'Insee, le taux est passé de 7,4 % à 7,3 %."
QUOTE = "le taux est passé de 7,4 % à 7,3 %"


def _approved_claim_with_evidence(client, login, annotator, make, pages) -> tuple[int, Capture]:
    url = pages.route("/insee", TEXT, content_type="text/plain; charset=utf-8")
    blog = pages.route("/avis", "Un avis.", content_type="text/plain")
    article = make.article(text="Le ministre : « Le chômage a baissé. »")
    login(annotator)
    first = {
        "start": 14, "end": 34, "quote": article.text[14:34], "claim": "Le chômage a baissé.",
        "sources": [{"url": url}, {"url": blog, "stance": "context"}],
    }  # fmt: skip
    created = client.post(f"/api/v1/articles/{article.id}/annotations", json=first).get_json()
    source_id = created["sources"][0]["source_id"]
    db.session.commit()  # a new transaction sees what the capture task wrote
    capture = db.session.scalar(select(Capture).where(Capture.source_id == source_id))
    start = TEXT.index(QUOTE)
    excerpt = {"capture_id": capture.id, "start": start, "end": start + len(QUOTE), "quote": QUOTE}
    sources = [
        {"url": url, "stance": "supports", "excerpts": [excerpt]},
        {"url": blog},
    ]
    response = client.patch(
        f"/api/v1/annotations/{created['id']}", json={"sources": sources, "version": 1}
    )
    assert response.status_code == 200, response.get_json()
    annotation = db.session.get(Annotation, created["id"])
    annotation.status = Status.APPROVED
    db.session.commit()
    return annotation.id, capture


def test_csv_appends_source_stances_in_the_order_of_source_urls(
    client, login, annotator, make, pages
):
    annotation_id, _capture = _approved_claim_with_evidence(client, login, annotator, make, pages)
    filters = export.parse_filters({})
    data = b"".join(chunk for _n, chunk in export.csv_batches(db.session, filters))
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert header.index("source_stances") > header.index("source_urls")
    cells = dict(zip(header, row, strict=True))
    assert cells["annotation_id"] == str(annotation_id)
    assert cells["source_urls"].split(" ")[1].endswith("/avis")
    assert cells["source_stances"] == "supports -"
    safe = b"".join(c for _n, c in export.csv_batches(db.session, filters, spreadsheet_safe=True))
    assert safe.decode().rstrip("\r\n").endswith(",supports -,,,,,")  # no ' before a stance


def test_jsonl_carries_citations_with_excerpts_and_their_capture(
    client, login, annotator, make, pages
):
    annotation_id, capture = _approved_claim_with_evidence(client, login, annotator, make, pages)
    filters = export.parse_filters({})
    data = b"".join(chunk for _n, chunk in export.jsonl_batches(db.session, filters))
    (record,) = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    first, second = record["sources"]
    assert first["stance"] == "supports" and second["stance"] is None
    assert second["excerpts"] == [] and isinstance(second["source_id"], int)
    (excerpt,) = first["excerpts"]
    assert excerpt["quote"] == QUOTE and excerpt["capture_id"] == capture.id
    assert excerpt["capture"] == {
        "sha256": capture.sha256,
        "fetched_at": capture.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "url": capture.url,
    }
    assert TEXT[excerpt["start"] : excerpt["end"]] == QUOTE
