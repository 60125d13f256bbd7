"""Rubric, ranking runs and published finalists over the API."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("api_ranking", __name__, url_prefix="/api/v1", description="Rubric, ranking runs, finalists")
