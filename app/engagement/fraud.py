"""Fraud detectors over likes: pure functions, no Flask, no database.

Each detector takes plain facts (frozen dataclasses the caller builds from the database) and
returns findings that carry their evidence: which likes, which accounts, when. A finding is a
reason for an organizer to look, never a decision: quarantining is always a person's act.

- bursts: many likes on one initiative within one hour, far above its own usual rate;
- shared network: many accounts liking from one network address within a day;
- fresh accounts: likes given minutes after the account was registered;
- one-time accounts: initiatives whose likes come largely from accounts that never did anything
  else on the platform.

All times are aware UTC datetimes. Windows are half open: [start, start + length).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

# Bursts: at least BURST_MIN likes in one sliding hour, and at least BURST_FACTOR times the
# initiative's average hourly rate over the BASELINE_HOURS before the window's first clock hour
# (over the hours since its first like if it is younger; at least BASELINE_FLOOR likes an hour, so
# a quiet or new initiative is not judged against zero).
BURST_WINDOW = timedelta(hours=1)
BURST_MIN = 20
BURST_FACTOR = 5
BASELINE_HOURS = 7 * 24
BASELINE_FLOOR = 1.0

# Shared network: at least NETWORK_MIN_ACCOUNTS different accounts liking from one address hash
# within NETWORK_WINDOW.
NETWORK_WINDOW = timedelta(hours=24)
NETWORK_MIN_ACCOUNTS = 5
NETWORK_LABEL_LENGTH = 8  # the shortened hash shown to organizers

# Fresh accounts: a like within FRESH_MINUTES of the account's registration.
FRESH_MINUTES = 10

# One-time accounts: accounts whose only engagement ever is one like; an initiative is flagged
# when they give at least ONE_TIME_MIN_SHARE of its likes and at least ONE_TIME_MIN_LIKES likes.
ONE_TIME_MIN_SHARE = 0.30
ONE_TIME_MIN_LIKES = 10

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class LikeFact:
    """One like as the detectors see it."""

    id: int
    initiative_id: int
    user_id: int
    created_at: datetime
    ip_hash: str = ""  # salted hash of the address the like came from ("" when unknown)
    registered_at: datetime | None = None  # when the liking account was created


def hour_start(moment: datetime) -> datetime:
    """The clock hour (UTC) a moment falls in."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def day_start(moment: datetime) -> datetime:
    """The UTC day a moment falls in."""
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _by_time(likes: Iterable[LikeFact]) -> list[LikeFact]:
    return sorted(likes, key=lambda like: (like.created_at, like.id))


def _runs(starts: Sequence[int], ends: Sequence[int]) -> list[tuple[int, int, list[int]]]:
    """Merge overlapping index ranges [starts[k], ends[k]) (sorted by start) into runs.

    Returns (first index, end index, the k of the ranges merged) for each run.
    """
    runs: list[tuple[int, int, list[int]]] = []
    for k, (lo, hi) in enumerate(zip(starts, ends, strict=True)):
        if runs and lo < runs[-1][1]:
            first, end, members = runs[-1]
            runs[-1] = (first, max(end, hi), [*members, k])
        else:
            runs.append((lo, hi, [k]))
    return runs


# --- bursts -----------------------------------------------------------------------------------


HourlyCounts = Mapping[int, Mapping[datetime, int]]  # initiative id -> clock hour -> likes


@dataclass(frozen=True)
class Burst:
    """Likes on one initiative packed into sliding hours far above its usual rate."""

    initiative_id: int
    start: datetime  # the first like of the burst
    end: datetime  # the last like of the burst
    count: int  # likes in the burst (overlapping hours merged)
    peak: int  # the most likes within one hour
    baseline_per_hour: float  # the initiative's usual rate before the burst began
    like_ids: tuple[int, ...]
    user_ids: tuple[int, ...]  # distinct, in the order they liked


def hourly_counts(likes: Iterable[LikeFact]) -> dict[int, dict[datetime, int]]:
    """Likes per initiative and clock hour (what the database computes with GROUP BY)."""
    counts: dict[int, dict[datetime, int]] = defaultdict(lambda: defaultdict(int))
    for like in likes:
        counts[like.initiative_id][hour_start(like.created_at)] += 1
    return {k: dict(v) for k, v in counts.items()}


