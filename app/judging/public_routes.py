"""Public pages: the published finalists with their breakdowns, and the ranking method."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("results", __name__, url_prefix="/ket-qua")
