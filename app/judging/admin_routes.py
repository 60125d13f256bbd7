"""Organizers' judging pages: rubric, settings, panel and assignments, progress, ranking runs, exports.

Every change is one operation of app/judging/service.py (which checks, audits and commits); a
refusal comes back as JudgingProblem and is shown beside its field (422) or as a notice (409).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_locale, ngettext, to_user_timezone
from flask_babel import gettext as _
from flask_login import current_user

from app.contest.service import current_contest
from app.i18n import fmt_datetime
from app.initiatives import service as initiatives
from app.judging import exports, service
from app.judging.admin_forms import (
    ASSIGNMENT_MODES,
    EXPERT_METHODS,
    PARAM_LABELS,
    SCALES,
    WEIGHT_FIELDS,
    ActionForm,
    CriterionForm,
    ReasonForm,
    WhatIfForm,
    add_judge_form,
    settings_form,
)
from app.judging.messages import PROBLEM_MESSAGES, problem_message
from app.judging.service import JudgingProblem
from app.security import organizer_required
from models import Criterion, RankingRun, User, db

bp = Blueprint("judging_admin", __name__, url_prefix="/admin/judging")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHORT_LISTED = 20  # initiatives short of k named in the assignment report; the rest are counted


def _locale() -> str:
    return str(get_locale())


def fmt_score(value: float | None) -> str:
    """A score with two decimals in the reader's notation (77,92 in Vietnamese); — when there is none."""
    return "—" if value is None else format_decimal(value, format="#,##0.00")


@bp.context_processor
def _page_helpers() -> dict:
    return {"fmt_score": fmt_score, "tie_rule_name": exports.tie_rule_name, "locale": _locale()}


def _contest():
    contest = current_contest()
    if contest is None:
        abort(404)
    return contest


def _criterion(contest, criterion_id: int) -> Criterion:
    criterion = db.get_or_404(Criterion, criterion_id)
    if criterion.contest_id != contest.id:
        abort(404)
    return criterion


def _run(contest, run_id: int) -> RankingRun:
    run = db.get_or_404(RankingRun, run_id)
    if run.contest_id != contest.id:
        abort(404)
    return run


def _refused(exc: JudgingProblem, form=None) -> str | None:
    """Put the problem's field messages beside the form's fields; the notice for the rest (or None)."""
    db.session.rollback()
    placed = False
    for name, code in exc.fields.items():
        target = getattr(form, name, None) if form is not None else None
        if target is not None and hasattr(target, "errors") and code in PROBLEM_MESSAGES:
            target.errors = [*target.errors, problem_message(code)]
            placed = True
    return None if placed and exc.code != "invalid_param" else problem_message(exc.code)


def _check_csrf(form) -> None:
    if not form.validate_on_submit():
        abort(400)


# --- overview -------------------------------------------------------------------------------------


@bp.route("/")
@organizer_required
def index():
    contest = _contest()
    all_runs = service.runs(contest)
    return render_template(
        "judging/admin_index.html",
        contest=contest,
        criteria=service.rubric(contest),
        locked=service.rubric_locked(contest),
        settings=service.settings_for(contest),
        summary=exports.progress_summary(service.progress(contest)),
        latest=all_runs[0] if all_runs else None,
        published=service.published_run(contest),
        runs_count=len(all_runs),
        modes=ASSIGNMENT_MODES,
    )


# --- rubric ---------------------------------------------------------------------------------------


