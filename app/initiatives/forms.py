"""Initiative forms: the unit's edit form (with pictures and PDFs), the organizers' review and categories."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    MultipleFileField,
    SelectField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
    URLField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from app.initiatives.rules import SUMMARY_MAX, TITLE_MAX


class IntOrNoneSelect(SelectField):
    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(
            label, validators, coerce=lambda v: int(v) if v not in (None, "", "None") else None, **kwargs
        )

    def pre_validate(self, form):
        if self.data is not None:
            super().pre_validate(form)


class InitiativeForm(FlaskForm):
    unit_id = IntOrNoneSelect(_l("Unit"))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=SUMMARY_MAX)])
    category_id = IntOrNoneSelect(_l("Field"))
    problem = TextAreaField(_l("The problem"), validators=[Optional(), Length(max=20000)])
    solution = TextAreaField(_l("The solution"), validators=[Optional(), Length(max=20000)])
    results = TextAreaField(_l("Results and measurable impact"), validators=[Optional(), Length(max=20000)])
    cost = StringField(_l("Cost"), validators=[Optional(), Length(max=200)])
    in_use_since = DateField(_l("In use since"), validators=[Optional()])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=120)])
    contact_phone = TelField(_l("Contact phone"), validators=[Optional(), Length(max=20)])
    contact_email = EmailField(_l("Contact email"), validators=[Optional(), Email(), Length(max=254)])
    video_url = URLField(_l("Video link (YouTube or Facebook)"), validators=[Optional(), Length(max=300)])
    images = MultipleFileField(_l("Add pictures (JPEG, PNG or WebP, up to 10 MB each)"))
    documents = MultipleFileField(_l("Add documents (PDF, up to 10 MB each)"))
    submit = SubmitField(_l("Save the draft"))


class ActionForm(FlaskForm):
    """Submit or withdraw: a button with a CSRF token (and an optional reason)."""

    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Confirm"))


REVIEW_CHOICES = {
    "publish": _l("Publish"),
    "return": _l("Return for revision"),
    "reject": _l("Reject"),
}


class ReviewForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=[SelectChoice(k, v) for k, v in REVIEW_CHOICES.items()])
    reason = TextAreaField(
        _l("Reason (the unit sees it; required to return or reject)"),
        validators=[Optional(), Length(max=2000)],
    )
    submit = SubmitField(_l("Record the decision"))


class BulkPublishForm(FlaskForm):
    submit = SubmitField(_l("Publish the selected initiatives"))


class CategoryForm(FlaskForm):
    name = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=120)])
    position = IntegerField(_l("Order"), default=0, validators=[NumberRange(min=0, max=1000)])
    active = BooleanField(_l("In use"), default=True)
    submit = SubmitField(_l("Save the field"))
