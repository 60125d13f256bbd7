"""Pure rules for engagement imported from the district's other platforms (no Flask, no database).

A CSV file (or one JSON body of the API) gives snapshots: an initiative's likes, comments and
shares on a fanpage, a Zalo Official Account or the district portal, measured at a moment. The
file is read the way rosters are (app/units/roster.py): UTF-8 with or without BOM, comma,
semicolon or tab, header names in English or Vietnamese matched without accents or case; every
problem is reported as (line, field, code) so the whole file can be refused at once.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from app.auth.rules import fold

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_ROWS = 5_000
MAX_COUNT = 2_147_483_647  # the column is a 32-bit integer
URL_MAX = 500
# A snapshot taken "now" on a phone whose clock runs a little fast is not in the future.
FUTURE_TOLERANCE = timedelta(minutes=5)

FIELDS = ("initiative_id", "platform", "likes", "comments", "shares", "measured_at", "source_url")
REQUIRED_COLUMNS = FIELDS[:-1]  # the source link may be left out
COUNT_FIELDS = ("likes", "comments", "shares")
PLATFORMS = ("fanpage", "zalo_oa", "portal", "other")


def _key(name: str) -> str:
    """A header or platform name folded for matching: no accents, lower case, single spaces."""
    return " ".join(fold(name).replace("_", " ").replace("-", " ").split())


_HEADER_ALIASES = {
    "initiative_id": {"initiative id", "initiative", "ma sang kien", "sang kien", "id sang kien"},
    "platform": {"platform", "nen tang", "kenh"},
    "likes": {"likes", "like", "luot thich", "thich"},
    "comments": {"comments", "comment", "binh luan", "luot binh luan"},
    "shares": {"shares", "share", "chia se", "luot chia se"},
    "measured_at": {"measured at", "thoi diem", "thoi gian", "thoi diem do", "ngay gio"},
    "source_url": {"source url", "source", "url", "link", "duong dan", "lien ket"},
}

_PLATFORM_ALIASES = {
    "fanpage": {"fanpage", "facebook", "fb", "facebook fanpage", "trang facebook"},
    "zalo_oa": {"zalo oa", "zalo", "zalo official account"},
    "portal": {"portal", "cong thong tin", "cong thong tin dien tu", "cong ttdt", "website"},
    "other": {"other", "khac"},
}
_PLATFORM_BY_KEY = {alias: canonical for canonical, names in _PLATFORM_ALIASES.items() for alias in names}

# Whole numbers, optionally grouped by thousands with dots (Vietnamese) or commas (English).
_COUNT = re.compile(r"[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?:,[0-9]{3})+", re.ASCII)
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}", re.ASCII)
_LOCAL = re.compile(
    r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})[ T]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?", re.ASCII
)
_ID = re.compile(r"#?([0-9]{1,18})", re.ASCII)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


@dataclass(frozen=True)
class ExternalRow:
    """One snapshot ready to store; measured_at is aware (UTC)."""

    line: int
    initiative_id: int
    platform: str  # one of PLATFORMS
    likes: int
    comments: int
    shares: int
    measured_at: datetime
    source_url: str = ""


@dataclass(frozen=True)
class RowProblem:
    """What is wrong where: the file's line, the field (or "file"), a code (see import_routes.py)."""

    line: int
    field: str
    code: str
    value: str = ""


# --- one value at a time ------------------------------------------------------------------------


def parse_platform(raw: str) -> str | None:
    """fanpage | zalo_oa | portal | other, from their names or common aliases; None if unknown."""
    return _PLATFORM_BY_KEY.get(_key(raw)) if raw else None


def parse_count(raw: str) -> tuple[int | None, str | None]:
    """A non-negative whole number ("1234", "1.234", "1,234"), or a problem code."""
    text = _SPACES.sub("", raw or "")
    if not text:
        return None, "required"
    if text.startswith("-") and _COUNT.fullmatch(text[1:]):
        return None, "negative"
    if not _COUNT.fullmatch(text):
        return None, "bad_number"
    value = int(text.replace(".", "").replace(",", ""))
    if value > MAX_COUNT:
        return None, "count_too_large"
    return value, None


def parse_initiative_id(raw: str) -> tuple[int | None, str | None]:
    text = (raw or "").strip()
    if not text:
        return None, "required"
    match = _ID.fullmatch(text)
    if not match or int(match.group(1)) == 0:
        return None, "bad_id"
    return int(match.group(1)), None


def parse_moment(raw: str) -> datetime | None:
    """ISO 8601 date and time (an offset, or Vietnam time without one) or "dd/mm/yyyy HH:MM"."""
    text = (raw or "").strip()
    if not text:
        return None
    moment: datetime | None = None
    if _ISO.match(text):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        match = _LOCAL.fullmatch(text)
        if not match:
            return None
        day, month, year, hour, minute, second = (int(g or 0) for g in match.groups())
        try:
            moment = datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    return moment.astimezone(UTC)


