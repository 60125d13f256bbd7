"""Translated messages for the codes the initiative rules and operations give."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

PROBLEM_MESSAGES = {
    "required": _l("This is required before the initiative can be submitted."),
    "too_long": _l("This is too long."),
    "bad_video_url": _l("Give a YouTube or Facebook video link starting with https://."),
    "unknown_category": _l("Choose one of the fields in the list."),
    "need_one_image": _l("Add at least one picture."),
    "too_many_images": _l("An initiative has at most 10 pictures."),
    "too_many_documents": _l("An initiative has at most 5 documents."),
    "locked": _l("A submitted initiative can no longer be edited, unless the organizers return it."),
    "transition": _l("This action is not possible in the initiative's current status."),
    "window_closed": _l("The submission window is closed."),
    "unknown_decision": _l("Choose a decision."),
    "reason_required": _l("Give a reason: the unit will see it."),
    "category_exists": _l("A field with this name already exists."),
    # Files
    "empty": _l("the file is empty"),
    "too_large": _l("the file is larger than 10 MB"),
    "too_many_pixels": _l("the picture is larger than 40 megapixels"),
    "unsupported_format": _l("only JPEG, PNG and WebP pictures are accepted"),
    "not_an_image": _l("the file is not a picture"),
    "corrupt": _l("the picture is damaged or incomplete"),
    "not_a_pdf": _l("the file is not a PDF document"),
}

FILE_CODES = {
    "empty",
    "too_large",
    "too_many_pixels",
    "unsupported_format",
    "not_an_image",
    "corrupt",
    "not_a_pdf",
}

STATUS_NAMES = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted, awaiting review"),
    "returned": _l("Returned for revision"),
    "published": _l("Published"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}

EVENT_NAMES = {
    "create": _l("Created"),
    "edit": _l("Edited"),
    "submit": _l("Submitted"),
    "withdraw": _l("Withdrawn by the unit"),
    "publish": _l("Published"),
    "return": _l("Returned for revision"),
    "reject": _l("Rejected"),
}

FIELD_NAMES = {
    "title": _l("Title"),
    "summary": _l("Summary"),
    "problem": _l("The problem"),
    "solution": _l("The solution"),
    "results": _l("Results and measurable impact"),
    "cost": _l("Cost"),
    "in_use_since": _l("In use since"),
    "category_id": _l("Field"),
    "contact_name": _l("Contact person"),
    "contact_phone": _l("Contact phone"),
    "contact_email": _l("Contact email"),
    "video_url": _l("Video link (YouTube or Facebook)"),
}


def problem_message(code: str, filename: str = "") -> str:
    message = str(PROBLEM_MESSAGES.get(code, code))
    if code in FILE_CODES and filename:
        return _("“%(file)s”: %(reason)s.", file=filename, reason=message)
    if code in FILE_CODES:
        return _("A file was refused: %(reason)s.", reason=message)
    return message
