"""Organizer pages: importing engagement from other platforms (CSV); the engagement chart's data."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("engagement_import", __name__)
