from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from ..formfields import Limit
from ..models import Role

#: the roles held in one project, then the site role
PROJECT_ROLE_CHOICES = [
    (Role.ANNOTATOR.value, _l("Annotator")),
    (Role.REVIEWER.value, _l("Reviewer")),
    (Role.PROJECT_ADMIN.value, _l("Project admin")),
]
SITE_ROLE_CHOICES = [(Role.ADMIN.value, _l("Site administrator"))]
ROLE_CHOICES = PROJECT_ROLE_CHOICES + SITE_ROLE_CHOICES


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProjectField(SelectField):
    """A project, by slug; the view fills ``choices`` and the server checks the project
    exists (a clear message, not WTForms' "Not a valid choice")."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, validate_choice=False, **kwargs)


class UserCreateForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Limit(max=80)])
    display_name = StringField(_l("Full name"), validators=[Limit(max=200)])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Limit(max=500)])
    project = ProjectField(_l("Project"))
    roles = MultiCheckboxField(_l("Roles"), choices=ROLE_CHOICES, default=["annotator"])
    submit = SubmitField(_l("Create the account"))


class RolesForm(FlaskForm):
    #: the project whose roles are set (empty: the default project); admin is a site role
    project = ProjectField(_l("Project"))
    roles = MultiCheckboxField(_l("Roles"), choices=ROLE_CHOICES)
    #: the users page to go back to (its filters), a local path
    next = HiddenField()
    submit = SubmitField(_l("Save roles"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Limit(max=500)])
    next = HiddenField()
    submit = SubmitField(_l("Reset password"))


class ActiveForm(FlaskForm):
    next = HiddenField()
    submit = SubmitField(_l("Apply"))
