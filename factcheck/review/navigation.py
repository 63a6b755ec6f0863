"""Moving through the review queue: what this browser skipped, the active filters, and
opening the next free item. The item pages (views.py) and the undo notice
(second_chance.py) both end a decision here."""

from __future__ import annotations

from flask import flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..extensions import db
from ..jsonsafe import parse_id
from ..models import Annotation
from ..projects.current import current_project
from ..services import queue as review_queue
from ..text.names import claim_name


def annotation_name(annotation: Annotation) -> str:
    """What a message calls a claim by: its words (cut to ~60 characters), not its id."""
    return claim_name(annotation.claim, annotation.quote)


#: ids skipped in this browser session, so that "Next" does not hand them straight back
SKIP_KEY = "review_skip"
MAX_SKIPS = 200


def skipped() -> list[int]:
    return [int(i) for i in session.get(SKIP_KEY, [])]


def remember_skip(annotation_id: int) -> None:
    kept = [i for i in skipped() if i != annotation_id] + [annotation_id]
    session[SKIP_KEY] = kept[-MAX_SKIPS:]


#: the queue's active filters, kept so that "Next" (and every decision) stays inside them
FILTERS_KEY = "review_filters"
FILTER_NAMES = ("article", "annotator", "verdict", "claimant")


def filters_from(values, project=None) -> review_queue.QueueFilters:
    article = str(values.get("article") or "").strip()
    return review_queue.QueueFilters(
        project_id=project.id if project is not None else None,
        article_id=parse_id(article),
        annotator=str(values.get("annotator") or "").strip()[:80],
        # a blind project's queue must not sort claims by the verdict it hides
        verdict=""
        if project is not None and project.blind_second_verdict
        else str(values.get("verdict") or "")[:64],
        claimant=str(values.get("claimant") or "").strip()[:300],
    )


def remember_filters(args) -> None:
    wanted = {name: args.get(name, "") for name in FILTER_NAMES if args.get(name, "").strip()}
    if wanted:
        session[FILTERS_KEY] = wanted
    else:
        session.pop(FILTERS_KEY, None)


def open_next():
    """Reserve the next free item for the caller and go to it (commits)."""
    filters = filters_from(session.get(FILTERS_KEY, {}), current_project())
    annotation = review_queue.next_item(db.session, current_user, skip=skipped(), filters=filters)
    db.session.commit()
    if annotation is None:
        active = session.get(FILTERS_KEY, {})
        _say_why_nothing_is_next(filters, bool(active))
        session.pop(SKIP_KEY, None)  # a fresh round may offer the skipped ones again
        return redirect(url_for("review.queue", **active))
    return redirect(url_for("review.item", annotation_id=annotation.id))


def _say_why_nothing_is_next(filters: review_queue.QueueFilters, filtered: bool) -> None:
    """What is true when "Next" finds nothing: the queue is empty only when no claim waits;
    otherwise the waiting ones are held by other reviewers or were skipped here."""
    counts = review_queue.queue_counts(db.session, current_user, filters)
    if counts.total == 0:
        if filtered:
            flash(_("Nothing left to review with the active filters."), "info")
        else:
            flash(_("The queue is empty: nothing waits for review. Well done!"), "success")
        return
    others = counts.reserved_by_others
    passed = counts.total - others  # free, yet not handed out: skipped in this session
    if others:
        flash(
            ngettext(
                "Nothing else for you now: %(num)d claim is being reviewed by someone else.",
                "Nothing else for you now: %(num)d claims are being reviewed by someone else.",
                others,
            ),
            "info",
        )
    if passed:
        flash(
            ngettext(
                "%(num)d claim you skipped still waits: it is offered again from now on.",
                "%(num)d claims you skipped still wait: they are offered again from now on.",
                passed,
            ),
            "info",
        )
