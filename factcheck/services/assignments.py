"""Assignments (each article to k annotators), "My work", and the agreement report.

The agreement figures themselves are pure functions in ``agreement.py``; this module loads
what they are computed on: the annotators' own claims on the articles all of whose
annotators are done (adjudicated claims excluded).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session, load_only

from ..models import Annotation, Article, Role, User, utcnow
from ..models.assignment import Adjudication, Assignment, AssignmentArticle, AssignmentTask
from ..permissions import (
    can_see_assignment,
    is_project_admin,
    project_roles,
    sees_co_annotators,
    sees_whole_assignment,
    visible_projects,
)
from . import projects
from .errors import Conflict, Invalid, NotAllowed, NotFound

MAX_ARTICLES = 10_000
FIELDS = {"name", "article_ids", "annotators", "per_article", "blind", "project"}


# --- creating ---------------------------------------------------------------------------------


def create(session: Session, creator: User, data: Mapping) -> Assignment:
    """A new assignment; every article goes to ``per_article`` of the annotators, spread evenly."""
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise Invalid(_("Unknown field: %(names)s.", names=", ".join(unknown)), field=unknown[0])
    project = projects.resolve(session, data.get("project"), creator)
    if not is_project_admin(creator, project.id):
        raise NotAllowed(_("Only an administrator of the project creates assignments."))
    projects.check_writable(project)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        raise Invalid(_("Give the assignment a name (up to 200 characters)."), field="name")
    articles = _articles(session, data.get("article_ids"), project.id)
    annotators = _annotators(session, data.get("annotators"), project.id)
    k = data.get("per_article")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise Invalid(_("per_article is a whole number, at least 1."), field="per_article")
    if k > len(annotators):
        raise Invalid(
            _(
                "Each article is to be read by %(k)s annotators, but %(n)s is chosen: "
                "choose more annotators or lower the number per article.",
                k=k,
                n=len(annotators),
            ),
            field="per_article",
        )
    blind = data.get("blind", True)
    if not isinstance(blind, bool):
        raise Invalid(_("blind is true or false."), field="blind")
    assignment = Assignment(
        project_id=project.id,
        name=name.strip(),
        per_article=k,
        blind=blind,
        created_by_id=creator.id,
    )
    session.add(assignment)
    session.flush()
    for i, article in enumerate(articles):
        session.add(AssignmentArticle(assignment_id=assignment.id, article_id=article.id))
        for j in range(k):
            # contiguous blocks around the circle: every annotator gets ⌊n·k/m⌋ or ⌈n·k/m⌉
            annotator = annotators[(i * k + j) % len(annotators)]
            session.add(
                AssignmentTask(
                    assignment_id=assignment.id, article_id=article.id, annotator_id=annotator.id
                )
            )
    session.flush()
    return assignment


def _articles(session: Session, value: object, project_id: int) -> list[Article]:
    if (
        not isinstance(value, list)
        or not value
        or len(value) > MAX_ARTICLES
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in value)
    ):
        raise Invalid(
            _("article_ids is a list of article ids (1 to %(n)s).", n=MAX_ARTICLES),
            field="article_ids",
        )
    ids = list(dict.fromkeys(value))
    found = {
        a.id: a
        for a in session.scalars(
            select(Article)
            .where(Article.id.in_(ids), Article.project_id == project_id)
            .options(load_only(Article.id))
        )
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise Invalid(
            _("No such article: %(ids)s.", ids=", ".join(map(str, missing[:10]))),
            field="article_ids",
        )
    taken = list(
        session.scalars(
            select(AssignmentArticle.article_id).where(AssignmentArticle.article_id.in_(ids))
        )
    )
    if taken:
        raise Invalid(
            _(
                "Already in another assignment: article %(ids)s.",
                ids=", ".join(map(str, sorted(taken)[:10])),
            ),
            field="article_ids",
        )
    return [found[i] for i in ids]


def _annotators(session: Session, value: object, project_id: int) -> list[User]:
    if not isinstance(value, list) or not value or not all(isinstance(n, str) for n in value):
        raise Invalid(_("annotators is a list of usernames."), field="annotators")
    names = list(dict.fromkeys(value))
    users = {u.username: u for u in session.scalars(select(User).where(User.username.in_(names)))}
    for name in names:
        user = users.get(name)
        if user is None or not user.active:
            raise Invalid(_("No such user: %(name)s.", name=name), field="annotators")
        if Role.ANNOTATOR not in project_roles(user, project_id):
            raise Invalid(
                _("%(name)s does not have the annotator role in this project.", name=name),
                field="annotators",
            )
    return [users[n] for n in names]


# --- reading ----------------------------------------------------------------------------------


def is_staff(user: User, assignment: Assignment) -> bool:
    """Reviewers (and admins) of the assignment's project see all of it."""
    return sees_whole_assignment(user, assignment)


