"""Who searches, and what that lets them see: the claims of their projects (never another
person's draft: services/matching/scope.py, the rule "Checked before?" follows), the past
fact-checks, and which verdicts stay hidden from them.

A verdict is hidden exactly as the review page, "Checked before?" and the export hide it
(services/second_verdict.py, ``hidden_ids`` and its SQL twin ``verdict_visible``): a claim
in review in a project that reviews blind, written by somebody else, from a reviewer of
that project (admins included) who has not given their own verdict on it yet. Such a
claim is listed without its verdict, counts as ``hidden`` in the distribution, and the
verdict filter never selects it by its key (nor leaves it out by another key): asking
``verdict=false`` and ``verdict=true`` tells nothing about it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, false, not_, select
from sqlalchemy.orm import Session

from ...models import Claimant, ClaimantAlias, FactCheck, Project, Role, User, Verdict
from ...permissions import has_project_role, visible_projects
from .. import second_verdict
from ..claimants import MAX_LIMIT, folded, live, suggest
from ..errors import Invalid
from ..matching.scope import visible_claims
from .params import HIDDEN, NO_VERDICT, Criteria
from .sql import among


@dataclass(frozen=True)
class Scope:
    user: User
    #: the blind projects where the caller reviews: verdicts there may be hidden from them
    blind_ids: tuple[int, ...]
    #: ``project=`` resolved (None: every project the caller belongs to)
    project_ids: tuple[int, ...] | None
    #: ``claimant=`` resolved (None: any claimant)
    claimant_ids: tuple[int, ...] | None
    #: the names and aliases of those claimants, for past fact-checks (free text there)
    claimant_names: tuple[str, ...]

    def visible(self) -> ColumnElement[bool]:
        return visible_claims(self.user)

    def hidden(self) -> ColumnElement[bool]:
        """SQL: the annotation's verdict is hidden from the caller."""
        if not self.blind_ids:
            return false()
        return not_(second_verdict.verdict_visible(self.user.id, self.blind_ids))


def scope_for(session: Session, user: User, criteria: Criteria) -> Scope:
    """The caller's scope for ``criteria``; 422 for a project, claimant or verdict that
    names nothing the caller may see."""
    blind_ids = blind_projects(session, user)
    project_ids = _projects(session, user, criteria.projects) if criteria.projects else None
    claimant_ids, names = _claimants(session, criteria)
    if criteria.verdicts:
        _check_verdicts(session, user, criteria.verdicts)
    return Scope(user, blind_ids, project_ids, claimant_ids, names)


def blind_projects(session: Session, user: User) -> tuple[int, ...]:
    """The projects reviewing blind where ``user`` reviews (admins included)."""
    blind = session.scalars(
        select(Project.id).where(
            Project.blind_second_verdict.is_(True), visible_projects(user, Project.id)
        )
    )
    return tuple(p for p in blind if has_project_role(user, p, Role.REVIEWER))


def _projects(session: Session, user: User, slugs: tuple[str, ...]) -> tuple[int, ...]:
    found = dict(
        session.execute(
            select(Project.slug, Project.id).where(
                Project.slug.in_(slugs), visible_projects(user, Project.id)
            )
        ).all()
    )
    for slug in slugs:
        if slug not in found:
            # the same answer for a project that does not exist and one of others
            raise Invalid(
                _("project: you belong to no project %(slug)s.", slug=slug[:60]), field="project"
            )
    return tuple(found.values())


def _claimants(session: Session, criteria: Criteria):
    if criteria.claimant_id is not None:
        claimant = session.get(Claimant, criteria.claimant_id)
        if claimant is None:
            raise Invalid(_("claimant: no claimant has this id."), field="claimant")
        ids = [live(session, claimant).id]
    elif criteria.claimant_name:
        key = folded(criteria.claimant_name)
        if not key:
            raise Invalid(_("claimant: write a name or a claimant's id."), field="claimant")
        # the claimants the suggestions offer for this name (word prefixes of a name or
        # an alias, accents and case ignored: services/claimants/suggest.py), at most 50
        ids = [found.claimant.id for found in suggest(session, criteria.claimant_name, MAX_LIMIT)]
    else:
        return None, ()
    # claims of a claimant merged away moved to the one kept; any left behind count too
    merged = (
        select(Claimant.id).where(among(session, Claimant.merged_into_id, ids)) if ids else None
    )
    if merged is not None:
        ids += [i for i in session.scalars(merged) if i not in ids]
    names = set()
    if ids:
        names.update(session.scalars(select(Claimant.name).where(among(session, Claimant.id, ids))))
        names.update(
            session.scalars(
                select(ClaimantAlias.alias).where(among(session, ClaimantAlias.claimant_id, ids))
            )
        )
    if criteria.claimant_name:
        names.add(criteria.claimant_name)
    return tuple(ids), tuple(sorted(names))


def known_verdicts(session: Session, user: User) -> list[str]:
    """The verdict keys the caller may filter by: their projects' scales and the keys past
    fact-checks carry."""
    keys = set(
        session.scalars(
            select(Verdict.key).where(visible_projects(user, Verdict.project_id)).distinct()
        )
    )
    keys.update(
        session.scalars(select(FactCheck.verdict).where(FactCheck.verdict.is_not(None)).distinct())
    )
    return sorted(keys)


def _check_verdicts(session: Session, user: User, wanted: tuple[str, ...]) -> None:
    """422 for a key no scale of the caller's and no past fact-check carries (asked key by
    key: an EXISTS stops at the first fact-check, where listing their keys reads them all)."""
    known = {NO_VERDICT, HIDDEN}
    known.update(
        session.scalars(
            select(Verdict.key).where(
                Verdict.key.in_(wanted), visible_projects(user, Verdict.project_id)
            )
        )
    )
    for key in wanted:
        if key in known or session.scalar(select(exists().where(FactCheck.verdict == key))):
            continue
        raise Invalid(
            _("verdict: unknown verdict %(key)s.", key=key[:40]),
            field="verdict",
        )