def _rubric_page(contest, *, form=None, edit=None, unlock_form=None, alert=None, status=200):
    criteria = service.rubric(contest)
    settings = service.settings_for(contest)
    forms = {c.id: CriterionForm(formdata=None, obj=c, prefix=f"c{c.id}") for c in criteria}
    if edit is not None:
        forms[edit[0]] = edit[1]
    if form is None:
        form = CriterionForm(formdata=None)
        form.position.data = max((c.position for c in criteria), default=0) + 1
    unlocked_by = (
        db.session.get(User, settings.rubric_unlocked_by_id) if settings.rubric_unlocked_by_id else None
    )
    total = sum(c.weight for c in criteria)
    return render_template(
        "judging/admin_rubric.html",
        contest=contest,
        criteria=criteria,
        total_weight=total,
        forms=forms,
        form=form,
        unlock_form=unlock_form or ReasonForm(formdata=None),
        action_form=ActionForm(formdata=None),
        locked=service.rubric_locked(contest),
        opened=service.judging_has_opened(contest),
        settings=settings,
        unlocked_by=unlocked_by,
        alert=alert,
    ), status


def _save(form: CriterionForm, contest, criterion: Criterion | None = None) -> Criterion:
    return service.save_criterion(
        current_user,
        contest,
        name=form.name.data or "",
        name_en=form.name_en.data or "",
        description=form.description.data or "",
        description_en=form.description_en.data or "",
        weight=form.weight.data,
        max_score=form.max_score.data,
        position=form.position.data or 0,
        criterion=criterion,
    )


@bp.route("/rubric", methods=["GET", "POST"])
@organizer_required
def rubric():
    contest = _contest()
    if request.method == "GET":
        return _rubric_page(contest)
    form = CriterionForm()
    if not form.validate_on_submit():
        return _rubric_page(contest, form=form, status=422)
    try:
        criterion = _save(form, contest)
    except JudgingProblem as exc:
        return _rubric_page(contest, form=form, alert=_refused(exc, form), status=exc.status)
    flash(_("Criterion “%(name)s” added.", name=criterion.name), "success")
    return redirect(url_for("judging_admin.rubric"))


@bp.route("/rubric/<int:criterion_id>", methods=["POST"])
@organizer_required
def edit_criterion(criterion_id: int):
    contest = _contest()
    criterion = _criterion(contest, criterion_id)
    form = CriterionForm(prefix=f"c{criterion.id}")
    if not form.validate_on_submit():
        return _rubric_page(contest, edit=(criterion.id, form), status=422)
    try:
        _save(form, contest, criterion)
    except JudgingProblem as exc:
        alert = _refused(exc, form)
        return _rubric_page(contest, edit=(criterion_id, form), alert=alert, status=exc.status)
    flash(_("Criterion “%(name)s” saved.", name=criterion.name), "success")
    return redirect(url_for("judging_admin.rubric"))


@bp.route("/rubric/<int:criterion_id>/delete", methods=["POST"])
@organizer_required
def delete_criterion(criterion_id: int):
    contest = _contest()
    criterion = _criterion(contest, criterion_id)
    _check_csrf(ActionForm())
    name = criterion.name
    try:
        service.delete_criterion(current_user, criterion)
    except JudgingProblem as exc:
        return _rubric_page(contest, alert=_refused(exc), status=exc.status)
    flash(_("Criterion “%(name)s” deleted.", name=name), "success")
    return redirect(url_for("judging_admin.rubric"))


@bp.route("/rubric/default", methods=["POST"])
@organizer_required
def default_rubric():
    contest = _contest()
    _check_csrf(ActionForm())
    try:
        created = service.install_default_rubric(current_user, contest)
    except JudgingProblem as exc:
        return _rubric_page(contest, alert=_refused(exc), status=exc.status)
    flash(_("The default rubric is in place: %(num)s criteria.", num=len(created)), "success")
    return redirect(url_for("judging_admin.rubric"))


@bp.route("/rubric/unlock", methods=["POST"])
@organizer_required
def unlock_rubric():
    contest = _contest()
    form = ReasonForm()
    if not form.validate_on_submit():
        return _rubric_page(contest, unlock_form=form, status=422)
    try:
        service.unlock_rubric(current_user, contest, form.reason.data)
    except JudgingProblem as exc:
        return _rubric_page(contest, unlock_form=form, alert=_refused(exc, form), status=exc.status)
    flash(_("The rubric is unlocked. Lock it again when the changes are done."), "warning")
    return redirect(url_for("judging_admin.rubric"))


