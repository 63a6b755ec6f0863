"""Suggestions on an article's sentences in the JSON API: known claims, worth checking.

``GET /articles/<id>/suggestions``: ``{"known": [{"start", "end", "quote", "target",
"verdict", "verdict_label", "score", "claim"}], "worth_checking": [{"start", "end",
"quote", "score"}], "model": "rules" | "learned", "status": "ready" | "pending",
"revision": n}``, for the members of the article's project. While ``pending`` (just
imported, just revised), the computation is queued and the page asks again.

``POST /articles/<id>/suggestions/dismiss`` ``{"start", "end", "kind"}`` (``kind``:
``known``, the default, or ``worth_checking``) and ``POST …/accept`` ``{"start", "end",
"target"}``: the project's annotators; a span that is not a sentence of the current text
is refused (422).
"""

from __future__ import annotations

from flask_login import current_user

from .. import tasks
from ..extensions import db
from ..loaders import article_or_404
from ..services.projects import refuse_unknown
from ..services.reading import suggestions
from . import bp, json_body, known_args


@bp.get("/articles/<int:article_id>/suggestions")
def article_suggestions(article_id: int):
    known_args()
    article = article_or_404(db.session, article_id, current_user)
    answer = suggestions.read(db.session, article, current_user)
    if answer["status"] == "pending":
        tasks.enqueue("compute_suggestions", article.id)  # a repeat is a cheap no-op
    return answer


@bp.post("/articles/<int:article_id>/suggestions/dismiss")
def dismiss_suggestion(article_id: int):
    known_args()
    article = article_or_404(db.session, article_id, current_user)
    data = json_body()
    refuse_unknown(data, {"start", "end", "kind"})
    row = suggestions.dismiss(
        db.session,
        article,
        current_user,
        data.get("start"),
        data.get("end"),
        data.get("kind", "known"),
    )
    answer = {"start": row.start, "end": row.end, "kind": row.kind, "revision": row.revision}
    db.session.commit()
    return answer


@bp.post("/articles/<int:article_id>/suggestions/accept")
def accept_suggestion(article_id: int):
    known_args()
    article = article_or_404(db.session, article_id, current_user)
    data = json_body()
    refuse_unknown(data, {"start", "end", "target"})
    answer = suggestions.accept(
        db.session, article, current_user, data.get("start"), data.get("end"), data.get("target")
    )
    db.session.commit()
    return answer, 201
