"""Form pieces shared by several domains."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields import SelectChoice
from wtforms.validators import ValidationError

from app.auth.rules import InvalidIdentifier, normalize_email, normalize_phone, password_problems


def unit_choices(units, *, empty_label=None) -> list[SelectChoice]:
    """Units as an indented tree for a <select>: district, then its communes and departments."""
    by_parent: dict[int | None, list] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    choices = [SelectChoice("", str(empty_label or _l("— Not in a unit —")))]

    def walk(parent_id, depth):
        for unit in sorted(by_parent.get(parent_id, []), key=lambda u: u.name):
            choices.append(SelectChoice(str(unit.id), ("\u2003" * depth) + unit.name))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return choices


class UnitSelectField(SelectField):
    """A unit chosen from the tree; empty means "not in a unit"."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(
            label, validators, coerce=lambda v: int(v) if v not in (None, "", "None") else None, **kwargs
        )

    def pre_validate(self, form):
        if self.data is None:
            return
        super().pre_validate(form)


def email_validator(form, field):
    if field.data:
        try:
            field.data = normalize_email(field.data)
        except InvalidIdentifier as exc:
            raise ValidationError(_l("This is not a valid email address.")) from exc


def phone_validator(form, field):
    if field.data:
        try:
            field.data = normalize_phone(field.data)
        except InvalidIdentifier as exc:
            raise ValidationError(_l("Enter a Vietnamese phone number, for example 0912 345 678.")) from exc


PASSWORD_MESSAGES = {
    "too_short": _l("The password needs at least %(n)s characters."),
    "common": _l("This password is too common; choose one that is harder to guess."),
    "personal": _l("The password must not contain your name, email or phone number."),
}


def check_password(password: str, personal: tuple[str, ...]) -> None:
    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    problems = password_problems(password or "", min_length=min_length, personal=personal)
    if problems:
        raise ValidationError(" ".join(str(PASSWORD_MESSAGES[p]) % {"n": min_length} for p in problems))
