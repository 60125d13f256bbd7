"""Gallery cards, rendered once per content and locale instead of once per request.

The gallery is the busiest page; most of its time went to rendering the same twelve cards again.
A card's HTML depends only on the fields below, the locale and the app's URL prefix, so the key is
exactly those values: a new like count, title or picture is a new key (never a stale card), and old
entries fall out of the bounded LRU.
"""

from __future__ import annotations

from functools import lru_cache

from flask import get_template_attribute, request
from flask_babel import get_locale
from markupsafe import Markup

CARD_FIELDS = (
    "id",
    "title",
    "unit_name",
    "category_name",
    "category_name_en",
    "cover_token",
    "like_count",
    "comment_count",
)


@lru_cache(maxsize=4096)
def _render(locale: str, script_root: str, values: tuple) -> Markup:
    macro = get_template_attribute("initiatives/_card.html", "card")
    # The macro's output is Markup already (autoescaped template).
    return macro(dict(zip(CARD_FIELDS, values, strict=True)), locale)


_COUNTS = {"like_count", "comment_count"}


def render_card(row, hide_counts: bool = False) -> Markup:
    """The card of one gallery row (see service.gallery), for the current request's locale.

    hide_counts: a panel judge during judging sees no engagement counts (a judging setting).
    """
    values = tuple(None if hide_counts and name in _COUNTS else getattr(row, name) for name in CARD_FIELDS)
    return _render(str(get_locale()), request.script_root, values)
