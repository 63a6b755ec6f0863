"""Captures: fetching (or receiving) a source's document and keeping it with its
readable text. Captures are only ever appended; a failed attempt is a capture too, with
no bytes and the reason in ``error``.

The network is never reached inside a database transaction: the task reads the source,
ends its transaction, fetches and extracts, then writes the capture (and the source's
title, date…) in one short write transaction, so nothing is half-written.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...database import start_write
from ...models import Capture, CaptureKind, EvidenceSource, Medium, User, utcnow
from ..errors import Invalid, TooLarge
from .extract import KINDS, Readable, readable
from .fetch import Fetched, FetchError, Limits, fetch

_MEDIUM = {"html": Medium.WEB, "pdf": Medium.PDF, "text": Medium.DOCUMENT, "image": Medium.OTHER}


@dataclass
class Attempt:
    """What one fetch brought: the document and its text, or the reason it failed."""

    url: str
    fetched: Fetched | None = None
    text: Readable | None = None
    failure: FetchError | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


def limits() -> Limits:
    return Limits.from_config(current_app.config)


def attempt(url: str, limits: Limits) -> Attempt:
    """Fetch ``url`` and read its text, with no database in sight."""
    try:
        fetched = fetch(url, limits)
    except FetchError as failure:
        return Attempt(url=failure.url or url, failure=failure)
    return Attempt(
        url=fetched.url,
        fetched=fetched,
        text=readable(fetched.content_type, fetched.body, fetched.charset),
    )


def new_capture(
    source: EvidenceSource,
    *,
    kind: CaptureKind,
    url: str,
    content_type: str,
    body: bytes,
    text: Readable,
    status: int | None = None,
    user: User | None = None,
) -> Capture:
    """A capture of ``body`` (not yet added to a session)."""
    return Capture(
        source_id=source.id,
        kind=kind,
        url=url,
        fetched_at=utcnow(),
        status=status,
        content_type=content_type,
        content=body,
        sha256=hashlib.sha256(body).hexdigest(),
        size=len(body),
        text=text.text,
        title=text.title,
        author=text.author,
        note=text.note,
        error=text.error,
        created_by_id=user.id if user is not None else None,
    )


def failed_capture(source: EvidenceSource, outcome: Attempt, user: User | None = None) -> Capture:
    failure = outcome.failure
    return Capture(
        source_id=source.id,
        kind=CaptureKind.FETCH,
        url=outcome.url[:2000],
        fetched_at=utcnow(),
        status=failure.status,
        content_type="",
        content=None,
        sha256=None,
        size=0,
        text="",
        title="",
        note="",
        error=_reason(failure),
        created_by_id=user.id if user is not None else None,
    )


def _reason(failure: FetchError) -> str:
    reason = failure.reason
    return reason[:1].upper() + reason[1:] + ("" if reason.endswith(".") else ".")


def learn(source: EvidenceSource, capture: Capture, text: Readable | None) -> None:
    """What a successful capture tells about its source: where it ended, its title,
    publisher and date (when the page says), its medium."""
    if capture.error and not capture.sha256:
        return
    if capture.kind is CaptureKind.FETCH:
        source.final_url = capture.url
    if text is not None:
        source.title = source.title or text.title[:500]
        source.publisher = source.publisher or text.publisher[:300]
        source.published_at = source.published_at or text.published_at
    kind = KINDS.get(capture.content_type)
    if source.medium is Medium.WEB and kind in ("pdf", "text"):
        source.medium = _MEDIUM[kind]


def record(
    session: Session, source: EvidenceSource, outcome: Attempt, user: User | None = None
) -> Capture:
    """Append the capture of an attempt to ``source``."""
    if outcome.ok:
        fetched = outcome.fetched
        capture = new_capture(
            source,
            kind=CaptureKind.FETCH,
            url=fetched.url[:2000],
            content_type=fetched.content_type,
            body=fetched.body,
            text=outcome.text,
            status=fetched.status,
            user=user,
        )
    else:
        capture = failed_capture(source, outcome, user)
    session.add(capture)
    learn(source, capture, outcome.text)
    session.flush()
    return capture


def capture_source(session: Session, source_id: int) -> int | None:
    """The task: fetch the source now and append a capture; its id (None: no such source)."""
    source = session.get(EvidenceSource, source_id)
    if source is None:
        return None
    url = source.url
    session.commit()  # no transaction stays open across the network
    outcome = attempt(url, limits())
    start_write(session)
    source = session.get(EvidenceSource, source_id)
    if source is None:  # its project was deleted meanwhile
        return None
    return record(session, source, outcome).id


# --- uploads ---------------------------------------------------------------------------------

#: how a file's first bytes name its type (the declared type is not trusted)
MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def sniff_upload(data: bytes) -> str | None:
    """The media type of an uploaded file, judged by its content; None when refused."""
    for magic, media in MAGIC:
        if data.startswith(magic):
            return media
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")):
        return "text/html"
    if _BINARY.search(data[:8192]):
        return None  # control bytes: a binary file, and none of the above (zip, exe…)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain"


def upload(
    session: Session, source: EvidenceSource, data: bytes, user: User | None = None
) -> Capture:
    """Keep an uploaded file (a paywalled page saved, a PDF report, a screenshot) as a
    capture of ``source``."""
    cap = int(current_app.config["UPLOAD_MAX_BYTES"])
    if len(data) > cap:
        raise TooLarge(
            _("This file is larger than %(n)s MB.", n=round(cap / 1024 / 1024)), field="file"
        )
    if not data:
        raise Invalid(_("The file is empty."), field="file")
    media = sniff_upload(data)
    if media is None:
        raise Invalid(
            _("factcheck keeps PDF, HTML, plain text, PNG and JPEG files; this file is none."),
            field="file",
        )
    text = readable(media, data)
    capture = new_capture(
        source,
        kind=CaptureKind.UPLOAD,
        url=source.url,
        content_type=media,
        body=data,
        text=text,
        user=user,
    )
    session.add(capture)
    learn(source, capture, text)
    session.flush()
    return capture
