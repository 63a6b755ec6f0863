"""The agreement report of an assignment, and each assignment's progress: what the pure
figures of ``agreement.py`` are computed on (the annotators' own claims on the articles all
of whose annotators are done, adjudicated claims excluded)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Verdict
from ..models.assignment import Assignment, AssignmentArticle, AssignmentTask
from . import agreement
from .assignments import ArticleState, _own_spans, article_states


def ordinal_order(session: Session, project_id: int) -> list[str]:
    """The project's verdict keys in the scale's display order; verdicts without a rating
    have no place."""
    return list(
        session.scalars(
            select(Verdict.key)
            .where(Verdict.project_id == project_id, Verdict.rating.is_not(None))
            .order_by(Verdict.position, Verdict.id)
        )
    )


def agreement_input(
    session: Session, assignment: Assignment
) -> tuple[list[agreement.Span], dict[int, list[str]], list[ArticleState]]:
    """The spans and annotators of the articles all of whose annotators are done (and every
    article's state, which costs nothing more)."""
    rows = list(_own_spans(session, assignment))
    states = article_states(session, assignment, rows)
    annotators_of = {s.article_id: s.annotators for s in states if s.ready}
    spans = [agreement.Span(*row) for row in rows if row[0] in annotators_of]
    return spans, annotators_of, states


def agreement_report(session: Session, assignment: Assignment) -> dict:
    spans, annotators_of, _states = agreement_input(session, assignment)
    order = ordinal_order(session, assignment.project_id)
    return agreement.report(spans, annotators_of, order).as_json()


def per_article(session: Session, assignment: Assignment) -> list[dict]:
    """The same figures per article, worst first (lowest overlap F1, then lowest alpha)."""
    spans, annotators_of, states = agreement_input(session, assignment)
    order = ordinal_order(session, assignment.project_id)
    titles = {s.article_id: s.title for s in states}
    by_article = defaultdict(list)
    for span in spans:
        by_article[span.article].append(span)
    rows = []
    for article_id, names in annotators_of.items():
        figures = agreement.report(by_article[article_id], {article_id: names}, order)
        rows.append(
            {
                "article_id": article_id,
                "title": titles.get(article_id, ""),
                "annotators": len(names),
                "claims": len(by_article[article_id]),
                "units": figures.units,
                "f1_exact": figures.f1_exact,
                "f1_overlap": figures.f1_overlap,
                "alpha_nominal": figures.alpha_nominal,
                "alpha_ordinal": figures.alpha_ordinal,
                "disagreement": disagreement(by_article[article_id], names),
            }
        )
    rows.sort(key=lambda r: (-r["disagreement"], r["article_id"]))
    return rows


def disagreement(spans: list[agreement.Span], annotators: list[str]) -> float:
    """The share of units where the annotators do not all give the same verdict (0 … 1)."""
    found = agreement.units(spans)
    if not found:
        return 0.0
    split = sum(
        1
        for unit in found
        if len(unit.values) < len(annotators) or len(set(unit.values.values())) > 1
    )
    return split / len(found)


@dataclass
class Progress:
    articles: int = 0
    tasks: int = 0
    done: int = 0
    adjudicated: int = 0


def _per_assignment(session: Session, model, stamp):
    """Per assignment: (assignment_id, rows of ``model``, rows with ``stamp`` set)."""
    return session.execute(
        select(model.assignment_id, func.count(model.id), func.count(stamp)).group_by(
            model.assignment_id
        )
    )


def progress(session: Session) -> dict[int, Progress]:
    """Per assignment: articles, annotator shares done, articles adjudicated."""
    found: dict[int, Progress] = defaultdict(Progress)
    for assignment_id, tasks, done in _per_assignment(
        session, AssignmentTask, AssignmentTask.done_at
    ):
        found[assignment_id].tasks, found[assignment_id].done = tasks, done
    for assignment_id, articles, adjudicated in _per_assignment(
        session, AssignmentArticle, AssignmentArticle.adjudicated_at
    ):
        found[assignment_id].articles = articles
        found[assignment_id].adjudicated = adjudicated
    return found
