"""Organizer pages: find people, grant and remove roles, deactivate accounts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.forms import unit_choices
from app.security import organizer_required
from app.units.service import all_units
from app.users import service
from app.users.forms import ROLE_NAMES, DeactivateForm, GrantRoleForm, ReactivateForm, RevokeRoleForm
from models import RoleGrant, RoleName, Unit, User, db

bp = Blueprint("users", __name__, url_prefix="/admin/users")

ROLE_MESSAGES = {
    "unit_required": _l("Choose the unit this person represents."),
    "last_organizer": _l("The contest must keep at least one active organizer."),
    "self": _l("You cannot deactivate your own account."),
    "not_found": _l("That role was not found."),
}


@bp.route("/")
@organizer_required
def index():
    query = request.args.get("q", "")[:100]
    role = request.args.get("role") if request.args.get("role") in ROLE_NAMES else None
    page = request.args.get("page", 1, type=int)
    pagination = service.search_users(query, role=role, page=max(page, 1))
    return render_template(
        "users/index.html", pagination=pagination, q=query, role=role, role_names=ROLE_NAMES
    )


def _detail(user: User, grant_form=None, deactivate_form=None, status=200):
    grant_form = grant_form or GrantRoleForm()
    grant_form.unit_id.choices = unit_choices(all_units(), empty_label=_l("— Choose a unit —"))
    return (
        render_template(
            "users/detail.html",
            user=user,
            grant_form=grant_form,
            revoke_form=RevokeRoleForm(),
            deactivate_form=deactivate_form or DeactivateForm(),
            reactivate_form=ReactivateForm(),
            role_names=ROLE_NAMES,
        ),
        status,
    )


@bp.route("/<int:user_id>")
@organizer_required
def detail(user_id: int):
    return _detail(db.get_or_404(User, user_id))


@bp.route("/<int:user_id>/roles", methods=["POST"])
@organizer_required
def grant(user_id: int):
    user = db.get_or_404(User, user_id)
    form = GrantRoleForm()
    form.unit_id.choices = unit_choices(all_units())
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
        try:
            service.grant_role(current_user, user, RoleName(form.role.data), unit)
        except service.RoleProblem as exc:
            form.unit_id.errors.append(ROLE_MESSAGES[exc.reason])
        else:
            flash(_("Role granted."), "success")
            return redirect(url_for("users.detail", user_id=user.id))
    return _detail(user, grant_form=form, status=422)


@bp.route("/<int:user_id>/roles/<int:grant_id>/revoke", methods=["POST"])
@organizer_required
def revoke(user_id: int, grant_id: int):
    user = db.get_or_404(User, user_id)
    grant = db.get_or_404(RoleGrant, grant_id)
    if grant.user_id != user.id:
        abort(404)
    if RevokeRoleForm().validate_on_submit():
        try:
            service.revoke_role(current_user, user, grant)
        except service.RoleProblem as exc:
            flash(str(ROLE_MESSAGES[exc.reason]), "danger")
            return _detail(user, status=409)
        flash(_("Role removed."), "success")
    return redirect(url_for("users.detail", user_id=user.id))


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
@organizer_required
def deactivate(user_id: int):
    user = db.get_or_404(User, user_id)
    form = DeactivateForm()
    if not form.validate_on_submit():
        return _detail(user, deactivate_form=form, status=422)
    try:
        service.deactivate_user(current_user, user, form.reason.data)
    except service.RoleProblem as exc:
        flash(str(ROLE_MESSAGES[exc.reason]), "danger")
        return _detail(user, status=409)
    flash(_("The account is deactivated; its sessions and API tokens no longer work."), "success")
    return redirect(url_for("users.detail", user_id=user.id))


@bp.route("/<int:user_id>/reactivate", methods=["POST"])
@organizer_required
def reactivate(user_id: int):
    user = db.get_or_404(User, user_id)
    if ReactivateForm().validate_on_submit():
        service.reactivate_user(current_user, user)
        flash(_("The account is active again."), "success")
    return redirect(url_for("users.detail", user_id=user.id))
