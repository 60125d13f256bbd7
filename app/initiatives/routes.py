"""Initiative pages: the public gallery and detail, the unit's own initiatives, and the files."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields import SelectChoice

from app.contest.service import current_contest, is_stage_open
from app.engagement import external_service, stats
from app.engagement import queries as engagement_queries
from app.engagement import rules as engagement_rules
from app.engagement import service as engagement
from app.initiatives import service
from app.initiatives.cards import render_card
from app.initiatives.forms import ActionForm, InitiativeForm
from app.initiatives.messages import EVENT_NAMES, FIELD_NAMES, STATUS_NAMES, problem_message
from app.initiatives.rules import allowed_actions
from app.judging import service as judging
from app.uploads import storage
from models import Initiative, InitiativeDocument, InitiativeImage, StageKind, Unit, db

bp = Blueprint("initiatives", __name__)


def _visible_or_404(initiative_id: int) -> Initiative:
    """Unpublished initiatives are answered 404 to everyone but their unit and organizers."""
    initiative = db.session.scalar(
        select(Initiative)
        .where(Initiative.id == initiative_id)
        .options(selectinload(Initiative.images), selectinload(Initiative.documents))
    )
    if initiative is None or not initiative.can_view(current_user):
        abort(404)
    return initiative


def _managed_or_404(initiative_id: int) -> Initiative:
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or not initiative.can_manage(current_user):
        abort(404)
    return initiative


# --- public -----------------------------------------------------------------------------------


@bp.route("/sang-kien/")
def gallery():
    contest = current_contest(with_stages=False)
    if contest is None:
        abort(404)
    sort = request.args.get("sort", "newest")
    if sort not in service.SORTS:
        sort = "newest"
    # The random order needs a seed kept for this visitor, so pages never repeat an entry; the other
    # orders need no session at all (no cookie to sign on the busiest page).
    seed = 0
    if sort == "random":
        if "gallery_seed" not in session:
            session["gallery_seed"] = secrets.randbelow(2**31)
        seed = session["gallery_seed"]
    query = service.GalleryQuery(
        q=request.args.get("q", "")[:100],
        category_id=request.args.get("category", type=int),
        unit_id=request.args.get("unit", type=int),
        sort=sort,
        seed=seed,
        page=request.args.get("page", 1, type=int),
    )
    pagination = service.gallery(contest, query)
    return render_template(
        "initiatives/gallery.html",
        contest=contest,
        pagination=pagination,
        query=query,
        filters=service.gallery_filters(contest),
        sorts=service.SORTS,
        render_card=render_card,
        hide_counts=judging.engagement_hidden_for(current_user, contest),
    )


@bp.route("/sang-kien/<int:initiative_id>")
def detail(initiative_id: int):
    initiative = _visible_or_404(initiative_id)
    html = render_detail(initiative)
    # After rendering: counting a view ends the page's read transaction.
    user_agent = request.headers.get("User-Agent")
    if initiative.is_public and not engagement_rules.is_bot(user_agent):
        engagement.record_view(initiative, _viewer_key(), user_agent)
    return html


def render_detail(initiative: Initiative, draft: engagement_queries.CommentDraft | None = None) -> str:
    """The detail page; the engagement routes re-render it to keep a refused comment's text."""
    can_manage = initiative.can_manage(current_user)
    return render_template(
        "initiatives/detail.html",
        initiative=initiative,
        hide_counts=judging.engagement_hidden_for(current_user, initiative.contest),
        status_names=STATUS_NAMES,
        can_manage=can_manage,
        external=external_service.latest_external(initiative.id),
        chart=stats.daily_engagement(initiative.id) if can_manage else None,
        engagement=engagement_queries.panel(
            initiative, current_user, request.args.get("cpage", 1, type=int), draft
        ),
    )


def _viewer_key() -> str:
    """An account, or an anonymous session (a random id in the signed session cookie, stored hashed)."""
    if current_user.is_authenticated:
        return f"u:{current_user.id}"
    if "viewer" not in session:
        session["viewer"] = secrets.token_hex(16)
    return "s:" + engagement_rules.salted_hash(session["viewer"], current_app.config["HASH_SALT"])[:30]


