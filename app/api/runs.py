"""Rubric, ranking runs and published finalists over the API."""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort

from app.api.auth import BEARER
from app.api.runs_schemas import (
    CriterionSchema,
    FinalistsSchema,
    RankingParamsSchema,
    RankingRunSchema,
    UnpublishInSchema,
)
from app.extensions import token_auth
from app.judging import results, service
from app.judging.messages import PROBLEM_MESSAGES, problem_message
from models import Contest, RankingRun, db

blp = Blueprint("api_ranking", __name__, url_prefix="/api/v1", description="Rubric, ranking runs, finalists")


def fail(exc: service.JudgingProblem):
    """The JSON error of a refused judging operation; nothing was written.

    A field's code becomes its translated message; the engine's own explanation of a refused
    parameter (English, from app/judging/ranking.py) is passed on as it is.
    """
    db.session.rollback()
    errors = {name: [problem_message(c) if c in PROBLEM_MESSAGES else c] for name, c in exc.fields.items()}
    abort(exc.status, message=problem_message(exc.code), **({"errors": errors} if errors else {}))


def _contest(contest_id: int) -> Contest:
    contest = db.session.get(Contest, contest_id)
    if contest is None:
        abort(404, message=_("No such contest."))
    return contest


def _run(run_id: int) -> RankingRun:
    run = db.session.get(RankingRun, run_id)
    if run is None:
        abort(404, message=_("No such ranking run."))
    return run


def _score(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def run_out(run: RankingRun) -> dict:
    """A stored run: its parameters as numbers and every line of its result, in result order."""
    return {
        "id": run.id,
        "contest_id": run.contest_id,
        "created_at": run.created_at,
        "engine_version": run.engine_version,
        "digest": run.digest,
        "params": results.params_out(results.run_params(run.id, run.digest)),
        "published": run.is_published,
        "results": [
            {
                "initiative_id": line.initiative_id,
                "rank": line.rank,
                "E": _score(line.expert_score),
                "P": _score(line.engagement_score),
                "F": _score(line.final_score),
                "reviews": line.reviews,
                "likes": line.likes,
                "commenters": line.commenters,
                "views": line.views,
                "engagement": line.engagement,
                "finalist": line.finalist,
                "ranked": line.ranked,
                "reason": line.reason,
            }
            for line in run.lines
        ],
    }


@blp.route("/contests/<int:contest_id>/criteria")
class Criteria(MethodView):
    decorators = [token_auth.login_required(role=["organizer", "judge"])]

    @blp.doc(security=BEARER)
    @blp.response(200, CriterionSchema(many=True))
    @blp.alt_response(403, description="Only organizers and judges")
    @blp.alt_response(404, description="No such contest")
    def get(self, contest_id: int):
        """The contest's judging criteria (rubric) in their order."""
        return service.rubric(_contest(contest_id))


@blp.route("/contests/<int:contest_id>/ranking-runs")
class RankingRuns(MethodView):
    # Authentication before the body is parsed: a caller who may not run gets 401/403, not 422.
    decorators = [token_auth.login_required(role="organizer")]

    @blp.doc(security=BEARER)
    @blp.arguments(RankingParamsSchema, required=False)
    @blp.response(201, RankingRunSchema)
    @blp.alt_response(403, description="Only organizers run the ranking")
    @blp.alt_response(404, description="No such contest")
    @blp.alt_response(409, description="The contest has no judging criteria")
    def post(self, overrides, contest_id: int):
        """Rank now and store the run (not published). Parameters given here override the contest's
        for this run only; a value the method does not accept is answered 422."""
        contest = _contest(contest_id)
        try:
            run = service.run_ranking(token_auth.current_user(), contest, overrides or None)
        except service.JudgingProblem as exc:
            fail(exc)
        return run_out(run)


@blp.route("/ranking-runs/<int:run_id>")
class RankingRunItem(MethodView):
    decorators = [token_auth.login_required(role="organizer")]

    @blp.doc(security=BEARER)
    @blp.response(200, RankingRunSchema)
    @blp.alt_response(403, description="Only organizers see stored runs")
    @blp.alt_response(404, description="No such run")
    def get(self, run_id: int):
        """A stored run with every line of its result (ranked entries by rank, then the others)."""
        return run_out(_run(run_id))


@blp.route("/ranking-runs/<int:run_id>/publish")
class PublishRun(MethodView):
    decorators = [token_auth.login_required(role="organizer")]

    @blp.doc(security=BEARER)
    @blp.response(200, RankingRunSchema)
    @blp.alt_response(403, description="Only organizers publish")
    @blp.alt_response(404, description="No such run")
    @blp.alt_response(409, description="Another run of the contest is published")
    def post(self, run_id: int):
        """Publish the run: its finalists appear on the public results page and in /finalists."""
        run = _run(run_id)
        try:
            run = service.publish_run(token_auth.current_user(), run)
        except service.JudgingProblem as exc:
            fail(exc)
        return run_out(run)


@blp.route("/ranking-runs/<int:run_id>/unpublish")
class UnpublishRun(MethodView):
    decorators = [token_auth.login_required(role="organizer")]

    @blp.doc(security=BEARER)
    @blp.arguments(UnpublishInSchema)
    @blp.response(200, RankingRunSchema)
    @blp.alt_response(403, description="Only organizers unpublish")
    @blp.alt_response(404, description="No such run")
    @blp.alt_response(409, description="The run is not published")
    def post(self, body, run_id: int):
        """Take the published results down again; the reason is required and kept with the run."""
        run = _run(run_id)
        try:
            run = service.unpublish_run(token_auth.current_user(), run, body["reason"])
        except service.JudgingProblem as exc:
            fail(exc)
        return run_out(run)


@blp.route("/contests/<int:contest_id>/finalists")
class Finalists(MethodView):
    @blp.response(200, FinalistsSchema)
    @blp.alt_response(404, description="No such contest, or no run is published")
    def get(self, contest_id: int):
        """The published finalists in rank order with their breakdown, the run's digest and parameters."""
        published = results.published_results(_contest(contest_id))
        if published is None:
            abort(404, message=_("The results have not been published yet."))
        return {
            "run_id": published.run_id,
            "digest": published.digest,
            "published_at": published.published_at,
            "params": results.params_out(published.params),
            "finalists": [
                {
                    "initiative_id": f.initiative_id,
                    "title": f.title,
                    "unit": f.unit,
                    "category": f.category,
                    "rank": f.rank,
                    "E": f.expert_score,
                    "P": f.engagement_score,
                    "F": f.final_score,
                    "reviews": f.reviews,
                    "likes": f.likes,
                    "commenters": f.commenters,
                    "views": f.views,
                    "imported_likes": f.imported_likes,
                    "imported_comments": f.imported_comments,
                    "imported_shares": f.imported_shares,
                    "engagement": f.engagement,
                }
                for f in published.finalists
            ],
        }
