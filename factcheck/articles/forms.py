"""Forms of the articles area: they check shape; the import service checks the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    MultipleFileField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional

from ..formfields import Limit

FORMAT_CHOICES = [
    ("auto", _l("Guess from the file name and content")),
    ("txt", _l("Plain text (first line is the title)")),
    ("md", _l("Markdown, kept as text (first line is the title)")),
    ("html", _l("HTML, reduced to its readable text")),
    ("jsonl", _l("JSON Lines (one article per line)")),
    ("csv", _l("CSV with a header row")),
]


def _optional(label, max_length: int, **kwargs) -> StringField:
    """A text field that may stay empty, of at most ``max_length`` characters."""
    return StringField(label, validators=[Optional(), Limit(max=max_length)], **kwargs)


class PasteForm(FlaskForm):
    """Field names are the JSON field names of an article."""

    title = StringField(_l("Title"), validators=[DataRequired(), Limit(max=500)])
    text = TextAreaField(_l("Text"), validators=[DataRequired()])
    url = _optional(_l("Address (URL)"), 2000)
    language = _optional(_l("Language"), 8, default="fr")
    published_at = _optional(_l("Published on"), 40)
    external_id = _optional(_l("External id"), 200)
    paste = SubmitField(_l("Import this article"))


class UploadForm(FlaskForm):
    files = MultipleFileField(_l("Files"), validators=[DataRequired()])
    format = SelectField(_l("Format"), choices=FORMAT_CHOICES, default="auto")
    language = _optional(_l("Language when a record has none"), 8)
    strict = BooleanField(_l("Strict: import nothing if any record is invalid"))
    upload = SubmitField(_l("Import the files"))


class EditForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Limit(max=500)])
    url = _optional(_l("Address (URL)"), 2000)
    language = _optional(_l("Language"), 8)
    published_at = _optional(_l("Published on"), 40)
    external_id = _optional(_l("External id"), 200)
    text = TextAreaField(_l("Text"))
    submit = SubmitField(_l("Save"))


class DeleteForm(FlaskForm):
    submit = SubmitField(_l("Delete this article"))
