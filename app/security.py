"""Permission decorators for HTML views and safe redirects."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from models import RoleName


def login_required_verified(view):
    """Signed in and verified: the gate for every action a citizen takes (like, comment, quiz)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if not current_user.is_verified:
            return redirect(
                url_for("auth.verify", next=request.full_path if request.query_string else request.path)
            )
        return view(*args, **kwargs)

    return wrapped


def roles_required(*roles: RoleName):
    """Signed in and holding one of the roles; 403 otherwise (the check is on the server)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not any(current_user.has_role(role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def organizer_required(view):
    return roles_required(RoleName.ORGANIZER)(view)


def safe_next(target: str | None, fallback: str = "main.index") -> str:
    """Only same-site relative paths are followed after login or a language switch."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for(fallback)
