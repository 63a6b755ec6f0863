"""The scores behind the suggestions: a known claim's pair score and its threshold, the
rule features, the learned model and when it takes over."""

from __future__ import annotations

import numpy as np
import pytest

from factcheck.extensions import db
from factcheck.models import Status
from factcheck.services.reading import known, learned, suggestions, worth

CLAIM = "Le chômage a baissé de 20 % en France entre 2017 et 2022."


def _score(sentence: str, claim: str = CLAIM, cosine: float | None = None) -> float:
    return known.pair_score(
        known.sentence(sentence), cosine, known.prepare("factcheck", 1, claim, "u")
    )


def test_a_repeat_scores_above_the_default_threshold_and_an_unrelated_sentence_below():
    repeat = "Il a affirmé que le chômage a baissé de 20 % en France entre 2017 et 2022."
    assert _score(repeat) >= known.DEFAULT_THRESHOLD
    assert _score("La salle a longuement applaudi le candidat.") < known.DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    "lookalike",
    [
        "Il a affirmé que le chômage a baissé de 35 % en France entre 2017 et 2022.",  # figure
        "Il a affirmé que le chômage a augmenté de 20 % en France entre 2017 et 2022.",  # way
    ],
)
def test_another_figure_or_the_other_way_loses_a_share(lookalike):
    repeat = "Il a affirmé que le chômage a baissé de 20 % en France entre 2017 et 2022."
    assert _score(lookalike) < _score(repeat) * 0.7
    assert _score(lookalike, cosine=0.93) < known.DEFAULT_THRESHOLD


def test_numbers_in_words_are_figures_and_agree_across_languages():
    assert known.figures_of("Un Français sur trois renonce") == known.figures_of("one in three")
    claim = "Un Français sur trois renonce à se soigner."
    assert _score("Un Français sur dix renonce à se soigner.", claim) < _score(
        "Un Français sur trois renonce à se soigner, dit-elle.", claim
    )


def test_other_names_in_a_near_copy_lose_a_share():
    claim = "Emmanuel Macron a été réélu avec 58 % des voix."
    same = _score("Selon lui, Emmanuel Macron a été réélu avec 58 % des voix.", claim)
    other = _score("Selon lui, Marine Le Pen a été réélue avec 58 % des voix.", claim)
    assert other < same * 0.75


def test_the_model_carries_a_translation_that_shares_few_words():
    claim = "Putin did not interfere in the US election."
    sentence = "Poutine ne s'est pas mêlé de l'élection américaine, a-t-il dit."
    assert _score(sentence, claim, cosine=0.93) >= known.DEFAULT_THRESHOLD
    assert _score(sentence, claim, cosine=0.80) < known.DEFAULT_THRESHOLD


def test_best_matches_picks_the_claim_repeated():
    claims = [
        known.prepare("factcheck", 1, CLAIM, "a"),
        known.prepare("factcheck", 2, "Le prix de l'essence a doublé depuis 2020.", "b"),
    ]
    sentences = [
        known.sentence("Selon lui, le prix de l'essence a doublé depuis 2020."),
        known.sentence("Il pleuvait sur Lille."),
    ]
    best = known.best_matches(sentences, None, claims)
    assert best[0][1].target == "b" and best[1] is None


def test_the_project_threshold_or_the_default(make, app_ctx):
    from factcheck.services import projects

    project = projects.default_project(db.session)
    assert suggestions.threshold(project) == known.DEFAULT_THRESHOLD
    project.known_claim_threshold = 0.8
    assert suggestions.threshold(project) == 0.8


@pytest.mark.parametrize(
    ("sentence", "present", "absent"),
    [
        (
            "Selon l'Insee, le chômage a baissé de 20 % en 2023.",
            {"figure", "year", "source", "comparison"},
            {"question"},
        ),
        (
            "Unemployment fell to its lowest level since 1975, the minister said.",
            {"year", "source", "superlative", "comparison"},
            {"figure"},
        ),
        ("Pourquoi le gouvernement ment-il ?", {"question"}, {"figure", "source"}),
        ("Je pense que c'est une bonne idée pour tout le monde.", {"opinion"}, {"figure"}),
        ("Bonjour.", {"short"}, {"length"}),
        ("La moitié des jeunes abandonnent, d'après un rapport.", {"figure", "source"}, {"year"}),
    ],
)
def test_rule_features(sentence, present, absent):
    values = worth.features(sentence)
    assert set(values) == set(worth.NAMES)
    assert {n for n in present if values[n] == 1.0} == present
    assert {n for n in absent if values[n] == 0.0} == absent


def test_rule_score_ranks_a_statistic_above_a_scene_and_stays_in_range():
    statistic = worth.rules_score("Selon l'Insee, le chômage a baissé de 20 % en 2023, un record.")
    scene = worth.rules_score("Les brancards s'alignent dans le couloir.")
    assert 0.0 <= scene < statistic <= 1.0
    assert worth.rules_score("Pourquoi ?") == 0.0
    assert worth.rules_score("🎉" * 5000) == 0.0


def test_logistic_regression_learns_a_separable_rule():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(200, 5))
    y = (x[:, 0] - 0.5 * x[:, 2] > 0).astype(float)
    model = learned.fit(x, y, l2=0.1)
    accuracy = np.mean((model.predict(x) > 0.5) == (y == 1))
    assert accuracy > 0.95
    assert model.weights[0] > 0 > model.weights[2]
    constant = learned.fit(np.ones((10, 3)), np.array([0, 1] * 5, dtype=float))
    assert np.allclose(constant.predict(np.ones((2, 3))), 0.5, atol=1e-3)  # no NaN


def _article_with_claims(make, author, n):
    """An article whose even sentences became approved claims: n positives, n negatives."""
    claims = [f"Le chômage a baissé de {i} % en {2000 + i} selon l'Insee." for i in range(n)]
    scenes = [f"La salle numéro {i} était pleine de monde." for i in range(n)]
    text = " ".join(c + " " + s for c, s in zip(claims, scenes, strict=True))
    article = make.article(text)
    for claim in claims:
        start = text.index(claim)
        make.annotation(
            article=article,
            author=author,
            start=start,
            end=start + len(claim),
            status=Status.APPROVED,
        )
    return article


def test_the_learned_score_serves_from_30_positives_and_30_negatives(make, app_ctx):
    learned.forget()
    author = make.user("bob")
    _article_with_claims(make, author, learned.MIN_POSITIVES - 1)
    article = make.article("Le prix a augmenté de 5 % en 2023. Il faisait beau sur la plage.")
    row = suggestions.compute(db.session, article, {"MATCHING_MODEL": ""})
    assert row.model == "rules"
    _article_with_claims(make, author, 2)
    row = suggestions.compute(db.session, article, {"MATCHING_MODEL": ""})
    assert row.model == "learned"
    worth_items = row.payload["worth_checking"]
    assert [article.text[w["start"] : w["end"]] for w in worth_items][:1] == [
        "Le prix a augmenté de 5 % en 2023."
    ]
    learned.forget()
