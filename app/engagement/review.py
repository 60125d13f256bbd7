"""The organizers' review of engagement: the inputs of the fraud detectors, the moderation queue
and the list of quarantine decisions. Queries only; changes go through app/engagement/service.py.

The fraud review must stay quick on a database with a million likes, so the database narrows
first and Python looks at the few likes that matter:

- bursts: likes counted per initiative and clock hour (GROUP BY); only hours where an hour and
  the next reach the threshold have their likes loaded one by one (fraud.burst_candidate_hours);
- shared network: distinct accounts per address hash and day from the like events (GROUP BY …
  HAVING); only the address-days that can reach the minimum have their likes loaded;
- fresh accounts: the join with the accounts does the time comparison in SQL;
- one-time accounts: counts per initiative in SQL; like ids only for the initiatives flagged.

Only likes that count (not quarantined) of the current contest, within LOOK_BACK, are examined.
Each section lists at most FINDINGS_MAX findings and EVIDENCE_MAX likes per finding. On a
synthetic million likes (1,000 initiatives, 100,000 accounts, 20,000 addresses shared by five
accounts each) computing the review took about 6 s on PostgreSQL and 10 s on SQLite on a busy
2-core machine, so it is cached for REVIEW_TTL seconds, keyed by the quarantine decisions.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Interval, and_, bindparam, func, literal_column, or_, select
from sqlalchemy.orm import joinedload

from app import clock
from app.engagement import fraud
from app.extensions import cache
from models import (
    AuditEntry,
    Comment,
    CommentReport,
    CommentStatus,
    Contest,
    EngagementEvent,
    EventKind,
    Initiative,
    Like,
    Quarantine,
    User,
    db,
)

LOOK_BACK = timedelta(days=30)
FINDINGS_MAX = 50  # findings listed per section (the rest are counted)
EVIDENCE_MAX = 500  # likes listed under one finding
FRESH_ROWS_MAX = 2000  # fresh-account likes examined (the newest)
NETWORK_SCAN_MAX = 500  # addresses whose daily accounts are counted (the busiest single days first)
NETWORK_LOAD_MAX = 200  # addresses whose likes are loaded (the strongest candidates first)
REVIEW_TTL = 300  # seconds a computed review is reused (a quarantine decision makes a new one)
QUEUE_MAX = 200
CHUNK = 500  # ids per IN (…) list
STREAM = 2000  # rows fetched at a time from large results


# --- small helpers ----------------------------------------------------------------------------


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _bucket(column, unit: str):
    """The UTC clock hour or day of a timestamp column, computed by the database."""
    if _dialect() == "postgresql":
        # Literals, not parameters: PostgreSQL must see the same expression in GROUP BY.
        return func.date_trunc(literal_column(f"'{unit}'"), func.timezone(literal_column("'UTC'"), column))
    # SQLite keeps UTC timestamps as text "YYYY-MM-DD HH:MM:SS.ffffff".
    return func.substr(column, 1, 13 if unit == "hour" else 10)


def _bucket_value(value) -> datetime:
    if isinstance(value, str):
        fmt = "%Y-%m-%d %H" if len(value) == 13 else "%Y-%m-%d"
        return datetime.strptime(value, fmt).replace(tzinfo=UTC)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = sorted(set(ids))
    for k in range(0, len(ids), CHUNK):
        yield ids[k : k + CHUNK]


def _contest_likes(contest: Contest):
    """Likes that count, of the contest's initiatives."""
    return (
        select(Like.id, Like.initiative_id, Like.user_id, Like.created_at)
        .join(Initiative, Initiative.id == Like.initiative_id)
        .where(Initiative.contest_id == contest.id, Like.quarantine_id.is_(None))
    )


# --- detector inputs --------------------------------------------------------------------------


def _busy_initiatives(contest: Contest, since: datetime) -> list[int]:
    """Initiatives with an hour of at least BURST_MIN / 2 likes: only they can hold a burst.

    Quarantined likes are counted too, so the query reads only the (initiative, time) index; a
    count too high only makes the narrowing less narrow.
    """
    hour = _bucket(Like.created_at, "hour")
    stmt = (
        select(Like.initiative_id)
        .where(
            Like.initiative_id.in_(select(Initiative.id).where(Initiative.contest_id == contest.id)),
            Like.created_at >= since,
        )
        .group_by(Like.initiative_id, hour)
        .having(func.count() >= math.ceil(fraud.BURST_MIN / 2))
    )
    return sorted(set(db.session.scalars(stmt)))


