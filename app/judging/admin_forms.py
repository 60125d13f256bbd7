"""Organizer forms for judging: the rubric, the settings and ranking parameters, the panel, runs.

The forms check shapes and ranges so that every message stands beside its field; the operations in
app/judging/service.py stay the authority and refuse anything the forms let through.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, FloatField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import NumberInput

from app.judging import ranking
from models import Contest, PanelMember, RoleGrant, RoleName, User, db

REASON_MAX = 1000

ASSIGNMENT_MODES = {
    "all": _l("Every judge scores every initiative"),
    "k": _l("k judges per initiative, load balanced"),
}
EXPERT_METHODS = {
    "mean": _l("Mean of the reviews"),
    "trimmed": _l("Trimmed mean (drop the highest and the lowest from 5 reviews on)"),
    "calibrated": _l("Calibrated per judge (z-scores)"),
}
SCALES = {
    "log": _l("Logarithmic"),
    "linear": _l("Linear share of the top entry"),
    "percentile": _l("Percentile"),
}
# The engagement weights of RankingParams, with their labels, in the order of docs/RANKING.md.
WEIGHT_FIELDS = {
    "w_likes": _l("Weight of a like"),
    "w_commenters": _l("Weight of a distinct commenter"),
    "w_views": _l("Weight of a view"),
    "w_imported_likes": _l("Weight of an imported like"),
    "w_imported_comments": _l("Weight of an imported comment"),
    "w_imported_shares": _l("Weight of an imported share"),
}
# The names of every ranking parameter (docs/RANKING.md, section 12) as the pages show them.
PARAM_LABELS = {
    "alpha": _l("α (share of E in F)"),
    "expert": _l("Expert score E"),
    "trim_from": _l("Reviews before trimming"),
    "calibrate_from": _l("Reviews a judge needs to be calibrated"),
    "min_reviews": _l("Reviews needed to be ranked"),
    "scale": _l("Engagement score P"),
    **WEIGHT_FIELDS,
    "finalists": _l("Finalists (N)"),
    "category_minimum": _l("Minimum finalists per field"),
    "unit_maximum": _l("Maximum finalists per unit"),
}
assert set(EXPERT_METHODS) == set(ranking.EXPERT_METHODS) and set(SCALES) == set(ranking.SCALES)

_NUMBER = _l("Enter a number.")
_WHOLE = _l("Enter a whole number.")


class NumberField(FloatField):
    """A decimal number typed with a point or a comma (0,55 as Vietnamese write it)."""

    widget = NumberInput(step="any")

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(",", ".")]
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(_NUMBER)) from exc


class WholeField(IntegerField):
    widget = NumberInput(step=1)

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(_WHOLE)) from exc


def _above_zero(form, field) -> None:
    if field.data is not None and field.data <= 0:
        raise ValidationError(str(_l("The maximum score must be a number above 0.")))


def _required():
    # InputRequired, not DataRequired: 0 is a valid weight, minimum or score.
    return InputRequired(message=_l("This field is required."))


class ActionForm(FlaskForm):
    """A button with a CSRF token: lock, default rubric, delete, assign, run, publish, remove."""


class ReasonForm(FlaskForm):
    """Unlocking the rubric or unpublishing a run: a reason is required (and goes to the audit log)."""

    reason = TextAreaField(
        _l("Reason (kept in the audit log)"),
        validators=[DataRequired(message=_l("Give a reason.")), Length(max=REASON_MAX)],
    )


class CriterionForm(FlaskForm):
    name = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Description (Vietnamese)"), validators=[Optional(), Length(max=4000)])
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional(), Length(max=4000)])
    weight = NumberField(
        _l("Weight"),
        default=10.0,
        validators=[_required(), NumberRange(min=0, message=_l("The weight must be a number of 0 or more."))],
    )
    max_score = NumberField(
        _l("Maximum score"),
        default=10.0,
        validators=[
            _required(),
            _above_zero,
        ],
    )
    position = WholeField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=1000)])


class AddJudgeForm(FlaskForm):
    user_id = SelectField(
        _l("Judge"),
        coerce=lambda v: int(v) if v not in (None, "") else None,
        validators=[InputRequired(message=_l("Choose a judge."))],
    )


def judge_candidates(contest: Contest) -> list[User]:
    """Active accounts holding the judge role who are not on the contest's panel yet."""
    on_panel = select(PanelMember.user_id).where(PanelMember.contest_id == contest.id)
    return list(
        db.session.scalars(
            select(User)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.role == RoleName.JUDGE, User.active.is_(True), User.id.not_in(on_panel))
            .distinct()
            .order_by(User.full_name, User.id)
        )
    )


