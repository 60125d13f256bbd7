"""Organizer pages for the contest and its stage windows."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.contest import service
from app.contest.forms import ContestForm, to_local_naive
from app.security import organizer_required

bp = Blueprint("contest", __name__, url_prefix="/admin/contest")


@bp.route("/", methods=["GET", "POST"])
@organizer_required
def edit():
    contest = service.current_contest()
    if contest is None:
        abort(404)
    form = ContestForm(obj=contest if request.method == "GET" else None)
    if request.method == "GET":
        for stage in contest.stages:
            form[f"{stage.kind}_opens"].data = to_local_naive(stage.opens_at)
            form[f"{stage.kind}_closes"].data = to_local_naive(stage.closes_at)
    if form.validate_on_submit():
        service.update_contest(
            current_user,
            contest,
            name=form.name.data,
            description=form.description.data or "",
            organizer_name=form.organizer_name.data or "",
            windows=form.windows(),
        )
        flash(_("The contest and its stage windows are saved."), "success")
        return redirect(url_for("contest.edit"))
    return render_template("contest/edit.html", form=form, contest=contest), 422 if form.errors else 200
