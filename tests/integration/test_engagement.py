"""Engagement operations on the database: gates write nothing, counters follow the rows, views are
distinct per day, and `flask engagement reconcile` finds and fixes drift."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app import clock
from app.engagement import service
from models import (
    Comment,
    EngagementEvent,
    EventKind,
    Initiative,
    InitiativeStatus,
    InitiativeView,
    Like,
    db,
)
from tests.factories import make_category, make_contest, make_initiative, make_unit, make_user


@pytest.fixture
def world(app):
    contest = make_contest()
    unit = make_unit("Xã Phương Tú", code="UH-PT")
    category = make_category(contest)
    return {
        "contest": contest,
        "initiative": make_initiative(contest, unit, category=category),
        "draft": make_initiative(contest, unit, category=category, status=InitiativeStatus.DRAFT),
    }


def _rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _nothing_written():
    assert (_rows(Like), _rows(Comment), _rows(EngagementEvent)) == (0, 0, 0)


def test_like_then_like_again_then_unlike(world):
    citizen, initiative = make_user(), world["initiative"]
    source = service.Source("a" * 32, "b" * 32)
    assert service.like_initiative(citizen, initiative, source) == service.LikeState(True, 1)
    assert service.like_initiative(citizen, initiative, source) == service.LikeState(True, 1)
    assert service.has_liked(citizen, initiative.id)
    assert service.unlike_initiative(citizen, initiative, source) == service.LikeState(False, 0)
    assert service.unlike_initiative(citizen, initiative, source) == service.LikeState(False, 0)
    kinds = db.session.scalars(select(EngagementEvent.kind).order_by(EngagementEvent.id)).all()
    assert kinds == [EventKind.LIKE, EventKind.UNLIKE]
    event = db.session.scalars(select(EngagementEvent)).first()
    assert (event.ip_hash, event.ua_hash, event.user_id) == ("a" * 32, "b" * 32, citizen.id)


def test_unverified_accounts_are_refused_and_nothing_is_written(world):
    with pytest.raises(service.EngagementProblem) as refused:
        service.like_initiative(make_user(verified=False), world["initiative"])
    assert (refused.value.code, refused.value.status) == ("unverified", 403)
    with pytest.raises(service.EngagementProblem):
        service.add_comment(make_user(verified=False), world["initiative"], "Hay quá")
    _nothing_written()


def test_unpublished_initiatives_take_no_likes_or_comments(world):
    with pytest.raises(service.EngagementProblem) as refused:
        service.like_initiative(make_user(), world["draft"])
    assert (refused.value.code, refused.value.status) == ("not_published", 409)
    _nothing_written()


def test_nothing_is_accepted_once_voting_has_closed(world):
    citizen = make_user()
    voting = world["contest"].stage("voting")
    clock.freeze(voting.closes_at + timedelta(seconds=1))
    for operation in (
        lambda: service.like_initiative(citizen, world["initiative"]),
        lambda: service.unlike_initiative(citizen, world["initiative"]),
        lambda: service.add_comment(citizen, world["initiative"], "Mô hình rất thiết thực"),
    ):
        with pytest.raises(service.EngagementProblem) as refused:
            operation()
        assert (refused.value.code, refused.value.status) == ("voting_closed", 409)
    _nothing_written()


def test_comment_counter_follows_comments_replies_and_deletions(world):
    initiative = world["initiative"]
    author, replier = make_user(), make_user()
    comment = service.add_comment(author, initiative, "  Xã đã áp dụng được bao lâu?  ")
    assert comment.body == "Xã đã áp dụng được bao lâu?"
    reply = service.add_comment(replier, initiative, "Từ tháng 3/2025 ạ.", parent_id=comment.id)
    nested = service.add_comment(author, initiative, "Cảm ơn!", parent_id=reply.id)
    assert reply.parent_id == comment.id and nested.parent_id == comment.id  # one level deep
    db.session.refresh(initiative)
    assert initiative.comment_count == 3
    service.delete_comment(author, nested)
    service.delete_comment(author, nested)  # twice: still one decrement
    db.session.refresh(initiative)
    assert initiative.comment_count == 2
    with pytest.raises(service.EngagementProblem) as refused:
        service.delete_comment(replier, comment)
    assert refused.value.status == 403


def test_edits_are_allowed_for_fifteen_minutes_and_marked(world):
    author = make_user()
    clock.freeze(clock.now())
    comment = service.add_comment(author, world["initiative"], "Mô hình hay")
    clock.travel(timedelta(minutes=14))
    service.edit_comment(author, comment, "Mô hình rất hay")
    assert comment.body == "Mô hình rất hay" and comment.edited_at is not None
    clock.travel(timedelta(minutes=2))
    with pytest.raises(service.EngagementProblem) as refused:
        service.edit_comment(author, comment, "Sửa lần nữa")
    assert refused.value.code == "edit_window_over"
    db.session.refresh(comment)
    assert comment.body == "Mô hình rất hay"


def test_a_viewer_counts_once_a_day_and_bots_never(world):
    initiative = world["initiative"]
    phone = "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"
    clock.freeze(clock.now())
    assert service.record_view(initiative, "u:1", phone)
    assert not service.record_view(initiative, "u:1", phone)
    assert service.record_view(initiative, "s:abc", phone)
    assert not service.record_view(initiative, "u:2", "Googlebot/2.1")
    clock.travel(timedelta(days=1))
    assert service.record_view(initiative, "u:1", phone)
    db.session.refresh(initiative)
    assert initiative.view_count == 3 == _rows(InitiativeView)


def test_reconcile_reports_and_fixes_drift(world, runner):
    initiative = world["initiative"]
    for _ in range(3):
        service.like_initiative(make_user(), initiative)
    assert runner.invoke(args=["engagement", "reconcile", "--check"]).exit_code == 0
    db.session.execute(
        update(Initiative).where(Initiative.id == initiative.id).values(like_count=10, comment_count=4)
    )
    db.session.commit()
    checked = runner.invoke(args=["engagement", "reconcile", "--check"])
    assert checked.exit_code == 1
    assert (
        "like_count was 10, counted 3" in checked.output
        and "comment_count was 4, counted 0" in checked.output
    )
    fixed = runner.invoke(args=["engagement", "reconcile"])
    assert fixed.exit_code == 0 and "Fixed 2 counter(s)." in fixed.output
    db.session.refresh(initiative)
    assert (initiative.like_count, initiative.comment_count) == (3, 0)
    assert "No drift" in runner.invoke(args=["engagement", "reconcile"]).output


def test_reconcile_notices_likes_without_their_events(world):
    initiative = world["initiative"]
    service.like_initiative(make_user(), initiative)
    db.session.execute(EngagementEvent.__table__.delete())
    db.session.commit()
    drifts, event_drifts = service.reconcile_counters(fix=False)
    assert drifts == []
    assert [(d.initiative_id, d.stored, d.actual) for d in event_drifts] == [(initiative.id, 0, 1)]
