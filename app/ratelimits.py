"""Rate-limit keys and limits shared by the HTML forms and the API.

Limits are read from config at request time so each environment (and each test) can
set its own; the per-account key is the normalised login, so "0912 345 678" and
"+84912345678" count as one account.
"""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

from app.auth.rules import parse_login


def _login_value() -> str:
    if request.is_json:
        data = request.get_json(silent=True) or {}
        return str(data.get("login", ""))
    return request.form.get("login", "")


def account_key() -> str:
    raw = _login_value()
    try:
        ident = parse_login(raw)
        return f"account:{ident.value}"
    except ValueError:
        return f"account:raw:{raw.strip().lower()[:254]}"


def current_user_key() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"ip:{request.remote_addr}"


def login_per_ip() -> str:
    return current_app.config["LOGIN_LIMIT_PER_IP"]


def login_per_account() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def register_per_ip() -> str:
    return current_app.config["REGISTER_LIMIT_PER_IP"]


def code_per_account() -> str:
    return current_app.config["CODE_LIMIT_PER_ACCOUNT"]


def only_post() -> bool:
    """Exempt GET: showing the form costs nothing, only attempts count."""
    return request.method != "POST"


def like_limit() -> str:
    return current_app.config["LIKE_LIMIT"]


def like_limit_per_ip() -> str:
    return current_app.config["LIKE_LIMIT_PER_IP"]


def comment_limit() -> str:
    return current_app.config["COMMENT_LIMIT"]


def comment_limit_per_ip() -> str:
    return current_app.config["COMMENT_LIMIT_PER_IP"]


def report_limit() -> str:
    return current_app.config["REPORT_LIMIT"]


def acting_user_key() -> str:
    """The signed-in account, by API token (under /api/) or by session; the address when there is none."""
    from app.extensions import token_auth

    if request.path.startswith("/api/"):  # bearer tokens only there (no cookie session)
        user = token_auth.current_user()
    else:
        user = current_user if current_user.is_authenticated else None
    return f"user:{user.id}" if user is not None else f"ip:{request.remote_addr}"
