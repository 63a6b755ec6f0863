"""Admin: user accounts and their roles."""

from functools import wraps

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..idempotency import creates
from ..models import Project, Role, User
from ..permissions import is_admin
from ..services import projects
from ..services import users as users_service
from ..services.errors import DomainError
from ..web import require_role, safe_next
from . import bp
from .forms import (
    PROJECT_ROLE_CHOICES,
    ROLE_CHOICES,
    ActiveForm,
    ResetPasswordForm,
    RolesForm,
    UserCreateForm,
)

#: users per page of the users list
PER_PAGE = 50
#: the project filter's value for "members of no project" (a slug never has "_")
NO_PROJECT = "_none"


@bp.get("/")
@require_role(Role.ADMIN)
def index():
    return redirect(url_for("admin.users"))


def _all_problems_shown(form: UserCreateForm) -> bool:
    """Run the form's checks and the service's together, so that every problem shows at
    once (not one per attempt); True when there is none."""
    valid = form.validate()
    problems = users_service.new_user_problems(
        db.session, form.username.data or "", form.password.data or "", form.roles.data or []
    )
    for name, message in problems.items():
        field = getattr(form, name, form.username)
        if not field.errors:  # the form's own message for a field comes first
            field.errors = [message]
    return valid and not problems


def _project_named(slug: str | None) -> Project:
    """The project of a form's ``project`` field; empty: the default project. Raises
    NotFound or Invalid with a message for a person."""
    return projects.resolve(db.session, slug or None, current_user)


def _checked_project(field) -> Project | None:
    """The project a form field names, or None with the reason as the field's error."""
    try:
        return _project_named(field.data)
    except DomainError as error:
        field.errors = [*field.errors, error.message]
        return None


@bp.route("/users", methods=["GET", "POST"])
@require_role(Role.ADMIN)
@creates  # commits; the form's one-time token makes a double submit create once
def users():
    form = UserCreateForm()
    status = 200
    if form.is_submitted():
        valid = _all_problems_shown(form)  # first: validating resets the fields' errors
        project = _checked_project(form.project)
        if valid and project is not None:
            try:
                user = users_service.create_user(
                    db.session,
                    form.username.data,
                    form.password.data,
                    form.roles.data,
                    display_name=form.display_name.data or "",
                    project=project,
                )
            except DomainError as error:
                db.session.rollback()
                getattr(form, error.field or "username").errors.append(error.message)
            else:
                flash(_created_message(user, project), "success")
                return redirect(url_for("admin.users", q=user.username) + f"#user-{user.id}")
        status = 422
    return _users_page(form, status)


def _created_message(user: User, project: Project) -> str:
    if users_service.memberships(user):
        return _(
            "Account “%(name)s” created, with roles in “%(project)s”. "
            "Give them their password in person.",
            name=user.username,
            project=project.name,
        )
    return _("Account “%(name)s” created. Give them their password in person.", name=user.username)


def _users_page(form: UserCreateForm, status: int):
    all_projects = projects.list_projects(db.session, current_user)
    default = projects.default_project(db.session)
    form.project.choices = [(p.slug, _project_label(p)) for p in all_projects]
    wanted, chosen, problem = _filters(all_projects)
    if not form.is_submitted():  # the project looked at, else the default one
        start = wanted.project or default
        form.project.data = start.slug if start is not None else None
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), 1_000_000)
    found = (
        users_service.UserPage([], 0, 1, PER_PAGE)  # an unknown project: nobody, and why
        if problem
        else users_service.list_users(db.session, wanted, page=page, per_page=PER_PAGE)
    )
    return render_template(
        "admin/users.html",
        found=found,
        wanted=wanted,
        chosen=chosen,
        filter_problem=problem,
        filtered=bool(wanted.q or chosen or wanted.role),
        everybody=users_service.count_users(db.session),
        projects=all_projects,
        memberships=users_service.memberships,
        # which listed users are site admins: data for the page, not a role test in it
        site_admins={u.id for u in found.items if is_admin(u)},
        roles_project=lambda user: _roles_project(user, wanted.project, default),
        role_labels=dict(ROLE_CHOICES),
        project_roles=PROJECT_ROLE_CHOICES,
        no_project=NO_PROJECT,
        back=request.full_path.rstrip("?"),
        form=form,
        roles_form=RolesForm(formdata=None),
        reset_form=ResetPasswordForm(formdata=None),
        active_form=ActiveForm(formdata=None),
    ), status


