"""Review forms: every decision names the version the reviewer saw."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional


class ApproveForm(FlaskForm):
    version = IntegerField(validators=[InputRequired()])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Length(max=5000)])


class RejectForm(FlaskForm):
    version = IntegerField(validators=[InputRequired()])
    comment = TextAreaField(
        _l("Why do you reject it?"),
        validators=[DataRequired(_l("Say why you reject the claim.")), Length(max=5000)],
    )


class SkipForm(FlaskForm):
    pass


class ReopenForm(FlaskForm):
    version = IntegerField(validators=[InputRequired()])
    reason = TextAreaField(
        _l("Reason for reopening"),
        validators=[DataRequired(_l("Give a reason for reopening.")), Length(max=5000)],
    )


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
