"""Fetching a page safely: the rules of the contract ("Fetching safely"), in one place.

- ``http``/``https`` only, no user name or password in the URL.
- Every address the name resolves to is checked before connecting, and the connection
  goes to an address checked (a socket opened on the IP itself; the Host header and TLS
  SNI/certificate check carry the name), so a second DNS answer cannot point elsewhere
  (DNS rebinding). Each redirect (at most ``max_redirects``) is checked the same way.
- Loopback, private, link-local, multicast, reserved, unspecified and other non-global
  addresses are refused, IPv4 and IPv6 alike, including IPv4 addresses carried inside
  IPv6 ones (mapped, 6to4, Teredo, NAT64), unless inside ``allowed_networks``.
- Caps: ``max_bytes`` received and decompressed (a gzip bomb stops at the cap), ``timeout``
  seconds in all, redirects and a server sending one byte at a time included (a watchdog
  shuts the socket at the deadline); the content types of pages, PDF and plain text.
- No cookies are sent; the User-Agent names factcheck.

Every refusal and failure is a ``FetchError`` whose ``reason`` is a sentence a checker
understands, and whose ``kind`` sorts it for the link check (``gone``, ``blocked``…).
Nothing here touches the database or Flask.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import quote, urljoin, urlsplit

from .addresses import (  # noqa: F401  (FetchError, Limits, parse_networks: as fetch.*)
    Address,
    FetchError,
    Limits,
    Network,
    Resolver,
    parse_networks,
    refusal,
    resolve,
)

USER_AGENT = "factcheck/0.1 (fact-checking evidence capture)"
#: media type → the kind of document extract.py reads
ALLOWED_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "text/plain": "text",
    "text/csv": "text",
    "application/json": "text",
}
REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
#: characters left as they are when a path is made ASCII for the request line
_PATH_SAFE = "/%:@!$&'()*+,;=-._~?"


@dataclass
class Fetched:
    #: the address the document came from, after redirects
    url: str
    status: int
    #: media type without parameters
    content_type: str
    #: the charset the server declared ("" when none)
    charset: str
    body: bytes
    redirects: list[str] = field(default_factory=list)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


# --- one request -------------------------------------------------------------------------


@dataclass
class _Target:
    url: str
    scheme: str
    host: str  # ASCII (IDNA) name or IP literal, no brackets
    port: int
    path: str


def check_url(url: str) -> _Target:
    """The parts of a URL a fetch may follow, or a FetchError saying why not."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError("this is not a valid web address", kind="refused", url=url) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            "only http:// and https:// addresses can be fetched", kind="refused", url=url
        )
    if parts.username is not None or parts.password is not None:
        raise FetchError(
            "the address holds a user name or password; remove it", kind="refused", url=url
        )
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchError("the address has no host name", kind="refused", url=url)
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise FetchError("the host name is not valid", kind="refused", url=url) from None
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_PATH_SAFE)
    return _Target(url, scheme, host, port or (443 if scheme == "https" else 80), path)


