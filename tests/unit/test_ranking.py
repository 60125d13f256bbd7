"""The judging ranking (pure): scores, engagement, order, ties, finalists, snapshots."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import statistics
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.judging import ranking
from app.judging.ranking import (
    Criterion,
    Entry,
    RankingInput,
    RankingParams,
    Review,
    canonical_json,
    digest,
    from_plain,
    rank,
    review_score,
    to_plain,
    verify,
)

T0 = datetime(2026, 3, 1, 3, 0, tzinfo=UTC)
# One criterion scored 0–100 with weight 1: a review's score r is the number the judge gave.
PERCENT = (Criterion(1, 1, 100),)


def review(
    initiative: int, judge: int, score: float, *, submitted=True, assigned=True, conflict=False
) -> Review:
    return Review(judge, initiative, {1: score}, submitted=submitted, assigned=assigned, conflict=conflict)


def reviews_of(initiative: int, *scores: float, first_judge: int = 1) -> list[Review]:
    return [review(initiative, first_judge + k, s) for k, s in enumerate(scores)]


def entry(initiative: int, *, category=1, unit=None, at=T0, **counts) -> Entry:
    return Entry(initiative, category, initiative if unit is None else unit, at, **counts)


def run(entries, reviews, criteria=PERCENT, **params) -> ranking.RankingResult:
    return rank(RankingInput(criteria, reviews, entries), RankingParams(**params))


def simple(scores: dict[int, float], likes: dict[int, int] | None = None, **params) -> ranking.RankingResult:
    """One counted review per initiative (min_reviews=1) giving r = scores[i]; engagement = likes."""
    likes = likes or {}
    entries = [entry(i, likes=likes.get(i, 0)) for i in scores]
    return run(entries, [review(i, 1, s) for i, s in scores.items()], **{"min_reviews": 1, **params})


def order(result) -> list[int]:
    return [r.initiative_id for r in result.results if r.ranked]


# --- review score r -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("criteria", "scores", "expected"),
    [
        (PERCENT, {1: 73}, 73.0),
        # 100 × (2·8/10 + 1·3/5) ÷ 3 = 100 × 2.2 ÷ 3
        ((Criterion(1, 2, 10), Criterion(2, 1, 5)), {1: 8, 2: 3}, 73.333333),
        ((Criterion(1, 2, 10), Criterion(2, 1, 5)), {1: 10, 2: 5}, 100.0),
        ((Criterion(1, 2, 10), Criterion(2, 1, 5)), {1: 0, 2: 0}, 0.0),
        # a criterion of weight 0 is scored but does not count
        ((Criterion(1, 1, 10), Criterion(2, 0, 10)), {1: 5, 2: 10}, 50.0),
        ((Criterion(1, 1, 10), Criterion(2, 1, 10)), {1: 7.5, 2: 2.5}, 50.0),
    ],
)
def test_review_score_is_the_weighted_share_of_the_maximum(criteria, scores, expected):
    r = review_score(Review(1, 1, scores, True, True, False), {c.id: c for c in criteria})
    assert r == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({1: 8}, "missing criteria \\[2\\]"),
        ({1: 8, 2: 3, 3: 1}, "unknown criteria \\[3\\]"),
        ({1: 11, 2: 3}, "outside 0..10"),
        ({1: -1, 2: 3}, "outside 0..10"),
    ],
)
def test_a_counted_review_with_a_missing_or_bad_score_is_an_error(scores, message):
    criteria = (Criterion(1, 2, 10), Criterion(2, 1, 5))
    reviews = [Review(j, 1, {1: 5, 2: 5}, True, True, False) for j in (1, 2)]
    reviews.append(Review(3, 1, scores, True, True, False))
    with pytest.raises(ValueError, match=message):
        run([entry(1)], reviews, criteria)


def test_an_incomplete_draft_is_ignored_not_an_error():
    reviews = reviews_of(1, 60, 70, 80) + [review(1, 9, 0, submitted=False)]
    draft = Review(10, 1, {}, submitted=False, assigned=True, conflict=False)
    result = run([entry(1)], [*reviews, draft])
    assert result.get(1).reviews == 3


# --- which reviews count ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "assigned", "conflict", "counted"),
    [
        (True, True, False, True),
        (False, True, False, False),  # a draft
        (True, False, False, False),  # a judge not assigned to this initiative
        (True, True, True, False),  # a declared conflict of interest
        (False, False, True, False),
    ],
)
def test_only_submitted_assigned_reviews_without_conflict_count(submitted, assigned, conflict, counted):
    fourth = review(1, 4, 0, submitted=submitted, assigned=assigned, conflict=conflict)
    result = run([entry(1)], [*reviews_of(1, 60, 70, 80), fourth])
    line = result.get(1)
    assert line.reviews == (4 if counted else 3)
    assert line.expert_score == (52.5 if counted else 70.0)


@pytest.mark.parametrize(("min_reviews", "ranked"), [(3, False), (2, True), (1, True)])
def test_too_few_counted_reviews_leave_an_initiative_unranked(min_reviews, ranked):
    reviews = [*reviews_of(1, 80, 90), review(1, 3, 100, conflict=True), *reviews_of(2, 50, 50, 50)]
    result = run([entry(1), entry(2)], reviews, min_reviews=min_reviews)
    line = result.get(1)
    assert (line.ranked, line.reviews) == (ranked, 2)
    if ranked:
        assert (line.rank, line.reason, line.expert_score) == (1, None, 85.0)
    else:
        assert (line.rank, line.reason, line.tie_rule) == (None, "too_few_reviews", None)
        assert (line.expert_score, line.engagement_score, line.final_score) == (None, None, None)
        assert line.finalist is False


def test_results_list_ranked_entries_by_rank_then_unranked_ones_by_id():
    reviews = reviews_of(5, 10, 10, 10) + reviews_of(7, 90, 90, 90) + reviews_of(2, 50)
    result = run([entry(i) for i in (7, 5, 3, 2)], reviews)
    assert [(r.initiative_id, r.rank) for r in result.results] == [(7, 1), (5, 2), (2, None), (3, None)]


# --- expert score E ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expert", "scores", "expected"),
    [
        ("mean", [10, 70, 80, 90, 100], 70.0),
        ("trimmed", [10, 70, 80, 90, 100], 80.0),  # drop 10 and 100
        ("trimmed", [100, 100, 10, 10, 70], 60.0),  # one of each extreme only: (100 + 10 + 70) / 3
        ("trimmed", [10, 80, 90, 100], 70.0),  # fewer than 5 reviews: the plain mean
        ("trimmed", [20, 40, 60], 40.0),
        ("mean", [20, 40, 60], 40.0),
    ],
)
def test_expert_score_mean_and_trimmed(expert, scores, expected):
    result = run([entry(1)], reviews_of(1, *scores), expert=expert)
    assert result.get(1).expert_score == expected


# Two judges of 5 reviews each, one harsh and one lenient but ranking alike.
HARSH = [40, 50, 60, 70, 80]
LENIENT = [60, 70, 80, 90, 100]


def calibration_case(*judges: list[float]) -> list[Review]:
    return [
        review(i, j, s) for j, scores in enumerate(judges, start=1) for i, s in enumerate(scores, start=1)
    ]


def test_calibration_maps_each_judges_z_scores_back_with_the_panel_mean_and_spread():
    reviews = calibration_case(HARSH, LENIENT)
    result = run([entry(i) for i in range(1, 6)], reviews, expert="calibrated", min_reviews=2)
    # Panel: mean 70, population sd √300; both judges give z = −√2, −√2/2, 0, √2/2, √2.
    assert [result.get(i).expert_score for i in range(1, 6)] == [45.51, 57.75, 70.0, 82.25, 94.49]
    mean = run([entry(i) for i in range(1, 6)], calibration_case(HARSH, LENIENT), min_reviews=2)
    assert [mean.get(i).expert_score for i in range(1, 6)] == [50.0, 60.0, 70.0, 80.0, 90.0]


def test_calibration_uses_raw_scores_for_judges_with_few_reviews_or_no_spread():
    flat = [50, 50, 50, 50, 50]  # 5 reviews but sd 0: raw
    reviews = calibration_case(HARSH, LENIENT, flat) + [review(1, 4, 95), review(2, 4, 15)]  # 2 reviews: raw
    result = run([entry(i) for i in range(1, 6)], reviews, expert="calibrated")

    every = [r.scores[1] for r in reviews]
    panel_mean, panel_sd = statistics.fmean(every), statistics.pstdev(every)

    def z_mapped(scores, k):
        return panel_mean + panel_sd * (scores[k] - statistics.fmean(scores)) / statistics.pstdev(scores)

    for i in range(1, 6):
        values = [z_mapped(HARSH, i - 1), z_mapped(LENIENT, i - 1), 50]
        values += {1: [95], 2: [15]}.get(i, [])
        assert result.get(i).expert_score == round(statistics.fmean(values), 2)


def test_calibrated_expert_score_is_clamped_to_0_100():
    # Panel mean 50 and sd 50; judge 1's single 100 is z = 2 (→ 150), judge 2's single 0 is z = −2 (→ −50).
    reviews = calibration_case([0, 0, 0, 0, 100], [0, 100, 100, 100, 100])
    result = run([entry(i) for i in range(1, 6)], reviews, expert="calibrated", min_reviews=2)
    assert [result.get(i).expert_score for i in range(1, 6)] == [0.0, 50.0, 50.0, 50.0, 100.0]


# --- engagement e and P ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ({}, 1 * 10 + 2 * 4 + 0 * 1000 + 1 * 7 + 2 * 3 + 2 * 5),
        ({"w_views": 0.5, "w_likes": 0}, 8 + 500 + 7 + 6 + 10),
        ({"w_imported_likes": 0, "w_imported_comments": 0, "w_imported_shares": 0}, 18),
    ],
)
def test_engagement_is_the_weighted_sum_of_the_counts(weights, expected):
    counts = dict(
        likes=10, commenters=4, views=1000, imported_likes=7, imported_comments=3, imported_shares=5
    )
    result = run([entry(1, **counts)], reviews_of(1, 50, 50, 50), **weights)
    assert result.get(1).engagement == expected
    assert (result.get(1).likes, result.get(1).commenters, result.get(1).views) == (10, 4, 1000)


@pytest.mark.parametrize(
    ("scale", "likes", "expected"),
    [
        ("log", [0, 9, 99], [0.0, 50.0, 100.0]),  # 100 · ln 10 / ln 100
        ("log", [3, 3], [100.0, 100.0]),
        ("linear", [0, 9, 99], [0.0, 9.09, 100.0]),
        ("linear", [25, 50, 100], [25.0, 50.0, 100.0]),
        ("percentile", [5, 5, 10, 20], [16.67, 16.67, 66.67, 100.0]),  # equal e share the middle place
        ("percentile", [1, 2, 3], [0.0, 50.0, 100.0]),
        ("percentile", [7, 7, 7], [50.0, 50.0, 50.0]),
        ("log", [0, 0, 0], [0.0, 0.0, 0.0]),  # max e = 0: P = 0 for all
        ("linear", [0, 0], [0.0, 0.0]),
        ("percentile", [0, 0, 0], [0.0, 0.0, 0.0]),
        ("percentile", [4], [100.0]),  # n = 1
        ("log", [4], [100.0]),
        ("linear", [4], [100.0]),
        ("percentile", [0], [0.0]),  # n = 1 and max e = 0: the max e rule wins
    ],
)
def test_engagement_score_scales(scale, likes, expected):
    ids = range(1, len(likes) + 1)
    result = simple(dict.fromkeys(ids, 50), dict(zip(ids, likes, strict=True)), scale=scale)
    assert [result.get(i).engagement_score for i in ids] == expected


@pytest.mark.parametrize("scale", ranking.SCALES)
def test_engagement_of_unranked_entries_does_not_move_the_maximum(scale):
    reviews = reviews_of(1, 50, 50, 50) + reviews_of(2, 50, 50, 50) + reviews_of(3, 50)
    entries = [entry(1, likes=10), entry(2, likes=40), entry(3, likes=10_000)]
    result = run(entries, reviews, scale=scale)
    assert result.get(2).engagement_score == 100.0
    assert result.get(3).engagement == 10_000 and result.get(3).engagement_score is None


@pytest.mark.parametrize(
    ("alpha", "expected"), [(0.7, 0.7 * 80 + 0.3 * 50), (1, 80.0), (0, 50.0), (0.5, 65.0)]
)
def test_final_score_blends_expert_and_engagement(alpha, expected):
    # P = 50 for the entry with 9 likes next to one with 99 (log scale).
    result = simple({1: 80, 2: 0}, {1: 9, 2: 99}, alpha=alpha)
    assert result.get(1).final_score == round(expected, 2)


# --- order and the tie rule --------------------------------------------------------------------------


def test_higher_final_score_ranks_first():
    result = simple({1: 60, 2: 90, 3: 75})
    assert order(result) == [2, 3, 1]
    assert [result.get(i).tie_rule for i in (2, 3, 1)] == ["F", "F", None]
    assert [result.get(i).rank for i in (2, 3, 1)] == [1, 2, 3]


def test_equal_final_score_is_decided_by_expert_score():
    # α = 0: F = P; both have P = 50 (9 likes next to 99), E decides.
    result = simple({1: 60, 2: 80, 3: 0}, {1: 9, 2: 9, 3: 99}, alpha=0)
    assert order(result) == [3, 2, 1]
    assert result.get(2).final_score == result.get(1).final_score
    assert (result.get(3).tie_rule, result.get(2).tie_rule, result.get(1).tie_rule) == ("F", "E", None)


def test_equal_final_and_expert_scores_are_decided_by_engagement_score():
    # α = 1: F = E; both have E = 70, P decides.
    result = simple({1: 70, 2: 70}, {1: 5, 2: 50}, alpha=1)
    assert order(result) == [2, 1]
    assert result.get(2).tie_rule == "P"


def test_equal_scores_are_decided_by_the_earlier_submission_then_the_lower_id():
    entries = [entry(1, at=T0), entry(2, at=T0 - timedelta(minutes=1)), entry(3, at=T0), entry(4, at=T0)]
    reviews = [r for i in (1, 2, 3, 4) for r in reviews_of(i, 70, 70, 70)]
    result = run(entries, reviews)
    assert order(result) == [2, 1, 3, 4]
    assert [result.get(i).tie_rule for i in (2, 1, 3, 4)] == ["submitted_at", "id", "id", None]


def test_submission_times_compare_as_instants_whatever_the_offset():
    hanoi = timezone(timedelta(hours=7))
    entries = [entry(1, at=T0.astimezone(hanoi)), entry(2, at=T0 - timedelta(seconds=1))]
    result = run(entries, reviews_of(1, 70, 70, 70) + reviews_of(2, 70, 70, 70))
    assert order(result) == [2, 1]


def test_float_noise_never_decides_the_order():
    # 0.7·3 + 0.3·3 and 0.7·0 + 0.3·10 are both 3, but in floats the second is 3.0000000000000004.
    assert 0.7 * 3 + (1 - 0.7) * 3 < 0.7 * 0 + (1 - 0.7) * 10
    result = simple({1: 3, 2: 0, 3: 0}, {1: 3, 2: 10, 3: 100}, scale="linear")
    assert order(result)[-2:] == [1, 2]
    assert result.get(1).final_score == result.get(2).final_score == 3.0
    assert result.get(1).tie_rule == "E"


def test_published_scores_round_half_up_from_the_compared_value():
    # E = (70 + 70 + 70.25 + 70) / 4 = 70.0625 → 70.06; (80.25 + 80) / 2 = 80.125 → 80.13
    result = run(
        [entry(1), entry(2)], reviews_of(1, 70, 70, 70.25, 70) + reviews_of(2, 80.25, 80), min_reviews=2
    )
    assert (result.get(1).expert_score, result.get(2).expert_score) == (70.06, 80.13)


# --- finalists ------------------------------------------------------------------------------------------


def contest(rows, **params) -> ranking.RankingResult:
    """rows: (initiative, category, unit) in the intended rank order (better first)."""
    entries = [entry(i, category=c, unit=u) for i, c, u in rows]
    reviews = [r for k, (i, _, _) in enumerate(rows) for r in reviews_of(i, 100 - k, 100 - k, 100 - k)]
    result = run(entries, reviews, **params)
    assert order(result) == [i for i, _, _ in rows]
    return result


def test_finalists_are_the_best_n_in_rank_order_and_flagged():
    result = contest([(i, 1, i) for i in range(1, 6)], finalists=3)
    assert result.finalists == [1, 2, 3]
    assert [r.finalist for r in result.results] == [True, True, True, False, False]


def test_fewer_ranked_entries_than_places():
    assert contest([(1, 1, 1), (2, 1, 2)], finalists=10).finalists == [1, 2]


@pytest.mark.parametrize(
    ("rows", "params", "expected"),
    [
        # category 2's best entry is 5th; the minimum of 1 pulls it in ahead of the 3rd
        ([(1, 1, 1), (2, 1, 2), (3, 1, 3), (4, 1, 4), (5, 2, 5)], {"category_minimum": {2: 1}}, [1, 2, 5]),
        # the minimum is already met by the best three
        ([(1, 2, 1), (2, 1, 2), (3, 1, 3), (4, 2, 4)], {"category_minimum": {2: 1}}, [1, 2, 3]),
        # category 2 has one entry for two places: the other place goes to the shared pool
        ([(1, 1, 1), (2, 1, 2), (3, 1, 3), (4, 2, 4)], {"category_minimum": {2: 2}}, [1, 2, 4]),
        # a category with no entries at all gives back all its places
        ([(1, 1, 1), (2, 1, 2), (3, 1, 3)], {"category_minimum": {9: 2}}, [1, 2, 3]),
        # two categories' minimums
        ([(1, 1, 1), (2, 1, 2), (3, 2, 3), (4, 3, 4)], {"category_minimum": {2: 1, 3: 1}}, [1, 3, 4]),
        # an entry without a category never fills a minimum
        ([(1, None, 1), (2, None, 2), (3, 2, 3), (4, None, 4)], {"category_minimum": {2: 1}}, [1, 2, 3]),
        # one finalist per unit
        ([(1, 1, 1), (2, 1, 1), (3, 1, 2), (4, 1, 3)], {"unit_maximum": 1}, [1, 3, 4]),
        ([(1, 1, 1), (2, 1, 1), (3, 1, 1), (4, 1, 2)], {"unit_maximum": 2}, [1, 2, 4]),
        # not enough units: fewer finalists than places
        ([(1, 1, 1), (2, 1, 1), (3, 1, 2), (4, 1, 2)], {"unit_maximum": 1}, [1, 3]),
        # minimums come first: category 2's best (2) takes unit 1's only place, so 1 is left out
        (
            [(1, 1, 1), (2, 2, 1), (3, 1, 2), (4, 2, 3)],
            {"unit_maximum": 1, "category_minimum": {2: 1}},
            [2, 3, 4],
        ),
        # the unit maximum holds while filling minimums: 2 cannot join 1 from unit 1, so 3 fills category 3
        (
            [(1, 2, 1), (2, 3, 1), (3, 3, 2), (4, 1, 3)],
            {"unit_maximum": 1, "category_minimum": {2: 1, 3: 1}},
            [1, 3, 4],
        ),
        # taken greedily, 1 would use unit 1's place and category 2 (only in unit 1) could not be filled;
        # the minimums are filled as far as possible instead: 2 for category 2, 3 for category 1, then 4
        (
            [(1, 1, 1), (2, 2, 1), (3, 1, 2), (4, 1, 3)],
            {"unit_maximum": 1, "category_minimum": {1: 1, 2: 1}, "finalists": 3},
            [2, 3, 4],
        ),
        (
            [(1, 1, 1), (2, 2, 1), (3, 1, 2)],
            {"unit_maximum": 1, "category_minimum": {1: 1, 2: 1}, "finalists": 2},
            [2, 3],
        ),
        # the second place of a minimum that the unit maximum makes impossible goes to the pool
        ([(1, 1, 1), (2, 2, 1), (3, 1, 2)], {"unit_maximum": 1, "category_minimum": {2: 2}}, [2, 3]),
    ],
)
def test_category_minimums_and_unit_maximum(rows, params, expected):
    result = contest(rows, **{"finalists": 3, **params})
    assert result.finalists == expected
    assert [r.initiative_id for r in result.results if r.finalist] == expected


def test_category_minimums_cannot_exceed_the_places():
    with pytest.raises(ValueError, match="more places"):
        RankingParams(finalists=2, category_minimum={1: 2, 2: 1})


# --- bad inputs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: run([entry(1), entry(1)], []), "given twice"),
        (lambda: run([entry(1)], [review(1, 1, 50), review(1, 1, 60, submitted=False)]), "two reviews"),
        (lambda: run([entry(1)], [review(2, 1, 50)]), "not an entry"),
        (lambda: run([entry(1)], [], criteria=(Criterion(1, 0, 10),)), "positive weight"),
        (lambda: run([entry(1)], [], criteria=(Criterion(1, 1, 10), Criterion(1, 1, 10))), "given twice"),
        (lambda: entry(1, at=datetime(2026, 3, 1)), "aware datetime"),
        (lambda: entry(1, likes=-1), "likes"),
        (lambda: entry(1, likes=True), "likes"),
        (lambda: Criterion(1, -1, 10), "weight"),
        (lambda: Criterion(1, 1, 0), "max_score"),
        (lambda: Review(1, 1, {1: float("nan")}, True, True, False), "finite"),
        (lambda: RankingParams(expert="median"), "expert"),
        (lambda: RankingParams(scale="sqrt"), "scale"),
        (lambda: RankingParams(alpha=1.5), "alpha"),
        (lambda: RankingParams(min_reviews=0), "min_reviews"),
        (lambda: RankingParams(unit_maximum=0), "unit_maximum"),
        (lambda: RankingParams(w_likes=-1), "w_likes"),
    ],
)
def test_bad_inputs_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# --- snapshots ------------------------------------------------------------------------------------------


def small_run():
    inputs = RankingInput(
        (Criterion(1, 2, 10), Criterion(2, 1, 5)),
        [Review(j, i, {1: 5 + i, 2: j}, True, True, False) for i in (1, 2, 3) for j in (1, 2, 3)],
        [entry(i, likes=10 * i, imported_shares=i) for i in (1, 2, 3, 4)],
    )
    params = RankingParams(alpha=0.65, finalists=2, category_minimum={1: 1}, w_views=0.25)
    return inputs, params, rank(inputs, params)


def test_canonical_json_is_sorted_compact_and_writes_numbers_as_fixed_strings():
    inputs, params, result = small_run()
    text = canonical_json(inputs, params, result)
    assert text == json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    plain = json.loads(text)
    assert plain["engine_version"] == ranking.ENGINE_VERSION == "1"
    assert plain["params"]["alpha"] == "0.65" and plain["params"]["w_views"] == "0.25"
    assert plain["params"]["w_likes"] == "1"
    assert plain["inputs"]["criteria"][0] == {"id": 1, "weight": "2", "max_score": "10"}
    first = plain["result"]["results"][0]
    assert isinstance(first["final_score"], str) and len(first["final_score"].split(".")[1]) == 2
    assert digest(inputs, params, result) == hashlib.sha256(text.encode()).hexdigest()


def test_a_snapshot_round_trips_and_verifies():
    inputs, params, result = small_run()
    snapshot = json.loads(canonical_json(inputs, params, result))
    again_inputs, again_params, again_result = from_plain(snapshot)
    assert again_params == params
    assert again_result == result
    assert digest(again_inputs, again_params, rank(again_inputs, again_params)) == digest(
        inputs, params, result
    )
    assert verify(snapshot)
    assert verify({**snapshot, "digest": digest(inputs, params, result)})


@pytest.mark.parametrize(
    "alter",
    [
        lambda s: s["result"]["results"][0].update(final_score="99.99"),
        lambda s: s["result"]["results"][1].update(finalist=not s["result"]["results"][1]["finalist"]),
        lambda s: s["result"]["results"].reverse(),
        lambda s: s["result"]["finalists"].pop(),
        lambda s: s["inputs"]["entries"][3].update(likes=500),  # inputs changed, result not recomputed
        lambda s: s["params"].update(alpha="0.7"),
        lambda s: s.update(engine_version="0"),
        lambda s: s.update(digest="0" * 64),
        lambda s: s["inputs"].pop("reviews"),
    ],
)
def test_verify_detects_an_altered_snapshot(alter):
    inputs, params, result = small_run()
    snapshot = json.loads(canonical_json(inputs, params, result))
    alter(snapshot)
    assert not verify(snapshot)


def test_plain_numbers_are_exact_and_never_in_exponent_form():
    assert [ranking._plain_number(x) for x in (7, 7.0, 0.1, 1e-7, 2.5e20, 1 / 3)] == [
        "7",
        "7",
        "0.1",
        "0.0000001",
        "250000000000000000000",
        "0.3333333333333333",
    ]
    assert ranking._number_from_plain("0.3333333333333333") == 1 / 3


# --- the worked example in docs/RANKING.md ------------------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "RANKING.md"

EXAMPLE_CRITERIA = (
    Criterion(1, 2, 10),
    Criterion(2, 2, 10),
    Criterion(3, 2, 10),
    Criterion(4, 1, 10),
    Criterion(5, 1, 10),
)
EXAMPLE_SCORES = {  # initiative: {judge: scores for criteria 1–5}
    1: {1: (8, 9, 7, 6, 8), 2: (7, 8, 8, 7, 7), 3: (9, 8, 8, 6, 9)},
    2: {1: (6, 7, 6, 8, 9), 2: (7, 7, 6, 8, 8), 3: (6, 6, 7, 9, 9)},
    3: {1: (9, 9, 8, 7, 7), 2: (8, 9, 9, 6, 7), 3: (9, 8, 9, 7, 6)},
    4: {1: (5, 6, 6, 5, 7), 2: (6, 5, 6, 6, 6), 3: (5, 6, 5, 6, 8)},
    5: {1: (9, 9, 9, 8, 8), 2: (9, 8, 9, 8, 9), 3: (9, 9, 9, 9, 9)},
}
EXAMPLE_CONFLICTS = {(5, 3)}  # (initiative, judge): judge 3 declared a conflict with SK5
EXAMPLE_COUNTS = {  # likes, commenters, views, imported likes, imported comments, imported shares
    1: (420, 35, 5000, 180, 12, 20),
    2: (1250, 96, 12000, 600, 40, 85),
    3: (150, 10, 900, 30, 4, 6),
    4: (900, 60, 8000, 300, 20, 50),
    5: (3000, 200, 20000, 900, 80, 150),
}
EXAMPLE_R = {
    (1, 1): 77.5, (1, 2): 75.0, (1, 3): 81.25,
    (2, 1): 68.75, (2, 2): 70.0, (2, 3): 70.0,
    (3, 1): 82.5, (3, 2): 81.25, (3, 3): 81.25,
    (4, 1): 57.5, (4, 2): 57.5, (4, 3): 57.5,
    (5, 1): 87.5, (5, 2): 86.25,
}  # fmt: skip
# rank, initiative, counted reviews, E, e, P, F, tie rule, finalist, reason
EXAMPLE_RESULTS = [
    (1, 1, 3, 77.92, 734, 85.30, 80.13, "F", True, None),
    (2, 2, 3, 69.58, 2292, 100.00, 78.71, "F", True, None),
    (3, 3, 3, 81.67, 220, 69.77, 78.10, "F", False, None),
    (4, 4, 3, 57.50, 1460, 94.17, 68.50, None, False, None),
    (None, 5, 2, None, 4760, None, None, None, False, "too_few_reviews"),
]


def example_inputs() -> RankingInput:
    reviews = [
        Review(j, i, dict(zip(range(1, 6), scores, strict=True)), True, True, (i, j) in EXAMPLE_CONFLICTS)
        for i, by_judge in EXAMPLE_SCORES.items()
        for j, scores in by_judge.items()
    ]
    entries = [Entry(i, 1, 100 + i, T0 + timedelta(days=i), *counts) for i, counts in EXAMPLE_COUNTS.items()]
    return RankingInput(EXAMPLE_CRITERIA, reviews, entries)


def doc_number(value: float | None, lang: str, places: int = 2) -> str:
    """As the doc writes numbers: 1.234,56 in Vietnamese, 1,234.56 in English; "—" for none."""
    if value is None:
        return "—"
    text = f"{value:,.{places}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "vi" else text


def test_worked_example_in_docs():
    inputs = example_inputs()
    result = rank(inputs, RankingParams(finalists=2))
    criteria = {c.id: c for c in inputs.criteria}
    doc = DOC.read_text(encoding="utf-8")

    counted = {(r.initiative_id, r.judge_id): review_score(r, criteria) for r in inputs.reviews if r.counted}
    assert counted == pytest.approx(EXAMPLE_R)
    got = [
        (r.rank, r.initiative_id, r.reviews, r.expert_score, r.engagement, r.engagement_score)
        + (r.final_score, r.tie_rule, r.finalist, r.reason)
        for r in result.results
    ]
    assert got == EXAMPLE_RESULTS
    assert result.finalists == [1, 2]

    vietnamese, english = doc.split("\n## English\n")
    for lang, text in (("vi", vietnamese), ("en", english)):
        for (i, j), r in EXAMPLE_R.items():
            scores = " | ".join(map(str, EXAMPLE_SCORES[i][j]))
            assert f"| SK{i} | {j} | {scores} | {doc_number(r, lang)} |" in text
        for i, counts in EXAMPLE_COUNTS.items():
            cells = [doc_number(x, lang, 0) for x in (*counts, result.get(i).engagement)]
            assert "| SK" + str(i) + " | " + " | ".join(cells) + " |" in text
        for position, i, n, E, e, P, F, tie, finalist, reason in EXAMPLE_RESULTS:
            cells = [
                "—" if position is None else str(position),
                f"SK{i}",
                str(n),
                doc_number(E, lang),
                doc_number(e, lang, 0),
                doc_number(P, lang),
                doc_number(F, lang),
                tie or "—",
                "✓" if finalist else "—",
                f"`{reason}`" if reason else "—",
            ]
            assert "| " + " | ".join(cells) + " |" in text, (lang, i)
        assert digest(inputs, RankingParams(finalists=2), result) in text


# --- properties -----------------------------------------------------------------------------------------

CRITERIA_2 = (Criterion(1, 2, 10), Criterion(2, 1, 5))


@st.composite
def contests(draw):
    n_entries = draw(st.integers(1, 8))
    entries = [
        Entry(
            initiative_id=i,
            category_id=draw(st.sampled_from([1, 2, 3, None])),
            unit_id=draw(st.integers(1, 4)),
            submitted_at=T0 + timedelta(hours=draw(st.integers(0, 3))),
            likes=draw(st.integers(0, 30)),
            commenters=draw(st.integers(0, 5)),
            views=draw(st.integers(0, 100)),
            imported_likes=draw(st.integers(0, 5)),
            imported_comments=draw(st.integers(0, 3)),
            imported_shares=draw(st.integers(0, 3)),
        )
        for i in range(1, n_entries + 1)
    ]
    reviews = []
    for judge, e in itertools.product(range(1, draw(st.integers(1, 6)) + 1), entries):
        if draw(st.booleans()):
            counted = draw(st.integers(0, 5)) > 0
            flags = (
                (True, True, False)
                if counted
                else draw(st.sampled_from([(False, True, False), (True, False, False), (True, True, True)]))
            )
            scores = {1: draw(st.integers(0, 10)), 2: draw(st.integers(0, 5))}
            reviews.append(Review(judge, e.initiative_id, scores, *flags))
    finalists = draw(st.integers(0, 6))
    minimums, room = {}, finalists
    for category in (1, 2, 3):
        q = min(room, draw(st.integers(0, 2)))
        if q:
            minimums[category] = q
            room -= q
    params = RankingParams(
        expert=draw(st.sampled_from(ranking.EXPERT_METHODS)),
        scale=draw(st.sampled_from(ranking.SCALES)),
        alpha=draw(st.sampled_from([0.7, 0.5, 0.0, 1.0])),
        min_reviews=draw(st.integers(1, 3)),
        trim_from=draw(st.sampled_from([3, 5])),
        calibrate_from=draw(st.sampled_from([2, 5])),
        finalists=finalists,
        category_minimum=minimums,
        unit_maximum=draw(st.sampled_from([None, 1, 2])),
    )
    return RankingInput(CRITERIA_2, reviews, entries), params


@settings(max_examples=200, deadline=None)
@given(contests(), st.randoms(use_true_random=False))
def test_input_order_never_changes_the_output(case, rnd):
    inputs, params = case
    shuffled = [list(x) for x in (inputs.criteria, inputs.reviews, inputs.entries)]
    for items in shuffled:
        rnd.shuffle(items)
    quotas = list(params.category_minimum.items())
    rnd.shuffle(quotas)
    other = RankingInput(*shuffled)
    other_params = replace(params, category_minimum=dict(quotas))
    assert rank(other, other_params) == rank(inputs, params)
    assert digest(other, other_params, rank(other, other_params)) == digest(
        inputs, params, rank(inputs, params)
    )


def best_minimum_fill(ranked, params) -> int:
    """Brute force: the most reserved places any choice of finalists could fill under the unit maximum."""
    best = 0
    for size in range(len(ranked) + 1):
        for chosen in itertools.combinations(ranked, min(size, params.finalists)):
            units = [r.unit_id for r in chosen]
            if params.unit_maximum is not None and any(units.count(u) > params.unit_maximum for u in units):
                continue
            best = max(best, minimum_fill(chosen, params))
    return best


def minimum_fill(chosen, params) -> int:
    return sum(min(q, sum(r.category_id == c for r in chosen)) for c, q in params.category_minimum.items())


@settings(max_examples=200, deadline=None)
@given(contests())
def test_minimums_and_unit_maximum_hold_whenever_they_can(case):
    inputs, params = case
    result = rank(inputs, params)
    ranked = [r for r in result.results if r.ranked]
    finalists = [r for r in ranked if r.finalist]
    assert [r.initiative_id for r in finalists] == result.finalists
    assert len(finalists) <= params.finalists
    units = [r.unit_id for r in finalists]
    if params.unit_maximum is not None:
        assert all(units.count(u) <= params.unit_maximum for u in units)
    # as many reserved places as possible; all of them whenever that is possible at all
    assert minimum_fill(finalists, params) == best_minimum_fill(ranked, params)
    # and the rest filled: as many finalists as places, or as the unit maximum allows
    per_unit = {u: sum(r.unit_id == u for r in ranked) for u in {r.unit_id for r in ranked}}
    cap = params.unit_maximum or len(ranked)
    assert len(finalists) == min(params.finalists, sum(min(cap, n) for n in per_unit.values()))


@settings(max_examples=200, deadline=None)
@given(contests(), st.data())
def test_one_more_like_never_lowers_that_entrys_final_score(case, data):
    inputs, params = case
    target = data.draw(st.sampled_from(inputs.entries))
    liked = [replace(e, likes=e.likes + 1) if e is target else e for e in inputs.entries]
    before = rank(inputs, params).get(target.initiative_id)
    after = rank(replace(inputs, entries=liked), params).get(target.initiative_id)
    assert after.ranked == before.ranked
    if before.ranked:
        assert after.final_score >= before.final_score
        assert after.engagement_score >= before.engagement_score


@settings(max_examples=100, deadline=None)
@given(contests())
def test_the_same_inputs_always_give_the_same_digest_and_verify(case):
    inputs, params = case
    first = digest(inputs, params, rank(inputs, params))
    assert digest(inputs, params, rank(inputs, params)) == first
    snapshot = json.loads(json.dumps(to_plain(inputs, params, rank(inputs, params))))
    again = from_plain(snapshot)
    assert digest(*again) == first
    assert verify({**snapshot, "digest": first})


@settings(max_examples=100, deadline=None)
@given(contests(), st.data())
def test_verify_detects_any_altered_result(case, data):
    inputs, params = case
    snapshot = json.loads(canonical_json(inputs, params, rank(inputs, params)))
    lines = snapshot["result"]["results"]
    line = data.draw(st.sampled_from(lines))
    change = data.draw(st.sampled_from(["finalist", "reviews", "engagement", "rank", "final_score", "order"]))
    if change == "finalist":
        line["finalist"] = not line["finalist"]
    elif change == "reviews":
        line["reviews"] += 1
    elif change == "engagement":
        line["engagement"] = str(float(line["engagement"]) + 1)
    elif change == "rank":
        line["rank"] = (line["rank"] or 0) + 1
    elif change == "final_score":
        line["final_score"] = (
            "100.01" if line["final_score"] is None else f"{float(line['final_score']) + 0.01:.2f}"
        )
    elif len(lines) > 1:
        lines.reverse()
    else:
        snapshot["result"]["finalists"].append(99)
    assert not verify(snapshot)


def test_every_published_value_is_rounded_to_two_places():
    result = simple({1: 100 / 3, 2: 200 / 3, 3: 50}, {1: 1, 2: 2, 3: 7})
    for line in result.results:
        for value in (line.expert_score, line.engagement_score, line.final_score):
            assert value == round(value, 2)
            assert not math.isnan(value)


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(-(10**20), 10**20)))
def test_plain_number_fast_path_gives_the_exact_decimal_text(value):
    from decimal import Decimal

    from app.judging.ranking import _plain_number

    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))
    expected = str(int(exact)) if exact == exact.to_integral_value() else format(exact.normalize(), "f")
    assert _plain_number(value) == expected