@bp.route("/rubric/lock", methods=["POST"])
@organizer_required
def lock_rubric():
    contest = _contest()
    _check_csrf(ActionForm())
    service.lock_rubric(current_user, contest)
    flash(_("The rubric is locked again."), "success")
    return redirect(url_for("judging_admin.rubric"))


# --- settings -------------------------------------------------------------------------------------


def _settings_form(contest, **kwargs):
    categories = initiatives.categories(contest, active_only=False)
    return settings_form([(c.id, c.label(_locale())) for c in categories], **kwargs)


def _stored_values(contest) -> dict:
    settings = service.settings_for(contest)
    params = service.effective_params(contest)
    values = {
        "assignment_mode": str(settings.assignment_mode),
        "judges_per_initiative": settings.judges_per_initiative,
        "hide_engagement": settings.hide_engagement,
        "disagreement_threshold": settings.disagreement_threshold,
        "alpha": params.alpha,
        "expert": params.expert,
        "scale": params.scale,
        "min_reviews": params.min_reviews,
        "finalists": params.finalists,
        "unit_maximum": params.unit_maximum,
        **{name: getattr(params, name) for name in WEIGHT_FIELDS},
    }
    for category_id, quota in params.category_minimum.items():
        values[f"category_{category_id}"] = quota
    return values


@bp.route("/settings", methods=["GET", "POST"])
@organizer_required
def settings():
    contest = _contest()
    status, alert = 200, None
    if request.method == "GET":
        form = _settings_form(contest, formdata=None, data=_stored_values(contest))
    else:
        form = _settings_form(contest)
        if not form.validate_on_submit():
            status = 422
        else:
            try:
                service.update_settings(
                    current_user,
                    contest,
                    assignment_mode=form.assignment_mode.data,
                    judges_per_initiative=form.judges_per_initiative.data,
                    hide_engagement=form.hide_engagement.data,
                    disagreement_threshold=form.disagreement_threshold.data,
                    ranking_params=form.ranking_params(service.settings_for(contest).ranking_params),
                )
            except JudgingProblem as exc:
                alert, status = _refused(exc, form), exc.status
            else:
                flash(_("The judging settings are saved."), "success")
                return redirect(url_for("judging_admin.settings"))
    return render_template(
        "judging/admin_settings.html",
        contest=contest,
        form=form,
        alert=alert,
        weight_names=WEIGHT_FIELDS,
    ), status


# --- panel and assignments ------------------------------------------------------------------------


def _panel_page(contest, *, form=None, alert=None, status=200):
    progress = service.progress(contest)
    return render_template(
        "judging/admin_panel.html",
        contest=contest,
        judges=progress.judges,
        initiatives=len(progress.initiatives),
        settings=service.settings_for(contest),
        modes=ASSIGNMENT_MODES,
        form=form or add_judge_form(contest, formdata=None),
        action_form=ActionForm(formdata=None),
        alert=alert,
    ), status


@bp.route("/panel")
@organizer_required
def panel():
    return _panel_page(_contest())


@bp.route("/panel/add", methods=["POST"])
@organizer_required
def add_judge():
    contest = _contest()
    form = add_judge_form(contest)
    if not form.validate_on_submit():
        return _panel_page(contest, form=form, status=422)
    judge = db.get_or_404(User, form.user_id.data)
    try:
        service.add_panel_member(current_user, contest, judge)
    except JudgingProblem as exc:
        return _panel_page(contest, form=form, alert=_refused(exc, form), status=exc.status)
    flash(
        _("%(name)s joined the panel. Assign the work to give them initiatives.", name=judge.full_name),
        "success",
    )
    return redirect(url_for("judging_admin.panel"))


