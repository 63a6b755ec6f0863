"""Fetching safely: the contract's rules, against pages served on loopback by the test.

Refusals must happen before any connection: a listener the test owns records every
connection it gets, and ``socket.create_connection`` is watched for the addresses no test
may ever reach (nothing here makes traffic to a non-loopback address).
"""

from __future__ import annotations

import gzip
import ipaddress
import socket
import threading
import time

import pytest

from factcheck.services.evidence import fetch as fetching
from factcheck.services.evidence.fetch import FetchError, Limits, fetch, parse_networks

from .conftest import drip

LOOPBACK = Limits(timeout=2, allowed_networks=parse_networks("127.0.0.0/8"))
STRICT = Limits(timeout=2)  # nothing allowed beyond the public internet


class Listener:
    """A TCP port that records each connection it accepts (and answers nothing)."""

    def __init__(self, host: str = "127.0.0.1"):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind((host, 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(1)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def connections(monkeypatch):
    """Every address a fetch connects to; a non-loopback one fails the test at once."""
    seen: list[str] = []
    real = socket.create_connection

    def watched(address, *args, **kwargs):
        host = address[0]
        seen.append(host)
        if not ipaddress.ip_address(host).is_loopback:
            raise AssertionError(f"a test fetch tried to connect to {host}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(fetching.socket, "create_connection", watched)
    return seen


# --- what a fetch brings back -------------------------------------------------------------


def test_fetch_brings_the_page_names_factcheck_and_sends_no_cookie(pages):
    url = pages.route("/a", "<p>Bonjour</p>", content_type="text/html; charset=ISO-8859-1")
    got = fetch(url, LOOPBACK)
    assert (got.status, got.content_type, got.charset) == (200, "text/html", "iso-8859-1")
    assert got.body == b"<p>Bonjour</p>" and got.url == url
    ((path, headers),) = pages.requests
    assert "factcheck" in headers["User-Agent"]
    assert "Cookie" not in headers
    assert headers["Host"] == f"127.0.0.1:{pages.port}"


def test_a_name_is_resolved_once_and_the_connection_goes_to_the_address_checked(pages, connections):
    """DNS rebinding: a second answer pointing elsewhere is never asked for."""
    url = pages.route("/a", "ok", content_type="text/plain")
    answers = iter(["127.0.0.1", "169.254.169.254"])
    calls = []

    def resolver(host, port, **_kw):
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    got = fetch(url.replace("127.0.0.1", "evidence.test"), LOOPBACK, resolver=resolver)
    assert got.body == b"ok"
    assert calls == ["evidence.test"] and connections == ["127.0.0.1"]
    assert pages.requests[0][1]["Host"] == f"evidence.test:{pages.port}"


def test_redirects_are_followed_and_each_is_checked(pages, connections):
    pages.route("/old", status=301, headers={"Location": "/new"})
    url = pages.route("/new", "ici", content_type="text/plain")
    got = fetch(pages.url("/old"), LOOPBACK)
    assert got.url == url and got.redirects == [url] and got.body == b"ici"


def test_a_redirect_to_a_refused_address_is_refused_before_connecting(pages, connections):
    pages.route("/jump", status=302, headers={"Location": "http://169.254.169.254/latest/"})
    with pytest.raises(FetchError) as error:
        fetch(pages.url("/jump"), LOOPBACK)
    assert error.value.kind == "refused" and "link-local" in error.value.reason
    assert connections == ["127.0.0.1"]  # the first page only


def test_more_than_five_redirects_are_refused(pages):
    for i in range(7):
        pages.route(f"/r{i}", status=302, headers={"Location": f"/r{i + 1}"})
    with pytest.raises(FetchError, match="redirects more than 5 times"):
        fetch(pages.url("/r0"), LOOPBACK)
    assert len(pages.requests) == 6


def test_a_redirect_to_another_scheme_is_refused(pages):
    pages.route("/ftp", status=302, headers={"Location": "ftp://127.0.0.1/file"})
    with pytest.raises(FetchError, match="only http:// and https://"):
        fetch(pages.url("/ftp"), LOOPBACK)


# --- addresses refused before any connection -----------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "[::ffff:127.0.0.1]"])
def test_loopback_not_listed_is_refused_without_connecting(listener, host):
    with pytest.raises(FetchError) as error:
        fetch(f"http://{host}:{listener.port}/", STRICT)
    assert error.value.kind == "refused" and "loopback" in error.value.reason
    time.sleep(0.2)
    assert listener.connections == 0


def test_ipv6_loopback_is_refused_without_connecting():
    try:
        server = Listener("::1")
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        only_v4 = Limits(timeout=2, allowed_networks=parse_networks("127.0.0.0/8"))
        with pytest.raises(FetchError, match="loopback"):
            fetch(f"http://[::1]:{server.port}/", only_v4)
        time.sleep(0.2)
        assert server.connections == 0
    finally:
        server.close()


def test_a_listed_network_is_reached(listener):
    # the same listener, reachable once its network is listed (it answers nothing)
    with pytest.raises(FetchError) as error:
        fetch(f"http://127.0.0.1:{listener.port}/", LOOPBACK)
    assert error.value.kind != "refused"
    assert listener.connections == 1


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://10.1.2.3/", "private network"),
        ("http://192.168.1.1/", "private network"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[fd00::1]/", "private network"),
        ("http://[::ffff:10.0.0.1]/", "private network"),
        ("http://[64:ff9b::a00:1]/", "private network"),  # NAT64 of 10.0.0.1
        ("http://[2002:a00:1::]/", "private network"),  # 6to4 of 10.0.0.1
        ("http://0.0.0.0/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://100.64.0.1/", "not a public one"),  # shared address space (CGNAT)
    ],
)
def test_non_public_addresses_are_refused_before_connecting(connections, url, words):
    with pytest.raises(FetchError) as error:
        fetch(url, LOOPBACK)
    assert error.value.kind == "refused" and words in error.value.reason
    assert connections == []


def test_a_name_with_one_private_address_among_public_ones_is_refused(connections):
    def resolver(host, port, **_kw):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    with pytest.raises(FetchError, match="private network"):
        fetch("https://mixed.example/", LOOPBACK, resolver=resolver)
    assert connections == []


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("file:///etc/passwd", "only http:// and https://"),
        ("gopher://127.0.0.1/", "only http:// and https://"),
        ("http://user:secret@127.0.0.1/", "user name or password"),
        ("http://:8080/", "no host name"),
    ],
)
def test_unsafe_urls_are_refused_in_words(connections, url, words):
    with pytest.raises(FetchError, match=words):
        fetch(url, LOOPBACK)
    assert connections == []


