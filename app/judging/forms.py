"""Judges' forms: the review (one score field per criterion of the rubric) and the conflict declaration.

The forms only read numbers; app/judging/service.save_review checks ranges and completeness and
names each bad criterion, and the view puts its message beside that criterion's field.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import NumberInput

from models import Criterion, Review

NOTE_MAX = 5000
REASON_MAX = 1000


class ScoreField(FloatField):
    """A score typed with a point or a comma (7,5 as Vietnamese write it); empty means not scored yet."""

    widget = NumberInput(step="any", min=0)

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, invalid_value_message=_l("Enter a number."), **kwargs)

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(",", ".")]
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(self.invalid_value_message)) from exc

    def _value(self):
        if self.raw_data:  # what the judge typed, kept when the page comes back with an error
            typed = self.raw_data[0]
            return typed.strip().replace(",", ".") if isinstance(typed, str) else typed
        return "" if self.data is None else f"{self.data:g}"


class ReviewForm(FlaskForm):
    """The fixed part of the review form; review_form() adds the rubric's score fields."""

    note = TextAreaField(
        _l("Private note"),
        validators=[Optional(), Length(max=NOTE_MAX)],
        description=_l("Only you can see this note: not the other judges, not the organizers."),
    )
    save_draft = SubmitField(_l("Save draft"))
    submit_review = SubmitField(_l("Submit review"))

    criteria: tuple[Criterion, ...] = ()

    @staticmethod
    def field_name(criterion_id: int | str) -> str:
        return f"score_{criterion_id}"

    def score_fields(self) -> list[tuple[Criterion, ScoreField]]:
        return [(c, self[self.field_name(c.id)]) for c in self.criteria]

    def scores(self) -> dict[int, float | None]:
        """{criterion id: score or None}: an emptied field takes the score back."""
        return {c.id: f.data for c, f in self.score_fields()}

    def add_problems(self, fields: dict[str, str], message) -> None:
        """The service's per-criterion codes as messages beside the fields (`message(code)`)."""
        for key, code in fields.items():
            target = self._fields.get(self.field_name(key)) or self._fields.get(key)
            if target is None:
                self.form_errors.append(message(code))
            else:
                target.errors = [*target.errors, message(code)]


def review_form(
    criteria: list[Criterion], locale: str, review: Review | None = None, *, typed: bool = True
) -> ReviewForm:
    """A review form for this rubric, in the reader's language, filled with the judge's own review.

    typed=False ignores the request's form data: the page shows what is saved, not what was sent.
    """

    class RubricReviewForm(ReviewForm):
        pass

    RubricReviewForm.criteria = tuple(criteria)
    for c in criteria:
        setattr(
            RubricReviewForm,
            ReviewForm.field_name(c.id),
            ScoreField(
                c.label(locale),
                validators=[Optional()],
                description=c.explanation(locale),
                render_kw={"max": f"{c.max_score:g}", "inputmode": "decimal", "data-testid": f"score-{c.id}"},
            ),
        )
    data: dict = {}
    if review is not None:
        data = {ReviewForm.field_name(cid): score for cid, score in review.score_map.items()}
        data["note"] = review.note
    return RubricReviewForm(data=data) if typed else RubricReviewForm(formdata=None, data=data)


class ConflictForm(FlaskForm):
    reason = TextAreaField(
        _l("Why can you not judge this initiative impartially?"),
        validators=[Optional(), Length(max=REASON_MAX)],
        description=_l("For example: a relative works in the unit. The organizers see this reason."),
    )
    declare = SubmitField(_l("Declare a conflict of interest"))
