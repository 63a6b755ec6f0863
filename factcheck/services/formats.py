"""Reading article files: decoding bytes and the formats txt, md, html, jsonl and csv.

Parsers only cut a file into raw records (``title``, ``text``...) and say on which line
each one starts; they never normalize. Normalization happens exactly once, in
``records.clean_record``, whatever path the text came by.

Markdown is kept as text: its markup characters (``#``, ``*``, ``[..](..)``) stay in the
stored text, so that offsets count what the annotator sees in the source. Only the
title line loses its leading ``#`` marks.

HTML is reduced to its readable text (paragraph breaks for block elements, line breaks
for ``<br>``); scripts, styles, comments, SVG and other embedded content are dropped, and
links keep only their text (a ``javascript:`` link becomes inert words). HTML is never
stored nor rendered as HTML.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from flask_babel import gettext as _

from .. import jsonsafe

FIELDS = ("title", "text", "url", "published_at", "language", "external_id")
FORMATS = ("txt", "md", "html", "jsonl", "csv")
EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
}
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass
class RawRecord:
    """One article as read from its source, before validation."""

    data: dict
    source: str = ""
    line: int = 1


@dataclass
class Problem:
    """A record (or a whole file) that was not imported, and why."""

    line: int
    message: str
    source: str = ""
    external_id: str | None = None
    #: the field at fault, when one is (the API's 422 names it)
    field: str | None = None

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}" if self.source else str(self.line)

    def as_dict(self) -> dict:
        answer = {"source": self.source, "line": self.line, "message": self.message}
        if self.field:
            answer["field"] = self.field
        return answer


@dataclass
class Parsed:
    records: list[RawRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class DecodeError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused."""
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        raise DecodeError(_("UTF-32 is not supported; save the file as UTF-8."), 1)
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data, "utf-8", len(codecs.BOM_UTF8), b"\n")
    if data.startswith(codecs.BOM_UTF16_LE):
        return _decode(data, "utf-16-le", 2, b"\n\x00")
    if data.startswith(codecs.BOM_UTF16_BE):
        return _decode(data, "utf-16-be", 2, b"\x00\n")
    return _decode(data, "utf-8", 0, b"\n")


def _decode(data: bytes, encoding: str, skip: int, newline: bytes) -> str:
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as error:
        offset = skip + error.start
        line = _count_lines(data[skip:offset], newline) + 1
        message = _(
            "Not valid %(encoding)s: byte %(offset)s (line %(line)s) cannot be decoded. "
            "Save the file as UTF-8.",
            encoding=encoding.upper(),
            offset=offset,
            line=line,
        )
        raise DecodeError(str(message), line) from None


def _count_lines(data: bytes, newline: bytes) -> int:
    if len(newline) == 1:
        return data.count(newline)
    # UTF-16: count code units, not stray byte pairs straddling two characters
    units = [data[i : i + 2] for i in range(0, len(data) - 1, 2)]
    return units.count(newline)


def guess_format(name: str, text: str) -> str:
    """The format from the file's extension, else from its first characters."""
    lowered = name.lower()
    for extension, fmt in EXTENSIONS.items():
        if lowered.endswith(extension):
            return fmt
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith("{"):
        return "jsonl"
    if head.startswith(("<!doctype html", "<html", "<head", "<body", "<p", "<h1", "<article")):
        return "html"
    first_line = _LINE_END.split(head, maxsplit=1)[0]
    if first_line.startswith("#"):
        return "md"
    cells = {c.strip().strip('"') for c in first_line.split(",")}
    if {"title", "text"} <= cells:
        return "csv"
    return "txt"


def parse(data: bytes, name: str = "", fmt: str = "auto", title: str | None = None) -> Parsed:
    """Decode ``data`` and cut it into raw records; problems carry the line they are on."""
    try:
        text = decode(data)
    except DecodeError as error:
        return Parsed(problems=[Problem(error.line, error.message, name)])
    return parse_text(text, name, fmt, title)


def parse_text(text: str, name: str = "", fmt: str = "auto", title: str | None = None) -> Parsed:
    if fmt == "auto":
        fmt = guess_format(name, text)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    return PARSERS[fmt](text, name, title)


def _single(data: dict, name: str) -> Parsed:
    return Parsed(records=[RawRecord(data, name, 1)])


def parse_txt(text: str, name: str, title: str | None) -> Parsed:
    """First line is the title unless one is given; the rest is the text."""
    if title is not None:
        return _single({"title": title, "text": text}, name)
    if text.startswith("\ufeff"):
        text = text[1:]
    parts = _LINE_END.split(text, maxsplit=1)
    first, rest = parts[0], (parts[1] if len(parts) > 1 else "")
    return _single({"title": first, "text": rest.lstrip("\r\n")}, name)


def parse_md(text: str, name: str, title: str | None) -> Parsed:
    parsed = parse_txt(text, name, title)
    if title is None:
        record = parsed.records[0].data
        record["title"] = record["title"].lstrip().lstrip("#").strip()
    return parsed


