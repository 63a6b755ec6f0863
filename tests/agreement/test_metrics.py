"""The agreement figures against hand-worked examples and the reference implementation."""

from __future__ import annotations

import random

import numpy as np
import pytest

from factcheck.services.agreement import Span, alpha, jaccard, pair_counts, report, units

krippendorff = pytest.importorskip("krippendorff", reason="the reference implementation")

SCALE = ["false", "mostly_false", "mixed", "mostly_true", "true"]


def _oracle(matrix, level, order=None):
    """The reference: values as numbers, missing as NaN."""
    code = {v: i for i, v in enumerate(order)} if order else {}
    numeric = [
        [np.nan if v is None or (order and v not in code) else code.get(v, v) for v in row]
        for row in matrix
    ]
    return krippendorff.alpha(
        reliability_data=np.array(numeric, dtype=float), level_of_measurement=level
    )


def test_alpha_worked_example_two_coders():
    # units (a,a) (a,b) (b,b) (b,b): n_a = 3, n_b = 5, n = 8, two disagreeing pairs
    # alpha = 1 - (n - 1) * 2 / (2 * 3 * 5) = 1 - 14/30
    matrix = [["a", "a", "b", "b"], ["a", "b", "b", "b"]]
    assert alpha(matrix) == pytest.approx(8 / 15, abs=1e-12)


