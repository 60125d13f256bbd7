"""Judges' pages: the assigned initiatives with progress, one initiative's review form, conflicts.

A judge only ever sees his or her own review (service.own_review); the engagement counts are left
out while judging is open when the organizers chose so (service.engagement_hidden_for).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import clock, errors
from app.contest.service import current_contest
from app.judging import ranking, service
from app.judging.forms import ConflictForm, ReviewForm, review_form
from app.judging.messages import problem_message
from app.judging.service import JudgingProblem
from app.security import roles_required
from models import (
    Category,
    Contest,
    Criterion,
    Initiative,
    Review,
    ReviewStatus,
    RoleName,
    Stage,
    StageKind,
    Unit,
    db,
)

bp = Blueprint("judging", __name__, url_prefix="/cham-diem")

judge_required = roles_required(RoleName.JUDGE)

# The state of the judge's own review of an assigned initiative (service.AssignmentLine.status).
STATUS_NAMES = {
    "todo": _l("To do"),
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "conflict": _l("Conflict of interest"),
}


@dataclass(frozen=True)
class JudgingWindow:
    stage: Stage | None
    is_open: bool
    upcoming: bool  # not open yet


def judging_window(contest: Contest | None) -> JudgingWindow:
    stage = contest.stage(StageKind.JUDGING) if contest is not None else None
    now = clock.now()
    return JudgingWindow(stage, bool(stage and stage.is_open_at(now)), bool(stage and now < stage.opens_at))


def current_review_score(review: Review | None, criteria: list[Criterion]) -> float | None:
    """r = 100·Σw·x/max ÷ Σw of the judge's saved review, once every criterion has a score."""
    if review is None or not criteria or sum(c.weight for c in criteria) <= 0:
        return None
    rubric = {c.id: ranking.Criterion(c.id, c.weight, c.max_score) for c in criteria}
    scores = review.score_map
    if set(scores) != set(rubric):
        return None
    try:
        return ranking.review_score(
            ranking.Review(review.judge_id, review.initiative_id, scores, True, True, False), rubric
        )
    except ValueError:  # a score above a maximum lowered since: the judge sees the field's message
        return None


def _refuse(status: int, code: str):
    """The error page, with the reason in words (not assigned, own unit)."""
    page = render_template(
        "errors/error.html", status=status, title=errors.ERROR_TITLES[status], message=problem_message(code)
    )
    abort(make_response(page, status))


def _load(initiative_id: int) -> Initiative:
    """A published initiative with what the page shows; 404 for an unknown or unpublished one."""
    initiative = db.session.scalar(
        select(Initiative)
        .where(Initiative.id == initiative_id)
        .options(
            selectinload(Initiative.images),
            selectinload(Initiative.documents),
            selectinload(Initiative.unit),
            selectinload(Initiative.category),
        )
    )
    if initiative is None or not initiative.is_public:
        abort(404)
    return initiative


def _preload_units_and_categories(lines: list[service.AssignmentLine]) -> None:
    """Two queries put every row's unit and category in the session (no query per row)."""
    unit_ids = {line.initiative.unit_id for line in lines}
    category_ids = {line.initiative.category_id for line in lines} - {None}
    if unit_ids:
        db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids))).all()
    if category_ids:
        db.session.scalars(select(Category).where(Category.id.in_(category_ids))).all()


def _locale() -> str:
    return str(get_locale())


@bp.route("/")
@judge_required
def assignments():
    contest = current_contest()
    on_panel = contest is not None and service.is_panel_judge(current_user, contest)
    lines = service.judge_assignments(current_user, contest) if on_panel else []
    _preload_units_and_categories(lines)
    counted = [line for line in lines if line.status != "conflict"]
    return render_template(
        "judging/assignments.html",
        contest=contest,
        on_panel=on_panel,
        lines=lines,
        total=len(counted),
        submitted=sum(1 for line in counted if line.status == "submitted"),
        window=judging_window(contest),
        hide_counts=contest is None or service.engagement_hidden_for(current_user, contest),
        status_names=STATUS_NAMES,
        locale=_locale(),
    )


