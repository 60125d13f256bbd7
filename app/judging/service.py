"""Judging operations: rubric, panel, assignments, reviews, progress, ranking runs. Each owns its transaction.

The method itself is the pure module app/judging/ranking.py; this module loads its inputs with a
fixed number of aggregate queries, stores each run with its canonical snapshot and digest, and
writes every score change, run, publication and unpublication to the hash-chained audit log.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import selectinload

from app import clock
from app.audit.service import record_audit
from app.engagement.rules import view_day
from app.judging import assignment as planner
from app.judging import ranking
from models import (
    Assignment,
    AssignmentMode,
    Comment,
    CommentStatus,
    Contest,
    Criterion,
    ExternalEngagement,
    Initiative,
    InitiativeStatus,
    InitiativeView,
    JudgingSettings,
    Like,
    PanelMember,
    RankingRun,
    RankingRunEntry,
    Review,
    ReviewScore,
    ReviewStatus,
    RoleName,
    StageKind,
    User,
    db,
)


class JudgingProblem(Exception):
    """An operation refused; `code` names why (messages.py), `status` is the HTTP answer.

    `fields` maps a form field (a criterion id for scores) to the code of what is wrong with it.
    """

    def __init__(self, code: str, status: int = 409, fields: dict | None = None):
        super().__init__(code)
        self.code = code
        self.status = status
        self.fields = fields or {}


# The default rubric (../shared/DOMAIN.md, "Expert score"): weights add up to 100, each scored 0–10.
DEFAULT_RUBRIC = (
    (
        "Tính khả thi",
        "Feasibility",
        "Có thể triển khai với nguồn lực, hạ tầng và con người hiện có của đơn vị; đã vận hành thực tế.",
        "Can be run with the unit's current resources, infrastructure and people; already works in practice.",
        25,
    ),
    (
        "Hiệu quả quản lý, điều hành",
        "Impact on management and administration",
        "Rút ngắn thời gian xử lý, giảm giấy tờ, minh bạch hơn trong quản lý, điều hành.",
        "Shorter processing times, less paper, more transparency in management and administration.",
        25,
    ),
    (
        "Tác động kinh tế – xã hội",
        "Socio-economic impact",
        "Lợi ích cho người dân, doanh nghiệp và đời sống kinh tế – xã hội của địa phương.",
        "Benefits for citizens, businesses and the local economy and society.",
        20,
    ),
    (
        "Khả năng nhân rộng",
        "Replicability",
        "Các đơn vị khác có thể áp dụng với chi phí và công sức hợp lý.",
        "Other units can adopt it at a reasonable cost and effort.",
        15,
    ),
    (
        "Tính sáng tạo",
        "Creativity",
        "Cách làm mới, sáng tạo so với cách làm trước đây của địa phương.",
        "A new, creative approach compared with how the locality worked before.",
        15,
    ),
)
DEFAULT_MAX_SCORE = 10.0

# The RankingParams fields an organizer may set per contest, with their JSON types.
PARAM_FIELDS = {
    "expert": str,
    "scale": str,
    "alpha": float,
    "min_reviews": int,
    "trim_from": int,
    "calibrate_from": int,
    "finalists": int,
    "category_minimum": dict,
    "unit_maximum": int,
    "w_likes": float,
    "w_commenters": float,
    "w_views": float,
    "w_imported_likes": float,
    "w_imported_comments": float,
    "w_imported_shares": float,
}


# --- settings and rubric ------------------------------------------------------------------------------


def settings_for(contest: Contest) -> JudgingSettings:
    """The contest's judging settings; an unsaved row with the defaults when none was saved yet."""
    found = db.session.get(JudgingSettings, contest.id)
    if found is not None:
        return found
    return JudgingSettings(
        contest_id=contest.id,
        assignment_mode=AssignmentMode.K,
        judges_per_initiative=3,
        hide_engagement=True,
        disagreement_threshold=15.0,
        ranking_params={},
        rubric_unlock_reason="",
    )


def _stored_settings(contest: Contest) -> JudgingSettings:
    settings = settings_for(contest)
    if settings not in db.session:
        db.session.add(settings)
    return settings


def _settings_snapshot(settings: JudgingSettings) -> dict:
    return {
        "assignment_mode": str(settings.assignment_mode),
        "judges_per_initiative": settings.judges_per_initiative,
        "hide_engagement": settings.hide_engagement,
        "disagreement_threshold": settings.disagreement_threshold,
        "ranking_params": dict(settings.ranking_params or {}),
    }


def clean_params(values: dict) -> dict:
    """Parameter overrides as stored JSON; refused (422) when RankingParams would refuse them."""
    cleaned: dict = {}
    for name, value in (values or {}).items():
        if name not in PARAM_FIELDS:
            raise JudgingProblem("unknown_param", 422, {name: "unknown_param"})
        if value is None and name == "unit_maximum":
            cleaned[name] = None
        elif name == "category_minimum":
            try:
                cleaned[name] = {str(int(c)): int(q) for c, q in dict(value).items() if int(q) > 0}
            except (TypeError, ValueError) as exc:
                raise JudgingProblem("invalid_param", 422, {name: "invalid_param"}) from exc
        else:
            cleaned[name] = value
    try:
        params_from(cleaned)
    except (TypeError, ValueError) as exc:
        raise JudgingProblem("invalid_param", 422, {"params": str(exc)}) from exc
    return cleaned


