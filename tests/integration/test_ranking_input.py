"""ranking_input's likes L: the window's likes minus the quarantined ones among them (the fast path used
for a million likes must count exactly what "not quarantined, within the window" says)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from app.engagement.service import quarantine_likes
from app.judging import service
from models import Like, RoleName, StageKind, db
from tests.factories import make_contest, make_initiative, make_unit, make_user


def test_likes_count_the_window_and_leave_out_quarantined_ones_only_inside_it(app):
    contest = make_contest()
    other_contest = make_contest(name="Cuộc thi khác", year=2020)
    voting = contest.stage(StageKind.VOTING)
    item, second = (make_initiative(contest, make_unit(), images=0) for _ in range(2))
    elsewhere = make_initiative(other_contest, make_unit(), images=0)
    fans = [make_user() for _ in range(8)]
    inside, before, after = voting.opens_at + timedelta(hours=1), voting.opens_at, voting.closes_at
    rows = [(item.id, fan.id, inside) for fan in fans[:5]]  # 5 inside the window
    rows += [(item.id, fans[5].id, before - timedelta(seconds=1)), (item.id, fans[6].id, after)]  # outside
    rows += [(item.id, fans[7].id, before)]  # the window's first instant counts
    rows += [(second.id, fan.id, inside) for fan in fans[:3]]
    rows += [(elsewhere.id, fan.id, inside) for fan in fans]  # another contest
    db.session.execute(
        insert(Like), [{"initiative_id": i, "user_id": u, "created_at": at} for i, u, at in rows]
    )
    for initiative in (item, second, elsewhere):  # the counters, as the like operation keeps them
        initiative.like_count = sum(1 for i, _, _ in rows if i == initiative.id)
    db.session.commit()
    like_id = {
        (i, u): like for like, i, u in db.session.execute(select(Like.id, Like.initiative_id, Like.user_id))
    }
    organizer = make_user(role=RoleName.ORGANIZER)
    # Quarantined: two inside the window, one outside it, one of another contest.
    quarantine_likes(
        organizer,
        [
            like_id[(item.id, fans[0].id)],
            like_id[(item.id, fans[1].id)],
            like_id[(item.id, fans[5].id)],
            like_id[(elsewhere.id, fans[0].id)],
        ],
        "Nghi vấn",
    )
    entries = {e.initiative_id: e for e in service.ranking_input(contest).entries}
    assert set(entries) == {item.id, second.id}
    assert entries[item.id].likes == 5 + 1 - 2
    assert entries[second.id].likes == 3
