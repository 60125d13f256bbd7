"""The fraud detectors (pure): bursts, shared networks, fresh accounts, one-time accounts."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engagement import fraud
from app.engagement.fraud import LikeFact

T0 = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
_ids = itertools.count(1)


def like(initiative=1, user=None, at=T0, ip="", registered=None) -> LikeFact:
    n = next(_ids)
    return LikeFact(n, initiative, user if user is not None else 10_000 + n, at, ip, registered)


def spread(n: int, start: datetime, over: timedelta, **kw) -> list[LikeFact]:
    """n likes evenly from start to start + over (both ends included)."""
    step = over / max(n - 1, 1)
    return [like(at=start + k * step, **kw) for k in range(n)]


def history(initiative: int, per_hour: int, hours: int, end: datetime) -> list[LikeFact]:
    """per_hour likes in each of the `hours` clock hours before `end`."""
    return [
        like(initiative, at=end - timedelta(hours=h) + timedelta(minutes=m * 60 / per_hour))
        for h in range(1, hours + 1)
        for m in range(per_hour)
    ]


# --- bursts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "over", "expected"),
    [
        (20, timedelta(minutes=59), 1),  # 20 in an hour: the minimum
        (19, timedelta(minutes=30), 0),  # below the minimum
        (20, timedelta(minutes=61), 0),  # first and last more than an hour apart: 19 per hour at most
        (60, timedelta(minutes=30), 1),  # one finding, not 41 overlapping ones
    ],
)
def test_burst_needs_the_minimum_within_one_sliding_hour(n, over, expected):
    found = fraud.find_bursts(spread(n, T0 + timedelta(minutes=35), over))
    assert len(found) == expected


def test_burst_is_found_across_a_clock_hour_boundary():
    likes = spread(12, T0 + timedelta(minutes=45), timedelta(minutes=14)) + spread(
        12, T0 + timedelta(minutes=61), timedelta(minutes=10)
    )
    [burst] = fraud.find_bursts(likes)
    assert burst.count == 24
    assert burst.start == T0 + timedelta(minutes=45)
    assert abs(burst.end - (T0 + timedelta(minutes=71))) < timedelta(seconds=1)


def test_burst_evidence_lists_likes_accounts_and_rate():
    likes = spread(30, T0, timedelta(minutes=20))
    [burst] = fraud.find_bursts(likes)
    assert burst.initiative_id == 1
    assert burst.count == burst.peak == 30
    assert burst.like_ids == tuple(x.id for x in likes)
    assert burst.user_ids == tuple(x.user_id for x in likes)
    assert burst.baseline_per_hour == fraud.BASELINE_FLOOR  # no history: the floor


def test_burst_is_judged_against_the_initiatives_own_usual_rate():
    burst_start = T0 + timedelta(days=8)
    usual = history(1, per_hour=10, hours=fraud.BASELINE_HOURS, end=fraud.hour_start(burst_start))
    # 10 an hour all week: a burst needs 5 × 10 = 50 within an hour.
    calm = spread(40, burst_start, timedelta(minutes=50))
    assert fraud.find_bursts(usual + calm) == []
    busy = spread(55, burst_start, timedelta(minutes=50))
    [burst] = fraud.find_bursts(usual + busy)
    assert burst.baseline_per_hour == pytest.approx(10, abs=0.1)
    assert {x.id for x in busy} <= set(burst.like_ids)  # (with the week's last like or so)
    assert burst.count < len(busy) + 3


def test_burst_baseline_looks_at_the_previous_seven_days_only():
    burst_start = T0 + timedelta(days=20)
    old = history(1, per_hour=10, hours=48, end=burst_start - timedelta(days=8))
    likes = spread(25, burst_start, timedelta(minutes=30))
    [burst] = fraud.find_bursts(old + likes)
    assert burst.baseline_per_hour == fraud.BASELINE_FLOOR
    assert burst.count == 25


def test_bursts_on_different_initiatives_and_days_are_separate_findings():
    a = spread(25, T0, timedelta(minutes=30), initiative=1)
    b = spread(30, T0, timedelta(minutes=30), initiative=2)
    c = spread(21, T0 + timedelta(days=2), timedelta(minutes=10), initiative=1)
    found = fraud.find_bursts(a + b + c)
    assert [(f.initiative_id, f.count) for f in found] == [(1, 21), (1, 25), (2, 30)]  # newest first


def test_an_initiative_liked_steadily_from_its_start_is_flagged_at_most_in_its_first_hour():
    """Its first hour has no history (the floor); after that its own short history is the baseline."""
    steady = spread(25 * 48, T0, timedelta(hours=48))
    [burst] = fraud.find_bursts(steady)
    assert burst.start == T0
    assert burst.end < T0 + 2 * fraud.HOUR
    quiet_start = spread(4 * 48, T0, timedelta(hours=48))
    assert fraud.find_bursts(quiet_start) == []


@pytest.mark.parametrize(("rate", "needed"), [(0.2, 20), (1.0, 20), (4.0, 20), (4.2, 21), (10.0, 50)])
def test_burst_threshold(rate, needed):
    assert fraud.burst_threshold(rate) == needed


minutes = st.integers(min_value=0, max_value=60 * 24 * 10)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 3), minutes), max_size=300),
    st.lists(st.tuples(st.integers(1, 3), st.integers(0, 60 * 24 * 9), st.integers(15, 40)), max_size=4),
)
def test_loading_only_candidate_hours_finds_the_same_bursts(scattered, planted):
    """What the database narrows down (hour counts, then candidate hours) loses no burst."""
    likes = [LikeFact(k, i, k, T0 + timedelta(minutes=m)) for k, (i, m) in enumerate(scattered)]
    for i, start, n in planted:
        likes += [
            LikeFact(len(likes) + k, i, len(likes) + k, T0 + timedelta(minutes=start, seconds=k * 70))
            for k in range(n)
        ]
    hourly = fraud.hourly_counts(likes)
    ranges = fraud.burst_candidate_hours(hourly)
    narrowed = [x for x in likes if any(a <= x.created_at < b for a, b in ranges.get(x.initiative_id, []))]
    assert fraud.find_bursts(narrowed, hourly) == fraud.find_bursts(likes, hourly)


# --- shared network ---------------------------------------------------------------------------


def test_five_accounts_from_one_network_within_a_day_are_found():
    likes = [
        like(initiative=k % 2 + 1, user=k, at=T0 + timedelta(hours=5 * k), ip="a" * 32) for k in range(5)
    ]
    [net] = fraud.find_shared_networks(likes)
    assert net.network == "a" * fraud.NETWORK_LABEL_LENGTH
    assert net.accounts == 5
    assert net.user_ids == (0, 1, 2, 3, 4)
    assert set(net.like_ids) == {x.id for x in likes}
    assert net.initiative_ids == (1, 2)  # the most liked first
    assert net.start == T0 and net.end == T0 + timedelta(hours=20)


@pytest.mark.parametrize(
    "likes",
    [
        # four accounts only, however many likes
        [like(user=k % 4, initiative=k, at=T0 + timedelta(minutes=k), ip="b" * 32) for k in range(12)],
        # five accounts, but never five within 24 hours
        [like(user=k, at=T0 + timedelta(hours=6.5 * k), ip="c" * 32) for k in range(5)],
        # five accounts within minutes, but from five networks
        [like(user=k, at=T0 + timedelta(minutes=k), ip=str(k) * 32) for k in range(5)],
        # unknown address
        [like(user=k, at=T0 + timedelta(minutes=k), ip="") for k in range(8)],
    ],
)
def test_shared_network_not_found(likes):
    assert fraud.find_shared_networks(likes) == []


def test_shared_network_windows_that_overlap_make_one_finding():
    likes = [like(user=k, at=T0 + timedelta(hours=4 * k), ip="d" * 32) for k in range(12)]
    [net] = fraud.find_shared_networks(likes)
    assert net.accounts == 12


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("xyz"), st.integers(0, 12), minutes), max_size=200))
def test_loading_only_candidate_days_finds_the_same_networks(events):
    likes = [LikeFact(k, 1, u, T0 + timedelta(minutes=m), ip * 32) for k, (ip, u, m) in enumerate(events)]
    daily: dict[str, dict[datetime, set[int]]] = {}
    for x in likes:
        daily.setdefault(x.ip_hash, {}).setdefault(fraud.day_start(x.created_at), set()).add(x.user_id)
    ranges = fraud.network_candidate_days(
        {ip: {d: len(u) for d, u in days.items()} for ip, days in daily.items()}
    )
    narrowed = [x for x in likes if any(a <= x.created_at < b for a, b in ranges.get(x.ip_hash, []))]
    assert fraud.find_shared_networks(narrowed) == fraud.find_shared_networks(likes)


# --- fresh accounts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "fresh"),
    [
        (timedelta(seconds=30), True),
        (timedelta(minutes=10), True),
        (timedelta(minutes=10, seconds=1), False),
        (timedelta(hours=3), False),
        (timedelta(minutes=-1), False),  # a like before the account existed is bad data, not this rule
    ],
)
def test_fresh_account_like(after, fresh):
    assert fraud.is_fresh(T0, T0 + after) is fresh


def test_fresh_likes_are_grouped_per_initiative_most_first():
    likes = [
        like(initiative=1, at=T0 + timedelta(minutes=5), registered=T0),
        like(initiative=2, at=T0 + timedelta(minutes=2), registered=T0),
        like(initiative=2, at=T0 + timedelta(minutes=3), registered=T0),
        like(initiative=2, at=T0 + timedelta(hours=1), registered=T0),  # not fresh
        like(initiative=3, at=T0),  # registration unknown
    ]
    fresh = fraud.find_fresh_likes(likes)
    assert [f.like_id for f in fresh] == [likes[1].id, likes[2].id, likes[0].id]
    assert fresh[0].minutes_after == pytest.approx(2)
    clusters = fraud.group_fresh_likes(fresh)
    assert [(c.initiative_id, len(c.likes)) for c in clusters] == [(2, 2), (1, 1)]
    assert clusters[0].like_ids == (likes[1].id, likes[2].id)


# --- one-time accounts ------------------------------------------------------------------------


def test_one_time_accounts_have_one_like_and_nothing_else():
    likes = [like(initiative=1, user=1), like(initiative=1, user=2), like(initiative=2, user=2), like(user=3)]
    assert fraud.one_time_accounts(likes, engaged=[3]) == {1}


@pytest.mark.parametrize(
    ("likes", "one_time", "flagged"),
    [
        (33, 10, True),  # 30.3 %
        (34, 10, False),  # 29.4 %
        (9, 9, False),  # every like, but fewer than 10
        (100, 30, True),  # exactly 30 %
        (0, 0, False),
    ],
)
def test_one_time_share_thresholds(likes, one_time, flagged):
    found = fraud.find_one_time_clusters([fraud.OneTimeTally(7, likes, one_time)])
    assert bool(found) is flagged
    if flagged:
        assert found[0].share == pytest.approx(one_time / likes)


def test_one_time_tallies_from_likes():
    regulars = [like(initiative=1, user=u) for u in range(100, 110) for _ in (0,)]
    regulars += [like(initiative=2, user=u) for u in range(100, 110)]  # regulars like twice
    drive_by = [like(initiative=1, user=u) for u in range(200, 212)]
    all_likes = regulars + drive_by
    one_time = fraud.one_time_accounts(all_likes, engaged=[])
    assert one_time == set(range(200, 212))
    tallies = fraud.one_time_tallies(all_likes, one_time)
    assert tallies == [fraud.OneTimeTally(1, 22, 12), fraud.OneTimeTally(2, 10, 0)]
    [cluster] = fraud.find_one_time_clusters(tallies)
    assert (cluster.initiative_id, cluster.one_time, cluster.likes) == (1, 12, 22)


# --- the demo's planted burst -----------------------------------------------------------------


def test_the_demo_burst_is_found_by_three_detectors():
    """About 60 likes in 30 minutes, by accounts registered in the hour before, 40 from one network."""
    start = T0 + timedelta(days=3)
    ordinary = history(1, per_hour=1, hours=72, end=fraud.hour_start(start))
    planted = [
        like(
            initiative=1,
            user=500 + k,
            at=start + timedelta(seconds=30 * k),
            ip="e" * 32 if k < 40 else f"{k:032d}",
            registered=start + timedelta(seconds=30 * k) - timedelta(minutes=(k % 50) + 2),
        )
        for k in range(60)
    ]
    [burst] = fraud.find_bursts(ordinary + planted)
    assert burst.count == 60
    [net] = fraud.find_shared_networks(planted)
    assert net.accounts == 40
    fresh = fraud.find_fresh_likes(planted)
    assert len(fresh) == sum(1 for k in range(60) if (k % 50) + 2 <= fraud.FRESH_MINUTES)
