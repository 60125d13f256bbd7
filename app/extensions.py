"""Flask extensions, created unbound and initialised in create_app."""

from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_caching import Cache
from flask_httpauth import HTTPTokenAuth
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

from models import db


def client_ip() -> str:
    """The client's address as seen by the app (ProxyFix has applied X-Forwarded-For in production)."""
    return request.remote_addr or "unknown"


migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Small, short-lived, per-process values (the gallery's filter lists); see config CACHE_*.
cache = Cache()
limiter = Limiter(key_func=client_ip)
mail = Mail()
talisman = Talisman()
bootstrap = Bootstrap5()
token_auth = HTTPTokenAuth(scheme="Bearer")

__all__ = [
    "babel",
    "bootstrap",
    "cache",
    "client_ip",
    "csrf",
    "db",
    "limiter",
    "login_manager",
    "mail",
    "migrate",
    "talisman",
    "token_auth",
]
