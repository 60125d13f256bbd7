"""Translated messages for the codes the judging operations give (JudgingProblem.code and .fields)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

PROBLEM_MESSAGES = {
    "rubric_locked": _l(
        "The rubric has been locked since judging opened. Unlock it with a reason to change it."
    ),
    "rubric_not_empty": _l("The contest already has criteria."),
    "no_rubric": _l("The contest has no judging criteria yet."),
    "invalid_criterion": _l("Check the criterion's fields."),
    "required": _l("This field is required."),
    "invalid_weight": _l("The weight must be a number of 0 or more."),
    "invalid_max": _l("The maximum score must be a number above 0."),
    "no_positive_weight": _l("At least one criterion must have a weight above 0."),
    "reason_required": _l("Give a reason."),
    "not_a_judge": _l("Only accounts with the judge role can join the panel."),
    "judge_has_reviews": _l("This judge has already reviewed initiatives and stays on the panel."),
    "invalid_mode": _l("Choose how the work is assigned."),
    "invalid_k": _l("The number of judges per initiative must be at least 1."),
    "invalid_threshold": _l("The disagreement threshold must be 0 or more."),
    "not_assigned": _l("This initiative is not assigned to you."),
    "own_unit": _l("A judge never scores an initiative of his or her own unit."),
    "in_conflict": _l("You declared a conflict of interest for this initiative."),
    "judging_closed": _l("The judging window is closed: reviews cannot be changed now."),
    "invalid_scores": _l("Some scores are missing or outside the allowed range."),
    "unknown_criterion": _l("This criterion is not in the rubric."),
    "not_a_number": _l("Enter a number."),
    "out_of_range": _l("The score is outside the allowed range."),
    "unknown_param": _l("Unknown ranking parameter."),
    "invalid_param": _l("A ranking parameter is not valid."),
    "invalid_alpha": _l("α must be between 0 and 1."),
    "another_published": _l("Another run is published. Unpublish it first, with a reason."),
    "not_published": _l("This run is not published."),
}


def problem_message(code: str) -> str:
    message = PROBLEM_MESSAGES.get(code)
    return str(message) if message is not None else _("This action is not possible.")
