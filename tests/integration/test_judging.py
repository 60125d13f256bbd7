"""Judging operations on a real database: rubric and lock, panel and assignments, reviews, runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.judging import ranking, service
from app.judging.service import JudgingProblem
from models import AuditEntry, RankingRunEntry, ReviewStatus, RoleName, StageKind, db
from tests.factories import full_scores, make_contest, make_initiative, make_judging, make_unit, make_user


@pytest.fixture
def contest(app):
    return make_contest()


@pytest.fixture
def organizer(app):
    return make_user(role=RoleName.ORGANIZER)


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_default_rubric_has_the_five_criteria_of_the_domain(contest, organizer):
    clock.freeze(contest.stage(StageKind.JUDGING).opens_at - timedelta(days=1))
    criteria = service.install_default_rubric(organizer, contest)
    assert [c.name for c in criteria] == [
        "Tính khả thi",
        "Hiệu quả quản lý, điều hành",
        "Tác động kinh tế – xã hội",
        "Khả năng nhân rộng",
        "Tính sáng tạo",
    ]
    assert sum(c.weight for c in criteria) == 100
    assert "rubric.default" in audit_actions()


def test_rubric_locks_when_judging_opens_and_unlocking_needs_a_reason(contest, organizer):
    opens = contest.stage(StageKind.JUDGING).opens_at
    clock.freeze(opens - timedelta(minutes=1))
    service.install_default_rubric(organizer, contest)
    assert not service.rubric_locked(contest)
    clock.freeze(opens)
    assert service.rubric_locked(contest)
    with pytest.raises(JudgingProblem) as refused:
        service.save_criterion(organizer, contest, name="Mới", weight=1, max_score=10)
    assert refused.value.status == 409
    with pytest.raises(JudgingProblem) as no_reason:
        service.unlock_rubric(organizer, contest, "  ")
    assert no_reason.value.status == 422
    assert service.rubric_locked(contest)
    service.unlock_rubric(organizer, contest, "Bổ sung tiêu chí theo chỉ đạo")
    assert not service.rubric_locked(contest)
    service.save_criterion(organizer, contest, name="Mới", weight=1, max_score=10)
    assert len(service.rubric(contest)) == 6
    assert {"rubric.unlock", "criterion.save"} <= set(audit_actions())


def test_a_new_criterion_sends_submitted_reviews_back_to_draft(contest, organizer):
    unit = make_unit()
    initiative = make_initiative(contest, unit, images=0)
    (judge,) = make_judging(contest, judges=1)
    review = service.save_review(judge, initiative, full_scores(contest, 0.8), submit=True)
    assert review.status == ReviewStatus.SUBMITTED
    service.unlock_rubric(organizer, contest, "Thêm tiêu chí")
    service.save_criterion(organizer, contest, name="Tính bền vững", weight=10, max_score=10)
    db.session.refresh(review)
    assert review.status == ReviewStatus.DRAFT
    assert "review.reopened" in audit_actions()


def test_k_mode_balances_the_load_and_never_gives_a_judge_his_own_unit(contest, organizer):
    units = [make_unit() for _ in range(3)]
    items = [make_initiative(contest, units[n % 3], images=0) for n in range(9)]
    service.update_settings(organizer, contest, assignment_mode="k", judges_per_initiative=2)
    judges = [make_user(role=RoleName.JUDGE, unit=units[n % 3]) for n in range(4)]
    for judge in judges:
        service.add_panel_member(organizer, contest, judge)
    report = service.assign_work(organizer, contest)
    assert report.added == 18 and report.short == ()
    loads = []
    for judge in judges:
        lines = service.judge_assignments(judge, contest)
        loads.append(len(lines))
        assert all(line.initiative.unit_id != judge.unit_id for line in lines)
    assert max(loads) - min(loads) <= 1
    # Planning again adds nothing.
    assert service.assign_work(organizer, contest).added == 0
    assert {i.id for i in items} == {p.initiative.id for p in service.progress(contest).initiatives}


def test_declared_conflict_is_replaced_to_keep_k(contest, organizer):
    unit = make_unit()
    initiative = make_initiative(contest, unit, images=0)
    judges = make_judging(contest, judges=3, mode="k", k=2)
    assigned = [j for j in judges if service.assignment_for(j, initiative)]
    assert len(assigned) == 2
    spare = next(j for j in judges if j not in assigned)
    with pytest.raises(JudgingProblem) as no_reason:
        service.declare_conflict(assigned[0], initiative, "")
    assert no_reason.value.status == 422
    service.declare_conflict(assigned[0], initiative, "Người thân làm việc ở đơn vị")
    assert service.assignment_for(spare, initiative) is not None
    lines = service.judge_assignments(assigned[0], contest)
    assert [line.status for line in lines] == ["conflict"]
    with pytest.raises(JudgingProblem) as refused:
        service.save_review(assigned[0], initiative, full_scores(contest, 0.5))
    assert refused.value.status == 409


def test_review_validation_draft_submit_and_change(contest):
    initiative = make_initiative(contest, make_unit(), images=0)
    (judge,) = make_judging(contest, judges=1)
    criteria = service.rubric(contest)
    first = criteria[0]
    draft = service.save_review(judge, initiative, {first.id: 7}, "ghi chú riêng")
    assert draft.status == ReviewStatus.DRAFT and draft.score_map == {first.id: 7}
    with pytest.raises(JudgingProblem) as incomplete:
        service.save_review(judge, initiative, {}, submit=True)
    assert incomplete.value.status == 422
    assert set(incomplete.value.fields) == {str(c.id) for c in criteria[1:]}
    with pytest.raises(JudgingProblem) as too_high:
        service.save_review(judge, initiative, {first.id: 11})
    assert too_high.value.fields == {str(first.id): "out_of_range"}
    with pytest.raises(JudgingProblem) as unknown:
        service.save_review(judge, initiative, {"999999": 1})
    assert unknown.value.fields == {"999999": "unknown_criterion"}
    db.session.rollback()
    submitted = service.save_review(judge, initiative, full_scores(contest, 0.9), "ghi chú", submit=True)
    assert submitted.status == ReviewStatus.SUBMITTED
    changed = service.save_review(judge, initiative, {first.id: 5}, "ghi chú", submit=True)
    assert changed.score_map[first.id] == 5
    actions = audit_actions()
    assert actions.count("review.change") == 1 and "review.submit" in actions
    # The private note never reaches the audit log.
    assert not db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.after.cast(db.String).contains("ghi chú"))
    )


def test_reviews_are_refused_outside_the_judging_window_and_for_the_own_unit(contest, organizer):
    unit = make_unit()
    initiative = make_initiative(contest, unit, images=0)
    (judge,) = make_judging(contest, judges=1)
    clock.freeze(contest.stage(StageKind.JUDGING).closes_at)
    with pytest.raises(JudgingProblem) as closed:
        service.save_review(judge, initiative, full_scores(contest, 0.5))
    assert closed.value.status == 409
    clock.reset()
    insider = make_user(role=RoleName.JUDGE, unit=unit)
    service.add_panel_member(organizer, contest, insider)
    service.assign_work(organizer, contest)
    assert service.assignment_for(insider, initiative) is None
    with pytest.raises(JudgingProblem) as own:
        service.save_review(insider, initiative, full_scores(contest, 0.5))
    assert own.value.status == 403 and own.value.code == "own_unit"


def _reviewed_contest(contest, n_items=4, n_judges=3):
    units = [make_unit() for _ in range(n_items)]
    items = [make_initiative(contest, units[n], images=0) for n in range(n_items)]
    judges = make_judging(contest, judges=n_judges)
    for n, item in enumerate(items):
        for judge in judges:
            service.save_review(judge, item, full_scores(contest, 0.5 + 0.1 * n), submit=True)
    return items, judges


def test_a_run_stores_snapshot_digest_and_lines_and_verifies(contest, organizer):
    items, _judges = _reviewed_contest(contest)
    run = service.run_ranking(organizer, contest, {"finalists": 2})
    assert run.digest == ranking.digest_of(run.snapshot)
    assert ranking.verify({**run.snapshot, "digest": run.digest})
    lines = service.run_lines(run)
    assert [line.initiative_id for line in lines] == [items[3].id, items[2].id, items[1].id, items[0].id]
    assert [line.finalist for line in lines] == [True, True, False, False]
    assert lines[0].expert_score == 80.0 and lines[0].reviews == 3
    assert service.verify_run(run).ok
    assert "ranking.run" in audit_actions()


def test_verify_finds_an_altered_line_and_an_altered_snapshot(contest, organizer):
    _reviewed_contest(contest)
    run = service.run_ranking(organizer, contest)
    line = db.session.scalar(select(RankingRunEntry).where(RankingRunEntry.run_id == run.id).limit(1))
    line.final_score = 99.99
    db.session.commit()
    report = service.verify_run(run)
    assert not report.ok and any("final_score" in p for p in report.problems)


def test_publish_and_unpublish_with_a_reason(contest, organizer):
    _reviewed_contest(contest)
    first = service.run_ranking(organizer, contest)
    second = service.run_ranking(organizer, contest)
    assert service.published_run(contest) is None
    service.publish_run(organizer, first)
    assert service.published_run(contest).id == first.id
    with pytest.raises(JudgingProblem) as another:
        service.publish_run(organizer, second)
    assert another.value.status == 409
    with pytest.raises(JudgingProblem) as no_reason:
        service.unpublish_run(organizer, first, "")
    assert no_reason.value.status == 422
    service.unpublish_run(organizer, first, "Sai sót số liệu tương tác")
    assert service.published_run(contest) is None
    service.publish_run(organizer, second)
    assert service.published_run(contest).id == second.id
    assert audit_actions().count("ranking.publish") == 2 and "ranking.unpublish" in audit_actions()


def test_what_if_alpha_shows_finalists_that_change(contest, organizer):
    from app.engagement.service import Source, like_initiative, visible_target

    items = [make_initiative(contest, make_unit(), images=0) for _ in range(2)]
    judges = make_judging(contest, judges=3)
    for judge in judges:
        service.save_review(judge, items[0], full_scores(contest, 0.2), submit=True)  # E = 20
        service.save_review(judge, items[1], full_scores(contest, 0.9), submit=True)  # E = 90
    # The weaker entry by the experts is the only one the public liked: P = 100 against 0.
    for _ in range(5):
        fan = make_user()
        like_initiative(fan, visible_target(items[0].id, fan), Source())
    run = service.run_ranking(organizer, contest, {"finalists": 1})
    assert service.run_lines(run, finalists_only=True)[0].initiative_id == items[1].id
    engaged = service.what_if(run, 0.0)
    assert engaged.entered == [items[0].id] and engaged.left == [items[1].id]
    same = service.what_if(run, 0.7)
    assert same.entered == [] and same.left == []
    with pytest.raises(JudgingProblem):
        service.what_if(run, 1.5)


def test_engagement_inputs_exclude_quarantined_likes_and_count_distinct_commenters(contest, organizer):
    from app.engagement.service import Source, add_comment, like_initiative, quarantine_likes, visible_target

    item = make_initiative(contest, make_unit(), images=0)
    fans = [make_user() for _ in range(3)]
    for fan in fans:
        like_initiative(fan, visible_target(item.id, fan), Source())
    add_comment(fans[0], item, "Rất hay")
    add_comment(fans[0], item, "Nên nhân rộng")
    add_comment(fans[1], item, "Đồng ý")
    from models import Like

    suspicious = db.session.scalar(select(Like.id).where(Like.user_id == fans[2].id))
    quarantine_likes(organizer, [suspicious], "Nghi vấn")
    (entry,) = service.ranking_input(contest).entries
    assert (entry.likes, entry.commenters) == (2, 2)
