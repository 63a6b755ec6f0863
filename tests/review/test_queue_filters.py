"""The queue's filters are lists to pick from, and "Next" (and every decision) stays inside
the active filter (issue 14)."""

from __future__ import annotations

from factcheck.extensions import db
from factcheck.models import Annotation, Status


def test_the_filters_offer_articles_and_annotators_by_name(client, login, make, cast, submitted):
    submitted(1)
    other = make.article(title="Un autre article")
    make.annotation(article=other, author=cast.reviewer2, status=Status.SUBMITTED)
    make.session.commit()
    login(cast.reviewer)
    html = client.get("/review/").get_data(as_text=True)
    assert "Article id" not in html
    assert f'<option value="{other.id}">Un autre article</option>' in html
    assert f'<option value="{cast.article.id}">Le chômage</option>' in html
    assert '<option value="anna">Anna (anna)</option>' in html
    assert '<option value="remi">Rémi (remi)</option>' in html
    assert 'type="number"' not in html


def test_next_keeps_the_active_filter(client, login, make, cast, submitted):
    older = submitted(2)  # the oldest two, on "Le chômage"
    other = make.article(title="Un autre article")
    wanted = make.annotation(article=other, author=cast.annotator, status=Status.SUBMITTED)
    make.session.commit()
    wanted_id, older_ids = wanted.id, [a.id for a in older]
    login(cast.reviewer)
    client.get(f"/review/?article={other.id}")
    response = client.post("/review/next")
    assert response.headers["Location"] == f"/review/{wanted_id}"
    # deciding it goes on inside the filter: nothing left there, back to the filtered queue
    decided = client.post(f"/review/{wanted_id}/approve", data={"version": wanted.version})
    assert decided.headers["Location"] == f"/review/?article={other.id}"
    db.session.rollback()
    assert all(db.session.get(Annotation, i).reserved_by_id is None for i in older_ids)
    # clearing the filter: the whole queue again
    client.get("/review/")
    assert client.post("/review/next").headers["Location"] == f"/review/{older_ids[0]}"


def test_the_export_page_offers_articles_by_title(client, login, make, cast, submitted):
    submitted(1)
    login(cast.admin)
    html = client.get("/export/").get_data(as_text=True)
    assert "Article id" not in html
    assert f'<option value="{cast.article.id}" >Le chômage</option>' in html
