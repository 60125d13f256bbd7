"""POST /api/v1/tokens (sign in), GET /api/v1/me, DELETE /api/v1/tokens/current (sign out)."""

from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from sqlalchemy import update

from app import clock, ratelimits
from app.api.auth import BEARER
from app.api.schemas import TokenRequestSchema, TokenSchema, UserSchema
from app.auth import service
from app.auth.rules import hash_secret
from app.extensions import limiter, token_auth
from models import ApiToken, db

blp = Blueprint("api_tokens", __name__, url_prefix="/api/v1", description="Sign in and who am I")


@blp.route("/tokens")
class Tokens(MethodView):
    decorators = [
        limiter.limit(ratelimits.login_per_ip),
        limiter.limit(ratelimits.login_per_account, key_func=ratelimits.account_key),
    ]

    @blp.arguments(TokenRequestSchema)
    @blp.response(201, TokenSchema)
    @blp.alt_response(401, description="Wrong login or password, or a deactivated account")
    @blp.alt_response(429, description="Too many attempts from this address or for this account")
    def post(self, body):
        """Exchange an email or phone number and a password for a bearer token."""
        user = service.authenticate(body["login"], body["password"])
        if user is None:
            abort(401, message=_("The login or password is not right, or the account is not active."))
        token, row = service.issue_api_token(user)
        return {"token": token, "expires_at": row.expires_at, "user": user}


@blp.route("/tokens/current")
class CurrentToken(MethodView):
    decorators = [token_auth.login_required]

    @blp.doc(security=BEARER)
    @blp.response(204)
    def delete(self):
        """Revoke the token used for this request."""
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == hash_secret(token, current_app.config["SECRET_KEY"]))
            .values(revoked_at=clock.now())
        )
        db.session.commit()


@blp.route("/me")
class Me(MethodView):
    decorators = [token_auth.login_required]

    @blp.doc(security=BEARER)
    @blp.response(200, UserSchema)
    def get(self):
        """The signed-in user, with roles and verification."""
        return token_auth.current_user()
