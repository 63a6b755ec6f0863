"""What the Claims page offers in its filters, and how it names the verdicts of the
distribution: only what the caller may see (their projects, their scales' verdicts)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import FactCheck, Project, User, Verdict
from ...permissions import visible_projects
from .. import verdicts
from ..articles import languages
from .items import DEFAULT_COLOUR, safe_colour
from .params import HIDDEN, NO_VERDICT, STATUSES

#: the chart's colours for the two keys no scale has
HIDDEN_COLOUR = "#9e9e9e"
NONE_COLOUR = "#cfcac0"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    colour: str = DEFAULT_COLOUR


def verdict_choices(session: Session, user: User, *, hidden: bool) -> list[Choice]:
    """Every verdict of the caller's projects' scales (a key once: the first project's
    label and colour), then "no verdict", and "hidden from you" where a verdict may be."""
    rows = session.scalars(
        select(Verdict)
        .where(visible_projects(user, Verdict.project_id))
        .order_by(Verdict.project_id, Verdict.position, Verdict.id)
    )
    seen: dict[str, Choice] = {}
    for verdict in rows:
        if verdict.key not in seen:
            seen[verdict.key] = Choice(
                verdict.key, verdicts.label(verdict), safe_colour(verdict.colour)
            )
    found = list(seen.values())
    found.append(Choice(NO_VERDICT, _("No verdict yet"), NONE_COLOUR))
    if hidden:
        found.append(Choice(HIDDEN, _("Hidden until you give yours"), HIDDEN_COLOUR))
    return found


def status_choices() -> list[Choice]:
    names = {
        "draft": _("Draft (yours)"),
        "submitted": _("In review"),
        "approved": _("Approved"),
        "rejected": _("Rejected"),
        "published": _("Published"),
    }
    return [Choice(s, names[s]) for s in STATUSES]


def kind_choices() -> list[Choice]:
    return [Choice("annotation", _("Our claims")), Choice("factcheck", _("Past fact-checks"))]


def project_choices(session: Session, user: User) -> list[Choice]:
    rows = session.execute(
        select(Project.slug, Project.name)
        .where(visible_projects(user, Project.id))
        .order_by(Project.name)
    )
    return [Choice(slug, name) for slug, name in rows]


def language_choices(session: Session, user: User) -> list[str]:
    """The languages of the caller's articles and of the past fact-checks."""
    found = set(languages(session, user))
    found.update(
        session.scalars(
            select(FactCheck.language).where(FactCheck.language.is_not(None)).distinct()
        )
    )
    return sorted(found)


def distribution_rows(counts: dict[str, int], choices: list[Choice]) -> list[tuple]:
    """The chart's bars: (label, count, css class, fill colour), most frequent first; a
    key of no scale of the caller's (a fact-check's) by its key."""
    named = {c.value: c for c in choices}
    named.setdefault(NO_VERDICT, Choice(NO_VERDICT, _("No verdict yet"), NONE_COLOUR))
    named.setdefault(HIDDEN, Choice(HIDDEN, _("Hidden until you give yours"), HIDDEN_COLOUR))
    rows = []
    for key, n in counts.items():
        choice = named.get(key, Choice(key, key))
        rows.append((choice.label, n, "bar-verdict", choice.colour))
    return rows
