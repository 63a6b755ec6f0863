"""init, user, token, demo and serve."""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from gunicorn.app.base import BaseApplication
from sqlalchemy import select

from ..demo import evidence as demo_evidence
from ..demo import projects as demo_projects
from ..extensions import db
from ..models import Article, Project
from ..permissions import Role
from ..services import importing, projects, review, users, verdicts
from ..services.errors import DomainError
from . import build_app, main
from .matching import demo_factchecks
from .worker import start_worker, stop_worker


def fail(message: str) -> None:
    raise click.ClickException(message)


@main.command("init")
@with_appcontext
def init_command():
    """Create the database or upgrade it to the latest schema (safe to run again)."""
    upgrade()
    added = verdicts.ensure_default_scale(db.session)
    db.session.commit()
    click.echo(f"Database ready: {_safe_url()}")
    if added:
        click.echo(f"Default verdict scale created ({added} verdicts).")


def _safe_url() -> str:
    return db.engine.url.render_as_string(hide_password=True)


@main.group("user")
def user_group():
    """Manage user accounts."""


@user_group.command("create")
@click.argument("name")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="Repeat for several roles.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--display-name", default="", help="Full name shown in the interface.")
@click.option(
    "--project",
    "project_slug",
    default=None,
    help="The project the roles are held in (default: the default project). admin is a site role.",
)
@with_appcontext
def user_create(name, roles, password_stdin, display_name, project_slug):
    """Create user NAME with one or more roles."""
    try:
        project = projects.resolve(db.session, project_slug, None) if project_slug else None
    except DomainError as error:
        fail(error.message)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = users.create_user(
            db.session, name, password, roles, display_name=display_name, project=project
        )
    except DomainError as error:
        fail(error.message)
    db.session.commit()
    click.echo(f"Created {user.username} ({', '.join(sorted(r.value for r in user.roles))}).")


@main.group("token")
def token_group():
    """Manage personal API tokens."""


@token_group.command("create")
@click.argument("name")
@click.option("--label", default="", help="What the token is for.")
@with_appcontext
def token_create(name, label):
    """Print a new API token for user NAME (shown once; store it safely)."""
    try:
        user = users.get_user(db.session, name)
    except DomainError as error:
        fail(error.message)
    _row, secret = users.create_token(db.session, user, label)
    db.session.commit()
    click.echo(secret)


DEMO_USERS = [
    ("admin", "Ada Admin", ["admin", "reviewer", "annotator"]),
    ("annotator", "Anne Annotatrice", ["annotator"]),
    ("annotator2", "Noé Annotateur", ["annotator"]),
    ("reviewer", "Rémi Relecteur", ["reviewer", "annotator"]),
    ("reviewer2", "Rita Reviewer", ["reviewer"]),
]
DEMO_PASSWORD_SUFFIX = "-demo-password"  # noqa: S105  (demo accounts, printed)


@main.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="For the login address shown.")
@click.option("--port", default=5000, show_default=True, type=int, help="For the address shown.")
@with_appcontext
def demo_command(host, port):
    """Add demo users (one per role) and a few demo articles, for a first look."""
    # the demo's sources are made-up addresses (example.org) whose captures ship with the
    # demo data: citing them must not queue fetches of pages that do not exist
    current_app.config["CAPTURE_ON_CITE"] = False
    verdicts.ensure_default_scale(db.session)
    created = []
    for name, display, roles in DEMO_USERS:
        try:
            users.get_user(db.session, name)
        except DomainError:
            users.create_user(
                db.session, name, name + DEMO_PASSWORD_SUFFIX, roles, display_name=display
            )
            created.append(name)
    db.session.commit()
    research = demo_projects.setup_projects(db.session)
    db.session.commit()
    added = _demo_articles()
    claims = _demo_claims() if added else 0
    research_added = demo_projects.research_articles(
        db.session, research, Path(current_app.root_path)
    )
    if research_added:
        claims += demo_projects.research_claims(db.session)
    db.session.commit()
    added += research_added
    click.echo(
        f"Demo users: {len(created)} created; demo articles: {added} added; "
        f"demo claims: {claims} added."
    )
    demo_factchecks()
    click.echo(
        "Two projects: the French newsroom (default) and a FEVER research dataset "
        f"({research.slug}); switch between them in the top bar."
    )
    click.echo(f"Log in at http://{host}:{port}/login with one of:")
    for name, _display, roles in DEMO_USERS:
        click.echo(f"  {name:<11} password {name + DEMO_PASSWORD_SUFFIX:<25} ({', '.join(roles)})")
    click.echo("These accounts are for trying factcheck; never keep them on a real server.")


def _demo_articles() -> int:
    path = Path(current_app.root_path) / "demo" / "articles.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    admin = users.get_user(db.session, "admin")
    report = importing.import_records(db.session, records, admin, project=None)
    db.session.commit()
    return report.imported


