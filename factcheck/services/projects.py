"""Projects: creation from a verdict-scale template, settings, versioned guidelines and
members. Who may see what lives in permissions.py (``project_roles`` and its SQL twin
``visible_projects``); this module only answers "which project" and changes projects.

The default project: an installation starts with one (slug ``default``, made by
``factcheck init`` and by the migration). When a caller names no project, the default is
the only project of the installation, or else the one whose slug is ``default``; with
neither, the caller must name one (422).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from flask_babel import gettext as _
from sqlalchemy import delete, event, exists, func, select
from sqlalchemy.orm import Session

from ..jsonsafe import parse_whole
from ..models import (
    DEFAULT_SLUG,
    DEFAULT_VERDICTS,
    Annotation,
    Article,
    GuidelineVersion,
    Project,
    Role,
    User,
    Verdict,
    utcnow,
)
from ..permissions import has_project_role, is_member, visible_projects
from ..text.slugs import slugify
from .errors import Conflict, Invalid, NotAllowed, NotFound
from .project_members import (  # noqa: F401  (the members' functions, as projects.*)
    RoleChange,
    add_member_roles,
    change_member_roles,
    clean_roles,
    members,
    remove_member,
    remove_member_roles,
    set_member_roles,
)
from .records import RecordError, clean_language

SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?")

#: verdict scale templates: key, English label, French label, ClaimReview rating, colour,
#: shortcut. A new project copies one of them (or another project's scale: ``copy:<slug>``).
TEMPLATES: dict[str, list[tuple]] = {
    "newsroom": DEFAULT_VERDICTS,
    "fever": [
        ("supported", "Supported", "Confirmé", 5, "#2e7d32", "1"),
        ("refuted", "Refuted", "Réfuté", 1, "#c62828", "2"),
        ("not_enough_info", "Not enough info", "Pas assez d'informations", None, "#607d8b", "3"),
    ],
    "liar": [
        ("pants_fire", "Pants on fire", "Complètement faux", 1, "#7f0000", "1"),
        ("false", "False", "Faux", 1, "#c62828", "2"),
        ("barely_true", "Barely true", "À peine vrai", 2, "#ef6c00", "3"),
        ("half_true", "Half true", "À moitié vrai", 3, "#f9a825", "4"),
        ("mostly_true", "Mostly true", "Plutôt vrai", 4, "#7cb342", "5"),
        ("true", "True", "Vrai", 5, "#2e7d32", "6"),
    ],
}
#: a row of a project's verdict scale: a template's columns, then whether it is retired
SCALE_COLUMNS = ("key", "label", "label_fr", "rating", "colour", "shortcut", "retired")
SETTINGS = (
    "reservation_minutes",
    "annotators_can_export",
    "default_language",
    "blind_second_verdict",
    "evidence_required",
)
EDITABLE = ("name", "description", "guidelines", "archived", *SETTINGS)


# --- which project -----------------------------------------------------------------------


def default_project(session: Session) -> Project | None:
    """The only project, or else the one with the default slug; None when neither."""
    with session.no_autoflush:
        first_two = list(session.scalars(select(Project).order_by(Project.id).limit(2)))
        if len(first_two) == 1:
            return first_two[0]
        return session.scalar(select(Project).where(Project.slug == DEFAULT_SLUG))


def by_slug(session: Session, slug: object, user: User | None) -> Project:
    """The project named ``slug`` if ``user`` is a member (site admins: any); else 404 (422
    when ``slug`` is not even text)."""
    if not isinstance(slug, str):
        raise Invalid(_("project must be a project's slug (text)."), field="project")
    project = session.scalar(select(Project).where(Project.slug == slug))
    if project is None or (user is not None and not is_member(user, project.id)):
        raise NotFound(_("No project “%(slug)s”.", slug=str(slug)[:60]), field="project")
    return project


def resolve(session: Session, slug: object, user: User | None) -> Project:
    """The named project, or the default one when ``slug`` is empty; 422 when none."""
    if slug not in (None, ""):
        return by_slug(session, slug, user)
    project = default_project(session)
    if user is not None and (project is None or not is_member(user, project.id)):
        # the caller's only project stands in for the default they cannot see
        mine = list_projects(session, user)
        project = mine[0] if len(mine) == 1 else None
    if project is None:
        raise Invalid(_("Name the project: this installation has several."), field="project")
    return project


def optional(session: Session, slug: object, user: User | None) -> Project | None:
    """A ``project=SLUG`` filter: the project, None when not given, 404 when not visible."""
    if slug in (None, ""):
        return None
    return by_slug(session, slug, user)


def list_projects(session: Session, user: User, *, include_archived: bool = True) -> list:
    query = select(Project).where(visible_projects(user, Project.id)).order_by(Project.name)
    if not include_archived:
        query = query.where(Project.archived.is_(False))
    return list(session.scalars(query))


def check_writable(project: Project) -> None:
    """An archived project is read-only (still exportable)."""
    if project.archived:
        raise Conflict(
            _("The project “%(name)s” is archived: it is read-only.", name=project.name),
            code="archived",
        )


def require_role(project: Project, user: User, *roles: Role) -> None:
    if not has_project_role(user, project.id, *roles):
        raise NotAllowed(_("You do not hold this role in the project."))


# --- creating and changing ---------------------------------------------------------------


def refuse_unknown(data: Mapping, allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise Invalid(
            _("Unknown or read-only field: %(names)s.", names=", ".join(unknown)),
            field=unknown[0],
        )


def slug_as_typed(slug: str, name: str) -> str:
    """What a person meant on the page: an empty slug is made from the name, one typed with
    capitals, accents or spaces is written as a slug ("Santé Publique" → "sante-publique");
    the API keeps its slugs exact (a bad one is a 422)."""
    slug = slug.strip()
    if not slug:
        return slugify(name)
    return slug if SLUG.fullmatch(slug) else (slugify(slug) or slug)


def clean_slug(slug: object) -> str:
    if not isinstance(slug, str) or not SLUG.fullmatch(slug):
        raise Invalid(
            _("A slug is 1 to 60 lowercase letters, digits and dashes (a-z, 0-9, -)."),
            field="slug",
        )
    return slug


def _clean_text(value: object, name: str, limit: int, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(_("%(field)s must be text.", field=name), field=name)
    value = value.strip()
    if (required and not value) or len(value) > limit:
        raise Invalid(_("%(field)s has 1 to %(n)s characters.", field=name, n=limit), field=name)
    return value


def template_rows(session: Session, template: object, user: User | None) -> list[tuple]:
    """The verdict rows a new project starts with."""
    if isinstance(template, str) and template.startswith("copy:"):
        source = by_slug(session, template[5:], user)
        return [
            tuple(getattr(v, column) for column in SCALE_COLUMNS)
            for v in session.scalars(
                select(Verdict)
                .where(Verdict.project_id == source.id)
                .order_by(Verdict.position, Verdict.id)
            )
        ]
    if template in (None, ""):
        template = "newsroom"
    if template not in TEMPLATES:
        raise Invalid(
            str(
                _(
                    "template is one of %(names)s, or copy:<slug>.",
                    names=", ".join(TEMPLATES),
                )
            ),
            field="template",
        )
    return [(*row, False) for row in TEMPLATES[template]]


def create_project(
    session: Session,
    *,
    name: object,
    slug: object,
    description: object = "",
    template: object = "newsroom",
    creator: User | None = None,
) -> Project:
    """A new project with its verdict scale from ``template``; 409 on a taken slug."""
    slug = clean_slug(slug)
    name = _clean_text(name, "name", 200, required=True)
    description = _clean_text(description, "description", 5000)
    rows = template_rows(session, template, creator)
    if session.scalar(select(Project.id).where(Project.slug == slug)) is not None:
        raise Conflict(_("The slug “%(slug)s” is taken.", slug=slug), field="slug")
    project = Project(slug=slug, name=name, description=description)
    session.add(project)
    session.flush()
    add_scale(session, project, rows)
    return project


def add_scale(session: Session, project: Project, rows: Iterable[tuple]) -> int:
    """Add the verdicts of ``rows`` (tuples of ``SCALE_COLUMNS``, in their order) to
    ``project``; returns how many."""
    n = 0
    for position, row in enumerate(rows):
        columns = dict(zip(SCALE_COLUMNS, row, strict=True))
        columns["retired"] = bool(columns["retired"])
        session.add(Verdict(project_id=project.id, position=position, **columns))
        n += 1
    session.flush()
    return n


def ensure_default_project(session: Session) -> tuple[Project, int]:
    """The project a fresh installation works in, with the newsroom scale when its scale is
    empty; returns it and the number of verdicts added."""
    project = default_project(session)
    if project is None:
        project = Project(slug=DEFAULT_SLUG, name="Default")
        session.add(project)
        session.flush()
    has_scale = session.scalar(select(Verdict.id).where(Verdict.project_id == project.id).limit(1))
    added = (
        0
        if has_scale is not None
        else add_scale(session, project, template_rows(session, "newsroom", None))
    )
    return project, added


def update_project(session: Session, project: Project, data: Mapping, actor: User) -> Project:
    """Change name, description, guidelines (a new version), settings or ``archived``."""
    unknown = sorted(set(data) - set(EDITABLE))
    if unknown:
        raise Invalid(
            _("Unknown or read-only field: %(names)s.", names=", ".join(unknown)),
            field=unknown[0],
        )
    if "name" in data:
        project.name = _clean_text(data["name"], "name", 200, required=True)
    if "description" in data:
        project.description = _clean_text(data["description"], "description", 5000)
    if "reservation_minutes" in data:
        minutes = data["reservation_minutes"]
        if minutes in (None, ""):
            minutes = None
        elif isinstance(minutes, bool) or not 1 <= (parse_whole(str(minutes)) or 0) <= 1440:
            raise Invalid(
                _("reservation_minutes is a whole number from 1 to 1440."),
                field="reservation_minutes",
            )
        project.reservation_minutes = int(minutes) if minutes is not None else None
    if "annotators_can_export" in data:
        project.annotators_can_export = _flag(
            data["annotators_can_export"], "annotators_can_export"
        )
    if "default_language" in data:
        try:
            project.default_language = clean_language(data["default_language"] or None)
        except RecordError as error:
            raise Invalid(error.message, field="default_language") from None
    if "archived" in data:
        project.archived = _flag(data["archived"], "archived")
    if "blind_second_verdict" in data:
        project.blind_second_verdict = _flag(data["blind_second_verdict"], "blind_second_verdict")
    if "evidence_required" in data:
        project.evidence_required = _flag(data["evidence_required"], "evidence_required")
    if "guidelines" in data:
        set_guidelines(session, project, data["guidelines"], actor)
    session.flush()
    return project


def _flag(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("1", "true", "on", "yes"):
        return True
    if value in ("0", "false", "off", "no", "", None):
        return False
    raise Invalid(_("%(name)s must be true or false.", name=name), field=name)


def set_guidelines(session: Session, project: Project, text: object, author: User | None) -> int:
    """New guidelines make a new version (kept forever); the same text changes nothing."""
    text = _clean_text(text, "guidelines", 100_000)
    if text == project.guidelines and project.guidelines_version:
        return project.guidelines_version
    number = project.guidelines_version + 1
    session.add(
        GuidelineVersion(
            project_id=project.id,
            number=number,
            text=text,
            author_id=author.id if author is not None else None,
            created_at=utcnow(),
        )
    )
    project.guidelines = text
    project.guidelines_version = number
    session.flush()
    return number


def guideline_versions(session: Session, project: Project) -> list[GuidelineVersion]:
    return list(
        session.scalars(
            select(GuidelineVersion)
            .where(GuidelineVersion.project_id == project.id)
            .order_by(GuidelineVersion.number.desc())
        )
    )


def claim_count(session: Session, project: Project) -> int:
    return session.scalar(
        select(func.count()).select_from(Annotation).where(Annotation.project_id == project.id)
    )


def delete_project(session: Session, project: Project) -> None:
    """Only a project without claims; archive the others (409)."""
    if claim_count(session, project):
        raise Conflict(
            _("This project has claims: it cannot be deleted. Archive it instead."),
            code="project_has_claims",
        )
    session.execute(delete(Article).where(Article.project_id == project.id))
    session.execute(delete(Verdict).where(Verdict.project_id == project.id))
    session.delete(project)
    session.flush()


def move_article(session: Session, article: Article, project: Project) -> Article:
    """Another project for an article nobody annotated yet (409 once it has claims)."""
    if article.project_id == project.id:
        return article
    if session.scalar(select(exists().where(Annotation.article_id == article.id))):
        raise Conflict(
            _("This article has claims: it cannot move to another project."),
            field="project",
        )
    check_writable(project)
    article.project_id = project.id
    session.flush()
    return article


# --- members: services/project_members.py ------------------------------------------------


# --- keeping older code paths whole ------------------------------------------------------


@event.listens_for(Session, "before_flush")
def _fill_projects(session: Session, _context, _instances) -> None:
    """Articles and annotations created without a project get one, and ``user.roles = …``
    lands in the default project: code written before projects keeps working."""
    new = list(session.new)
    users = [
        o
        for o in new + list(session.dirty)
        if getattr(o, "pending_project_roles", None) is not None
    ]
    articles = [o for o in new if isinstance(o, Article | Verdict) and o.project_id is None]
    annotations = [o for o in new if isinstance(o, Annotation) and o.project_id is None]
    if not (users or articles or annotations):
        return
    with session.no_autoflush:
        default = None
        if users or articles:
            default = default_project(session)
            if default is None:
                raise Invalid(
                    _("Create a project first (factcheck init creates the default one)."),
                    field="project",
                )
        for user in users:
            roles = user.pending_project_roles
            user.pending_project_roles = None
            set_member_roles(session, default, user, roles, flush=False)
        for article in articles:
            article.project_id = default.id
        for annotation in annotations:
            article = annotation.article or session.get(Article, annotation.article_id)
            if article is not None:  # else the foreign key refuses the row
                annotation.project_id = article.project_id
