"""Public engagement pages: like and unlike (a plain form, enhanced by JavaScript), comments,
replies, edits, deletions and reports on an initiative's page.

Every action is a POST form with a CSRF token that answers with a redirect back to the page (or
the page again, with the text kept, when a comment is refused). The like form also answers JSON
when the page's script asks for it (Accept: application/json or X-Requested-With).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from wtforms import IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from app import errors
from app.engagement import request_source, service
from app.engagement.messages import problem_message
from app.engagement.queries import CommentDraft
from app.extensions import client_ip, limiter
from app.initiatives.routes import render_detail
from app.ratelimits import (
    acting_user_key,
    comment_limit,
    comment_limit_per_ip,
    like_limit,
    like_limit_per_ip,
    report_limit,
)
from models import Comment, Initiative, db

bp = Blueprint("engagement", __name__)

# Why someone is told to slow down, per action (the limits themselves are in config).
RATE_MESSAGES = {
    "engagement.like": _l("You are liking and unliking too quickly. Please wait a minute and try again."),
    "engagement.unlike": _l("You are liking and unliking too quickly. Please wait a minute and try again."),
    "engagement.comment": _l(
        "You have posted several comments in a short time. Please wait a few minutes before posting again."
    ),
    "engagement.edit_comment": _l(
        "You are changing comments too quickly. Please wait a minute and try again."
    ),
    "engagement.delete_comment": _l(
        "You are changing comments too quickly. Please wait a minute and try again."
    ),
    "engagement.report_comment": _l(
        "You have sent several reports in a short time. Please wait a while and try again."
    ),
}

REPORT_REASONS = (
    ("spam", _l("Spam or advertising")),
    ("abuse", _l("Offensive or abusive")),
    ("personal", _l("Reveals someone's personal information")),
    ("false", _l("False or misleading")),
    ("off_topic", _l("Not about this initiative")),
    ("other", _l("Something else")),
)


class CommentForm(FlaskForm):
    """A comment or a reply; the text's rules (1–2,000 characters) are the service's."""

    body = TextAreaField(_l("Your comment"))
    parent_id = IntegerField(validators=[Optional()])


class EditCommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"))


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("Why should the moderators look at it?"),
        choices=[SelectChoice(value, label) for value, label in REPORT_REASONS],
        validators=[InputRequired(message=_l("Choose a reason."))],
    )
    details = StringField(_l("Details (optional)"), validators=[Optional(), Length(max=400)])


# --- helpers ----------------------------------------------------------------------------------


def wants_json() -> bool:
    """The page's script asks for JSON; a plain form post gets a redirect."""
    if request.headers.get("X-Requested-With"):
        return True
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _load_initiative(initiative_id: int) -> Initiative:
    """The initiative with its contest's stages (the voting gate); 404 to those who may not see it."""
    initiative = service.visible_initiative(initiative_id, current_user)
    if initiative is None:
        abort(404)
    return initiative