def _hourly(initiative_ids: Sequence[int], since: datetime) -> dict[int, dict[datetime, int]]:
    """Counted likes per initiative and clock hour."""
    hour = _bucket(Like.created_at, "hour")
    counts: dict[int, dict[datetime, int]] = defaultdict(dict)
    for chunk in _chunks(initiative_ids):
        stmt = (
            select(Like.initiative_id, hour.label("hour"), func.count().label("n"))
            .where(Like.initiative_id.in_(chunk), Like.quarantine_id.is_(None), Like.created_at >= since)
            .group_by(Like.initiative_id, hour)
        )
        for initiative_id, bucket, n in db.session.execute(stmt):
            counts[initiative_id][_bucket_value(bucket)] = n
    return dict(counts)


def burst_inputs(contest: Contest, since: datetime) -> tuple[list[fraud.LikeFact], fraud.HourlyCounts]:
    """The likes of the hours that may hold a burst, and hourly counts for the baselines."""
    busy = _busy_initiatives(contest, since)
    if not busy:
        return [], {}
    hourly = _hourly(busy, since - timedelta(hours=fraud.BASELINE_HOURS + 1))
    likes: list[fraud.LikeFact] = []
    for initiative_id, spans in fraud.burst_candidate_hours(hourly).items():
        spans = [(max(start, since), end) for start, end in spans if end > since]
        if not spans:
            continue
        stmt = (
            select(Like.id, Like.initiative_id, Like.user_id, Like.created_at)
            .where(
                Like.initiative_id == initiative_id,
                Like.quarantine_id.is_(None),
                or_(*(and_(Like.created_at >= a, Like.created_at < b) for a, b in spans)),
            )
            .execution_options(yield_per=STREAM)
        )
        likes.extend(fraud.LikeFact(*row) for row in db.session.execute(stmt))
    return likes, hourly


def _daily_accounts(
    contest: Contest, since: datetime, ip_hashes: Sequence[str] | None = None, at_least: int = 1
) -> dict[str, dict[datetime, int]]:
    """Distinct liking accounts per address hash and UTC day (of the given addresses, or all)."""
    day = _bucket(EngagementEvent.created_at, "day")
    accounts = func.count(EngagementEvent.user_id.distinct())
    stmt = (
        select(EngagementEvent.ip_hash, day.label("day"), accounts.label("n"))
        .join(Initiative, Initiative.id == EngagementEvent.initiative_id)
        .where(
            Initiative.contest_id == contest.id,
            EngagementEvent.kind == EventKind.LIKE,
            EngagementEvent.created_at >= since,
            EngagementEvent.ip_hash != "",
        )
        .group_by(EngagementEvent.ip_hash, day)
    )
    if at_least > 1:
        stmt = stmt.having(accounts >= at_least)
    counts: dict[str, dict[datetime, int]] = defaultdict(dict)
    batches = (
        [None] if ip_hashes is None else [ip_hashes[k : k + CHUNK] for k in range(0, len(ip_hashes), CHUNK)]
    )
    for batch in batches:
        query = stmt if batch is None else stmt.where(EngagementEvent.ip_hash.in_(batch))
        for ip_hash, bucket, n in db.session.execute(query):
            counts[ip_hash][_bucket_value(bucket)] = n
    return dict(counts)


