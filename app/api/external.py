"""Engagement gathered on the district's other platforms, over the API (organizers)."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("api_external", __name__, url_prefix="/api/v1/engagement", description="Imported engagement")