def params_from(stored: dict) -> ranking.RankingParams:
    """RankingParams from stored JSON overrides (category ids come back from JSON as strings)."""
    values = dict(stored or {})
    if "category_minimum" in values:
        values["category_minimum"] = {int(c): int(q) for c, q in values["category_minimum"].items()}
    return ranking.RankingParams(**values)


def update_settings(
    actor: User,
    contest: Contest,
    *,
    assignment_mode: str | None = None,
    judges_per_initiative: int | None = None,
    hide_engagement: bool | None = None,
    disagreement_threshold: float | None = None,
    ranking_params: dict | None = None,
) -> JudgingSettings:
    """Change how work is assigned, what judges see and the contest's ranking parameters."""
    settings = _stored_settings(contest)
    before = _settings_snapshot(settings)
    if assignment_mode is not None:
        if assignment_mode not in planner.MODES:
            raise JudgingProblem("invalid_mode", 422, {"assignment_mode": "invalid_mode"})
        settings.assignment_mode = AssignmentMode(assignment_mode)
    if judges_per_initiative is not None:
        if judges_per_initiative < 1:
            raise JudgingProblem("invalid_k", 422, {"judges_per_initiative": "invalid_k"})
        settings.judges_per_initiative = judges_per_initiative
    if hide_engagement is not None:
        settings.hide_engagement = hide_engagement
    if disagreement_threshold is not None:
        if disagreement_threshold < 0:
            raise JudgingProblem("invalid_threshold", 422, {"disagreement_threshold": "invalid_threshold"})
        settings.disagreement_threshold = disagreement_threshold
    if ranking_params is not None:
        settings.ranking_params = clean_params(ranking_params)
    record_audit(
        actor, "judging.settings", "contest", contest.id, before=before, after=_settings_snapshot(settings)
    )
    db.session.commit()
    return settings


def rubric(contest: Contest) -> list[Criterion]:
    return list(
        db.session.scalars(
            select(Criterion)
            .where(Criterion.contest_id == contest.id)
            .order_by(Criterion.position, Criterion.id)
        )
    )


def judging_has_opened(contest: Contest) -> bool:
    stage = contest.stage(StageKind.JUDGING)
    return bool(stage and clock.now() >= stage.opens_at)


def rubric_locked(contest: Contest) -> bool:
    """Locked from the opening of the judging window, unless an organizer unlocked it with a reason."""
    return judging_has_opened(contest) and settings_for(contest).rubric_unlocked_at is None


def _criterion_snapshot(c: Criterion) -> dict:
    return {
        "name": c.name,
        "name_en": c.name_en,
        "weight": c.weight,
        "max_score": c.max_score,
        "position": c.position,
    }


def _reopen_invalid_reviews(actor: User, contest: Contest) -> int:
    """Submitted reviews that no longer fit the rubric (a criterion missing, a score over its maximum)
    become drafts again.

    The judge sees them as drafts again and completes them; each one is audit-logged.
    """
    criteria = {c.id: c for c in rubric(contest)}
    reviews = db.session.scalars(
        select(Review)
        .join(Initiative, Initiative.id == Review.initiative_id)
        .where(Initiative.contest_id == contest.id, Review.status == ReviewStatus.SUBMITTED)
    )
    reopened = 0
    for review in reviews:
        scores = review.score_map
        fits = set(scores) == set(criteria) and all(scores[c] <= criteria[c].max_score for c in scores)
        if not fits:
            review.status = ReviewStatus.DRAFT
            review.updated_at = clock.now()
            record_audit(
                actor,
                "review.reopened",
                "review",
                review.id,
                before={"status": "submitted"},
                after={"status": "draft", "reason": "rubric_changed"},
            )
            reopened += 1
    return reopened


def save_criterion(
    actor: User,
    contest: Contest,
    *,
    name: str,
    name_en: str = "",
    description: str = "",
    description_en: str = "",
    weight: float,
    max_score: float,
    position: int = 0,
    criterion: Criterion | None = None,
) -> Criterion:
    """Add or change a criterion; refused once the rubric is locked."""
    if rubric_locked(contest):
        raise JudgingProblem("rubric_locked", 409)
    problems = {}
    if not (name or "").strip():
        problems["name"] = "required"
    if weight is None or not math.isfinite(weight) or weight < 0:
        problems["weight"] = "invalid_weight"
    if max_score is None or not math.isfinite(max_score) or max_score <= 0:
        problems["max_score"] = "invalid_max"
    if problems:
        raise JudgingProblem("invalid_criterion", 422, problems)
    before = _criterion_snapshot(criterion) if criterion else None
    if criterion is None:
        criterion = Criterion(contest_id=contest.id)
        db.session.add(criterion)
    criterion.name = name.strip()
    criterion.name_en = (name_en or "").strip()
    criterion.description = (description or "").strip()
    criterion.description_en = (description_en or "").strip()
    criterion.weight = float(weight)
    criterion.max_score = float(max_score)
    criterion.position = position or 0
    db.session.flush()
    if sum(c.weight for c in rubric(contest)) <= 0:
        raise JudgingProblem("no_positive_weight", 422, {"weight": "no_positive_weight"})
    record_audit(
        actor,
        "criterion.save",
        "criterion",
        criterion.id,
        before=before,
        after=_criterion_snapshot(criterion),
    )
    _reopen_invalid_reviews(actor, contest)
    db.session.commit()
    return criterion


