"""The demo's evidence: a few pages shipped with the demo (our own, short; no network),
kept as captures of the sources the demo claims cite, so a first look shows stances and
excerpts on the review page, a source's page and a capture's reading view."""

from __future__ import annotations

from pathlib import Path

from ..models import Capture, Project, User
from ..services.evidence import capture, sources

#: cited address → (file of the demo, title, stance, the passage quoted)
PAGES = {
    "https://exemple.org/insee/populations-legales-22": (
        "evidence-populations-22.html",
        "Populations légales des Côtes-d'Armor",
        "supports",
        "les Côtes-d'Armor comptent 600 582 habitants",
    ),
    "https://exemple.org/windeurope/statistiques-2024": (
        "evidence-eolien-europe.html",
        "L'éolien en mer en Europe : bilan annuel",
        "refutes",
        "Le Royaume-Uni reste de loin le premier pays d'Europe pour l'éolien en mer",
    ),
    "https://exemple.org/agriculture/bilan-egalim": (
        "evidence-bilan-egalim.html",
        "Restauration collective : le bilan Égalim de la ville",
        "refutes",
        "la part du bio atteignait 27 % en valeur d'achat l'an dernier",
    ),
}


def capture_pages(session, project: Project, root: Path, user: User) -> dict[str, Capture]:
    """The demo pages as uploaded captures of their sources (before any claim cites them,
    so no fetch is queued for these made-up addresses)."""
    kept = {}
    for url, (name, title, _stance, _quote) in PAGES.items():
        source, _new = sources.find_or_create(session, project.id, url, user)
        source.title = title
        body = (root / "demo" / name).read_bytes()
        kept[url] = capture.upload(session, source, body, user)
    session.flush()
    return kept


def citation(url: str, captures: dict[str, Capture]) -> dict:
    """A demo claim's source: with its stance and excerpt when the demo ships the page."""
    if url not in PAGES or url not in captures:
        return {"url": url, "title": "Source", "note": ""}
    _name, title, stance, quote = PAGES[url]
    kept = captures[url]
    start = kept.text.index(quote)  # a page edited without its quote fails the demo's test
    excerpt = {"capture_id": kept.id, "start": start, "end": start + len(quote), "quote": quote}
    return {"url": url, "title": title, "note": "", "stance": stance, "excerpts": [excerpt]}
