"""The verdict scale admin page and its services."""

import pytest
from sqlalchemy import select

from factcheck.extensions import db
from factcheck.models import Role, Verdict


@pytest.fixture
def admin(make, login):
    user = make.user(roles=[Role.ADMIN])
    login(user)
    return user


def verdict(key: str) -> Verdict:
    db.session.expire_all()
    return db.session.scalar(select(Verdict).where(Verdict.key == key))


def test_only_admins(client, login, make):
    login(make.user(roles=[Role.ANNOTATOR, Role.REVIEWER]))
    assert client.get("/admin/verdicts").status_code == 403
    assert client.post("/admin/verdicts", data={"key": "x", "label": "X"}).status_code == 403


def test_add_relabel_and_colour(client, admin):
    response = client.post(
        "/admin/verdicts",
        data={
            "key": "satire",
            "label": "Satire",
            "label_fr": "Satire",
            "colour": "#123ABC",
            "shortcut": "8",
        },
    )
    assert response.status_code == 302
    added = verdict("satire")
    assert added.colour == "#123abc" and added.shortcut == "8"
    assert added.position > verdict("unverifiable").position
    response = client.post(
        f"/admin/verdicts/{added.id}", data={"label": "Parody", "label_fr": "Parodie"}
    )
    assert response.status_code == 302 and verdict("satire").label_fr == "Parodie"
    assert ".v-satire { --vc: #123abc; }" in client.get("/verdicts.css").get_data(as_text=True)
    assert "Parody" in client.get("/admin/verdicts").get_data(as_text=True)


@pytest.mark.parametrize(
    "data, status, field_text",
    [
        ({"key": "Bad Key", "label": "x"}, 422, "lowercase"),
        ({"key": "true", "label": "x"}, 409, "exists"),
        ({"key": "ok", "label": ""}, 422, "label"),
        ({"key": "ok", "label": "x", "colour": "red"}, 422, "#rrggbb"),
        ({"key": "ok", "label": "x", "colour": "#12345g"}, 422, "#rrggbb"),
        ({"key": "ok", "label": "x", "shortcut": "1"}, 409, "taken"),
        ({"key": "ok", "label": "x", "shortcut": "0"}, 422, "shortcut"),
        ({"key": "ok", "label": "x", "rating": "7"}, 422, "rating"),
    ],
)
def test_bad_verdicts_are_refused(client, admin, data, status, field_text):
    response = client.post("/admin/verdicts", data={"colour": "#607d8b", **data})
    assert response.status_code == status
    assert field_text in response.get_data(as_text=True)
    assert verdict("ok") is None


def test_reorder(client, admin):
    second = verdict("mostly_true")
    client.post(f"/admin/verdicts/{second.id}/move", data={"direction": "up"})
    keys = [v.key for v in db.session.scalars(select(Verdict).order_by(Verdict.position))]
    assert keys[:2] == ["mostly_true", "true"]


def test_retire_and_bring_back(client, admin):
    mixed = verdict("mixed")
    client.post(f"/admin/verdicts/{mixed.id}/retire", data={"retired": "1"})
    assert verdict("mixed").retired
    client.post(f"/admin/verdicts/{mixed.id}/retire", data={"retired": "0"})
    assert not verdict("mixed").retired


def test_a_verdict_in_use_is_never_deleted(client, admin, make):
    make.annotation(verdict="false")
    false = verdict("false")
    response = client.post(f"/admin/verdicts/{false.id}/delete")
    assert response.status_code == 409
    assert "retire it instead" in response.get_data(as_text=True)
    assert verdict("false") is not None
    unused = verdict("misleading")
    assert client.post(f"/admin/verdicts/{unused.id}/delete").status_code == 302
    assert verdict("misleading") is None