def network_inputs(contest: Contest, since: datetime) -> tuple[list[fraud.LikeFact], int]:
    """The likes (with their address hash) of the address-days that may reach the minimum, and how
    many candidate addresses were left unexamined (at most NETWORK_LOAD_MAX are, the strongest)."""
    # Five accounts in a 24-hour window are spread over two days: one of them has at least three.
    busy = _daily_accounts(contest, since, at_least=math.ceil(fraud.NETWORK_MIN_ACCOUNTS / 2))
    if not busy:
        return [], 0
    scanned = sorted(busy, key=lambda ip: (-max(busy[ip].values()), ip))[:NETWORK_SCAN_MAX]
    daily = _daily_accounts(contest, since, scanned)
    ranges = fraud.network_candidate_days(daily)

    def strength(ip: str) -> int:
        days = daily[ip]
        return max(n + days.get(d + fraud.DAY, 0) for d, n in days.items())

    chosen = sorted(ranges, key=lambda ip: (-strength(ip), ip))[:NETWORK_LOAD_MAX]
    not_examined = len(busy) - len(scanned) + len(ranges) - len(chosen)
    likes: list[fraud.LikeFact] = []
    for k in range(0, len(chosen), 100):
        batch = chosen[k : k + 100]
        stmt = (
            select(
                Like.id, Like.initiative_id, Like.user_id, EngagementEvent.created_at, EngagementEvent.ip_hash
            )
            .select_from(EngagementEvent)
            .join(
                Like,
                and_(
                    Like.initiative_id == EngagementEvent.initiative_id,
                    Like.user_id == EngagementEvent.user_id,
                ),
            )
            .join(Initiative, Initiative.id == EngagementEvent.initiative_id)
            .where(
                EngagementEvent.ip_hash.in_(batch),
                EngagementEvent.kind == EventKind.LIKE,
                EngagementEvent.created_at >= min(ranges[ip][0][0] for ip in batch),
                Initiative.contest_id == contest.id,
                Like.quarantine_id.is_(None),
            )
            .order_by(EngagementEvent.created_at)
            .execution_options(yield_per=STREAM)
        )
        # A like given, taken back and given again has several events: the latest is its own.
        found: dict[tuple[str, int], fraud.LikeFact] = {}
        for row in db.session.execute(stmt):
            if any(a <= row.created_at < b for a, b in ranges[row.ip_hash]):
                found[(row.ip_hash, row.id)] = fraud.LikeFact(*row)
        likes.extend(found.values())
    return likes, not_examined


def fresh_inputs(contest: Contest, since: datetime) -> tuple[list[fraud.LikeFact], bool]:
    """Likes given soon after the account's registration (the newest FRESH_ROWS_MAX), and
    whether there were more."""
    limit = timedelta(minutes=fraud.FRESH_MINUTES)
    if _dialect() == "postgresql":
        deadline = User.created_at + bindparam("fresh_limit", limit, type_=Interval())
    else:  # text timestamps: a second more, because datetime() drops the fraction (the rule decides)
        deadline = func.datetime(User.created_at, f"+{int(limit.total_seconds()) + 1} seconds")
    stmt = (
        select(Like.id, Like.initiative_id, Like.user_id, Like.created_at, User.created_at)
        .join(User, User.id == Like.user_id)
        .join(Initiative, Initiative.id == Like.initiative_id)
        .where(
            Initiative.contest_id == contest.id,
            Like.quarantine_id.is_(None),
            Like.created_at >= since,
            User.created_at >= since - limit,
            Like.created_at >= User.created_at,
            Like.created_at <= deadline,
        )
        .order_by(Like.created_at.desc(), Like.id.desc())
        .limit(FRESH_ROWS_MAX + 1)
    )
    likes = [
        fraud.LikeFact(like_id, initiative_id, user_id, at, registered_at=registered)
        for like_id, initiative_id, user_id, at, registered in db.session.execute(stmt)
    ]
    return likes[:FRESH_ROWS_MAX], len(likes) > FRESH_ROWS_MAX


def _one_time_filter(stmt):
    """Only likes by accounts with exactly one like ever, that never commented or reported."""
    one_time = select(Like.user_id).group_by(Like.user_id).having(func.count() == 1).subquery()
    return stmt.join(one_time, one_time.c.user_id == Like.user_id).where(
        Like.user_id.not_in(select(Comment.user_id)),
        Like.user_id.not_in(select(CommentReport.user_id)),
    )


def one_time_tallies(contest: Contest) -> list[fraud.OneTimeTally]:
    """Per initiative of the contest: its counted likes and those by one-time accounts."""
    stmt = _one_time_filter(
        select(Like.initiative_id, func.count(), Initiative.like_count)
        .join(Initiative, Initiative.id == Like.initiative_id)
        .where(Initiative.contest_id == contest.id, Like.quarantine_id.is_(None))
    ).group_by(Like.initiative_id, Initiative.like_count)
    return [fraud.OneTimeTally(i, likes, n) for i, n, likes in db.session.execute(stmt)]