#: (article external_id, quote, claim, claimant, verdict, source, final status)
DEMO_CLAIMS = [
    (
        "demo-fr-port-eolien",
        "plus que toute la population des Côtes-d'Armor",
        "Le parc éolien de Saint-Brieuc alimentera plus d'habitants que n'en compte "
        "le département des Côtes-d'Armor.",
        "Loïg Chesnais-Girard",
        "mostly_true",
        "https://exemple.org/insee/populations-legales-22",
        "approved",
    ),
    (
        "demo-fr-port-eolien",
        "la France est le premier pays d'Europe pour l'éolien en mer",
        "La France est le premier pays d'Europe pour l'éolien en mer.",
        "Le ministre délégué à l'Industrie",
        "false",
        "https://exemple.org/windeurope/statistiques-2024",
        "submitted",
    ),
    (
        "demo-fr-cantine",
        "Nos cantines servent déjà 50 % de produits bio",
        "Les cantines de la ville servent 50 % de produits bio.",
        "L'adjointe au maire chargée de l'éducation",
        "false",
        "https://exemple.org/agriculture/bilan-egalim",
        "submitted",
    ),
    (
        "demo-fr-cantine",
        "le prix du repas a augmenté de 40 % en deux ans",
        "Le prix du repas à la cantine a augmenté de 40 % en deux ans.",
        "L'opposition municipale",
        "false",
        "https://exemple.org/ville/tarifs-restauration",
        "rejected",
    ),
    (
        "demo-en-bridge",
        "came in under budget, saving taxpayers $12 million",
        "The Riverside bridge came in $12 million under budget.",
        "Mayor Dana Whitfield",
        "false",
        "https://example.org/council/minutes-march",
        "draft",
    ),
]


def _demo_claims() -> int:
    """A few claims in every state, so the queue, highlights and export are not empty."""
    author = users.get_user(db.session, "annotator")
    reviewer = users.get_user(db.session, "reviewer")
    count = 0
    newsroom = None
    captures = {}
    for external_id, quote, claim, claimant, verdict, url, status in DEMO_CLAIMS:
        article = db.session.scalar(select(Article).where(Article.external_id == external_id))
        if newsroom is None:  # the pages the claims cite, kept before they are cited
            newsroom = db.session.get(Project, article.project_id)
            root = Path(current_app.root_path)
            captures = demo_evidence.capture_pages(db.session, newsroom, root, author)
        annotation = demo_projects.add_claim(
            db.session,
            article,
            author,
            quote,
            claim=claim,
            claimant=claimant,
            verdict=verdict,
            rationale="Vérifié auprès de la source.",
            sources=[demo_evidence.citation(url, captures)],
            status="draft" if status == "draft" else "submitted",
        )
        if status == "approved":
            review.approve(db.session, annotation, reviewer, version=annotation.version)
        elif status == "rejected":
            review.reject(
                db.session,
                annotation,
                reviewer,
                version=annotation.version,
                comment="Le tarif est passé de 3,90 € à 4,35 € : environ +11,5 %.",
            )
        count += 1
    db.session.commit()
    return count


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers", default=None, type=int, help="Worker processes (default: 2 × cores + 1)."
)
@click.option("--threads", default=2, show_default=True, type=int, help="Threads per worker.")
@click.option(
    "--no-worker",
    is_flag=True,
    help="Start no task consumer (captures, link checks): `factcheck worker` runs elsewhere.",
)
def serve_command(host, port, workers, threads, no_worker):
    """Run the production server (gunicorn), not the debug server, and a task consumer."""
    workers = workers or multiprocessing.cpu_count() * 2 + 1
    busy = _port_busy(host, port)
    if busy:
        # one clear line instead of gunicorn's retries and tracebacks
        click.echo(
            f"Port {port} on {host} is not free ({busy}). Choose another one: "
            f"make run PORT={port + 1}  (or: factcheck serve --port {port + 1})",
            err=True,
        )
        sys.exit(1)
    try:  # refuse a bad configuration (a weak secret key…) before gunicorn starts workers
        create_app_for_server()
    except RuntimeError as error:
        fail(str(error))

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", "-")
            self.cfg.set("graceful_timeout", 10)

        def load(self):
            return create_app_for_server()

    click.echo(f"factcheck on http://{host}:{port}/ ({workers} workers × {threads} threads)")
    server_pid = os.getpid()
    consumer = None if no_worker else start_worker()
    try:
        Server().run()
    finally:
        # gunicorn's workers are forks of this process and leave through here too: only
        # the server itself stops the consumer
        if consumer is not None and os.getpid() == server_pid:
            stop_worker(consumer)


def _port_busy(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be bound, or None when it can."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        return error.strerror or str(error)
    return None


def create_app_for_server():
    """The app as the server runs it: never in testing mode, whatever the environment says."""
    app = build_app()
    app.config["TESTING"] = False
    return app
