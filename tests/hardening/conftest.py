"""Fixtures of the hardening suite: a small world of principals and resources, and a way
to send a request as any of them.

Principals (the names used by the route matrix and the other attack tests):

- ``anonymous``: no cookie, no token;
- ``annotator``: owns the fixtures (a draft and a submitted annotation);
- ``other``: another annotator;
- ``reviewer``: a reviewer only;
- ``admin``: an administrator only (not an annotator);
- ``deactivated``: an annotator whose session cookie was set before an admin deactivated them;
- ``token``: the annotator's personal API token, sent as ``Authorization: Bearer``, no cookie;
- ``outsider``: annotator, reviewer and project admin of ANOTHER project ("elsewhere"): every
  resource of the world's project (the default one) must be a 404 to them;
- ``removed``: the outsider's twin who WAS an annotator and reviewer of the world's project,
  annotated an article of its assignment (a draft on it), and was then removed from it:
  what they left behind opens nothing, every read of the project is refused;
- ``project_admin``: an administrator of the world's project only (no other role, not a site
  admin): they hold every role of that project, and no site-wide power;
- ``reviewer_elsewhere``: a reviewer of another project only ("elsewhere"): a site-wide
  role test ("a reviewer somewhere") would let them in where the project's rule does not.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event, func, select

from factcheck.extensions import Base, db
from factcheck.models import Role, Status, Verdict
from factcheck.services import assignments, projects
from factcheck.services.users import set_active

from ..conftest import KEPT_WORLD

PRINCIPALS = (
    "anonymous",
    "annotator",
    "other",
    "reviewer",
    "admin",
    "deactivated",
    "token",
    "outsider",
    "removed",
    "project_admin",
    "reviewer_elsewhere",
)


@dataclass
class World:
    annotator: object
    other: object
    reviewer: object
    admin: object
    deactivated: object
    token: str
    token_id: int
    article: object
    spare_article: object
    draft: object
    submitted: object
    approved: object
    verdict_id: int
    spare_verdict_id: int
    outsider: object = None
    removed: object = None
    project_admin: object = None
    reviewer_elsewhere: object = None
    project: object = None
    elsewhere: object = None
    spare_project: object = None
    ids: dict = field(default_factory=dict)


#: the world's rows and how to find its objects again, by database: built by the first test
#: that asks, then copied back in bulk for each later test (a few ms instead of building
#: it again through the services, ~0.2 s, for each of the route matrix's ~900 cases)
_SNAPSHOTS: dict[str, tuple[dict, dict]] = {}


@pytest.fixture
def world(make, database_url) -> Iterator[World]:
    snapshot = _SNAPSHOTS.get(database_url)
    if snapshot is None:
        built = _build_world(make)
        _SNAPSHOTS[database_url] = (_dump_rows(), _recipe(built))
        yield built
        return
    rows, recipe = snapshot
    if KEPT_WORLD["url"] == database_url:
        db.session.remove()  # the tables hold the world as the last test found it
    else:
        _load_rows(rows)
    KEPT_WORLD["url"] = None
    writes: list[str] = []

    def watch(_conn, _cursor, statement, *_args):
        if not writes and _WRITE.match(statement):
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        yield _WorldAgain(recipe)  # type: ignore[misc]  (the same fields, on demand)
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    # a case that changed nothing (most GETs, most refusals) leaves the world for the next:
    # reloading it costs more than most cases themselves
    KEPT_WORLD["url"] = None if writes else database_url


#: a statement that changes a row (an upsert and a CTE that writes included)
_WRITE = re.compile(
    r"\s*(INSERT|UPDATE|DELETE|REPLACE|WITH\b.*\b(INSERT|UPDATE|DELETE)\b)",
    re.IGNORECASE | re.DOTALL,
)


def _dump_rows() -> dict:
    with db.engine.connect() as conn:
        return {
            table.name: [dict(row) for row in conn.execute(select(table)).mappings()]
            for table in Base.metadata.sorted_tables
        }


def _load_rows(rows: dict) -> None:
    """Replace every row (the app fixture's default verdicts included) by the snapshot's."""
    db.session.remove()
    tables = Base.metadata.sorted_tables
    with db.engine.begin() as conn:
        for table in reversed(tables):
            conn.execute(table.delete())
        for table in tables:
            if rows[table.name]:
                conn.execute(table.insert(), rows[table.name])


def _recipe(world: World) -> dict:
    """The world's fields, its stored objects as (class, id) to load again."""
    recipe = {}
    for name in World.__dataclass_fields__:
        value = getattr(world, name)
        if hasattr(value, "__table__"):
            recipe[name] = ("object", type(value), value.id)
        else:
            recipe[name] = ("value", value)
    return recipe


class _WorldAgain:
    """The world of a snapshot: each object is loaded when a test first asks for it (a
    route-matrix case uses two or three of them; loading all ~13 cost ~90 ms a case on
    PostgreSQL)."""

    def __init__(self, recipe: dict):
        self._recipe = recipe

    def __getattr__(self, name: str):
        # called only for what is not loaded yet
        try:
            kind, *entry = self._recipe[name]
        except KeyError:
            raise AttributeError(name) from None
        value = db.session.get(*entry) if kind == "object" else copy.deepcopy(entry[0])
        setattr(self, name, value)
        return value


def _build_world(make) -> World:
    annotator = make.user("annie", roles=[Role.ANNOTATOR])
    other = make.user("otto", roles=[Role.ANNOTATOR])
    reviewer = make.user("rita", roles=[Role.REVIEWER])
    admin = make.user("ada", roles=[Role.ADMIN])
    deactivated = make.user("dora", roles=[Role.ANNOTATOR])
    token = make.token(annotator)
    from factcheck.models import ApiToken

    token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == annotator.id))
    article = make.article(title="The matrix article")
    spare = make.article(title="An article nobody annotated", text="Nothing to see here.")
    draft = make.annotation(article=article, author=annotator, start=0, end=13)
    submitted = make.annotation(
        article=article, author=annotator, start=14, end=30, status=Status.SUBMITTED
    )
    approved = make.annotation(
        article=article, author=annotator, start=31, end=40, status=Status.APPROVED
    )
    # claim matching: a past fact-check, and a confirmed match to remove
    from factcheck.models import ClaimLink, FactCheck

    db.session.add(FactCheck(url="https://fact.example.org/matrix", claim="A past fact-check."))
    db.session.add(
        ClaimLink(
            annotation_id=submitted.id,
            target=f"annotation:{approved.id}",
            target_annotation_id=approved.id,
            created_by_id=annotator.id,
        )
    )
    db.session.commit()
    verdict = db.session.scalar(select(Verdict).where(Verdict.key == "mixed"))
    spare_verdict = db.session.scalar(select(Verdict).where(Verdict.key == "unverifiable"))
    project = projects.default_project(db.session)
    elsewhere = projects.create_project(
        db.session, name="Elsewhere", slug="elsewhere", template="fever"
    )
    spare_project = projects.create_project(db.session, name="Spare", slug="spare-project")
    db.session.commit()
    outsider = make.user("olga", roles=[])
    removed = make.user("remo", roles=[Role.ANNOTATOR, Role.REVIEWER])
    for user in (outsider, removed):
        projects.set_member_roles(
            db.session, elsewhere, user, [Role.ANNOTATOR, Role.REVIEWER, Role.PROJECT_ADMIN]
        )
    project_admin = make.user("pam", roles=[])
    projects.set_member_roles(db.session, project, project_admin, [Role.PROJECT_ADMIN])
    reviewer_elsewhere = make.user("rex", roles=[])
    projects.set_member_roles(db.session, elsewhere, reviewer_elsewhere, [Role.REVIEWER])
    db.session.commit()
    ids = _double_annotation(make, admin, annotator, removed)
    ids.update(_evidence(project))
    ids.update(_claimants())
    projects.remove_member(db.session, project, removed)
    db.session.commit()
    return World(
        outsider=outsider,
        removed=removed,
        project_admin=project_admin,
        reviewer_elsewhere=reviewer_elsewhere,
        project=project,
        elsewhere=elsewhere,
        spare_project=spare_project,
        annotator=annotator,
        other=other,
        reviewer=reviewer,
        admin=admin,
        deactivated=deactivated,
        token=token,
        token_id=token_id,
        article=article,
        spare_article=spare,
        draft=draft,
        submitted=submitted,
        approved=approved,
        verdict_id=verdict.id,
        spare_verdict_id=spare_verdict.id,
        ids=ids,
    )


