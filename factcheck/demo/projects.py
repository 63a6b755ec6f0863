"""The demo's two projects: the French newsroom (the default project, newsroom scale) and a
research project with the FEVER 3-way scale, so a first look shows what projects are for.
All texts are our own."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from ..models import Article, Project, Role
from ..services import annotations, importing, projects, review, users

RESEARCH_SLUG = "recherche-fever"
NEWSROOM_GUIDELINES = (
    "1. Sélectionnez la phrase exacte de l'article ; reformulez l'affirmation en une phrase "
    "autonome et vérifiable.\n"
    "2. Nommez la personne ou l'institution qui affirme.\n"
    "3. Au moins une source primaire (Insee, rapport, compte rendu officiel).\n"
    "4. « Trompeur » : les chiffres sont justes mais la conclusion ne l'est pas."
)
RESEARCH_GUIDELINES = (
    "FEVER-style labels.\n"
    "- supported: the evidence confirms every part of the statement.\n"
    "- refuted: the evidence contradicts at least one part of it.\n"
    "- not_enough_info: no evidence settles it either way; say what you searched."
)
#: username → roles in the research project (admin is a site admin and sees everything)
RESEARCH_MEMBERS = {
    "annotator": [Role.ANNOTATOR],
    "reviewer": [Role.REVIEWER, Role.ANNOTATOR],
    "reviewer2": [Role.REVIEWER, Role.PROJECT_ADMIN],
}
#: (quote, claim, verdict, final status)
RESEARCH_CLAIMS = [
    (
        "the airport handled 3.1 million passengers last year",
        "The airport handled 3.1 million passengers last year.",
        "supported",
        "approved",
    ),
    (
        "twice the ridership of the current bus route",
        "The new tram line will carry twice as many passengers as the current bus route.",
        "not_enough_info",
        "submitted",
    ),
]


def setup_projects(session) -> Project:
    """Name the default project, write its guidelines, and create the research project."""
    newsroom, _added = projects.ensure_default_project(session)
    if not newsroom.guidelines_version:
        newsroom.name = "Rédaction (démo)"
        newsroom.description = "Le desk de vérification d'une rédaction régionale."
        newsroom.default_language = "fr"
        projects.set_guidelines(session, newsroom, NEWSROOM_GUIDELINES, None)
    research = session.scalar(select(Project).where(Project.slug == RESEARCH_SLUG))
    if research is None:
        research = projects.create_project(
            session,
            name="Research dataset (FEVER)",
            slug=RESEARCH_SLUG,
            description="A FEVER-style 3-way dataset built next to the newsroom's work.",
            template="fever",
        )
        research.default_language = "en"
        projects.set_guidelines(session, research, RESEARCH_GUIDELINES, None)
    for name, roles in RESEARCH_MEMBERS.items():
        projects.set_member_roles(session, research, users.get_user(session, name), roles)
    session.flush()
    return research


def research_articles(session, research: Project, root: Path) -> int:
    path = root / "demo" / "research.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    admin = users.get_user(session, "admin")
    return importing.import_records(session, records, admin, project=research).imported


def add_claim(session, article: Article, author, quote: str, **fields):
    """A demo claim by ``author`` on ``quote`` (its first place in the article's text);
    ``fields``, the rest of the claim (claim, claimant, verdict, rationale, ...)."""
    start = article.text.index(quote)
    data = {"start": start, "end": start + len(quote), "quote": quote, **fields}
    return annotations.create(session, article, author, data)


def research_claims(session) -> int:
    author = users.get_user(session, "annotator")
    reviewer = users.get_user(session, "reviewer2")
    article = session.scalar(select(Article).where(Article.external_id == "demo-research-claims-1"))
    count = 0
    for quote, claim, verdict, status in RESEARCH_CLAIMS:
        annotation = add_claim(
            session,
            article,
            author,
            quote,
            claim=claim,
            claimant="",
            verdict=verdict,
            rationale="Checked against the statistics office's yearly report.",
            sources=[{"url": "https://example.org/statistics/airport", "title": "Report"}],
            status="submitted",
        )
        if status == "approved":
            review.approve(session, annotation, reviewer, version=annotation.version)
        count += 1
    return count