def _one_time_evidence(cluster: fraud.OneTimeCluster) -> fraud.OneTimeCluster:
    stmt = _one_time_filter(
        select(Like.id, Like.user_id).where(
            Like.initiative_id == cluster.initiative_id, Like.quarantine_id.is_(None)
        )
    ).order_by(Like.created_at, Like.id)
    rows = db.session.execute(stmt.limit(EVIDENCE_MAX)).all()
    return replace(cluster, like_ids=tuple(r.id for r in rows), user_ids=tuple(r.user_id for r in rows))


# --- the review ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LikeRow:
    id: int
    initiative_id: int
    user_id: int
    created_at: datetime
    network: str  # shortened address hash, "" when unknown


@dataclass(frozen=True)
class AccountRow:
    id: int
    full_name: str
    registered_at: datetime
    active: bool
    quarantined: bool  # an account quarantine stands


@dataclass(frozen=True)
class InitiativeRow:
    id: int
    title: str
    like_count: int


@dataclass
class FraudReview:
    """The four sections of the fraud page, with every like, account and initiative they cite.

    Each section lists at most FINDINGS_MAX findings; `more` counts the ones left out.
    """

    since: datetime
    computed_at: datetime
    bursts: list[fraud.Burst]
    networks: list[fraud.SharedNetwork]
    fresh: list[fraud.FreshCluster]
    one_time: list[fraud.OneTimeCluster]
    more: dict[str, int] = field(default_factory=dict)
    fresh_truncated: bool = False  # only the newest FRESH_ROWS_MAX fresh likes were examined
    networks_not_examined: int = 0  # busy addresses beyond NETWORK_SCAN_MAX / NETWORK_LOAD_MAX
    likes: dict[int, LikeRow] = field(default_factory=dict)
    accounts: dict[int, AccountRow] = field(default_factory=dict)
    initiatives: dict[int, InitiativeRow] = field(default_factory=dict)

    @property
    def total(self) -> int:
        shown = len(self.bursts) + len(self.networks) + len(self.fresh) + len(self.one_time)
        return shown + sum(self.more.values())

    def shown(self, like_ids: Sequence[int]) -> list[LikeRow]:
        """The likes listed under a finding (at most EVIDENCE_MAX), oldest first."""
        rows = [self.likes[i] for i in like_ids[:EVIDENCE_MAX] if i in self.likes]
        return sorted(rows, key=lambda r: (r.created_at, r.id))


def _like_rows(like_ids: Iterable[int]) -> dict[int, LikeRow]:
    """The cited likes with the address hash of the event that made each (the nearest in time)."""
    rows: dict[int, LikeRow] = {}
    best: dict[int, timedelta] = {}
    for chunk in _chunks(like_ids):
        stmt = (
            select(
                Like.id,
                Like.initiative_id,
                Like.user_id,
                Like.created_at,
                EngagementEvent.ip_hash,
                EngagementEvent.created_at.label("event_at"),
            )
            .outerjoin(
                EngagementEvent,
                and_(
                    EngagementEvent.user_id == Like.user_id,
                    EngagementEvent.initiative_id == Like.initiative_id,
                    EngagementEvent.kind == EventKind.LIKE,
                ),
            )
            .where(Like.id.in_(chunk))
        )
        for r in db.session.execute(stmt):
            gap = abs(r.event_at - r.created_at) if r.event_at is not None else timedelta.max
            if r.id not in rows or gap < best[r.id]:
                best[r.id] = gap
                network = fraud.network_label(r.ip_hash) if r.ip_hash else ""
                rows[r.id] = LikeRow(r.id, r.initiative_id, r.user_id, r.created_at, network)
    return rows