def _evidence(project) -> dict:
    """A source of the world's project with one capture (bytes and text)."""
    from factcheck.models import Capture
    from factcheck.services.evidence import sources

    url = "https://evidence.example/matrix"
    source, _new = sources.find_or_create(db.session, project.id, url)
    db.session.flush()
    capture = Capture(
        source_id=source.id, url=url, status=200, content_type="text/plain",
        content=b"Evidence.", sha256="0" * 64, size=9, text="Evidence.",
    )  # fmt: skip
    db.session.add(capture)
    db.session.commit()
    return {"source": source.id, "capture": capture.id}


def _claimants() -> dict:
    """Two claimants of the installation: one to read, edit and merge into the other."""
    from factcheck.models import Claimant

    kept = Claimant(name="Le maire", folded="le maire", same_as=[])
    merged = Claimant(name="Le maire sortant", folded="le maire sortant", same_as=[])
    db.session.add_all([kept, merged])
    db.session.commit()
    return {"claimant": merged.id, "claimant_kept": kept.id}


def _double_annotation(make, admin, annotator, removed) -> dict:
    """An assignment (k = 1) of its own article to the annotator, done, with one claim, so
    that it waits for adjudication, and of another to ``removed`` (done, with a draft);
    and a free article to assign."""
    assigned = make.article(title="An article for double annotation", text="Nothing here either.")
    make.annotation(article=assigned, author=annotator, start=0, end=7)
    theirs = make.article(title="The removed member's article", text="Their own share.")
    make.annotation(article=theirs, author=removed, start=0, end=5)
    assignment = assignments.create(
        db.session,
        admin,
        {
            "name": "Matrix",
            "article_ids": [assigned.id, theirs.id],
            "annotators": [annotator.username, removed.username],
            "per_article": 1,
        },
    )
    assignments.mark_done(db.session, assignment, assigned.id, annotator)
    assignments.mark_done(db.session, assignment, theirs.id, removed)
    db.session.commit()
    free = make.article(title="Free for an assignment", text="Free text.")
    return {"assignment": assignment.id, "assigned_article": assigned.id, "free_article": free.id}


@pytest.fixture
def as_principal(app, world, login):
    """``as_principal(name)`` → (test client, extra headers) acting as that principal."""

    def _as(name: str):
        client = app.test_client()
        headers: dict[str, str] = {}
        if name == "token":
            headers["Authorization"] = f"Bearer {world.token}"
        elif name == "deactivated":
            login(world.deactivated, into=client)
            set_active(db.session, world.deactivated, False)  # after the cookie was issued
            db.session.commit()
        elif name != "anonymous":
            login(getattr(world, name), into=client)
        return client, headers

    return _as


def row_counts() -> dict[str, int]:
    """Rows per table: a cheap fingerprint of the stored state."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }
