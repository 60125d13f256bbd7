"""Initiatives over the API: the public list and detail, the unit's drafts, submission and review."""

from __future__ import annotations

import dataclasses

from flask import current_app, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.auth import BEARER
from app.api.schemas import (
    ImageSchema,
    InitiativeDetailSchema,
    InitiativeInSchema,
    InitiativePageSchema,
    InitiativeQuerySchema,
    ReviewInSchema,
    UploadSchema,
    WithdrawInSchema,
)
from app.contest.service import current_contest
from app.extensions import token_auth
from app.initiatives import service
from app.initiatives.messages import problem_message
from models import Initiative, Unit, db

blp = Blueprint("api_initiatives", __name__, url_prefix="/api/v1/initiatives", description="Initiatives")

CONFLICT_CODES = {"locked", "transition", "window_closed"}


def _thumb(initiative: Initiative) -> str | None:
    if not initiative.images:
        return None
    return url_for(
        "initiatives.image_file", token=initiative.images[0].token, variant="thumb", _external=True
    )


def _card(row) -> dict:
    """A list item from a gallery row (see service.gallery)."""
    return {
        "id": row.id,
        "title": row.title,
        "summary": row.summary,
        "unit": {"id": row.unit_id, "name": row.unit_name},
        "category": row.category_name,
        "status": str(row.status),
        "like_count": row.like_count,
        "comment_count": row.comment_count,
        "thumbnail_url": url_for(
            "initiatives.image_file", token=row.cover_token, variant="thumb", _external=True
        )
        if row.cover_token
        else None,
        "published_at": row.published_at,
    }


def _item(initiative: Initiative) -> dict:
    return {
        "id": initiative.id,
        "title": initiative.title,
        "summary": initiative.summary,
        "unit": {"id": initiative.unit.id, "name": initiative.unit.name},
        "category": initiative.category.name if initiative.category else None,
        "status": initiative.status.value,
        "like_count": initiative.like_count,
        "comment_count": initiative.comment_count,
        "thumbnail_url": _thumb(initiative),
        "published_at": initiative.published_at,
    }


def _image(image) -> dict:
    return {
        "id": image.id,
        "thumbnail_url": url_for(
            "initiatives.image_file", token=image.token, variant="thumb", _external=True
        ),
        "display_url": url_for(
            "initiatives.image_file", token=image.token, variant="display", _external=True
        ),
        "width": image.width,
        "height": image.height,
    }


def _detail(initiative: Initiative) -> dict:
    data = _item(initiative)
    for name in (
        "category_id",
        "problem",
        "solution",
        "results",
        "cost",
        "in_use_since",
        "contact_name",
        "contact_phone",
        "contact_email",
        "video_url",
        "view_count",
        "submitted_at",
    ):
        data[name] = getattr(initiative, name)
    data["images"] = [_image(img) for img in initiative.images]
    data["documents"] = [
        {
            "id": d.id,
            "title": d.title,
            "size": d.size,
            "url": url_for("initiatives.document_file", token=d.token, _external=True),
        }
        for d in initiative.documents
    ]
    return data


def _fail(exc: service.InitiativeProblem):
    codes = {code for _f, code in exc.problems}
    status = 413 if "too_large" in codes else 409 if codes & CONFLICT_CODES else 422
    fields: dict[str, list[str]] = {}
    for field, code in exc.problems:
        fields.setdefault(field, []).append(problem_message(code, exc.filename))
    first = exc.problems[0]
    abort(status, message=problem_message(first[1], exc.filename), errors=fields)


def _load(initiative_id: int, *, manage: bool = False) -> Initiative:
    user = token_auth.current_user()
    initiative = db.session.scalar(
        select(Initiative)
        .where(Initiative.id == initiative_id)
        .options(selectinload(Initiative.images), selectinload(Initiative.documents))
    )
    allowed = initiative is not None and (
        initiative.can_manage(user) if manage else initiative.can_view(user)
    )
    if not allowed:
        abort(404, message=_("No such initiative."))
    return initiative


@blp.route("")
class Initiatives(MethodView):
    @blp.arguments(InitiativeQuerySchema, location="query")
    @blp.response(200, InitiativePageSchema)
    def get(self, args):
        """Published initiatives: search (accents optional), filter, sort, paginate."""
        contest = current_contest(with_stages=False)
        if contest is None:
            return {"items": [], "page": 1, "pages": 0, "total": 0}
        page = service.gallery(
            contest,
            service.GalleryQuery(
                q=args["q"],
                category_id=args["category"],
                unit_id=args["unit"],
                sort=args["sort"],
                seed=args["seed"],
                page=args["page"],
                per_page=args["per_page"],
            ),
        )
        return {
            "items": [_card(row) for row in page.items],
            "page": page.page,
            "pages": page.pages,
            "total": page.total,
        }

    @token_auth.login_required
    @blp.doc(security=BEARER)
    @blp.arguments(InitiativeInSchema)
    @blp.response(201, InitiativeDetailSchema)
    def post(self, body):
        """Create a draft for your unit (unit representatives)."""
        user = token_auth.current_user()
        contest = current_contest()
        if contest is None:
            abort(404, message=_("No contest has been set up yet."))
        unit_ids = user.represented_unit_ids
        unit_id = body.pop("unit_id", None) or (unit_ids[0] if len(unit_ids) == 1 else None)
        if not user.is_organizer and not unit_ids:
            abort(403)
        if unit_id is None:
            abort(
                422, message=_("Say which unit this initiative is for."), errors={"unit_id": [_("Required.")]}
            )
        unit = db.session.get(Unit, unit_id)
        if unit is None or not (user.is_organizer or user.represents(unit.id)):
            abort(403)
        if not body.get("title"):
            abort(422, message=_("A title is needed."), errors={"title": [_("Required.")]})
        try:
            initiative = service.create_initiative(user, contest, unit, service.InitiativeFields(**body))
        except service.InitiativeProblem as exc:
            _fail(exc)
        return _detail(initiative)


