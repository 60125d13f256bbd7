"""Bearer-token authentication for the API (Flask-HTTPAuth), checked on every request."""

from __future__ import annotations

from app.auth.service import user_for_token
from app.errors import json_error
from app.extensions import token_auth

BEARER = [{"bearerAuth": []}]


@token_auth.verify_token
def verify_token(token: str):
    return user_for_token(token)


@token_auth.get_user_roles
def user_roles(user):
    return user.role_names


@token_auth.error_handler
def auth_error(status: int):
    response, status = json_error(status)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response, status
