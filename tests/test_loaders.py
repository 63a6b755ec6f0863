"""One load-or-404 per resource, with one message, for the pages and the API alike."""

import pytest

from factcheck.extensions import db
from factcheck.loaders import annotation_or_404, article_or_404, in_review_or_404
from factcheck.models import Role, Status
from factcheck.services.errors import NotFound

NO_CLAIM = "No such claim."
NO_ARTICLE = "No such article."


@pytest.fixture
def world(make):
    author = make.user(roles=[Role.ANNOTATOR])
    stranger = make.user(roles=[Role.ANNOTATOR, Role.REVIEWER])
    article = make.article()
    draft = make.annotation(article=article, author=author, status=Status.DRAFT)
    return author, stranger, article, draft


def test_the_loaders_raise_one_message(world):
    author, stranger, article, draft = world
    assert annotation_or_404(db.session, draft.id, author) is draft
    assert article_or_404(db.session, article.id, author) is article
    for load in (annotation_or_404, in_review_or_404):
        for args in ((draft.id, stranger), (draft.id + 1000, author)):
            with pytest.raises(NotFound) as caught:
                load(db.session, *args)
            assert caught.value.message == NO_CLAIM
    with pytest.raises(NotFound) as caught:
        article_or_404(db.session, article.id + 1000, author)
    assert caught.value.message == NO_ARTICLE


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/annotations/{claim}",
        "/api/v1/annotations/{claim}/review",
        "/api/v1/annotations/{claim}/similar",
    ],
)
def test_the_api_says_no_such_claim(client, login, world, path):
    _author, stranger, _article, draft = world
    login(stranger)
    method = client.post if path.endswith("review") else client.get
    response = method(path.format(claim=draft.id), json={"decision": "approve", "version": 1})
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == NO_CLAIM


@pytest.mark.parametrize(
    "path", ["/review/{claim}", "/articles/{article}/annotate?annotation={claim}"]
)
def test_the_pages_say_no_such_claim(client, login, world, path):
    _author, stranger, article, draft = world
    login(stranger)
    response = client.get(path.format(claim=draft.id, article=article.id))
    assert response.status_code == 404
    assert NO_CLAIM in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/articles/{article}",
        "/api/v1/articles/{article}/annotations",
        "/api/v1/articles/{article}/revisions",
    ],
)
def test_the_api_says_no_such_article(client, login, world, path):
    author, *_ = world
    login(author)
    response = client.get(path.format(article=99999))
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == NO_ARTICLE


@pytest.mark.parametrize("path", ["/articles/{article}", "/articles/{article}/annotate"])
def test_the_pages_say_no_such_article(client, login, world, path):
    author, *_ = world
    login(author)
    response = client.get(path.format(article=99999))
    assert response.status_code == 404
    assert NO_ARTICLE in response.get_data(as_text=True)
