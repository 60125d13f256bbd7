from flask import Blueprint

bp = Blueprint("contest", __name__, url_prefix="/admin/contest")

from app.contest import routes  # noqa: E402,F401
