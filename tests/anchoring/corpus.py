"""A generated corpus of article revisions with known answers, for re-anchoring.

Each case is an old text with one claim span, a new text (the old one after one kind of
correction), and the truth: where the claimed passage stands in the new text, if it
survived. The truth is tracked with two private-use markers (U+E000, U+E001) around the
quote that the mutations carry along; they are removed before the texts are used.

``expected`` is ``ok`` where the quote survives unchanged and unambiguous, ``flagged``
(relocated or orphaned) where it does not: changed, gone, or present twice with the same
surroundings. Used by tests/anchoring/test_corpus.py and bench/bench_anchoring.py.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from factcheck.services.anchoring import Stored
from factcheck.services.spans import CONTEXT

OPEN, CLOSE = "\ue000", "\ue001"

SUBJECTS = [
    "Le ministre du Travail",
    "La porte-parole du gouvernement",
    "Le maire de Lyon",
    "La députée de la Gironde",
    "Le secrétaire général du syndicat",
    "L'économiste en chef de la banque",
    "Le préfet de région",
    "La présidente du conseil départemental",
    "Le directeur de l'hôpital",
    "La rectrice de l'académie",
]
VERBS = ["a affirmé que", "a assuré que", "a déclaré que", "a rappelé que", "a estimé que"]
FACTS = [
    "le chômage a baissé de {n} % en un an",
    "la dette publique atteint {n} milliards d'euros",
    "{n} écoles ont fermé leurs portes cette année",
    "les prix de l'énergie ont augmenté de {n} %",
    "la production industrielle a reculé de {n} %",
    "{n} postes d'infirmiers seront créés d'ici 2027",
    "le nombre de lits a diminué de {n} % depuis 2015",
    "les loyers ont progressé de {n} % dans la métropole",
]
TAILS = [
    "selon les chiffres officiels",
    "lors d'un entretien mardi",
    "devant la presse locale",
    "sur une radio nationale",
    "dans un communiqué publié jeudi",
    "au cours d'une réunion publique",
]
INSERTS = [
    "Cette déclaration a suscité de nombreuses réactions.",
    "L'opposition conteste ces chiffres.",
    "Aucune source indépendante n'a confirmé ce point.",
    "Le débat se poursuivra la semaine prochaine à l'Assemblée.",
]
DECORATIONS = ["👍🏽 ", "🇫🇷 ", "👨\u200d👩\u200d👧 ", "Cafe\u0301 ", "Noe\u0308l ", "🎉 "]

CATEGORIES = (
    "insert_before",
    "insert_after",
    "delete_before",
    "delete_after",
    "edit_elsewhere",
    "edit_adjacent",
    "reordered_paragraphs",
    "duplicated_passage",
    "typo_fixed_in_quote",
    "quote_deleted",
    "lookalike_replaces_quote",
    "lookalike_elsewhere",
    "repeated_quote_kept",
    "repeated_quote_deleted",
    "typographic_quotes_outside",
    "typographic_quotes_inside",
    "emoji_accents_before",
)
#: categories where the quote does not survive unchanged and unambiguous
FLAGGED = frozenset(
    {
        "duplicated_passage",
        "typo_fixed_in_quote",
        "quote_deleted",
        "lookalike_replaces_quote",
        "repeated_quote_deleted",
        "typographic_quotes_inside",
    }
)


@dataclass
class Case:
    category: str
    old: str
    new: str
    stored: Stored
    #: where the claimed passage starts in the new text (None: it is gone)
    truth_start: int | None
    truth_end: int | None
    expected: str  # "ok" or "flagged"


def _sentence(rng: random.Random, fact: str | None = None, n: int | None = None) -> str:
    fact = (fact or rng.choice(FACTS)).format(n=n if n is not None else rng.randint(2, 98))
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {fact}, {rng.choice(TAILS)}."


def _article(rng: random.Random) -> list[list[str]]:
    return [[_sentence(rng) for _ in range(rng.randint(2, 4))] for _ in range(rng.randint(6, 9))]


def _join(paragraphs: list[list[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paragraphs if p)


def _mark_clause(sentence: str) -> str:
    """Mark the fact clause of a sentence (between "que " and ", ")."""
    start = sentence.index(" que ") + len(" que ")
    end = sentence.rindex(", ")
    return sentence[:start] + OPEN + sentence[start:end] + CLOSE + sentence[end:]


def _mark(sentence: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return OPEN + sentence + CLOSE
    return _mark_clause(sentence)


def _unmark(marked: str) -> tuple[str, int | None, int | None]:
    marked = unicodedata.normalize("NFC", marked)
    if OPEN not in marked:
        return marked.replace(CLOSE, ""), None, None
    start = marked.index(OPEN)
    end = marked.index(CLOSE) - 1
    return marked.replace(OPEN, "").replace(CLOSE, ""), start, end


def _stored(old_marked: str) -> tuple[str, Stored]:
    old, start, end = _unmark(old_marked)
    return old, Stored(
        start=start,
        end=end,
        quote=old[start:end],
        prefix=old[max(0, start - CONTEXT) : start],
        suffix=old[end : end + CONTEXT],
    )


def _other(rng: random.Random, count: int, avoid: int) -> int:
    choices = [i for i in range(count) if i != avoid]
    return rng.choice(choices)


def _strip_marks(sentence: str) -> str:
    return sentence.replace(OPEN, "").replace(CLOSE, "")


def make_case(category: str, seed: int) -> Case:
    rng = random.Random(f"{category}-{seed}")
    paragraphs = _article(rng)
    qp = rng.randrange(1, len(paragraphs) - 1)  # never the first or last paragraph
    qs = rng.randrange(len(paragraphs[qp]))
    new = [list(p) for p in paragraphs]  # same structure, mutated below

    def mark(target: list[list[str]], sentence_text: str | None = None, **kw) -> None:
        target[qp][qs] = sentence_text if sentence_text is not None else _mark(target[qp][qs], rng)

    if category == "typographic_quotes_outside" or category == "typographic_quotes_inside":
        n = rng.randint(2, 98)
        fact = rng.choice(FACTS).format(n=n)
        subject, tail = rng.choice(SUBJECTS), rng.choice(TAILS)
        if category == "typographic_quotes_outside":
            before = f'{subject} a déclaré : "{OPEN}{fact}{CLOSE}", {tail}.'
        else:
            before = f'{subject} a déclaré : {OPEN}"{fact}"{CLOSE}, {tail}.'
        style = rng.choice(("french", "curly"))
        after = (
            before.replace('"', "« ", 1).replace('"', " »", 1)
            if style == "french"
            else before.replace('"', "“", 1).replace('"', "”", 1)
        )
        paragraphs[qp][qs] = before
        new[qp][qs] = after
        return _finish(category, paragraphs, new)

    mark(paragraphs)
    new[qp][qs] = paragraphs[qp][qs]
    quote_sentence = paragraphs[qp][qs]

    if category == "insert_before":
        where = rng.randrange(qp + 1)
        at = rng.randrange(len(new[where]) + 1) if where < qp else rng.randrange(qs + 1)
        new[where].insert(at, rng.choice(INSERTS))
    elif category == "insert_after":
        where = rng.randrange(qp, len(new))
        low = qs + 1 if where == qp else 0
        new[where].insert(rng.randint(low, len(new[where])), rng.choice(INSERTS))
    elif category == "delete_before":
        where = rng.randrange(qp)
        del new[where][rng.randrange(len(new[where]))]
    elif category == "delete_after":
        where = rng.randrange(qp + 1, len(new))
        del new[where][rng.randrange(len(new[where]))]
    elif category == "edit_elsewhere":
        where = _other(rng, len(new), qp)
        at = rng.randrange(len(new[where]))
        new[where][at] = new[where][at].replace(" a ", " avait ", 1).replace(",", " ;", 1)
    elif category == "edit_adjacent":
        # the sentence next to the quote changes: the stored context only partly agrees
        if qs > 0:
            new[qp][qs - 1] = new[qp][qs - 1][:-1] + ", a-t-il ajouté."
        else:
            new[qp].insert(1, rng.choice(INSERTS))
            new[qp][0] = new[qp][0].replace(CLOSE + ",", CLOSE + " ;")
    elif category == "reordered_paragraphs":
        moved = new.pop(qp)
        new.insert(_other(rng, len(new) + 1, qp), moved)
    elif category == "duplicated_passage":
        copy = [_strip_marks(s) for s in new[qp]]
        new.insert(_other(rng, len(new) + 1, qp), copy)
    elif category == "typo_fixed_in_quote":
        new[qp][qs] = _typo_inside(quote_sentence, rng)
    elif category == "quote_deleted":
        del new[qp][qs]
        if not new[qp]:
            new[qp].append(rng.choice(INSERTS))
    elif category == "lookalike_replaces_quote":
        del new[qp][qs]
        if not new[qp]:
            new[qp].append(rng.choice(INSERTS))
        lookalike = _strip_marks(_typo_inside(quote_sentence, rng))
        where = _other(rng, len(new), qp)
        new[where].insert(rng.randrange(len(new[where]) + 1), lookalike)
    elif category == "lookalike_elsewhere":
        lookalike = _strip_marks(_typo_inside(quote_sentence, rng))
        where = _other(rng, len(paragraphs), qp)
        paragraphs[where].insert(0, lookalike)
        new[where].insert(0, lookalike)
        far = _other(rng, len(new), qp)
        new[far].append(rng.choice(INSERTS))
    elif category in ("repeated_quote_kept", "repeated_quote_deleted"):
        # the same sentence stands in another paragraph too, in other surroundings
        where = _other(rng, len(paragraphs), qp)
        twin = _strip_marks(quote_sentence)
        at = rng.randrange(len(paragraphs[where]) + 1)
        paragraphs[where].insert(at, twin)
        new[where].insert(at, twin)
        if category == "repeated_quote_kept":
            far = _other(rng, len(new), qp)
            new[far].insert(0, rng.choice(INSERTS))
        else:
            new[qp][qs] = rng.choice(INSERTS)
    elif category == "emoji_accents_before":
        where = rng.randrange(qp + 1)
        at = rng.randrange(len(new[where])) if where < qp else rng.randrange(qs + 1)
        decorated = "".join(rng.sample(DECORATIONS, 2))
        new[where][at] = decorated + new[where][at]
    else:  # pragma: no cover
        raise ValueError(category)
    return _finish(category, paragraphs, new)


def _typo_inside(marked: str, rng: random.Random) -> str:
    """The sentence with one small change inside its marked quote (a lookalike)."""
    inside = marked[marked.index(OPEN) + 1 : marked.index(CLOSE)]
    return marked.replace(inside, _typo(inside, rng))


def _typo(text: str, rng: random.Random) -> str:
    """One small change inside ``text``: a digit, a letter, or a doubled letter."""
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if digits and rng.random() < 0.5:
        i = rng.choice(digits)
        return text[:i] + str((int(text[i]) + 1) % 10) + text[i + 1 :]
    letters = [i for i, c in enumerate(text) if c.isalpha() and c.islower()]
    i = rng.choice(letters)
    replacement = "e" if text[i] != "e" else "a"
    return text[:i] + replacement + text[i + 1 :]


def _finish(category: str, paragraphs: list[list[str]], new: list[list[str]]) -> Case:
    old, stored = _stored(_join(paragraphs))
    new_text, start, end = _unmark(_join(new))
    survives = start is not None and new_text[start:end] == stored.quote
    expected = "ok" if survives and category not in FLAGGED else "flagged"
    return Case(category, old, new_text, stored, start, end, expected)


def corpus(per_category: int = 15) -> list[Case]:
    return [make_case(c, seed) for c in CATEGORIES for seed in range(per_category)]


@dataclass
class Figures:
    cases: int = 0
    ok_expected: int = 0
    ok_given: int = 0
    flagged_expected: int = 0
    flagged_given: int = 0
    relocated_right_place: int = 0
    relocated: int = 0
    silent_errors: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def evaluate(cases: list[Case], results) -> dict[str, Figures]:
    """Figures per category and overall (key ``all``)."""
    figures: dict[str, Figures] = {"all": Figures()}
    for case, result in zip(cases, results, strict=True):
        for key in (case.category, "all"):
            f = figures.setdefault(key, Figures())
            f.cases += 1
            right_place = case.truth_start is not None and result.start == case.truth_start
            if result.anchor == "ok":
                quote_same = case.new[result.start : result.end] == case.stored.quote
                if not (right_place and quote_same):
                    f.silent_errors += 1
            if case.expected == "ok":
                f.ok_expected += 1
                f.ok_given += result.anchor == "ok"
            else:
                f.flagged_expected += 1
                f.flagged_given += result.anchor != "ok"
            if result.anchor == "relocated":
                f.relocated += 1
                f.relocated_right_place += right_place
    return figures
