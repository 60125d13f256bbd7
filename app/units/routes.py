"""Organizer pages for the unit tree and roster imports."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.forms import unit_choices
from app.security import organizer_required
from app.units import service
from app.units.forms import UNIT_KIND_NAMES, DeleteForm, RosterForm, UnitForm
from app.units.roster import decode
from models import Unit, UnitKind, db

bp = Blueprint("units", __name__, url_prefix="/admin/units")

UNIT_MESSAGES = {
    "code_taken": _l("Another unit already has this code."),
    "unknown_parent": _l("The parent unit does not exist."),
    "cycle": _l("A unit cannot sit under itself or one of its own sub-units."),
    "in_use": _l("This unit still has sub-units, members or a roster; move them first."),
}

ROSTER_MESSAGES = {
    "empty": _l("The file is empty."),
    "no_rows": _l("The file has a header but no rows."),
    "missing_column": _l("The header has no column for this."),
    "required": _l("This value is required."),
    "too_long": _l("This value is too long."),
    "bad_email": _l("Not a valid email address."),
    "bad_phone": _l("Not a valid Vietnamese phone number."),
    "unknown_unit": _l("No unit has this code or name."),
    "duplicate": _l("Already given on another line of the file (line %(value)s)."),
    "too_many_rows": _l("The file has too many rows (at most %(value)s)."),
    "not_utf8": _l('The file is not UTF-8 text. Save it from Excel as "CSV UTF-8".'),
}

FIELD_NAMES = {
    "file": _l("File"),
    "name": _l("Name"),
    "email": _l("Email"),
    "phone": _l("Phone number"),
    "email_or_phone": _l("Email or phone number"),
    "unit": _l("Unit"),
}


def _form_data(form: UnitForm) -> service.UnitData:
    return service.UnitData(
        code=form.code.data,
        name=form.name.data,
        kind=UnitKind(form.kind.data),
        parent_id=form.parent_id.data,
        headcount=form.headcount.data or 0,
    )


@bp.route("/")
@organizer_required
def index():
    units = service.all_units()
    return render_template(
        "units/index.html",
        units=units,
        tree=unit_choices(units)[1:],
        by_id={u.id: u for u in units},
        members=service.member_counts(),
        kind_names=UNIT_KIND_NAMES,
        roster_form=RosterForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@organizer_required
def create():
    form = UnitForm()
    form.parent_id.choices = unit_choices(service.all_units(), empty_label=_l("— Top level —"))
    if form.validate_on_submit():
        try:
            unit = service.create_unit(current_user, _form_data(form))
        except service.UnitProblem as exc:
            form[exc.field].errors.append(UNIT_MESSAGES[exc.reason])
        else:
            flash(_("Unit %(name)s created.", name=unit.name), "success")
            return redirect(url_for("units.index"))
    return render_template("units/form.html", form=form, unit=None), 422 if form.errors else 200


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
@organizer_required
def edit(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    form = UnitForm(obj=unit if request.method == "GET" else None)
    if not form.is_submitted():
        form.kind.data = str(unit.kind)
    units = service.all_units()
    excluded = service.descendant_ids(unit.id, units) | {unit.id}
    form.parent_id.choices = [
        c
        for c in unit_choices(units, empty_label=_l("— Top level —"))
        if not c.value or int(c.value) not in excluded
    ]
    if form.validate_on_submit():
        try:
            service.update_unit(current_user, unit, _form_data(form))
        except service.UnitProblem as exc:
            form[exc.field].errors.append(UNIT_MESSAGES[exc.reason])
        else:
            flash(_("Unit %(name)s saved.", name=unit.name), "success")
            return redirect(url_for("units.index"))
    return (
        render_template("units/form.html", form=form, unit=unit, delete_form=DeleteForm()),
        422 if form.errors else 200,
    )


@bp.route("/<int:unit_id>/delete", methods=["POST"])
@organizer_required
def delete(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    form = DeleteForm()
    if not form.validate_on_submit():
        return redirect(url_for("units.edit", unit_id=unit.id))
    try:
        service.delete_unit(current_user, unit)
    except service.UnitProblem as exc:
        flash(str(UNIT_MESSAGES[exc.reason]), "danger")
        return redirect(url_for("units.edit", unit_id=unit.id)), 409
    flash(_("Unit deleted."), "success")
    return redirect(url_for("units.index"))


@bp.route("/roster", methods=["GET", "POST"])
@organizer_required
def roster():
    form = RosterForm()
    errors = []
    if form.validate_on_submit():
        upload = form.file.data
        text = decode(upload.read())
        if text is None:
            errors = [
                {"line": 1, "field": FIELD_NAMES["file"], "message": ROSTER_MESSAGES["not_utf8"], "value": ""}
            ]
        else:
            try:
                result = service.import_roster(current_user, text, upload.filename or "roster.csv")
            except service.RosterRejected as exc:
                errors = [
                    {
                        "line": e.line,
                        "field": FIELD_NAMES.get(e.field, e.field),
                        "message": str(ROSTER_MESSAGES[e.code]) % {"value": e.value},
                        "value": e.value,
                    }
                    for e in exc.errors
                ]
            else:
                flash(
                    _(
                        "Roster imported: %(rows)s rows, %(created)s new, %(updated)s updated, "
                        "%(linked)s accounts linked.",
                        rows=result.rows,
                        created=result.created,
                        updated=result.updated,
                        linked=result.linked_accounts,
                    ),
                    "success",
                )
                return redirect(url_for("units.index"))
    status = 422 if (errors or form.errors) else 200
    return render_template("units/roster.html", form=form, errors=errors), status
