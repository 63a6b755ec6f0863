"""The Claims page: a GET form, the result with verdict chips, the distribution chart,
the CSV link, pages; in the navigation of every signed-in user; French labels."""

from __future__ import annotations

import re

from factcheck.extensions import db


def page(client, **args) -> str:
    response = client.get("/claims", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def test_the_page_finds_claims_by_words(client, login, desk):
    login(desk.anna)
    html = page(client, q="maire")
    assert "Le Maire a doublé la dette de la ville" in html
    assert "La maire sortante promet 500 logements" in html
    assert "Les impôts locaux ont baissé" not in html
    assert "Le maire cache un rapport" not in html  # bob's draft
    assert "Lyon" not in html  # another project
    assert re.search(r'<input type="search" id="q" name="q" value="maire" autofocus', html)
    assert f'href="/review/{desk.debt.id}"' in html
    assert 'href="https://checks.example.org/maire-dette"' in html
    # the verdict chart, colours as SVG attributes, never style attributes (CSP)
    assert '<svg class="chart"' in html and 'fill="#c62828"' in html
    assert "style=" not in html
    assert "<script>" not in html
    # the CSV of the same search, spreadsheet-safe
    link = re.search(r'href="(/api/v1/claims\.csv\?[^"]+)"', html).group(1).replace("&amp;", "&")
    assert "q=maire" in link and "spreadsheet_safe=1" in link
    csv = client.get(link)
    assert csv.status_code == 200
    assert csv.get_data(as_text=True).startswith("\ufeffkind,id,claim")


def test_filters_and_pages_work_without_javascript(client, login, desk):
    login(desk.anna)
    html = page(client, q="maire", verdict="false")
    assert "Le Maire a doublé la dette" in html
    assert "sortante" not in html
    assert '<option value="false" selected>' in html
    paged = page(client, order="date", per_page=2, page=2)
    assert 'rel="prev"' in paged and 'rel="next"' in paged
    assert "Page 2 of 3" in paged


def test_bad_input_says_what_is_wrong(client, login, desk):
    login(desk.anna)
    response = client.get("/claims", query_string={"from": "yesterday", "q": "maire"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "from: a date written YYYY-MM-DD" in html
    assert 'value="maire"' in html


def test_every_signed_in_user_has_it_in_the_navigation(client, login_as, make, desk):
    reader = make.user("reader", roles=[])
    for user in (desk.anna, desk.rita, reader):
        login_as(user)
        assert 'href="/claims"' in client.get("/").get_data(as_text=True)
    assert client.get("/claims").status_code == 200  # a member of no project: nothing found


def test_signed_out_goes_to_the_login(client, desk):
    response = client.get("/claims")
    assert response.status_code in (302, 401)


def test_french_labels(client, login, desk):
    desk.anna.locale = "fr"
    db.session.commit()
    login(desk.anna)
    html = page(client, q="maire")
    assert "Faux" in html  # the verdict's French label


def test_the_hidden_verdict_option_only_for_blind_reviewers(client, login_as, desk, blind):
    login_as(desk.rita)
    html = page(client, q="sortante")
    assert 'value="hidden"' in html
    assert "Verdict hidden until you give yours" in html
    assert "Trompeur" not in html and "Misleading</span>" not in html
    login_as(desk.anna)
    assert 'value="hidden"' not in page(client)