class _Watchdog:
    """Shuts a socket down at the deadline, whatever the reading code is blocked on."""

    def __init__(self, sock: socket.socket, seconds: float):
        self.fired = False
        self._sock = sock
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        try:  # the plain socket's shutdown: an SSL socket's would drop its state first
            socket.socket.shutdown(self._sock, socket.SHUT_RDWR)
        except OSError:
            pass

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` instead (the TLS socket that took over the connection)."""
        self._sock = sock

    def cancel(self) -> None:
        self._timer.cancel()


def _connect(target: _Target, addresses: list[Address], remaining: float) -> socket.socket:
    """A TCP connection to the first of ``addresses`` (all checked) that accepts."""
    last: OSError | None = None
    for ip in addresses:
        try:
            return socket.create_connection((str(ip), target.port), timeout=remaining)
        except OSError as error:
            last = error
    if isinstance(last, TimeoutError):
        raise FetchError(
            f"{target.host} did not answer in time", kind="timeout", url=target.url
        ) from None
    raise FetchError(
        f"{target.host} did not accept the connection", kind="network", url=target.url
    ) from None


def _secure(sock: socket.socket, target: _Target, watchdog: _Watchdog) -> socket.socket:
    """TLS over ``sock``: SNI and the certificate check name the host, not the address."""
    context = ssl.create_default_context()
    try:
        secure = context.wrap_socket(sock, server_hostname=target.host)
    except ssl.SSLCertVerificationError:
        sock.close()
        raise FetchError(
            f"the certificate of {target.host} could not be verified",
            kind="network",
            url=target.url,
        ) from None
    except (OSError, ssl.SSLError):
        sock.close()
        if watchdog.fired:
            raise
        raise FetchError(
            f"the secure connection to {target.host} failed", kind="network", url=target.url
        ) from None
    watchdog.watch(secure)
    return secure


def _status_error(status: int, url: str) -> FetchError:
    try:
        phrase = HTTPStatus(status).phrase.lower()
    except ValueError:
        phrase = "an error"
    kind = "http"
    if status in (404, 410):
        kind = "gone"
    elif status in (401, 403, 429, 451):
        kind = "blocked"
    return FetchError(f"the page answered {status} ({phrase})", kind=kind, status=status, url=url)


def _media_type(header: str | None) -> tuple[str, str]:
    """(media type, charset) of a Content-Type header."""
    if not header:
        return "", ""
    pieces = [p.strip() for p in header.split(";")]
    charset = ""
    for piece in pieces[1:]:
        name, _, value = piece.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower()
    return pieces[0].lower(), charset


class _Inflater:
    """Decompresses what arrives, never holding more than the cap (a gzip bomb stops)."""

    def __init__(self, encoding: str, cap: int, url: str):
        self.cap, self.total, self.url = cap, 0, url
        self._first = True
        if encoding in ("", "identity"):
            self._d = None
        elif encoding in ("gzip", "x-gzip"):
            self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._d = zlib.decompressobj()
        else:
            raise FetchError(
                f"the page is compressed in a way factcheck does not read ({encoding})",
                kind="type",
                url=url,
            )
        self._encoding = encoding

    def feed(self, data: bytes) -> bytes:
        if self._d is None:
            out = data
        else:
            try:
                out = self._d.decompress(data, self.cap - self.total + 1)
            except zlib.error:
                if not (self._first and self._encoding == "deflate"):
                    raise FetchError(
                        "the page's compressed data is damaged", kind="http", url=self.url
                    ) from None
                self._d = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some send
                out = self._d.decompress(data, self.cap - self.total + 1)
            if self._d.unconsumed_tail:
                out += b"x" * (self.cap + 1)  # the limit was reached: over the cap
        self._first = False
        self.total += len(out)
        if self.total > self.cap:
            raise FetchError(
                f"the page unpacks to more than {_mb(self.cap)}", kind="too_large", url=self.url
            )
        return out

    def finish(self) -> bytes:
        if self._d is None:
            return b""
        out = self._d.flush()
        self.total += len(out)
        if self.total > self.cap:
            raise FetchError(
                f"the page unpacks to more than {_mb(self.cap)}", kind="too_large", url=self.url
            )
        return out


def _sniff(body: bytes) -> str:
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf-"):
        return "application/pdf"
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "text/html"
    return ""


def _read_body(response, target: _Target, limits: Limits, deadline: float) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > limits.max_bytes:
        raise FetchError(
            f"the page is larger than {_mb(limits.max_bytes)}", kind="too_large", url=target.url
        )
    encoding = (response.getheader("Content-Encoding") or "").strip().lower()
    inflater = _Inflater(encoding, limits.max_bytes, target.url)
    received = 0
    parts: list[bytes] = []
    while True:
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        received += len(chunk)
        if received > limits.max_bytes:
            raise FetchError(
                f"the page is larger than {_mb(limits.max_bytes)}", kind="too_large", url=target.url
            )
        parts.append(inflater.feed(chunk))
        if time.monotonic() > deadline:
            raise TimeoutError
    if time.monotonic() > deadline:  # the watchdog ended the stream: it is not whole
        raise TimeoutError
    parts.append(inflater.finish())
    return b"".join(parts)


def _one(target, addresses, limits, deadline):
    """One request: (status, headers getter, body or None for a redirect/error)."""
    sock = _connect(target, addresses, max(deadline - time.monotonic(), 0.01))
    watchdog = _Watchdog(sock, deadline - time.monotonic())
    connection_class = (
        http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(target.host, target.port)
    try:
        if target.scheme == "https":
            sock = _secure(sock, target, watchdog)
        connection.sock = sock  # already connected to the address checked
        connection.putrequest("GET", target.path, skip_accept_encoding=True)
        connection.putheader("User-Agent", USER_AGENT)
        connection.putheader("Accept", "text/html,application/xhtml+xml,application/pdf,"
                             "text/plain;q=0.9,*/*;q=0.1")  # fmt: skip
        connection.putheader("Accept-Encoding", "gzip, deflate")
        connection.putheader("Connection", "close")
        connection.endheaders()
        response = connection.getresponse()
        status = response.status
        if status in REDIRECTS or status >= 300:
            return status, response, None
        media, charset = _media_type(response.getheader("Content-Type"))
        if media and media not in ALLOWED_TYPES:
            raise FetchError(
                f"the address serves {media[:60]}, which factcheck does not keep "
                "(web pages, PDF and plain text)",
                kind="type",
                status=status,
                url=target.url,
            )
        body = _read_body(response, target, limits, deadline)
        return status, response, (media, charset, body)
    except FetchError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as error:
        if watchdog.fired or isinstance(error, TimeoutError) or time.monotonic() > deadline:
            raise FetchError(
                f"the page took longer than {limits.timeout:g} s to arrive",
                kind="timeout",
                url=target.url,
            ) from None
        raise FetchError(
            f"the connection to {target.host} failed ({type(error).__name__})",
            kind="network",
            url=target.url,
        ) from None
    finally:
        watchdog.cancel()
        connection.close()


def fetch(url: str, limits: Limits | None = None, *, resolver: Resolver | None = None) -> Fetched:
    """GET ``url`` under the rules above; a ``Fetched`` document or a ``FetchError``."""
    limits = limits or Limits()
    deadline = time.monotonic() + limits.timeout
    redirects: list[str] = []
    current = url
    while True:
        target = check_url(current)
        remaining = deadline - time.monotonic()
        addresses = resolve(target.host, target.port, limits, resolver, remaining)
        status, response, document = _one(target, addresses, limits, deadline)
        if document is not None:
            media, charset, body = document
            media = media or _sniff(body)
            if not media:
                raise FetchError(
                    "the page does not say what kind of document it is",
                    kind="type",
                    status=status,
                    url=current,
                )
            return Fetched(current, status, media, charset, body, redirects)
        location = response.getheader("Location")
        if status not in REDIRECTS or not location:
            raise _status_error(status, current)
        if len(redirects) >= limits.max_redirects:
            raise FetchError(
                f"the page redirects more than {limits.max_redirects} times",
                kind="http",
                status=status,
                url=current,
            )
        current = urljoin(current, location.strip())
        redirects.append(current)
