"""Text folding for the lexical route: accents, case and punctuation never matter.

We fold in Python (the one search fold, factcheck/text/fold.py: NFKD, combining marks
dropped, casefold, ligatures spelled out) and store the result in
``claim_text.norm``, so that SQLite FTS5 and PostgreSQL's ``simple`` configuration see
the same tokens, and PostgreSQL needs no ``unaccent`` extension (which an application
account often may not install).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import regex

from ...text.fold import fold as search_fold

_TOKEN = regex.compile(r"[\p{L}\p{N}]+")

#: words too common to find anything with (French and English); numbers always count
STOPWORDS = frozenset(
    """
    a an and are as at be been but by did do does for from had has have he her his i if in
    into is it its not of on or our she so than that the their them then there these they
    this to was we were what when which who will with would you
    au aux avec ce ces cet cette d dans de des du elle en est et etait il ils je l la le les
    leur leurs lui m ma mais me meme mes n ne nos notre nous on ou par pas plus pour qu que
    qui s sa se ses son sont sur t ta te tes ton tu un une vos votre vous y ete
    """.split()
)
MAX_TERMS = 16

#: a number as claims write it: 20, 7,4, 1.5, 3 000 (spaces, narrow spaces), 3,000, 1.250,5
#: (not part of a name: G7, COVID-19, A320)
_NUMBER = regex.compile(
    r"(?<![\p{L}\p{N}]-?)(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*)"
    r"(?![\p{L}])"
)


def fold(text: str) -> str:
    """Lower-case, accent-free words separated by single spaces."""
    return " ".join(_TOKEN.findall(search_fold(text)))


def query_terms(text: str) -> list[str]:
    """The distinct folded words of ``text`` worth searching for, in order."""
    seen: dict[str, None] = {}
    for word in fold(text).split():
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        seen.setdefault(word, None)
    return list(seen)[:MAX_TERMS]


def _number(written: str) -> str | None:
    """One written number as a canonical decimal string: "3 000" and "3,000" give "3000",
    "7,4" and "7.4" give "7.4". A separator followed by exactly three digits is taken for
    thousands when it is repeated or when the other separator follows ("1,250.5")."""
    digits = regex.sub(r"[ \u00a0\u202f]", "", written)
    seps = [ch for ch in digits if ch in ".,"]
    if len(seps) > 1 and len(set(seps)) == 2:  # 1,250.5 / 1.250,5: the last is the decimal
        last = seps[-1]
        thousands = "," if last == "." else "."
        digits = digits.replace(thousands, "").replace(last, ".")
    elif len(seps) > 1:  # 1,250,000 / 1.250.000: thousands only
        digits = digits.replace(seps[0], "")
    elif seps:
        whole, _, part = digits.replace(",", ".").partition(".")
        # "3,000" (English thousands) but "7,4", "1.5", "0,125" (decimals)
        digits = whole + part if len(part) == 3 and whole != "0" else f"{whole}.{part}"
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return format(value.normalize(), "f")


#: a year as claims write it: four digits from 1800 to 2099, no separator ("en 2020",
#: "in 1998"), unless an amount follows ("2020 euros", "1900 %": a figure)
_YEAR = regex.compile(r"^(?:18|19|20)\d\d$")
_AMOUNT_AFTER = regex.compile(
    r"\s*(?:%|‰|€|\$|£|pour ?cent|percent|per ?cent|euros?|dollars?|pounds?|livres?)",
    regex.IGNORECASE,
)


def _is_year(match: regex.Match) -> bool:
    return bool(_YEAR.match(match.group())) and not _AMOUNT_AFTER.match(match.string, match.end())


@lru_cache(maxsize=4096)
def figures(text: str) -> tuple[str, ...]:
    """The numbers a claim states, canonical and sorted ("20 %" and "20 percent" both give
    ("20",); "1,5 million" and "1.5 million" both give ("1.5",)). Numbers written in
    words are not read: "twenty percent" states no figure here. A year is not a figure
    ("in 2020": see ``years``), but "2 000 logements" and "2020 euros" are."""
    found = {_number(m.group()) for m in _NUMBER.finditer(text) if not _is_year(m)}
    return tuple(sorted(n for n in found if n is not None))


@lru_cache(maxsize=4096)
def years(text: str) -> tuple[str, ...]:
    """The years a claim names, sorted ("depuis 2010", "in 1998": ("1998",))."""
    return tuple(sorted({m.group() for m in _NUMBER.finditer(text) if _is_year(m)}))


def figures_conflict(mine: tuple[str, ...], theirs: tuple[str, ...]) -> bool:
    """Two claims state figures that contradict: each states one the other does not ("fell
    20 % in 2017" / "fell 10 % in 2017"). One that leaves a figure out ("fell 20 %") does
    not contradict."""
    return bool(set(mine) - set(theirs)) and bool(set(theirs) - set(mine))


#: words saying which way something went, as folded forms (French and English). Verbs and
#: their nouns only: comparatives ("more", "moins") too often state a threshold ("more
#: than 3 000") or a comparison that reads both ways ("planes emit more than trains").
_DIRECTION_WORDS = {
    "up": """
    rise rises rose risen rising increase increases increased increasing grow grows grew
    grown growing soar soars soared soaring jump jumps jumped jumping climb climbs climbed
    climbing surge surges surged surging doubled doubling tripled tripling skyrocketed
    rocketed spiked higher
    augmente augmentee augmentees augmentes augmenter augmentent augmentera augmenteront
    augmentait augmentation augmentations hausse hausses progresse progresser progressent
    progression grimpe grimper grimpent bondi bondit envole envolee envoles envolees
    double doublee doubler doublera triple triplee tripler triplera monte montee monter
    accru accrue accrus accrues accroissement
    """,
    "down": """
    fall falls fell fallen falling decrease decreases decreased decreasing decline declines
    declined declining drop drops dropped dropping shrink shrinks shrank shrunk shrinking
    plunge plunges plunged plunging plummet plummets plummeted plummeting slump slumped
    halved halving tumbled lower
    baisse baissee baisses baisser baissent baissera baisseront diminue diminuee diminuer
    diminuent diminuera diminution recule reculer reculent recul chute chuter chutent
    effondre effondree effondrement degringole reduit reduite reduits reduction
    """,
}
_DIRECTION = {word: way for way, words in _DIRECTION_WORDS.items() for word in words.split()}
#: a negated sentence says nothing reliable about the direction ("n'a pas baissé")
_NEGATIONS = frozenset(
    """
    not never no nor didn doesn don isn wasn hasn haven hadn aren weren cannot
    ne n pas jamais aucun aucune ni guere
    """.split()
)


@lru_cache(maxsize=4096)
def direction(text: str) -> tuple[str, tuple[str, ...]] | None:
    """Which way the claim says something went: ("up", words) or ("down", words), the
    words as written, in lower case ("Le chômage a baissé" → ("down", ("baissé",))).
    None when it says neither, both ("prices rose, wages fell") or is negated: then
    nothing is compared."""
    folded = set(fold(text).split())
    if folded & _NEGATIONS or not folded & _DIRECTION.keys():
        return None  # most claims: one fold, no word by word
    ways: dict[str, dict[str, None]] = {}  # way → the words as written, in order
    for written in _TOKEN.findall(text.casefold()):
        way = _DIRECTION.get(fold(written))
        if way:
            ways.setdefault(way, {})[written] = None
    if len(ways) != 1:
        return None
    way, written_words = next(iter(ways.items()))
    return way, tuple(written_words)


def direction_conflict(
    mine: tuple[str, tuple[str, ...]] | None, theirs: tuple[str, tuple[str, ...]] | None
) -> bool:
    """Two claims say something went opposite ways ("fell" / "rose")."""
    return mine is not None and theirs is not None and mine[0] != theirs[0]


def text_hash(text: str) -> str:
    """32 hex digits identifying a claim text (an unchanged claim is not re-indexed)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
