"""The verdict scales, one per project: defaults, and what admins do with them (a verdict
in use is never deleted, only retired)."""

import re

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from ..jsonsafe import parse_whole
from ..models import Annotation, FactCheck, Project, Verdict
from . import projects
from .errors import Conflict, DomainError, Invalid, NotFound
from .fold import fold


def ensure_default_scale(session: Session) -> int:
    """Create the default project and its newsroom verdicts when missing; return how many
    verdicts were added."""
    _project, added = projects.ensure_default_project(session)
    return added


def _project_id(session: Session, project: Project | int | None) -> int | None:
    if isinstance(project, int):
        return project
    if project is None:
        project = projects.default_project(session)
    return project.id if project is not None else None


def scale(
    session: Session, project: Project | int | None = None, *, include_retired: bool = False
) -> list[Verdict]:
    """The project's scale in display order (no project: the default project's)."""
    query = (
        select(Verdict)
        .where(Verdict.project_id == _project_id(session, project))
        .order_by(Verdict.position, Verdict.id)
    )
    if not include_retired:
        query = query.where(Verdict.retired.is_(False))
    return list(session.scalars(query))


def find(session: Session, project: Project | int | None, key: object) -> Verdict | None:
    if not isinstance(key, str):
        return None
    return session.scalar(
        select(Verdict).where(
            Verdict.project_id == _project_id(session, project), Verdict.key == key
        )
    )


# --- labels in the interface language ------------------------------------------------------


def interface_locale() -> str:
    """The language of the page being built ("en" outside a request)."""
    return str(get_locale() or "en")


def label(verdict: Verdict | None, key: str | None = None) -> str:
    """The verdict's label in the interface language (its French label on a French page,
    when the scale has one); the bare key when the verdict is unknown."""
    if verdict is None:
        return key or ""
    return verdict.label_for(interface_locale())


def labels(session: Session, project: Project | int | None = None) -> dict[str, str]:
    """Key → label in the interface language, for the whole scale (retired verdicts too:
    old claims still carry them)."""
    return {v.key: label(v) for v in scale(session, project, include_retired=True)}


def relabel_rows(session: Session, rows: list[dict]) -> list[dict]:
    """Export rows (``verdict``, ``verdict_label`` and ``project`` slug, as the CSV has them)
    with ``verdict_label`` in the interface language, for a page that shows them; the file
    itself keeps the scale's label."""
    default = projects.default_project(session)

    def slug(row: dict) -> str:
        return row.get("project") or (default.slug if default else "")

    wanted = {slug(row) for row in rows if row.get("verdict")}
    query = select(Verdict, Project.slug).join(Project, Project.id == Verdict.project_id)
    found = {
        (project_slug, verdict.key): label(verdict)
        for verdict, project_slug in session.execute(query.where(Project.slug.in_(wanted)))
    }
    for row in rows:
        row["verdict_label"] = found.get((slug(row), row.get("verdict")), row.get("verdict_label"))
    return rows


def rating_label(factcheck: FactCheck) -> str:
    """A past fact-check's rating as the page should show it: when the rating is one of our
    scale's labels ("False", "Faux"), that verdict's label in the interface language; any
    other rating ("Pants on Fire", "Trompeur selon nous") as the fact-checker wrote it."""
    rating = factcheck.rating or ""
    session = object_session(factcheck)
    if not factcheck.verdict or session is None:
        return rating
    wanted = fold(rating.strip())
    for verdict in session.scalars(select(Verdict).where(Verdict.key == factcheck.verdict)):
        if wanted in (fold(verdict.label), fold(verdict.label_fr or "")):
            return label(verdict)
    return rating


# --- administration ---------------------------------------------------------------------

KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
SHORTCUT = re.compile(r"[1-9a-z]")


