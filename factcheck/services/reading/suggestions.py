"""An article's suggestions: computed in the background, stored, read for each person.

``compute`` reads the current text's sentences and stores, in ``ArticleSuggestions``
(one row per article, replaced), each sentence's best known claim (from ``known.FLOOR``:
the project's threshold applies when read) and its worth-checking score, for the
project's scope. ``read`` answers the API for one reader: only what this person may see
(a claim they may not see is dropped, a verdict the blind rules hide from them too),
above the project's threshold, without what was dismissed. ``dismiss`` and ``accept``
write the reader's decisions; nothing becomes a claim on its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...database import commit_keeping
from ...models import (
    Annotation,
    Appearance,
    Article,
    ArticleSuggestions,
    FactCheck,
    Project,
    Status,
    SuggestionDismissal,
    User,
    utcnow,
)
from ...permissions import can_annotate
from ...text.sentences import spans
from .. import matching, second_verdict, verdicts
from ..errors import Invalid, NotAllowed
from ..matching.scope import visible_claims
from . import known, learned, worth

KINDS = ("known", "worth_checking")
#: at most this many worth-checking suggestions per article (the best ones)
MAX_WORTH = 50
#: a sentence scores on worth checking from this (under it: not a suggestion)
WORTH_FLOOR = 0.35
#: the note of an appearance recorded by accepting a known claim (data, not interface)
SEEN_IN = "Seen in "


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def compute(
    session: Session, article: Article, config: Mapping | None = None, *, quick: bool = False
) -> ArticleSuggestions:
    """Compute and store the suggestions of ``article``'s current text (flushed).

    ``quick``: the first pass, in well under a second for a long article: the project's
    own approved claims compared by their words, and the rule score. The full pass then
    adds the past fact-checks, the model's reading and the learned score; until it has
    run, the answer says ``"complete": false``."""
    config = current_app.config if config is None else config
    text = article.text
    found = spans(text)
    texts = [text[s:e] for s, e in found]
    embedder = None if quick else matching.embedder_for(config)
    vectors = learned.sentence_vectors(embedder, texts) if texts else None
    matches = (
        known.match(session, article, texts, vectors, embedder, factchecks=not quick)
        if texts
        else []
    )
    model = None if quick else learned.model_for(session, article.project_id, embedder)
    if model is not None and texts:
        scores = model.predict(learned.rows(texts, vectors)).tolist()
        used = "learned"
    else:
        scores = [worth.rules_score(t) for t in texts]
        used = "rules"
    worth_items = sorted(
        (
            {"start": s, "end": e, "score": round(float(score), 4)}
            for (s, e), score in zip(found, scores, strict=True)
            if score >= WORTH_FLOOR
        ),
        key=lambda item: -item["score"],
    )[:MAX_WORTH]
    payload = {
        "sha": _sha(text),
        "complete": not quick,
        "semantic": embedder is not None,
        "sentences": [[s, e] for s, e in found],
        "known": [
            {"start": s, "end": e, **m} for (s, e), m in zip(found, matches, strict=True) if m
        ],
        "worth_checking": sorted(worth_items, key=lambda item: item["start"]),
    }
    row = session.get(ArticleSuggestions, article.id)
    if row is None:
        row = ArticleSuggestions(article_id=article.id)
        session.add(row)
    row.revision = article.revision
    row.model = used
    row.payload = payload
    row.computed_at = utcnow()
    session.flush()
    return row


def on_import() -> bool:
    """SUGGEST_ON_IMPORT: whether imports and revisions queue the suggestions (None: yes,
    except under TESTING, where 10,000 imported articles would each be read at once)."""
    value = current_app.config.get("SUGGEST_ON_IMPORT")
    return not current_app.testing if value is None else bool(value)


def compute_task(session: Session, article_id: int) -> bool:
    """The background task: the quick pass, committed (the page shows it at once), then
    the full one, unless the stored suggestions are up to date (several requests may have
    asked). False when there was nothing to do."""
    article = session.get(Article, article_id)
    if article is None:
        return False
    row = session.get(ArticleSuggestions, article_id)
    if _fresh(row, article) and row.payload.get("complete", True):
        return False
    slow = matching.embedder_for(current_app.config) is not None or known.any_factcheck(session)
    if slow and not _fresh(row, article):  # else the full pass is as quick: one pass
        compute(session, article, quick=True)
        commit_keeping(session)
    compute(session, article)
    return True


def _fresh(row: ArticleSuggestions | None, article: Article) -> bool:
    return (
        row is not None
        and row.revision == article.revision
        and (row.payload or {}).get("sha") == _sha(article.text)
    )


def threshold(project: Project) -> float:
    value = project.known_claim_threshold
    return known.DEFAULT_THRESHOLD if value is None else float(value)


def read(session: Session, article: Article, user: User) -> dict:
    """The API's answer for ``user`` (a member of the article's project)."""
    row = session.get(ArticleSuggestions, article.id)
    answer = {
        "known": [],
        "worth_checking": [],
        "model": "rules",
        "revision": article.revision,
        "complete": False,
    }
    if not _fresh(row, article):
        return answer | {"status": "pending"}
    payload = row.payload
    dismissed = {
        (d.kind, d.start, d.end)
        for d in session.scalars(
            select(SuggestionDismissal).where(
                SuggestionDismissal.article_id == article.id,
                SuggestionDismissal.revision == article.revision,
            )
        )
    }
    text = article.text
    limit = threshold(article.project)
    wanted = [
        k
        for k in payload.get("known", [])
        if k["score"] >= limit and ("known", k["start"], k["end"]) not in dismissed
    ]
    answer["known"] = _known_items(session, article, user, wanted, text)
    answer["worth_checking"] = [
        {
            "start": w["start"],
            "end": w["end"],
            "quote": text[w["start"] : w["end"]],
            "score": w["score"],
        }
        for w in payload.get("worth_checking", [])
        if ("worth_checking", w["start"], w["end"]) not in dismissed
    ]
    return answer | {
        "model": row.model,
        "status": "ready",
        "complete": bool(payload.get("complete", True)),
    }


def _known_items(session: Session, article: Article, user: User, wanted: list[dict], text: str):
    """The stored known claims that ``user`` may see now, with their current verdicts."""
    ids = {k["id"] for k in wanted if k["kind"] == "annotation"}
    claims = (
        {
            a.id: a
            for a in session.scalars(
                select(Annotation).where(
                    Annotation.id.in_(ids),
                    visible_claims(user),
                    Annotation.project_id == article.project_id,
                    Annotation.status == Status.APPROVED,
                    Annotation.article_id != article.id,
                )
            )
        }
        if ids
        else {}
    )
    hidden = second_verdict.hidden_ids(session, user, list(claims.values()))
    fids = {k["id"] for k in wanted if k["kind"] == "factcheck"}
    factchecks = (
        {f.id: f for f in session.scalars(select(FactCheck).where(FactCheck.id.in_(fids)))}
        if fids
        else {}
    )
    items = []
    for k in wanted:
        base = {
            "start": k["start"],
            "end": k["end"],
            "quote": text[k["start"] : k["end"]],
            "score": k["score"],
        }
        if k["kind"] == "annotation":
            claim = claims.get(k["id"])
            if claim is None or claim.id in hidden:
                continue
            items.append(
                base
                | {
                    "target": f"annotation:{claim.id}",
                    "verdict": claim.verdict,
                    "verdict_label": verdicts.label(claim.verdict_row, claim.verdict),
                    "claim": claim.claim or claim.quote,
                }
            )
        else:
            factcheck = factchecks.get(k["id"])
            if factcheck is None:
                continue
            items.append(
                base
                | {
                    "target": factcheck.url,
                    "verdict": factcheck.verdict,
                    "verdict_label": verdicts.rating_label(factcheck),
                    "claim": factcheck.claim,
                }
            )
    return items


def sentence_span(article: Article, start: object, end: object) -> tuple[int, int]:
    """``(start, end)`` when it is one of the current text's sentences, else 422."""
    if not isinstance(start, int) or isinstance(start, bool):
        raise Invalid(_("start: a whole number."), field="start")
    if not isinstance(end, int) or isinstance(end, bool):
        raise Invalid(_("end: a whole number."), field="end")
    if (start, end) not in set(spans(article.text)):
        raise Invalid(_("start: this span is not a sentence of the article."), field="start")
    return start, end


