from functools import cache
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo

from ..formfields import Limit


@cache
def time_zones() -> tuple[str, ...]:
    """IANA zone names a user may pick: Area/City names and UTC (not the old aliases
    such as ``EST5EDT`` or ``Factory``, which browsers may not know)."""
    return tuple(
        sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    ) + ("UTC",)


def time_zone_choices() -> list[tuple[str, str]]:
    return [("", _l("Follow my browser")), *((z, z.replace("_", " ")) for z in time_zones())]


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Limit(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Limit(max=500)])
    remember = BooleanField(_l("Keep me logged in on this device"))
    submit = SubmitField(_l("Log in"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Log out"))


class PreferencesForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[Limit(max=200)])
    locale = SelectField(
        _l("Interface language"),
        choices=[("", _l("Follow my browser")), ("en", "English"), ("fr", "Français")],
    )
    #: IANA names only: the choices are checked on submit (anything else is refused)
    time_zone = SelectField(_l("Time zone"), choices=time_zone_choices, default="")
    submit = SubmitField(_l("Save preferences"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Limit(min=10, max=500)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class TokenForm(FlaskForm):
    label = StringField(_l("What is this token for?"), validators=[Limit(max=200)])
    submit = SubmitField(_l("Create a token"))


class RevokeForm(FlaskForm):
    submit = SubmitField(_l("Revoke"))
