"""The learned ranking of "Checked before?": its features on hand-made pairs (a year is not
a figure, shared names, character trigrams), its weights, the order it gives, and the
floor under which suggestions are hidden and counted."""

from __future__ import annotations

import json

import pytest

from factcheck.models import FactCheck, Role
from factcheck.services import matching
from factcheck.services.matching import ranking
from factcheck.services.matching.text import figures, figures_conflict, years


@pytest.mark.parametrize(
    ("text", "stated", "named_years"),
    [
        ("Le chômage a baissé de 20 % en 2017.", ("20",), ("2017",)),
        ("Nantes a planté 15 000 arbres depuis 2020.", ("15000",), ("2020",)),
        ("2 000 logements sociaux d'ici 2028", ("2000",), ("2028",)),
        ("The minimum wage is 2020 euros a month.", ("2020",), ()),  # an amount
        ("Prices rose 1900 % in 1923.", ("1900",), ("1923",)),
        ("Le pont de Normandie a été inauguré en 1995.", (), ("1995",)),
        ("Between 1998 and 2008, 50 schools closed.", ("50",), ("1998", "2008")),
    ],
)
def test_a_year_is_not_a_figure(text, stated, named_years):
    assert figures(text) == stated
    assert years(text) == named_years


def test_figures_do_not_differ_against_a_year():
    """The complaint: "Figures differ: 50 here, against 2020" on an unrelated claim."""
    mine = figures("Half of the 50 states expanded Medicaid.")
    theirs = figures("Medicaid was expanded in 2020.")
    assert theirs == ()
    assert figures_conflict(mine, theirs) is False
    # two years are compared as years, not figures
    a, b = ranking.analyse("Burglaries fell in 2022."), ranking.analyse("Burglaries fell in 2021.")
    row = ranking.features(a, b, ranking.Signals(0.9, 1, 1.0, 1), 0.9)
    named = dict(zip(ranking.FEATURES, row, strict=True))
    assert named["years_conflict"] == 1.0 and named["figures_conflict"] == 0.0


def _named(query: str, claim: str, **signals) -> dict:
    row = ranking.features(
        ranking.analyse(query),
        ranking.analyse(claim),
        ranking.Signals(
            **({"cosine": 0.8, "cosine_rank": 2, "lexical": 0.5, "lexical_rank": 3} | signals)
        ),
        0.9,
    )
    return dict(zip(ranking.FEATURES, row, strict=True))


def test_shared_names_are_capitalised_words_not_the_first_one():
    # the first word is left out: every sentence starts with a capital
    assert ranking.analyse("Vladimir Putin met Emmanuel Macron at Versailles.").names == {
        "putin",
        "emmanuel",
        "macron",
        "versailles",
    }
    assert ranking.analyse("Le chômage a baissé.").names == frozenset()
    assert ranking.analyse("OMS : la pandémie est finie.").names == {"oms"}  # an acronym
    assert ranking.analyse("La piscine de Roubaix ferme l'été.").names == {"roubaix"}
    same = _named("La piscine de Roubaix ferme.", "The pool of Roubaix will close.")
    other = _named("La piscine de Roubaix ferme.", "La piscine de Tourcoing ferme.")
    assert same["names_shared"] == 1.0 and same["names_conflict"] == 0.0
    assert other["names_shared"] == 0.0 and other["names_conflict"] == 1.0


def test_trigram_similarity_on_folded_text():
    identical = _named("Le prix du gazole a augmenté.", "LE PRIX DU GAZOLE A AUGMENTÉ !")
    near = _named("Le prix du gazole a augmenté.", "Le prix de l'essence a augmenté.")
    unrelated = _named("Le prix du gazole a augmenté.", "Bees pollinate a third of our food.")
    assert identical["trigrams"] == 1.0
    assert 0.2 < near["trigrams"] < 1.0
    assert unrelated["trigrams"] < near["trigrams"]
    assert identical["same_language"] == 1.0 and unrelated["same_language"] == 0.0
    assert unrelated["cosine_across"] == pytest.approx(0.8)


