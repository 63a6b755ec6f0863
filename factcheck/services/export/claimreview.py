"""schema.org ClaimReview: the approved claims as fact checks ready to publish or embed.

One ``ClaimReview`` object per *approved* annotation, streamed as a JSON array (one valid
JSON document), and the escaping for an HTML ``<script>`` block.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ... import jsonsafe
from . import query
from .filters import ExportFilter, approved_only
from .query import BATCH_SIZE, iso, raw

_a, _article, _verdict = query.annotation.c, query.article.c, query.verdict.c

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


def claim_review(row, publisher: Publisher) -> dict:
    """One schema.org ClaimReview for an approved annotation (a row of ``COLUMNS``)."""
    claimant = row.claimant
    item: dict = {"@type": "Claim"}
    if claimant:
        item["author"] = {"@type": _claimant_type(claimant), "name": claimant}
    if row.article_url:
        item["appearance"] = {
            "@type": "CreativeWork",
            "url": row.article_url,
            "headline": row.article_title,
        }
    published = iso(row.article_published_at)
    if published:
        item["datePublished"] = published[:10]
    language = row.article_language or None
    label = row.verdict_label or ""
    if language and language.startswith("fr") and row.verdict_label_fr:
        label = row.verdict_label_fr  # the verdict in the claim's language
    rating: dict = {"@type": "Rating", "alternateName": label}
    if row.verdict_rating is not None:
        rating.update(ratingValue=row.verdict_rating, bestRating=5, worstRating=1)
    author: dict = {"@type": "Organization", "name": publisher.name}
    if publisher.url:
        author["url"] = publisher.url
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": row.claim,
        "itemReviewed": item,
        "reviewRating": rating,
        "author": author,
        "datePublished": iso(row.reviewed_at)[:10] or None,
    }
    if language:
        review["inLanguage"] = language
    if publisher.url_template:
        review["url"] = publisher.url_template.format(id=row.annotation_id)
    return review


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

    Only approved annotations are published, whatever the status filter says.
    """
    yield 0, b"["
    separator = "\n"
    for batch in query.batches(session, approved_only(filters), COLUMNS, batch_size=batch_size):
        parts = []
        for row in batch:
            parts.append(separator + jsonsafe.dumps(claim_review(row, publisher)))
            separator = ",\n"
        yield len(batch), "".join(parts).encode("utf-8")
    yield 0, b"\n]\n"


def jsonld_for_html(data: object) -> str:
    """JSON for a ``<script type="application/ld+json">`` block: ``<``, ``>``, ``&`` (and the
    JavaScript line separators) are escaped as ``\\u003c``…, so no text can close the tag."""
    return jsonsafe.dumps(data)
