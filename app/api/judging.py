"""Judges over the API: assignments and reviews.

A judge reads and writes only his or her own review; another judge's scores are never returned.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort

from app.api.auth import BEARER
from app.api.judging_schemas import JudgeAssignmentSchema, JudgeReviewInSchema, JudgeReviewSchema
from app.contest.service import current_contest
from app.extensions import token_auth
from app.judging import service
from app.judging.messages import problem_message
from models import Initiative, Review, db

blp = Blueprint("api_judging", __name__, url_prefix="/api/v1", description="Judging: assignments and reviews")


def _fail(exc: service.JudgingProblem):
    """The JSON error for a refused operation (nothing was written); score problems under "scores"."""
    db.session.rollback()
    errors: dict = {}
    for field, code in exc.fields.items():
        if exc.code == "invalid_scores":
            errors.setdefault("scores", {})[field] = [problem_message(code)]
        else:
            errors[field] = [problem_message(code)]
    abort(exc.status, message=problem_message(exc.code), **({"errors": errors} if errors else {}))


def _load(initiative_id: int) -> Initiative:
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not initiative.is_public:
        abort(404, message=_("No such initiative."))
    return initiative


def _review(review: Review) -> dict:
    return {
        "initiative_id": review.initiative_id,
        "status": str(review.status),
        "scores": {str(cid): score for cid, score in sorted(review.score_map.items())},
        "note": review.note,
        "submitted_at": review.submitted_at,
        "updated_at": review.updated_at,
    }


@blp.route("/judging/assignments")
class JudgeAssignments(MethodView):
    decorators = [token_auth.login_required(role="judge")]

    @blp.doc(security=BEARER)
    @blp.response(200, JudgeAssignmentSchema(many=True))
    @blp.alt_response(403, description="Judges only")
    @blp.alt_response(404, description="No contest has been set up")
    def get(self):
        """The initiatives assigned to you in the current contest, with the state of your review."""
        contest = current_contest()
        if contest is None:
            abort(404, message=_("No contest has been set up yet."))
        return [
            {"initiative_id": line.initiative.id, "title": line.initiative.title, "status": line.status}
            for line in service.judge_assignments(token_auth.current_user(), contest)
        ]


@blp.route("/judging/initiatives/<int:initiative_id>/review")
class JudgeReview(MethodView):
    # Authentication before the body is parsed: an anonymous caller gets 401, not 422.
    decorators = [token_auth.login_required(role="judge")]

    @blp.doc(security=BEARER)
    @blp.response(200, JudgeReviewSchema)
    @blp.alt_response(403, description="Not assigned to you, or of your own unit")
    @blp.alt_response(404, description="No such published initiative, or no review of yours yet")
    def get(self, initiative_id: int):
        """Your own review of the initiative (never another judge's)."""
        judge = token_auth.current_user()
        initiative = _load(initiative_id)
        allowed, code, status = service.can_review(judge, initiative)
        if not allowed and status == 403:
            abort(403, message=problem_message(code))
        review = service.own_review(judge, initiative)
        if review is None:
            abort(404, message=_("You have not reviewed this initiative yet."))
        return _review(review)

    @blp.doc(security=BEARER)
    @blp.arguments(JudgeReviewInSchema)
    @blp.response(200, JudgeReviewSchema)
    @blp.alt_response(403, description="Not assigned to you, or of your own unit")
    @blp.alt_response(404, description="No such published initiative")
    @blp.alt_response(409, description="The judging window is closed, or you declared a conflict")
    @blp.alt_response(
        422,
        description="A score outside 0..max, not a number, for an unknown criterion, "
        "or missing when submitting (errors.fields.scores names each criterion)",
    )
    def put(self, body, initiative_id: int):
        """Save your review as a draft, or submit it; a submitted review can be changed while judging is open.

        Every change is recorded in the audit log (the private note is not copied there).
        """
        judge = token_auth.current_user()
        initiative = _load(initiative_id)
        note = body["note"]
        if note is None:  # left out: keep the saved note (scores left out are kept too)
            saved = service.own_review(judge, initiative)
            note = saved.note if saved is not None else ""
        try:
            review = service.save_review(judge, initiative, body["scores"], note, submit=body["submit"])
        except service.JudgingProblem as exc:
            _fail(exc)
        return _review(review)
