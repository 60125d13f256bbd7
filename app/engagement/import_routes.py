"""Organizer pages: importing engagement from other platforms (CSV); the engagement chart's data."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from app.engagement import external_service, stats
from app.engagement.external import EXAMPLE_CSV, RowProblem, parse_external_csv
from app.engagement.external_messages import PLATFORM_NAMES, report_rows
from app.engagement.import_forms import MAX_IMPORT_BYTES, ExternalImportForm
from app.security import organizer_required
from app.units.roster import decode
from models import Initiative, db

bp = Blueprint("engagement_import", __name__)


@bp.route("/admin/engagement/import", methods=["GET", "POST"])
@organizer_required
def upload():
    form = ExternalImportForm()
    problems: list[RowProblem] = []
    if form.validate_on_submit():
        data = form.file.data.stream.read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:
            problems = [RowProblem(1, "file", "too_large")]
        elif (text := decode(data)) is None:
            problems = [RowProblem(1, "file", "not_utf8")]
        else:
            rows, problems = parse_external_csv(text)
            if not problems:
                try:
                    report = external_service.import_external(current_user, rows)
                except external_service.ExternalRejected as exc:
                    problems = exc.problems
                else:
                    platforms = ", ".join(f"{PLATFORM_NAMES[p]}: {n}" for p, n in report.by_platform.items())
                    flash(
                        _(
                            "Imported %(rows)s snapshots for %(initiatives)s initiatives (%(platforms)s).",
                            rows=report.rows,
                            initiatives=report.initiatives,
                            platforms=platforms,
                        ),
                        "success",
                    )
                    return redirect(url_for("engagement_import.upload"))
    status = 422 if (problems or form.errors) else 200
    return render_template(
        "engagement/import.html", form=form, errors=report_rows(problems), example=EXAMPLE_CSV
    ), status


@bp.route("/admin/engagement/import/example.csv")
@organizer_required
def example():
    """The example file, with Excel's BOM so Vietnamese letters open right in Excel."""
    return Response(
        "\ufeff" + EXAMPLE_CSV,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=tuong-tac-mau.csv"},
    )


@bp.route("/sang-kien/<int:initiative_id>/tuong-tac.json")
def chart_data(initiative_id: int):
    """Likes, comments and views per day: the initiative's unit and the organizers only (404 to others)."""
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not initiative.can_manage(current_user):
        abort(404)
    days = stats.daily_engagement(initiative.id)
    response = jsonify(
        {
            "days": [d.day.isoformat() for d in days],
            "labels": [format_date(d.day, "dd/MM") for d in days],
            "likes": [d.likes for d in days],
            "comments": [d.comments for d in days],
            "views": [d.views for d in days],
        }
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
