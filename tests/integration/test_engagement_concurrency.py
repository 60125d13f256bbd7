"""Likes under concurrent requests, through the API as real clients send them (SQLite and PostgreSQL).

Each thread has its own test client and app context; the server side runs the same code as under
gunicorn (BEGIN IMMEDIATE on SQLite, row locks on PostgreSQL).
"""

from __future__ import annotations

import random
import threading

import pytest
from sqlalchemy import func, select

from app.auth.service import issue_api_token
from app.engagement.service import reconcile_counters
from models import EngagementEvent, EventKind, Initiative, Like, db
from tests.factories import make_category, make_contest, make_initiative, make_unit, make_user


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": False}


@pytest.fixture
def initiative(app):
    contest = make_contest()
    unit = make_unit("Xã Liên Bạt", code="UH-LB")
    return make_initiative(contest, unit, category=make_category(contest))


def _tokens(n: int) -> list[str]:
    return [issue_api_token(make_user())[0] for _ in range(n)]


def _run_threads(app, jobs) -> list:
    """Run each job(client) in its own thread, all released at once; returns errors."""
    barrier = threading.Barrier(len(jobs))
    errors: list[str] = []

    def run(job):
        with app.app_context():
            try:
                client = app.test_client()
                barrier.wait(timeout=60)
                job(client)
            except Exception as exc:  # collected and asserted below
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    return errors


def _counts(initiative_id: int) -> tuple[int, int, int]:
    db.session.remove()
    stored = db.session.scalar(select(Initiative.like_count).where(Initiative.id == initiative_id))
    rows = db.session.scalar(
        select(func.count()).select_from(Like).where(Like.initiative_id == initiative_id)
    )
    events = db.session.scalar(
        select(func.count())
        .select_from(EngagementEvent)
        .where(EngagementEvent.initiative_id == initiative_id, EngagementEvent.kind == EventKind.LIKE)
    )
    return stored, rows, events


def test_fifty_simultaneous_likes_by_one_account_make_one_like(app, initiative):
    token = _tokens(1)[0]
    url = f"/api/v1/initiatives/{initiative.id}/like"
    answers: list[tuple[int, dict]] = []

    def like(client):
        r = client.put(url, headers={"Authorization": f"Bearer {token}"})
        answers.append((r.status_code, r.get_json()))

    assert _run_threads(app, [like] * 50) == []
    assert [status for status, _body in answers] == [200] * 50
    assert all(body == {"liked": True, "like_count": 1} for _status, body in answers)
    assert _counts(initiative.id) == (1, 1, 1)


def test_two_hundred_accounts_liking_at_once_count_two_hundred(app, initiative):
    tokens = _tokens(200)
    url = f"/api/v1/initiatives/{initiative.id}/like"
    statuses: list[int] = []

    def job(token):
        def like(client):
            statuses.append(client.put(url, headers={"Authorization": f"Bearer {token}"}).status_code)

        return like

    assert _run_threads(app, [job(t) for t in tokens]) == []
    assert statuses == [200] * 200
    assert _counts(initiative.id) == (200, 200, 200)
    drifts, event_drifts = reconcile_counters(fix=False)
    assert drifts == [] and event_drifts == []


def test_interleaved_likes_and_unlikes_end_with_the_last_action_of_each_account(app, initiative):
    rng = random.Random(20261122)
    tokens = _tokens(60)
    url = f"/api/v1/initiatives/{initiative.id}/like"
    plans = {t: [rng.choice(("PUT", "DELETE")) for _ in range(rng.randint(1, 6))] for t in tokens}
    statuses: list[int] = []

    def job(token):
        def act(client):
            for method in plans[token]:
                r = client.open(url, method=method, headers={"Authorization": f"Bearer {token}"})
                statuses.append(r.status_code)

        return act

    assert _run_threads(app, [job(t) for t in tokens]) == []
    assert set(statuses) == {200}
    expected = sum(1 for plan in plans.values() if plan[-1] == "PUT")
    stored, rows, _events = _counts(initiative.id)
    assert stored == rows == expected
    drifts, event_drifts = reconcile_counters(fix=False)
    assert drifts == [] and event_drifts == []
