"""Create exactly once: ``Idempotency-Key`` on the API's create routes and the one-time
token of HTML forms. The races run on the test database (SQLite file, or PostgreSQL with
FACTCHECK_TEST_DATABASE_URL), each racer with its own app as gunicorn workers would be."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from factcheck import create_app
from factcheck.database import write_intent
from factcheck.extensions import db
from factcheck.models import Annotation, Article, IdempotencyKey, Role, utcnow

QUOTE = "Le déficit a baissé"
TEXT = "Le ministre a dit : « Le déficit a baissé de 3 %. » Puis il est parti."


@pytest.fixture
def setup(make):
    user = make.user(roles=[Role.ANNOTATOR])
    article = make.article(text=TEXT)
    return user, article


def body(**overrides) -> dict:
    start = TEXT.index(QUOTE)
    data = {"start": start, "end": start + len(QUOTE), "quote": QUOTE, "claim": "It fell."}
    data.update(overrides)
    return data


def count_annotations() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Annotation))


def post(client, article, data, key):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"/api/v1/articles/{article.id}/annotations", json=data, headers=headers)


def test_a_repeat_returns_the_first_answer_and_creates_nothing(client, login, setup):
    user, article = setup
    login(user)
    first = post(client, article, body(), "key-1")
    second = post(client, article, body(), "key-1")
    assert first.status_code == second.status_code == 201
    assert second.get_json() == first.get_json()
    assert second.headers["Location"] == first.headers["Location"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert count_annotations() == 1
    third = post(client, article, body(), "key-2")  # another key: another claim
    assert third.status_code == 201 and third.get_json()["id"] != first.get_json()["id"]
    assert count_annotations() == 2


def test_without_a_key_every_post_creates(client, login, setup):
    user, article = setup
    login(user)
    assert post(client, article, body(), None).status_code == 201
    assert post(client, article, body(), None).status_code == 201
    assert count_annotations() == 2


def test_the_same_key_on_another_body_is_refused(client, login, setup):
    user, article = setup
    login(user)
    post(client, article, body(), "key-1")
    response = post(client, article, body(claim="Something else."), "key-1")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "idempotency_key_reused"
    assert count_annotations() == 1


def test_a_refused_request_leaves_the_key_free(client, login, setup):
    user, article = setup
    login(user)
    too_long = post(client, article, body(claim="x" * 2001), "key-1")
    assert too_long.status_code == 422
    fixed = post(client, article, body(), "key-1")
    assert fixed.status_code == 201
    assert count_annotations() == 1


def test_keys_belong_to_their_user(client, login, setup, make):
    user, article = setup
    other = make.user(roles=[Role.ANNOTATOR])
    login(user)
    mine = post(client, article, body(), "shared-key").get_json()
    login(other)
    theirs = post(client, article, body(), "shared-key")
    assert theirs.status_code == 201 and theirs.get_json()["id"] != mine["id"]
    assert theirs.get_json()["author"] == other.username


def test_a_key_older_than_24_hours_is_forgotten(client, login, setup):
    user, article = setup
    login(user)
    post(client, article, body(), "key-1")
    db.session.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=25)))
    db.session.commit()
    again = post(client, article, body(), "key-1")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert count_annotations() == 2
    assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 1


@pytest.mark.parametrize("key", ["", "x" * 201, "clé", "a b"])
def test_a_malformed_key_is_refused(client, login, setup, key):
    user, article = setup
    login(user)
    response = client.post(
        f"/api/v1/articles/{article.id}/annotations",
        json=body(),
        headers={"Idempotency-Key": key.encode().decode("latin-1")},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_idempotency_key"
    assert count_annotations() == 0


def test_article_import_is_idempotent_too(client, login, make):
    admin = make.user(roles=[Role.ADMIN])
    login(admin)
    record = {"title": "Un titre", "text": "Un texte sans identifiant externe."}
    first = client.post("/api/v1/articles", json=record, headers={"Idempotency-Key": "imp-1"})
    second = client.post("/api/v1/articles", json=record, headers={"Idempotency-Key": "imp-1"})
    assert first.status_code == second.status_code == 201
    assert second.get_json() == first.get_json()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Article)) == 1


# --- races ------------------------------------------------------------------------------


@pytest.fixture
def racers(app_config):
    apps = []

    def _make(n: int):
        new = [create_app(dict(app_config)) for _ in range(n)]
        apps.extend(new)
        return new

    yield _make
    for other in apps:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def client_for(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
    return client


def run_together(jobs):
    write_intent.set(False)
    db.session.commit()
    barrier = threading.Barrier(len(jobs))

    def wrap(job):
        barrier.wait(timeout=30)
        return job()

    with ThreadPoolExecutor(len(jobs)) as pool:
        return [f.result(timeout=60) for f in [pool.submit(wrap, job) for job in jobs]]


@pytest.mark.parametrize("round_", range(3))
def test_parallel_repeats_create_one_row(setup, racers, round_):
    user, article = setup
    article_id = article.id
    clients = [client_for(app, user) for app in racers(4)]
    url = f"/api/v1/articles/{article_id}/annotations"
    key = f"race-{round_}"

    def job(client):
        def _send():
            response = client.post(url, json=body(), headers={"Idempotency-Key": key})
            return response.status_code, response.get_json()

        return _send

    answers = run_together([job(c) for c in clients])
    assert {status for status, _ in answers} == {201}
    assert len({answer["id"] for _, answer in answers}) == 1
    assert count_annotations() == 1
    assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 1


# --- HTML forms: a one-time token per rendering ----------------------------------------------


def test_the_claim_form_carries_a_one_time_token_and_a_double_submit_creates_once(
    client, login, setup
):
    user, article = setup
    login(user)
    start = TEXT.index(QUOTE)
    page = client.get(f"/articles/{article.id}/annotate?start={start}&end={start + len(QUOTE)}")
    html = page.get_data(as_text=True)
    token = html.split('name="idempotency_key" value="')[1].split('"')[0]
    form = {
        "start": start,
        "end": start + len(QUOTE),
        "quote": QUOTE,
        "claim": "It fell.",
        "action": "draft",
        "idempotency_key": token,
    }
    first = client.post(f"/articles/{article.id}/annotate", data=form)
    second = client.post(f"/articles/{article.id}/annotate", data=form)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert count_annotations() == 1
    fresh = client.get(f"/articles/{article.id}/annotate?start={start}&end={start + 5}")
    assert token not in fresh.get_data(as_text=True)  # every rendering gets a new token


def test_a_double_submit_of_the_user_form_creates_one_account(client, login, make):
    from factcheck.models import User

    admin = make.user(roles=[Role.ADMIN])
    login(admin)
    form = {
        "username": "camille",
        "password": "a long enough password 123",
        "roles": ["annotator"],
        "idempotency_key": "form-token-1",
    }
    first = client.post("/admin/users", data=form)
    second = client.post("/admin/users", data=form)
    assert first.status_code == second.status_code == 302
    db.session.rollback()
    assert db.session.scalar(select(func.count()).where(User.username == "camille")) == 1