def moment_problem(moment: datetime, now: datetime) -> str | None:
    """A measurement cannot come from the future (a few minutes of clock drift allowed)."""
    return "in_future" if moment > now + FUTURE_TOLERANCE else None


def url_problem(url: str) -> str | None:
    """Only absolute http(s) links with a host, at most 500 characters; empty is allowed."""
    if not url:
        return None
    if len(url) > URL_MAX:
        return "url_too_long"
    if _SPACES.search(url) or any(ord(c) < 32 or ord(c) == 127 for c in url):
        return "bad_url"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError:
        return "bad_url"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "bad_url"
    return None


def check_values(
    values: dict[str, str], line: int, now: datetime
) -> tuple[ExternalRow | None, list[RowProblem]]:
    """One snapshot from text values keyed by FIELDS: the row, or every problem it has."""
    problems: list[RowProblem] = []

    def problem(field: str, code: str) -> None:
        problems.append(RowProblem(line, field, code, (values.get(field) or "")[:60]))

    initiative_id, code = parse_initiative_id(values.get("initiative_id", ""))
    if code:
        problem("initiative_id", code)
    raw_platform = (values.get("platform") or "").strip()
    platform = parse_platform(raw_platform)
    if platform is None:
        problem("platform", "required" if not raw_platform else "bad_platform")
    counts: dict[str, int] = {}
    for field in COUNT_FIELDS:
        value, code = parse_count(values.get(field, ""))
        if code:
            problem(field, code)
        else:
            counts[field] = value
    raw_moment = (values.get("measured_at") or "").strip()
    measured_at = parse_moment(raw_moment)
    if measured_at is None:
        problem("measured_at", "required" if not raw_moment else "bad_datetime")
    elif code := moment_problem(measured_at, now):
        problem("measured_at", code)
    source_url = (values.get("source_url") or "").strip()
    if code := url_problem(source_url):
        problem("source_url", code)
    if problems:
        return None, problems
    return (
        ExternalRow(
            line=line,
            initiative_id=initiative_id,
            platform=platform,
            likes=counts["likes"],
            comments=counts["comments"],
            shares=counts["shares"],
            measured_at=measured_at,
            source_url=source_url,
        ),
        [],
    )


# --- a whole file ---------------------------------------------------------------------------------


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _key(name)
        for canonical, aliases in _HEADER_ALIASES.items():
            if (key == _key(canonical) or key in aliases) and canonical not in found:
                found[canonical] = index
    return found


def _delimiter(text: str) -> str:
    """The separator the header line uses most: comma, semicolon (Excel in Vietnamese) or tab.

    Judged on the header alone, which holds no quoted values: the rows' "1,234" or a URL's
    query string cannot mislead it the way they can mislead csv.Sniffer.
    """
    header = text.splitlines()[0] if text else ""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def parse_external_csv(text: str, now: datetime | None = None) -> tuple[list[ExternalRow], list[RowProblem]]:
    """Every good row and every problem of a CSV file; import only when there is no problem.

    `now` (aware) is the moment no measurement may come after; the app clock when not given.
    Lines are the file's physical lines (a quoted value spanning lines counts from its first).
    """
    if now is None:
        from app import clock  # the app's one clock; plain Python

        now = clock.now()
    text = text.lstrip("\ufeff")
    rows: list[ExternalRow] = []
    problems: list[RowProblem] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader)
    except StopIteration:
        return rows, [RowProblem(1, "file", "empty")]
    except csv.Error:
        return rows, [RowProblem(1, "file", "bad_csv")]
    columns = _columns(header)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        return rows, [RowProblem(1, column, "missing_column") for column in missing]

    seen: dict[tuple[int, str, datetime], int] = {}
    line = reader.line_num + 1
    data_rows = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problems.append(RowProblem(line, "file", "bad_csv"))
            break
        first_line, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            problems.append(
                RowProblem(first_line, "file", "too_many_rows", f"{MAX_ROWS:,}".replace(",", "."))
            )
            break
        values = {f: record[i].strip() for f, i in columns.items() if i < len(record)}
        row, row_problems = check_values(values, first_line, now)
        if row is None:
            problems.extend(row_problems)
            continue
        key = (row.initiative_id, row.platform, row.measured_at)
        if key in seen:
            problems.append(RowProblem(first_line, "measured_at", "duplicate", str(seen[key])))
            continue
        seen[key] = first_line
        rows.append(row)
    if data_rows == 0:
        problems.append(RowProblem(2, "file", "no_rows"))
    return rows, problems


EXAMPLE_CSV = (
    "ma_sang_kien,nen_tang,luot_thich,binh_luan,chia_se,thoi_diem,duong_dan\r\n"
    "12,Fanpage,1.234,56,78,15/05/2025 20:30,https://www.facebook.com/ungHoa/posts/123\r\n"
    "12,Zalo,310,12,40,2025-05-15T20:30:00+07:00,https://zalo.me/ungHoa\r\n"
    "15,Cổng thông tin,95,3,0,15/05/2025 21:00,https://unghoa.hanoi.gov.vn/tin-tuc/sang-kien-15\r\n"
)
