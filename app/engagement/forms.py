"""Organizer forms: comment moderation and quarantine decisions (the fraud review)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.engagement.rules import QUARANTINE_REASON_MAX

MODERATION_CHOICES = {
    "restore": _l("Restore"),
    "hide": _l("Hide"),
    "hide_suspend": _l("Hide and suspend the author"),
}


class ModerationForm(FlaskForm):
    """A decision on one comment; the page sends it with one button per decision."""

    decision = SelectField(
        _l("Decision"),
        choices=[SelectChoice(k, v) for k, v in MODERATION_CHOICES.items()],
        validate_choice=True,
    )
    note = TextAreaField(_l("Note (optional, for the audit log)"), validators=[Optional(), Length(max=500)])


class QuarantineLikesForm(FlaskForm):
    """Quarantine the likes ticked under one finding (like_id checkboxes, read by the view)."""

    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(message=_l("Give a reason.")), Length(max=QUARANTINE_REASON_MAX)],
    )


class QuarantineAccountForm(FlaskForm):
    """Quarantine every like of one account, and its new likes while the decision stands."""

    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(message=_l("Give a reason.")), Length(max=QUARANTINE_REASON_MAX)],
    )


class ReleaseForm(FlaskForm):
    """Release a quarantine: a button with a CSRF token."""
