"""The learned ranking of "Checked before?": which candidate is the claim already checked.

The two routes find candidates (the model's nearest claims, the claims sharing the
query's words); the best of them by the routes' own scores are then ranked again on
signals that the model does not read and that cost microseconds per candidate: the
model's cosine and its rank among the candidates, the lexical score and its rank, whether
the figures, years, names and direction agree, character trigram and word overlap of the
folded texts, the same language, the length ratio (``FEATURES``). A logistic model weighs
them: its weights are fitted on our development set only (bench/fit_ranking.py, which
writes ranking.json next to this file, with the features' names, the fit's date and
commit) and its output, in (0, 1), is the score shown. Near copies that change one name,
figure or year ("… in Lyon", "… 12 %", "… in 2015") then fall below the true rewording or
translation that the model alone ranked after them.

Without the model (words alone), the share of the query's words still ranks and nothing
is hidden: the words-only fit ("lexical" in ranking.json, kept for comparison) found the
target first for only three development queries in ten, and is not used.

Suggestions scoring under the ``floor`` (chosen on the development set too) are not shown;
the answer says how many were hidden.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from .text import STOPWORDS, direction, direction_conflict, figures, figures_conflict, fold, years

WEIGHTS = Path(__file__).with_name("ranking.json")
#: the candidates ranked again: the best by the routes' scores (at least the limit asked)
DEPTH = 40

FEATURES = (
    "cosine",  # the model's cosine, rescaled to [0, 1] over its useful range
    "cosine_gap",  # how far under the best candidate's cosine
    "cosine_rank",  # 1 / rank among the candidates by cosine (0: the model did not find it)
    "lexical",  # share of the query's words the claim holds (the lexical route)
    "lexical_rank",  # 1 / rank among the candidates by that share (0: not found by words)
    "words",  # Jaccard of the content words (folded)
    "trigrams",  # Jaccard of character trigrams of the folded texts
    "figures_agree",  # both state figures, the same ones
    "figures_conflict",  # each states a figure the other does not
    "figures_one_side",  # one states figures, the other none
    "direction_agree",  # both say something went the same way
    "direction_conflict",  # … opposite ways
    "names_shared",  # Jaccard of the capitalised words (names, places, acronyms)
    "names_conflict",  # each names someone or somewhere the other does not
    "years_agree",  # both name years, the same ones
    "years_conflict",  # each names a year the other does not
    "same_language",  # French and French, English and English
    "cosine_across",  # the cosine when the languages differ (translations score lower)
    "length_ratio",  # shorter / longer, in words
    "near_copy",  # trigrams to the 8th power: near 1 only for the same text (a copy)
)

#: a few words that tell French from English (folded); a tie says nothing
_FRENCH = frozenset(
    """
    le la les des du une est et dans pour que qui pas au aux ont sur avec ce cette sont
    ne d l qu son sa ses leur plus depuis par a ete ans moins entre chaque fait
    """.split()
)
_ENGLISH = frozenset(
    """
    the of and is are was were to in for that with on by has have been an will not its
    than more since from their this last year years people who it be
    """.split()
)
_WORD = regex.compile(r"[\p{L}\p{N}]+")


def language(words: list[str]) -> str:
    """ "fr", "en" or "" (the folded words tell neither)."""
    fr = sum(w in _FRENCH for w in words)
    en = sum(w in _ENGLISH for w in words)
    return "fr" if fr > en else "en" if en > fr else ""


def _names(text: str) -> frozenset[str]:
    """The capitalised words of a claim, folded: names, places, acronyms. The first word
    counts only when it is an acronym (every sentence starts with a capital)."""
    found = set()
    for k, match in enumerate(_WORD.finditer(text)):
        word = match.group()
        if not word[0].isupper() or (k == 0 and not (len(word) > 1 and word.isupper())):
            continue
        folded = fold(word)
        if folded and folded not in STOPWORDS and not folded.isdigit():
            found.add(folded)
    return frozenset(found)


@dataclass(frozen=True)
class Analysed:
    """What the features read from one text, computed once per text."""

    words: frozenset[str]
    trigrams: frozenset[str]
    names: frozenset[str]
    years: frozenset[str]
    figures: tuple[str, ...]
    direction: tuple[str, tuple[str, ...]] | None
    language: str
    length: int


@lru_cache(maxsize=8192)
def analyse(text: str) -> Analysed:
    folded = fold(text).split()
    padded = " " + " ".join(folded) + " "
    return Analysed(
        words=frozenset(w for w in folded if w not in STOPWORDS),
        trigrams=frozenset(padded[i : i + 3] for i in range(len(padded) - 2)),
        names=_names(text),
        years=frozenset(years(text)),
        figures=figures(text),
        direction=direction(text),
        language=language(folded),
        length=len(folded),
    )


def _jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _differ(a: frozenset, b: frozenset) -> float:
    return float(bool(a - b) and bool(b - a))


@dataclass
class Signals:
    """What the routes know of one candidate."""

    cosine: float | None  # rescaled to [0, 1]; None: outside the model's shortlist
    cosine_rank: int | None
    lexical: float
    lexical_rank: int | None


def features(query: Analysed, claim: Analysed, signals: Signals, best_cosine: float) -> list:
    """The values of ``FEATURES`` for one candidate, in that order."""
    cosine = signals.cosine or 0.0
    same = float(bool(query.language) and query.language == claim.language)
    q_fig, c_fig = set(query.figures), set(claim.figures)
    row = [
        cosine,
        best_cosine - cosine,
        1 / signals.cosine_rank if signals.cosine_rank else 0.0,
        signals.lexical,
        1 / signals.lexical_rank if signals.lexical_rank else 0.0,
        _jaccard(query.words, claim.words),
        _jaccard(query.trigrams, claim.trigrams),
        float(bool(q_fig) and q_fig == c_fig),
        float(figures_conflict(query.figures, claim.figures)),
        float(bool(q_fig) != bool(c_fig)),
        float(
            query.direction is not None
            and claim.direction is not None
            and not direction_conflict(query.direction, claim.direction)
        ),
        float(direction_conflict(query.direction, claim.direction)),
        _jaccard(query.names, claim.names),
        _differ(query.names, claim.names),
        float(bool(query.years) and query.years == claim.years),
        _differ(query.years, claim.years),
        same,
        cosine * (1 - same),
        min(query.length, claim.length) / max(query.length, claim.length, 1),
    ]
    row.append(row[6] ** 8)  # near_copy, from the trigrams
    return row


@dataclass(frozen=True)
class Model:
    """Logistic weights over standardised features, one set per mode ("semantic": the
    model took part; "lexical": words only), and the floor under which a suggestion is
    hidden."""

    names: tuple[str, ...]
    modes: dict
    about: dict

    def floor(self, semantic: bool) -> float:
        return float(self.modes["semantic" if semantic else "lexical"].get("floor", 0.0))

    def score(self, rows: list[list[float]], semantic: bool) -> list[float]:
        mode = self.modes["semantic" if semantic else "lexical"]
        mean, scale, weights = mode["mean"], mode["scale"], mode["weights"]
        bias = mode["bias"]
        out = []
        for row in rows:
            z = bias
            for value, m, s, w in zip(row, mean, scale, weights, strict=True):
                z += w * (value - m) / s
            out.append(1 / (1 + math.exp(-max(-30.0, min(30.0, z)))))
        return out


@lru_cache(maxsize=4)
def load(path: str | None = None) -> Model | None:
    """The fitted model (ranking.json), or None when it is missing or was fitted on other
    features than these (then the routes' scores rank alone)."""
    file = Path(path) if path else WEIGHTS
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if tuple(data.get("features", ())) != FEATURES:
        return None
    return Model(
        names=FEATURES,
        modes=data["modes"],
        about={k: data.get(k) for k in ("fitted_at", "commit", "fitted_on")},
    )