@bp.route("/panel/<int:user_id>/remove", methods=["POST"])
@organizer_required
def remove_judge(user_id: int):
    contest = _contest()
    judge = db.get_or_404(User, user_id)
    _check_csrf(ActionForm())
    if not any(member.id == judge.id for member in service.panel(contest)):
        abort(404)
    try:
        service.remove_panel_member(current_user, contest, judge)
    except JudgingProblem as exc:
        return _panel_page(contest, alert=_refused(exc), status=exc.status)
    flash(_("%(name)s left the panel, with his or her assignments.", name=judge.full_name), "success")
    return redirect(url_for("judging_admin.panel"))


@bp.route("/panel/assign", methods=["POST"])
@organizer_required
def assign():
    contest = _contest()
    _check_csrf(ActionForm())
    report = service.assign_work(current_user, contest)
    flash(ngettext("%(num)s assignment added.", "%(num)s assignments added.", report.added), "success")
    if report.short:
        titles = exports.initiative_titles(i for i, _n in report.short[:SHORT_LISTED])
        named = "; ".join(
            ngettext(
                "%(title)s (%(num)s judge)", "%(title)s (%(num)s judges)", n, title=titles.get(i, f"#{i}")
            )
            for i, n in report.short[:SHORT_LISTED]
        )
        more = len(report.short) - SHORT_LISTED
        if more > 0:
            named += " " + _("and %(num)s more.", num=more)
        flash(
            ngettext(
                "%(num)s initiative has fewer than %(k)s judges: %(list)s",
                "%(num)s initiatives have fewer than %(k)s judges: %(list)s",
                len(report.short),
                k=service.settings_for(contest).judges_per_initiative,
                list=named,
            ),
            "warning",
        )
    return redirect(url_for("judging_admin.panel"))


# --- progress -------------------------------------------------------------------------------------


@bp.route("/progress")
@organizer_required
def progress():
    contest = _contest()
    found = service.progress(contest)
    return render_template(
        "judging/admin_progress.html",
        contest=contest,
        judges=[(j, exports.median(j.scores)) for j in found.judges],
        initiatives=exports.flagged_first(found.initiatives),
        summary=exports.progress_summary(found),
        threshold=found.threshold,
        boxplot=exports.boxplot_data(
            ((j.judge.full_name, j.scores) for j in found.judges), _("Review scores (r)")
        ),
    )


# --- ranking runs ---------------------------------------------------------------------------------


def _runs_page(contest, *, alert=None, status=200):
    all_runs = service.runs(contest)
    return render_template(
        "judging/admin_runs.html",
        contest=contest,
        runs=all_runs,
        people=exports.people(r.created_by_id for r in all_runs),
        action_form=ActionForm(formdata=None),
        alert=alert,
    ), status


@bp.route("/runs")
@organizer_required
def runs():
    return _runs_page(_contest())


@bp.route("/runs", methods=["POST"])
@organizer_required
def run_ranking():
    contest = _contest()
    _check_csrf(ActionForm())
    try:
        run = service.run_ranking(current_user, contest)
    except JudgingProblem as exc:
        return _runs_page(contest, alert=_refused(exc), status=exc.status)
    flash(
        _(
            "Run #%(id)s stored (digest %(digest)s). Nothing is public until you publish it.",
            id=run.id,
            digest=run.digest[:12],
        ),
        "success",
    )
    return redirect(url_for("judging_admin.run", run_id=run.id))