def _load_comment(comment_id: int) -> Comment:
    """The comment; 404 when missing or when its initiative is not visible to the viewer."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or not comment.initiative.can_view(current_user):
        abort(404)
    return comment


def _page_url(initiative_id: int, anchor: str, cpage: int | None = None) -> str:
    cpage = cpage if cpage is not None else request.args.get("cpage", type=int)
    args = {"cpage": cpage} if cpage and cpage > 1 else {}
    return url_for("initiatives.detail", initiative_id=initiative_id, _anchor=anchor, **args)


def _sign_in(initiative_id: int, anchor: str):
    """Anonymous: to the sign-in page, then back to the initiative (never to this POST address)."""
    if wants_json():
        return errors.json_error(401, problem_message("sign_in"))
    flash(problem_message("sign_in"), "info")
    return redirect(url_for("auth.login", next=_page_url(initiative_id, anchor)))


def _refused(exc: service.EngagementProblem, initiative_id: int, anchor: str):
    """An operation refused: nothing was written; say why."""
    db.session.rollback()
    if wants_json():
        fields = {exc.field: [problem_message(exc.code)]} if exc.field else None
        return errors.json_error(exc.status, problem_message(exc.code), fields)
    if exc.code == "not_yours":
        abort(403)
    flash(problem_message(exc.code), "warning" if exc.status == 409 else "danger")
    return redirect(_page_url(initiative_id, anchor), 303)


# --- likes ------------------------------------------------------------------------------------

_like_limits = (
    limiter.shared_limit(like_limit_per_ip, scope="like-page-ip", key_func=client_ip),
    limiter.shared_limit(like_limit, scope="like-page", key_func=acting_user_key),
)


def _like(initiative_id: int, operation):
    target = service.visible_target(initiative_id, current_user)
    if target is None:
        abort(404)
    if not current_user.is_authenticated:
        return _sign_in(initiative_id, "like")
    try:
        state = operation(current_user, target, request_source())
    except service.EngagementProblem as exc:
        return _refused(exc, initiative_id, "like")
    if wants_json():
        return {"liked": state.liked, "like_count": state.like_count}
    flash(_("You like this initiative.") if state.liked else _("Your like is taken back."), "success")
    return redirect(_page_url(initiative_id, "like"))


@bp.route("/sang-kien/<int:initiative_id>/thich", methods=["POST"])
@_like_limits[0]
@_like_limits[1]
def like(initiative_id: int):
    return _like(initiative_id, service.like_initiative)


@bp.route("/sang-kien/<int:initiative_id>/bo-thich", methods=["POST"])
@_like_limits[0]
@_like_limits[1]
def unlike(initiative_id: int):
    return _like(initiative_id, service.unlike_initiative)


# --- comments ---------------------------------------------------------------------------------


def _again(initiative: Initiative, draft: CommentDraft, status: int):
    """The page again, with the refused text in its form and the reason next to it."""
    db.session.rollback()
    return render_detail(initiative, draft), status


@bp.route("/sang-kien/<int:initiative_id>/binh-luan", methods=["POST"])
@limiter.shared_limit(comment_limit_per_ip, scope="comment-ip", key_func=client_ip)
@limiter.shared_limit(comment_limit, scope="comment", key_func=acting_user_key)
def comment(initiative_id: int):
    initiative = _load_initiative(initiative_id)
    if not current_user.is_authenticated:
        return _sign_in(initiative_id, "comments")
    form = CommentForm()
    valid = form.validate()
    body = form.body.data or ""
    parent_id = form.parent_id.data if valid else None
    try:
        service.check_can_engage(current_user, initiative)
        if not valid:
            raise service.EngagementProblem("parent_missing", 422, "parent_id")
        created = service.add_comment(current_user, initiative, body, parent_id, request_source())
    except service.EngagementProblem as exc:
        if exc.status == 422 and not wants_json():
            # No such thread on the page: the text goes back to the main comment form.
            thread = None if exc.code == "parent_missing" else parent_id
            return _again(initiative, CommentDraft(body, problem_message(exc.code), thread), 422)
        return _refused(exc, initiative_id, "comments")
    flash(_("Your reply is posted.") if parent_id else _("Your comment is posted."), "success")
    # A new thread is on the first page; a reply stays on the page of its thread.
    return redirect(_page_url(initiative_id, f"comment-{created.id}", None if parent_id else 1))


def _own_or_403(comment: Comment) -> None:
    """Only the author changes a comment (checked here, before reading the form)."""
    if comment.user_id != current_user.id:
        abort(403)


_change_limit = limiter.shared_limit(like_limit, scope="comment-change", key_func=acting_user_key)


@bp.route("/binh-luan/<int:comment_id>/sua", methods=["POST"])
@_change_limit
def edit_comment(comment_id: int):
    comment = _load_comment(comment_id)
    initiative_id = comment.initiative_id
    if not current_user.is_authenticated:
        return _sign_in(initiative_id, f"comment-{comment_id}")
    _own_or_403(comment)
    form = EditCommentForm()
    body = form.body.data or ""
    try:
        service.edit_comment(current_user, comment, body)
    except service.EngagementProblem as exc:
        if exc.status == 422 and not wants_json():
            initiative = _load_initiative(initiative_id)
            return _again(initiative, CommentDraft(body, problem_message(exc.code), edit_id=comment_id), 422)
        return _refused(exc, initiative_id, f"comment-{comment_id}")
    flash(_("Your comment is updated."), "success")
    return redirect(_page_url(initiative_id, f"comment-{comment_id}"))


@bp.route("/binh-luan/<int:comment_id>/xoa", methods=["POST"])
@_change_limit
def delete_comment(comment_id: int):
    comment = _load_comment(comment_id)
    initiative_id = comment.initiative_id
    if not current_user.is_authenticated:
        return _sign_in(initiative_id, f"comment-{comment_id}")
    _own_or_403(comment)
    try:
        service.delete_comment(current_user, comment)
    except service.EngagementProblem as exc:
        return _refused(exc, initiative_id, f"comment-{comment_id}")
    flash(_("Your comment is deleted."), "success")
    return redirect(_page_url(initiative_id, "comments"))


def _report_reason(form: ReportForm) -> str:
    """The chosen reason in the platform's language (the moderators read it), then the details."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        label = str(dict(REPORT_REASONS)[form.reason.data])
    details = (form.details.data or "").strip()
    return f"{label}: {details}" if details else label


