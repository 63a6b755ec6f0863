"""Browsing and editing articles.

Counts of claims per article come from ONE grouped query per page of articles. Drafts are
private: a viewer's counts include their own drafts only (admins see every draft), so a
non-admin never learns that somebody else is drafting claims on an article.

Search ignores case and accents on both databases ("mele" finds "mêlé"): it looks in
``article.search_text``, the title and text folded once in Python (services/fold.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, delete, exists, func, select, update
from sqlalchemy.orm import Session

from ..models import Annotation, Article, ArticleRevision, Status, User, utcnow
from ..permissions import drafts_visible, visible_projects
from .errors import BadRequest, Conflict, Invalid
from .fold import article_search_text, fold
from .records import (
    RecordError,
    check_text,
    clean_date,
    clean_external_id,
    clean_language,
    clean_title,
    clean_url,
    normalize_text,
    text_hash,
)

SORTS = ("newest", "oldest", "title", "most_claims")
METADATA_FIELDS = ("title", "url", "published_at", "language", "external_id")


@dataclass
class ArticleFilter:
    q: str = ""
    language: str | None = None
    has_claims: bool | None = None
    needs_review: bool = False
    sort: str = "newest"
    #: one project (``project=SLUG``, resolved by the caller); None: every visible one
    project_id: int | None = None


@dataclass
class ArticleRow:
    article: Article
    #: status value → number of claims the viewer may see
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class ArticlePage:
    items: list[ArticleRow]
    total: int
    page: int
    per_page: int


def parse_filter(args, *, strict: bool = True) -> ArticleFilter:
    """Build a filter from query parameters; a bad value is a 400 (or ignored if not strict)."""
    wanted = ArticleFilter(q=(args.get("q") or "").strip()[:200])
    try:
        wanted.language = clean_language(args.get("language")) if args.get("language") else None
    except RecordError as error:
        if strict:
            raise BadRequest(error.message, field="language") from None
    wanted.has_claims = _flag(args, "has_claims", strict)
    wanted.needs_review = bool(_flag(args, "needs_review", strict))
    sort = args.get("sort") or "newest"
    if sort in SORTS:
        wanted.sort = sort
    elif strict:
        message = _("sort must be one of %(sorts)s.", sorts=", ".join(SORTS))
        raise BadRequest(str(message), field="sort")
    return wanted


def _flag(args, name: str, strict: bool) -> bool | None:
    value = (args.get(name) or "").strip().lower()
    if value in ("", "any"):
        return None
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    if strict:
        message = _("%(name)s must be true or false.", name=name)
        raise BadRequest(str(message), field=name)
    return None


def list_articles(
    session: Session, viewer: User | None, wanted: ArticleFilter, page: int = 1, per_page: int = 25
) -> ArticlePage:
    statement = select(Article).where(*_conditions(session, viewer, wanted))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    statement = statement.order_by(*_order(viewer, wanted.sort))
    articles = list(session.scalars(statement.limit(per_page).offset((page - 1) * per_page)))
    counts = claim_counts(session, viewer, [a.id for a in articles])
    items = [ArticleRow(a, counts.get(a.id, {})) for a in articles]
    return ArticlePage(items, total, page, per_page)


def _conditions(session: Session, viewer: User | None, wanted: ArticleFilter) -> list:
    conditions = [visible_projects(viewer, Article.project_id)] if viewer is not None else []
    if wanted.project_id is not None:
        conditions.append(Article.project_id == wanted.project_id)
    if wanted.q:
        conditions.append(_search(session, wanted.q))
    if wanted.language:
        conditions.append(Article.language == wanted.language)
    any_claim = exists().where(Annotation.article_id == Article.id, drafts_visible(viewer))
    if wanted.has_claims is True:
        conditions.append(any_claim)
    elif wanted.has_claims is False:
        conditions.append(~any_claim)
    if wanted.needs_review:
        conditions.append(
            exists().where(
                Annotation.article_id == Article.id, Annotation.status == Status.SUBMITTED
            )
        )
    return conditions


def _search(session: Session, q: str) -> ColumnElement[bool]:
    """Accent- and case-insensitive, the same on SQLite and PostgreSQL (services/fold.py)."""
    return Article.search_text.contains(fold(q), autoescape=True)


def _order(viewer: User | None, sort: str) -> list:
    when = func.coalesce(Article.published_at, Article.created_at)
    if sort == "oldest":
        return [when.asc(), Article.id.asc()]
    if sort == "title":
        return [Article.title.asc(), Article.id.asc()]
    if sort == "most_claims":
        claims = (
            select(func.count())
            .where(Annotation.article_id == Article.id, drafts_visible(viewer))
            .correlate(Article)
            .scalar_subquery()
        )
        return [claims.desc(), Article.id.desc()]
    return [when.desc(), Article.id.desc()]


def claim_counts(
    session: Session, viewer: User | None, article_ids: list[int]
) -> dict[int, dict[str, int]]:
    """{article id: {status: n}} for these articles, in one grouped query."""
    if not article_ids:
        return {}
    rows = session.execute(
        select(Annotation.article_id, Annotation.status, func.count())
        .where(Annotation.article_id.in_(article_ids), drafts_visible(viewer))
        .group_by(Annotation.article_id, Annotation.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for article_id, status, n in rows:
        counts.setdefault(article_id, {})[Status(status).value] = n
    return counts


def languages(session: Session, viewer: User | None = None) -> list[str]:
    """The languages articles are in, for the list's filter."""
    query = select(Article.language).where(Article.language.is_not(None)).distinct()
    if viewer is not None:
        query = query.where(visible_projects(viewer, Article.project_id))
    found = session.scalars(query)
    return sorted(found)


