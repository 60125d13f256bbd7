"""Pure roster rules: read a unit roster CSV and say, row by row, what is wrong with it.

Columns (header names are matched without accents or case): a name column, an email
and/or phone column (or one column holding either), and a unit column holding the
unit's code or its exact name. No Flask, no database.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from app.auth.rules import InvalidIdentifier, fold, normalize_email, normalize_phone

MAX_ROWS = 20_000

_HEADER_ALIASES = {
    "name": {"name", "full_name", "fullname", "ho ten", "ho va ten", "ho_ten", "ten"},
    "email": {"email", "e-mail", "thu dien tu"},
    "phone": {"phone", "so dien thoai", "dien thoai", "sdt", "so_dien_thoai", "mobile"},
    "contact": {"email or phone", "email_or_phone", "contact", "email hoac so dien thoai", "lien he"},
    "unit": {"unit", "unit_code", "unit code", "don vi", "ma don vi", "don_vi", "ma_don_vi"},
}


@dataclass(frozen=True)
class RosterRow:
    line: int
    full_name: str
    email: str | None
    phone: str | None
    unit_id: int


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    code: str  # see app/units/routes.py ROSTER_MESSAGES
    value: str = ""


@dataclass
class RosterParse:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def decode(data: bytes) -> str | None:
    """UTF-8 (with or without Excel's BOM); None for anything else."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = fold(name).strip().replace("  ", " ")
        for canonical, aliases in _HEADER_ALIASES.items():
            if key in aliases and canonical not in found:
                found[canonical] = index
    return found


def parse_roster(text: str, unit_lookup: dict[str, int]) -> RosterParse:
    """Rows ready to import, or every problem found; `unit_lookup` maps folded code or name to id."""
    result = RosterParse()
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except StopIteration:
        result.errors.append(RowError(1, "file", "empty"))
        return result
    columns = _columns(header)
    missing = [c for c in ("name", "unit") if c not in columns]
    if not ({"email", "phone", "contact"} & columns.keys()):
        missing.append("email_or_phone")
    if missing:
        for column in missing:
            result.errors.append(RowError(1, column, "missing_column"))
        return result

    seen_email: dict[str, int] = {}
    seen_phone: dict[str, int] = {}

    def cell(row: list[str], key: str) -> str:
        index = columns.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    for line, row in enumerate(reader, start=2):
        if not any(c.strip() for c in row):
            continue
        if len(result.rows) + len({e.line for e in result.errors}) >= MAX_ROWS:
            result.errors.append(RowError(line, "file", "too_many_rows", f"{MAX_ROWS:,}".replace(",", ".")))
            break
        row_errors: list[RowError] = []
        name = cell(row, "name")
        if not name:
            row_errors.append(RowError(line, "name", "required"))
        elif len(name) > 120:
            row_errors.append(RowError(line, "name", "too_long", name[:40]))
        email_raw, phone_raw = cell(row, "email"), cell(row, "phone")
        contact = cell(row, "contact")
        if contact:
            if "@" in contact:
                email_raw = email_raw or contact
            else:
                phone_raw = phone_raw or contact
        email = phone = None
        if email_raw:
            try:
                email = normalize_email(email_raw)
            except InvalidIdentifier:
                row_errors.append(RowError(line, "email", "bad_email", email_raw))
        if phone_raw:
            try:
                phone = normalize_phone(phone_raw)
            except InvalidIdentifier:
                row_errors.append(RowError(line, "phone", "bad_phone", phone_raw))
        if not email_raw and not phone_raw:
            row_errors.append(RowError(line, "email_or_phone", "required"))
        unit_raw = cell(row, "unit")
        unit_id = unit_lookup.get(fold(unit_raw)) if unit_raw else None
        if not unit_raw:
            row_errors.append(RowError(line, "unit", "required"))
        elif unit_id is None:
            row_errors.append(RowError(line, "unit", "unknown_unit", unit_raw))
        if email and email in seen_email:
            row_errors.append(RowError(line, "email", "duplicate", str(seen_email[email])))
        if phone and phone in seen_phone:
            row_errors.append(RowError(line, "phone", "duplicate", str(seen_phone[phone])))
        if row_errors:
            result.errors.extend(row_errors)
            continue
        if email:
            seen_email[email] = line
        if phone:
            seen_phone[phone] = line
        result.rows.append(RosterRow(line, name, email, phone, unit_id))
    if not result.rows and not result.errors:
        result.errors.append(RowError(2, "file", "no_rows"))
    return result