def test_alpha_example_from_the_reference_documentation():
    nan = None
    matrix = [
        [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
        [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
        [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
    ]
    assert alpha(matrix) == pytest.approx(0.691358, abs=1e-6)
    assert alpha(matrix) == pytest.approx(_oracle(matrix, "nominal"), abs=1e-9)
    assert alpha(matrix, "ordinal", [1, 2, 3, 4]) == pytest.approx(
        _oracle(matrix, "ordinal"), abs=1e-9
    )


def _random_matrix(rng: random.Random):
    """Coders × units with missing values, with at least two distinct pairable values."""
    while True:
        coders, n_units = rng.randint(2, 6), rng.randint(2, 40)
        values = SCALE[: rng.randint(2, len(SCALE))]
        missing = rng.choice([0.0, 0.2, 0.5])
        matrix = [
            [None if rng.random() < missing else rng.choice(values) for _ in range(n_units)]
            for _ in range(coders)
        ]
        pairable = [
            v
            for col in zip(*matrix, strict=True)
            if sum(v is not None for v in col) >= 2
            for v in col
            if v is not None
        ]
        if len(set(pairable)) >= 2:  # the reference refuses anything less
            return matrix


@pytest.mark.parametrize("seed", range(60))
def test_alpha_matches_the_reference_on_random_matrices(seed):
    matrix = _random_matrix(random.Random(seed))
    assert alpha(matrix) == pytest.approx(_oracle(matrix, "nominal", SCALE), abs=1e-9)
    assert alpha(matrix, "ordinal", SCALE) == pytest.approx(
        _oracle(matrix, "ordinal", SCALE), abs=1e-9
    )


def test_alpha_is_none_with_fewer_than_two_pairable_values():
    assert alpha([["true", None], [None, "false"]]) is None
    assert alpha([]) is None


def test_alpha_is_one_when_every_pairable_value_agrees():
    assert alpha([["true", "false"], ["true", "false"]]) == 1.0
    assert alpha([["true", "true"], ["true", "true"]]) == 1.0


def test_ordinal_alpha_ignores_verdicts_off_the_scale():
    with_unrated = [["true", "unverifiable", "false"], ["true", "false", "false"]]
    without = [["true", None, "false"], ["true", "false", "false"]]
    assert alpha(with_unrated, "ordinal", SCALE) == alpha(without, "ordinal", SCALE)


def test_ordinal_alpha_punishes_distant_disagreement_more():
    near = [["true", "false", "true", "false"], ["mostly_true", "false", "true", "false"]]
    far = [["true", "false", "true", "false"], ["false", "false", "true", "false"]]
    assert alpha(near, "ordinal", SCALE) > alpha(far, "ordinal", SCALE)


# --- units ------------------------------------------------------------------------------------


def test_units_join_spans_sharing_a_character_and_not_touching_ones():
    spans = [
        Span(1, "ann", 0, 10, "true"),
        Span(1, "bob", 9, 20, "false"),  # shares character 9 with ann's
        Span(1, "cat", 20, 30, "mixed"),  # touches at 20: no shared character
    ]
    found = units(spans)
    assert [(u.start, u.end) for u in found] == [(0, 20), (20, 30)]
    assert found[0].values == {"ann": "true", "bob": "false"}


def test_unit_value_is_the_longest_span_then_the_earliest():
    spans = [
        Span(1, "ann", 0, 5, "true"),
        Span(1, "ann", 3, 12, "false"),  # longest
        Span(1, "bob", 0, 4, "mixed"),
        Span(1, "bob", 6, 10, "true"),  # same length, later: not taken
    ]
    (unit,) = units(spans)
    assert unit.values == {"ann": "false", "bob": "mixed"}


def test_units_never_cross_articles():
    found = units([Span(1, "ann", 0, 10, "true"), Span(2, "bob", 0, 10, "true")])
    assert len(found) == 2


# --- span F1 ----------------------------------------------------------------------------------


def test_identical_spans_give_one():
    counts = pair_counts([(0, 10), (20, 30)], [(0, 10), (20, 30)])
    assert counts.f1_exact == 1.0 and counts.f1_overlap == 1.0


def test_disjoint_spans_give_zero():
    counts = pair_counts([(0, 10)], [(20, 30)])
    assert counts.f1_exact == 0.0 and counts.f1_overlap == 0.0


def test_partial_overlap_counts_for_overlap_only():
    counts = pair_counts([(0, 10)], [(2, 10)])  # Jaccard 0.8
    assert counts.f1_exact == 0.0 and counts.f1_overlap == 1.0
    small = pair_counts([(0, 10)], [(0, 4)])  # Jaccard 0.4 < 0.5
    assert small.f1_overlap == 0.0


def test_overlap_matching_is_one_to_one_and_greedy_by_jaccard():
    # b's (0, 10) is the best partner of both a-spans; the better pair takes it first
    counts = pair_counts([(0, 10), (1, 10)], [(0, 10)])
    assert counts.overlap == 1
    assert counts.f1_overlap == pytest.approx(2 * 1 / 3)


def test_jaccard_of_ranges():
    assert jaccard((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert jaccard((0, 5), (5, 10)) == 0.0


def test_report_pools_matches_and_sizes_over_articles():
    spans = [
        Span(1, "ann", 0, 10, "true"),
        Span(1, "bob", 0, 10, "true"),
        Span(2, "ann", 0, 10, "false"),
        Span(2, "bob", 50, 60, "false"),
        Span(2, "bob", 70, 80, "true"),
    ]
    result = report(spans, {1: ["ann", "bob"], 2: ["ann", "bob"]}, SCALE).as_json()
    # matches 1 + 0, sizes 2 + 3 → 2·1/5
    assert result["span"] == {"f1_exact": 0.4, "f1_overlap": 0.4}
    assert result["articles"] == 2
    assert result["verdict"]["units"] == 4
    assert result["pairs"][0]["a"] == "ann" and result["pairs"][0]["b"] == "bob"


def test_an_annotator_without_a_span_in_a_unit_counts_as_missing():
    spans = [
        Span(1, "ann", 0, 10, "true"),
        Span(1, "bob", 0, 10, "true"),
        Span(1, "cat", 0, 10, "false"),
        Span(1, "ann", 40, 50, "false"),  # only ann: unpairable, changes nothing
    ]
    full = report(spans, {1: ["ann", "bob", "cat"]}, SCALE)
    expected = alpha([["true"], ["true"], ["false"]])
    assert full.alpha_nominal == pytest.approx(expected)


def _brute_overlap(a, b):
    """Every pair compared, greedy by Jaccard then position: the definition, slowly."""
    pairs = sorted(
        (-jaccard(x, y), x, y, i, j)
        for i, x in enumerate(a)
        for j, y in enumerate(b)
        if jaccard(x, y) >= 0.5
    )
    used_a, used_b = set(), set()
    for _s, _x, _y, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


@pytest.mark.parametrize("seed", range(40))
def test_overlap_matching_equals_the_brute_force_definition(seed):
    rng = random.Random(seed)

    def spans():
        found = []
        for _ in range(rng.randint(0, 12)):
            start = rng.randint(0, 200)
            found.append((start, start + rng.randint(1, 60)))
        return found

    a, b = spans(), spans()
    assert pair_counts(a, b).overlap == _brute_overlap(a, b)