def delete_criterion(actor: User, criterion: Criterion) -> None:
    contest = db.session.get(Contest, criterion.contest_id)
    if rubric_locked(contest):
        raise JudgingProblem("rubric_locked", 409)
    before = _criterion_snapshot(criterion)
    criterion_id = criterion.id
    db.session.delete(criterion)
    db.session.flush()
    record_audit(actor, "criterion.delete", "criterion", criterion_id, before=before)
    _reopen_invalid_reviews(actor, contest)
    db.session.commit()


def install_default_rubric(actor: User | None, contest: Contest) -> list[Criterion]:
    """The five default criteria, when the contest has none yet."""
    if rubric(contest):
        raise JudgingProblem("rubric_not_empty", 409)
    if rubric_locked(contest):
        raise JudgingProblem("rubric_locked", 409)
    created = []
    for position, (name, name_en, description, description_en, weight) in enumerate(DEFAULT_RUBRIC, 1):
        criterion = Criterion(
            contest_id=contest.id,
            name=name,
            name_en=name_en,
            description=description,
            description_en=description_en,
            weight=float(weight),
            max_score=DEFAULT_MAX_SCORE,
            position=position,
        )
        db.session.add(criterion)
        created.append(criterion)
    db.session.flush()
    record_audit(
        actor, "rubric.default", "contest", contest.id, after=[_criterion_snapshot(c) for c in created]
    )
    db.session.commit()
    return created


def unlock_rubric(actor: User, contest: Contest, reason: str) -> None:
    """Allow changes to a locked rubric: an explicit step with a reason, in the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise JudgingProblem("reason_required", 422, {"reason": "reason_required"})
    settings = _stored_settings(contest)
    settings.rubric_unlocked_at = clock.now()
    settings.rubric_unlocked_by_id = actor.id
    settings.rubric_unlock_reason = reason
    record_audit(actor, "rubric.unlock", "contest", contest.id, after={"reason": reason})
    db.session.commit()


def lock_rubric(actor: User, contest: Contest) -> None:
    settings = _stored_settings(contest)
    settings.rubric_unlocked_at = None
    settings.rubric_unlocked_by_id = None
    record_audit(actor, "rubric.lock", "contest", contest.id)
    db.session.commit()


# --- panel and assignments ----------------------------------------------------------------------------


def panel(contest: Contest) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(PanelMember, PanelMember.user_id == User.id)
            .where(PanelMember.contest_id == contest.id)
            .order_by(User.full_name, User.id)
        )
    )


def is_panel_judge(user, contest: Contest) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_judge:
        return False
    found = db.session.scalar(
        select(PanelMember.id).where(PanelMember.contest_id == contest.id, PanelMember.user_id == user.id)
    )
    return found is not None


def add_panel_member(actor: User, contest: Contest, user: User) -> PanelMember:
    if not user.has_role(RoleName.JUDGE) or not user.active:
        raise JudgingProblem("not_a_judge", 422, {"user_id": "not_a_judge"})
    existing = db.session.scalar(
        select(PanelMember).where(PanelMember.contest_id == contest.id, PanelMember.user_id == user.id)
    )
    if existing is not None:
        return existing
    member = PanelMember(contest_id=contest.id, user_id=user.id, created_at=clock.now())
    db.session.add(member)
    db.session.flush()
    record_audit(actor, "panel.add", "contest", contest.id, after={"judge_id": user.id})
    db.session.commit()
    return member


def _contest_initiative_ids(contest: Contest):
    return select(Initiative.id).where(Initiative.contest_id == contest.id).scalar_subquery()


def remove_panel_member(actor: User, contest: Contest, user: User) -> None:
    """Off the panel, with the assignments; refused once the judge has reviewed (drafts included)."""
    reviewed = db.session.scalar(
        select(func.count(Review.id)).where(
            Review.judge_id == user.id, Review.initiative_id.in_(_contest_initiative_ids(contest))
        )
    )
    if reviewed:
        raise JudgingProblem("judge_has_reviews", 409)
    db.session.execute(
        delete(Assignment).where(
            Assignment.judge_id == user.id, Assignment.initiative_id.in_(_contest_initiative_ids(contest))
        )
    )
    db.session.execute(
        delete(PanelMember).where(PanelMember.contest_id == contest.id, PanelMember.user_id == user.id)
    )
    record_audit(actor, "panel.remove", "contest", contest.id, before={"judge_id": user.id})
    db.session.commit()


def judged_initiatives(contest: Contest) -> list[Initiative]:
    """What the panel reviews: the contest's published initiatives."""
    return list(
        db.session.scalars(
            select(Initiative)
            .where(Initiative.contest_id == contest.id, Initiative.status == InitiativeStatus.PUBLISHED)
            .order_by(Initiative.id)
        )
    )


def _own_units(user: User) -> frozenset[int]:
    units = set(user.represented_unit_ids)
    if user.unit_id:
        units.add(user.unit_id)
    return frozenset(units)


def _plan(contest: Contest) -> tuple[planner.Plan, JudgingSettings]:
    settings = settings_for(contest)
    items = [planner.Item(i.id, i.unit_id) for i in judged_initiatives(contest)]
    judges = [planner.Judge(u.id, _own_units(u)) for u in panel(contest) if u.active and u.is_judge]
    existing = [
        planner.Existing(a.initiative_id, a.judge_id, a.in_conflict)
        for a in db.session.scalars(
            select(Assignment).where(Assignment.initiative_id.in_(_contest_initiative_ids(contest)))
        )
    ]
    plan = planner.plan_assignments(
        items, judges, existing, str(settings.assignment_mode), settings.judges_per_initiative
    )
    return plan, settings


@dataclass(frozen=True)
class AssignReport:
    added: int
    short: tuple[tuple[int, int], ...]  # (initiative id, active judges) below k


