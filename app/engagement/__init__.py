"""Engagement: likes, comments, reports, views, moderation, quarantine and imported engagement."""

from __future__ import annotations

from flask import request
from markupsafe import Markup, escape

from app.engagement.rules import link_segments

_LINK = Markup('<a href="{}" rel="nofollow ugc noopener" target="_blank">{}</a>')
_BREAK = Markup("<br>\n")


def comment_html(text: str | None) -> Markup:
    """A comment's text for a page: escaped, line breaks kept, web links clickable.

    Links carry rel="nofollow ugc noopener" (no ranking credit for spam, no window.opener) and open
    in a new tab; everything else the writer typed, markup included, is shown as text.
    """
    parts = [
        _LINK.format(piece.url, piece.text) if piece.url else _BREAK.join(map(escape, piece.text.split("\n")))
        for piece in link_segments(text or "")
    ]
    return Markup("").join(parts)


def request_source():
    """Where the current request comes from, hashed (for the events of likes, comments and reports)."""
    from app.engagement.service import Source
    from app.extensions import client_ip

    return Source.of(client_ip(), request.headers.get("User-Agent"))


def init_app(app) -> None:
    from app.engagement.routes import REPORT_REASONS

    app.jinja_env.filters["comment_html"] = comment_html
    app.jinja_env.globals["report_reasons"] = REPORT_REASONS
