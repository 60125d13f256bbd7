"""Translated messages for the codes the engagement rules and operations give."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

PROBLEM_MESSAGES = {
    "sign_in": _l("Sign in to like, comment or report."),
    "unverified": _l("Confirm your account first: only verified accounts can like, comment or report."),
    "not_published": _l("This initiative is not published."),
    "voting_closed": _l("Public voting is closed: likes, comments and reports are not accepted now."),
    "comment_empty": _l("Write a comment first."),
    "comment_too_long": _l("A comment has at most 2,000 characters."),
    "parent_missing": _l("The comment you reply to does not exist."),
    "parent_gone": _l("The comment you reply to has been removed."),
    "not_yours": _l("Only its author can change this comment."),
    "comment_deleted": _l("This comment has been deleted."),
    "comment_hidden": _l("This comment is hidden while the moderators decide."),
    "edit_window_over": _l("A comment can be edited only in the first 15 minutes."),
    "reason_required": _l("Give a reason."),
    "reason_too_long": _l("The reason has at most 500 characters."),
    "own_comment": _l("You cannot report your own comment."),
    "unknown_decision": _l("Choose a decision."),
    "nothing_selected": _l("Select at least one like that is not already quarantined."),
    "already_quarantined": _l("This account is already quarantined."),
    "already_released": _l("This quarantine has already been released."),
}


def problem_message(code: str) -> str:
    message = PROBLEM_MESSAGES.get(code)
    return str(message) if message is not None else _("This action is not possible.")
