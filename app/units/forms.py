from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Regexp

from app.forms import UnitSelectField
from models import UnitKind

UNIT_KIND_NAMES = {
    "district": _l("District"),
    "commune": _l("Commune / ward / town"),
    "department": _l("Department / agency"),
    "school": _l("School"),
    "party_cell": _l("Party cell"),
    "other": _l("Other"),
}


class UnitForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=32),
            Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("Use letters, digits, dots, dashes or underscores.")),
        ],
    )
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k.value, UNIT_KIND_NAMES[k.value]) for k in UnitKind]
    )
    parent_id = UnitSelectField(_l("Parent unit"))
    headcount = IntegerField(_l("Headcount"), validators=[NumberRange(min=0, max=10_000_000)], default=0)
    submit = SubmitField(_l("Save the unit"))


class RosterForm(FlaskForm):
    file = FileField(
        _l("Roster file (CSV, UTF-8)"),
        validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("Upload a .csv file."))],
    )
    submit = SubmitField(_l("Import the roster"))


class DeleteForm(FlaskForm):
    submit = SubmitField(_l("Delete"))
