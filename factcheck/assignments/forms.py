"""Forms of the assignment pages: they check shape; the rules live in services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from ..formfields import Limit


class AssignmentForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Limit(max=200)])
    article_ids = SelectMultipleField(_l("Articles"), coerce=int)
    annotators = SelectMultipleField(_l("Annotators"))
    per_article = IntegerField(
        _l("Annotators per article"), default=2, validators=[NumberRange(min=1, max=50)]
    )
    blind = BooleanField(_l("Blind: annotators do not see each other's claims"), default=True)
    submit = SubmitField(_l("Create the assignment"))


class DoneForm(FlaskForm):
    submit = SubmitField(_l("Mark done"))


class DecisionForm(FlaskForm):
    start = IntegerField(validators=[InputRequired()])
    end = IntegerField(validators=[InputRequired()])
    decision = HiddenField(validators=[DataRequired()])
    annotation_id = IntegerField(validators=[Optional()])
    claim = TextAreaField(_l("Claim"), validators=[Optional()])
    claimant = StringField(_l("Claimant"), validators=[Optional()])
    verdict = StringField(_l("Verdict"), validators=[Optional()])
    rationale = TextAreaField(_l("Rationale"), validators=[Optional()])
