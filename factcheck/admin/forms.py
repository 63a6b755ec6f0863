from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..models import Role

ROLE_CHOICES = [
    (Role.ANNOTATOR.value, _l("Annotator")),
    (Role.REVIEWER.value, _l("Reviewer")),
    (Role.ADMIN.value, _l("Administrator")),
]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserCreateForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    display_name = StringField(_l("Full name"), validators=[Length(max=200)])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(max=500)])
    roles = MultiCheckboxField(_l("Roles"), choices=ROLE_CHOICES, default=["annotator"])
    submit = SubmitField(_l("Create the account"))


class RolesForm(FlaskForm):
    roles = MultiCheckboxField(_l("Roles"), choices=ROLE_CHOICES)
    submit = SubmitField(_l("Save roles"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Reset password"))


class ActiveForm(FlaskForm):
    submit = SubmitField(_l("Apply"))