def _project_label(project: Project) -> str:
    if project.archived:
        return _("%(name)s (archived)", name=project.name)
    return project.name


def _filters(all_projects: list[Project]) -> tuple[users_service.UserFilter, str, str]:
    """The list's filters from the query string, the project filter's value as chosen, and
    what is wrong with it ("" when nothing)."""
    args = request.args
    wanted = users_service.UserFilter(q=(args.get("q") or "").strip()[:200])
    role = args.get("role") or ""
    wanted.role = Role(role) if role in {r.value for r in Role} else None
    chosen = (args.get("project") or "").strip()[:60]
    problem = ""
    if chosen == NO_PROJECT:
        wanted.no_project = True
    elif chosen:
        wanted.project = next((p for p in all_projects if p.slug == chosen), None)
        if wanted.project is None:
            problem = _("No project “%(slug)s”.", slug=chosen)
    return wanted, chosen, problem


def _roles_project(user: User, shown: Project | None, default: Project | None) -> Project | None:
    """The project a row's roles form starts on: the one the list is filtered on, else the
    default project when the user is in it (or in none), else their first project."""
    if shown is not None:
        return shown
    held = users_service.memberships(user)
    if not held or default is None or any(p.id == default.id for p, _roles in held):
        return default
    return held[0][0]


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _back(form) -> str:
    """The users page the form came from (its filters kept), at the user's row."""
    return safe_next(form.next.data, url_for("admin.users"))


def _user_action(form_class):
    """A change to one user from the users page: the decorated function gets the user and the
    valid ``form_class`` form, makes the change and returns the message to flash (the
    change is then committed); a refused change flashes why and changes nothing. The
    answer is the users page either way, with its filters, at the user's row."""

    def decorate(change):
        @wraps(change)
        def view(user_id: int):
            user = _user_or_404(user_id)
            form = form_class()
            if form.validate_on_submit():
                try:
                    message = change(user, form)
                except DomainError as error:
                    db.session.rollback()
                    flash(error.message, "error")
                else:
                    db.session.commit()
                    flash(message, "success")
            return redirect(f"{_back(form)}#user-{user.id}")

        return view

    return decorate


@bp.post("/users/<int:user_id>/roles")
@require_role(Role.ADMIN)
@_user_action(RolesForm)
def set_roles(user: User, form: RolesForm) -> str:
    project = _project_named(form.project.data)
    users_service.set_roles(db.session, user, form.roles.data, by=current_user, project=project)
    if not user.roles_in(project.id):
        return _(
            "%(name)s is not a member of “%(project)s”.", name=user.username, project=project.name
        )
    return _("Roles of %(name)s in “%(project)s” saved.", name=user.username, project=project.name)


@bp.post("/users/<int:user_id>/password")
@require_role(Role.ADMIN)
@_user_action(ResetPasswordForm)
def reset_password(user: User, form: ResetPasswordForm) -> str:
    users_service.change_password(db.session, user, form.password.data)
    return _("Password of %(name)s reset; their sessions were ended.", name=user.username)


@bp.post("/users/<int:user_id>/deactivate")
@require_role(Role.ADMIN)
@_user_action(ActiveForm)
def deactivate(user: User, form: ActiveForm) -> str:
    users_service.set_active(db.session, user, False, by=current_user)
    return _("%(name)s is deactivated: logged out everywhere, tokens revoked.", name=user.username)


@bp.post("/users/<int:user_id>/activate")
@require_role(Role.ADMIN)
@_user_action(ActiveForm)
def activate(user: User, form: ActiveForm) -> str:
    users_service.set_active(db.session, user, True)
    return _("%(name)s can log in again.", name=user.username)
