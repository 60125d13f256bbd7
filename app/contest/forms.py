"""The organizer's contest form: the edition's texts and one window per stage, in local time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from models import STAGE_ORDER

STAGE_NAMES = {
    "quiz": _l("Online quiz"),
    "submission": _l("Initiative submission"),
    "voting": _l("Public voting"),
    "judging": _l("Expert judging"),
    "final": _l("Staged final"),
}


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def to_local_naive(moment: datetime) -> datetime:
    return moment.astimezone(local_zone()).replace(tzinfo=None)


def from_local_naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=local_zone())


class ContestForm(FlaskForm):
    name = StringField(_l("Contest name"), validators=[DataRequired(), Length(max=200)])
    organizer_name = StringField(_l("Organized by"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save the contest"))

    def stage_fields(self):
        for kind in STAGE_ORDER:
            yield kind, STAGE_NAMES[str(kind)], self[f"{kind}_opens"], self[f"{kind}_closes"]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for _kind, _name, opens, closes in self.stage_fields():
            if opens.data and closes.data and closes.data <= opens.data:
                closes.errors = [*closes.errors, _l("The stage must close after it opens.")]
                ok = False
        return ok

    def windows(self) -> dict:
        return {
            kind: (from_local_naive(opens.data), from_local_naive(closes.data))
            for kind, _name, opens, closes in self.stage_fields()
        }


for _kind in STAGE_ORDER:
    setattr(
        ContestForm,
        f"{_kind}_opens",
        DateTimeLocalField(_l("Opens"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()]),
    )
    setattr(
        ContestForm,
        f"{_kind}_closes",
        DateTimeLocalField(_l("Closes"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()]),
    )
