"""The JSON API under /api/v1: flask-smorest generates the OpenAPI document from these views."""

from __future__ import annotations

from flask import Blueprint, send_from_directory
from flask_smorest import Api
from swagger_ui_bundle import swagger_ui_path

from app import errors


class SksApi(Api):
    """flask-smorest's Api, with our error shape for every HTTP error in the app."""

    def handle_http_exception(self, error):
        return errors.handle_http_exception(error)


api = SksApi()

# Swagger UI's files come from the swagger-ui-bundle package: no CDN, works on an intranet.
docs_assets = Blueprint("api_docs_assets", __name__)


@docs_assets.route("/api/v1/docs/assets/<path:filename>")
def swagger_asset(filename: str):
    return send_from_directory(str(swagger_ui_path), filename, max_age=86400)


def init_app(app) -> None:
    from app.api import (  # noqa: F401  (verify_token registers on import)
        auth,
        contests,
        engagement,
        external,
        initiatives,
        judging,
        runs,
        tokens,
    )
    from app.extensions import csrf

    api.init_app(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    blueprints = (tokens, contests, initiatives, engagement, external, judging, runs)
    for blp in (module.blp for module in blueprints):
        api.register_blueprint(blp)
        # Bearer tokens only, never cookies: cross-site requests carry no credentials, so no CSRF.
        csrf.exempt(blp)
    app.register_blueprint(docs_assets)
