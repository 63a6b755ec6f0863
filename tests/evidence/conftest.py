"""Evidence tests: pages served on a loopback port by a server the test starts, with
127.0.0.0/8 among the networks a fetch may reach; tasks run at once (QUEUE_IMMEDIATE)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from factcheck.extensions import db
from factcheck.models import Role
from factcheck.services import projects

HTML = (
    "<html><head><title>Le chômage baisse | Le Journal</title>"
    '<meta name="author" content="Marie Dupont">'
    '<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
    '<meta property="og:site_name" content="Le Journal"></head><body>'
    "<nav><a href=/>Accueil</a> <a href=/politique>Politique</a></nav>"
    "<article><h1>Le chômage baisse</h1><p>Le taux de chômage est passé de 7,4 % à 7,3 % "
    "au dernier trimestre, selon l'Insee, qui publie ses chiffres ce mardi.</p>"
    "<p>C'est la première baisse depuis un an, note l'institut dans un communiqué.</p>"
    "</article><footer>Copyright 2024 Le Journal — Mentions légales</footer></body></html>"
)


@pytest.fixture(autouse=True)
def no_dns(monkeypatch):
    """No test reaches the internet: a fetch that would look a name up fails the test (the
    tests' own resolvers are passed to ``fetch`` explicitly)."""
    import ipaddress
    import socket

    real = socket.getaddrinfo

    def numeric_only(host, *args, **kwargs):
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise AssertionError(f"a test tried to resolve {host!r}") from None
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", numeric_only)


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "QUEUE_IMMEDIATE": True,
        "CAPTURE_ON_CITE": True,
        "FETCH_ALLOWED_NETWORKS": "127.0.0.0/8",
        "FETCH_TIMEOUT": 2,
    }


Handler = Callable[[BaseHTTPRequestHandler], None]


class Pages:
    """A tiny web server on 127.0.0.1: ``pages.route("/a", html="…")`` or a handler."""

    def __init__(self):
        self.routes: dict[str, Handler] = {}
        self.requests: list[tuple[str, dict]] = []
        pages = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                pages.requests.append((self.path, dict(self.headers)))
                handler = pages.routes.get(self.path)
                if handler is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                handler(self)

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict | None = None,
        handler: Handler | None = None,
    ) -> str:
        if handler is None:
            data = body.encode("utf-8") if isinstance(body, str) else body

            def handler(request: BaseHTTPRequestHandler) -> None:
                request.send_response(status)
                if content_type:
                    request.send_header("Content-Type", content_type)
                for name, value in (headers or {}).items():
                    request.send_header(name, value)
                request.send_header("Content-Length", str(len(data)))
                request.end_headers()
                request.wfile.write(data)

        self.routes[path] = handler
        return self.url(path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def pages():
    server = Pages()
    yield server
    server.close()


def drip(request: BaseHTTPRequestHandler, every: float = 0.2, count: int = 1000) -> None:
    """Answer 200 and send one byte at a time, for ever (or ``count`` bytes)."""
    request.send_response(200)
    request.send_header("Content-Type", "text/plain")
    request.end_headers()
    try:
        for _ in range(count):
            request.wfile.write(b"x")
            request.wfile.flush()
            time.sleep(every)
    except OSError:
        pass


@pytest.fixture
def project(app_ctx):
    return projects.default_project(db.session)


@pytest.fixture
def annotator(make):
    return make.user(roles=[Role.ANNOTATOR])