def is_annotator_of(session: Session, user: User, assignment: Assignment) -> bool:
    found = session.scalar(
        select(AssignmentTask.id)
        .where(
            AssignmentTask.assignment_id == assignment.id,
            AssignmentTask.annotator_id == user.id,
        )
        .limit(1)
    )
    return found is not None


def get_visible(session: Session, assignment_id: int, user: User) -> Assignment:
    """The assignment for its project's reviewers and its own annotators, members of the
    project (``permissions.can_see_assignment``); 404 otherwise."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or not can_see_assignment(
        user,
        assignment,
        annotates=not is_staff(user, assignment) and is_annotator_of(session, user, assignment),
    ):
        raise NotFound(_("No such assignment."))
    return assignment


def listing(session: Session, user: User, project_id: int | None = None) -> list[Assignment]:
    """The assignments of the projects where ``user`` reviews (optionally one project)."""
    query = (
        select(Assignment)
        .where(visible_projects(user, Assignment.project_id, Role.REVIEWER))
        .order_by(Assignment.id.desc())
    )
    if project_id is not None:
        query = query.where(Assignment.project_id == project_id)
    return list(session.scalars(query))


@dataclass
class ArticleState:
    article_id: int
    title: str
    annotators: list[str]
    done: list[str]
    adjudicated: bool
    claims: dict[str, int] = field(default_factory=dict)
    #: whose claim counts the viewer may see (None: everybody's; see ``states_for``)
    counted: frozenset[str] | None = None

    @property
    def ready(self) -> bool:
        return len(self.done) == len(self.annotators)

    def claim_count(self, username: str) -> int | None:
        """How many claims ``username`` has on the article; None when hidden from the viewer."""
        if self.counted is not None and username not in self.counted:
            return None
        return self.claims.get(username, 0)


def article_states(
    session: Session, assignment: Assignment, spans: list[tuple] | None = None
) -> list[ArticleState]:
    """Per article: its annotators, who is done, whether it is adjudicated, claims per person.

    ``spans``: the rows of ``_own_spans`` when the caller already has them."""
    rows = session.execute(
        select(
            AssignmentTask.article_id,
            Article.title,
            User.username,
            AssignmentTask.done_at,
            AssignmentArticle.adjudicated_at,
        )
        .join(Article, Article.id == AssignmentTask.article_id)
        .join(User, User.id == AssignmentTask.annotator_id)
        .join(AssignmentArticle, _task_article())
        .where(AssignmentTask.assignment_id == assignment.id)
        .order_by(AssignmentTask.article_id, User.username)
    )
    states: dict[int, ArticleState] = {}
    for article_id, title, username, done_at, adjudicated_at in rows:
        state = states.setdefault(
            article_id, ArticleState(article_id, title, [], [], adjudicated_at is not None)
        )
        state.annotators.append(username)
        if done_at is not None:
            state.done.append(username)
    if spans is None:
        spans = list(_own_spans(session, assignment))
    for article_id, username, *_rest in spans:
        claims = states[article_id].claims
        claims[username] = claims.get(username, 0) + 1
    return list(states.values())


def states_for(session: Session, assignment: Assignment, user: User) -> list[ArticleState]:
    """The articles' states as ``user`` may see them: an annotator who is not staff sees the
    articles assigned to them only; where the assignment is blind, an annotator of an article
    sees no co-annotator's claim count until it is adjudicated (``sees_co_annotators``)."""
    states = article_states(session, assignment)
    if not is_staff(user, assignment):
        states = [s for s in states if user.username in s.annotators]
    for state in states:
        annotates = user.username in state.annotators
        if not sees_co_annotators(
            user, assignment, annotates=annotates, adjudicated=state.adjudicated
        ):
            state.counted = frozenset({user.username})
            state.claims = {k: n for k, n in state.claims.items() if k == user.username}
    return states


