"""Export file names carry the format, the mode and the filters (issue 14): the two CSV
downloads never get the same name."""

from factcheck.models import Role


def disposition(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.headers["Content-Disposition"]


def test_names_say_format_mode_and_filters(client, login, make):
    admin = make.user(roles=[Role.ADMIN])
    article = make.article()
    login(admin)
    excel = disposition(client, "/export/download.csv")
    exact = disposition(client, "/export/download.csv?mode=exact")
    assert excel != exact
    assert excel.endswith('-approved-excel.csv"') and exact.endswith('-approved-exact.csv"')
    filtered = disposition(
        client,
        f"/export/download.jsonl?status=all&article={article.id}&verdict=false"
        "&from=2026-01-01&to=2026-02-01",
    )
    assert filtered.endswith(
        f'-all-article-{article.id}-verdict-false-from-2026-01-01-to-2026-02-01-exact.jsonl"'
    )
    api = disposition(client, "/api/v1/export.claimreview.json?status=approved,rejected")
    assert api.endswith('-approved+rejected-exact.claimreview.json"')


def test_claimreview_speaks_the_claims_language(client, login, make):
    import json

    from factcheck.models import Status

    admin = make.user(roles=[Role.ADMIN])
    french = make.article(language="fr")
    english = make.article(language="en")
    make.annotation(article=french, status=Status.APPROVED, verdict="false")
    make.annotation(article=english, status=Status.APPROVED, verdict="false")
    login(admin)
    reviews = json.loads(client.get("/api/v1/export.claimreview.json").get_data(as_text=True))
    by_language = {r["inLanguage"]: r["reviewRating"]["alternateName"] for r in reviews}
    assert by_language == {"fr": "Faux", "en": "False"}
    jsonl = client.get("/api/v1/export.jsonl").get_data(as_text=True)
    assert "_article_language" not in jsonl and "_verdict_label_fr" not in jsonl
