"""Start and stop the real server (``factcheck serve``: gunicorn) for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 20.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not answer on {url}")


def start_server(
    database_url: str, instance: Path, workers: int = 2, port: int | None = None
) -> tuple[subprocess.Popen, str]:
    """Start gunicorn through ``factcheck serve``; return the process and its base URL."""
    port = port or free_port()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        FACTCHECK_SECRET_KEY=TEST_SECRET,
        FACTCHECK_INSTANCE_PATH=str(instance),
        PYTHONUNBUFFERED="1",
        # claim matching indexes in the background on a real server; here the tests index
        # when they need it, so that no background write races a test's own transactions
        FACTCHECK_MATCHING_BACKGROUND="false",
    )
    log = open(instance / "server.log", "ab")  # noqa: SIM115 (kept open for the process)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "factcheck",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        start_new_session=True,  # own process group: kill -9 reaches every worker
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/healthz", process=process)
    return process, base


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        kill_server(process)


def kill_server(process: subprocess.Popen) -> None:
    """kill -9 the master and all its workers at once, as a power cut would."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)
