"""GET /api/v1/claims: words (accents, case, prefixes), filters, order, pagination."""

from __future__ import annotations


def search(client, **args) -> dict:
    response = client.get("/api/v1/claims", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def ids(answer) -> set[tuple[str, int]]:
    return {(item["kind"], item["id"]) for item in answer["items"]}


def test_maire_finds_maire_whatever_the_case_and_accents(client, login, desk):
    login(desk.anna)
    answer = search(client, q="maire")
    found = ids(answer)
    assert ("annotation", desk.debt.id) in found  # "Le Maire …"
    assert ("annotation", desk.housing.id) in found  # "La maire sortante …"
    assert ("annotation", desk.rejected.id) in found  # "Maire et adjoints …"
    assert ("factcheck", desk.factcheck.id) in found
    assert ("annotation", desk.taxes.id) not in found
    assert answer["total"] == len(answer["items"]) == 4
    assert search(client, q="MAÎRE")["total"] == 4
    # accents in the claim, none in the query
    assert ids(search(client, q="double dette")) == {("annotation", desk.debt.id)}


def test_a_word_prefix_finds_the_word(client, login, desk):
    login(desk.anna)
    assert ids(search(client, q="mair")) == ids(search(client, q="maire"))
    assert ids(search(client, q="imp loc")) == {("annotation", desk.taxes.id)}
    # every word must be found
    assert ids(search(client, q="maire impots")) == set()


def test_items_are_shaped_like_similar_ones_plus_claimant_date_and_project(client, login, desk):
    login(desk.anna)
    item = next(i for i in search(client, q="doublé dette")["items"])
    assert item["kind"] == "annotation" and item["id"] == desk.debt.id
    assert item["claim"] == "Le Maire a doublé la dette de la ville"
    assert item["claimant"] == "Le Maire"
    assert item["claimant_id"] == desk.mayor.id
    assert item["verdict"] == "false" and item["verdict_label"] == "False"
    assert item["status"] == "approved"
    assert item["url"] == f"/review/{desk.debt.id}"
    assert item["language"] == "fr"
    assert item["claim_date"] == "2024-03-10"
    assert item["project"] == "default"
    assert item["checked_at"].endswith("Z")
    assert 0 < item["score"] <= 1
    fact = search(client, q="menti")["items"][0]
    assert fact["kind"] == "factcheck"
    assert fact["url"] == "https://checks.example.org/maire-dette"
    assert fact["status"] == "published"
    assert fact["verdict"] == "false"
    assert fact["claim_date"] == "2023-05-01"
    assert fact["project"] is None


def test_filters(client, login, desk):
    login(desk.anna)
    assert ids(search(client, q="maire", verdict="false")) == {
        ("annotation", desk.debt.id),
        ("factcheck", desk.factcheck.id),
    }
    assert ids(search(client, q="maire", kind="factcheck")) == {("factcheck", desk.factcheck.id)}
    assert ids(search(client, q="maire", status="submitted")) == {("annotation", desk.housing.id)}
    assert ids(search(client, status="rejected")) == {("annotation", desk.rejected.id)}
    assert ids(search(client, language="en", kind="annotation")) == {("annotation", desk.taxes.id)}
    assert ids(search(client, project="default", q="maire")) == {
        ("annotation", desk.debt.id),
        ("annotation", desk.housing.id),
        ("annotation", desk.rejected.id),
    }
    dated = search(client, **{"from": "2024-01-01", "to": "2024-04-30"})
    assert ids(dated) == {("annotation", desk.debt.id)}
    fact_dated = search(client, **{"from": "2023-04-01", "to": "2023-05-01", "kind": "factcheck"})
    assert ids(fact_dated) == {("factcheck", desk.factcheck.id)}


def test_claimant_by_id_or_by_name_and_alias(client, login, desk):
    login(desk.anna)
    by_id = search(client, claimant=str(desk.mayor.id))
    assert ids(by_id) == {
        ("annotation", desk.debt.id),
        ("annotation", desk.housing.id),
        ("factcheck", desk.factcheck.id),  # its claimant is written "Le Maire", an alias
    }
    # a name matches as the suggestions do: a prefix of the folded name or of an alias
    assert ids(search(client, claimant="sophie")) == ids(by_id)
    assert ids(search(client, claimant="LE MAI")) == ids(by_id)
    assert ids(search(client, claimant="martin")) == ids(by_id)  # a later word, too
    assert ids(search(client, claimant="Jean Dupont", kind="annotation")) == {
        ("annotation", desk.taxes.id),
        ("annotation", desk.rejected.id),
    }
    assert search(client, claimant="Nobody Known")["total"] == 0


def test_order_by_date_and_by_relevance(client, login, desk):
    login(desk.anna)
    by_date = search(client, q="maire", order="date")["items"]
    days = [item["claim_date"] for item in by_date]
    assert days == ["2024-06-01", "2024-03-10", "2023-05-01", None]  # undated last
    by_relevance = search(client, q="maire dette")["items"]
    assert {(i["kind"], i["id"]) for i in by_relevance} == {
        ("annotation", desk.debt.id),
        ("factcheck", desk.factcheck.id),
    }
    no_words = search(client)["items"]
    assert no_words[0]["claim_date"] == "2024-06-01"  # without words: latest first


def test_pages(client, login, desk):
    login(desk.anna)
    everything = search(client, order="date", per_page=100)
    assert everything["total"] == len(everything["items"]) == 6
    first = search(client, order="date", per_page=4)
    second = search(client, order="date", per_page=4, page=2)
    assert first["total"] == second["total"] == 6
    assert len(first["items"]) == 4 and len(second["items"]) == 2
    assert [i["id"] for i in first["items"] + second["items"]] == [
        i["id"] for i in everything["items"]
    ]
    assert search(client, order="date", per_page=4, page=3)["items"] == []


def test_the_distribution_counts_the_whole_result(client, login, desk):
    login(desk.anna)
    answer = search(client, q="maire", per_page=1)
    assert len(answer["items"]) == 1
    assert answer["verdicts"] == {"false": 2, "misleading": 1, "mixed": 1}
    assert sum(answer["verdicts"].values()) == answer["total"]