def _apply_plan(plan: planner.Plan) -> None:
    now = clock.now()
    if plan.add:
        db.session.execute(
            insert(Assignment),
            [
                {"initiative_id": i, "judge_id": j, "created_at": now, "conflict_reason": ""}
                for i, j in plan.add
            ],
        )


def assign_work(actor: User, contest: Contest) -> AssignReport:
    """Fill the assignments by the contest's mode (all, or k per initiative, load balanced)."""
    plan, settings = _plan(contest)
    _apply_plan(plan)
    record_audit(
        actor,
        "assignments.plan",
        "contest",
        contest.id,
        after={
            "mode": str(settings.assignment_mode),
            "k": settings.judges_per_initiative,
            "added": [list(p) for p in plan.add],
            "short": [list(s) for s in plan.short],
        },
    )
    db.session.commit()
    return AssignReport(len(plan.add), plan.short)


def assignment_for(judge: User, initiative: Initiative) -> Assignment | None:
    return db.session.scalar(
        select(Assignment).where(Assignment.initiative_id == initiative.id, Assignment.judge_id == judge.id)
    )


def _window_open(contest: Contest) -> bool:
    stage = contest.stage(StageKind.JUDGING)
    return bool(stage and stage.is_open_at(clock.now()))


def declare_conflict(judge: User, initiative: Initiative, reason: str) -> Assignment:
    """The judge steps aside (with a reason); in k mode another judge is assigned to keep k."""
    reason = (reason or "").strip()
    assignment = assignment_for(judge, initiative)
    if assignment is None or not is_panel_judge(judge, initiative.contest):
        raise JudgingProblem("not_assigned", 403)
    if not reason:
        raise JudgingProblem("reason_required", 422, {"reason": "reason_required"})
    stage = initiative.contest.stage(StageKind.JUDGING)
    if stage is None or clock.now() >= stage.closes_at:
        raise JudgingProblem("judging_closed", 409)
    if assignment.in_conflict:
        return assignment
    assignment.conflict_at = clock.now()
    assignment.conflict_reason = reason
    db.session.flush()
    record_audit(
        judge,
        "assignment.conflict",
        "assignment",
        assignment.id,
        after={"initiative_id": initiative.id, "judge_id": judge.id, "reason": reason},
    )
    plan, settings = _plan(initiative.contest)
    replacement = planner.Plan(tuple(p for p in plan.add if p[0] == initiative.id), ())
    if settings.assignment_mode == AssignmentMode.K and replacement.add:
        _apply_plan(replacement)
        record_audit(
            None,
            "assignments.replace",
            "initiative",
            initiative.id,
            after={"added": [list(p) for p in replacement.add]},
            actor_label="system",
        )
    db.session.commit()
    return assignment


# --- reviews ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentLine:
    initiative: Initiative
    status: str  # todo | draft | submitted | conflict
    review: Review | None


def judge_assignments(judge: User, contest: Contest) -> list[AssignmentLine]:
    """The judge's assigned initiatives with the state of his or her own review (two queries).

    Only published ones: an initiative withdrawn after the assignment is no longer judged.
    """
    rows = db.session.execute(
        select(Assignment, Initiative)
        .join(Initiative, Initiative.id == Assignment.initiative_id)
        .where(
            Assignment.judge_id == judge.id,
            Initiative.contest_id == contest.id,
            Initiative.status == InitiativeStatus.PUBLISHED,
        )
        .order_by(Initiative.id)
    ).all()
    reviews = {
        r.initiative_id: r
        for r in db.session.scalars(
            select(Review).where(
                Review.judge_id == judge.id, Review.initiative_id.in_([i.id for _, i in rows])
            )
        )
    }
    lines = []
    for a, initiative in rows:
        review = reviews.get(initiative.id)
        if a.in_conflict:
            status = "conflict"
        elif review is None:
            status = "todo"
        else:
            status = str(review.status)
        lines.append(AssignmentLine(initiative, status, review))
    return lines


def own_review(judge: User, initiative: Initiative) -> Review | None:
    """Only ever the caller's own review: no function here hands a judge another judge's scores."""
    return db.session.scalar(
        select(Review).where(Review.initiative_id == initiative.id, Review.judge_id == judge.id)
    )


def can_review(judge: User, initiative: Initiative) -> tuple[bool, str | None, int]:
    """(allowed, problem code, status) for a judge opening or saving a review of this initiative."""
    if initiative.unit_id in _own_units(judge):
        return False, "own_unit", 403
    if not is_panel_judge(judge, initiative.contest):
        return False, "not_assigned", 403
    assignment = assignment_for(judge, initiative)
    if assignment is None:
        return False, "not_assigned", 403
    if assignment.in_conflict:
        return False, "in_conflict", 409
    return True, None, 200


def _scores_snapshot(review: Review) -> dict:
    return {"status": str(review.status), "scores": {str(k): v for k, v in sorted(review.score_map.items())}}


