from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..formfields import Limit
from ..models import Role

PROJECT_ROLE_CHOICES = [
    (Role.ANNOTATOR.value, _l("Annotator")),
    (Role.REVIEWER.value, _l("Reviewer")),
    (Role.PROJECT_ADMIN.value, _l("Project admin")),
]
TEMPLATE_CHOICES = [
    ("newsroom", _l("Newsroom (true … false, misleading, unverifiable)")),
    ("fever", _l("FEVER 3-way (supported, refuted, not enough info)")),
    ("liar", _l("LIAR 6-way (pants on fire … true)")),
]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SwitchForm(FlaskForm):
    project = StringField(validators=[DataRequired(), Limit(max=60)])
    next = HiddenField()


class CreateForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Limit(max=200)])
    slug = StringField(
        _l("Slug (a-z, 0-9, -; made from the name when left empty)"),
        validators=[Optional(), Limit(max=60)],
    )
    description = TextAreaField(_l("Description"), validators=[Limit(max=5000)])
    template = SelectField(_l("Verdict scale"), choices=TEMPLATE_CHOICES, validate_choice=False)
    submit = SubmitField(_l("Create the project"))


class SettingsForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Limit(max=200)])
    description = TextAreaField(_l("Description"), validators=[Limit(max=5000)])
    reservation_minutes = IntegerField(
        _l("Review reservation (minutes)"), validators=[Optional(), NumberRange(1, 1440)]
    )
    annotators_can_export = BooleanField(_l("Annotators can export"))
    default_language = StringField(_l("Default language"), validators=[Limit(max=8)])
    archived = BooleanField(_l("Archived (read-only, still exportable)"))
    blind_second_verdict = BooleanField(
        _l("Blind second verdict: reviewers give their own verdict before seeing the annotator's")
    )
    publisher_name = StringField(_l("Publisher name (ClaimReview)"), validators=[Limit(max=300)])
    publisher_url = StringField(_l("Publisher address (ClaimReview)"), validators=[Limit(max=2000)])
    submit = SubmitField(_l("Save settings"))


class GuidelinesForm(FlaskForm):
    guidelines = TextAreaField(_l("Guidelines"), validators=[Limit(max=100_000)])
    submit = SubmitField(_l("Save as a new version"))


class MemberForm(FlaskForm):
    """Add a member, or give a member more roles: the ticked roles are added."""

    username = StringField(_l("Username"), validators=[DataRequired(), Limit(max=80)])
    roles = MultiCheckboxField(_l("Roles to add"), choices=PROJECT_ROLE_CHOICES)
    submit = SubmitField(_l("Add"))


class MemberRolesForm(FlaskForm):
    """A member's roles, as ticked in their row of the members table."""

    username = HiddenField(validators=[DataRequired(), Limit(max=80)])
    roles = MultiCheckboxField(_l("Roles"), choices=PROJECT_ROLE_CHOICES)


class RemoveMemberForm(FlaskForm):
    username = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Remove"))
