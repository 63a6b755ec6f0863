from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=500)])
    remember = BooleanField(_l("Keep me logged in on this device"))
    submit = SubmitField(_l("Log in"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Log out"))


class PreferencesForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[Length(max=200)])
    locale = SelectField(
        _l("Interface language"),
        choices=[("", _l("Follow my browser")), ("en", "English"), ("fr", "Français")],
    )
    submit = SubmitField(_l("Save preferences"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=500)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class TokenForm(FlaskForm):
    label = StringField(_l("What is this token for?"), validators=[Length(max=200)])
    submit = SubmitField(_l("Create a token"))


class RevokeForm(FlaskForm):
    submit = SubmitField(_l("Revoke"))
