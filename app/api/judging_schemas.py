"""Marshmallow schemas of the judging API: a judge's assignments and his or her own review."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import LocalDateTime
from app.judging.forms import NOTE_MAX

ASSIGNMENT_STATUSES = ("todo", "draft", "submitted", "conflict")


class JudgeAssignmentSchema(Schema):
    initiative_id = fields.Int()
    title = fields.Str()
    status = fields.Str(
        validate=validate.OneOf(ASSIGNMENT_STATUSES),
        metadata={"description": "todo (no review yet), draft, submitted, or conflict (declared)"},
    )


class JudgeReviewInSchema(Schema):
    # Values stay raw here: the operation names each bad criterion (not a number, out of range, unknown).
    scores = fields.Dict(
        keys=fields.Str(),
        values=fields.Raw(allow_none=True, metadata={"type": "number", "nullable": True}),
        load_default=dict,
        metadata={
            "description": "Criterion id → score from 0 to the criterion's maximum; null takes a score back. "
            "Criteria left out keep their saved score.",
            "example": {"1": 8, "2": 7.5},
        },
    )
    note = fields.Str(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=NOTE_MAX),
        metadata={"description": "Private note, seen by the judge alone; left out, the saved note is kept"},
    )
    submit = fields.Bool(
        load_default=False,
        metadata={
            "description": "Submit the review (every criterion must have a score). A submitted review "
            "stays submitted when changed, and complete."
        },
    )


class JudgeReviewSchema(Schema):
    initiative_id = fields.Int()
    status = fields.Str(validate=validate.OneOf(("draft", "submitted")))
    scores = fields.Dict(keys=fields.Str(), values=fields.Float())
    note = fields.Str()
    submitted_at = LocalDateTime(allow_none=True)
    updated_at = LocalDateTime()
