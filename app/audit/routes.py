"""The organizers' view of the audit log, with a check of the hash chain."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select

from app.audit.service import verify_audit_log
from app.security import organizer_required
from models import AuditEntry, db

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


@bp.route("/")
@organizer_required
def index():
    page = max(request.args.get("page", 1, type=int), 1)
    action = request.args.get("action", "")[:64]
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    pagination = db.paginate(stmt, page=page, per_page=50, error_out=False)
    checked, broken = verify_audit_log() if request.args.get("verify") else (None, None)
    return render_template(
        "audit/index.html", pagination=pagination, action=action, checked=checked, broken=broken
    )
