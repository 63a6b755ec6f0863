"""Publishing an approved claim from its page (services/publication.py): the "Publish" form
for those who may (``permissions.can_publish``), the address and date once published, and
the history's publication rows said in the reader's language."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, Length, Optional

from ..extensions import db
from ..loaders import in_review_or_404
from ..models import Annotation, ReviewEvent, Status
from ..permissions import can_publish
from ..services import publication
from ..services.errors import Conflict, Invalid
from ..services.urls import MAX_LENGTH
from ..times import iso_date_or_moment
from ..web import login_required
from . import bp


class PublishForm(FlaskForm):
    version = IntegerField(validators=[InputRequired()])
    published_url = StringField(
        _l("Published at (address)"),
        validators=[InputRequired(_l("Give the address of the published fact-check.")),
                    Length(max=MAX_LENGTH)],
    )  # fmt: skip
    published_at = StringField(_l("Date (empty: now)"), validators=[Optional(), Length(max=40)])


@bp.app_template_global()
def publish_panel(annotation: Annotation) -> dict | None:
    """What the claim's page shows of its publication: None before it is approved and
    published, unless the viewer may publish it (``may``: the form)."""
    may = (
        current_user.is_authenticated
        and annotation.status is Status.APPROVED
        and can_publish(current_user, annotation)
        and not annotation.project.archived
    )
    if not may and not (annotation.status is Status.APPROVED and annotation.published_url):
        return None
    return {
        "may": may,
        "url": annotation.published_url,
        "at": annotation.published_at,
        # a correction keeps the date unless it is changed too
        "form": PublishForm(
            formdata=None,
            version=annotation.version,
            published_url=annotation.published_url,
            published_at=iso_date_or_moment(annotation.published_at),
        ),
    }


@bp.app_template_global()
def publication_note(event: ReviewEvent) -> Markup | None:
    """A history row of a publication, as the page says it (the address a link); None for
    any other row."""
    said = publication.readable(event)
    if said is None:
        return None
    url = publication.published_address(event)
    if url is None:
        return Markup("{}").format(said)  # escaped
    link = Markup('<a href="{0}" rel="noopener noreferrer" target="_blank">{0}</a>').format(url)
    # the sentence escaped around the link: the address is the only markup
    before, _sep, after = said.partition(url)
    return escape(before) + link + escape(after)


@bp.post("/<int:annotation_id>/publish")
@login_required
def publish(annotation_id: int):
    annotation = in_review_or_404(db.session, annotation_id, current_user)
    back = redirect(url_for("review.item", annotation_id=annotation_id, _anchor="publication"))
    form = PublishForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return back
    try:
        publication.publish(
            db.session,
            annotation,
            current_user,
            form.published_url.data,
            form.published_at.data or None,
            version=form.version.data,
        )
    except (Conflict, Invalid) as error:
        db.session.rollback()
        flash(error.message, "error")
        return back
    db.session.commit()
    flash(_("Published at %(url)s", url=annotation.published_url), "success")
    return back