def _clean(session: Session, verdict: Verdict | None, fields: dict, project_id=None) -> dict:
    """Check the editable fields of a verdict; 422 naming the field, 409 on a taken shortcut."""
    out: dict = {}
    project_id = verdict.project_id if verdict is not None else project_id
    for name, limit in (("label", 100), ("label_fr", 100)):
        if name in fields:
            value = (fields[name] or "").strip()
            if (name == "label" and not value) or len(value) > limit:
                raise Invalid(_("A label has 1 to 100 characters."), field=name)
            out[name] = value
    if "colour" in fields:
        colour = (fields["colour"] or "").strip()
        if not COLOUR.fullmatch(colour):
            raise Invalid(_("A colour is written #rrggbb."), field="colour")
        out["colour"] = colour.lower()
    if "shortcut" in fields:
        shortcut = (fields["shortcut"] or "").strip().lower() or None
        if shortcut is not None and not SHORTCUT.fullmatch(shortcut):
            raise Invalid(_("A shortcut is one digit 1–9 or one letter."), field="shortcut")
        if shortcut is not None:
            taken = session.scalar(
                select(Verdict).where(
                    Verdict.project_id == project_id,
                    Verdict.shortcut == shortcut,
                    Verdict.retired.is_(False),
                )
            )
            if taken is not None and taken is not verdict:
                raise Conflict(
                    str(
                        _(
                            "The shortcut %(key)s is taken by “%(label)s”.",
                            key=shortcut,
                            label=taken.label,
                        )
                    ),
                    field="shortcut",
                )
        out["shortcut"] = shortcut
    if "rating" in fields:
        rating = fields["rating"]
        if rating in ("", None):
            rating = None
        elif not 1 <= (parse_whole(str(rating)) or 0) <= 5:  # "²" is no digit to int()
            raise Invalid(_("A rating is a number from 1 to 5, or empty."), field="rating")
        out["rating"] = int(rating) if rating is not None else None
    return out


def add_verdict(
    session: Session, key: str, fields: dict, project: Project | int | None = None
) -> Verdict:
    project_id = _project_id(session, project)
    key = (key or "").strip()
    if not KEY.fullmatch(key):
        raise Invalid(
            _("A key is lowercase letters, digits and underscores, starting with a letter."),
            field="key",
        )
    if find(session, project_id, key) is not None:
        raise Conflict(_("The key “%(key)s” exists already.", key=key), field="key")
    values = _clean(session, None, {"label": "", **fields}, project_id)
    last = session.scalar(
        select(func.max(Verdict.position)).where(Verdict.project_id == project_id)
    )
    verdict = Verdict(project_id=project_id, key=key, position=(last or 0) + 1, **values)
    session.add(verdict)
    session.flush()
    return verdict


def update_verdict(session: Session, verdict: Verdict, fields: dict) -> Verdict:
    for name, value in _clean(session, verdict, fields).items():
        setattr(verdict, name, value)
    session.flush()
    return verdict


def update_scale(session: Session, project_id: int, rows: dict[int, dict]) -> None:
    """Save every edited row of the scale at once (the editor sends them all, so that
    saving one row never throws away another's edits); an error names the verdict."""
    by_id = {v.id: v for v in scale(session, project_id, include_retired=True)}
    unknown = sorted(set(rows) - set(by_id))
    if unknown:
        raise NotFound(_("No such verdict in this project: %(id)s.", id=unknown[0]))
    # free the shortcuts that change first: two rows may swap theirs
    for verdict_id, fields in rows.items():
        verdict = by_id[verdict_id]
        if "shortcut" in fields and (fields["shortcut"] or "").strip().lower() != (
            verdict.shortcut or ""
        ):
            verdict.shortcut = None
    session.flush()
    for verdict_id, fields in rows.items():
        verdict = by_id[verdict_id]
        try:
            update_verdict(session, verdict, fields)
        except DomainError as error:
            message = _("%(key)s: %(message)s", key=verdict.key, message=error.message)
            raise type(error)(message, field=error.field, code=error.code) from None


def move_verdict(session: Session, verdict: Verdict, step: int) -> None:
    """Swap with the neighbour above (-1) or below (+1) in the scale."""
    ordered = scale(session, verdict.project_id, include_retired=True)
    for position, item in enumerate(ordered):
        item.position = position  # repair gaps and ties first
    index = ordered.index(verdict)
    other = index + (1 if step > 0 else -1)
    if 0 <= other < len(ordered):
        ordered[index].position, ordered[other].position = other, index
    session.flush()


def set_retired(session: Session, verdict: Verdict, retired: bool) -> None:
    if not retired and verdict.shortcut:
        _clean(session, verdict, {"shortcut": verdict.shortcut})  # still free?
    verdict.retired = retired
    session.flush()


def usage(session: Session, verdict: Verdict) -> int:
    return session.scalar(
        select(func.count())
        .select_from(Annotation)
        .where(Annotation.project_id == verdict.project_id, Annotation.verdict == verdict.key)
    )


def delete_verdict(session: Session, verdict: Verdict) -> None:
    """Only a verdict no annotation uses; retire the others."""
    used = usage(session, verdict)
    if used:
        raise Conflict(
            str(
                _(
                    "“%(label)s” is used by %(n)s claims and cannot be deleted; retire it instead.",
                    label=verdict.label,
                    n=used,
                )
            ),
            code="verdict_in_use",
        )
    session.delete(verdict)
    session.flush()
