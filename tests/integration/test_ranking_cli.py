"""`flask ranking run` and `flask ranking verify`: a stored run is recomputed, and tampering shows."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select, update

from app.judging import service
from models import AuditEntry, RankingRun, RankingRunEntry, RoleName, db
from tests.factories import full_scores, make_contest, make_initiative, make_judging, make_unit, make_user


@pytest.fixture
def contest(app):
    contest = make_contest()
    items = [make_initiative(contest, make_unit(), images=0) for _ in range(3)]
    for judge in make_judging(contest, judges=3):
        for n, item in enumerate(items):
            service.save_review(judge, item, full_scores(contest, 0.6 + 0.1 * n), submit=True)
    return contest


@pytest.fixture
def run(contest):
    return service.run_ranking(make_user(role=RoleName.ORGANIZER), contest, {"finalists": 2})


def verify(runner, run_id: int):
    return runner.invoke(args=["ranking", "verify", str(run_id)])


def test_an_intact_run_verifies(runner, run):
    result = verify(runner, run.id)
    assert result.exit_code == 0, result.output
    assert f"Run {run.id}: OK" in result.output and run.digest in result.output


def test_verify_detects_an_altered_stored_line(runner, run):
    line = db.session.scalar(
        select(RankingRunEntry).where(RankingRunEntry.run_id == run.id, RankingRunEntry.rank == 1)
    )
    initiative_id = line.initiative_id
    db.session.execute(update(RankingRunEntry).where(RankingRunEntry.id == line.id).values(final_score=99.5))
    db.session.commit()
    result = verify(runner, run.id)
    assert result.exit_code == 1
    assert f"Run {run.id} does NOT verify" in result.output
    assert f"initiative {initiative_id}: final_score differs from the snapshot" in result.output


def test_verify_detects_an_altered_snapshot_result(runner, run):
    snapshot = copy.deepcopy(db.session.scalar(select(RankingRun.snapshot).where(RankingRun.id == run.id)))
    first, second = snapshot["result"]["results"][:2]
    first["final_score"], second["final_score"] = second["final_score"], first["final_score"]
    db.session.execute(update(RankingRun).where(RankingRun.id == run.id).values(snapshot=snapshot))
    db.session.commit()
    result = verify(runner, run.id)
    assert result.exit_code == 1
    assert "digest: the stored snapshot does not hash to the stored digest" in result.output
    assert "result: recomputing the inputs with the parameters gives another result" in result.output
    assert f"initiative {first['initiative_id']}: final_score differs from the snapshot" in result.output


def test_verify_an_unknown_run(runner, app):
    result = verify(runner, 424242)
    assert result.exit_code == 1 and "No ranking run 424242" in result.output


def test_ranking_run_stores_a_run_for_the_current_contest_as_the_system(runner, contest):
    result = runner.invoke(args=["ranking", "run"])
    assert result.exit_code == 0, result.output
    run = db.session.scalar(select(RankingRun).order_by(RankingRun.id.desc()))
    assert run.contest_id == contest.id and run.created_by_id is None and not run.is_published
    assert f"Run {run.id} stored for contest {contest.id}" in result.output and run.digest in result.output
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "ranking.run"))
    assert entry.actor_id is None and entry.actor_label == "system"
    assert verify(runner, run.id).exit_code == 0


def test_ranking_run_for_a_given_or_unknown_contest(runner, contest):
    other = make_contest(name="Năm trước", year=2020)
    result = runner.invoke(args=["ranking", "run", "--contest", str(contest.id)])
    assert result.exit_code == 0 and f"contest {contest.id}" in result.output
    refused = runner.invoke(args=["ranking", "run", "--contest", str(other.id)])  # no rubric there
    assert refused.exit_code == 1 and "no_rubric" in refused.output
    unknown = runner.invoke(args=["ranking", "run", "--contest", "999999"])
    assert unknown.exit_code == 1 and "No such contest" in unknown.output
