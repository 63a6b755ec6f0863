"""Admin: user accounts and their roles."""

from functools import wraps

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..idempotency import creates
from ..models import Role, User
from ..services import users as users_service
from ..services.errors import DomainError
from ..web import require_role
from . import bp
from .forms import ActiveForm, ResetPasswordForm, RolesForm, UserCreateForm


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


@bp.route("/users", methods=["GET", "POST"])
@require_role(Role.ADMIN)
@creates  # commits; the form's one-time token makes a double submit create once
def users():
    form = UserCreateForm()
    status = 200
    if form.is_submitted() and not _all_problems_shown(form):
        status = 422
    elif form.validate_on_submit():
        try:
            user = users_service.create_user(
                db.session,
                form.username.data,
                form.password.data,
                form.roles.data,
                display_name=form.display_name.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "username").errors.append(error.message)
            status = 422
        else:
            flash(
                _(
                    "Account “%(name)s” created. Give them their password in person.",
                    name=user.username,
                ),
                "success",
            )
            return redirect(url_for("admin.users"))
    all_users = users_service.list_users(db.session)
    return render_template(
        "admin/users.html",
        users=all_users,
        form=form,
        roles_form=RolesForm(),
        reset_form=ResetPasswordForm(),
        active_form=ActiveForm(),
    ), status


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _user_action(form_class):
    """A change to one user from the users page: the decorated function gets the user and the
    valid ``form_class`` form, makes the change and returns the message to flash (the
    change is then committed); the answer is the users page either way."""

    def decorate(change):
        @wraps(change)
        def view(user_id: int):
            user = _user_or_404(user_id)
            form = form_class()
            if form.validate_on_submit():
                message = change(user, form)
                db.session.commit()
                flash(message, "success")
            return redirect(url_for("admin.users"))

        return view

    return decorate


@bp.post("/users/<int:user_id>/roles")
@require_role(Role.ADMIN)
@_user_action(RolesForm)
def set_roles(user: User, form: RolesForm) -> str:
    users_service.set_roles(db.session, user, form.roles.data, by=current_user)
    return _("Roles of %(name)s saved.", name=user.username)


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
