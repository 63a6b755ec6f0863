"""schema.org ClaimReview: the approved claims as fact checks ready to publish or embed.

One ``ClaimReview`` object per *approved* annotation, streamed as a JSON array (one valid
JSON document), and the escaping for an HTML ``<script>`` block.

What the desk recorded goes in (DESIGN.md, "The desk's memory"): ``url`` and
``datePublished`` where the claim was published (else the site-wide url template and the
day of the decision), ``author`` the project's publisher (else the installation's),
``itemReviewed.author`` the claimant entity typed Person or Organization with its
``sameAs``, ``itemReviewed.datePublished`` the claim's date, and its appearances
(``appearance``, the first one also as ``firstAppearance``). A batch's claimants and
appearances come in one query each.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import jsonsafe
from ...models import Appearance, Claimant
from . import query
from .filters import ExportFilter, approved_only
from .query import BATCH_SIZE, id_clause, iso, raw

_a, _article, _verdict = query.annotation.c, query.article.c, query.verdict.c
_project = query.project.c
#: how far a claimant merged into another is followed (a merge moves the claims anyway)
MERGE_HOPS = 5

#: what a ClaimReview is built from (``claim_review``); the annotation id first (the keyset)
COLUMNS = [
    _a.id.label("annotation_id"),
    _a.claim,
    _a.claimant,
    _article.url.label("article_url"),
    _article.title.label("article_title"),
    raw(_article.published_at, "article_published_at"),
    _article.language.label("article_language"),
    _verdict.label.label("verdict_label"),
    _verdict.label_fr.label("verdict_label_fr"),
    _verdict.rating.label("verdict_rating"),
    raw(_a.reviewed_at, "reviewed_at"),
    _a.claimant_id,
    raw(_a.claim_date, "claim_date"),
    _a.published_url,
    raw(_a.published_at, "published_at"),
    _project.publisher_name,
    _project.publisher_url,
]


@dataclass(frozen=True)
class Publisher:
    """Who publishes the fact checks (config ORGANIZATION_NAME/URL, CLAIMREVIEW_URL_TEMPLATE)."""

    name: str
    url: str | None = None
    url_template: str | None = None

    @classmethod
    def from_config(cls, config: Mapping) -> Publisher:
        return cls(
            name=config.get("ORGANIZATION_NAME") or "factcheck",
            url=config.get("ORGANIZATION_URL") or None,
            url_template=config.get("CLAIMREVIEW_URL_TEMPLATE") or None,
        )


def claim_review(
    row, publisher: Publisher, claimant: dict | None = None, appearances: list[dict] = ()
) -> dict:
    """One schema.org ClaimReview for an approved annotation (a row of ``COLUMNS``), with its
    claimant entity (``claimants``) and its appearances (``appearances``), if any."""
    item: dict = {"@type": "Claim"}
    author = _claim_author(row.claimant, claimant)
    if author:
        item["author"] = author
    _appearances(item, row, appearances)
    claimed = _day(row.claim_date) or iso(row.article_published_at)[:10]
    if claimed:
        item["datePublished"] = claimed
    language = row.article_language or None
    label = row.verdict_label or ""
    if language and language.startswith("fr") and row.verdict_label_fr:
        label = row.verdict_label_fr  # the verdict in the claim's language
    rating: dict = {"@type": "Rating", "alternateName": label}
    if row.verdict_rating is not None:
        rating.update(ratingValue=row.verdict_rating, bestRating=5, worstRating=1)
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": row.claim,
        "itemReviewed": item,
        "reviewRating": rating,
        "author": _publisher(row, publisher),
        "datePublished": (iso(row.published_at) or iso(row.reviewed_at)[:10]) or None,
    }
    if language:
        review["inLanguage"] = language
    if row.published_url:
        review["url"] = row.published_url
    elif publisher.url_template:
        review["url"] = publisher.url_template.format(id=row.annotation_id)
    return review


def _claim_author(written: str | None, claimant: dict | None) -> dict | None:
    """The claimant entity (its name, kind and ``sameAs``), else the name as written with a
    guessed type; None without either."""
    if claimant is not None:
        author = {"@type": claimant["type"], "name": claimant["name"]}
        if claimant["same_as"]:
            author["sameAs"] = claimant["same_as"]
        return author
    if written:
        return {"@type": _claimant_type(written), "name": written}
    return None


def _appearances(item: dict, row, appearances: list[dict]) -> None:
    """The recorded appearances (the first one marked also as ``firstAppearance``); without
    any, the annotated article, as before there were appearances."""
    if not appearances:
        if row.article_url:
            item["appearance"] = {
                "@type": "CreativeWork",
                "url": row.article_url,
                "headline": row.article_title,
            }
        return
    works = [_work(a) for a in appearances]
    item["appearance"] = works
    first = next((w for w, a in zip(works, appearances, strict=True) if a["first"]), None)
    if first is not None:
        item["firstAppearance"] = first


def _work(appearance: dict) -> dict:
    work = {"@type": "CreativeWork", "url": appearance["url"]}
    if appearance["date"]:
        work["datePublished"] = appearance["date"]
    return work


def _publisher(row, publisher: Publisher) -> dict:
    """The project's publisher when it names one (its address, if any), else the
    installation's (ORGANIZATION_NAME/URL)."""
    name = row.publisher_name or publisher.name
    url = row.publisher_url or (None if row.publisher_name else publisher.url)
    author: dict = {"@type": "Organization", "name": name}
    if url:
        author["url"] = url
    return author