class _Baseline:
    """An initiative's average likes per hour over the BASELINE_HOURS whole clock hours before a
    given hour, or over the hours since its first like when it is younger than that (so a new
    initiative is judged by its own short history, not by a week it did not have)."""

    def __init__(self, hours: Mapping[datetime, int]):
        self.hours = sorted(hours)
        self.first = self.hours[0] if self.hours else None
        self.prefix = [0]
        for h in self.hours:
            self.prefix.append(self.prefix[-1] + hours[h])

    def per_hour(self, hour: datetime) -> float:
        if self.first is None or hour <= self.first:
            return BASELINE_FLOOR  # no history
        since = max(hour - timedelta(hours=BASELINE_HOURS), self.first)
        lo = bisect.bisect_left(self.hours, since)
        hi = bisect.bisect_left(self.hours, hour)
        span = (hour - since) / HOUR
        return max(BASELINE_FLOOR, (self.prefix[hi] - self.prefix[lo]) / span)


def burst_threshold(baseline_per_hour: float) -> int:
    """How many likes within an hour make a burst for an initiative with this usual rate."""
    # Rounded first so that 5 × 4.2 asks for 21 likes, not 22.
    return max(BURST_MIN, math.ceil(round(BURST_FACTOR * baseline_per_hour, 6)))


def burst_candidate_hours(hourly: HourlyCounts) -> dict[int, list[tuple[datetime, datetime]]]:
    """The time ranges whose likes must be looked at one by one to find every burst.

    A sliding hour that starts in clock hour H holds only likes of H and H + 1, and its threshold
    depends only on H; so unless count(H) + count(H + 1) reaches the threshold, no burst starts in
    H. Returns, per initiative, the merged ranges [H, H + 2 h) of the hours that pass.
    """
    ranges: dict[int, list[tuple[datetime, datetime]]] = {}
    for initiative_id, hours in hourly.items():
        baseline = _Baseline(hours)
        passing = sorted(
            h for h, n in hours.items() if n + hours.get(h + HOUR, 0) >= burst_threshold(baseline.per_hour(h))
        )
        merged: list[tuple[datetime, datetime]] = []
        for h in passing:
            if merged and h <= merged[-1][1]:
                merged[-1] = (merged[-1][0], h + 2 * HOUR)
            else:
                merged.append((h, h + 2 * HOUR))
        if merged:
            ranges[initiative_id] = merged
    return ranges


def find_bursts(likes: Iterable[LikeFact], hourly: HourlyCounts | None = None) -> list[Burst]:
    """Every burst among the likes, overlapping burst hours merged into one finding.

    `hourly` gives each initiative's likes per clock hour for the baseline (the week before the
    likes given, and their own hours); without it, it is computed from the likes themselves.
    The likes given must include every like of any hour that may hold a burst (see
    burst_candidate_hours); likes missing elsewhere only ever make a count smaller.
    """
    likes = list(likes)
    hourly = hourly_counts(likes) if hourly is None else hourly
    per_initiative: dict[int, list[LikeFact]] = defaultdict(list)
    for like in likes:
        per_initiative[like.initiative_id].append(like)
    found: list[Burst] = []
    for initiative_id, group in per_initiative.items():
        ordered = _by_time(group)
        times = [like.created_at for like in ordered]
        baseline = _Baseline(hourly.get(initiative_id, {}))
        starts, ends, rates = [], [], []
        for i, t in enumerate(times):
            j = bisect.bisect_left(times, t + BURST_WINDOW, lo=i)
            rate = baseline.per_hour(hour_start(t))
            if j - i >= burst_threshold(rate):
                starts.append(i)
                ends.append(j)
                rates.append(rate)
        for first, end, members in _runs(starts, ends):
            chosen = ordered[first:end]
            found.append(
                Burst(
                    initiative_id=initiative_id,
                    start=chosen[0].created_at,
                    end=chosen[-1].created_at,
                    count=len(chosen),
                    peak=max(ends[k] - starts[k] for k in members),
                    baseline_per_hour=rates[members[0]],
                    like_ids=tuple(like.id for like in chosen),
                    user_ids=tuple(dict.fromkeys(like.user_id for like in chosen)),
                )
            )
    # The newest first: what is happening now matters most to the people reviewing.
    return sorted(found, key=lambda b: (-b.start.timestamp(), b.initiative_id))


