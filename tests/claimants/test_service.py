"""The claimants service: suggestions, create, update, merge, duplicates, history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Annotation, Claimant, ClaimantKind, ClaimantWord, Role, Status
from factcheck.services import claimants, projects
from factcheck.services.errors import Conflict, Invalid


def names(found):
    return [s.claimant.name for s in found]


def test_suggest_finds_word_prefixes_of_names_and_aliases_ignoring_accents(claimant):
    maire = claimant("Le maire")
    claimant("Hélène Mairet")
    claimant("Sophie Martin, adjointe au maire")
    claimant("Jean-Luc Mélenchon")
    claimant("Ministère de la Santé", aliases=["Le ministère"])
    found = claimants.suggest(db.session, "MAIR")
    assert set(names(found)) == {"Le maire", "Hélène Mairet", "Sophie Martin, adjointe au maire"}
    assert names(claimants.suggest(db.session, "le ma")) == ["Le maire"]
    assert names(claimants.suggest(db.session, "melen")) == ["Jean-Luc Mélenchon"]
    assert names(claimants.suggest(db.session, "luc")) == ["Jean-Luc Mélenchon"]
    by_alias = claimants.suggest(db.session, "le minist")
    assert names(by_alias) == ["Ministère de la Santé"]
    assert by_alias[0].alias == "Le ministère"
    assert names(claimants.suggest(db.session, "sante")) == ["Ministère de la Santé"]
    assert claimants.suggest(db.session, "   ") == []
    assert claimants.suggest(db.session, "%") == []
    assert maire.id in [s.claimant.id for s in claimants.suggest(db.session, "maire", limit=1)]


def test_suggest_puts_names_starting_with_the_text_first_and_skips_merged(claimant):
    inner = claimant("Ancien maire")
    start = claimant("Maire de Lyon")
    gone = claimant("Maire de Paris", merged_into_id=None)
    gone.merged_into_id = start.id
    db.session.commit()
    assert names(claimants.suggest(db.session, "maire")) == ["Maire de Lyon", "Ancien maire"]
    assert inner.id != start.id


def test_create_checks_every_field(app_ctx):
    made = claimants.create(
        db.session,
        {
            "name": "  Sophie   Martin ",
            "kind": "person",
            "description": "adjointe au maire",
            "aliases": ["S. Martin", "s. martin", "Sophie Martin"],
            "same_as": ["https://www.wikidata.org/wiki/Q1"],
        },
    )
    db.session.commit()
    assert made.name == "Sophie Martin"
    assert [a.alias for a in made.aliases] == ["S. Martin"]  # one per spelling, not the name
    for bad, field in [
        ({"name": ""}, "name"),
        ({"name": 3}, "name"),
        ({"name": "X", "kind": "robot"}, "kind"),
        ({"name": "X", "same_as": ["javascript:alert(1)"]}, "same_as"),
        ({"name": "X", "same_as": "https://a.example"}, "same_as"),
        ({"name": "X", "aliases": [1]}, "aliases"),
        ({"name": "X", "colour": "red"}, "colour"),
        ({"kind": "person"}, "name"),
    ]:
        with pytest.raises(Invalid) as error:
            claimants.create(db.session, bad)
        assert error.value.field == field


def test_update_bumps_the_version_and_refuses_a_stale_one(claimant):
    row = claimant("Le maire")
    claimants.update_claimant(
        db.session, row, {"version": 1, "kind": "organization", "aliases": ["La mairie"]}
    )
    db.session.commit()
    assert (row.version, row.kind) == (2, ClaimantKind.ORGANIZATION)
    assert [a.alias for a in row.aliases] == ["La mairie"]
    with pytest.raises(Conflict):
        claimants.update_claimant(db.session, row, {"version": 1, "description": "x"})
    db.session.rollback()
    assert db.session.get(Claimant, row.id).description == ""
    with pytest.raises(Invalid) as error:
        claimants.update_claimant(db.session, row, {"description": "x"})
    assert error.value.field == "version"


def test_merge_moves_claims_and_aliases_in_one_go(claimant, claim):
    kept = claimant("Le maire", aliases=["M. le maire"], same_as=["https://a.example/1"])
    other = claimant("Le maire sortant", aliases=["Le sortant"], same_as=["https://b.example/2"])
    older = claimant("Maire (ancien)")
    claimants.merge(db.session, older, other.id, older.version)
    db.session.commit()
    first, second = claim(other), claim(other)
    result = claimants.merge(db.session, other, kept.id, other.version)
    db.session.commit()
    assert result.id == kept.id
    moved = db.session.scalars(
        select(Annotation.claimant_id).where(Annotation.id.in_([first.id, second.id]))
    ).all()
    assert moved == [kept.id, kept.id]
    db.session.refresh(kept)
    assert sorted(a.alias for a in kept.aliases) == sorted(
        ["M. le maire", "Le maire sortant", "Le sortant", "Maire (ancien)"]
    )
    assert kept.same_as == ["https://a.example/1", "https://b.example/2"]
    assert db.session.get(Claimant, other.id).merged_into_id == kept.id
    assert db.session.get(Claimant, older.id).merged_into_id == kept.id  # chain flattened
    assert claimants.resolve(db.session, "", older.id) == kept.id
    assert names(claimants.suggest(db.session, "sortant")) == ["Le maire"]


def test_merge_refuses_itself_a_merged_target_and_a_stale_version(claimant):
    a, b, c = claimant("A"), claimant("B"), claimant("C")
    with pytest.raises(Invalid):
        claimants.merge(db.session, a, a.id, a.version)
    claimants.merge(db.session, b, c.id, b.version)
    db.session.commit()
    with pytest.raises(Invalid) as error:
        claimants.merge(db.session, a, b.id, a.version)
    assert error.value.field == "into"
    db.session.rollback()
    with pytest.raises(Conflict):
        claimants.merge(db.session, a, c.id, a.version + 5)
    db.session.rollback()
    with pytest.raises(Invalid):
        claimants.merge(db.session, a, 10**9, a.version)


def test_duplicates_propose_same_folded_names_and_aliases(claimant):
    one = claimant("Le maire")
    two = claimant("le Maire")
    three = claimant("Hélène Dupont", aliases=["Le maire"])
    four = claimant("Helene Dupont")
    claimant("Quelqu'un d'autre")
    pairs = {(newer.id, older.id) for newer, older in claimants.duplicates(db.session)}
    assert pairs == {(two.id, one.id), (three.id, one.id), (three.id, two.id), (four.id, three.id)}


def test_history_counts_only_what_the_viewer_may_see(claimant, claim, make):
    who = claimant("Le maire")
    annotator = make.user("ann", roles=[Role.ANNOTATOR])
    reviewer = make.user("rev", roles=[Role.REVIEWER])
    claim(
        who, author=annotator, status=Status.APPROVED, verdict="false", claim_date=date(2026, 1, 5)
    )
    claim(
        who, author=annotator, status=Status.APPROVED, verdict="true", claim_date=date(2026, 3, 9)
    )
    claim(who, author=annotator, status=Status.DRAFT, verdict="true")  # private draft
    other = projects.create_project(db.session, name="R", slug="research")
    db.session.commit()
    claim(who, article=make.article(project_id=other.id), status=Status.APPROVED)
    history = claimants.claims_by_verdict_over_time(db.session, who, reviewer)
    assert history.total == 2
    assert history.by_verdict == {"false": 1, "true": 1}
    assert [(m.start, m.total) for m in history.months] == [
        (date(2026, 1, 1), 1),
        (date(2026, 2, 1), 0),
        (date(2026, 3, 1), 1),
    ]
    mine = claimants.claims_by_verdict_over_time(db.session, who, annotator)
    assert mine.total == 3


def test_history_hides_blind_verdicts_from_a_reviewer_who_owes_theirs(claimant, claim, make, blind):
    who = claimant("Le maire")
    reviewer = make.user("rev", roles=[Role.REVIEWER])
    claim(who, status=Status.SUBMITTED, verdict="false")
    claim(who, status=Status.APPROVED, verdict="false")
    history = claimants.claims_by_verdict_over_time(db.session, who, reviewer)
    assert history.by_verdict == {"false": 1, claimants.HIDDEN: 1}
    shown = sorted(v for _a, v in claimants.claims_of(db.session, who, reviewer))
    assert shown == ["false", claimants.HIDDEN]
    author_view = claimants.claims_by_verdict_over_time(
        db.session, who, make.user("ann2", roles=[Role.ANNOTATOR])
    )
    assert author_view.by_verdict == {"false": 2}


def test_claim_counts_follow_visibility(claimant, claim, make):
    who = claimant("Le maire")
    author = make.user("ann", roles=[Role.ANNOTATOR])
    claim(who, author=author, status=Status.DRAFT)
    claim(who, status=Status.SUBMITTED)
    assert claimants.claim_counts(db.session, [who.id], author) == {who.id: 2}
    assert claimants.claim_counts(db.session, [who.id], make.user(roles=[Role.REVIEWER])) == {
        who.id: 1
    }


def test_inner_words_follow_new_claimants_renames_and_merges_at_once(claimant):
    maire = claimant("Le maire")
    assert names(claimants.suggest(db.session, "mair")) == ["Le maire"]
    claimants.create(db.session, {"name": "Adjoint au maire"})
    db.session.commit()
    assert set(names(claimants.suggest(db.session, "mair"))) == {"Le maire", "Adjoint au maire"}
    claimants.update_claimant(db.session, maire, {"version": 1, "name": "Le préfet"})
    db.session.commit()
    assert names(claimants.suggest(db.session, "mair")) == ["Adjoint au maire"]
    assert names(claimants.suggest(db.session, "prefet")) == ["Le préfet"]
    adjoint = claimants.by_name(db.session, "Adjoint au maire")
    claimants.merge(db.session, adjoint, maire.id, adjoint.version)
    db.session.commit()
    found = claimants.suggest(db.session, "au mair")
    assert names(found) == ["Le préfet"]
    assert found[0].alias == "Adjoint au maire"


def test_a_word_is_split_on_whatever_is_not_a_letter_or_a_digit():
    words = claimants.words_of
    assert words("jean-luc melenchon") == ["jean", "luc", "melenchon"]
    assert words("l'adjointe au maire, l'adjointe") == ["l", "adjointe", "au", "maire"]
    assert words("a_b 3e") == ["a", "b", "3e"]
    assert words("x" * 150) == ["x" * 100]
    assert words(" %-' ") == []


def word_rows(claimant_id):
    return sorted(
        db.session.scalars(select(ClaimantWord.word).where(ClaimantWord.claimant_id == claimant_id))
    )


def test_the_words_table_follows_create_rename_aliases_and_merge(claimant):
    made = claimants.create(db.session, {"name": "Jean-Luc Dupont", "aliases": ["Le maire"]})
    db.session.commit()
    assert word_rows(made.id) == ["dupont", "jean", "le", "luc", "maire"]
    claimants.update_claimant(db.session, made, {"version": 1, "name": "Jean Préfet"})
    db.session.commit()
    assert word_rows(made.id) == ["jean", "le", "maire", "prefet"]
    claimants.update_claimant(db.session, made, {"version": 2, "aliases": ["M. Préfet"]})
    db.session.commit()
    assert word_rows(made.id) == ["jean", "m", "prefet"]
    kept = claimant("Zoé")
    claimants.merge(db.session, made, kept.id, made.version)
    db.session.commit()
    assert word_rows(made.id) == []  # merged away: its names are the kept one's aliases
    assert word_rows(kept.id) == ["jean", "m", "prefet", "zoe"]
    found = claimants.suggest(db.session, "prefet jean")
    assert [(s.claimant.id, s.alias) for s in found] == [(kept.id, "Jean Préfet")]


def test_every_word_typed_must_start_a_word_of_the_same_claimant(claimant):
    claimant("Maire de Lyon")
    claimant("Le maire", aliases=["Maire sortant de Lyon"])
    claimant("Lyon Dupont")
    claimant("Marie Lyonnet")
    found = claimants.suggest(db.session, "lyon mair")
    assert [(s.claimant.name, s.alias) for s in found] == [
        ("Le maire", "Maire sortant de Lyon"),
        ("Maire de Lyon", None),
    ]
    assert names(claimants.suggest(db.session, "mar lyon")) == ["Marie Lyonnet"]
    # exact name first, then names starting with it, then the others by name
    claimant("Lyon")
    assert names(claimants.suggest(db.session, "lyon")) == [
        "Lyon",
        "Lyon Dupont",
        "Le maire",
        "Maire de Lyon",
        "Marie Lyonnet",
    ]


def test_many_merged_namesakes_never_hide_a_live_one(claimant):
    gone = [claimant(f"Ancien maire {n}") for n in range(5)]
    assert len(claimants.suggest(db.session, "mair", limit=3)) == 3
    keeper = claimant("Zéphyrin")
    for row in gone:
        claimants.merge(db.session, row, keeper.id, row.version)
    db.session.commit()
    claimant("Nouveau maire")
    found = claimants.suggest(db.session, "mair", limit=3)
    # the new one by its name; the one kept by the names it took over (aliases)
    assert names(found) == ["Nouveau maire", "Zéphyrin"]
    assert found[1].alias.startswith("Ancien maire")


def test_a_common_word_is_read_through_the_rarest_word_typed(claimant, monkeypatch):
    import sys

    module = sys.modules["factcheck.services.claimants.suggest"]  # the name is the function's
    monkeypatch.setattr(module, "SCAN_MOST", 3)
    for n in range(6):
        claimant(f"Adjoint {n}, au maire de Lyon")
    claimant("Zoé Lamaire, maire de Valbonne")
    # "maire" starts more than SCAN_MOST words, "valbonne" one: read through "valbonne"
    assert names(claimants.suggest(db.session, "maire valb")) == ["Zoé Lamaire, maire de Valbonne"]
    # both past SCAN_MOST: only the first rows of the rarest are read, in the index's order
    assert len(claimants.suggest(db.session, "maire lyon")) == 3
