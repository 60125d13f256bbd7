"""Organizer pages: the review queue, one initiative's review, bulk publishing, the list of fields."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.contest.service import current_contest
from app.initiatives import service
from app.initiatives.forms import REVIEW_CHOICES, BulkPublishForm, CategoryForm, ReviewForm
from app.initiatives.messages import EVENT_NAMES, STATUS_NAMES, problem_message
from app.security import organizer_required
from models import Category, Initiative, db

bp = Blueprint("review", __name__, url_prefix="/admin/initiatives")


def _contest():
    contest = current_contest()
    if contest is None:
        abort(404)
    return contest


@bp.route("/")
@organizer_required
def queue():
    contest = _contest()
    status = request.args.get("status", "submitted")
    if status not in STATUS_NAMES and status != "all":
        status = "submitted"
    return render_template(
        "initiatives/queue.html",
        initiatives=service.review_queue(contest, None if status == "all" else status),
        status=status,
        counts=service.status_counts(contest),
        status_names=STATUS_NAMES,
        bulk_form=BulkPublishForm(),
    )


@bp.route("/<int:initiative_id>", methods=["GET", "POST"])
@organizer_required
def review(initiative_id: int):
    initiative = db.get_or_404(Initiative, initiative_id)
    form = ReviewForm()
    status = 200
    if form.validate_on_submit():
        try:
            service.review_initiative(current_user, initiative, form.decision.data, form.reason.data or "")
        except service.InitiativeProblem as exc:
            db.session.rollback()
            for field, code in exc.problems:
                target = getattr(form, field, None)
                if target is not None and hasattr(target, "errors"):
                    target.errors = [*target.errors, problem_message(code)]
                else:
                    form.decision.errors = [*form.decision.errors, problem_message(code)]
            status = 409 if any(code == "transition" for _f, code in exc.problems) else 422
        else:
            flash(
                _("Decision recorded: %(decision)s.", decision=REVIEW_CHOICES[form.decision.data]), "success"
            )
            return redirect(url_for("review.queue"))
    elif form.errors:
        status = 422
    initiative = db.session.get(Initiative, initiative_id)
    return render_template(
        "initiatives/review.html",
        initiative=initiative,
        form=form,
        status_names=STATUS_NAMES,
        event_names=EVENT_NAMES,
    ), status


@bp.route("/bulk-publish", methods=["POST"])
@organizer_required
def bulk_publish():
    form = BulkPublishForm()
    if not form.validate_on_submit():
        abort(400)
    ids = request.form.getlist("initiative_id", type=int)
    count = service.bulk_publish(current_user, ids)
    flash(_("%(num)s initiatives published.", num=count), "success")
    return redirect(url_for("review.queue"))


def _save_category(form: CategoryForm, contest, category: Category | None = None) -> Category:
    return service.save_category(
        current_user,
        contest,
        name=form.name.data,
        name_en=form.name_en.data or "",
        position=form.position.data or 0,
        active=form.active.data,
        category=category,
    )


@bp.route("/fields/", methods=["GET", "POST"])
@organizer_required
def categories():
    contest = _contest()
    form = CategoryForm()
    status = 200
    if form.validate_on_submit():
        try:
            _save_category(form, contest)
        except service.InitiativeProblem as exc:
            form.name.errors = [problem_message(code) for _f, code in exc.problems]
            status = 409
        else:
            flash(_("The field is saved."), "success")
            return redirect(url_for("review.categories"))
    elif form.errors:
        status = 422
    all_categories = service.categories(contest, active_only=False)
    return render_template(
        "initiatives/categories.html",
        form=form,
        categories=all_categories,
        edit_forms={c.id: CategoryForm(obj=c, prefix=f"c{c.id}") for c in all_categories},
    ), status


@bp.route("/fields/<int:category_id>", methods=["POST"])
@organizer_required
def edit_category(category_id: int):
    contest = _contest()
    category = db.get_or_404(Category, category_id)
    if category.contest_id != contest.id:
        abort(404)
    form = CategoryForm(prefix=f"c{category.id}")
    if form.validate_on_submit():
        try:
            _save_category(form, contest, category)
        except service.InitiativeProblem as exc:
            flash(problem_message(exc.problems[0][1]), "danger")
            return redirect(url_for("review.categories")), 303
        flash(_("The field is saved."), "success")
    else:
        flash(_("Check the field's name and order."), "danger")
    return redirect(url_for("review.categories"))
