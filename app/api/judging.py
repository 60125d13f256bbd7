"""Judges over the API: assignments and reviews."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("api_judging", __name__, url_prefix="/api/v1", description="Judging: assignments and reviews")
