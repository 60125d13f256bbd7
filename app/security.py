"""Permission decorators for HTML views, safe redirects, and cookie sessions for pages only."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user

from models import RoleName

API_PREFIX = "/api/"


class PageSessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions for the pages; none for /api/.

    The API authenticates with bearer tokens only, never with cookies, so an API request gets an
    empty session that is neither read from the cookie (no signature check) nor written back (no
    Set-Cookie, no Vary: Cookie): a browser's session cannot act through the API.
    """

    def open_session(self, app, request):
        if request.path.startswith(API_PREFIX):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if request.path.startswith(API_PREFIX):
            return
        super().save_session(app, session, response)


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
