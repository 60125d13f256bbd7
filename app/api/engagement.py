"""Engagement over the API: likes (idempotent PUT/DELETE)."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.api.auth import BEARER
from app.api.schemas import LikeStateSchema
from app.engagement import service
from app.engagement.messages import problem_message
from app.extensions import client_ip, limiter, token_auth
from app.ratelimits import acting_user_key, like_limit, like_limit_per_ip
from models import Contest, Initiative, db

blp = Blueprint(
    "api_engagement", __name__, url_prefix="/api/v1", description="Likes, comments and engagement"
)


def fail(exc: service.EngagementProblem):
    """The JSON error for a refused engagement operation; nothing was written."""
    db.session.rollback()
    errors = {exc.field: [problem_message(exc.code)]} if exc.field else None
    abort(exc.status, message=problem_message(exc.code), **({"errors": errors} if errors else {}))


def load_visible(initiative_id: int) -> Initiative:
    """A published initiative (others answer 404 unless the caller may see them)."""
    initiative = db.session.scalar(
        select(Initiative)
        .where(Initiative.id == initiative_id)
        .options(joinedload(Initiative.contest).selectinload(Contest.stages))
    )
    if initiative is None or not initiative.can_view(token_auth.current_user()):
        abort(404, message=_("No such initiative."))
    return initiative


def source() -> service.Source:
    return service.Source.of(client_ip(), request.headers.get("User-Agent"))


@blp.route("/initiatives/<int:initiative_id>/like")
class LikeResource(MethodView):
    decorators = [
        limiter.limit(like_limit_per_ip, key_func=client_ip, scope="like-ip"),
        limiter.limit(like_limit, key_func=acting_user_key, scope="like"),
        token_auth.login_required,
    ]

    @blp.doc(security=BEARER)
    @blp.response(200, LikeStateSchema)
    @blp.alt_response(403, description="Account not verified")
    @blp.alt_response(409, description="Voting closed, or the initiative is not published")
    def put(self, initiative_id: int):
        """Like (verified accounts, while public voting is open). Liking twice changes nothing."""
        try:
            state = service.like_initiative(token_auth.current_user(), load_visible(initiative_id), source())
        except service.EngagementProblem as exc:
            fail(exc)
        return {"liked": state.liked, "like_count": state.like_count}

    @blp.doc(security=BEARER)
    @blp.response(200, LikeStateSchema)
    @blp.alt_response(403, description="Account not verified")
    @blp.alt_response(409, description="Voting closed, or the initiative is not published")
    def delete(self, initiative_id: int):
        """Take a like back while public voting is open. Without a like it changes nothing."""
        try:
            state = service.unlike_initiative(
                token_auth.current_user(), load_visible(initiative_id), source()
            )
        except service.EngagementProblem as exc:
            fail(exc)
        return {"liked": state.liked, "like_count": state.like_count}
