from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length

from app.forms import UnitSelectField

ROLE_NAMES = {
    "organizer": _l("Organizer"),
    "unit_rep": _l("Unit representative"),
    "judge": _l("Judge"),
}


class GrantRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(k, v) for k, v in ROLE_NAMES.items()])
    unit_id = UnitSelectField(_l("Unit (for a unit representative)"))
    submit = SubmitField(_l("Grant the role"))


class RevokeRoleForm(FlaskForm):
    submit = SubmitField(_l("Remove"))


class DeactivateForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=300)])
    submit = SubmitField(_l("Deactivate the account"))


class ReactivateForm(FlaskForm):
    submit = SubmitField(_l("Reactivate the account"))