def _own_spans(session: Session, assignment: Assignment, ready: set[int] | None = None):
    """(article_id, username, start, end, verdict) of the annotators' own claims.

    The query is driven by the article index (the annotations of the assignment's articles)
    and the (article, annotator) pairs are kept in Python: joined on the author instead,
    the planner walks every claim of each annotator once per article (seconds at 2,000).
    """
    tasks = {
        (article_id, annotator_id): username
        for article_id, annotator_id, username in session.execute(
            select(AssignmentTask.article_id, AssignmentTask.annotator_id, User.username)
            .join(User, User.id == AssignmentTask.annotator_id)
            .where(AssignmentTask.assignment_id == assignment.id)
        )
    }
    articles = select(AssignmentArticle.article_id).where(
        AssignmentArticle.assignment_id == assignment.id
    )
    rows = session.execute(
        select(
            Annotation.article_id,
            Annotation.author_id,
            Annotation.start,
            Annotation.end,
            Annotation.verdict,
        ).where(Annotation.article_id.in_(articles), _not_adjudicated_result())
    )
    for article_id, author_id, start, end, verdict in rows:
        username = tasks.get((article_id, author_id))
        if username is not None and (ready is None or article_id in ready):
            yield article_id, username, start, end, verdict


def _task_article():
    """Join condition: the ``AssignmentArticle`` row of an ``AssignmentTask``."""
    return (AssignmentArticle.article_id == AssignmentTask.article_id) & (
        AssignmentArticle.assignment_id == AssignmentTask.assignment_id
    )


def _not_adjudicated_result():
    results = select(Adjudication.result_annotation_id).where(
        Adjudication.result_annotation_id.is_not(None)
    )
    return Annotation.id.not_in(results)


def my_work(session: Session, user: User) -> list[tuple[AssignmentTask, Assignment, str, bool]]:
    """The user's assigned articles in the projects they are a member of, not done first:
    (task, assignment, title, adjudicated)."""
    rows = session.execute(
        select(AssignmentTask, Assignment, Article.title, AssignmentArticle.adjudicated_at)
        .join(Assignment, Assignment.id == AssignmentTask.assignment_id)
        .join(Article, Article.id == AssignmentTask.article_id)
        .join(AssignmentArticle, _task_article())
        .where(
            AssignmentTask.annotator_id == user.id,
            # a removed member's shares stay behind, out of their sight
            visible_projects(user, Assignment.project_id),
        )
        .order_by(AssignmentTask.done_at.is_not(None), AssignmentTask.id)
    )
    return [(task, a, title, adj is not None) for task, a, title, adj in rows]


# --- done -------------------------------------------------------------------------------------


def mark_done(
    session: Session, assignment: Assignment, article_id: int, user: User, done: bool = True
) -> AssignmentTask:
    """Mark (or unmark) the user's share of an article done; 404 when not theirs."""
    task = session.scalar(
        select(AssignmentTask).where(
            AssignmentTask.assignment_id == assignment.id,
            AssignmentTask.article_id == article_id,
            AssignmentTask.annotator_id == user.id,
        )
    )
    if task is None:
        raise NotFound(_("This article is not assigned to you."))
    if not done and _adjudication_started(session, article_id):
        raise Conflict(
            _("The adjudication of this article has started: it can no longer be reopened."),
            code="adjudication_started",
        )
    # one conditional UPDATE: undo cannot slip past an adjudication that starts meanwhile
    session.execute(
        update(AssignmentTask)
        .where(AssignmentTask.id == task.id)
        .values(done_at=utcnow() if done else None)
        .execution_options(synchronize_session=False)
    )
    session.refresh(task)
    return task


def _adjudication_started(session: Session, article_id: int) -> bool:
    first = select(Adjudication.id).where(Adjudication.article_id == article_id).limit(1)
    return session.scalar(first) is not None
