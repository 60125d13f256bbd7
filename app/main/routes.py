"""Public pages: the home page with the contest timeline, the language switch, a health check."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy import func, select, text

from app import clock
from app.contest import service as contest_service
from app.contest.forms import STAGE_NAMES
from app.contest.timeline import next_stage, open_stages
from app.extensions import talisman
from app.security import organizer_required, safe_next
from models import AuditEntry, Unit, User, db

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    contest = contest_service.current_contest()
    states = contest_service.contest_states(contest) if contest else []
    return render_template(
        "main/index.html",
        contest=contest,
        states=states,
        open_now=open_stages(states),
        next_up=next_stage(states),
        steps=contest_service.viewer_steps(current_user, states),
        stage_names=STAGE_NAMES,
        now=clock.now(),
    )


@bp.route("/lang/<code>")
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    return redirect(safe_next(request.args.get("next")))


@bp.route("/healthz")
@talisman(force_https=False)  # load balancers probe the app server directly over plain HTTP
def health():
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok", time=clock.now().isoformat())


@bp.route("/admin/")
@organizer_required
def admin():
    counts = {
        "users": db.session.scalar(select(func.count()).select_from(User)),
        "verified": db.session.scalar(
            select(func.count()).select_from(User).where(User.verified_at.is_not(None))
        ),
        "units": db.session.scalar(select(func.count()).select_from(Unit)),
        "audit": db.session.scalar(select(func.count()).select_from(AuditEntry)),
    }
    return render_template("main/admin.html", counts=counts, contest=contest_service.current_contest())