def test_a_name_that_does_not_resolve_is_gone():
    def resolver(*_a, **_kw):
        raise socket.gaierror("Name or service not known")

    with pytest.raises(FetchError) as error:
        fetch("http://nowhere.invalid/", LOOPBACK, resolver=resolver)
    assert error.value.kind == "gone" and "does not resolve" in error.value.reason


# --- caps ------------------------------------------------------------------------------------


def test_a_page_larger_than_the_cap_is_refused(pages):
    small = Limits(max_bytes=1000, timeout=2, allowed_networks=LOOPBACK.allowed_networks)
    pages.route("/big", "x" * 5000, content_type="text/plain")
    with pytest.raises(FetchError, match="larger than") as error:
        fetch(pages.url("/big"), small)
    assert error.value.kind == "too_large"


def test_a_page_without_length_is_cut_at_the_cap(pages):
    small = Limits(max_bytes=1000, timeout=2, allowed_networks=LOOPBACK.allowed_networks)

    def endless(request):
        request.send_response(200)
        request.send_header("Content-Type", "text/plain")
        request.send_header("Connection", "close")
        request.end_headers()
        try:
            for _ in range(100):
                request.wfile.write(b"y" * 500)
        except OSError:
            pass
        request.close_connection = True

    pages.route("/endless", handler=endless)
    with pytest.raises(FetchError, match="larger than"):
        fetch(pages.url("/endless"), small)


def test_a_gzip_bomb_stops_at_the_cap(pages):
    cap = 100_000
    bomb = gzip.compress(b"\0" * 5_000_000)  # 5 MB in about 5 kB
    assert len(bomb) < cap
    limits = Limits(max_bytes=cap, timeout=2, allowed_networks=LOOPBACK.allowed_networks)
    pages.route("/bomb", bomb, content_type="text/plain", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="unpacks to more than") as error:
        fetch(pages.url("/bomb"), limits)
    assert error.value.kind == "too_large"


