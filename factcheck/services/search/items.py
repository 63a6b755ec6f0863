"""A search result's rows as the API shows them: shaped like the items of
``claims/similar`` (services/matching), plus ``claimant_id``, ``claim_date`` and
``project``; a verdict hidden from the caller is shown as hidden, never by its key."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ...models import Annotation, Article, ClaimText, FactCheck, Project, Status, User, Verdict
from ...permissions import can_review
from ...text.fold import fold
from ...times import iso
from .. import verdicts
from .params import HIDDEN
from .sql import among

FACTCHECK_STATUS = "published"
DEFAULT_COLOUR = "#607d8b"


def load(
    session: Session, user: User, rows: list, terms: list[str], scores=None, labels: bool = True
) -> list[dict]:
    """Items for ``rows`` (kind, id, rank, day, verdict_key), in their order. ``labels``:
    a past fact-check's rating named in the interface language when our scale knows it
    (a query each: the page); else as published (the CSV, thousands of rows)."""
    by_kind: dict[str, list[int]] = {"annotation": [], "factcheck": []}
    for row in rows:
        by_kind[row.kind].append(row.id)
    objects: dict[tuple[str, int], object] = {}
    if by_kind["annotation"]:
        query = (
            select(Annotation)
            .where(among(session, Annotation.id, by_kind["annotation"]))
            .options(
                joinedload(Annotation.article).load_only(Article.id, Article.language),
                joinedload(Annotation.project).load_only(Project.id, Project.slug, Project.name),
                selectinload(Annotation.verdict_row),
            )
        )
        objects |= {("annotation", a.id): a for a in session.scalars(query)}
    if by_kind["factcheck"]:
        query = select(FactCheck).where(among(session, FactCheck.id, by_kind["factcheck"]))
        objects |= {("factcheck", f.id): f for f in session.scalars(query)}
    norms = _norms(session, by_kind) if terms and scores is None else {}
    scale = _factcheck_verdicts(session, [o for o in objects.values() if isinstance(o, FactCheck)])
    items = []
    for row in rows:
        obj = objects.get((row.kind, row.id))
        if obj is None:  # deleted between the two queries
            continue
        if scores is not None:
            score = scores.get((row.kind, row.id))
        elif terms:
            score = word_score(terms, norms.get((row.kind, row.id), ""))
        else:
            score = None
        if isinstance(obj, Annotation):
            items.append(annotation_item(obj, user, hidden=row.verdict_key == HIDDEN, score=score))
        else:
            known = scale.get(obj.verdict, [])
            label = rating_label(obj, known) if labels else obj.rating
            colour = known[0].colour if known else None
            items.append(factcheck_item(obj, colour, label, score=score))
    return items


def _norms(session: Session, by_kind: dict[str, list[int]]) -> dict:
    found = {}
    for kind, ids in by_kind.items():
        if ids:
            rows = session.execute(
                select(ClaimText.ref_id, ClaimText.norm).where(
                    ClaimText.kind == kind, among(session, ClaimText.ref_id, ids)
                )
            )
            found |= {(kind, ref): norm for ref, norm in rows}
    return found


def word_score(terms: list[str], norm: str) -> float:
    """In [0, 1]: each word of the query counts 1 when the claim holds it whole, ½ when
    only as the start of a longer word ("mair" in "maire")."""
    if not terms:
        return 0.0
    words = set(norm.split())
    total = 0.0
    for term in terms:
        if term in words:
            total += 1
        elif any(w.startswith(term) for w in words):
            total += 0.5
    return round(total / len(terms), 4)


def _factcheck_verdicts(session: Session, factchecks: list[FactCheck]) -> dict[str, list]:
    """key → the verdicts of that key (any project's, oldest first), in one query for the
    whole page: their colour, and their labels for ``rating_label``."""
    keys = {f.verdict for f in factchecks if f.verdict}
    if not keys:
        return {}
    found: dict[str, list] = {}
    for verdict in session.scalars(
        select(Verdict).where(Verdict.key.in_(keys)).order_by(Verdict.id)
    ):
        found.setdefault(verdict.key, []).append(verdict)
    return found


def rating_label(factcheck: FactCheck, known: list) -> str:
    """``verdicts.rating_label`` without a query of its own: the rating named in the
    interface language when one of our scale's verdicts of its key is labelled so."""
    rating = factcheck.rating or ""
    wanted = fold(rating.strip())
    for verdict in known:
        if wanted in (fold(verdict.label), fold(verdict.label_fr or "")):
            return verdicts.label(verdict)
    return rating


def claim_url(annotation: Annotation, user: User) -> str:
    """The page where the caller opens the claim: their own draft on the annotate page,
    any other claim on its review page (which shows it to every member, and lets a
    reviewer decide)."""
    if annotation.status is Status.DRAFT and annotation.author_id == user.id:
        return f"/articles/{annotation.article_id}/annotate?annotation={annotation.id}"
    return f"/review/{annotation.id}"


def annotation_item(obj: Annotation, user: User, *, hidden: bool, score: float | None) -> dict:
    verdict = obj.verdict_row
    return {
        "kind": "annotation",
        "id": obj.id,
        "article_id": obj.article_id,
        "claim": obj.claim or obj.quote,
        "claimant": obj.claimant,
        "claimant_id": obj.claimant_id,
        "verdict": None if hidden else obj.verdict,
        "verdict_label": None if hidden or verdict is None else verdicts.label(verdict),
        "verdict_colour": None if hidden or verdict is None else safe_colour(verdict.colour),
        "verdict_hidden": hidden,
        "status": obj.status.value,
        "published": obj.published_at is not None,
        "url": claim_url(obj, user),
        "language": obj.article.language,
        "checked_at": iso(obj.reviewed_at or obj.submitted_at or obj.updated_at, seconds=True),
        "claim_date": obj.claim_date.isoformat() if obj.claim_date else None,
        "project": obj.project.slug,
        "project_name": obj.project.name,
        "may_review": can_review(user, obj) and obj.status is Status.SUBMITTED,
        "score": score,
    }


def factcheck_item(obj: FactCheck, colour: str | None, label: str, *, score: float | None) -> dict:
    return {
        "kind": "factcheck",
        "id": obj.id,
        "claim": obj.claim,
        "claimant": obj.claimant,
        "claimant_id": None,
        "verdict": obj.verdict,
        "verdict_label": label,
        "verdict_colour": safe_colour(colour) if obj.verdict else None,
        "verdict_hidden": False,
        "status": FACTCHECK_STATUS,
        "published": True,
        "url": obj.url,
        "language": obj.language,
        "checked_at": iso(obj.published_at, seconds=True),
        "claim_date": obj.published_at.date().isoformat() if obj.published_at else None,
        "project": None,
        "project_name": None,
        "publisher": obj.publisher,
        "may_review": False,
        "score": score,
    }


def safe_colour(value: str | None) -> str:
    """A ``#rrggbb`` colour (the page puts it in an SVG ``fill`` attribute)."""
    if (
        value
        and len(value) == 7
        and value[0] == "#"
        and all(c in "0123456789abcdefABCDEF" for c in value[1:])
    ):
        return value
    return DEFAULT_COLOUR