def _account_rows(user_ids: Iterable[int]) -> dict[int, AccountRow]:
    accounts: dict[int, AccountRow] = {}
    for chunk in _chunks(user_ids):
        quarantined = set(
            db.session.scalars(
                select(Quarantine.user_id).where(
                    Quarantine.user_id.in_(chunk), Quarantine.released_at.is_(None)
                )
            )
        )
        for r in db.session.execute(
            select(User.id, User.full_name, User.created_at, User.active).where(User.id.in_(chunk))
        ):
            accounts[r.id] = AccountRow(r.id, r.full_name, r.created_at, r.active, r.id in quarantined)
    return accounts


def _initiative_rows(initiative_ids: Iterable[int]) -> dict[int, InitiativeRow]:
    found: dict[int, InitiativeRow] = {}
    for chunk in _chunks(initiative_ids):
        for r in db.session.execute(
            select(Initiative.id, Initiative.title, Initiative.like_count).where(Initiative.id.in_(chunk))
        ):
            found[r.id] = InitiativeRow(r.id, r.title, r.like_count)
    return found


def _fingerprint() -> str:
    """Changes with every quarantine decision and release, so a cached review is not reused after."""
    made, released, last = db.session.execute(
        select(func.count(), func.count(Quarantine.released_at), func.max(Quarantine.id))
    ).one()
    return f"{made}-{released}-{last}"


def compute_fraud_review(contest: Contest, now: datetime | None = None) -> FraudReview:
    """Run the four detectors over the contest's likes of the last LOOK_BACK and gather evidence."""
    now = now or clock.now()
    since = now - LOOK_BACK
    burst_likes, hourly = burst_inputs(contest, since)
    bursts = fraud.find_bursts(burst_likes, hourly)
    network_likes, networks_not_examined = network_inputs(contest, since)
    networks = fraud.find_shared_networks(network_likes)
    fresh_likes, fresh_truncated = fresh_inputs(contest, since)
    fresh = fraud.group_fresh_likes(fraud.find_fresh_likes(fresh_likes))
    one_time = fraud.find_one_time_clusters(one_time_tallies(contest))
    sections = {"bursts": bursts, "networks": networks, "fresh": fresh, "one_time": one_time}
    more = {name: max(0, len(found) - FINDINGS_MAX) for name, found in sections.items()}
    review = FraudReview(
        since=since,
        computed_at=now,
        bursts=bursts[:FINDINGS_MAX],
        networks=networks[:FINDINGS_MAX],
        fresh=fresh[:FINDINGS_MAX],
        one_time=[_one_time_evidence(c) for c in one_time[:FINDINGS_MAX]],
        more={name: n for name, n in more.items() if n},
        fresh_truncated=fresh_truncated,
        networks_not_examined=networks_not_examined,
    )
    cited: set[int] = set()
    initiative_ids: set[int] = set()
    for finding in [*review.bursts, *review.networks, *review.fresh, *review.one_time]:
        cited.update(finding.like_ids[:EVIDENCE_MAX])
    initiative_ids.update(b.initiative_id for b in review.bursts)
    for n in review.networks:
        initiative_ids.update(n.initiative_ids)
    initiative_ids.update(c.initiative_id for c in review.fresh)
    initiative_ids.update(c.initiative_id for c in review.one_time)
    review.likes = _like_rows(cited)
    initiative_ids.update(r.initiative_id for r in review.likes.values())
    review.accounts = _account_rows(r.user_id for r in review.likes.values())
    review.initiatives = _initiative_rows(initiative_ids)
    return review


def fraud_review(contest: Contest, *, refresh: bool = False) -> FraudReview:
    """The review, reused for REVIEW_TTL seconds unless a quarantine decision changed since.

    On a million likes it takes seconds to compute (the database reads every recent like a few
    times), so organizers moving between findings do not pay for it on every page.
    """
    key = f"fraud-review:{contest.id}:{_fingerprint()}"
    if not refresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    review = compute_fraud_review(contest)
    cache.set(key, review, timeout=REVIEW_TTL)
    return review


# --- moderation queue ------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueEntry:
    comment: Comment
    reports: list[CommentReport]


def _with_reports(comments: list[Comment]) -> list[QueueEntry]:
    reports: dict[int, list[CommentReport]] = defaultdict(list)
    for chunk in _chunks(c.id for c in comments):
        for report in db.session.scalars(
            select(CommentReport)
            .where(CommentReport.comment_id.in_(chunk))
            .options(joinedload(CommentReport.user))
            .order_by(CommentReport.created_at, CommentReport.id)
        ):
            reports[report.comment_id].append(report)
    return [QueueEntry(c, reports[c.id]) for c in comments]


