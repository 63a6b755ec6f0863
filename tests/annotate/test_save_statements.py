"""How many SQL statements one save of a claim sends (issue 26): when and where must not
make saving dearer for claims without appearances. The figures are those measured when
appearances arrived; a change that adds a statement fails here and says which.

Before issue 26 (commit dc3a3a2) the same requests (without the new fields) sent 13
statements (create) and 19 (save), on SQLite and PostgreSQL alike, not counting
transaction control. The save built the whole JSON of the claim before the write only to
check echoed read-only fields; it now builds it only when some are echoed, which pays for
the SELECT comparing the appearances sent with the stored ones and the one loading them
for the answer: 18."""

from __future__ import annotations

from factcheck.models import Role
from tests.sql import statements

from .conftest import span_of

#: statements of a create without claimant nor appearances, and of the claim form's save
#: (2 fewer since issue 28: the signed-in user's roles and memberships are joined to its
#: own SELECT, tests/test_statement_counts.py)
CREATE = 11
SAVE = 16


def _form(article, **extra) -> dict:
    """What the claim form's script sends (annotate-form.js readForm)."""
    return {
        **span_of(article.text, "Le chômage a baissé"),
        "claim": "Le chômage a baissé de 10 %.",
        "claimant": "",
        "claimant_id": None,
        "verdict": "false",
        "rationale": "r",
        "sources": [{"url": "https://insee.fr/x", "title": "t", "note": ""}],
        "claim_date": None,
        "claim_medium": None,
        "appearances": [],
        **extra,
    }


def _work(seen: list[str]) -> list[str]:
    """The statements that read or write rows: SQLite's BEGIN (IMMEDIATE) and savepoints
    are the driver's, and PostgreSQL sends none of them through here."""
    control = ("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT", "ROLLBACK")
    return [s for s in seen if not s.lstrip().upper().startswith(control)]


def _touching(seen: list[str], table: str) -> list[str]:
    return [s.split()[0] for s in seen if f" {table} " in f" {s} " or f"{table}." in s]


def _save(client, annotation: dict, body: dict) -> tuple[dict, list[str]]:
    with statements() as seen:
        response = client.patch(
            f"/api/v1/annotations/{annotation['id']}",
            json={**body, "version": annotation["version"]},
        )
    assert response.status_code == 200, response.get_json()
    return response.get_json(), seen


def test_one_save_of_a_claim_without_appearances(client, make, login):
    me = make.user(roles=[Role.ANNOTATOR])
    article = make.article()
    login(me)
    with statements() as seen:
        response = client.post(f"/api/v1/articles/{article.id}/annotations", json=_form(article))
    assert response.status_code == 201, response.get_json()
    assert len(_work(seen)) == CREATE, "\n".join(s[:100] for s in seen)
    created = response.get_json()
    saved, seen = _save(client, created, _form(article, claim="Le chômage a baissé."))
    assert saved["version"] == created["version"] + 1
    assert len(_work(seen)) == SAVE, "\n".join(s[:100] for s in seen)
    # one SELECT to compare, one for the answer; nothing deleted, nothing inserted
    assert _touching(seen, "appearance") == ["SELECT", "SELECT"]


def test_sending_the_stored_appearances_back_rewrites_none(client, make, login):
    me = make.user(roles=[Role.ANNOTATOR])
    article = make.article()
    login(me)
    where = {
        "claimant": "Le maire",
        "claim_date": "2026-11-30",
        "claim_medium": "radio",
        "appearances": [
            {"url": "https://a.example/", "date": "2026-11-30", "note": "n", "first": True},
            {"url": "https://b.example/", "date": None, "note": "", "first": False},
        ],
    }
    created = client.post(
        f"/api/v1/articles/{article.id}/annotations", json=_form(article, **where)
    ).get_json()
    body = _form(article, **where, claimant_id=created["claimant_id"], rationale="rr")
    saved, seen = _save(client, created, body)
    assert saved["appearances"] == where["appearances"]
    assert _touching(seen, "appearance") == ["SELECT", "SELECT"]
    assert _touching(seen, "claimant") == []  # the same name and id: nothing resolved
    assert len(_work(seen)) == SAVE
    changed = [dict(where["appearances"][0], first=False), where["appearances"][1]]
    _saved, seen = _save(client, saved, body | {"appearances": changed})
    touching = _touching(seen, "appearance")
    assert touching[:3] == ["SELECT", "DELETE", "INSERT"] and touching[-1] == "SELECT"
