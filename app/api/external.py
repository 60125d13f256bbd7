"""Engagement gathered on the district's other platforms, over the API (organizers)."""

from __future__ import annotations

from datetime import UTC

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort

from app import clock
from app.api.auth import BEARER
from app.api.schemas import ExternalEngagementInSchema, ExternalEngagementSchema
from app.engagement import external_service
from app.engagement.external import ExternalRow, moment_problem, parse_platform, url_problem
from app.engagement.external_messages import external_message
from app.extensions import token_auth

blp = Blueprint("api_external", __name__, url_prefix="/api/v1/engagement", description="Imported engagement")


def _snapshot_out(snapshot) -> dict:
    return {
        "id": snapshot.id,
        "initiative_id": snapshot.initiative_id,
        "platform": snapshot.platform.value,
        "likes": snapshot.likes,
        "comments": snapshot.comments,
        "shares": snapshot.shares,
        "measured_at": snapshot.measured_at,
        "source_url": snapshot.source_url,
        "imported_at": snapshot.imported_at,
    }


@blp.route("/external")
class ExternalSnapshots(MethodView):
    # Authentication before the body is parsed: a caller who may not post gets 401/403, not 422.
    decorators = [token_auth.login_required(role="organizer")]

    @blp.doc(security=BEARER)
    @blp.arguments(ExternalEngagementInSchema)
    @blp.response(201, ExternalEngagementSchema)
    @blp.alt_response(403, description="Only organizers record engagement from other platforms")
    @blp.alt_response(404, description="No such initiative")
    def post(self, body):
        """Record one snapshot of an initiative's likes, comments and shares on another platform.

        The initiative must be published in the current contest. The latest snapshot of each
        platform is shown on the initiative's page.
        """
        platform = parse_platform(body["platform"])
        fields: dict[str, list[str]] = {}
        if platform is None:
            fields["platform"] = [external_message("bad_platform")]
        if code := moment_problem(body["measured_at"], clock.now()):
            fields["measured_at"] = [external_message(code)]
        source_url = body["source_url"].strip()
        if code := url_problem(source_url):
            fields["source_url"] = [external_message(code)]
        if fields:
            abort(422, message=next(iter(fields.values()))[0], errors=fields)
        row = ExternalRow(
            line=1,
            initiative_id=body["initiative_id"],
            platform=platform,
            likes=body["likes"],
            comments=body["comments"],
            shares=body["shares"],
            measured_at=body["measured_at"].astimezone(UTC),
            source_url=source_url,
        )
        try:
            report = external_service.import_external(token_auth.current_user(), [row], source="api")
        except external_service.ExternalRejected as exc:
            code = exc.problems[0].code
            if code == "unknown_initiative":
                abort(404, message=_("No such initiative."))
            abort(422, message=external_message(code), errors={"initiative_id": [external_message(code)]})
        return _snapshot_out(report.snapshots[0])
