"""The readable text of a captured document, normalized like an article's text.

HTML: the body without menus, footers and ads (trafilatura), with its title, author, date
and site name. PDF: the text of its pages (pypdf). Plain text (and CSV, JSON): as it is.
An image: no text. Bytes are decoded with the declared charset when it fits them, else as
UTF-8 when that fits, else with the unreadable bytes replaced (U+FFFD) and a ``note`` that
says so. The text is then normalized once (records.normalize_text: no BOM, LF, NFC), and a
character no database stores (NUL, a lone surrogate) becomes U+FFFD, noted too.

Nothing readable (an empty page, a PDF without a text layer, a damaged file) is not an
exception: ``Readable.error`` says why, and the capture keeps its bytes.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..records import normalize_text

#: media type → reader (see READERS below)
KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "text/plain": "text",
    "text/csv": "text",
    "application/json": "text",
    "image/png": "image",
    "image/jpeg": "image",
}
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
#: labels that browsers read as windows-1252 (WHATWG Encoding): Latin-1 pages use its
#: punctuation (’ “ ” …) in bytes 0x80–0x9F
_AS_CP1252 = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "iso8859-1", "l1"}


@dataclass
class Readable:
    text: str = ""
    title: str = ""
    author: str = ""
    publisher: str = ""
    published_at: datetime | None = None
    #: what a reader of the text should know (characters replaced…)
    notes: list[str] = field(default_factory=list)
    #: why there is no text, in words ("" when there is)
    error: str = ""

    @property
    def note(self) -> str:
        return " ".join(self.notes)


def decode(body: bytes, declared: str = "", *, sniff_html: bool = False) -> tuple[str, str]:
    """(text, note): UTF-8 when the bytes are UTF-8 beyond ASCII, else the declared (or
    meta) charset when they fit it, else it (or UTF-8) with the unreadable bytes replaced,
    and a note saying so."""
    if body.startswith(codecs.BOM_UTF8):
        declared = "utf-8"
    elif not declared and sniff_html:
        found = _META_CHARSET.search(body[:4096])
        declared = found.group(1).decode("ascii").lower() if found else ""
    codec = _codec(declared) or "utf-8"
    if codec != "utf-8" and not body.isascii():
        # bytes that are valid UTF-8 beyond ASCII are UTF-8 whatever the page says: no
        # legacy text forms such sequences by chance
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return text, (
                f"The document declared {declared} but its bytes are UTF-8; read as UTF-8."
                if declared
                else ""
            )
    try:
        return body.decode(codec), ""
    except UnicodeDecodeError:
        pass
    said = f"declared {declared}" if declared else "gave no character set"
    return body.decode(codec, errors="replace"), (
        f"Some bytes could not be read as text (the document {said}, which does not fit "
        "them); they show as �."
    )


def _codec(label: str) -> str | None:
    label = (label or "").strip().lower()
    if not label:
        return None
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _finish(readable: Readable) -> Readable:
    text = normalize_text(readable.text).strip()
    if _UNSTORABLE.search(text):
        text = _UNSTORABLE.sub("\ufffd", text)
        readable.notes.append("Characters that cannot be stored (NUL) show as �.")
    readable.text = text
    readable.title = _UNSTORABLE.sub("", normalize_text(readable.title)).strip()[:500]
    readable.author = _UNSTORABLE.sub("", readable.author or "").strip()[:300]
    readable.publisher = _UNSTORABLE.sub("", readable.publisher or "").strip()[:300]
    if not readable.text and not readable.error:
        readable.error = "No readable text was found in this document."
    return readable


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value[:10]).replace(tzinfo=UTC)
    except ValueError:
        return None


def _html(body: bytes, charset: str) -> Readable:
    import trafilatura  # heavy: loaded by the processes that read pages (workers)

    html, note = decode(body, charset, sniff_html=True)
    config = trafilatura.settings.use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # no SIGALRM: workers are threads
    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, favor_recall=True, config=config
    )
    text = (document.text if document is not None else "") or ""
    if not text.strip():  # a tiny page that the extractor judges too short: its whole text
        _tree, text, _length = trafilatura.baseline(html)
    readable = Readable(text=text or "", notes=[note] if note else [])
    if document is not None:
        readable.title = document.title or ""
        readable.author = document.author or ""
        readable.publisher = document.sitename or ""
        readable.published_at = _date(document.date)
    if not readable.title:
        found = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)
        readable.title = re.sub(r"\s+", " ", found.group(1)) if found else ""
    return readable


def _pdf(body: bytes, _charset: str) -> Readable:
    import pypdf  # heavy: loaded by the processes that read PDFs (workers)

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files say so below
    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        if reader.is_encrypted and not reader.decrypt(""):
            return Readable(error="This PDF is protected by a password: its text cannot be read.")
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata
    except (pypdf.errors.PdfReadError, ValueError, KeyError, TypeError, OSError):
        return Readable(error="This PDF could not be read (a damaged or unusual file).")
    readable = Readable(text="\n\n".join(p.strip() for p in pages if p.strip()))
    if meta is not None:
        readable.title = str(meta.title or "")
        readable.author = str(meta.author or "")
    if not readable.text:
        readable.error = (
            "This PDF has no text layer (a scanned document?): quote it by hand, or upload "
            "a version with text."
        )
    return readable


def _text(body: bytes, charset: str) -> Readable:
    text, note = decode(body, charset)
    return Readable(text=text, notes=[note] if note else [])


def _image(_body: bytes, _charset: str) -> Readable:
    return Readable(notes=["An image has no text: excerpts cannot quote it."])


READERS = {"html": _html, "pdf": _pdf, "text": _text, "image": _image}


def readable(content_type: str, body: bytes, charset: str = "") -> Readable:
    """The readable text and metadata of ``body`` (a document of ``content_type``)."""
    kind = KINDS.get(content_type)
    if kind is None:
        return Readable(error=f"factcheck does not read documents of type {content_type}.")
    result = READERS[kind](body, charset)
    if kind == "image":
        return result
    return _finish(result)
