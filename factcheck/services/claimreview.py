"""schema.org ClaimReview: the approved claims as fact checks ready to publish or embed.

One ``ClaimReview`` object per *approved* annotation (``export.records``), streamed as a
JSON array (one valid JSON document), and the escaping for an HTML ``<script>`` block.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from .. import jsonsafe
from ..models import Status

if TYPE_CHECKING:
    from .export import ExportFilter

BATCH_SIZE = 2000


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


def claim_review(record: dict, publisher: Publisher) -> dict:
    """One schema.org ClaimReview for an approved annotation record (see ``records``)."""
    claimant = record["claimant"]
    item: dict = {"@type": "Claim"}
    if claimant:
        item["author"] = {"@type": _claimant_type(claimant), "name": claimant}
    if record["article_url"]:
        item["appearance"] = {
            "@type": "CreativeWork",
            "url": record["article_url"],
            "headline": record["article_title"],
        }
    if record["_article_published_at"]:
        item["datePublished"] = record["_article_published_at"][:10]
    language = record.get("_article_language") or None
    label = record["verdict_label"] or ""
    if language and language.startswith("fr") and record.get("_verdict_label_fr"):
        label = record["_verdict_label_fr"]  # the verdict in the claim's language
    rating: dict = {"@type": "Rating", "alternateName": label}
    if record["verdict_rating"] is not None:
        rating.update(ratingValue=record["verdict_rating"], bestRating=5, worstRating=1)
    author: dict = {"@type": "Organization", "name": publisher.name}
    if publisher.url:
        author["url"] = publisher.url
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": record["claim"],
        "itemReviewed": item,
        "reviewRating": rating,
        "author": author,
        "datePublished": (record["reviewed_at"] or "")[:10] or None,
    }
    if language:
        review["inLanguage"] = language
    if publisher.url_template:
        review["url"] = publisher.url_template.format(id=record["annotation_id"])
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
) -> Iterator[tuple[int, str]]:
    """A JSON array, streamed: ``[``, the objects separated by commas, ``]``.

    Only approved annotations are published, whatever the status filter says.
    """
    from .export import records  # export imports this module for its dispatch

    filters = replace(filters, statuses=(Status.APPROVED,))
    yield 0, "["
    separator = "\n"
    for batch in records(session, filters, batch_size=batch_size):
        parts = []
        for record in batch:
            parts.append(separator + jsonsafe.dumps(claim_review(record, publisher)))
            separator = ",\n"
        yield len(batch), "".join(parts)
    yield 0, "\n]\n"


_HTML_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def jsonld_for_html(data: object) -> str:
    """JSON for a ``<script type="application/ld+json">`` block: ``<``, ``>``, ``&`` (and the
    JavaScript line separators) are escaped as ``\\u003c``…, so no text can close the tag."""
    return json.dumps(data, ensure_ascii=False).translate(_HTML_ESCAPES)