def _check_annotator(user: User, article: Article) -> None:
    if not can_annotate(user, article.project):
        raise NotAllowed(_("Only the project's annotators can act on suggestions."))


def dismiss(
    session: Session,
    article: Article,
    user: User,
    start: object,
    end: object,
    kind: object = "known",
) -> SuggestionDismissal:
    """Remember that ``user`` dismissed the suggestion on this sentence (idempotent)."""
    _check_annotator(user, article)
    if kind not in KINDS:
        raise Invalid(_("kind: known or worth_checking."), field="kind")
    start, end = sentence_span(article, start, end)
    existing = session.scalar(
        select(SuggestionDismissal).where(
            SuggestionDismissal.article_id == article.id,
            SuggestionDismissal.revision == article.revision,
            SuggestionDismissal.start == start,
            SuggestionDismissal.end == end,
            SuggestionDismissal.kind == kind,
        )
    )
    if existing is not None:
        return existing
    row = SuggestionDismissal(
        article_id=article.id,
        revision=article.revision,
        start=start,
        end=end,
        kind=kind,
        user_id=user.id,
    )
    session.add(row)
    session.flush()
    return row


def accept(
    session: Session, article: Article, user: User, start: object, end: object, target: object
) -> dict:
    """Accept a known claim on a sentence: the article becomes an appearance of the target
    claim (when it is one of ours), the suggestion is put away, and the answer says what
    the page needs to open a new claim on the sentence, to be linked ``same_as`` the
    target once saved (``POST /api/v1/annotations/<new id>/same_as``)."""
    _check_annotator(user, article)
    start, end = sentence_span(article, start, end)
    if not isinstance(target, str) or not target.strip():
        raise Invalid(_("target: annotation:<id> or a fact-check URL."), field="target")
    target = target.strip()
    appearance = None
    if target.startswith("annotation:"):
        number = target.removeprefix("annotation:")
        claim = (
            session.scalar(
                select(Annotation).where(Annotation.id == int(number), visible_claims(user))
            )
            if number.isdigit() and int(number) <= 2**31 - 1
            else None
        )
        if claim is None:
            raise Invalid(_("target: no such claim."), field="target")
        appearance = _appearance(session, claim, article)
        target = f"annotation:{claim.id}"
    elif session.scalar(select(FactCheck.id).where(FactCheck.url == target)) is None:
        raise Invalid(_("target: no past fact-check has this URL."), field="target")
    dismiss(session, article, user, start, end, "known")
    text = article.text
    return {
        "appearance": appearance.as_dict() if appearance is not None else None,
        "new_claim": {
            "article_id": article.id,
            "revision": article.revision,
            "start": start,
            "end": end,
            "quote": text[start:end],
            "prefix": text[max(0, start - 32) : start],
            "suffix": text[end : end + 32],
        },
        "same_as": target,
    }


def _appearance(session: Session, claim: Annotation, article: Article) -> Appearance:
    """The article as an appearance of ``claim`` (once per claim and article)."""
    existing = session.scalar(
        select(Appearance).where(
            Appearance.annotation_id == claim.id, Appearance.article_id == article.id
        )
    )
    if existing is not None:
        return existing
    position = session.scalar(
        select(func.max(Appearance.position)).where(Appearance.annotation_id == claim.id)
    )
    row = Appearance(
        annotation_id=claim.id,
        position=0 if position is None else position + 1,
        # an article without an address is named by its page in the tool
        url=article.url or f"/articles/{article.id}",
        date=article.published_at.date() if article.published_at else None,
        note=f"{SEEN_IN}{article.title}",
        first=False,
        article_id=article.id,
    )
    session.add(row)
    session.flush()
    return row
