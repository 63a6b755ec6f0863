"""Suggestions read the database, never a copy in a process's memory: what another process
(here another app, with its own engine and sessions) writes is found at once."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from factcheck import create_app
from factcheck.extensions import db
from factcheck.models import Claimant
from factcheck.services import claimants


def found(q: str) -> list[tuple[str, str | None]]:
    answer = [(s.claimant.name, s.alias) for s in claimants.suggest(db.session, q)]
    db.session.rollback()  # a request's session ends
    return answer


@contextmanager
def elsewhere(app_config):
    """Another process's app on the same database: nothing shared but the database."""
    other = create_app(dict(app_config))
    with other.app_context():
        try:
            yield
            db.session.commit()
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def ours(claimant):
    """Claimants written here, the words of each read once here first."""
    rows = claimant("Jean Dupont"), claimant("Zoé Martin", aliases=["La porte-parole"])
    assert found("dupont") == [("Jean Dupont", None)]
    assert found("parole") == [("Zoé Martin", "La porte-parole")]
    ids = [row.id for row in rows]
    db.session.rollback()  # this request ends (SQLite would keep its snapshot)
    return ids


def test_a_rename_made_elsewhere_is_found_at_once_by_its_new_words(ours, app_config):
    with elsewhere(app_config):
        row = db.session.get(Claimant, ours[0])
        claimants.update_claimant(db.session, row, {"version": 1, "name": "Le maire de Lyon"})
    assert found("lyon") == [("Le maire de Lyon", None)]
    assert found("mair") == [("Le maire de Lyon", None)]
    assert found("dupont") == []


def test_an_alias_added_elsewhere_is_found_at_once_and_a_removed_one_no_more(ours, app_config):
    with elsewhere(app_config):
        row = db.session.get(Claimant, ours[1])
        claimants.update_claimant(
            db.session, row, {"version": 1, "aliases": ["L'adjointe au maire"]}
        )
    assert found("adjointe mair") == [("Zoé Martin", "L'adjointe au maire")]
    assert found("parole") == []


def test_a_merge_made_elsewhere_leads_the_merged_ones_words_to_the_one_kept(ours, app_config):
    with elsewhere(app_config):
        source = db.session.get(Claimant, ours[0])
        claimants.merge(db.session, source, ours[1], source.version)
    assert found("dupont") == [("Zoé Martin", "Jean Dupont")]
    assert found("jean dup") == [("Zoé Martin", "Jean Dupont")]
    assert [name for name, _alias in found("zoe")] == ["Zoé Martin"]


def test_a_claimant_created_elsewhere_by_a_claim_is_found_at_once(ours, app_config, make):
    with elsewhere(app_config):
        new_id = claimants.resolve(db.session, "Hélène Marchetti, sénatrice")
    assert found("senat") == [("Hélène Marchetti, sénatrice", None)]
    assert db.session.get(Claimant, new_id).name == "Hélène Marchetti, sénatrice"