def save_review(
    judge: User, initiative: Initiative, scores: dict, note: str = "", *, submit: bool = False
) -> Review:
    """Save the judge's scores (a draft, or submitted); changes stay possible while judging is open.

    `scores` maps criterion ids (int or str) to a number, or None for "not scored yet". Every save
    is audit-logged with the scores before and after (the private note is not copied there).
    """
    allowed, code, status = can_review(judge, initiative)
    if not allowed:
        raise JudgingProblem(code, status)
    if not _window_open(initiative.contest):
        raise JudgingProblem("judging_closed", 409)
    criteria = {c.id: c for c in rubric(initiative.contest)}
    if not criteria:
        raise JudgingProblem("no_rubric", 409)
    clean: dict[int, float | None] = {}
    problems: dict[str, str] = {}
    for key, value in (scores or {}).items():
        try:
            cid = int(key)
        except (TypeError, ValueError):
            problems[str(key)] = "unknown_criterion"
            continue
        if cid not in criteria:
            problems[str(key)] = "unknown_criterion"
            continue
        if value is None or value == "":
            clean[cid] = None
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems[str(cid)] = "not_a_number"
            continue
        if isinstance(value, bool) or not math.isfinite(number) or not 0 <= number <= criteria[cid].max_score:
            problems[str(cid)] = "out_of_range"
            continue
        clean[cid] = number
    review = own_review(judge, initiative)
    merged = {**(review.score_map if review else {}), **clean}
    # A submitted review stays submitted when changed, so it must stay complete.
    if submit or (review is not None and review.status == ReviewStatus.SUBMITTED):
        for cid in criteria:
            if merged.get(cid) is None and str(cid) not in problems:
                problems[str(cid)] = "required"
    if problems:
        raise JudgingProblem("invalid_scores", 422, problems)

    now = clock.now()
    before = _scores_snapshot(review) if review else None
    if review is None:
        review = Review(
            initiative_id=initiative.id, judge_id=judge.id, status=ReviewStatus.DRAFT, note="", created_at=now
        )
        db.session.add(review)
    by_criterion = {s.criterion_id: s for s in review.scores}
    for cid, value in clean.items():
        if value is None:
            if cid in by_criterion:
                review.scores.remove(by_criterion[cid])
        elif cid in by_criterion:
            by_criterion[cid].score = value
        else:
            review.scores.append(ReviewScore(criterion_id=cid, score=value))
    note_changed = (note or "") != (review.note or "")
    review.note = note or ""
    review.updated_at = now
    if submit:
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = review.submitted_at or now
    db.session.flush()
    after = _scores_snapshot(review)
    if before != after or note_changed:
        if before is None:
            action = "review.submit" if submit else "review.draft"
        elif before["status"] == "submitted":
            action = "review.change"
        else:
            action = "review.submit" if submit else "review.draft"
        record_audit(
            judge,
            action,
            "review",
            review.id,
            before=before,
            after={**after, "initiative_id": initiative.id, "note_changed": note_changed},
        )
    db.session.commit()
    return review


def engagement_hidden_for(user, contest: Contest) -> bool:
    """During judging, panel judges do not see engagement counts when the organizers chose so."""
    # Cheapest test first: most visitors are not judges, and is_panel_judge answers them without a query.
    return is_panel_judge(user, contest) and _window_open(contest) and settings_for(contest).hide_engagement


# --- progress -------------------------------------------------------------------------------------------


@dataclass
class JudgeProgress:
    judge: User
    assigned: int = 0
    submitted: int = 0
    drafts: int = 0
    conflicts: int = 0
    scores: list[float] = field(default_factory=list)  # review scores r of the submitted reviews


@dataclass
class InitiativeProgress:
    initiative: Initiative
    assigned: int = 0
    submitted: int = 0
    conflicts: int = 0
    scores: list[float] = field(default_factory=list)
    mean: float | None = None
    spread: float | None = None  # population standard deviation of r
    flagged: bool = False


@dataclass(frozen=True)
class Progress:
    judges: list[JudgeProgress]
    initiatives: list[InitiativeProgress]
    threshold: float


def _load_reviews(contest: Contest) -> list[tuple[int, int, str, dict[int, float]]]:
    """(judge, initiative, status, {criterion: score}) of every review in the contest, in two queries."""
    rows = db.session.execute(
        select(Review.id, Review.judge_id, Review.initiative_id, Review.status)
        .join(Initiative, Initiative.id == Review.initiative_id)
        .where(Initiative.contest_id == contest.id)
    ).all()
    scores: dict[int, dict[int, float]] = defaultdict(dict)
    for review_id, criterion_id, score in db.session.execute(
        select(ReviewScore.review_id, ReviewScore.criterion_id, ReviewScore.score)
        .join(Review, Review.id == ReviewScore.review_id)
        .join(Initiative, Initiative.id == Review.initiative_id)
        .where(Initiative.contest_id == contest.id)
    ):
        scores[review_id][criterion_id] = score
    return [(j, i, str(s), scores.get(rid, {})) for rid, j, i, s in rows]


def _complete(scores: dict[int, float], criteria: dict[int, ranking.Criterion]) -> bool:
    return set(scores) == set(criteria) and all(0 <= scores[c] <= criteria[c].max_score for c in criteria)


