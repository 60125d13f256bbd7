"""Organizer pages: the comment moderation queue, the fraud review and quarantine decisions."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("engagement_admin", __name__, url_prefix="/admin/engagement")