@blp.route("/<int:initiative_id>")
class InitiativeItem(MethodView):
    @blp.response(200, InitiativeDetailSchema)
    @blp.alt_response(404, description="Not found, or not published and not yours")
    @token_auth.login_required(optional=True)
    def get(self, initiative_id: int):
        """One initiative with its pictures and documents."""
        return _detail(_load(initiative_id))

    @token_auth.login_required
    @blp.doc(security=BEARER)
    @blp.arguments(InitiativeInSchema)
    @blp.response(200, InitiativeDetailSchema)
    @blp.alt_response(409, description="Submitted: locked until the organizers return it")
    def patch(self, body, initiative_id: int):
        """Change a draft or a returned initiative (its unit's representatives)."""
        initiative = _load(initiative_id, manage=True)
        body.pop("unit_id", None)
        current = {f.name: getattr(initiative, f.name) for f in dataclasses.fields(service.InitiativeFields)}
        current.update(body)
        try:
            service.update_initiative(
                token_auth.current_user(), initiative, service.InitiativeFields(**current)
            )
        except service.InitiativeProblem as exc:
            db.session.rollback()
            _fail(exc)
        return _detail(_load(initiative_id, manage=True))


@blp.route("/<int:initiative_id>/images")
class InitiativeImages(MethodView):
    decorators = [token_auth.login_required]

    @blp.doc(security=BEARER)
    @blp.arguments(UploadSchema, location="files")
    @blp.response(201, ImageSchema)
    @blp.alt_response(413, description="Larger than 10 MB")
    def post(self, files, initiative_id: int):
        """Add one picture (multipart field `file`): JPEG, PNG or WebP, decoded and re-encoded."""
        initiative = _load(initiative_id, manage=True)
        upload = files["file"]
        incoming = service.IncomingFile(
            upload.filename or "", upload.stream.read(current_app.config["MAX_IMAGE_BYTES"] + 1)
        )
        before = {img.id for img in initiative.images}
        current = {f.name: getattr(initiative, f.name) for f in dataclasses.fields(service.InitiativeFields)}
        try:
            service.update_initiative(
                token_auth.current_user(),
                initiative,
                service.InitiativeFields(**current),
                service.FileChanges(new_images=[incoming]),
            )
        except service.InitiativeProblem as exc:
            db.session.rollback()
            _fail(exc)
        added = next(img for img in _load(initiative_id, manage=True).images if img.id not in before)
        return _image(added)


def _action(initiative_id: int, run):
    initiative = _load(initiative_id, manage=True)
    try:
        run(initiative)
    except service.InitiativeProblem as exc:
        db.session.rollback()
        _fail(exc)
    return _detail(_load(initiative_id, manage=True))


@blp.route("/<int:initiative_id>/submit")
class SubmitInitiative(MethodView):
    decorators = [token_auth.login_required]

    @blp.doc(security=BEARER)
    @blp.response(200, InitiativeDetailSchema)
    @blp.alt_response(409, description="The submission window is closed, or the status does not allow it")
    def post(self, initiative_id: int):
        """Submit to the organizers while the submission window is open."""
        return _action(initiative_id, lambda i: service.submit_initiative(token_auth.current_user(), i))


@blp.route("/<int:initiative_id>/withdraw")
class WithdrawInitiative(MethodView):
    decorators = [token_auth.login_required]

    @blp.doc(security=BEARER)
    @blp.arguments(WithdrawInSchema)
    @blp.response(200, InitiativeDetailSchema)
    def post(self, body, initiative_id: int):
        """Withdraw the initiative from the contest (its unit)."""
        return _action(
            initiative_id, lambda i: service.withdraw_initiative(token_auth.current_user(), i, body["reason"])
        )


@blp.route("/<int:initiative_id>/review")
class ReviewInitiative(MethodView):
    decorators = [token_auth.login_required(role="organizer")]

    @blp.doc(security=BEARER)
    @blp.arguments(ReviewInSchema)
    @blp.response(200, InitiativeDetailSchema)
    def post(self, body, initiative_id: int):
        """Publish, return for revision or reject (organizers); the reason is shown to the unit."""
        return _action(
            initiative_id,
            lambda i: service.review_initiative(
                token_auth.current_user(), i, body["decision"], body["reason"]
            ),
        )
