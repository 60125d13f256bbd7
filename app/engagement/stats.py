"""Engagement of one initiative per day (Vietnam days), for the chart its unit and organizers see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from app import clock
from app.engagement.rules import VIETNAM, view_day
from models import EngagementEvent, EventKind, InitiativeView, db

CHART_DAYS = 30


@dataclass(frozen=True)
class DayStats:
    day: date
    likes: int = 0  # likes given that day (taking one back is counted in unlikes)
    unlikes: int = 0
    comments: int = 0  # comments and replies written that day
    views: int = 0  # distinct viewers that day


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=VIETNAM)


def daily_engagement(initiative_id: int, days: int = CHART_DAYS) -> list[DayStats]:
    """The last `days` Vietnam days up to today, oldest first, every day present (zeros included).

    Two queries: the like/unlike/comment events since the first day's midnight in Vietnam, grouped
    by Vietnam day here (a month of one initiative is small); the views, already stored per
    Vietnam day, grouped in SQL.
    """
    today = view_day(clock.now())
    first = today - timedelta(days=days - 1)
    counts: dict[date, dict[str, int]] = {
        first + timedelta(days=n): {"likes": 0, "unlikes": 0, "comments": 0, "views": 0} for n in range(days)
    }
    kinds = {EventKind.LIKE: "likes", EventKind.UNLIKE: "unlikes", EventKind.COMMENT: "comments"}
    events = db.session.execute(
        select(EngagementEvent.kind, EngagementEvent.created_at).where(
            EngagementEvent.initiative_id == initiative_id,
            EngagementEvent.kind.in_(list(kinds)),
            EngagementEvent.created_at >= _start_of(first),
        )
    )
    for kind, created_at in events:
        bucket = counts.get(view_day(created_at))
        if bucket is not None:  # an event stamped after "today" (a moved clock) is left out
            bucket[kinds[kind]] += 1
    views = db.session.execute(
        select(InitiativeView.day, func.count())
        .where(InitiativeView.initiative_id == initiative_id, InitiativeView.day >= first)
        .group_by(InitiativeView.day)
    )
    for day, count in views:
        if day in counts:
            counts[day]["views"] = count
    return [DayStats(day, **values) for day, values in counts.items()]
