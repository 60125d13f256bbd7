"""The contest and its stage windows."""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort

from app import clock
from app.api.auth import BEARER
from app.api.schemas import ContestSchema, StagePatchSchema, StageSchema
from app.contest import service
from app.contest.forms import STAGE_NAMES
from app.extensions import token_auth
from models import Contest, StageKind, db

blp = Blueprint("api_contests", __name__, url_prefix="/api/v1/contests", description="Contests and stages")


def _stage_out(stage) -> dict:
    return {
        "kind": str(stage.kind),
        "name": str(STAGE_NAMES[str(stage.kind)]),
        "opens_at": stage.opens_at,
        "closes_at": stage.closes_at,
        "is_open": stage.is_open_at(clock.now()),
    }


def _contest_out(contest: Contest) -> dict:
    return {
        "id": contest.id,
        "name": contest.name,
        "slug": contest.slug,
        "year": contest.year,
        "stages": [_stage_out(s) for s in sorted(contest.stages, key=lambda s: s.opens_at)],
    }


@blp.route("/current")
class CurrentContest(MethodView):
    @blp.response(200, ContestSchema)
    @blp.alt_response(404, description="No contest has been set up")
    def get(self):
        """The contest running now, with every stage window."""
        contest = service.current_contest()
        if contest is None:
            abort(404, message=_("No contest has been set up yet."))
        return _contest_out(contest)


@blp.route("/<int:contest_id>/stages/<string:kind>")
class StageWindow(MethodView):
    # Authentication before the body is parsed: an anonymous caller gets 401, not 422.
    decorators = [token_auth.login_required(role="organizer")]

    @blp.doc(security=BEARER)
    @blp.arguments(StagePatchSchema)
    @blp.response(200, StageSchema)
    @blp.alt_response(403, description="Only organizers change stage windows")
    @blp.alt_response(404, description="No such contest or stage kind")
    def patch(self, body, contest_id: int, kind: str):
        """Move one stage's window (organizers). 422 when it would close before it opens."""
        contest = db.session.get(Contest, contest_id)
        if contest is None or kind not in {k.value for k in StageKind}:
            abort(404)
        stage = contest.stage(kind)
        opens_at = body.get("opens_at") or (stage.opens_at if stage else None)
        closes_at = body.get("closes_at") or (stage.closes_at if stage else None)
        if opens_at is None or closes_at is None:
            abort(
                422,
                message=_("Give both opens_at and closes_at for a new stage."),
                errors={"opens_at" if opens_at is None else "closes_at": [_("Required.")]},
            )
        try:
            stage = service.update_stage(
                token_auth.current_user(), contest, StageKind(kind), opens_at, closes_at
            )
        except service.StageWindowInvalid:
            abort(
                422,
                message=_("The stage must close after it opens."),
                errors={"closes_at": [_("The stage must close after it opens.")]},
            )
        return _stage_out(stage)
