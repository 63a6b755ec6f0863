"""Inter-annotator agreement, exactly as the contract defines it
(docs/contract/agreement.md#agreement-figures).

Pure functions over plain records, with no database and no Flask, so that the figures can be
checked against hand-worked examples and against the reference implementation (the
``krippendorff`` package, in the tests) to 1e-9.

- *units*: per article, the connected groups of spans (of all its annotators) that share at
  least one character; an annotator's value in a unit is the verdict of their longest span in
  it (ties: the earliest start), missing if they have none.
- *verdict α*: Krippendorff's alpha over the annotators × units matrix with missing values,
  nominal on verdict keys, ordinal on the verdict's position in the scale (verdicts without a
  rating count as missing for ordinal); ``None`` when fewer than two pairable values.
- *span F1* per pair of annotators: exact (equal start and end) and overlap (one-to-one greedy
  matching, highest Jaccard first, of pairs whose Jaccard ≥ 0.5), pooled as sums of matches
  and of sizes.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

#: pairs of spans whose Jaccard reaches this are candidates for an overlap match
OVERLAP_JACCARD = 0.5


@dataclass(frozen=True)
class Span:
    """One annotator's claim on one article: where it is and what they said of it."""

    article: Hashable
    annotator: str
    start: int
    end: int
    verdict: str | None


@dataclass(frozen=True)
class Unit:
    """A connected group of overlapping spans on one article."""

    article: Hashable
    start: int
    end: int
    #: annotator -> the verdict of their longest span in the unit (ties: earliest start)
    values: dict[str, str | None]


# --- units -----------------------------------------------------------------------------------


def units(spans: Iterable[Span]) -> list[Unit]:
    """Group the spans of every article into units (spans sharing at least one character)."""
    by_article: dict[Hashable, list[Span]] = defaultdict(list)
    for span in spans:
        by_article[span.article].append(span)
    found: list[Unit] = []
    for article in sorted(by_article, key=repr):
        found.extend(_article_units(article, by_article[article]))
    return found


def _article_units(article: Hashable, spans: list[Span]) -> list[Unit]:
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    groups: list[list[Span]] = []
    reach = -1
    for span in ordered:
        # end-exclusive ranges share a character when the next starts before the reach
        if groups and span.start < reach:
            groups[-1].append(span)
            reach = max(reach, span.end)
        else:
            groups.append([span])
            reach = span.end
    return [_unit(article, group) for group in groups]


def _unit(article: Hashable, group: list[Span]) -> Unit:
    best: dict[str, Span] = {}
    for span in group:
        held = best.get(span.annotator)
        if held is None or _longer(span, held):
            best[span.annotator] = span
    return Unit(
        article=article,
        start=min(s.start for s in group),
        end=max(s.end for s in group),
        values={name: span.verdict for name, span in best.items()},
    )


def _longer(span: Span, held: Span) -> bool:
    length, held_length = span.end - span.start, held.end - held.start
    return length > held_length or (length == held_length and span.start < held.start)


# --- Krippendorff's alpha --------------------------------------------------------------------


def alpha(
    matrix: Sequence[Sequence[Hashable | None]],
    level: str = "nominal",
    order: Sequence[Hashable] | None = None,
) -> float | None:
    """Krippendorff's alpha of a coders × units matrix; ``None`` marks a missing value.

    ``level`` is ``nominal`` or ``ordinal``; for ``ordinal``, ``order`` lists the values from
    lowest to highest (values outside it count as missing). ``None`` when fewer than two
    pairable values. When every pairable value is the same there is no disagreement to
    expect: the result is 1.0 (the reference package refuses such data).
    """
    if level not in ("nominal", "ordinal") or (level == "ordinal" and order is None):
        raise ValueError(f"unknown level of measurement: {level!r}")
    rank = {value: i for i, value in enumerate(order)} if level == "ordinal" else None
    codes, data = _encode(matrix, rank)
    if data.size == 0:
        return None
    per_unit = (data >= 0).sum(axis=0)
    data = data[:, per_unit >= 2]
    per_unit = per_unit[per_unit >= 2]
    if data.size == 0:
        return None
    coincidences = _coincidences(data, per_unit, len(codes))
    totals = coincidences.sum(axis=1)
    n = totals.sum()
    if level == "nominal":
        distance = 1.0 - np.eye(len(codes))
    else:
        distance = _ordinal_distance(totals, [rank[value] for value in codes])
    observed = (coincidences * distance).sum()
    expected = (np.outer(totals, totals) * distance).sum()
    if expected == 0:
        return 1.0
    return float(1.0 - (n - 1) * observed / expected)