def test_the_weights_load_with_their_features_date_and_commit():
    model = ranking.load()
    assert model is not None
    data = json.loads(ranking.WEIGHTS.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == ranking.FEATURES
    assert data["fitted_on"] == "bench/data/matching_dev.json"
    assert len(data["commit"]) == 40 and data["fitted_at"].endswith("Z")
    for mode in ("semantic", "lexical"):
        assert len(data["modes"][mode]["weights"]) == len(ranking.FEATURES)
        assert 0 <= model.floor(mode == "semantic") < 1
    (score,) = model.score([[0.5] * len(ranking.FEATURES)], semantic=True)
    assert 0 < score < 1


def test_weights_fitted_on_other_features_are_not_used(tmp_path):
    data = json.loads(ranking.WEIGHTS.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    (tmp_path / "old.json").write_text(json.dumps(data))
    assert ranking.load(str(tmp_path / "old.json")) is None
    assert ranking.load(str(tmp_path / "missing.json")) is None


def _factchecks(db, claims: dict[str, str]) -> dict[str, int]:
    rows = {
        key: FactCheck(url=f"https://fc.example.org/{key}", claim=text)
        for key, text in claims.items()
    }
    db.session.add_all(rows.values())
    db.session.commit()
    return {key: row.id for key, row in rows.items()}


QUERY = "Le chômage des jeunes a baissé de 20 % en 2022."
CLAIMS = {
    "same": "Youth unemployment fell by 20 percent in 2022.",
    "figure": "Le chômage des jeunes a baissé de 12 % en 2022.",
    "year": "Le chômage des jeunes a baissé de 20 % en 2012.",
    "place": "Bees pollinate a third of the food we eat.",
}


def test_a_true_rewording_ranks_above_a_near_copy_changing_a_figure(
    app, client, login, make, index, monkeypatch
):
    from factcheck.extensions import db

    with app.app_context():
        ids = _factchecks(db, CLAIMS)
    index()
    login(make.user("alice", roles=[Role.ANNOTATOR]))

    def order():
        answer = client.get(
            "/api/v1/claims/similar", query_string={"text": QUERY, "limit": 10}
        ).get_json()
        return [item["id"] for item in answer["items"]], answer

    first, answer = order()
    assert first[0] == ids["same"]
    assert first.index(ids["same"]) < first.index(ids["figure"])
    assert answer["items"][0]["score"] > answer["items"][1]["score"]
    # the routes alone, and the penalty of old, would put the French near copy first
    monkeypatch.setattr(ranking, "load", lambda path=None: None)
    monkeypatch.setattr(matching, "FIGURES_PENALTY", 0.0)
    monkeypatch.setattr(matching, "DIRECTION_PENALTY", 0.0)
    before, answer = order()
    assert before[0] != ids["same"]
    assert answer["hidden"] == 0  # no floor without the learned ranking


def test_suggestions_under_the_floor_are_hidden_and_counted(
    app, client, login, make, index, monkeypatch, tmp_path
):
    from factcheck.extensions import db

    with app.app_context():
        ids = _factchecks(db, CLAIMS)
    index()
    login(make.user("alice", roles=[Role.ANNOTATOR]))

    def ask(**extra):
        return client.get(
            "/api/v1/claims/similar", query_string={"text": QUERY, "limit": 10} | extra
        ).get_json()

    every = ask()
    model = ranking.load()
    floor = model.floor(True)
    assert all(item["score"] >= floor for item in every["items"])
    with app.app_context():
        from factcheck.models import User

        user = db.session.query(User).filter_by(username="alice").one()
        shown = matching.similar(db.session, user, QUERY, config=app.config, floor=0.0)
    # the service shows everything when asked to (H4's sentence matching may)
    assert shown["hidden"] == 0 and len(shown["items"]) >= 3
    assert every["hidden"] == len(shown["items"]) - len(every["items"])
    assert [i["id"] for i in every["items"]] == [i["id"] for i in shown["items"]][
        : len(every["items"])
    ]
    # a floor between the first two: only the first stays, the others are counted
    scores = [item["score"] for item in shown["items"]]
    assert scores[0] > scores[1]
    data = json.loads(ranking.WEIGHTS.read_text(encoding="utf-8"))
    data["modes"]["semantic"]["floor"] = (scores[0] + scores[1]) / 2
    (tmp_path / "ranking.json").write_text(json.dumps(data))
    monkeypatch.setattr(ranking, "WEIGHTS", tmp_path / "ranking.json")
    ranking.load.cache_clear()
    try:
        answer = ask()
        assert [item["id"] for item in answer["items"]] == [ids["same"]]
        assert answer["hidden"] == len(shown["items"]) - 1
    finally:
        ranking.load.cache_clear()
