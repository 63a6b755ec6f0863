"""The task queue: huey built from the settings, tasks queued after the commit, the
consumer beside ``serve``."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest
from huey import RedisHuey, SqliteHuey
from sqlalchemy import select

from factcheck import create_app, tasks
from factcheck.cli.worker import start_worker, stop_worker
from factcheck.extensions import db
from factcheck.models import Capture
from factcheck.services.evidence import sources

from ..conftest import TEST_SECRET


def _app(tmp_path, monkeypatch, **config):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'q.db'}",
            **config,
        }
    )


def test_default_queue_is_a_private_sqlite_file_in_the_instance_folder(tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, QUEUE_IMMEDIATE=False)
    huey = tasks.queue(app)
    path = tmp_path / "instance" / "queue.db"
    assert isinstance(huey, SqliteHuey) and not huey.immediate
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert set(app.extensions["huey_tasks"]) == {
        "capture_source",
        "check_source",
        "check_links",
        "compute_suggestions",
        "compute_suggestions_many",
    }
    assert tasks.queue(app) is huey  # built once


def test_tests_run_tasks_at_once_without_a_consumer(app):
    huey = tasks.queue(app)
    assert huey.immediate


def test_redis_url_gives_a_redis_queue(tmp_path, monkeypatch):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    app = _app(tmp_path, monkeypatch, QUEUE_IMMEDIATE=False, QUEUE_URL="redis://127.0.0.1:6379/15")
    huey = tasks.queue(app)
    assert isinstance(huey, RedisHuey)
    huey.flush()
    try:
        assert tasks.enqueue("capture_source", 123, app=app)
        assert huey.pending_count() == 1
        assert tasks.describe(app) == "redis://127.0.0.1:6379/15"
    finally:
        huey.flush()


def test_a_mistyped_allowed_network_stops_the_app(tmp_path, monkeypatch):
    with pytest.raises(RuntimeError, match="FETCH_ALLOWED_NETWORKS must be CIDRs"):
        _app(tmp_path, monkeypatch, FETCH_ALLOWED_NETWORKS="127.0.0.0/8, localhost")


def test_an_unknown_queue_url_is_refused_with_a_sentence(tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, QUEUE_IMMEDIATE=False, QUEUE_URL="amqp://x")
    with pytest.raises(RuntimeError, match="QUEUE_URL must start with"):
        tasks.queue(app)


def test_an_unreachable_queue_does_not_fail_the_caller(tmp_path, monkeypatch):
    # nothing listens on port 1: the task is lost (logged), the request goes on
    app = _app(tmp_path, monkeypatch, QUEUE_IMMEDIATE=False, QUEUE_URL="redis://127.0.0.1:1/0")
    assert tasks.enqueue("capture_source", 1, app=app) is False


@pytest.mark.parametrize(
    ("hours", "moment", "due"),
    [
        (24, datetime(2026, 3, 1, 0, 0, tzinfo=UTC), True),
        (24, datetime(2026, 3, 1, 12, 0, tzinfo=UTC), False),
        (6, datetime(2026, 3, 1, 18, 0, tzinfo=UTC), True),
        (6, datetime(2026, 3, 1, 18, 1, tzinfo=UTC), False),
        (36, datetime(1970, 1, 2, 12, 0, tzinfo=UTC), True),
        (36, datetime(1970, 1, 2, 0, 0, tzinfo=UTC), False),
    ],
)
def test_link_check_runs_every_configured_hours(hours, moment, due):
    assert tasks.every_hours(hours)(moment) is due


def test_a_task_is_queued_when_the_transaction_commits_not_before(
    tmp_path, monkeypatch, pages, make
):
    """Queued (not run) in a real queue file, then run as a consumer would: the capture is
    appended; a rolled-back transaction queues nothing."""
    url = pages.route("/a", "<html><title>A</title><body><p>Des chiffres.</p></body></html>")
    app = _app(
        tmp_path,
        monkeypatch,
        QUEUE_IMMEDIATE=False,
        CAPTURE_ON_CITE=True,
        FETCH_ALLOWED_NETWORKS="127.0.0.0/8",
    )
    with app.app_context():
        db.create_all()
        from factcheck.services.projects import default_project
        from factcheck.services.verdicts import ensure_default_scale

        ensure_default_scale(db.session)
        db.session.commit()
        project = default_project(db.session)
        huey = tasks.queue(app)
        sources.cite(db.session, project.id, url.replace("/a", "/b"))
        db.session.rollback()
        assert huey.pending_count() == 0
        source = sources.cite(db.session, project.id, url)
        # a second new source: its SAVEPOINT's release is no commit of the first
        other = sources.cite(db.session, project.id, url.replace("/a", "/c"))
        assert huey.pending_count() == 0  # not before the commit
        db.session.commit()
        assert huey.pending_count() == 2
        huey.execute(huey.dequeue())  # what the consumer does
        huey.execute(huey.dequeue())
        assert {c.source_id for c in db.session.scalars(select(Capture))} == {source.id, other.id}
        captures = db.session.scalars(select(Capture).where(Capture.source_id == source.id))
        (capture,) = captures.all()
        assert capture.title == "A" and capture.text == "Des chiffres."
        db.session.remove()
        db.engine.dispose()


@pytest.mark.slow
def test_worker_process_starts_and_stops(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    monkeypatch.setenv("FACTCHECK_SECRET_KEY", TEST_SECRET)
    worker = start_worker()
    try:
        deadline = time.monotonic() + 30
        queue_file = tmp_path / "instance" / "queue.db"
        while not queue_file.exists() and time.monotonic() < deadline:
            assert worker.poll() is None, "the worker stopped at once"
            time.sleep(0.1)
        assert queue_file.exists()
        assert worker.poll() is None
    finally:
        code = stop_worker(worker, timeout=10)
    assert code is not None and worker.poll() is not None


@pytest.mark.slow
def test_a_worker_dies_with_the_process_that_started_it(tmp_path):
    """serve killed outright (SIGKILL: no finally runs) leaves no consumer behind."""
    env = {
        **os.environ,
        "FACTCHECK_INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}",
        "FACTCHECK_SECRET_KEY": TEST_SECRET,
    }
    script = (
        "import time\n"
        "from factcheck.cli.worker import start_worker\n"
        "w = start_worker(); print(w.pid, flush=True); time.sleep(60)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env
    )
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
        _reap(child)
    else:
        os.kill(child, 9)
        pytest.fail("the worker outlived its parent")


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _children(pid: int) -> list[int]:
    try:
        text = open(f"/proc/{pid}/task/{pid}/children").read()  # noqa: SIM115
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _cmdline(pid: int) -> str:
    try:
        return open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode()  # noqa: SIM115
    except OSError:
        return ""


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="reads /proc (Linux)")
def test_serve_runs_a_consumer_and_stops_it_when_it_stops(tmp_path):
    from tests.server import start_server, stop_server

    instance = tmp_path / "instance"
    instance.mkdir()
    server, _base = start_server(f"sqlite:///{tmp_path / 's.db'}", instance, workers=1)
    try:
        consumers = [p for p in _children(server.pid) if "factcheck worker" in _cmdline(p)]
        assert len(consumers) == 1
    finally:
        stop_server(server)
    (consumer,) = consumers
    deadline = time.monotonic() + 10
    while _cmdline(consumer) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _cmdline(consumer), "the consumer outlived factcheck serve"


def test_a_task_meeting_a_database_outage_runs_again_later_without_a_traceback(
    app, monkeypatch, caplog
):
    # seen under the PostgreSQL restart test: a capture task met the outage and the
    # worker logged a traceback; the capture was not lost, but nothing said it would come
    from huey.exceptions import RetryTask
    from sqlalchemy.exc import OperationalError

    def outage(_session, *_args):
        raise OperationalError("SELECT 1", {}, Exception("connection refused\nmore detail"))

    outage.__name__ = "capture_source"
    run = tasks._in_app_context(app, outage)
    with pytest.raises(RetryTask) as raised:
        run(1)
    assert raised.value.delay == tasks.DATABASE_RETRY_SECONDS
    lines = [r.getMessage() for r in caplog.records if r.name == "factcheck.tasks"]
    assert lines and "not answering" in lines[-1] and "\n" not in lines[-1]
