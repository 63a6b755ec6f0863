"""Plain factory functions with keyword overrides: ``make.user()``, ``make.article()``…"""

from __future__ import annotations

import itertools

from werkzeug.security import generate_password_hash

from factcheck.models import Annotation, Article, ReviewEvent, Role, Source, Status, User, utcnow
from factcheck.services.importing import normalize_text, text_hash
from factcheck.services.users import create_token

PASSWORD = "correct horse battery"
#: cheap hashes keep the suite fast; production uses scrypt (see models/user.py)
_FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")

_counter = itertools.count(1)

ARTICLE_TEXT = (
    "Le président a déclaré : « Le chômage a baissé de 10 % en un an. » 🎉\n\n"
    "Selon l'Insee, le taux est passé de 7,4 % à 7,3 % sur la même période."
)


class Factory:
    def __init__(self, session):
        self.session = session

    def user(
        self, username: str | None = None, roles=(Role.ANNOTATOR,), active: bool = True, **kw
    ) -> User:
        user = User(
            username=username or f"user{next(_counter)}",
            password_hash=_FAST_HASH,
            active=active,
            **kw,
        )
        user.roles = roles
        self.session.add(user)
        self.session.commit()
        return user

    def article(self, text: str = ARTICLE_TEXT, title: str | None = None, **kw) -> Article:
        text = normalize_text(text)
        article = Article(
            title=title or f"Article {next(_counter)}",
            text=text,
            text_sha256=text_hash(text),
            language=kw.pop("language", "fr"),
            **kw,
        )
        self.session.add(article)
        self.session.commit()
        return article

    def annotation(
        self,
        article: Article | None = None,
        author: User | None = None,
        start: int = 0,
        end: int | None = None,
        status: Status = Status.DRAFT,
        sources: int = 1,
        **kw,
    ) -> Annotation:
        article = article or self.article()
        author = author or self.user()
        end = end if end is not None else min(len(article.text), start + 20)
        now = utcnow()
        annotation = Annotation(
            article_id=article.id,
            author_id=author.id,
            start=start,
            end=end,
            quote=article.text[start:end],
            prefix=article.text[max(0, start - 32) : start],
            suffix=article.text[end : end + 32],
            claim=kw.pop("claim", "A checkable claim."),
            claimant=kw.pop("claimant", "Someone"),
            verdict=kw.pop("verdict", "false"),
            rationale=kw.pop("rationale", "Because the figures say otherwise."),
            status=status,
            submitted_at=now if status is not Status.DRAFT else None,
            **kw,
        )
        for i in range(sources):
            annotation.sources.append(
                Source(position=i, url=f"https://example.org/source/{i}", title=f"Source {i}")
            )
        self.session.add(annotation)
        self.session.flush()
        self.session.add(
            ReviewEvent(
                annotation_id=annotation.id,
                actor_id=author.id,
                from_status=None,
                to_status=status,
                version=annotation.version,
            )
        )
        self.session.commit()
        return annotation

    def token(self, user: User, label: str = "test") -> str:
        _row, secret = create_token(self.session, user, label)
        self.session.commit()
        return secret
