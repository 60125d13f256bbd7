"""The demo's engagement: `flask demo seed` adds citizens who like, comment and view, one hidden
comment, a reported one, snapshots from the fanpage and Zalo OA, and one like burst for the fraud
review — with every counter equal to its rows."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from datetime import timedelta
from functools import cache
from statistics import median

import pytest
from sqlalchemy import func, select

from app import clock
from app.auth.rules import fold
from app.demo import initiatives as demo_initiatives
from app.demo.engagement import BURST_ACCOUNTS, CITIZEN_COUNT
from app.engagement.service import reconcile_counters
from models import (
    Comment,
    CommentReport,
    CommentStatus,
    Contest,
    EngagementEvent,
    EventKind,
    ExternalEngagement,
    ExternalPlatform,
    Initiative,
    InitiativeView,
    Like,
    StageKind,
    User,
    db,
)

HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def one_picture(monkeypatch):
    """Every demo picture is the same one, drawn once: the pictures are tested elsewhere."""
    picture = cache(demo_initiatives._process_picture)
    monkeypatch.setattr(demo_initiatives, "_process_picture", lambda seed: picture(1))


def seed(runner) -> str:
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    return result.output


def max_in_an_hour(times) -> int:
    times, best, first = sorted(times), 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= HOUR:
            first += 1
        best = max(best, last - first + 1)
    return best


def table_counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Like, EngagementEvent, Comment, CommentReport, InitiativeView, ExternalEngagement)
    )


def test_demo_seed_adds_engagement_that_adds_up(app, runner):
    output = seed(runner)
    assert "Engagement: 2,060 citizens" in output
    now = clock.now()
    contest = db.session.scalar(select(Contest))
    voting = contest.stage(StageKind.VOTING)

    # 2,000 more verified citizens with Vietnamese names, across the units, over three weeks.
    citizens = db.session.scalars(select(User).where(User.email.like("cd%@demo.vn"))).all()
    assert len(citizens) == CITIZEN_COUNT
    assert all(u.is_verified and u.active for u in citizens)
    assert all(u.name_folded == fold(u.full_name) for u in citizens)
    accented = [u for u in citizens if unicodedata.normalize("NFD", u.full_name) != u.full_name]
    assert len(accented) > 0.9 * CITIZEN_COUNT
    assert len({u.unit_id for u in citizens}) >= 20
    assert len({u.full_name for u in citizens}) > 1000
    assert all(now - timedelta(days=21) <= u.created_at < now for u in citizens)
    assert len({u.password_hash for u in citizens}) == 1
    registered = {u.id: u.created_at for u in db.session.scalars(select(User))}

    # Likes, each with its event, inside the voting window, after the account was made.
    likes = db.session.execute(select(Like.initiative_id, Like.user_id, Like.created_at)).all()
    assert len(likes) > 1000
    events = db.session.scalars(select(EngagementEvent)).all()
    by_kind = Counter(e.kind for e in events)
    like_events = {(e.initiative_id, e.user_id, e.created_at) for e in events if e.kind == EventKind.LIKE}
    assert {tuple(like) for like in likes} <= like_events
    assert all(voting.opens_at <= at <= now and registered[user] < at for _, user, at in likes)
    assert all(e.ip_hash and e.ua_hash and len(e.ip_hash) == 32 for e in events)
    # Some took their like back: an unlike event after the like, and no like row.
    liked = {(i, u) for i, u, _ in likes}
    unliked = [e for e in events if e.kind == EventKind.UNLIKE]
    assert len(unliked) >= 20
    assert not {(e.initiative_id, e.user_id) for e in unliked} & liked
    assert by_kind[EventKind.LIKE] == len(likes) + len(unliked)

    # A few popular initiatives, many modest ones.
    published = db.session.scalars(select(Initiative).where(Initiative.status == "published")).all()
    counts = sorted((i.like_count for i in published), reverse=True)
    assert all(counts) and counts[0] >= 4 * median(counts)

    # Comments with replies and the unit's answers, in the voting window.
    comments = db.session.scalars(select(Comment)).all()
    assert len(comments) >= 100 and len({c.body for c in comments}) >= 40
    assert all(voting.opens_at <= c.created_at <= now for c in comments)
    replies = [c for c in comments if c.parent_id is not None]
    assert len(replies) >= 20
    assert all(c.parent.parent_id is None and c.parent.created_at < c.created_at for c in replies)
    assert any(c.user.email.startswith("donvi") for c in replies)
    assert by_kind[EventKind.COMMENT] == len(comments)

    # Moderation: one comment hidden by three reports, one still visible with open reports.
    hidden = [c for c in comments if c.status == CommentStatus.HIDDEN]
    assert len(hidden) == 1 and hidden[0].open_reports == 3
    reports = db.session.scalars(select(CommentReport).where(CommentReport.comment_id == hidden[0].id)).all()
    assert len({r.user_id for r in reports}) == 3 and hidden[0].user_id not in {r.user_id for r in reports}
    reported = [c for c in comments if c.status == CommentStatus.VISIBLE and c.open_reports]
    assert len(reported) == 1 and 1 <= reported[0].open_reports <= 2
    assert by_kind[EventKind.REPORT] == db.session.scalar(select(func.count()).select_from(CommentReport))

    # Daily distinct viewers over two weeks: signed-in ("u:<id>") and anonymous ("s:<hash>").
    views = db.session.execute(select(InitiativeView.day, InitiativeView.viewer)).all()
    assert len(views) > 5000
    assert all(re.fullmatch(r"u:\d+|s:[0-9a-f]{30}", v.viewer) for v in views)
    days = {v.day for v in views}
    assert len(days) >= 12 and max(days) - min(days) <= timedelta(days=13)

    # Every counter equals its rows, and the events agree with the like rows.
    assert reconcile_counters(fix=False) == ([], [])

    # The burst: >= 40 likes within an hour from one network address on one initiative, by
    # accounts registered less than an hour before; nothing organic comes near the thresholds.
    groups = defaultdict(list)
    for e in events:
        if e.kind == EventKind.LIKE:
            groups[(e.initiative_id, e.ip_hash)].append(e)
    (burst_id, burst_ip), burst = max(groups.items(), key=lambda item: len(item[1]))
    assert max_in_an_hour(e.created_at for e in burst) >= 40
    assert all(e.created_at - registered[e.user_id] < HOUR for e in burst)
    assert sum(e.created_at - registered[e.user_id] < timedelta(minutes=10) for e in burst) >= 20
    fresh = db.session.scalars(select(User).where(User.email.like("tk%@demo.vn"))).all()
    assert len(fresh) == BURST_ACCOUNTS and all(u.is_verified for u in fresh)
    burst_likes = [at for i, u, at in likes if i == burst_id]
    assert max_in_an_hour(burst_likes) >= 55
    organic = len(burst_likes) - BURST_ACCOUNTS
    window_hours = (now - voting.opens_at) / HOUR
    assert 5 * organic / window_hours < 20  # the burst is way above the initiative's own pace
    fresh_ids = {u.id for u in fresh}
    for initiative_id in {i for i, _, _ in likes}:
        organic_times = [
            e.created_at
            for e in events
            if e.kind == EventKind.LIKE and e.initiative_id == initiative_id and e.user_id not in fresh_ids
        ]
        assert max_in_an_hour(organic_times) < 20, initiative_id
    accounts_per_ip = defaultdict(set)
    for e in events:
        accounts_per_ip[e.ip_hash].add(e.user_id)
    crowded = [ip for ip, users in accounts_per_ip.items() if len(users) >= 5]
    assert crowded == [burst_ip]

    # Snapshots of the district fanpage and Zalo OA: 2–3 per platform, growing.
    snapshots = db.session.scalars(select(ExternalEngagement).order_by(ExternalEngagement.measured_at)).all()
    organizer_id = db.session.scalar(select(User.id).where(User.email == "btc@demo.vn"))
    per_post = defaultdict(list)
    for s in snapshots:
        per_post[(s.initiative_id, s.platform)].append(s)
    assert 4 <= len({i for i, _ in per_post}) <= 5
    assert {p for _, p in per_post} == {ExternalPlatform.FANPAGE, ExternalPlatform.ZALO_OA}
    for (_, platform), rows in per_post.items():
        assert 2 <= len(rows) <= 3
        assert [r.likes for r in rows] == sorted(r.likes for r in rows)
        assert len({r.source_url for r in rows}) == 1
        if platform == ExternalPlatform.FANPAGE:
            assert rows[0].source_url.startswith("https://www.facebook.com/ubndhuyenungHoa/posts/")
        assert all(r.measured_at < now and r.imported_by_id == organizer_id for r in rows)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_seeding_again_adds_no_engagement(app, runner):
    seed(runner)
    counts = table_counts()
    assert all(counts)
    again = seed(runner)
    assert "Engagement:" not in again
    assert table_counts() == counts
    skipped = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert "skipped" in skipped.output
    assert table_counts() == counts
    assert reconcile_counters(fix=False) == ([], [])