# --- shared network ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SharedNetwork:
    """Several accounts liking from one network address within a day."""

    network: str  # the address hash, shortened for display
    start: datetime
    end: datetime
    user_ids: tuple[int, ...]  # distinct, in the order they first liked
    like_ids: tuple[int, ...]
    initiative_ids: tuple[int, ...]  # distinct, most liked first

    @property
    def accounts(self) -> int:
        return len(self.user_ids)


def network_label(ip_hash: str) -> str:
    return ip_hash[:NETWORK_LABEL_LENGTH]


def network_candidate_days(
    daily_accounts: Mapping[str, Mapping[datetime, int]],
) -> dict[str, list[tuple[datetime, datetime]]]:
    """Per address hash, the ranges whose likes must be looked at one by one.

    `daily_accounts` holds distinct liking accounts per address hash and UTC day. A 24-hour window
    starting on day D holds accounts of D and D + 1 only, so unless their sum reaches the minimum
    no window starting on D can. Returns merged ranges [D, D + 2 days).
    """
    ranges: dict[str, list[tuple[datetime, datetime]]] = {}
    for ip_hash, days in daily_accounts.items():
        if not ip_hash:
            continue
        merged: list[tuple[datetime, datetime]] = []
        for d in sorted(days):
            if days[d] + days.get(d + DAY, 0) < NETWORK_MIN_ACCOUNTS:
                continue
            if merged and d <= merged[-1][1]:
                merged[-1] = (merged[-1][0], d + 2 * DAY)
            else:
                merged.append((d, d + 2 * DAY))
        if merged:
            ranges[ip_hash] = merged
    return ranges


def find_shared_networks(likes: Iterable[LikeFact]) -> list[SharedNetwork]:
    """Address hashes from which at least NETWORK_MIN_ACCOUNTS accounts liked within 24 hours.

    Overlapping windows of one address are merged into one finding. Likes with no known address
    are ignored.
    """
    per_network: dict[str, list[LikeFact]] = defaultdict(list)
    for like in likes:
        if like.ip_hash:
            per_network[like.ip_hash].append(like)
    found: list[SharedNetwork] = []
    for ip_hash, group in per_network.items():
        ordered = _by_time(group)
        times = [like.created_at for like in ordered]
        accounts: Counter[int] = Counter()
        starts, ends = [], []
        j = 0
        for i, t in enumerate(times):
            while j < len(ordered) and times[j] < t + NETWORK_WINDOW:
                accounts[ordered[j].user_id] += 1
                j += 1
            if len(accounts) >= NETWORK_MIN_ACCOUNTS:
                starts.append(i)
                ends.append(j)
            accounts[ordered[i].user_id] -= 1
            if not accounts[ordered[i].user_id]:
                del accounts[ordered[i].user_id]
        for first, end, _members in _runs(starts, ends):
            chosen = ordered[first:end]
            per_initiative = Counter(like.initiative_id for like in chosen)
            found.append(
                SharedNetwork(
                    network=network_label(ip_hash),
                    start=chosen[0].created_at,
                    end=chosen[-1].created_at,
                    user_ids=tuple(dict.fromkeys(like.user_id for like in chosen)),
                    like_ids=tuple(like.id for like in chosen),
                    initiative_ids=tuple(
                        i for i, _n in sorted(per_initiative.items(), key=lambda kv: (-kv[1], kv[0]))
                    ),
                )
            )
    return sorted(found, key=lambda n: (-n.accounts, n.start, n.network))


# --- fresh accounts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FreshLike:
    """A like given minutes after the account was registered."""

    like_id: int
    initiative_id: int
    user_id: int
    registered_at: datetime
    liked_at: datetime

    @property
    def minutes_after(self) -> float:
        return (self.liked_at - self.registered_at).total_seconds() / 60


@dataclass(frozen=True)
class FreshCluster:
    """The fresh-account likes of one initiative."""

    initiative_id: int
    likes: tuple[FreshLike, ...]

    @property
    def like_ids(self) -> tuple[int, ...]:
        return tuple(f.like_id for f in self.likes)

    @property
    def user_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(f.user_id for f in self.likes))


def is_fresh(registered_at: datetime | None, liked_at: datetime, minutes: int = FRESH_MINUTES) -> bool:
    """Liked within `minutes` of registering (a like before registration is bad data, not fresh)."""
    if registered_at is None:
        return False
    return timedelta(0) <= liked_at - registered_at <= timedelta(minutes=minutes)