# --- files ------------------------------------------------------------------------------------


def _file_response(path, mimetype: str, public: bool, download_name: str | None = None):
    if not path.exists():
        abort(404)
    response = send_file(
        path, mimetype=mimetype, download_name=download_name, as_attachment=False, conditional=True, max_age=0
    )
    if public:
        # Names are random and never reused: safe to cache for a long time.
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/tep/anh/<token>/<variant>.jpg")
def image_file(token: str, variant: str):
    if variant not in storage.IMAGE_VARIANTS:
        abort(404)
    image = db.session.scalar(select(InitiativeImage).where(InitiativeImage.token == token))
    if image is None or not image.initiative.can_view(current_user):
        abort(404)
    return _file_response(storage.image_path(token, variant), "image/jpeg", image.initiative.is_public)


@bp.route("/tep/tai-lieu/<token>.pdf")
def document_file(token: str):
    document = db.session.scalar(select(InitiativeDocument).where(InitiativeDocument.token == token))
    if document is None or not document.initiative.can_view(current_user):
        abort(404)
    return _file_response(
        storage.document_path(token),
        "application/pdf",
        document.initiative.is_public,
        download_name=document.title,
    )


# --- the unit's initiatives -------------------------------------------------------------------


def _unit_choices():
    if current_user.is_organizer:
        units = db.session.scalars(select(Unit).order_by(Unit.name)).all()
    else:
        units = db.session.scalars(
            select(Unit).where(Unit.id.in_(current_user.represented_unit_ids)).order_by(Unit.name)
        ).all()
    return units


def _can_submit_anything() -> bool:
    return current_user.is_authenticated and (
        current_user.is_organizer or bool(current_user.represented_unit_ids)
    )


def _fill_choices(form: InitiativeForm, contest) -> None:
    form.unit_id.choices = [SelectChoice(str(u.id), u.name) for u in _unit_choices()]
    form.category_id.choices = [SelectChoice("", _("— Choose a field —"))] + [
        SelectChoice(str(c.id), c.name) for c in service.categories(contest)
    ]


def _read_files(storages) -> list[service.IncomingFile]:
    """The uploaded files, each read up to its cap + 1 byte (enough to know it is too large)."""
    cap = max(current_app.config["MAX_IMAGE_BYTES"], current_app.config["MAX_DOCUMENT_BYTES"])
    return [
        service.IncomingFile(filename=f.filename or "", data=f.stream.read(cap + 1))
        for f in storages or []
        if f and f.filename
    ]


def _fields(form: InitiativeForm) -> service.InitiativeFields:
    return service.InitiativeFields(
        title=form.title.data or "",
        summary=form.summary.data or "",
        problem=form.problem.data or "",
        solution=form.solution.data or "",
        results=form.results.data or "",
        cost=form.cost.data or "",
        in_use_since=form.in_use_since.data,
        category_id=form.category_id.data,
        contact_name=form.contact_name.data or "",
        contact_phone=form.contact_phone.data or "",
        contact_email=form.contact_email.data or "",
        video_url=form.video_url.data or "",
    )


def _show_problems(form: InitiativeForm, exc: service.InitiativeProblem) -> int:
    """Put each problem on its field (files on the file inputs); the status to answer with."""
    for field, code in exc.problems:
        message = problem_message(code, exc.filename)
        target = {"images": form.images, "documents": form.documents}.get(field) or getattr(form, field, None)
        if target is not None and hasattr(target, "errors"):
            target.errors = [*target.errors, message]
        else:
            flash(message, "danger")
    return 413 if any(code == "too_large" for _f, code in exc.problems) else 422


@bp.route("/don-vi/sang-kien/")
@login_required
def mine():
    if not _can_submit_anything():
        abort(403)
    contest = current_contest()
    unit_ids = (
        [u.id for u in _unit_choices()] if current_user.is_organizer else current_user.represented_unit_ids
    )
    return render_template(
        "initiatives/mine.html",
        initiatives=service.initiatives_of_units(unit_ids, contest) if contest else [],
        status_names=STATUS_NAMES,
        submission_open=bool(contest and is_stage_open(contest, StageKind.SUBMISSION)),
        contest=contest,
    )


