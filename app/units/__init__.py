from flask import Blueprint

bp = Blueprint("units", __name__, url_prefix="/admin/units")

from app.units import routes  # noqa: E402,F401