def progress(contest: Contest) -> Progress:
    """Per judge and per initiative: assigned, submitted, drafts, conflicts, review scores and spread."""
    settings = settings_for(contest)
    criteria = {c.id: ranking.Criterion(c.id, c.weight, c.max_score) for c in rubric(contest)}
    judges = {u.id: JudgeProgress(u) for u in panel(contest)}
    items = {i.id: InitiativeProgress(i) for i in judged_initiatives(contest)}
    conflicts = set()
    for a in db.session.scalars(
        select(Assignment).where(Assignment.initiative_id.in_(_contest_initiative_ids(contest)))
    ):
        j, i = judges.get(a.judge_id), items.get(a.initiative_id)
        if a.in_conflict:
            conflicts.add((a.judge_id, a.initiative_id))
        for line in (j, i):
            if line is None:
                continue
            if a.in_conflict:
                line.conflicts += 1
            else:
                line.assigned += 1
    usable = criteria and sum(c.weight for c in criteria.values()) > 0
    for judge_id, initiative_id, status, scores in _load_reviews(contest):
        j, i = judges.get(judge_id), items.get(initiative_id)
        if (judge_id, initiative_id) in conflicts:
            continue
        if status == "draft":
            if j:
                j.drafts += 1
            continue
        if j:
            j.submitted += 1
        if i:
            i.submitted += 1
        if usable and _complete(scores, criteria):
            review = ranking.Review(judge_id, initiative_id, scores, True, True, False)
            r = ranking.review_score(review, criteria)
            if j:
                j.scores.append(r)
            if i:
                i.scores.append(r)
    for line in items.values():
        if line.scores:
            line.mean = math.fsum(line.scores) / len(line.scores)
            line.spread = math.sqrt(math.fsum((x - line.mean) ** 2 for x in line.scores) / len(line.scores))
            line.flagged = len(line.scores) >= 2 and line.spread > settings.disagreement_threshold
    return Progress(list(judges.values()), list(items.values()), settings.disagreement_threshold)


# --- ranking runs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VotingWindow:
    opens_at: datetime | None
    closes_at: datetime | None


def _voting_window(contest: Contest) -> VotingWindow:
    stage = contest.stage(StageKind.VOTING)
    return VotingWindow(stage.opens_at, stage.closes_at) if stage else VotingWindow(None, None)


def _within(column, window: VotingWindow) -> list:
    conditions = []
    if window.opens_at is not None:
        conditions.append(column >= window.opens_at)
    if window.closes_at is not None:
        conditions.append(column < window.closes_at)
    return conditions


def _grouped(stmt) -> dict[int, int]:
    return dict(db.session.execute(stmt).all())


def ranking_input(contest: Contest) -> ranking.RankingInput:
    """Everything a run reads, in a fixed number of aggregate queries (no per-initiative query).

    L: likes not quarantined, made within the public voting window; C: distinct accounts with at
    least one visible, undeleted comment within the window; V: distinct viewers per Vietnam day
    within the window; imported: the latest snapshot per platform measured before the window closed.

    Built for a million likes: L is the count of the window's likes (read from the index on
    initiative and time alone) minus the quarantined ones among them, which are few and found
    through the quarantine index; the reviews and their scores are read as plain columns.
    """
    window = _voting_window(contest)
    published = (
        select(Initiative.id)
        .where(Initiative.contest_id == contest.id, Initiative.status == InitiativeStatus.PUBLISHED)
        .scalar_subquery()
    )
    likes = _grouped(
        select(Like.initiative_id, func.count())
        .where(Like.initiative_id.in_(published), *_within(Like.created_at, window))
        .group_by(Like.initiative_id)
    )
    # Likes in quarantine, wherever they are (ids are positive: `> 0` is IS NOT NULL that the
    # quarantine index answers), then kept when they fall in the window on a published initiative.
    entries_rows = db.session.execute(
        select(
            Initiative.id,
            Initiative.category_id,
            Initiative.unit_id,
            Initiative.submitted_at,
            Initiative.created_at,
        ).where(Initiative.id.in_(published))
    ).all()
    entry_ids = {row[0] for row in entries_rows}
    opens_at, closes_at = window.opens_at, window.closes_at
    for initiative_id, created_at in db.session.execute(
        select(Like.initiative_id, Like.created_at).where(Like.quarantine_id > 0)
    ):
        if (
            initiative_id in entry_ids
            and (opens_at is None or created_at >= opens_at)
            and (closes_at is None or created_at < closes_at)
        ):
            likes[initiative_id] -= 1
    commenters = _grouped(
        select(Comment.initiative_id, func.count(func.distinct(Comment.user_id)))
        .where(
            Comment.initiative_id.in_(published),
            Comment.status == CommentStatus.VISIBLE,
            Comment.deleted_at.is_(None),
            *_within(Comment.created_at, window),
        )
        .group_by(Comment.initiative_id)
    )
    day_conditions = []
    if window.opens_at is not None:
        day_conditions.append(InitiativeView.day >= view_day(window.opens_at))
    if window.closes_at is not None:
        day_conditions.append(InitiativeView.day <= view_day(window.closes_at - timedelta(microseconds=1)))
    views = _grouped(
        select(InitiativeView.initiative_id, func.count())
        .where(InitiativeView.initiative_id.in_(published), *day_conditions)
        .group_by(InitiativeView.initiative_id)
    )
    latest = (
        func.row_number()
        .over(
            partition_by=(ExternalEngagement.initiative_id, ExternalEngagement.platform),
            order_by=(ExternalEngagement.measured_at.desc(), ExternalEngagement.id.desc()),
        )
        .label("latest")
    )
    snapshots = (
        select(
            ExternalEngagement.initiative_id,
            ExternalEngagement.likes,
            ExternalEngagement.comments,
            ExternalEngagement.shares,
            latest,
        )
        .where(
            ExternalEngagement.initiative_id.in_(published),
            *([ExternalEngagement.measured_at < window.closes_at] if window.closes_at else []),
        )
        .subquery()
    )
    imported: dict[int, tuple[int, int, int]] = {
        i: (int(a), int(b), int(c))
        for i, a, b, c in db.session.execute(
            select(
                snapshots.c.initiative_id,
                func.sum(snapshots.c.likes),
                func.sum(snapshots.c.comments),
                func.sum(snapshots.c.shares),
            )
            .where(snapshots.c.latest == 1)
            .group_by(snapshots.c.initiative_id)
        )
    }
    entries = []
    for i, category_id, unit_id, submitted_at, created_at in entries_rows:
        il, ic, ish = imported.get(i, (0, 0, 0))
        entries.append(
            ranking.Entry(
                initiative_id=i,
                category_id=category_id,
                unit_id=unit_id,
                submitted_at=submitted_at or created_at,
                likes=likes.get(i, 0),
                commenters=commenters.get(i, 0),
                views=views.get(i, 0),
                imported_likes=il,
                imported_comments=ic,
                imported_shares=ish,
            )
        )

    criteria = {c.id: ranking.Criterion(c.id, c.weight, c.max_score) for c in rubric(contest)}
    panel_ids = set(
        db.session.scalars(select(PanelMember.user_id).where(PanelMember.contest_id == contest.id))
    )
    assignments = {
        (judge_id, initiative_id): bool(conflict)
        for initiative_id, judge_id, conflict in db.session.execute(
            select(Assignment.initiative_id, Assignment.judge_id, Assignment.conflict_at.is_not(None)).where(
                Assignment.initiative_id.in_(published)
            )
        )
    }
    # The contest's reviews of published initiatives and their scores, as plain columns (what
    # _load_reviews reads, without the status enum and the other initiatives' reviews).
    contest_reviews = select(Review.id).where(Review.initiative_id.in_(published))
    scores: dict[int, dict[int, float]] = defaultdict(dict)
    for review_id, criterion_id, score in db.session.execute(
        select(ReviewScore.review_id, ReviewScore.criterion_id, ReviewScore.score).where(
            ReviewScore.review_id.in_(contest_reviews)
        )
    ):
        scores[review_id][criterion_id] = score
    reviews = []
    for review_id, judge_id, initiative_id, submitted in db.session.execute(
        select(
            Review.id, Review.judge_id, Review.initiative_id, Review.status == ReviewStatus.SUBMITTED
        ).where(Review.initiative_id.in_(published))
    ):
        pair = (judge_id, initiative_id)
        review_scores = scores.get(review_id, {})
        reviews.append(
            ranking.Review(
                judge_id=judge_id,
                initiative_id=initiative_id,
                scores=review_scores,
                # A submitted review that no longer fits the rubric is treated as not submitted.
                submitted=bool(submitted) and _complete(review_scores, criteria),
                assigned=pair in assignments and judge_id in panel_ids,
                conflict=assignments.get(pair, False),
            )
        )
    return ranking.RankingInput(
        criteria=tuple(criteria.values()), reviews=tuple(reviews), entries=tuple(entries)
    )


