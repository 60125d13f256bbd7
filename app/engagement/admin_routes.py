"""Organizer pages: the comment moderation queue, the fraud review and quarantine decisions.

Every change goes through app/engagement/service.py, which audits it and keeps the counters right.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.contest.service import current_contest
from app.engagement import fraud, review, service
from app.engagement.forms import (
    MODERATION_CHOICES,
    ModerationForm,
    QuarantineAccountForm,
    QuarantineLikesForm,
    ReleaseForm,
)
from app.engagement.messages import problem_message
from app.security import organizer_required, safe_next
from app.users.routes import ROLE_MESSAGES
from app.users.service import RoleProblem
from models import Comment, Like, Quarantine, User, db

bp = Blueprint("engagement_admin", __name__, url_prefix="/admin/engagement")


def _contest():
    contest = current_contest()
    if contest is None:
        abort(404)
    return contest


def _first_error(form) -> str:
    return str(next(iter(form.errors.values()))[0])


# --- comment moderation -----------------------------------------------------------------------


def _queue_page(form: ModerationForm | None = None, failed_id: int | None = None, status: int = 200):
    contest = _contest()
    queue = review.moderation_queue(contest)
    decided = review.recently_moderated(contest)
    moderators = review.people(e.comment.moderated_by_id for e in decided)
    return render_template(
        "engagement/admin/comments.html",
        queue=queue,
        queue_size=review.queue_size(contest),
        decided=decided,
        moderators=moderators,
        form=form or ModerationForm(formdata=None),
        failed_id=failed_id,
        choices=MODERATION_CHOICES,
    ), status


@bp.route("/comments")
@organizer_required
def comments():
    return _queue_page()


@bp.route("/comments/<int:comment_id>", methods=["POST"])
@organizer_required
def moderate(comment_id: int):
    comment = db.get_or_404(Comment, comment_id)
    form = ModerationForm()
    if not form.validate_on_submit():
        return _queue_page(form, comment_id, 422)
    try:
        service.moderate_comment(current_user, comment, form.decision.data, form.note.data or "")
    except service.EngagementProblem as exc:
        db.session.rollback()
        form.decision.errors = [problem_message(exc.code)]
        return _queue_page(form, comment_id, exc.status)
    except RoleProblem as exc:
        db.session.rollback()
        form.decision.errors = [str(ROLE_MESSAGES[exc.reason])]
        return _queue_page(form, comment_id, 409)
    flash(
        _("Comment #%(id)s: %(decision)s.", id=comment_id, decision=MODERATION_CHOICES[form.decision.data]),
        "success",
    )
    return redirect(url_for("engagement_admin.comments"))


# --- fraud review -----------------------------------------------------------------------------


def _fraud_page(alert: str | None = None, status: int = 200, likes_form=None, account_form=None):
    contest = _contest()
    return render_template(
        "engagement/admin/fraud.html",
        contest=contest,
        found=review.fraud_review(contest, refresh=request.args.get("refresh") == "1"),
        likes_form=likes_form or QuarantineLikesForm(formdata=None),
        account_form=account_form or QuarantineAccountForm(formdata=None),
        evidence_max=review.EVIDENCE_MAX,
        rules=fraud,
        alert=alert,
    ), status


@bp.route("/fraud")
@organizer_required
def fraud_review():
    return _fraud_page()


@bp.route("/quarantine/likes", methods=["POST"])
@organizer_required
def quarantine_likes():
    form = QuarantineLikesForm()
    if not form.validate_on_submit():
        return _fraud_page(_first_error(form), 422, likes_form=form)
    like_ids = request.form.getlist("like_id", type=int)
    try:
        decision = service.quarantine_likes(current_user, like_ids, form.reason.data)
    except service.EngagementProblem as exc:
        db.session.rollback()
        return _fraud_page(problem_message(exc.code), exc.status, likes_form=form)
    count = db.session.scalar(select(func.count()).select_from(Like).where(Like.quarantine_id == decision.id))
    flash(_("%(num)s likes quarantined: they no longer count.", num=count), "success")
    return redirect(safe_next(request.form.get("next"), "engagement_admin.fraud_review"))


@bp.route("/quarantine/account/<int:user_id>", methods=["POST"])
@organizer_required
def quarantine_account(user_id: int):
    user = db.get_or_404(User, user_id)
    form = QuarantineAccountForm()
    if not form.validate_on_submit():
        return _fraud_page(_first_error(form), 422, account_form=form)
    try:
        decision = service.quarantine_account(current_user, user, form.reason.data)
    except service.EngagementProblem as exc:
        db.session.rollback()
        return _fraud_page(problem_message(exc.code), exc.status, account_form=form)
    count = db.session.scalar(select(func.count()).select_from(Like).where(Like.quarantine_id == decision.id))
    flash(
        _(
            "Account %(name)s quarantined: its %(num)s likes no longer count, nor will new ones.",
            name=user.full_name,
            num=count,
        ),
        "success",
    )
    return redirect(safe_next(request.form.get("next"), "engagement_admin.fraud_review"))


# --- quarantine decisions ---------------------------------------------------------------------


@bp.route("/quarantine")
@organizer_required
def quarantines():
    entries = review.quarantine_list()
    released_by = review.people(e.decision.released_by_id for e in entries)
    return render_template(
        "engagement/admin/quarantine.html",
        entries=entries,
        released_by=released_by,
        release_form=ReleaseForm(formdata=None),
    )


@bp.route("/quarantine/<int:quarantine_id>/release", methods=["POST"])
@organizer_required
def release(quarantine_id: int):
    decision = db.get_or_404(Quarantine, quarantine_id)
    if not ReleaseForm().validate_on_submit():
        abort(400)
    try:
        count = service.release_quarantine(current_user, decision)
    except service.EngagementProblem as exc:
        db.session.rollback()
        flash(problem_message(exc.code), "warning")
        return redirect(url_for("engagement_admin.quarantines"), 303)
    flash(
        _("Quarantine #%(id)s released: %(num)s likes count again.", id=quarantine_id, num=count), "success"
    )
    return redirect(url_for("engagement_admin.quarantines"))