def parse_jsonl(text: str, name: str, title: str | None) -> Parsed:
    parsed = Parsed()
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip().strip("\ufeff"):
            continue
        try:  # no depth, no number of thousands of digits: a line is refused, not a crash
            data = jsonsafe.loads(line.strip().lstrip("\ufeff"))
        except jsonsafe.JSONError as error:
            parsed.problems.append(Problem(number, str(error), name))
            continue
        if not isinstance(data, dict):
            message = _("Each line must be a JSON object with the article's fields.")
            parsed.problems.append(Problem(number, str(message), name))
            continue
        parsed.records.append(RawRecord(data, name, number))
    return parsed


def parse_csv(text: str, name: str, title: str | None) -> Parsed:
    """A header row naming the fields, then one article per row (RFC 4180 quoting)."""
    parsed = Parsed()
    csv.field_size_limit(2**31 - 1)  # article texts are far longer than csv's 128 KiB default
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        return parsed
    except csv.Error as error:
        parsed.problems.append(Problem(1, _("Not valid CSV: %(e)s.", e=error), name))
        return parsed
    unknown = [h for h in header if h not in FIELDS]
    if unknown:
        message = _(
            "Unknown column(s) %(names)s; the known columns are %(known)s.",
            names=", ".join(unknown),
            known=", ".join(FIELDS),
        )
        parsed.problems.append(Problem(1, str(message), name))
        return parsed
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            message = _("Not valid CSV: %(e)s.", e=error)
            parsed.problems.append(Problem(start, str(message), name))
            break
        if any(cell.strip() for cell in row):
            if len(row) != len(header):
                message = _(
                    "This row has %(n)s fields; the header has %(m)s.", n=len(row), m=len(header)
                )
                parsed.problems.append(Problem(start, str(message), name))
            else:
                parsed.records.append(RawRecord(dict(zip(header, row, strict=True)), name, start))
        start = reader.line_num + 1
    return parsed


def parse_html(text: str, name: str, title: str | None) -> Parsed:
    reader = _TextExtractor()
    reader.feed(text)
    reader.close()
    body = reader.text()
    found_title = title or reader.title() or body.split("\n", 1)[0]
    return _single({"title": found_title, "text": body}, name)


#: elements whose content is never text for a reader
_SKIP = {
    "script",
    "style",
    "svg",
    "math",
    "template",
    "noscript",
    "iframe",
    "object",
    "embed",
    "canvas",
    "select",
    "button",
}
_BLOCKS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tr",
    "ul",
}
_VOID = {
    "br",
    "embed",
    "hr",
    "img",
    "input",
    "meta",
    "link",
    "wbr",
    "area",
    "base",
    "col",
    "source",
}
_SPACES = re.compile(r"[ \t\n\r\f]+")


class _TextExtractor(HTMLParser):
    """Readable text of an HTML document: blocks become paragraphs, nothing executable."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0
        self.in_title = False
        self.title_parts: list[str] = []
        self.heading: str | None = None
        self.heading_parts: list[str] | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if self.skip_depth:
            if tag in _SKIP:
                self.skip_depth += 1
            return
        if tag == "title":
            self.in_title = True
        elif tag in _SKIP:
            if tag not in _VOID:
                self.skip_depth = 1
        elif tag == "br":
            self.current.append("\n")
        elif tag in _BLOCKS:
            self._close_paragraph()
            if tag == "pre":
                self.pre_depth += 1
            if tag in ("h1", "h2") and self.heading is None:
                self.heading_parts = []

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag == "br" and not self.skip_depth:
            self.current.append("\n")
        elif tag in _BLOCKS and not self.skip_depth:
            self._close_paragraph()

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            if tag in _SKIP:
                self.skip_depth -= 1
            return
        if tag == "title":
            self.in_title = False
        elif tag in _BLOCKS:
            self._close_paragraph()
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)
            if tag in ("h1", "h2") and self.heading_parts is not None:
                self.heading = _SPACES.sub(" ", "".join(self.heading_parts)).strip() or None
                self.heading_parts = None

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.in_title:
            self.title_parts.append(data)
            return
        self.current.append(data if self.pre_depth else _SPACES.sub(" ", data))
        if self.heading_parts is not None:
            self.heading_parts.append(data)

    def _close_paragraph(self) -> None:
        if self.pre_depth:
            paragraph = "".join(self.current).strip("\n")
        else:
            lines = "".join(self.current).split("\n")
            paragraph = "\n".join(line.strip(" ") for line in lines).strip("\n")
        if paragraph.strip():
            self.paragraphs.append(paragraph)
        self.current = []

    def text(self) -> str:
        self._close_paragraph()
        return "\n\n".join(self.paragraphs)

    def title(self) -> str | None:
        found = _SPACES.sub(" ", "".join(self.title_parts)).strip()
        return found or self.heading


PARSERS = {
    "txt": parse_txt,
    "md": parse_md,
    "html": parse_html,
    "jsonl": parse_jsonl,
    "csv": parse_csv,
}
