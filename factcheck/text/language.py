"""The language of a text, offline (py3langid: a small model shipped in its package), for
articles whose language nobody gave: imported files, pages imported from a link."""

from __future__ import annotations

#: fewer letters than this say too little to tell a language
MIN_LETTERS = 20


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, None when the text is too short to tell."""
    if sum(ch.isalpha() for ch in text[:5000]) < MIN_LETTERS:
        return None
    import py3langid  # the model loads on first use (about a second), not with the app

    language, _score = py3langid.classify(text[:20_000])
    return language if len(language) == 2 and language.isalpha() else None
