"""Review forms: every decision names the version the reviewer saw."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional


def _version() -> IntegerField:
    """The version of the claim the reviewer saw."""
    return IntegerField(validators=[InputRequired()])


def _reason(label, missing) -> TextAreaField:
    """A required explanation of a decision; ``missing``, the message when it is empty."""
    return TextAreaField(label, validators=[DataRequired(missing), Length(max=5000)])


class ApproveForm(FlaskForm):
    version = _version()
    comment = TextAreaField(_l("Comment (optional)"), validators=[Length(max=5000)])


class RejectForm(FlaskForm):
    version = _version()
    comment = _reason(_l("Why do you reject it?"), _l("Say why you reject the claim."))


class SkipForm(FlaskForm):
    pass


class ReopenForm(FlaskForm):
    version = _version()
    reason = _reason(_l("Reason for reopening"), _l("Give a reason for reopening."))


class QueueFilterForm(FlaskForm):
    """GET filters of the queue page (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    # pickable lists (the choices are set by the view): nobody has to know an id
    article = SelectField(_l("Article"), choices=[], validate_choice=False)
    annotator = SelectField(_l("Annotator"), choices=[], validate_choice=False)
    verdict = SelectField(_l("Verdict"), choices=[], validate_choice=False)
    claimant = StringField(_l("Claimant contains"), validators=[Optional(), Length(max=300)])
    page = HiddenField()
