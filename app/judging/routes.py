"""Judges' pages: the assigned initiatives with progress, one initiative's review form, conflicts."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("judging", __name__, url_prefix="/cham-diem")