def test_gzip_within_the_cap_is_unpacked(pages):
    pages.route(
        "/z", gzip.compress("Éléments".encode()), content_type="text/plain; charset=utf-8",
        headers={"Content-Encoding": "gzip"},
    )  # fmt: skip
    assert fetch(pages.url("/z"), LOOPBACK).body == "Éléments".encode()


def test_a_server_dripping_bytes_is_cut_at_the_total_time(pages):
    limits = Limits(timeout=1, allowed_networks=LOOPBACK.allowed_networks)
    pages.route("/drip", handler=lambda request: drip(request, every=0.05))
    began = time.monotonic()
    with pytest.raises(FetchError, match="longer than 1 s") as error:
        fetch(pages.url("/drip"), limits)
    assert error.value.kind == "timeout"
    assert time.monotonic() - began < 1.8


def test_a_server_dripping_its_headers_is_cut_too(pages):
    limits = Limits(timeout=1, allowed_networks=LOOPBACK.allowed_networks)

    def slow_headers(request):
        try:
            request.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(100):
                request.wfile.write(b"X-Slow: 1\r\n")
                request.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass

    pages.route("/slow", handler=slow_headers)
    began = time.monotonic()
    with pytest.raises(FetchError, match="longer than"):
        fetch(pages.url("/slow"), limits)
    assert time.monotonic() - began < 1.8


def test_a_kind_of_document_not_kept_is_refused(pages):
    pages.route("/img", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    with pytest.raises(FetchError, match="serves image/png") as error:
        fetch(pages.url("/img"), LOOPBACK)
    assert error.value.kind == "type"


def test_a_document_without_type_is_sniffed(pages):
    pages.route("/doc", b"%PDF-1.4 ...", content_type="")
    assert fetch(pages.url("/doc"), LOOPBACK).content_type == "application/pdf"


@pytest.mark.parametrize(
    ("status", "kind", "words"),
    [
        (404, "gone", "the page answered 404 (not found)"),
        (410, "gone", "the page answered 410 (gone)"),
        (403, "blocked", "the page answered 403 (forbidden)"),
        (429, "blocked", "the page answered 429 (too many requests)"),
        (500, "http", "the page answered 500 (internal server error)"),
    ],
)
def test_error_statuses_say_what_the_page_answered(pages, status, kind, words):
    pages.route("/e", "no", status=status)
    with pytest.raises(FetchError) as error:
        fetch(pages.url("/e"), LOOPBACK)
    assert (error.value.kind, error.value.status, error.value.reason) == (kind, status, words)


def test_a_closed_port_is_a_network_failure():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    with pytest.raises(FetchError, match="did not accept the connection") as error:
        fetch(f"http://127.0.0.1:{port}/", LOOPBACK)
    assert error.value.kind == "network"


# --- names and TLS within the deadline ---------------------------------------------------------


def test_a_name_that_takes_too_long_to_resolve_is_cut_at_the_deadline():
    def slow(*_a, **_kw):
        time.sleep(3)
        return []

    began = time.monotonic()
    with pytest.raises(FetchError, match="took too long to resolve") as error:
        fetch("http://slow.example/", Limits(timeout=0.5), resolver=slow)
    assert error.value.kind == "timeout" and time.monotonic() - began < 1.5


def test_https_to_a_server_that_never_answers_the_handshake_is_cut_at_the_deadline():
    """A port that accepts and then says nothing: the TLS handshake waits, the watchdog
    ends it at the deadline."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        limits = Limits(timeout=0.5, allowed_networks=LOOPBACK.allowed_networks)
        began = time.monotonic()
        with pytest.raises(FetchError, match="longer than") as error:
            fetch(f"https://127.0.0.1:{silent.getsockname()[1]}/", limits)
        assert error.value.kind == "timeout" and time.monotonic() - began < 1.5
    finally:
        silent.close()


def test_https_with_a_certificate_nobody_vouches_for_is_refused(tmp_path):
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("no openssl to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def serve_once():
        try:
            conn, _ = server.accept()
            with context.wrap_socket(conn, server_side=True):
                pass
        except (OSError, ssl.SSLError):
            pass

    thread = threading.Thread(target=serve_once, daemon=True)
    thread.start()
    try:
        with pytest.raises(FetchError, match="certificate of 127.0.0.1 could not be verified"):
            fetch(f"https://127.0.0.1:{server.getsockname()[1]}/", LOOPBACK)
    finally:
        server.close()
        thread.join(2)
