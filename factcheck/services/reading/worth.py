"""How checkable a sentence is: the transparent rule-based score and its features.

Each feature is 0 or 1 and says something a checker looks for (ClaimBuster's and Full
Fact's annotation guides agree on these): a statement of fact carrying a **figure**, a
**year or date**, a **comparison**, a **named source or reporting verb** ("selon",
"according to", "a déclaré", "said"), a **superlative** or a record, and a length that can
hold a claim. Questions, first-person opinions and very short pieces (a title, a byline)
are rarely checkable. The rule score is the weighted sum of ``WEIGHTS`` divided by the
best a sentence can get, clipped to [0, 1]: every weight is here, nothing is learned.

The same features, with the sentence's embedding, feed the learned score (learned.py).
"""

from __future__ import annotations

import numpy as np
import regex

from ...text.fold import fold as search_fold

_WORD = regex.compile(r"[\p{L}\p{N}]+")
_YEAR = regex.compile(r"(?<![\p{N},.])(?:1[89]\d\d|20\d\d)(?![\p{N}])")
_MONTHS = (
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre "
    "january february march april may june july august september october november december"
).split()
_NUMBER = regex.compile(r"\p{N}")
_NUMBER_WORDS = frozenset(
    """
    million millions milliard milliards billion billions trillion thousand thousands mille
    moitie half tiers third quart quarter double triple dizaine dizaines centaines hundreds
    dozens percent pourcent majorite majority
    """.split()
)
_COMPARISON = frozenset(
    """
    plus moins davantage superieur superieure inferieur inferieure hausse baisse augmente
    augmentation diminue diminution recul progresse progression double triple fois
    more less fewer higher lower than greater smaller increase increased decrease decreased
    rose risen fell fallen grew grown declined doubled tripled times compared versus
    """.split()
)
_SOURCE = frozenset(
    search_fold(word)
    for word in """
    selon affirme affirmait affirmé declare declaré declare declarait assure assurait
    estime estimait souligne rappelle annonce annonçait indique indiquait explique ajoute
    rapport etude enquete sondage insee eurostat ministere chiffres donnees statistiques
    according said says claimed claims stated states told reported reports announced study
    survey report data figures statistics office ministry census
    """.split()
)
_SOURCE_PHRASES = ("d apres", "a declare", "a affirme", "a assure", "a estime", "a indique")
_SUPERLATIVE = regex.compile(
    r"\b(?:le|la|les) (?:plus|moins) \p{L}+|\b(?:most|least|biggest|largest|highest|lowest|"
    r"greatest|smallest|oldest|youngest|richest|poorest|longest|deadliest|best|worst|fastest|"
    r"first|record|jamais|never|premier|premiere|premiers|sans precedent|unprecedented)\b"
)
_OPINION = regex.compile(
    r"^(?:je|j|nous|i|we)\b.{0,30}\b(?:pense|crois|trouve|espere|souhaite|think|believe|feel|"
    r"hope|wish|love|aime)\b|\b(?:a mon avis|in my view|in my opinion)\b"
)

#: the features, in the order of the learned model's columns
NAMES = (
    "figure",
    "year",
    "comparison",
    "source",
    "superlative",
    "length",
    "question",
    "opinion",
    "short",
)
#: the rule score's weights (a negative weight lowers it)
WEIGHTS = {
    "figure": 2.0,
    "year": 1.0,
    "comparison": 1.5,
    "source": 1.5,
    "superlative": 1.0,
    "length": 1.0,
    "question": -2.0,
    "opinion": -1.5,
    "short": -2.0,
}
_BEST = sum(w for w in WEIGHTS.values() if w > 0)


def features(sentence: str) -> dict[str, float]:
    """The sentence's features, each 0.0 or 1.0 (``NAMES``)."""
    folded = " ".join(_WORD.findall(search_fold(sentence[:2000])))
    words = folded.split()
    word_set = set(words)
    years = _YEAR.findall(sentence)
    digits_outside_years = _NUMBER.search(_YEAR.sub(" ", sentence[:2000])) is not None
    return {
        "figure": float(digits_outside_years or bool(word_set & _NUMBER_WORDS) or "%" in sentence),
        "year": float(bool(years) or bool(word_set & set(_MONTHS))),
        "comparison": float(bool(word_set & _COMPARISON)),
        "source": float(bool(word_set & _SOURCE) or any(p in folded for p in _SOURCE_PHRASES)),
        "superlative": float(_SUPERLATIVE.search(folded) is not None),
        "length": float(8 <= len(words) <= 60),
        "question": float(sentence.rstrip(" »”\"')").endswith("?")),
        "opinion": float(_OPINION.search(folded) is not None),
        "short": float(len(words) < 5),
    }


def vector(sentence: str) -> np.ndarray:
    values = features(sentence)
    return np.array([values[n] for n in NAMES], dtype=np.float32)


def rules_score(sentence: str) -> float:
    """The transparent score: weighted features over the best possible, in [0, 1]."""
    values = features(sentence)
    total = sum(WEIGHTS[n] * values[n] for n in NAMES)
    return round(min(1.0, max(0.0, total / _BEST)), 4)
