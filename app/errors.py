"""Error pages in both languages, and JSON error bodies under /api.

JSON errors always have the shape {"error": {"code", "message", "fields"}}.
"""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "unprocessable_entity",
    429: "too_many_requests",
    500: "internal_error",
}

ERROR_TITLES = {
    400: _l("Bad request"),
    401: _l("Please sign in"),
    403: _l("Access denied"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("The upload is too large"),
    415: _l("Unsupported content type"),
    422: _l("The data is not valid"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
}

ERROR_MESSAGES = {
    400: _l("The request could not be understood. Please check what you sent and try again."),
    401: _l("You need to sign in to do this."),
    403: _l("You do not have permission to do this."),
    404: _l("We could not find what you were looking for."),
    405: _l("This address does not accept that kind of request."),
    409: _l("This conflicts with data that already exists."),
    413: _l("What you sent is larger than the server accepts."),
    415: _l("Send the data as JSON."),
    422: _l("Some fields are not valid."),
    429: _l("You have made too many requests. Please wait a moment and try again."),
    500: _l("An unexpected error happened. It has been logged; please try again later."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, message: str | None = None, fields: dict | None = None, code: str | None = None):
    body = {
        "error": {
            "code": code or ERROR_CODES.get(status, "error"),
            "message": str(message or ERROR_MESSAGES.get(status, "")),
            "fields": fields or {},
        }
    }
    return jsonify(body), status


def _fields_from(error: HTTPException) -> tuple[str | None, dict]:
    """Pull a message and field errors out of flask-smorest / webargs aborts."""
    data = getattr(error, "data", None) or {}
    message = data.get("message")
    fields: dict = {}
    messages = data.get("messages") or data.get("errors") or {}
    if isinstance(messages, dict):
        for location, value in messages.items():
            # webargs nests by location ("json", "query"): flatten that level away.
            if location in {"json", "query", "form", "files", "headers", "path", "view_args"} and isinstance(
                value, dict
            ):
                fields.update(value)
            else:
                fields[location] = value
    return message, fields


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    if status >= 500:
        current_app.logger.exception(
            "server error",
            exc_info=error.original_exception if isinstance(error, InternalServerError) else error,
        )
    if isinstance(error, CSRFError):
        message = _l(
            "The form has expired or was sent from another site. Please reload the page and try again."
        )
        fields: dict = {}
    else:
        message, fields = _fields_from(error)
    if wants_json():
        response, status = json_error(status, message, fields)
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        if status == 429 and getattr(error, "retry_after", None):
            response.headers["Retry-After"] = str(error.retry_after)
        return response, status
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=ERROR_TITLES.get(status, ERROR_TITLES[500] if status >= 500 else ERROR_TITLES[400]),
            message=message or ERROR_MESSAGES.get(status, ""),
        ),
        status,
    )


def handle_unexpected(error: Exception):
    return handle_http_exception(InternalServerError(original_exception=error))


def init_app(app) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
