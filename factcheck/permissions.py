"""The predicates that decide who may do what: pure functions of a user and the rows at
hand, with no request and no Flask in sight.

Routes guard with ``web.require_role``, templates ask the same predicates (``web.py``
exposes them to Jinja), and services call them, so the HTML views, the JSON API, the CLI
and the navigation all obey one set of rules. Where a rule is also needed as a query
condition, its SQL twin sits right next to it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from .models import PROJECT_ROLES, Annotation, Assignment, ProjectMember, Role, Status, User


def _signed_in(user: User | None) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def is_admin(user: User | None) -> bool:
    """A site administrator."""
    return _signed_in(user) and user.has_role(Role.ADMIN)


def holds(user: User | None, *roles: Role, project_id: int | None = None) -> bool:
    """``user`` holds one of ``roles``: the one place that says "admins may do everything".

    A site admin holds every role, everywhere. In a project (``project_id``), its project
    admins hold every project role too; without one, the role must be held in at least one
    project (or be the site role itself), and so a project admin holds every project role
    (the route guards let them in, the project's own check decides). No ``roles``: any
    signed-in user.
    """
    if not _signed_in(user):
        return False
    if not roles or is_admin(user):
        return True
    if project_id is not None:
        held = user.roles_in(project_id)
        return Role.PROJECT_ADMIN in held or any(role in held for role in roles)
    if any(role in PROJECT_ROLES for role in roles) and user.has_role(Role.PROJECT_ADMIN):
        return True
    return any(user.has_role(role) for role in roles)


# --- projects: who sees which project, in which roles (the one place) ------------------


def project_roles(user: User | None, project_id: int) -> set[Role]:
    """The roles ``user`` holds in the project; a site admin holds them all; a
    non-member none (and then sees nothing of the project: 404 everywhere)."""
    if not _signed_in(user):
        return set()
    if is_admin(user):
        return set(PROJECT_ROLES)
    return user.roles_in(project_id)


def is_member(user: User | None, project_id: int) -> bool:
    return bool(project_roles(user, project_id))


def has_project_role(user: User | None, project_id: int, *roles: Role) -> bool:
    """One of ``roles`` in the project; its project admins (and site admins) pass."""
    return holds(user, *(roles or (Role.PROJECT_ADMIN,)), project_id=project_id)


def can_annotate(user: User | None, project) -> bool:
    """Write claims in ``project``: its annotators (and admins), while it is not archived."""
    return has_project_role(user, project.id, Role.ANNOTATOR) and not project.archived


def why_no_annotating(user: User | None, project) -> str | None:
    """Why ``user`` may not write claims in ``project`` (None: they may), for the page to
    say so: ``archived``, ``reviewer`` (they review here) or ``role``."""
    if can_annotate(user, project):
        return None
    if project.archived:
        return "archived"
    return "reviewer" if has_project_role(user, project.id, Role.REVIEWER) else "role"


def is_project_admin(user: User | None, project_id: int) -> bool:
    return Role.PROJECT_ADMIN in project_roles(user, project_id)


def visible_projects(user: User | None, column, *roles: Role) -> ColumnElement[bool]:
    """SQL twin of ``has_project_role`` (``is_member`` without ``roles``): a condition on
    ``column`` (a project id column) that holds for the projects ``user`` may see."""
    if not _signed_in(user):
        return false()
    if is_admin(user):
        return true()
    member = select(ProjectMember.project_id).where(ProjectMember.user_id == user.id)
    if roles:
        member = member.where(
            ProjectMember.role.in_([r.value for r in (*roles, Role.PROJECT_ADMIN)])
        )
    return column.in_(member)


# --- annotations -----------------------------------------------------------------------


def visible_claims(user: User | None) -> ColumnElement[bool]:
    """SQL twin of ``can_see``: the annotations of ``user``'s projects, drafts their
    author's (and the project admins')."""
    return and_(visible_projects(user, Annotation.project_id), drafts_visible(user))


def sees_draft(user: User | None, annotation: Annotation) -> bool:
    """Drafts are private to their author and the project's admins (site admins too);
    every other status passes. Membership is a separate rule (``can_see``)."""
    if annotation.status is not Status.DRAFT:
        return True
    if not _signed_in(user):
        return False
    return annotation.author_id == user.id or is_project_admin(user, annotation.project_id)


def drafts_visible(user: User | None) -> ColumnElement[bool]:
    """SQL twin of ``sees_draft``: a condition on ``Annotation`` rows."""
    if not _signed_in(user):
        return Annotation.status != Status.DRAFT
    if is_admin(user):
        return true()
    return or_(
        Annotation.status != Status.DRAFT,
        Annotation.author_id == user.id,
        visible_projects(user, Annotation.project_id, Role.PROJECT_ADMIN),
    )


def can_see(user: User | None, annotation: Annotation) -> bool:
    """Members of the annotation's project see it; drafts are private to their author
    (and the project's admins)."""
    return is_member(user, annotation.project_id) and sees_draft(user, annotation)


def can_see_version(
    user: User | None, annotation: Annotation, peers: Callable[[], Collection[int]]
) -> bool:
    """``can_see``, or a co-annotator's version that an assignment opens to ``user``
    (``peers()``: the authors it opens to them, asked only when needed). Either way only
    while ``user`` is a member of the project: what a removed member left there (a share of
    an assignment) opens nothing."""
    if can_see(user, annotation):
        return True
    return is_member(user, annotation.project_id) and annotation.author_id in peers()


def can_edit(user: User, annotation: Annotation) -> bool:
    """Only the author edits, and only while the annotation is not approved."""
    return annotation.author_id == user.id and annotation.status is not Status.APPROVED


def can_review(user: User, annotation: Annotation) -> bool:
    """The four-eyes rule: a reviewer of the project, and never the author (admins included)."""
    return (
        has_project_role(user, annotation.project_id, Role.REVIEWER)
        and annotation.author_id != user.id
    )


def can_settle_anchor(user: User | None, annotation: Annotation) -> bool:
    """Confirm or move the place of a claim a revision left relocated or orphaned: its
    author while a member of the project, or whoever may review it (four-eyes)."""
    if not _signed_in(user):
        return False
    if annotation.author_id == user.id:
        return is_member(user, annotation.project_id)
    return can_review(user, annotation)


def settleable_claims(user: User | None) -> ColumnElement[bool]:
    """SQL twin of ``can_settle_anchor``, among the claims ``user`` may see."""
    if not _signed_in(user):
        return false()
    return and_(
        visible_claims(user),
        or_(
            Annotation.author_id == user.id,
            visible_projects(user, Annotation.project_id, Role.REVIEWER),
        ),
    )


# --- articles, export -------------------------------------------------------------------


def can_manage_articles(user: User | None, project_id: int) -> bool:
    """Import, edit, revise, move and delete a project's articles: its admins (and site
    admins), on the pages, in the API and on the command line alike."""
    return is_project_admin(user, project_id)


def can_export_drafts(user: User | None, project_id: int) -> bool:
    """Drafts are private (``sees_draft``): only the project's admins export them."""
    return is_project_admin(user, project_id)


def can_export(user: User | None, project=None, *, site_allows: bool) -> bool:
    """Reviewers export; annotators too when the project, or the site (``site_allows``:
    the ANNOTATORS_CAN_EXPORT setting), allows it. Without ``project``: may the user
    export from some project?"""
    if project is None:
        if holds(user, Role.REVIEWER, Role.PROJECT_ADMIN):
            return True
        if not holds(user, Role.ANNOTATOR):
            return False
        return site_allows or any(m.project.annotators_can_export for m in user.memberships)
    if has_project_role(user, project.id, Role.REVIEWER):
        return True
    allowed = project.annotators_can_export or site_allows
    return allowed and has_project_role(user, project.id, Role.ANNOTATOR)


# --- assignments (double annotation) ----------------------------------------------------


def sees_whole_assignment(user: User | None, assignment: Assignment) -> bool:
    """Its project's reviewers (and admins) see all of an assignment: every article, the
    agreement figures."""
    return has_project_role(user, assignment.project_id, Role.REVIEWER)


def can_see_assignment(user: User | None, assignment: Assignment, *, annotates: bool) -> bool:
    """Its project's reviewers, and the annotators it names (``annotates``) while they are
    members of the project: a removed member's share opens nothing (404)."""
    return sees_whole_assignment(user, assignment) or (
        annotates and is_member(user, assignment.project_id)
    )


def sees_co_annotators(
    user: User | None, assignment: Assignment, *, annotates: bool, adjudicated: bool
) -> bool:
    """May ``user`` see what the other annotators of an article did on it (their claims, even
    how many)? Not while a blind assignment's article waits for adjudication and ``user`` is
    one of its annotators (``annotates``); the project's admins are not bound, as they see
    every draft (``sees_draft``)."""
    if not assignment.blind or adjudicated or not annotates:
        return True
    return is_project_admin(user, assignment.project_id)


# --- publication (DESIGN.md, "The desk's memory") ---------------------------------------


def can_publish(user: User | None, annotation: Annotation) -> bool:
    """Record where an approved claim's verdict was published: the reviewers of its project
    (its project admins and site admins too). Whether the claim is approved, and its
    project writable, is the service's to say (with a sentence, not a missing button)."""
    return has_project_role(user, annotation.project_id, Role.REVIEWER)


# --- claimants: entities shared by the whole installation (DESIGN.md, "The desk's memory")


def can_see_claimants(user: User | None) -> bool:
    """Read and search claimants: any signed-in member of a project (and site admins)."""
    return is_admin(user) or (_signed_in(user) and bool(user.memberships))


def can_create_claimant(user: User | None) -> bool:
    """Name a new claimant: whoever writes claims somewhere (annotators, admins)."""
    return holds(user, Role.ANNOTATOR)


def can_edit_claimants(user: User | None) -> bool:
    """Edit and merge claimants: site admins and project admins (a claimant is shared by
    every project, so no single project's role is enough)."""
    return holds(user, Role.PROJECT_ADMIN)