def _encode(matrix, rank: dict | None) -> tuple[list, np.ndarray]:
    """Values as small integers (-1 for missing, and for values off an ordinal scale)."""
    codes: dict = {}
    rows = [
        [
            codes.setdefault(v, len(codes)) if v is not None and (rank is None or v in rank) else -1
            for v in row
        ]
        for row in matrix
    ]
    width = len(rows[0]) if rows else 0
    return list(codes), np.array(rows, dtype=np.int64).reshape(len(rows), width)


def _coincidences(data: np.ndarray, per_unit: np.ndarray, size: int) -> np.ndarray:
    """The coincidence matrix: within each unit every ordered pair of values, weighted by
    1 / (values in the unit - 1)."""
    coder, unit = np.nonzero(data >= 0)
    counts = np.zeros((data.shape[1], size))
    np.add.at(counts, (unit, data[coder, unit]), 1.0)
    weighted = counts / (per_unit - 1.0)[:, None]
    return weighted.T @ counts - np.diag(weighted.sum(axis=0))


def _ordinal_distance(totals: np.ndarray, ranks: list[int]) -> np.ndarray:
    """Krippendorff's ordinal metric: (values between c and k, halving both ends)²."""
    order = np.argsort(ranks, kind="stable")
    sorted_totals = totals[order]
    cumulative = np.concatenate(([0.0], np.cumsum(sorted_totals)))
    i, j = np.meshgrid(np.arange(len(order)), np.arange(len(order)), indexing="ij")
    low, high = np.minimum(i, j), np.maximum(i, j)
    between = cumulative[high + 1] - cumulative[low]
    metric = (between - (sorted_totals[i] + sorted_totals[j]) / 2) ** 2
    distance = np.empty_like(metric)
    distance[np.ix_(order, order)] = metric
    return distance


def unit_matrix(found: Sequence[Unit], annotators: Sequence[str]) -> list[list[str | None]]:
    """The annotators × units matrix of verdicts (``None`` where an annotator has no span)."""
    return [[unit.values.get(name) for unit in found] for name in annotators]


# --- span F1 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairCounts:
    """What pooled F1 needs: matches and sizes, summed over articles."""

    exact: int = 0
    overlap: int = 0
    size: int = 0  # |A| + |B|

    def __add__(self, other: PairCounts) -> PairCounts:
        return PairCounts(
            self.exact + other.exact, self.overlap + other.overlap, self.size + other.size
        )

    @property
    def f1_exact(self) -> float | None:
        return 2 * self.exact / self.size if self.size else None

    @property
    def f1_overlap(self) -> float | None:
        return 2 * self.overlap / self.size if self.size else None