@bp.route("/don-vi/sang-kien/moi", methods=["GET", "POST"])
@login_required
def create():
    if not _can_submit_anything():
        abort(403)
    contest = current_contest()
    if contest is None:
        abort(404)
    form = InitiativeForm()
    _fill_choices(form, contest)
    status = 200
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
        if unit is None or not (current_user.is_organizer or current_user.represents(unit.id)):
            abort(403)
        try:
            initiative = service.create_initiative(
                current_user,
                contest,
                unit,
                _fields(form),
                service.FileChanges(
                    new_images=_read_files(form.images.data), new_documents=_read_files(form.documents.data)
                ),
            )
        except service.InitiativeProblem as exc:
            status = _show_problems(form, exc)
        else:
            flash(_("The draft is saved. Add what is missing, then submit it."), "success")
            return redirect(url_for("initiatives.manage", initiative_id=initiative.id))
    elif form.errors:
        status = 422
    return render_template("initiatives/edit.html", form=form, initiative=None), status


@bp.route("/don-vi/sang-kien/<int:initiative_id>", methods=["GET", "POST"])
@login_required
def manage(initiative_id: int):
    initiative = _managed_or_404(initiative_id)
    form = InitiativeForm(obj=initiative if request.method == "GET" else None)
    _fill_choices(form, initiative.contest)
    form.unit_id.data = initiative.unit_id
    status = 200
    if request.method == "POST":
        if not initiative.editable:
            flash(problem_message("locked"), "danger")
            return redirect(url_for("initiatives.manage", initiative_id=initiative.id)), 303
        if form.validate_on_submit():
            try:
                service.update_initiative(
                    current_user,
                    initiative,
                    _fields(form),
                    service.FileChanges(
                        new_images=_read_files(form.images.data),
                        new_documents=_read_files(form.documents.data),
                        remove_image_ids=request.form.getlist("remove_image", type=int),
                        remove_document_ids=request.form.getlist("remove_document", type=int),
                    ),
                )
            except service.InitiativeProblem as exc:
                db.session.rollback()
                status = _show_problems(form, exc)
            else:
                flash(_("Your changes are saved."), "success")
                return redirect(url_for("initiatives.manage", initiative_id=initiative.id))
        else:
            status = 422
    initiative = db.session.get(Initiative, initiative_id)
    return render_template(
        "initiatives/edit.html",
        form=form,
        initiative=initiative,
        action_form=ActionForm(),
        actions=allowed_actions(initiative.status.value),
        status_names=STATUS_NAMES,
        event_names=EVENT_NAMES,
        field_names=FIELD_NAMES,
        missing=[
            (f, problem_message(c))
            for f, c in service.rules.submission_problems(service.submission_facts(initiative))
        ],
        chart=stats.daily_engagement(initiative.id) if initiative.is_public else None,
    ), status


def _unit_action(initiative_id: int, action: str):
    initiative = _managed_or_404(initiative_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if action == "submit":
            service.submit_initiative(current_user, initiative)
            flash(_("The initiative is submitted. The organizers will review it."), "success")
        else:
            service.withdraw_initiative(current_user, initiative, form.reason.data or "")
            flash(_("The initiative is withdrawn."), "info")
    except service.InitiativeProblem as exc:
        db.session.rollback()
        for field, code in exc.problems:
            label = FIELD_NAMES.get(field)
            message = problem_message(code)
            flash(f"{label}: {message}" if label else message, "danger")
        return redirect(url_for("initiatives.manage", initiative_id=initiative.id)), 303
    return redirect(url_for("initiatives.manage", initiative_id=initiative.id))


@bp.route("/don-vi/sang-kien/<int:initiative_id>/nop", methods=["POST"])
@login_required
def submit(initiative_id: int):
    return _unit_action(initiative_id, "submit")


@bp.route("/don-vi/sang-kien/<int:initiative_id>/rut", methods=["POST"])
@login_required
def withdraw(initiative_id: int):
    return _unit_action(initiative_id, "withdraw")