def effective_params(contest: Contest, overrides: dict | None = None) -> ranking.RankingParams:
    """The contest's stored parameters with this run's overrides on top (422 when invalid)."""
    stored = dict(settings_for(contest).ranking_params or {})
    if overrides:
        stored.update(clean_params(overrides))
    try:
        return params_from(stored)
    except (TypeError, ValueError) as exc:
        raise JudgingProblem("invalid_param", 422, {"params": str(exc)}) from exc


_RESULT_COLUMNS = (
    "rank",
    "reviews",
    "likes",
    "commenters",
    "views",
    "finalist",
    "ranked",
    "reason",
    "tie_rule",
)


def run_ranking(actor: User, contest: Contest, overrides: dict | None = None) -> RankingRun:
    """Rank now and store the run: parameters, every input, the result, engine version and digest."""
    params = effective_params(contest, overrides)
    inputs = ranking_input(contest)
    if not inputs.criteria:
        raise JudgingProblem("no_rubric", 409)
    try:
        result = ranking.rank(inputs, params)
    except ValueError as exc:
        raise JudgingProblem("invalid_param", 422, {"params": str(exc)}) from exc
    plain = ranking.to_plain(inputs, params, result)
    digest = ranking.digest_of(plain)
    run = RankingRun(
        contest_id=contest.id,
        created_at=clock.now(),
        created_by_id=actor.id if actor else None,
        engine_version=ranking.ENGINE_VERSION,
        snapshot=plain,
        digest=digest,
        entries=len(result.results),
        finalists=len(result.finalists),
        unpublish_reason="",
    )
    db.session.add(run)
    db.session.flush()
    entries = {e.initiative_id: e for e in inputs.entries}
    lines = [
        {
            "run_id": run.id,
            "initiative_id": line.initiative_id,
            "position": position,
            "expert_score": line.expert_score,
            "engagement_score": line.engagement_score,
            "final_score": line.final_score,
            "engagement": line.engagement,
            "imported_likes": entries[line.initiative_id].imported_likes,
            "imported_comments": entries[line.initiative_id].imported_comments,
            "imported_shares": entries[line.initiative_id].imported_shares,
            **{name: getattr(line, name) for name in _RESULT_COLUMNS},
        }
        for position, line in enumerate(result.results, start=1)
    ]
    if lines:  # with no row, execute() would send one INSERT of the defaults (and fail on run_id)
        db.session.execute(insert(RankingRunEntry), lines)
    record_audit(
        actor,
        "ranking.run",
        "ranking_run",
        run.id,
        after={
            "digest": digest,
            "engine_version": ranking.ENGINE_VERSION,
            "params": plain["params"],
            "finalists": list(result.finalists),
        },
    )
    db.session.commit()
    return run


def runs(contest: Contest) -> list[RankingRun]:
    return list(
        db.session.scalars(
            select(RankingRun).where(RankingRun.contest_id == contest.id).order_by(RankingRun.id.desc())
        )
    )


