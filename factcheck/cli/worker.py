"""worker: the task queue's consumer (captures of cited pages, the link check).

``factcheck serve`` starts one beside gunicorn and stops it when it stops, so a single
host needs nothing more; deployments over several hosts run ``factcheck worker`` where
they like, with ``FACTCHECK_QUEUE_URL`` naming a shared queue (Redis or PostgreSQL), and
``--no-periodic`` on all workers but one.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import tasks
from . import main


@main.command("worker")
@click.option("--threads", default=2, show_default=True, type=int, help="Tasks run at once.")
@click.option(
    "--no-periodic",
    is_flag=True,
    help="Leave the scheduled link check to another worker (run it on one worker only).",
)
@with_appcontext
def worker_command(threads, no_periodic):
    """Run the task queue's consumer: captures of cited pages and the link check."""
    app = current_app._get_current_object()
    if tasks.immediate(app):
        raise click.ClickException(
            "QUEUE_IMMEDIATE is on: tasks run where they are asked for; no worker is needed."
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    huey = tasks.queue(app)
    consumer = huey.create_consumer(
        workers=max(1, threads),
        worker_type="thread",
        periodic=not no_periodic,
        check_worker_health=True,
    )
    click.echo(f"factcheck worker: {threads} threads, queue {tasks.describe(app)}")
    consumer.run()


def _die_with_parent() -> None:
    """In the child, before it runs: Linux sends it SIGTERM if ``serve`` dies (even killed),
    so no consumer outlives its server."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: serve's own finally still stops it


def start_worker() -> subprocess.Popen:
    """A ``factcheck worker`` process with this process's environment (same settings)."""
    return subprocess.Popen(  # noqa: S603  (our own interpreter and module, no shell)
        [sys.executable, "-m", "factcheck", "worker"],
        preexec_fn=_die_with_parent,  # noqa: PLW1509
        env=os.environ.copy(),
    )


def stop_worker(process: subprocess.Popen, timeout: float = 10) -> int:
    """Ask the worker to stop (SIGTERM: it ends its running tasks' threads), then make sure."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode
