"""Project pages: my projects (and, for site admins, a new one), the switcher, a project's
page with its guidelines, and the project admin page (settings, guidelines with their
versions, members)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..idempotency import creates
from ..models import Project
from ..permissions import (
    Role,
    is_admin,
    is_project_admin,
    project_roles,
)
from ..services import projects, publication
from ..services.errors import DomainError
from ..web import login_required, require_role, safe_next
from . import bp
from .forms import (
    PROJECT_ROLE_CHOICES,
    TEMPLATE_CHOICES,
    CreateForm,
    GuidelinesForm,
    MemberForm,
    RemoveMemberForm,
    SettingsForm,
    SwitchForm,
)


def _project(slug: str, *, admin: bool = False) -> Project:
    try:
        project = projects.by_slug(db.session, slug, current_user)
    except DomainError:
        abort(404)
    if admin and not is_project_admin(current_user, project.id):
        abort(403)
    return project


def _create_form(mine, form: CreateForm | None = None) -> CreateForm:
    """The creation form, its scales offering a copy of each project the admin sees."""
    form = form or CreateForm(formdata=None)
    form.template.choices = list(TEMPLATE_CHOICES) + [
        (f"copy:{p.slug}", _("The scale of “%(name)s”, copied", name=p.name)) for p in mine
    ]
    return form


@bp.get("/")
@login_required
def index(form: CreateForm | None = None, status: int = 200):
    mine = projects.list_projects(db.session, current_user)
    roles = {p.id: sorted(r.value for r in project_roles(current_user, p.id)) for p in mine}
    return render_template(
        "projects/index.html",
        projects=mine,
        roles=roles,
        form=_create_form(mine, form),
        may_create=is_admin(current_user),  # site admins create projects (as in the API)
    ), status


@bp.post("/")
@require_role(Role.ADMIN)
@creates  # commits; the form's one-time token makes a double submit create once
def create():
    form = CreateForm()
    if not form.validate_on_submit():
        return index(form, 422)
    try:
        project = projects.create_project(
            db.session,
            name=form.name.data,
            slug=projects.slug_as_typed(form.slug.data or "", form.name.data or ""),
            description=form.description.data or "",
            template=form.template.data,
            creator=current_user,
        )
    except DomainError as error:
        db.session.rollback()
        getattr(form, error.field or "name", form.name).errors.append(error.message)
        return index(form, error.status)
    current_user.last_project_id = project.id
    flash(_("Project “%(name)s” created.", name=project.name), "success")
    return redirect(url_for("projects.admin", slug=project.slug))


@bp.post("/switch")
@login_required
def switch():
    """Remember the chosen project on the user (it survives logging out)."""
    form = SwitchForm()
    if not form.validate_on_submit():
        abort(400)
    project = _project(form.project.data)
    current_user.last_project_id = project.id
    db.session.commit()
    return redirect(safe_next(form.next.data, url_for("main.home")))


@bp.get("/<slug>/")
@login_required
def show(slug: str):
    project = _project(slug)
    return render_template(
        "projects/show.html",
        project=project,
        versions=projects.guideline_versions(db.session, project),
        may_admin=is_project_admin(current_user, project.id),
    )


def _admin_page(project: Project, status: int = 200, **forms):
    settings = forms.get("settings") or SettingsForm(obj=project, formdata=None)
    guidelines = forms.get("guidelines") or GuidelinesForm(obj=project, formdata=None)
    return render_template(
        "projects/admin.html",
        project=project,
        settings=settings,
        guidelines=guidelines,
        member_form=forms.get("member") or MemberForm(formdata=None),
        remove_form=RemoveMemberForm(formdata=None),
        role_choices=PROJECT_ROLE_CHOICES,
        members=projects.members(db.session, project),
        versions=projects.guideline_versions(db.session, project),
        claims=projects.claim_count(db.session, project),
    ), status


@bp.get("/<slug>/admin")
@login_required
def admin(slug: str):
    return _admin_page(_project(slug, admin=True))


@bp.post("/<slug>/settings")
@login_required
def settings(slug: str):
    return _admin_post(slug, SettingsForm, "settings", _update_settings)


def _update_settings(project: Project, form: SettingsForm) -> None:
    data = {
        "name": form.name.data,
        "description": form.description.data or "",
        "reservation_minutes": form.reservation_minutes.data,
        "annotators_can_export": form.annotators_can_export.data,
        "default_language": form.default_language.data or None,
        "archived": form.archived.data,
        "blind_second_verdict": form.blind_second_verdict.data,
    }
    projects.update_project(db.session, project, data, current_user)
    publication.set_publisher(project, form.publisher_name.data, form.publisher_url.data)


@bp.post("/<slug>/guidelines")
@login_required
def guidelines(slug: str):
    return _admin_post(slug, GuidelinesForm, "guidelines", _set_guidelines)


def _set_guidelines(project: Project, form: GuidelinesForm) -> None:
    projects.set_guidelines(db.session, project, form.guidelines.data or "", current_user)


def _admin_post(slug: str, form_class, name: str, change, *, commit: bool = True):
    """One form of the admin page: a project admin only; an invalid form shows again (422)
    under ``name``; a valid one runs ``change(project, form)`` through ``_save`` (what it
    returns, if anything, is what the page says)."""
    project = _project(slug, admin=True)
    form = form_class()
    if not form.validate_on_submit():
        return _admin_page(project, 422, **{name: form})
    return _save(project, lambda: change(project, form), commit=commit, **{name: form})


def _save(project: Project, action, *, commit: bool = True, **forms):
    """Run one change and go back to the admin page, saying what changed (what ``action``
    returns) or that the project was saved; a domain error shows on the page.
    ``commit=False`` under ``@creates``, which commits with the stored answer."""
    try:
        said = action()
    except DomainError as error:
        db.session.rollback()
        for form in forms.values():
            field = getattr(form, error.field or "", None) or next(iter(form))
            field.errors = [*field.errors, error.message]
        flash(error.message, "error")
        return _admin_page(db.session.get(Project, project.id), error.status, **forms)
    if commit:
        db.session.commit()
    flash(said or _("Project “%(name)s” saved.", name=project.name), "success")
    return redirect(url_for("projects.admin", slug=project.slug))
