"""The demo's judging: `flask demo seed` gives the contest the default rubric, puts the five demo judges
on the panel, has them review most published initiatives (drafts, one declared conflict, a strict and
a lenient judge) and stores one unpublished ranking run that verifies."""

from __future__ import annotations

import statistics
from collections import Counter
from functools import cache

import pytest
from sqlalchemy import func, select

from app.demo import initiatives as demo_initiatives
from app.demo.judging import CONFLICT_REASON, JUDGES
from app.judging import service
from models import (
    Assignment,
    AuditEntry,
    Contest,
    Initiative,
    InitiativeStatus,
    RankingRun,
    RankingRunEntry,
    Review,
    ReviewScore,
    ReviewStatus,
    StageKind,
    User,
    db,
)


@pytest.fixture(autouse=True)
def one_picture(monkeypatch):
    """Every demo picture is the same one, drawn once: the pictures are tested elsewhere."""
    picture = cache(demo_initiatives._process_picture)
    monkeypatch.setattr(demo_initiatives, "_process_picture", lambda seed: picture(1))


def seed(runner) -> str:
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    return result.output


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Assignment, Review, ReviewScore, RankingRun, RankingRunEntry, AuditEntry)
    )


def test_demo_seed_sets_up_judging_that_a_ranking_run_can_use(app, runner):
    output = seed(runner)
    assert "Judging:" in output
    contest = db.session.scalar(select(Contest))
    judging = contest.stage(StageKind.JUDGING)
    judges = {u.email: u for u in service.panel(contest)}
    assert set(judges) == set(JUDGES)
    assert all(u.unit_id for u in judges.values())  # every judge belongs to a unit of the district
    assert [c.name for c in service.rubric(contest)][0] == "Tính khả thi" and len(
        service.rubric(contest)
    ) == 5
    assert str(service.settings_for(contest).assignment_mode) == "all"

    published = service.judged_initiatives(contest)
    assignments = db.session.scalars(select(Assignment)).all()
    # "all" mode: every judge has every published initiative except those of his or her own unit.
    own = {(u.id, i.id) for u in judges.values() for i in published if i.unit_id == u.unit_id}
    assert own, "no judge belongs to a unit with a published initiative: the own-unit rule would not show"
    assert {(a.judge_id, a.initiative_id) for a in assignments} == {
        (u.id, i.id) for u in judges.values() for i in published
    } - own

    reviews = db.session.scalars(select(Review)).all()
    assert 0.78 <= len(reviews) / len(assignments) <= 0.92  # about 85 % reviewed
    statuses = Counter(r.status for r in reviews)
    assert 1 <= statuses[ReviewStatus.DRAFT] <= 8 and statuses[ReviewStatus.SUBMITTED] > 60
    assert all(judging.opens_at <= r.updated_at <= judging.closes_at for r in reviews)
    assert len({r.created_at.date() for r in reviews}) >= 2  # written over the days of the window
    assert 3 <= sum(1 for r in reviews if r.note) <= 25  # a few private notes
    for r in reviews:
        if r.status == ReviewStatus.SUBMITTED:
            assert len(r.scores) == 5 and all(0 <= s.score <= 10 for s in r.scores)

    (conflict,) = [a for a in assignments if a.in_conflict]
    assert conflict.conflict_reason == CONFLICT_REASON
    assert not any(
        r.judge_id == conflict.judge_id and r.initiative_id == conflict.initiative_id for r in reviews
    )

    # One strict and one lenient judge: their mean review scores are clearly apart.
    means = {j.judge.email: statistics.mean(j.scores) for j in service.progress(contest).judges}
    assert min(means, key=means.get) == "bgk3@demo.vn" and max(means, key=means.get) == "bgk5@demo.vn"
    assert means["bgk5@demo.vn"] - means["bgk3@demo.vn"] > 8

    # One stored, unpublished run that verifies; every initiative with ≥ 3 submitted reviews is ranked.
    (run,) = service.runs(contest)
    assert not run.is_published and service.published_run(contest) is None
    assert service.verify_run(run).ok
    lines = {line.initiative_id: line for line in service.run_lines(run)}
    assert set(lines) == {i.id for i in published}
    submitted = Counter(
        r.initiative_id
        for r in reviews
        if r.status == ReviewStatus.SUBMITTED and (r.judge_id, r.initiative_id) != conflict_pair(conflict)
    )
    for initiative in published:
        line = lines[initiative.id]
        assert line.reviews == submitted[initiative.id]
        assert line.ranked == (submitted[initiative.id] >= 3), initiative.title
    assert 1 <= run.finalists <= 10


def conflict_pair(assignment) -> tuple[int, int]:
    return assignment.judge_id, assignment.initiative_id


def test_demo_seed_twice_adds_no_judging_twice(app, runner):
    seed(runner)
    before = counts()
    output = seed(runner)
    assert "Judging:" not in output
    assert counts()[:5] == before[:5]  # the audit log gets its demo.seed line, nothing else changes


def test_the_stored_demo_run_can_be_published_and_shown(app, runner, client):
    seed(runner)
    contest = db.session.scalar(select(Contest))
    organizer = db.session.scalar(select(User).where(User.email == "btc@demo.vn"))
    (run,) = service.runs(contest)
    service.publish_run(organizer, run)
    html = client.get("/ket-qua/").get_data(as_text=True)
    finalists = service.run_lines(run, finalists_only=True)
    assert finalists and all(f'data-testid="finalist-{line.initiative_id}"' in html for line in finalists)
    withdrawn = db.session.scalar(select(Initiative).where(Initiative.status == InitiativeStatus.WITHDRAWN))
    assert withdrawn.title not in html