def pair_counts(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> PairCounts:
    """Matches between two annotators' spans ``(start, end)`` on one article."""
    common = Counter(a) & Counter(b)
    exact = sum(common.values())
    # equal spans (Jaccard 1) are what the greedy matching takes first, in any order:
    # match them up front and leave the greedy search only the rest
    rest_a, rest_b = _without(a, common), _without(b, common)
    overlap = exact + (_greedy_overlap(rest_a, rest_b) if rest_a and rest_b else 0)
    return PairCounts(exact=exact, overlap=overlap, size=len(a) + len(b))


def _without(spans: Sequence[tuple[int, int]], common: Counter) -> list[tuple[int, int]]:
    left = Counter(common)
    rest = []
    for span in spans:
        if left[span] > 0:
            left[span] -= 1
        else:
            rest.append(span)
    return rest


def jaccard(x: tuple[int, int], y: tuple[int, int]) -> float:
    """Jaccard of two end-exclusive character ranges."""
    inter = min(x[1], y[1]) - max(x[0], y[0])
    if inter <= 0:
        return 0.0
    return inter / (max(x[1], y[1]) - min(x[0], y[0]))


def _greedy_overlap(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    ordered = sorted(range(len(b)), key=lambda j: b[j])
    starts = [b[j][0] for j in ordered]
    candidates = []
    for i, x in enumerate(a):
        length = x[1] - x[0]
        # Jaccard ≥ 0.5 needs y to start within one length of x's start (else the union
        # exceeds twice the intersection): only those are compared
        first = bisect_left(starts, x[0] - length)
        last = bisect_left(starts, x[1])
        for j in ordered[first:last]:
            score = jaccard(x, b[j])
            if score >= OVERLAP_JACCARD:
                # ties broken by position, so the matching never depends on input order
                candidates.append((-score, x, b[j], i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _score, _x, _y, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


# --- the report ------------------------------------------------------------------------------


@dataclass
class Report:
    articles: int
    f1_exact: float | None
    f1_overlap: float | None
    alpha_nominal: float | None
    alpha_ordinal: float | None
    units: int
    pairs: list[dict]

    def as_json(self) -> dict:
        return {
            "articles": self.articles,
            "span": {"f1_exact": self.f1_exact, "f1_overlap": self.f1_overlap},
            "verdict": {
                "alpha_nominal": self.alpha_nominal,
                "alpha_ordinal": self.alpha_ordinal,
                "units": self.units,
            },
            "pairs": self.pairs,
        }


def report(
    spans: Iterable[Span],
    annotators_of: dict[Hashable, Sequence[str]],
    ordinal_order: Sequence[str],
) -> Report:
    """Agreement over the given articles (``annotators_of``: article -> its annotators).

    ``ordinal_order`` lists the verdict keys that have a place on the ordinal scale, lowest
    first; other verdicts count as missing for ordinal alpha.
    """
    spans = [s for s in spans if s.article in annotators_of]
    found = units(spans)
    names = sorted({name for names in annotators_of.values() for name in names})
    matrix = unit_matrix(found, names)
    by_key: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for span in spans:
        by_key[(span.article, span.annotator)].append((span.start, span.end))

    pooled: dict[tuple[str, str], PairCounts] = defaultdict(PairCounts)
    for article, article_names in annotators_of.items():
        for x, y in combinations(sorted(article_names), 2):
            pooled[(x, y)] += pair_counts(by_key[(article, x)], by_key[(article, y)])
    total = sum(pooled.values(), PairCounts())
    row = {name: i for i, name in enumerate(names)}
    pairs = [
        {
            "a": x,
            "b": y,
            "f1_exact": counts.f1_exact,
            "f1_overlap": counts.f1_overlap,
            "alpha_nominal": alpha([matrix[row[x]], matrix[row[y]]]),
            # the units both gave a verdict on: what the pair's alpha stands on
            "units": sum(
                1
                for left, right in zip(matrix[row[x]], matrix[row[y]], strict=True)
                if left is not None and right is not None
            ),
        }
        for (x, y), counts in sorted(pooled.items())
    ]
    return Report(
        articles=len(annotators_of),
        f1_exact=total.f1_exact,
        f1_overlap=total.f1_overlap,
        alpha_nominal=alpha(matrix),
        alpha_ordinal=alpha(matrix, "ordinal", ordinal_order),
        units=len(found),
        pairs=pairs,
    )
