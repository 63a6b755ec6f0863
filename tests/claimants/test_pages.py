"""Claimants pages: the list, a claimant's page, editing and merging through the forms."""

from __future__ import annotations

from datetime import date

import pytest

from factcheck.extensions import db
from factcheck.models import Annotation, Claimant, Role, Status


def test_the_list_searches_and_shows_duplicates_to_admins_only(client, make, login_as, claimant):
    one, two = claimant("Le maire"), claimant("le Maire")
    claimant("Hélène Dupont")
    login_as(make.user(roles=[Role.ANNOTATOR]))
    page = client.get("/claimants")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Hélène Dupont" in html and "Likely duplicates" not in html
    found = client.get("/claimants?q=helene").get_data(as_text=True)
    assert "Hélène Dupont" in found and f"claimant-{one.id}" not in found
    login_as(make.user(roles=[Role.ADMIN]))
    html = client.get("/claimants").get_data(as_text=True)
    assert "Likely duplicates" in html
    assert f"/claimants/{two.id}/merge?into={one.id}" in html
    assert 'href="/claimants"' in client.get("/admin/users").get_data(as_text=True)


def test_the_claimant_page_groups_claims_by_verdict_with_a_chart(
    client, make, login, claimant, claim
):
    who = claimant(
        "Le maire", aliases=["M. le maire"], same_as=["https://www.wikidata.org/wiki/Q1"]
    )
    claim(
        who,
        status=Status.APPROVED,
        verdict="false",
        claim="Le chômage a baissé de moitié.",
        claim_date=date(2026, 1, 10),
    )
    claim(
        who,
        status=Status.APPROVED,
        verdict="true",
        claim="La dette a augmenté.",
        claim_date=date(2026, 3, 2),
    )
    secret = claim(who, status=Status.DRAFT, claim="Un brouillon privé.")
    login(make.user(roles=[Role.REVIEWER]))
    page = client.get(f"/claimants/{who.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Le chômage a baissé de moitié." in html and "La dette a augmenté." in html
    assert secret.claim not in html
    assert 'id="group-false"' in html and 'id="group-true"' in html
    assert html.count('class="segment v-') == 2
    assert "2026-01" in html and "2026-03" in html
    assert "M. le maire" in html and "https://www.wikidata.org/wiki/Q1" in html
    assert 'style="' not in html.split("<main", 1)[1]  # strict CSP: no inline style
    assert 'id="claimant-edit"' not in html  # a reviewer does not edit claimants


def test_blind_verdicts_stay_hidden_on_the_claimant_page(
    client, make, login, claimant, claim, blind
):
    who = claimant("Le maire")
    claim(who, status=Status.SUBMITTED, verdict="false")
    login(make.user(roles=[Role.REVIEWER]))
    html = client.get(f"/claimants/{who.id}").get_data(as_text=True)
    assert 'id="group-hidden"' in html and 'id="group-false"' not in html


def test_admin_edits_and_a_stale_form_is_refused(client, make, login, claimant):
    who = claimant("Le maire")
    login(make.user(roles=[Role.PROJECT_ADMIN]))
    assert 'id="claimant-edit"' in client.get(f"/claimants/{who.id}").get_data(as_text=True)
    form = {
        "name": "Le maire de Lyon",
        "kind": "person",
        "description": "Maire",
        "aliases": "Le maire\nGrégory D.",
        "same_as": "https://example.org/m",
        "version": "1",
    }
    saved = client.post(f"/claimants/{who.id}", data=form)
    assert saved.status_code == 302
    row = db.session.get(Claimant, who.id)
    db.session.refresh(row)
    assert (row.name, row.version) == ("Le maire de Lyon", 2)
    assert sorted(a.alias for a in row.aliases) == ["Grégory D.", "Le maire"]
    stale = client.post(f"/claimants/{who.id}", data={**form, "name": "Autre"})
    assert stale.status_code == 409
    assert "changed since you opened it" in stale.get_data(as_text=True)
    bad = client.post(
        f"/claimants/{who.id}", data={**form, "version": "2", "same_as": "javascript:x"}
    )
    assert bad.status_code == 422
    assert "http or https" in bad.get_data(as_text=True)


def test_merge_confirm_says_what_moves_and_merging_moves_it(client, make, login, claimant, claim):
    kept, other = claimant("Le maire"), claimant("le Maire", aliases=["Le maire sortant"])
    moved = [claim(other, status=Status.SUBMITTED) for _ in range(3)]
    login(make.user(roles=[Role.ADMIN]))
    confirm = client.get(f"/claimants/{other.id}/merge?into={kept.id}")
    assert confirm.status_code == 200
    html = confirm.get_data(as_text=True)
    assert "3 claims you can see move" in html
    assert "le Maire, Le maire sortant" in html
    done = client.post(f"/claimants/{other.id}/merge", data={"into": kept.id, "version": "1"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/claimants/{kept.id}")
    assert {db.session.get(Annotation, a.id).claimant_id for a in moved} == {kept.id}
    again = client.post(f"/claimants/{other.id}/merge", data={"into": kept.id, "version": "1"})
    assert again.status_code == 302
    assert "changed since you opened it" in client.get("/claimants").get_data(as_text=True)
    merged = client.get(f"/claimants/{other.id}").get_data(as_text=True)
    assert 'id="merged-notice"' in merged


@pytest.mark.parametrize(
    ("roles", "list_status", "merge_status"),
    [
        ([Role.ANNOTATOR], 200, 403),
        ([Role.REVIEWER], 200, 403),
        ([Role.PROJECT_ADMIN], 200, 200),
        ([], 403, 403),
    ],
)
def test_page_permissions(client, make, login, claimant, roles, list_status, merge_status):
    one, two = claimant("A"), claimant("B")
    two_id = two.id
    login(make.user(roles=roles))
    assert client.get("/claimants").status_code == list_status
    assert client.get(f"/claimants/{one.id}").status_code == list_status
    assert client.get(f"/claimants/{one.id}/merge?into={two.id}").status_code == merge_status
    posted = client.post(f"/claimants/{one.id}/merge", data={"into": two.id, "version": "1"})
    assert posted.status_code == (403 if merge_status == 403 else 302)
    db.session.expire_all()
    version = db.session.get(Claimant, two_id).version  # a merge into it bumped it
    edited = client.post(
        f"/claimants/{two_id}", data={"name": "Z", "kind": "person", "version": str(version)}
    )
    assert edited.status_code in ((403,) if merge_status == 403 else (302,))


def test_logged_out_goes_to_login(client, claimant):
    row = claimant("A")
    assert client.get("/claimants").status_code == 302
    assert "/login" in client.get(f"/claimants/{row.id}").headers["Location"]


def test_the_chart_stacks_each_months_verdicts_to_scale():
    from factcheck.claimants.chart import HEIGHT, LABEL, chart
    from factcheck.services.claimants.history import History, Month

    history = History(
        total=4,
        by_verdict={"false": 2, "true": 1, "mixed": 1},
        months=[
            Month(date(2026, 1, 1), {"false": 1}),
            Month(date(2026, 2, 1), {"false": 1, "true": 1}),
            Month(date(2026, 3, 1), {}),
            Month(date(2026, 4, 1), {"mixed": 1}),
        ],
    )
    drawn = chart(history)
    assert [b.month for b in drawn.bars] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    tallest = drawn.bars[1]
    assert [s.key for s in tallest.segments] == ["false", "true"]
    assert sum(s.height for s in tallest.segments) == HEIGHT
    assert tallest.segments[1].y == 0 and tallest.segments[0].y == HEIGHT / 2
    assert drawn.bars[2].segments == []
    assert drawn.width == drawn.bars[-1].x + 20 + LABEL
    assert chart(History()) is None