def _render(
    initiative: Initiative,
    form: ReviewForm,
    conflict_form: ConflictForm,
    *,
    review: Review | None,
    criteria: list[Criterion],
    notice: str | None = None,
):
    contest = initiative.contest
    window = judging_window(contest)
    assignment = service.assignment_for(current_user, initiative)
    in_conflict = assignment is not None and assignment.in_conflict
    return render_template(
        "judging/review.html",
        initiative=initiative,
        form=form,
        conflict_form=conflict_form,
        review=review,
        criteria=criteria,
        score=current_review_score(review, criteria),
        window=window,
        assignment=assignment,
        in_conflict=in_conflict,
        read_only=in_conflict or not window.is_open or not criteria,
        notice=notice,
        hide_counts=service.engagement_hidden_for(current_user, contest),
        status_names=STATUS_NAMES,
        locale=_locale(),
    )


def _saved_message(before: ReviewStatus | None, review: Review) -> str:
    if before == ReviewStatus.SUBMITTED:
        return _("Your changes are saved; the review stays submitted.")
    if review.status == ReviewStatus.SUBMITTED:
        return _("Review submitted.")
    return _("Draft saved. Submit the review when every criterion has a score.")


@bp.route("/<int:initiative_id>", methods=["GET", "POST"])
@judge_required
def review(initiative_id: int):
    initiative = _load(initiative_id)
    allowed, code, refusal = service.can_review(current_user, initiative)
    if not allowed and refusal == 403:
        _refuse(403, code)
    own = service.own_review(current_user, initiative)
    criteria = service.rubric(initiative.contest)
    form = review_form(criteria, _locale(), own)
    if request.method == "GET":
        return _render(initiative, form, ConflictForm(), review=own, criteria=criteria)

    window = judging_window(initiative.contest)
    if not allowed:  # a declared conflict
        notice, status = problem_message(code), refusal
    elif not window.is_open:
        notice, status = problem_message("judging_closed"), 409
    elif not form.validate_on_submit():
        bad_scores = any(f.errors for _c, f in form.score_fields())
        notice, status = (problem_message("invalid_scores") if bad_scores else None), 422
    else:
        before = own.status if own is not None else None
        try:
            saved = service.save_review(
                current_user, initiative, form.scores(), form.note.data or "", submit=form.submit_review.data
            )
        except JudgingProblem as exc:
            db.session.rollback()
            if exc.status == 403:
                _refuse(403, exc.code)
            form.add_problems(exc.fields, problem_message)
            notice, status = problem_message(exc.code), exc.status
        else:
            flash(_saved_message(before, saved), "success")
            return redirect(url_for("judging.review", initiative_id=initiative.id), 303)
    own = service.own_review(current_user, initiative)
    if status != 422:  # refused as a whole: show what is saved, not what was sent
        form = review_form(criteria, _locale(), own, typed=False)
    return _render(initiative, form, ConflictForm(), review=own, criteria=criteria, notice=notice), status


@bp.route("/<int:initiative_id>/xung-dot", methods=["POST"])
@judge_required
def conflict(initiative_id: int):
    initiative = _load(initiative_id)
    allowed, code, refusal = service.can_review(current_user, initiative)
    if not allowed and refusal == 403:
        _refuse(403, code)
    form = ConflictForm()
    notice = None
    if not form.validate_on_submit():
        status = 422
    else:
        try:
            service.declare_conflict(current_user, initiative, form.reason.data or "")
        except JudgingProblem as exc:
            db.session.rollback()
            if exc.status == 403:
                _refuse(403, exc.code)
            for field, problem in exc.fields.items():
                target = form.reason if field == "reason" else None
                if target is not None:
                    target.errors = [*target.errors, problem_message(problem)]
            notice = None if exc.fields else problem_message(exc.code)
            status = exc.status
        else:
            flash(
                _(
                    "Conflict of interest declared for “%(title)s”. You will not score it.",
                    title=initiative.title,
                ),
                "success",
            )
            return redirect(url_for("judging.assignments"), 303)
    own = service.own_review(current_user, initiative)
    criteria = service.rubric(initiative.contest)
    saved = review_form(criteria, _locale(), own, typed=False)
    return _render(initiative, saved, form, review=own, criteria=criteria, notice=notice), status
