"""The database itself refuses orphans, on SQLite as on PostgreSQL."""

import pytest
from sqlalchemy.exc import IntegrityError

from factcheck.extensions import db
from factcheck.models import Annotation, Source


def test_foreign_keys_are_enforced(make):
    user = make.user()
    db.session.add(Annotation(article_id=999_999, author_id=user.id, start=0, end=1, quote="x"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_source_of_a_missing_annotation_is_refused(make):
    db.session.add(Source(annotation_id=999_999, url="https://example.org/"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_an_empty_or_reversed_span_is_refused_by_the_schema(make):
    article = make.article()
    user = make.user()
    db.session.add(Annotation(article_id=article.id, author_id=user.id, start=5, end=5, quote=""))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