def find_fresh_likes(likes: Iterable[LikeFact]) -> list[FreshLike]:
    """Likes given within FRESH_MINUTES of the account's registration, oldest first."""
    found = [
        FreshLike(like.id, like.initiative_id, like.user_id, like.registered_at, like.created_at)
        for like in likes
        if is_fresh(like.registered_at, like.created_at)
    ]
    return sorted(found, key=lambda f: (f.liked_at, f.like_id))


def group_fresh_likes(fresh: Iterable[FreshLike]) -> list[FreshCluster]:
    """Fresh-account likes per initiative, the initiative with most of them first."""
    per_initiative: dict[int, list[FreshLike]] = defaultdict(list)
    for f in fresh:
        per_initiative[f.initiative_id].append(f)
    clusters = [
        FreshCluster(i, tuple(sorted(fs, key=lambda f: (f.liked_at, f.like_id))))
        for i, fs in per_initiative.items()
    ]
    return sorted(clusters, key=lambda c: (-len(c.likes), c.initiative_id))


# --- one-time accounts ------------------------------------------------------------------------


@dataclass(frozen=True)
class OneTimeTally:
    """An initiative's likes, and how many of them come from one-time accounts."""

    initiative_id: int
    likes: int
    one_time: int


@dataclass(frozen=True)
class OneTimeCluster:
    """An initiative whose likes come largely from accounts that did nothing else."""

    initiative_id: int
    likes: int
    one_time: int
    like_ids: tuple[int, ...] = field(default=())  # filled by the caller for the evidence
    user_ids: tuple[int, ...] = field(default=())

    @property
    def share(self) -> float:
        return self.one_time / self.likes if self.likes else 0.0


def one_time_accounts(likes: Iterable[LikeFact], engaged: Iterable[int]) -> set[int]:
    """Accounts with exactly one like ever and no other engagement.

    `likes` must be every like of the accounts considered (any initiative, any contest); `engaged`
    are the accounts that commented or reported.
    """
    per_user = Counter(like.user_id for like in likes)
    others = set(engaged)
    return {user_id for user_id, n in per_user.items() if n == 1 and user_id not in others}


def one_time_tallies(likes: Iterable[LikeFact], one_time: set[int]) -> list[OneTimeTally]:
    """Per initiative: all its likes and those by the given one-time accounts."""
    total: Counter[int] = Counter()
    by_one_time: Counter[int] = Counter()
    for like in likes:
        total[like.initiative_id] += 1
        if like.user_id in one_time:
            by_one_time[like.initiative_id] += 1
    return [OneTimeTally(i, total[i], by_one_time[i]) for i in sorted(total)]


def find_one_time_clusters(tallies: Iterable[OneTimeTally]) -> list[OneTimeCluster]:
    """Initiatives where one-time accounts give ≥ 30 % of the likes and at least 10 likes."""
    found = [
        OneTimeCluster(t.initiative_id, t.likes, t.one_time)
        for t in tallies
        if t.likes > 0 and t.one_time >= ONE_TIME_MIN_LIKES and t.one_time >= ONE_TIME_MIN_SHARE * t.likes
    ]
    return sorted(found, key=lambda c: (-c.share, -c.one_time, c.initiative_id))


__all__ = [
    "BASELINE_FLOOR",
    "BASELINE_HOURS",
    "BURST_FACTOR",
    "BURST_MIN",
    "BURST_WINDOW",
    "FRESH_MINUTES",
    "NETWORK_MIN_ACCOUNTS",
    "NETWORK_WINDOW",
    "ONE_TIME_MIN_LIKES",
    "ONE_TIME_MIN_SHARE",
    "Burst",
    "FreshCluster",
    "FreshLike",
    "LikeFact",
    "OneTimeCluster",
    "OneTimeTally",
    "SharedNetwork",
    "burst_candidate_hours",
    "burst_threshold",
    "day_start",
    "find_bursts",
    "find_fresh_likes",
    "find_one_time_clusters",
    "find_shared_networks",
    "group_fresh_likes",
    "hour_start",
    "hourly_counts",
    "is_fresh",
    "network_candidate_days",
    "network_label",
    "one_time_accounts",
    "one_time_tallies",
]