@bp.route("/binh-luan/<int:comment_id>/bao-cao", methods=["POST"])
@limiter.shared_limit(report_limit, scope="report", key_func=acting_user_key)
def report_comment(comment_id: int):
    comment = _load_comment(comment_id)
    initiative_id = comment.initiative_id
    anchor = f"comment-{comment_id}"
    if not current_user.is_authenticated:
        return _sign_in(initiative_id, anchor)
    form = ReportForm()
    try:
        service.check_can_engage(current_user, comment.initiative)
        if not form.validate():
            message = str(next(iter(form.errors.values()))[0])
            if wants_json():
                db.session.rollback()
                return errors.json_error(422, message, form.errors)
            draft = CommentDraft(
                form.details.data or "", message, report_id=comment_id, choice=request.form.get("reason")
            )
            return _again(_load_initiative(initiative_id), draft, 422)
        hidden = service.report_comment(current_user, comment, _report_reason(form), request_source())
    except service.EngagementProblem as exc:
        return _refused(exc, initiative_id, anchor)
    if wants_json():
        return {"hidden": hidden}
    flash(
        _("Thank you. The comment is hidden until the moderators look at it.")
        if hidden
        else _("Thank you. The moderators will look at this comment."),
        "success",
    )
    return redirect(_page_url(initiative_id, "comments" if hidden else anchor))


# --- errors -----------------------------------------------------------------------------------


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    """JSON for the page's script; for a plain form, "slow down" on the initiative's page itself."""
    status = error.code or 500
    message = RATE_MESSAGES.get(request.endpoint or "") if status == 429 else None
    if isinstance(error, CSRFError):
        message = _("The page has expired. Reload it and try again.")
    if wants_json():
        db.session.rollback()
        response, status = errors.json_error(status, message)
        if status == 429 and getattr(error, "retry_after", None):
            response.headers["Retry-After"] = str(error.retry_after)
        return response, status
    if status == 429 and message:
        initiative = _initiative_of_request()
        if initiative is not None:
            flash(str(message), "warning")
            draft = None
            if request.endpoint == "engagement.comment":
                draft = CommentDraft(
                    request.form.get("body", ""), str(message), request.form.get("parent_id", type=int)
                )
            db.session.rollback()
            return render_detail(initiative, draft), 429
    return errors.handle_http_exception(error)


def _initiative_of_request() -> Initiative | None:
    args = request.view_args or {}
    initiative_id = args.get("initiative_id")
    if initiative_id is None and "comment_id" in args:
        comment = db.session.get(Comment, args["comment_id"])
        initiative_id = comment.initiative_id if comment else None
    if initiative_id is None:
        return None
    initiative = db.session.get(Initiative, initiative_id)
    return initiative if initiative is not None and initiative.can_view(current_user) else None
