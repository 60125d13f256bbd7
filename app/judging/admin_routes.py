"""Organizers' judging pages: rubric, panel and assignments, progress, ranking runs, exports."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("judging_admin", __name__, url_prefix="/admin/judging")
