"""Set-up messages (issue 14): a busy port gets one clear line naming PORT=, and the demo
names the real address."""

import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_busy_port_gets_one_clear_line_naming_port(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "factcheck", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
            env={"FACTCHECK_INSTANCE_PATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"Port {port} " in lines[0] and f"make run PORT={port + 1}" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_the_demo_names_the_port_it_was_given(app, app_ctx):
    result = app.test_cli_runner().invoke(args=["demo", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/login" in result.output
    assert ":5000" not in result.output


def test_make_run_installs_only_what_running_needs():
    makefile = (ROOT / "Makefile").read_text()
    run_rule = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert "install-run" in run_rule.splitlines()[0]
    assert '-e ".[dev]"' not in makefile.split("$(VENV)/.installed-run:")[1].split("\n\n")[0]


def test_a_new_users_home_says_what_to_do_first(client, login, make):
    from factcheck.models import Role, Status

    newcomer = make.user(roles=[Role.ANNOTATOR])
    login(newcomer)
    html = client.get("/").get_data(as_text=True)
    assert 'id="first-steps"' in html
    assert '<a href="/articles/">articles</a>' in html  # a real link, not escaped text
    make.annotation(author=newcomer, status=Status.DRAFT)
    assert 'id="first-steps"' not in client.get("/").get_data(as_text=True)