def _comments(contest: Contest):
    return (
        select(Comment)
        .join(Initiative, Initiative.id == Comment.initiative_id)
        .where(Initiative.contest_id == contest.id)
        .options(joinedload(Comment.user), joinedload(Comment.initiative))
    )


def moderation_queue(contest: Contest, limit: int = QUEUE_MAX) -> list[QueueEntry]:
    """Comments waiting for a moderator (hidden by reports, or with open reports), oldest first."""
    comments = list(
        db.session.scalars(
            _comments(contest)
            .where(or_(Comment.status == CommentStatus.HIDDEN, Comment.open_reports > 0))
            .order_by(Comment.created_at, Comment.id)
            .limit(limit)
        )
    )
    return _with_reports(comments)


def queue_size(contest: Contest) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Comment)
        .join(Initiative, Initiative.id == Comment.initiative_id)
        .where(
            Initiative.contest_id == contest.id,
            or_(Comment.status == CommentStatus.HIDDEN, Comment.open_reports > 0),
        )
    )


def recently_moderated(contest: Contest, limit: int = 20) -> list[QueueEntry]:
    """The latest decisions, so a moderator can change their mind."""
    comments = list(
        db.session.scalars(
            _comments(contest)
            .where(Comment.moderated_at.is_not(None))
            .order_by(Comment.moderated_at.desc(), Comment.id.desc())
            .limit(limit)
        )
    )
    return _with_reports(comments)


def people(user_ids: Iterable[int | None]) -> dict[int, User]:
    ids = [i for i in set(user_ids) if i is not None]
    found: dict[int, User] = {}
    for chunk in _chunks(ids):
        found.update({u.id: u for u in db.session.scalars(select(User).where(User.id.in_(chunk)))})
    return found


# --- quarantine decisions --------------------------------------------------------------------


@dataclass(frozen=True)
class QuarantineEntry:
    decision: Quarantine
    likes_now: int  # likes it excludes from the counts now
    likes_at_decision: int | None  # likes it took out when made (from the audit log)
    likes_released: int | None  # likes that counted again when it was released


def quarantine_list(limit: int = QUEUE_MAX) -> list[QuarantineEntry]:
    """Quarantine decisions, newest first, with the likes they affect."""
    decisions = list(
        db.session.scalars(
            select(Quarantine)
            .options(joinedload(Quarantine.user), joinedload(Quarantine.created_by))
            .order_by(Quarantine.created_at.desc(), Quarantine.id.desc())
            .limit(limit)
        )
    )
    ids = [d.id for d in decisions]
    now_counts: dict[int, int] = {}
    made: dict[int, int] = {}
    released: dict[int, int] = {}
    for chunk in _chunks(ids):
        now_counts.update(
            db.session.execute(
                select(Like.quarantine_id, func.count())
                .where(Like.quarantine_id.in_(chunk))
                .group_by(Like.quarantine_id)
            ).all()
        )
        for action, object_id, after in db.session.execute(
            select(AuditEntry.action, AuditEntry.object_id, AuditEntry.after).where(
                AuditEntry.object_type == "quarantine",
                AuditEntry.object_id.in_([str(i) for i in chunk]),
            )
        ):
            likes = (after or {}).get("likes")
            target = released if action == "quarantine.release" else made
            target[int(object_id)] = likes
    return [
        QuarantineEntry(d, now_counts.get(d.id, 0), made.get(d.id), released.get(d.id)) for d in decisions
    ]


__all__ = [
    "EVIDENCE_MAX",
    "LOOK_BACK",
    "AccountRow",
    "FraudReview",
    "InitiativeRow",
    "LikeRow",
    "QueueEntry",
    "QuarantineEntry",
    "burst_inputs",
    "compute_fraud_review",
    "fraud_review",
    "fresh_inputs",
    "moderation_queue",
    "network_inputs",
    "one_time_tallies",
    "people",
    "quarantine_list",
    "queue_size",
    "recently_moderated",
]
