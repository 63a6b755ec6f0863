"""The layout of the design card (issue 16): templates/, static/ and instance/ at the top of
the checkout, and a wheel that still carries the templates and static files and runs on
its own, far from the checkout."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
from pathlib import Path

import pytest

from factcheck.config import Defaults

from .server import free_port, wait_for

ROOT = Path(__file__).resolve().parents[1]
#: what the wheel is built from (an sdist holds the same)
SOURCES = ("factcheck", "templates", "static", "pyproject.toml", "setup.py", "README.md")


def test_the_checkout_has_the_design_cards_layout():
    for name in ("factcheck", "templates", "static", "instance", "tests"):
        assert (ROOT / name).is_dir(), name
    for name in ("wsgi.py", "pyproject.toml", "README.md"):
        assert (ROOT / name).is_file(), name
    assert (ROOT / "templates" / "base.html").is_file()
    assert (ROOT / "static" / "css" / "app.css").is_file()
    # a template or script left in (or merged into) the package would be silently ignored
    assert not (ROOT / "factcheck" / "templates").exists()
    assert not (ROOT / "factcheck" / "static").exists()


def test_a_checkout_serves_its_top_level_templates_and_static_files(app, client):
    assert Path(app.template_folder) == ROOT / "templates"
    assert Path(app.static_folder) == ROOT / "static"
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.get_data() == (ROOT / "static" / "css" / "app.css").read_bytes()
    response.close()


def test_instance_holds_only_its_readme_and_example_in_git():
    tracked = subprocess.run(
        ["git", "ls-files", "instance"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert sorted(tracked) == ["instance/README.md", "instance/config.py.example"]
    for written in ("config.py", "secret_key", "factcheck.db", "factcheck.db-wal"):
        ignored = subprocess.run(["git", "check-ignore", "-q", f"instance/{written}"], cwd=ROOT)
        assert ignored.returncode == 0, written


def test_the_config_example_names_real_settings_in_valid_python():
    example = (ROOT / "instance" / "config.py.example").read_text()
    settings = re.findall(r"^# ([A-Z][A-Z_]+) = (.*)$", example, flags=re.MULTILINE)
    assert len(settings) >= 15
    for name, value in settings:
        assert hasattr(Defaults, name), name
        compile(f"{name} = {value}", "config.py.example", "exec")  # uncommented, it runs


def test_wsgi_py_builds_the_app_from_a_checkout(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("FACTCHECK_MATCHING_BACKGROUND", "false")
    spec = importlib.util.spec_from_file_location("wsgi_under_test", ROOT / "wsgi.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert Path(module.app.template_folder) == ROOT / "templates"
    assert module.app.url_map.bind("localhost").match("/login")[0] == "auth.login"


def test_gunicorn_builds_the_app_from_the_entry_point_serve_gives_it(tmp_path, monkeypatch):
    # the README deploys with gunicorn "factcheck:create_app()": gunicorn's own loader must
    # turn that string into the app (a renamed factory, or one needing arguments, fails here)
    from gunicorn.util import import_app

    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("FACTCHECK_MATCHING_BACKGROUND", "false")
    application = import_app("factcheck:create_app()")
    assert application.url_map.bind("localhost").match("/login")[0] == "auth.login"


@pytest.mark.slow
def test_the_wheel_runs_outside_the_checkout(tmp_path):
    """Build the wheel, install it alone into a fresh venv, serve it with gunicorn from an
    empty folder, and fetch a page, a static file and a French page."""
    source = tmp_path / "source"
    source.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=skip)
        else:
            shutil.copy2(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", tmp_path / "dist"]
        + [source],
        check=True,
        capture_output=True,
        timeout=120,
    )
    (wheel,) = (tmp_path / "dist").glob("factcheck-*.whl")

    # a venv that sees neither the checkout nor the checkout's factcheck: only its
    # dependencies, through a .pth line (no reinstall from the index)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [*pip, "--python", python, "install", "-q", "--no-deps", wheel],
        check=True,
        capture_output=True,
        timeout=120,
    )
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "checkout_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")

    run = tmp_path / "run"  # an empty folder: ./instance is created there
    run.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "FACTCHECK_MATCHING_BACKGROUND": "false",
    }
    where = subprocess.run(
        [python, "-c", "import factcheck; print(factcheck.__file__)"],
        cwd=run,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert where.startswith(site), where  # the wheel's copy, not the checkout
    assert str(ROOT) not in where
    assert (Path(site) / "factcheck" / "templates" / "base.html").is_file()
    # the model's centre (claim matching's sign bits) ships with the code
    assert (Path(site) / "factcheck" / "services" / "matching" / "centres.json").is_file()
    assert not (Path(site) / "templates").exists()
    assert not (Path(site) / "static").exists()

    init = subprocess.run(
        [venv / "bin" / "factcheck", "init"],
        cwd=run,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert init.returncode == 0, init.stderr
    assert (run / "instance" / "factcheck.db").is_file()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 (kept open for the process)
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}"]
        + ["factcheck:create_app()"],
        cwd=run,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"{base}/login", timeout=30, process=server)
        with urllib.request.urlopen(f"{base}/login") as page:  # noqa: S310 (loopback)
            html = page.read().decode()
        assert 'name="password"' in html and "/static/css/app.css" in html
        with urllib.request.urlopen(f"{base}/static/css/app.css") as css:  # noqa: S310
            assert css.read() == (ROOT / "static" / "css" / "app.css").read_bytes()
        french = urllib.request.Request(f"{base}/login", headers={"Accept-Language": "fr"})
        with urllib.request.urlopen(french) as page:  # noqa: S310
            html = page.read().decode()
        assert '<html lang="fr"' in html and "Mot de passe" in html
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()
