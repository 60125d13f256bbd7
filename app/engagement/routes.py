"""Public engagement pages: like and unlike (a plain form, enhanced by JavaScript), comments,
replies, edits, deletions and reports on an initiative's page."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("engagement", __name__)