def row_for(session: Session, viewer: User | None, article: Article) -> ArticleRow:
    return ArticleRow(article, claim_counts(session, viewer, [article.id]).get(article.id, {}))


def has_annotations(session: Session, article: Article) -> bool:
    return bool(session.scalar(select(exists().where(Annotation.article_id == article.id))))


def update_metadata(session: Session, article: Article, values: dict) -> Article:
    """Change title, url, published_at, language and external_id (text: see update_text)."""
    unknown = sorted(set(values) - set(METADATA_FIELDS) - {"text"})
    if unknown:
        message = _("Unknown field(s): %(names)s.", names=", ".join(unknown))
        raise Invalid(str(message), field=unknown[0])
    cleaners = {
        "title": clean_title,
        "url": clean_url,
        "published_at": clean_date,
        "language": clean_language,
        "external_id": clean_external_id,
    }
    changes = {}
    for name, value in values.items():
        if name == "text":
            continue
        if name != "external_id" and value is not None and not isinstance(value, str):
            raise Invalid(_("The field %(name)s must be a string.", name=name), field=name)
        try:
            changes[name] = cleaners[name](value)
        except RecordError as error:
            raise Invalid(error.message, field=name) from None
    external_id = changes.get("external_id")
    if external_id and external_id != article.external_id:
        taken = session.scalar(
            select(Article.id).where(Article.external_id == external_id, Article.id != article.id)
        )
        if taken:
            message = _("Article %(id)s already has this external_id.", id=taken)
            raise Conflict(str(message), field="external_id")
    for name, value in changes.items():
        setattr(article, name, value)
    session.flush()
    return article


def update_text(session: Session, article: Article, text: str) -> Article:
    """Replace the text, only while no annotation points into it (else 409)."""
    if not isinstance(text, str):
        raise Invalid(_("The field %(name)s must be a string.", name="text"), field="text")
    text = normalize_text(text)
    try:
        check_text(text)
    except RecordError as error:
        raise Invalid(error.message, field="text") from None
    if text == article.text:
        return article
    # conditional UPDATE: an annotation created meanwhile makes it match no row
    result = session.execute(
        update(Article)
        .where(Article.id == article.id, ~exists().where(Annotation.article_id == Article.id))
        .values(
            text=text,
            text_sha256=text_hash(text),
            search_text=article_search_text(article.title, text),
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_text_locked_message(), field="text")
    # nothing points into the text yet: its stored revision (if any) follows it
    session.execute(
        update(ArticleRevision)
        .where(ArticleRevision.article_id == article.id, ArticleRevision.number == article.revision)
        .values(text=text, text_sha256=text_hash(text))
        .execution_options(synchronize_session=False)
    )
    session.expire(article)
    return article


def delete_article(session: Session, article: Article) -> None:
    """Delete an article that nobody has annotated yet (else 409)."""
    result = session.execute(
        delete(Article)
        .where(Article.id == article.id, ~exists().where(Annotation.article_id == Article.id))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(
            str(
                _(
                    "This article has annotations, so it cannot be deleted: "
                    "their claims and reviews would be lost."
                )
            )
        )
    session.expunge(article)


def _text_locked_message() -> str:
    return str(
        _(
            "This article has annotations, so its text cannot be changed: their offsets "
            "point into the current text. Title and other details can still be edited."
        )
    )


def with_claims(
    session: Session, user: User, project_id: int | None = None, limit: int = 500
) -> list[tuple[int, str]]:
    """(id, title) of the articles that have non-draft claims, in the user's projects (or
    one of them), by title: what an article filter offers to pick from (nobody has to know
    an id)."""
    claimed = select(Annotation.article_id).where(
        Annotation.status != Status.DRAFT, visible_projects(user, Annotation.project_id)
    )
    if project_id is not None:
        claimed = claimed.where(Annotation.project_id == project_id)
    rows = session.execute(
        select(Article.id, Article.title)
        .where(Article.id.in_(claimed))
        .order_by(Article.title, Article.id)
        .limit(limit)
    ).all()
    return [(article_id, title) for article_id, title in rows]