def add_judge_form(contest: Contest, **kwargs) -> AddJudgeForm:
    form = AddJudgeForm(**kwargs)
    form.user_id.choices = [
        SelectChoice(u.id, f"{u.full_name} ({u.email or u.phone or u.id})") for u in judge_candidates(contest)
    ]
    return form


class WhatIfForm(FlaskForm):
    """The α of a what-if, read from the query string (a GET form: nothing is changed, no CSRF)."""

    class Meta:
        csrf = False

    alpha = NumberField(_l("α (share of the expert score in F)"), validators=[_required()])


def _weight():
    return [_required(), NumberRange(min=0, message=_l("The weight must be a number of 0 or more."))]


def _not_negative():
    return NumberRange(min=0, message=_l("Enter a whole number of 0 or more."))


def _at_least_one():
    return NumberRange(min=1, message=_l("Enter a whole number of 1 or more."))


class SettingsForm(FlaskForm):
    """The contest's judging settings; category minimums are added per contest (settings_form)."""

    assignment_mode = SelectField(
        _l("How the work is assigned"), choices=[SelectChoice(k, v) for k, v in ASSIGNMENT_MODES.items()]
    )
    judges_per_initiative = WholeField(
        _l("Judges per initiative (k)"),
        validators=[
            _required(),
            NumberRange(min=1, message=_l("The number of judges per initiative must be at least 1.")),
        ],
    )
    hide_engagement = BooleanField(_l("Hide likes, comments and views from the judges while judging is open"))
    disagreement_threshold = NumberField(
        _l("Disagreement threshold (standard deviation of the review scores)"),
        validators=[
            _required(),
            NumberRange(min=0, message=_l("The disagreement threshold must be 0 or more.")),
        ],
    )
    alpha = NumberField(
        _l("α: share of the expert score E in the final score F"),
        validators=[_required(), NumberRange(min=0, max=1, message=_l("α must be between 0 and 1."))],
    )
    expert = SelectField(
        _l("Expert score E"), choices=[SelectChoice(k, v) for k, v in EXPERT_METHODS.items()]
    )
    scale = SelectField(_l("Engagement score P"), choices=[SelectChoice(k, v) for k, v in SCALES.items()])
    min_reviews = WholeField(_l("Reviews needed to be ranked"), validators=[_required(), _at_least_one()])
    finalists = WholeField(_l("Finalists (N)"), validators=[_required(), _at_least_one()])
    unit_maximum = WholeField(
        _l("At most this many finalists from one unit (empty: no limit)"),
        validators=[
            Optional(),
            NumberRange(min=1, message=_l("Enter a whole number of 1 or more, or leave it empty.")),
        ],
    )
    w_likes = NumberField(WEIGHT_FIELDS["w_likes"], validators=_weight())
    w_commenters = NumberField(WEIGHT_FIELDS["w_commenters"], validators=_weight())
    w_views = NumberField(WEIGHT_FIELDS["w_views"], validators=_weight())
    w_imported_likes = NumberField(WEIGHT_FIELDS["w_imported_likes"], validators=_weight())
    w_imported_comments = NumberField(WEIGHT_FIELDS["w_imported_comments"], validators=_weight())
    w_imported_shares = NumberField(WEIGHT_FIELDS["w_imported_shares"], validators=_weight())

    category_fields: tuple[tuple[int, str], ...] = ()  # (category id, field name), set by settings_form

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not ok or not self.category_fields:
            return ok
        if sum(getattr(self, name).data or 0 for _cid, name in self.category_fields) > self.finalists.data:
            message = str(_l("The category minimums add up to more places than there are finalists."))
            for _cid, name in self.category_fields:
                if getattr(self, name).data:
                    getattr(self, name).errors.append(message)
            return False
        return True

    def ranking_params(self, stored: dict) -> dict:
        """The stored overrides with every value of this form on top (the others, e.g. trim_from, kept)."""
        values = dict(stored or {})
        for name in ("alpha", "expert", "scale", "min_reviews", "finalists", "unit_maximum", *WEIGHT_FIELDS):
            values[name] = getattr(self, name).data
        values["category_minimum"] = {
            str(cid): getattr(self, name).data
            for cid, name in self.category_fields
            if getattr(self, name).data
        }
        return values


def settings_form(categories: list[tuple[int, str]], **kwargs) -> SettingsForm:
    """The settings form with one minimum per category of the contest, given as (id, label); 0: none."""

    class ContestSettingsForm(SettingsForm):
        pass

    names = []
    for category_id, label in categories:
        name = f"category_{category_id}"
        setattr(
            ContestSettingsForm,
            name,
            WholeField(
                label,
                default=0,
                validators=[
                    _required(),
                    NumberRange(min=0, message=_l("Enter a whole number of 0 or more.")),
                ],
            ),
        )
        names.append((category_id, name))
    ContestSettingsForm.category_fields = tuple(names)
    return ContestSettingsForm(**kwargs)