def _run_page(contest, run, *, unpublish_form=None, alert=None, status=200):
    lines = service.run_lines(run)
    counted = service.counted_reviews(run)
    titles = {line.initiative_id: line.initiative.title for line in lines}
    what_if = what_if_form = None
    if "alpha" in request.args:
        what_if_form = WhatIfForm(formdata=request.args)
        if not what_if_form.validate():
            status = 422
        else:
            try:
                what_if = service.what_if(run, what_if_form.alpha.data)
            except JudgingProblem as exc:
                _refused(exc, what_if_form)
                status = 422
    if what_if_form is None:
        what_if_form = WhatIfForm(formdata=None, data={"alpha": float(run.params["alpha"])})
    published = service.published_run(contest)
    return render_template(
        "judging/admin_run.html",
        contest=contest,
        run=run,
        lines=lines,
        counted=counted,
        params=exports.param_rows(run.params, _category_names(lines), PARAM_LABELS, EXPERT_METHODS, SCALES),
        verification=service.verify_run(run),
        created_by=db.session.get(User, run.created_by_id) if run.created_by_id else None,
        published=published,
        what_if=what_if,
        what_if_lines={r.initiative_id: r for r in what_if.result.results} if what_if else {},
        what_if_form=what_if_form,
        titles=titles,
        action_form=ActionForm(formdata=None),
        unpublish_form=unpublish_form or ReasonForm(formdata=None),
        alert=alert,
    ), status


def _category_names(lines) -> dict[int, str]:
    locale = _locale()
    return {
        line.initiative.category_id: line.initiative.category.label(locale)
        for line in lines
        if line.initiative.category is not None
    }


@bp.route("/runs/<int:run_id>")
@organizer_required
def run(run_id: int):
    contest = _contest()
    return _run_page(contest, _run(contest, run_id))


@bp.route("/runs/<int:run_id>/publish", methods=["POST"])
@organizer_required
def publish_run(run_id: int):
    contest = _contest()
    found = _run(contest, run_id)
    _check_csrf(ActionForm())
    try:
        service.publish_run(current_user, found)
    except JudgingProblem as exc:
        return _run_page(contest, found, alert=_refused(exc), status=exc.status)
    flash(
        ngettext(
            "Run #%(id)s is published: its %(num)s finalist is marked and the results page shows it.",
            "Run #%(id)s is published: its %(num)s finalists are marked and the results page shows them.",
            found.finalists,
            id=found.id,
        ),
        "success",
    )
    return redirect(url_for("judging_admin.run", run_id=found.id))


@bp.route("/runs/<int:run_id>/unpublish", methods=["POST"])
@organizer_required
def unpublish_run(run_id: int):
    contest = _contest()
    found = _run(contest, run_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _run_page(contest, found, unpublish_form=form, status=422)
    try:
        service.unpublish_run(current_user, found, form.reason.data)
    except JudgingProblem as exc:
        return _run_page(contest, found, unpublish_form=form, alert=_refused(exc, form), status=exc.status)
    flash(_("Run #%(id)s is no longer published; the results page shows nothing.", id=found.id), "warning")
    return redirect(url_for("judging_admin.run", run_id=found.id))


# --- exports --------------------------------------------------------------------------------------


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/runs/<int:run_id>/results.<any(csv, xlsx):fmt>")
@organizer_required
def export_results(run_id: int, fmt: str):
    contest = _contest()
    found = _run(contest, run_id)
    lines = service.run_lines(found)
    table = exports.results_table(lines, service.counted_reviews(found), _locale())
    filename = f"ket-qua-xep-hang-{found.id}.{fmt}"
    if fmt == "csv":
        return _download(exports.to_csv(table), "text/csv; charset=utf-8", filename)
    facts = exports.run_facts(
        found,
        created_at=fmt_datetime(found.created_at),
        published_at=fmt_datetime(found.published_at),
        params=exports.param_rows(found.params, _category_names(lines), PARAM_LABELS, EXPERT_METHODS, SCALES),
    )
    return _download(exports.to_xlsx([table, exports.run_table(facts)]), XLSX, filename)


@bp.route("/scores.xlsx")
@organizer_required
def export_scores():
    contest = _contest()
    criteria = service.rubric(contest)
    rows = exports.score_rows(contest, criteria, lambda t: to_user_timezone(t).replace(tzinfo=None))
    labels = [(c.id, f"{c.label(_locale())} (0–{format_decimal(c.max_score)})") for c in criteria]
    return _download(
        exports.to_xlsx([exports.scores_table(rows, labels)]), XLSX, f"diem-cham-{contest.id}.xlsx"
    )