def published_run(contest: Contest) -> RankingRun | None:
    return db.session.scalar(
        select(RankingRun).where(RankingRun.contest_id == contest.id, RankingRun.published_at.is_not(None))
    )


def run_lines(run: RankingRun, *, finalists_only: bool = False) -> list[RankingRunEntry]:
    """The run's lines in result order with their initiatives (and units, categories) in three queries."""
    stmt = (
        select(RankingRunEntry)
        .where(RankingRunEntry.run_id == run.id)
        .order_by(RankingRunEntry.position)
        .options(
            selectinload(RankingRunEntry.initiative).selectinload(Initiative.unit),
            selectinload(RankingRunEntry.initiative).selectinload(Initiative.category),
        )
    )
    if finalists_only:
        stmt = stmt.where(RankingRunEntry.finalist.is_(True))
    return list(db.session.scalars(stmt))


def publish_run(actor: User, run: RankingRun) -> RankingRun:
    """Make this run the published result: the finalists are marked and the results page shows them."""
    if run.is_published:
        return run
    current = db.session.scalar(
        select(RankingRun).where(
            RankingRun.contest_id == run.contest_id, RankingRun.published_at.is_not(None)
        )
    )
    if current is not None:
        raise JudgingProblem("another_published", 409)
    run.published_at = clock.now()
    run.published_by_id = actor.id
    run.unpublished_at = None
    run.unpublish_reason = ""
    db.session.flush()
    finalists = list(
        db.session.scalars(
            select(RankingRunEntry.initiative_id)
            .where(RankingRunEntry.run_id == run.id, RankingRunEntry.finalist.is_(True))
            .order_by(RankingRunEntry.position)
        )
    )
    record_audit(
        actor, "ranking.publish", "ranking_run", run.id, after={"digest": run.digest, "finalists": finalists}
    )
    db.session.commit()
    return run


def unpublish_run(actor: User, run: RankingRun, reason: str) -> RankingRun:
    reason = (reason or "").strip()
    if not reason:
        raise JudgingProblem("reason_required", 422, {"reason": "reason_required"})
    if not run.is_published:
        raise JudgingProblem("not_published", 409)
    run.published_at = None
    run.unpublished_at = clock.now()
    run.unpublish_reason = reason
    record_audit(
        actor, "ranking.unpublish", "ranking_run", run.id, after={"digest": run.digest, "reason": reason}
    )
    db.session.commit()
    return run


@dataclass(frozen=True)
class WhatIf:
    alpha: float
    result: ranking.RankingResult
    entered: list[int]  # finalists with this α that the run does not have
    left: list[int]  # the run's finalists that this α drops


def what_if(run: RankingRun, alpha: float) -> WhatIf:
    """Recompute the stored run's own inputs with another α (nothing is stored)."""
    inputs, params, stored = ranking.from_plain(run.snapshot)
    try:
        changed = replace(params, alpha=alpha)
    except ValueError as exc:
        raise JudgingProblem("invalid_param", 422, {"alpha": "invalid_alpha"}) from exc
    result = ranking.rank(inputs, changed)
    before, after = set(stored.finalists), set(result.finalists)
    return WhatIf(
        alpha=changed.alpha,
        result=result,
        entered=[i for i in result.finalists if i not in before],
        left=[i for i in stored.finalists if i not in after],
    )


@dataclass(frozen=True)
class Verification:
    ok: bool
    problems: list[str]


def verify_run(run: RankingRun) -> Verification:
    """Recompute a stored run and compare: the snapshot's result, its digest, and the lines pages show."""
    problems = []
    snapshot = run.snapshot
    if ranking.digest_of(snapshot) != run.digest:
        problems.append("digest: the stored snapshot does not hash to the stored digest")
    if not ranking.verify(snapshot):
        problems.append("result: recomputing the inputs with the parameters gives another result")
    stored = {r["initiative_id"]: r for r in snapshot.get("result", {}).get("results", [])}
    shown = db.session.scalars(select(RankingRunEntry).where(RankingRunEntry.run_id == run.id)).all()
    if len(shown) != len(stored):
        problems.append(f"lines: {len(shown)} stored lines, the snapshot has {len(stored)}")

    def text(value):
        return None if value is None else f"{value:.{ranking.OUTPUT_PLACES}f}"

    for line in shown:
        expected = stored.get(line.initiative_id)
        if expected is None:
            problems.append(f"line of initiative {line.initiative_id} is not in the snapshot")
            continue
        for name in _RESULT_COLUMNS:
            if getattr(line, name) != expected[name]:
                problems.append(f"initiative {line.initiative_id}: {name} differs from the snapshot")
        for name in ("expert_score", "engagement_score", "final_score"):
            if text(getattr(line, name)) != expected[name]:
                problems.append(f"initiative {line.initiative_id}: {name} differs from the snapshot")
    return Verification(not problems, problems)


# --- what the pages show ------------------------------------------------------------------------------


def counted_reviews(run: RankingRun) -> dict[int, list[float]]:
    """Review scores r per initiative from the run's snapshot (counted reviews only): the breakdown."""
    inputs, _params, _result = ranking.from_plain(run.snapshot)
    criteria = {c.id: c for c in inputs.criteria}
    out: dict[int, list[float]] = defaultdict(list)
    for review in inputs.reviews:
        if review.counted:
            out[review.initiative_id].append(ranking.review_score(review, criteria))
    return {i: sorted(v, reverse=True) for i, v in out.items()}
