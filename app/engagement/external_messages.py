"""Translated messages for the codes of imported engagement (app/engagement/external.py and its import)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.engagement.external import RowProblem

EXTERNAL_MESSAGES = {
    "empty": _l("The file is empty."),
    "bad_csv": _l("The file is not a readable CSV file."),
    "not_utf8": _l('The file is not UTF-8 text. Save it from Excel as "CSV UTF-8".'),
    "too_large": _l("The file is larger than 1 MB."),
    "no_rows": _l("The file has a header but no rows."),
    "too_many_rows": _l("The file has too many rows (at most %(value)s)."),
    "missing_column": _l("The header has no column for this."),
    "required": _l("This value is required."),
    "bad_id": _l("Not an initiative number."),
    "bad_platform": _l("Not a known platform: use fanpage, zalo_oa, portal or other."),
    "bad_number": _l("Not a whole number."),
    "negative": _l("A count cannot be negative."),
    "count_too_large": _l("This number is too large."),
    "bad_datetime": _l('Not a date and time: write "dd/mm/yyyy HH:MM" (Vietnam time) or ISO 8601.'),
    "in_future": _l("This moment is in the future."),
    "bad_url": _l("Not a web link (http:// or https://)."),
    "url_too_long": _l("The link is longer than 500 characters."),
    "duplicate": _l("The same initiative, platform and time are already on line %(value)s."),
    "unknown_initiative": _l("No initiative has this number."),
    "other_contest": _l("This initiative belongs to another contest."),
    "not_published": _l("This initiative is not published."),
}

FIELD_NAMES = {
    "file": _l("File"),
    "initiative_id": _l("Initiative number"),
    "platform": _l("Platform"),
    "likes": _l("Likes"),
    "comments": _l("Comments"),
    "shares": _l("Shares"),
    "measured_at": _l("Measured at"),
    "source_url": _l("Source link"),
}

PLATFORM_NAMES = {
    "fanpage": _l("Facebook fanpage"),
    "zalo_oa": _l("Zalo Official Account"),
    "portal": _l("District portal"),
    "other": _l("Other platform"),
}


def external_message(code: str, value: str = "") -> str:
    message = EXTERNAL_MESSAGES.get(code)
    if message is None:
        return _("This value is not valid.")
    return str(message) % {"value": value} if "%(value)s" in str(message) else str(message)


def report_rows(problems: list[RowProblem]) -> list[dict]:
    """The row-by-row report a page shows: line, column name, message, the value given."""
    return [
        {
            "line": p.line,
            "field": str(FIELD_NAMES.get(p.field, p.field)),
            "message": external_message(p.code, p.value),
            "value": "" if p.code in ("duplicate", "too_many_rows") else p.value,
        }
        for p in problems
    ]
