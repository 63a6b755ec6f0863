"""Log in, log out, and the user's own profile: language, password, API tokens."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..database import start_write
from ..extensions import db
from ..services import users
from ..services.errors import DomainError
from ..web import login_required, safe_next
from . import bp
from .device import device_for, remember_device
from .forms import LoginForm, LogoutForm, PasswordForm, PreferencesForm, RevokeForm, TokenForm


def client_address() -> str:
    return request.remote_addr or "unknown"


@bp.route("/login", methods=["GET", "POST"])
def login():
    target = safe_next(request.args.get("next"), url_for("main.home"))
    if current_user.is_authenticated:
        return redirect(target)
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        name = users.normalize_username(form.username.data)
        device = device_for(name)
        allowed = users.start_login(db.session, name, client_address(), device, current_app.config)
        db.session.commit()  # the count is its own short write, before the slow hash
        if not allowed:
            flash(_("Too many failed attempts. Wait a few minutes before trying again."), "error")
            return render_template("auth/login.html", form=form), 429
        user = users.authenticate(db.session, name, form.password.data)
        if user is not None:
            start_write(db.session)
            users.login_succeeded(db.session, user, client_address(), device, current_app.config)
            db.session.commit()
            session.clear()  # no session fixation: a fresh session for the new login
            login_user(user, remember=form.remember.data)
            response = redirect(target)
            remember_device(response, user.username)
            return response
        flash(_("Wrong username or password, or the account is deactivated."), "error")
        status = 401
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    form = LogoutForm()
    if current_user.is_authenticated and form.validate_on_submit():
        current_user.end_all_sessions()  # logs out every device, remember-me included
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    prefs = PreferencesForm(prefix="prefs", obj=current_user)
    if request.method == "GET" or prefs.time_zone.name not in request.form:
        prefs.time_zone.data = current_user.time_zone or ""  # a form without it keeps it
    if request.method == "GET":
        prefs.locale.data = current_user.locale or ""
    if prefs.submit.data and prefs.validate_on_submit():
        current_user.display_name = prefs.display_name.data.strip()
        current_user.locale = prefs.locale.data or None
        if prefs.time_zone.name in request.form:  # an older form without it keeps the zone
            current_user.time_zone = prefs.time_zone.data or None
        db.session.commit()
        flash(_("Preferences saved."), "success")
        return redirect(url_for("auth.profile"))
    return _profile_page(prefs=prefs), 422 if prefs.submit.data else 200


@bp.post("/profile/password")
@login_required
def change_password():
    form = PasswordForm(prefix="pw")
    if form.validate_on_submit():
        allowed = users.allow_password_check(db.session, current_user, current_app.config)
        db.session.commit()  # counted even when the check fails
        if not allowed:
            form.current.errors.append(
                _("Too many wrong current passwords. Wait a few minutes before trying again.")
            )
            return _profile_page(password=form), 429
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            start_write(db.session)
            users.password_check_passed(db.session, current_user)
            try:
                users.change_password(db.session, current_user, form.new.data)
            except DomainError as error:
                form.new.errors.append(error.message)
            else:
                db.session.commit()
                # this device stays logged in, under the new session token
                login_user(current_user._get_current_object())
                flash(
                    _(
                        "Password changed. Your other sessions were logged out and your API "
                        "tokens revoked."
                    ),
                    "success",
                )
                return redirect(url_for("auth.profile"))
    return _profile_page(password=form), 422


@bp.post("/profile/tokens")
@login_required
def create_token():
    form = TokenForm(prefix="tok")
    if not form.validate_on_submit():
        return _profile_page(token=form), 422
    _row, secret = users.create_token(db.session, current_user, form.label.data or "")
    db.session.commit()
    return _profile_page(new_token=secret)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if RevokeForm().validate_on_submit():
        users.revoke_token(db.session, current_user, token_id)
        db.session.commit()
        flash(_("Token revoked."), "success")
    return redirect(url_for("auth.profile"))


def _profile_page(**forms):
    forms.setdefault("prefs", PreferencesForm(prefix="prefs", obj=current_user))
    forms.setdefault("password", PasswordForm(prefix="pw"))
    forms.setdefault("token", TokenForm(prefix="tok"))
    return render_template(
        "auth/profile.html",
        tokens=users.user_tokens(db.session, current_user),
        revoke=RevokeForm(),
        **forms,
    )
