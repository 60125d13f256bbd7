"""Engagement rules: pure functions, no Flask, no database.

Comment length and editing window, the report threshold, known bots, the viewer's day, salted
hashes of network facts, and the links of a comment.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from linkify_it import LinkifyIt

COMMENT_MAX = 2000
EDIT_WINDOW = timedelta(minutes=15)
HIDE_AT_REPORTS = 3
REPORT_REASON_MAX = 500
QUARANTINE_REASON_MAX = 500
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# Crawlers, link previews and HTTP tools: a page fetched by them is not a person viewing it.
_BOT = re.compile(
    r"bot|crawl|spider|slurp|facebookexternalhit|facebookcatalog|zalo.*preview|preview|"
    r"headless|lighthouse|curl/|wget/|python-requests|python-urllib|httpx|go-http-client|"
    r"okhttp|java/|libwww|scrapy|monitor|pingdom|uptime",
    re.IGNORECASE,
)


def comment_problem(body: str) -> str | None:
    """A code for what is wrong with a comment's text, or None: 1 to 2,000 characters once trimmed."""
    text = body.strip()
    if not text:
        return "comment_empty"
    if len(text) > COMMENT_MAX:
        return "comment_too_long"
    return None


def clean_comment(body: str) -> str:
    """Trimmed, with Windows line ends made plain and runs of blank lines cut to one."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def can_edit(created_at: datetime, now: datetime) -> bool:
    return now - created_at <= EDIT_WINDOW


def should_hide(open_reports: int) -> bool:
    return open_reports >= HIDE_AT_REPORTS


def is_bot(user_agent: str | None) -> bool:
    """Known bots, and requests with no user agent at all."""
    if not user_agent or not user_agent.strip():
        return True
    return bool(_BOT.search(user_agent))


def view_day(moment: datetime) -> date:
    """Views are counted per day in Vietnam time."""
    return moment.astimezone(VIETNAM).date()


def salted_hash(value: str | None, salt: str) -> str:
    """32 hex characters of HMAC-SHA256: equal inputs compare equal, the raw value is not kept."""
    if not value:
        return ""
    return hmac.new(salt.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Segment:
    text: str
    url: str | None = None


_LINKIFY = LinkifyIt()


def link_segments(text: str) -> list[Segment]:
    """The text cut into plain pieces and web links, for the template to render.

    Links are found by linkify-it-py (the detector markdown-it uses: trailing punctuation and
    balanced parentheses handled); only http and https links become clickable.
    """
    pieces: list[Segment] = []
    last = 0
    for match in _LINKIFY.match(text) or []:
        if not match.url.lower().startswith(("http://", "https://")):
            continue
        if match.index > last:
            pieces.append(Segment(text[last : match.index]))
        pieces.append(Segment(match.text, match.url))
        last = match.last_index
    if last < len(text):
        pieces.append(Segment(text[last:]))
    return pieces
