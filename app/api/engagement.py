"""Engagement over the API: likes (idempotent PUT/DELETE), comments and reports."""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort

from app.api.auth import BEARER
from app.api.schemas import (
    CommentInSchema,
    CommentPageSchema,
    CommentQuerySchema,
    CommentReportInSchema,
    CommentReportStateSchema,
    CommentSchema,
    LikeStateSchema,
)
from app.engagement import queries, request_source, service
from app.engagement.messages import problem_message
from app.extensions import client_ip, limiter, token_auth
from app.ratelimits import (
    acting_user_key,
    comment_limit,
    comment_limit_per_ip,
    like_limit,
    like_limit_per_ip,
    report_limit,
)
from models import Comment, Initiative, db

blp = Blueprint(
    "api_engagement", __name__, url_prefix="/api/v1", description="Likes, comments and engagement"
)


def fail(exc: service.EngagementProblem):
    """The JSON error for a refused engagement operation; nothing was written."""
    db.session.rollback()
    errors = {exc.field: [problem_message(exc.code)]} if exc.field else None
    abort(exc.status, message=problem_message(exc.code), **({"errors": errors} if errors else {}))


def load_visible(initiative_id: int) -> Initiative:
    """The initiative, or 404 when the caller may not see it."""
    initiative = service.visible_initiative(initiative_id, token_auth.current_user())
    if initiative is None:
        abort(404, message=_("No such initiative."))
    return initiative


def like_target(initiative_id: int) -> service.Target:
    """The gate's facts in one query, or 404 when the caller may not see the initiative."""
    target = service.visible_target(initiative_id, token_auth.current_user())
    if target is None:
        abort(404, message=_("No such initiative."))
    return target


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
            state = service.like_initiative(
                token_auth.current_user(), like_target(initiative_id), request_source()
            )
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
                token_auth.current_user(), like_target(initiative_id), request_source()
            )
        except service.EngagementProblem as exc:
            fail(exc)
        return {"liked": state.liked, "like_count": state.like_count}


# --- comments ---------------------------------------------------------------------------------


def _comment(row: queries.CommentRow) -> dict:
    """A comment as the caller may see it: placeholders keep their place but show no text or name."""
    c = row.comment
    shown = row.shows_text
    return {
        "id": c.id,
        "body": c.body if shown else "",
        "author": c.user.full_name if shown else None,
        "created_at": c.created_at,
        "edited": shown and c.edited_at is not None,
        "parent_id": c.parent_id,
        "status": row.state,
        "replies": [_comment(r) for r in row.replies],
    }


def _load_comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or not comment.initiative.can_view(token_auth.current_user()):
        abort(404, message=_("No such comment."))
    return comment


@blp.route("/initiatives/<int:initiative_id>/comments")
class CommentsResource(MethodView):
    @blp.arguments(CommentQuerySchema, location="query")
    @blp.response(200, CommentPageSchema)
    @blp.alt_response(404, description="Not found, or not published and not yours")
    @token_auth.login_required(optional=True)
    def get(self, args, initiative_id: int):
        """The comments of an initiative, 20 threads a page, newest first, each with its replies.

        Deleted and hidden comments appear only as placeholders, and only when they have replies;
        with a token, your own hidden comments appear too (status own_hidden or own_removed).
        """
        initiative = load_visible(initiative_id)
        page = queries.comments_page(initiative.id, args["page"], token_auth.current_user())
        return {
            "items": [_comment(row) for row in page.items],
            "page": page.page,
            "pages": page.pages,
            "total": page.total,
        }

    @token_auth.login_required
    @blp.doc(security=BEARER)
    @blp.arguments(CommentInSchema)
    @blp.response(201, CommentSchema)
    @blp.alt_response(403, description="Account not verified")
    @blp.alt_response(
        409, description="Voting closed, the initiative is not published, or the parent is gone"
    )
    @blp.alt_response(422, description="Empty or longer than 2,000 characters, or no such parent")
    @limiter.shared_limit(comment_limit_per_ip, scope="comment-ip", key_func=client_ip)
    @limiter.shared_limit(comment_limit, scope="comment", key_func=acting_user_key)
    def post(self, body, initiative_id: int):
        """Comment, or reply with parent_id (a reply to a reply joins the thread), while voting is open."""
        user = token_auth.current_user()
        try:
            comment = service.add_comment(
                user, load_visible(initiative_id), body["body"], body["parent_id"], request_source()
            )
        except service.EngagementProblem as exc:
            fail(exc)
        return _comment(queries.CommentRow(comment, "visible", own=True))


@blp.route("/comments/<int:comment_id>/report")
class CommentReportResource(MethodView):
    decorators = [
        limiter.shared_limit(report_limit, scope="report", key_func=acting_user_key),
        token_auth.login_required,
    ]

    @blp.doc(security=BEARER)
    @blp.arguments(CommentReportInSchema)
    @blp.response(200, CommentReportStateSchema)
    @blp.alt_response(403, description="Account not verified")
    @blp.alt_response(409, description="Your own comment, a deleted one, or voting closed")
    @blp.alt_response(422, description="No reason given, or longer than 500 characters")
    def post(self, body, comment_id: int):
        """Report a comment once; at three reports from different people it is hidden until reviewed."""
        comment = _load_comment(comment_id)
        try:
            hidden = service.report_comment(
                token_auth.current_user(), comment, body["reason"], request_source()
            )
        except service.EngagementProblem as exc:
            fail(exc)
        return {"hidden": hidden}
