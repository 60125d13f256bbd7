"""Moderation and quarantine through the operations, and the review's queries on a real database.

Reports hide a comment at three different reporters; a moderator restores, hides, or hides and
suspends; quarantine takes likes out of the counts and release puts them back; every decision is
in the audit log. The fraud review finds a planted burst with the database doing the narrowing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.engagement import review, service
from app.engagement.service import Source
from models import AuditEntry, Comment, CommentStatus, Initiative, Like, RoleName, db
from tests.factories import make_category, make_contest, make_initiative, make_unit, make_user

START = datetime(2026, 4, 6, 1, 0, tzinfo=UTC)


@pytest.fixture
def contest(app):
    clock.freeze(START)
    return make_contest()


@pytest.fixture
def initiative(contest):
    return make_initiative(contest, make_unit(), category=make_category(contest))


@pytest.fixture
def organizer(app):
    return make_user(role=RoleName.ORGANIZER)


def counts(initiative_id: int) -> tuple[int, int]:
    db.session.expire_all()
    row = db.session.get(Initiative, initiative_id)
    return row.like_count, row.comment_count


def no_drift() -> bool:
    drifts, event_drifts = service.reconcile_counters(fix=False)
    return drifts == [] and event_drifts == []


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def report_three_times(comment: Comment) -> list[bool]:
    return [service.report_comment(make_user(), comment, "Spam hoặc quảng cáo") for _ in range(3)]


# --- reports and moderation -------------------------------------------------------------------


def test_three_reports_by_different_people_hide_a_comment_and_it_leaves_the_count(initiative):
    comment = service.add_comment(make_user(), initiative, "Bán hàng giá rẻ, liên hệ ngay!")
    assert counts(initiative.id) == (0, 1)
    assert report_three_times(comment) == [False, False, True]
    assert comment.status == CommentStatus.HIDDEN
    assert counts(initiative.id) == (0, 0)
    assert no_drift()


def test_one_person_reporting_three_times_is_one_report(initiative):
    comment = service.add_comment(make_user(), initiative, "Ý kiến khác biệt")
    reporter = make_user()
    for _ in range(3):
        service.report_comment(reporter, comment, "Không đồng ý")
    db.session.refresh(comment)
    assert comment.status == CommentStatus.VISIBLE
    assert comment.open_reports == 1
    assert counts(initiative.id) == (0, 1)


def test_a_moderator_restores_a_hidden_comment_and_the_count_comes_back(initiative, organizer):
    comment = service.add_comment(make_user(), initiative, "Góp ý thẳng thắn nhưng hợp lệ")
    report_three_times(comment)
    service.moderate_comment(organizer, comment, "restore", "Góp ý hợp lệ")
    db.session.refresh(comment)
    assert comment.status == CommentStatus.VISIBLE
    assert comment.open_reports == 0
    assert counts(initiative.id) == (0, 1)
    assert no_drift()
    assert comment not in [e.comment for e in review.moderation_queue(initiative.contest)]
    # Its old reports are answered: one new report does not hide it again.
    service.report_comment(make_user(), comment, "Vẫn là spam")
    db.session.refresh(comment)
    assert comment.status == CommentStatus.VISIBLE


def test_hiding_a_comment_takes_it_out_of_the_count_once(initiative, organizer):
    comment = service.add_comment(make_user(), initiative, "Bình luận lạc đề")
    service.moderate_comment(organizer, comment, "hide")
    assert counts(initiative.id) == (0, 0)
    service.moderate_comment(organizer, comment, "hide")  # deciding again changes nothing
    db.session.refresh(comment)
    assert comment.status == CommentStatus.REMOVED
    assert counts(initiative.id) == (0, 0)
    assert no_drift()


def test_hide_and_suspend_deactivates_the_author(initiative, organizer):
    author = make_user()
    comment = service.add_comment(author, initiative, "Lời lẽ xúc phạm")
    other = service.add_comment(author, initiative, "Bình luận thứ hai")
    report_three_times(comment)
    service.moderate_comment(organizer, comment, "hide_suspend", "Xúc phạm nhiều lần")
    db.session.refresh(author)
    assert author.active is False
    assert comment.status == CommentStatus.REMOVED
    assert counts(initiative.id) == (0, 1)
    assert actions()[-2:] == ["comment.hide_suspend", "user.deactivate"]
    # The author's other comment can still be decided, though the account is already suspended.
    service.moderate_comment(organizer, other, "hide_suspend")
    db.session.refresh(other)
    assert other.status == CommentStatus.REMOVED
    assert counts(initiative.id) == (0, 0)
    assert actions()[-1] == "comment.hide_suspend"


def test_an_unknown_decision_changes_nothing(initiative, organizer):
    comment = service.add_comment(make_user(), initiative, "Bình thường")
    with pytest.raises(service.EngagementProblem) as refused:
        service.moderate_comment(organizer, comment, "delete")
    assert refused.value.status == 422
    db.session.rollback()
    assert db.session.get(Comment, comment.id).status == CommentStatus.VISIBLE
    assert actions() == []


def test_the_moderation_queue_lists_waiting_comments_oldest_first_with_reports(initiative, organizer):
    fine = service.add_comment(make_user(), initiative, "Ý kiến bình thường")
    clock.travel(timedelta(minutes=1))
    hidden = service.add_comment(make_user(), initiative, "Quảng cáo")
    clock.travel(timedelta(minutes=1))
    reported = service.add_comment(make_user(), initiative, "Tranh cãi")
    decided = service.add_comment(make_user(), initiative, "Đã xử lý")
    service.report_comment(make_user(), reported, "Gây tranh cãi")
    report_three_times(hidden)
    report_three_times(decided)
    service.moderate_comment(organizer, decided, "hide")
    queue = review.moderation_queue(initiative.contest)
    assert [e.comment.id for e in queue] == [hidden.id, reported.id]
    assert len(queue[0].reports) == 3
    assert queue[1].reports[0].reason == "Gây tranh cãi"
    assert review.queue_size(initiative.contest) == 2
    assert [e.comment.id for e in review.recently_moderated(initiative.contest)] == [decided.id]
    assert fine.id not in [e.comment.id for e in queue]


# --- quarantine ------------------------------------------------------------------------------


def like_by(initiative, n: int, ip: str = "") -> list[int]:
    for _ in range(n):
        service.like_initiative(make_user(), initiative, Source(ip_hash=ip))
    return list(
        db.session.scalars(select(Like.id).where(Like.initiative_id == initiative.id).order_by(Like.id))
    )


def test_quarantined_likes_leave_the_count_and_release_brings_them_back(initiative, organizer):
    like_ids = like_by(initiative, 5)
    decision = service.quarantine_likes(organizer, like_ids[:3], "Cụm lượt thích bất thường")
    assert counts(initiative.id) == (2, 0)
    assert no_drift()
    assert service.release_quarantine(organizer, decision) == 3
    assert counts(initiative.id) == (5, 0)
    assert no_drift()
    with pytest.raises(service.EngagementProblem):
        service.release_quarantine(organizer, decision)
    db.session.rollback()
    assert actions() == ["likes.quarantine", "quarantine.release"]


def test_likes_already_quarantined_are_not_taken_twice(initiative, organizer):
    like_ids = like_by(initiative, 4)
    service.quarantine_likes(organizer, like_ids[:2], "Lần một")
    with pytest.raises(service.EngagementProblem):
        service.quarantine_likes(organizer, like_ids[:2], "Lần hai")
    db.session.rollback()
    service.quarantine_likes(organizer, like_ids[1:3], "Lần ba")  # one new like in it
    assert counts(initiative.id) == (1, 0)
    assert no_drift()


def test_a_quarantine_needs_a_reason(initiative, organizer):
    like_ids = like_by(initiative, 1)
    with pytest.raises(service.EngagementProblem) as refused:
        service.quarantine_likes(organizer, like_ids, "   ")
    assert refused.value.code == "reason_required"
    db.session.rollback()
    assert counts(initiative.id) == (1, 0)


def test_an_account_quarantine_also_catches_likes_made_afterwards(contest, organizer):
    unit, category = make_unit(), make_category(contest)
    first, second = (make_initiative(contest, unit, category=category) for _ in range(2))
    suspect = make_user()
    service.like_initiative(suspect, first)
    service.like_initiative(make_user(), first)
    decision = service.quarantine_account(organizer, suspect, "Tài khoản ảo")
    assert counts(first.id) == (1, 0)
    service.like_initiative(suspect, second)
    assert counts(second.id) == (0, 0)
    assert no_drift()
    with pytest.raises(service.EngagementProblem) as refused:
        service.quarantine_account(organizer, suspect, "Lần nữa")
    assert refused.value.code == "already_quarantined"
    db.session.rollback()
    assert service.release_quarantine(organizer, decision) == 2
    assert counts(first.id) == (2, 0)
    assert counts(second.id) == (1, 0)
    assert no_drift()


def test_every_decision_is_in_the_audit_log(initiative, organizer):
    author = make_user()
    comments = [service.add_comment(author, initiative, f"Bình luận {k}") for k in range(2)]
    like_ids = like_by(initiative, 2)
    service.moderate_comment(organizer, comments[0], "hide", "Lạc đề")
    service.moderate_comment(organizer, comments[0], "restore")
    decision = service.quarantine_likes(organizer, like_ids[:1], "Nghi vấn")
    service.release_quarantine(organizer, decision)
    account = service.quarantine_account(organizer, author, "Tài khoản ảo")
    service.moderate_comment(organizer, comments[1], "hide_suspend")
    entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [e.action for e in entries] == [
        "comment.hide",
        "comment.restore",
        "likes.quarantine",
        "quarantine.release",
        "account.quarantine",
        "comment.hide_suspend",
        "user.deactivate",
    ]
    assert all(e.actor_id == organizer.id for e in entries)
    assert entries[0].after == {"status": "removed", "note": "Lạc đề"}
    assert entries[4].object_id == str(account.id)
    listed = {e.decision.id: e for e in review.quarantine_list()}
    assert (listed[decision.id].likes_at_decision, listed[decision.id].likes_released) == (1, 1)
    assert listed[account.id].likes_now == 0  # the author liked nothing
    assert listed[account.id].decision.active


# --- the fraud review on the database ---------------------------------------------------------


def plant_burst(initiative, n: int, network: str, shared: int, start: datetime) -> None:
    """n likes 30 s apart by accounts registered 2–12 minutes earlier; `shared` of them from one network."""
    for k in range(n):
        at = start + timedelta(seconds=30 * k)
        clock.freeze(at - timedelta(minutes=2 + k % 11))
        user = make_user()
        clock.freeze(at)
        ip = network if k < shared else f"{k:032x}"
        service.like_initiative(user, initiative, Source(ip_hash=ip, ua_hash="ua"))


def test_the_fraud_review_finds_a_planted_burst_and_forgets_it_once_quarantined(contest, organizer):
    unit, category = make_unit(), make_category(contest)
    target = make_initiative(contest, unit, category=category)
    calm = make_initiative(contest, unit, category=category)
    # A week of ordinary likes, a few a day on both.
    regulars = [make_user() for _ in range(12)]
    for day in range(1, 4):
        clock.freeze(START + timedelta(days=day))
        for k, person in enumerate(regulars[day * 3 : day * 3 + 3]):
            clock.travel(timedelta(hours=k + 1))
            service.like_initiative(person, target, Source(ip_hash=f"{k:032x}"))
            service.like_initiative(person, calm, Source(ip_hash=f"{k:032x}"))
    burst_start = START + timedelta(days=5, hours=3, minutes=20)
    plant_burst(target, 30, "ab" * 16, 24, burst_start)
    clock.freeze(burst_start + timedelta(hours=2))

    found = review.compute_fraud_review(contest)
    [burst] = found.bursts
    assert (burst.initiative_id, burst.count) == (target.id, 30)
    assert burst.start == burst_start
    [network] = found.networks
    assert (network.network, network.accounts) == ("abababab", 24)
    assert network.initiative_ids == (target.id,)
    [fresh] = found.fresh
    assert (fresh.initiative_id, len(fresh.likes)) == (
        target.id,
        sum(1 for k in range(30) if 2 + k % 11 <= 10),
    )
    [one_time] = found.one_time
    assert (one_time.initiative_id, one_time.one_time, one_time.likes) == (target.id, 30, 39)
    shown = found.shown(burst.like_ids)
    assert len(shown) == 30
    assert sum(1 for row in shown if row.network == "abababab") == 24
    assert found.initiatives[target.id].title == target.title
    assert all(found.accounts[u].registered_at < burst.end for u in burst.user_ids)

    service.quarantine_likes(organizer, list(burst.like_ids), "Cụm lượt thích bất thường")
    after = review.compute_fraud_review(contest)
    assert (after.bursts, after.networks, after.fresh, after.one_time) == ([], [], [], [])
    assert counts(target.id) == (9, 0)


def test_the_fraud_review_is_quiet_on_ordinary_likes(contest):
    unit, category = make_unit(), make_category(contest)
    initiatives = [make_initiative(contest, unit, category=category) for _ in range(2)]
    for day in range(6):
        clock.freeze(START + timedelta(days=day, hours=2))
        for k in range(6):
            person = make_user()
            clock.travel(timedelta(minutes=20))
            for initiative in initiatives:  # people who like more than once
                service.like_initiative(person, initiative, Source(ip_hash=f"{day:016x}{k:016x}"))
    clock.freeze(START + timedelta(days=10))
    found = review.compute_fraud_review(contest)
    assert found.total == 0
    assert found.since == clock.now() - review.LOOK_BACK


def test_likes_older_than_the_look_back_are_not_examined(contest):
    initiative = make_initiative(contest, make_unit(), category=make_category(contest))
    plant_burst(initiative, 25, "cd" * 16, 25, START + timedelta(hours=1))
    clock.freeze(START + review.LOOK_BACK + timedelta(days=1))
    found = review.compute_fraud_review(contest)
    assert (found.bursts, found.networks, found.fresh) == ([], [], [])
    assert db.session.scalar(select(func.count()).select_from(Like)) == 25


def test_the_review_is_reused_until_a_quarantine_decision_or_a_refresh(contest, organizer):
    unit, category = make_unit(), make_category(contest)
    first, second = (make_initiative(contest, unit, category=category) for _ in range(2))
    plant_burst(first, 25, "", 0, START + timedelta(days=1))
    clock.freeze(START + timedelta(days=1, hours=1))
    [burst] = review.fraud_review(contest).bursts
    plant_burst(second, 25, "", 0, START + timedelta(days=2))
    clock.freeze(START + timedelta(days=2, hours=1))
    assert len(review.fraud_review(contest).bursts) == 1  # the computed review is reused
    assert len(review.fraud_review(contest, refresh=True).bursts) == 2
    service.quarantine_likes(organizer, list(burst.like_ids), "Cụm lượt thích")
    [left] = review.fraud_review(contest).bursts  # a decision makes a new review
    assert left.initiative_id == second.id


def test_each_section_lists_a_limited_number_of_findings(contest, monkeypatch):
    monkeypatch.setattr(review, "FINDINGS_MAX", 1)
    unit, category = make_unit(), make_category(contest)
    for day in (1, 2):
        plant_burst(make_initiative(contest, unit, category=category), 22, "", 0, START + timedelta(days=day))
    clock.freeze(START + timedelta(days=3))
    found = review.compute_fraud_review(contest)
    assert (len(found.bursts), len(found.fresh), len(found.one_time)) == (1, 1, 1)
    assert found.more == {"bursts": 1, "fresh": 1, "one_time": 1}
    assert found.total == 6
