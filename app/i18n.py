"""Locale and time-zone selection and the template filters for dates and numbers.

Vietnamese is the default; a visitor switches with the language links (kept in the
session, and on the profile of a signed-in user). The API, which has no cookie session, speaks the
Accept-Language of the request.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, g, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale, get_translations, ngettext
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/"):  # no cookie session there (app/security.py)
        return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def fmt_datetime(value: datetime | None) -> str:
    """dd/mm/yyyy HH:mm in Asia/Ho_Chi_Minh."""
    return format_datetime(value, "dd/MM/yyyy HH:mm") if value else ""


def fmt_date(value: datetime | None) -> str:
    return format_date(value, "dd/MM/yyyy") if value else ""


def fmt_number(value) -> str:
    """1.234,5 in Vietnamese, 1,234.5 in English."""
    return format_decimal(value) if value is not None else ""


def fmt_int(value: int | None) -> str:
    """A whole number with the locale's grouping (1.234 in Vietnamese); cheap enough for hot pages."""
    if value is None:
        return ""
    group = get_locale().number_symbols["latn"]["group"]
    return f"{value:,}".replace(",", group)


def fmt_countdown(seconds: float) -> str:
    """ "10 ngày 09:21:51" — the same shape the live countdown script keeps updating."""
    left = max(int(seconds), 0)
    days, rest = divmod(left, 86400)
    clock_part = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    return (ngettext("%(num)s day", "%(num)s days", days) + " " if days else "") + clock_part


def _translations():
    """The request's catalog, looked up once per request: templates call gettext dozens of times."""
    cached = g.get("_sks_translations")
    if cached is None:
        cached = g._sks_translations = get_translations()
    return cached


def init_app(app) -> None:
    # Same callables as Flask-Babel installs, with the catalog looked up once per request.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.filters["dt"] = fmt_datetime
    app.jinja_env.filters["d"] = fmt_date
    app.jinja_env.filters["num"] = fmt_number
    app.jinja_env.filters["int_num"] = fmt_int
    app.jinja_env.filters["countdown"] = fmt_countdown

    @app.context_processor
    def _locale_context():
        return {"current_locale": str(get_locale())}
