"""Importing engagement from other platforms, the latest snapshot per platform, and the daily
engagement behind the chart, on the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.engagement import external_service, service, stats
from app.engagement.external import ExternalRow, parse_external_csv
from models import AuditEntry, ExternalEngagement, InitiativeStatus, InitiativeView, RoleName, db
from tests.factories import make_category, make_contest, make_initiative, make_unit, make_user

NOON_VN = datetime(2025, 5, 20, 5, 0, tzinfo=UTC)  # 12:00 on 20/05/2025 in Vietnam


@pytest.fixture
def world(app):
    clock.freeze(NOON_VN)
    contest = make_contest()
    unit = make_unit("Xã Phương Tú", code="UH-PT")
    category = make_category(contest)
    return {
        "organizer": make_user(role=RoleName.ORGANIZER),
        "contest": contest,
        "published": make_initiative(contest, unit, category=category),
        "other": make_initiative(contest, unit, category=category),
        "draft": make_initiative(contest, unit, category=category, status=InitiativeStatus.DRAFT),
    }


def row(initiative_id: int, platform: str = "fanpage", *, line: int = 2, likes: int = 10, hours_ago: int = 1):
    return ExternalRow(
        line=line,
        initiative_id=initiative_id,
        platform=platform,
        likes=likes,
        comments=2,
        shares=1,
        measured_at=clock.now() - timedelta(hours=hours_ago),
        source_url=f"https://example.vn/{platform}/{initiative_id}",
    )


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_import_stores_every_row_and_writes_one_audit_entry(world):
    before = _count(AuditEntry)
    text = (
        "ma_sang_kien;nen_tang;luot_thich;binh_luan;chia_se;thoi_diem;duong_dan\n"
        f"{world['published'].id};Facebook;1.234;5;6;19/05/2025 20:00;https://fb.com/1\n"
        f"{world['published'].id};Zalo;300;1;2;19/05/2025 20:00;\n"
        f"{world['other'].id};portal;7;0;0;2025-05-19T21:00:00+07:00;https://unghoa.vn/7\n"
    )
    rows, problems = parse_external_csv(text)
    assert problems == []
    report = external_service.import_external(world["organizer"], rows)
    assert (report.rows, report.initiatives) == (3, 2)
    assert report.by_platform == {"fanpage": 1, "zalo_oa": 1, "portal": 1}
    assert _count(ExternalEngagement) == 3
    stored = db.session.scalar(select(ExternalEngagement).where(ExternalEngagement.likes == 1234))
    assert stored.imported_by_id == world["organizer"].id
    assert stored.measured_at == datetime(2025, 5, 19, 13, 0, tzinfo=UTC)
    assert _count(AuditEntry) == before + 1
    entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert entry.action == "engagement.external_import"
    assert entry.actor_id == world["organizer"].id
    assert entry.after["rows"] == 3 and entry.after["source"] == "csv"


def test_one_bad_initiative_refuses_the_whole_import(world, app):
    other_contest = make_contest(name="Năm trước", year=2020)
    old = make_initiative(other_contest, make_unit(), category=make_category(other_contest))
    newer = make_contest(name="Chuyển đổi số 2025 (đợt 2)")  # the current contest is the newest
    assert newer.id != world["contest"].id
    current = make_initiative(newer, make_unit(), category=make_category(newer))
    draft = make_initiative(newer, make_unit(), status=InitiativeStatus.DRAFT, category=make_category(newer))
    before = _count(AuditEntry)
    rows = [
        row(current.id, line=2),
        row(world["published"].id, line=3),  # published, but in an earlier contest
        row(draft.id, line=4),
        row(999_999, line=5),
        row(old.id, line=6),
    ]
    with pytest.raises(external_service.ExternalRejected) as refused:
        external_service.import_external(world["organizer"], rows)
    assert [(p.line, p.field, p.code) for p in refused.value.problems] == [
        (3, "initiative_id", "other_contest"),
        (4, "initiative_id", "not_published"),
        (5, "initiative_id", "unknown_initiative"),
        (6, "initiative_id", "other_contest"),
    ]
    assert _count(ExternalEngagement) == 0
    assert _count(AuditEntry) == before


def test_the_latest_snapshot_of_each_platform_wins(world):
    organizer, initiative = world["organizer"], world["published"]
    pid = initiative.id
    external_service.import_external(
        organizer,
        [
            row(pid, "fanpage", likes=100, hours_ago=48),
            row(pid, "fanpage", likes=150, hours_ago=2),
            row(pid, "zalo_oa", likes=30, hours_ago=5),
            row(world["other"].id, "portal", likes=999, hours_ago=1),  # another initiative
        ],
    )
    # Imported later but measured earlier: an older measurement does not replace a newer one.
    external_service.import_external(organizer, [row(pid, "fanpage", likes=120, hours_ago=24)])
    # The same moment imported again (a corrected count): the later import wins the tie.
    external_service.import_external(organizer, [row(pid, "zalo_oa", likes=35, hours_ago=5)])
    summary = external_service.latest_external(pid)
    assert [(s.platform.value, s.likes) for s in summary.snapshots] == [("fanpage", 150), ("zalo_oa", 35)]
    assert (summary.likes, summary.comments, summary.shares) == (185, 4, 2)
    assert summary
    assert not external_service.latest_external(world["draft"].id)


def test_latest_external_is_one_query(world, app):
    from sqlalchemy import event

    pid = world["published"].id
    external_service.import_external(
        world["organizer"], [row(pid, p) for p in ("fanpage", "zalo_oa", "portal")]
    )
    db.session.expire_all()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        summary = external_service.latest_external(pid)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(summary.snapshots) == 3
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def test_daily_engagement_counts_likes_comments_and_views_per_vietnam_day(world):
    initiative = world["published"]
    people = [make_user() for _ in range(3)]
    # 20/05 00:30 in Vietnam is still 19/05 in UTC: it counts on the 20th.
    clock.freeze(datetime(2025, 5, 19, 17, 30, tzinfo=UTC))
    service.like_initiative(people[0], initiative)
    service.add_comment(people[0], initiative, "Rất hay!")
    clock.freeze(datetime(2025, 5, 19, 16, 30, tzinfo=UTC))  # 23:30 on 19/05 in Vietnam
    service.like_initiative(people[1], initiative)
    service.unlike_initiative(people[1], initiative)
    db.session.add_all(
        [
            InitiativeView(initiative_id=initiative.id, day=datetime(2025, 5, 19).date(), viewer="u:1"),
            InitiativeView(initiative_id=initiative.id, day=datetime(2025, 5, 19).date(), viewer="s:abc"),
            InitiativeView(initiative_id=initiative.id, day=datetime(2025, 5, 20).date(), viewer="u:1"),
            InitiativeView(
                initiative_id=initiative.id, day=datetime(2025, 3, 1).date(), viewer="u:9"
            ),  # too old
            InitiativeView(initiative_id=world["other"].id, day=datetime(2025, 5, 20).date(), viewer="u:1"),
        ]
    )
    db.session.commit()
    clock.freeze(NOON_VN)
    days = stats.daily_engagement(initiative.id)
    assert len(days) == 30
    assert days[0].day.isoformat() == "2025-04-21" and days[-1].day.isoformat() == "2025-05-20"
    by_day = {d.day.isoformat(): d for d in days}
    assert by_day["2025-05-20"] == stats.DayStats(by_day["2025-05-20"].day, likes=1, comments=1, views=1)
    assert by_day["2025-05-19"] == stats.DayStats(by_day["2025-05-19"].day, likes=1, unlikes=1, views=2)
    assert sum(d.likes + d.comments + d.views for d in days) == 6


def test_daily_engagement_of_a_quiet_initiative_is_all_zeros(world):
    days = stats.daily_engagement(world["published"].id, days=7)
    assert len(days) == 7
    assert all((d.likes, d.unlikes, d.comments, d.views) == (0, 0, 0, 0) for d in days)
