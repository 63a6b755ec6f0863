"""What a claims search asks for: the query string read and checked (422 naming the field
for an unknown filter, an unknown value, a malformed date, a page past the limit)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from ...jsonsafe import parse_whole
from ..errors import Invalid

#: a page of the API or the page: tighter than the API's MAX_PER_PAGE (1000), because each
#: item is loaded with its claimant, verdict label, project and language (a 1000-item page
#: costs more than the whole search); the CSV has no page and takes the whole result
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 20
#: past this the OFFSET walks over more rows than any reader pages through
MAX_PAGE = 10_000
MAX_Q = 500
KINDS = ("annotation", "factcheck")
ORDERS = ("relevance", "date")
#: statuses of claims, and "published" (past fact-checks, and claims published since)
STATUSES = ("draft", "submitted", "approved", "rejected", "published")
#: verdict filter values beside a scale's keys: no verdict yet; a verdict hidden from the
#: caller (blind second verdict), which the filter may select as such but never by its key
NO_VERDICT = "none"
HIDDEN = "hidden"
FILTERS = frozenset(
    {
        "q",
        "semantic",
        "claimant",
        "verdict",
        "status",
        "project",
        "language",
        "from",
        "to",
        "kind",
        "order",
        "page",
        "per_page",
        "format",
        "spreadsheet_safe",
    }
)
_LANGUAGE = re.compile(r"[a-z]{2}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Criteria:
    q: str = ""
    semantic: bool = False
    #: a claimant's id, or a name matched as the suggestions match it
    claimant_id: int | None = None
    claimant_name: str = ""
    verdicts: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    language: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    kinds: tuple[str, ...] = KINDS
    order: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    format: str = "json"
    #: the CSV's spreadsheet-safe mode (services/export's), as the page downloads it
    spreadsheet_safe: bool = False

    def query_args(self, **changes) -> dict:
        """The query string that asks for these criteria (links: pages, CSV, order)."""
        args = {
            "q": self.q,
            "semantic": "1" if self.semantic else "",
            "claimant": str(self.claimant_id) if self.claimant_id else self.claimant_name,
            "verdict": ",".join(self.verdicts),
            "status": ",".join(self.statuses),
            "project": ",".join(self.projects),
            "language": self.language or "",
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "kind": ",".join(self.kinds) if self.kinds != KINDS else "",
            "order": self.order if self.order != "relevance" else "",
            "page": str(self.page) if self.page != 1 else "",
            "per_page": str(self.per_page) if self.per_page != DEFAULT_PER_PAGE else "",
        }
        args |= {k: str(v) for k, v in changes.items()}
        return {k: v for k, v in args.items() if v}


def parse(args: Mapping[str, str], *, csv: bool = False) -> Criteria:
    """The criteria of a query string (a form's empty fields mean "any")."""
    unknown = sorted(set(args) - FILTERS)
    if unknown:
        raise Invalid(
            _(
                "%(name)s: unknown filter (known: %(names)s).",
                name=unknown[0][:40],
                names=", ".join(sorted(FILTERS)),
            ),
            field=unknown[0][:40],
        )

    def get(name: str) -> str:
        return (args.get(name) or "").strip()

    q = get("q")
    if len(q) > MAX_Q:
        raise Invalid(_("q: at most %(n)s characters.", n=MAX_Q), field="q")
    semantic = _flag(get("semantic"), "semantic")
    claimant = get("claimant")
    claimant_id = None
    if claimant.isdigit():
        claimant_id = parse_whole(claimant)
        if not claimant_id or claimant_id > 2**31 - 1:
            raise Invalid(_("claimant: no claimant has this id."), field="claimant")
        claimant = ""
    order = get("order") or "relevance"
    if order not in ORDERS:
        raise Invalid(_unknown("order", order, ORDERS), field="order")
    fmt = "csv" if csv else (get("format") or "json")
    if fmt not in ("json", "csv"):
        raise Invalid(_unknown("format", fmt, ("json", "csv")), field="format")
    kinds = _listed(get("kind"), "kind", KINDS) or KINDS
    statuses = _listed(get("status"), "status", STATUSES)
    language = get("language").lower() or None
    if language is not None and not _LANGUAGE.fullmatch(language):
        raise Invalid(
            _(
                "language: %(value)s is not a two-letter code such as fr or en.",
                value=language[:20],
            ),
            field="language",
        )
    date_from, date_to = _date(get("from"), "from"), _date(get("to"), "to")
    if date_from and date_to and date_from > date_to:
        raise Invalid(_("from: the range starts after it ends."), field="from")
    return Criteria(
        q=q,
        semantic=semantic,
        claimant_id=claimant_id,
        claimant_name=claimant[:300],
        # verdict keys are checked against the scales the caller may see (query.py)
        verdicts=tuple(v for v in _split(get("verdict"))),
        statuses=statuses,
        projects=_split(get("project")),
        language=language,
        date_from=date_from,
        date_to=date_to,
        kinds=kinds,
        order=order,
        page=_number(get("page"), "page", 1, MAX_PAGE),
        per_page=_number(get("per_page"), "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE),
        format=fmt,
        spreadsheet_safe=_flag(get("spreadsheet_safe"), "spreadsheet_safe"),
    )


def _split(value: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for part in value.split(","):
        if part.strip():
            seen.setdefault(part.strip()[:100], None)
    return tuple(seen)


def _listed(value: str, name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    parts = _split(value)
    for part in parts:
        if part not in allowed:
            raise Invalid(_unknown(name, part, allowed), field=name)
    return parts


def _unknown(name: str, value: str, allowed) -> str:
    return _(
        "%(name)s: unknown value %(value)s (one of %(values)s).",
        name=name,
        value=value[:40],
        values=", ".join(allowed),
    )


def _flag(value: str, name: str) -> bool:
    flags = {
        "1": True,
        "true": True,
        "yes": True,
        "on": True,
        "0": False,
        "false": False,
        "no": False,
        "": False,
    }
    if value.lower() not in flags:
        raise Invalid(_("%(name)s must be 0 or 1.", name=name), field=name)
    return flags[value.lower()]


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(
            _("%(name)s: a date written YYYY-MM-DD, such as 2024-03-31.", name=name), field=name
        ) from None


def _number(value: str, name: str, default: int, most: int) -> int:
    if not value:
        return default
    number = parse_whole(value)
    if number is None or not 1 <= number <= most:
        raise Invalid(_("%(name)s: a whole number from 1 to %(n)s.", name=name, n=most), field=name)
    return number