def _day(value: object) -> str:
    """A stored date as ``YYYY-MM-DD`` (SQLite hands back text, PostgreSQL a date)."""
    return str(value)[:10] if value else ""


#: words that make a claimant an organisation rather than a person (a best guess;
#: ClaimReview only needs a name, the type is a hint)
_ORGANIZATION_WORDS = frozenset(
    "ministère ministry government gouvernement party parti insee institut institute "
    "agency agence company société association union office bureau council conseil "
    "commission inc ltd sa sas".split()
)


def _claimant_type(name: str) -> str:
    words = {w.strip(".,()").lower() for w in name.split()}
    return "Organization" if words & _ORGANIZATION_WORDS else "Person"


def claimreview_batches(
    session: Session,
    filters: ExportFilter,
    publisher: Publisher,
    *,
    batch_size: int = BATCH_SIZE,
) -> Iterator[tuple[int, bytes]]:
    """A JSON array, streamed as UTF-8: ``[``, the objects separated by commas, ``]``.

    Only approved annotations are published, whatever the status filter says. Per batch:
    the rows, their appearances, and their claimants (one query each).
    """
    yield 0, b"["
    separator = "\n"
    for batch in query.batches(session, approved_only(filters), COLUMNS, batch_size=batch_size):
        seen = appearances(session, [row.annotation_id for row in batch])
        entities = claimants(session, {row.claimant_id for row in batch} - {None})
        parts = []
        for row in batch:
            review = claim_review(
                row, publisher, entities.get(row.claimant_id), seen.get(row.annotation_id, [])
            )
            parts.append(separator + jsonsafe.dumps(review))
            separator = ",\n"
        yield len(batch), "".join(parts).encode("utf-8")
    yield 0, b"\n]\n"


def appearances(session: Session, ids: list[int]) -> dict[int, list[dict]]:
    """annotation id → its appearances in position order (url, date, first), for a batch."""
    found: dict[int, list[dict]] = {}
    if not ids:
        return found
    ac = Appearance.__table__.c
    rows = session.connection().execute(
        select(ac.annotation_id, ac.url, raw(ac.date, "day"), ac.first)
        .where(id_clause(ac.annotation_id, sorted(ids)))
        .order_by(ac.annotation_id, ac.position, ac.id)
    )
    for annotation_id, url, day, first in rows:
        found.setdefault(annotation_id, []).append(
            {"url": url, "date": _day(day) or None, "first": bool(first)}
        )
    return found


def claimants(session: Session, ids: set[int]) -> dict[int, dict]:
    """claimant id → ``{"name", "type", "same_as"}`` for a batch; a claimant merged away
    speaks as the one it was merged into (one query, and one per hop of a merge)."""
    cc = Claimant.__table__.c
    rows: dict[int, tuple] = {}
    wanted = set(ids)
    for _hop in range(MERGE_HOPS + 1):
        if not wanted:
            break
        for row in session.connection().execute(
            select(cc.id, cc.name, raw(cc.kind, "kind"), cc.same_as, cc.merged_into_id).where(
                cc.id.in_(sorted(wanted))
            )
        ):
            rows[row.id] = row
        wanted = {r.merged_into_id for r in rows.values() if r.merged_into_id} - set(rows)
    found: dict[int, dict] = {}
    for claimant_id in ids:
        row = rows.get(claimant_id)
        for _hop in range(MERGE_HOPS):
            if row is None or not row.merged_into_id or row.merged_into_id not in rows:
                break
            row = rows[row.merged_into_id]
        if row is not None:
            same_as = row.same_as if isinstance(row.same_as, list) else []
            found[claimant_id] = {
                "name": row.name,
                "type": "Organization" if row.kind == "organization" else "Person",
                "same_as": [u for u in same_as if isinstance(u, str) and u],
            }
    return found


def jsonld_for_html(data: object) -> str:
    """JSON for a ``<script type="application/ld+json">`` block: ``<``, ``>``, ``&`` (and the
    JavaScript line separators) are escaped as ``\\u003c``…, so no text can close the tag."""
    return jsonsafe.dumps(data)
