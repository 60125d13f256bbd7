"""Pure account rules: identifiers, password policy, one-time codes. No Flask, no database."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from zxcvbn.frequency_lists import FREQUENCY_LISTS

# Common passwords: zxcvbn's list of the 30,000 most used, plus ones common in Vietnam.
_VIETNAMESE_COMMON = {
    "matkhau",
    "matkhau1",
    "matkhau123",
    "matkhau@123",
    "anhyeuem",
    "anhyeuem1",
    "emyeuanh",
    "yeuem123",
    "vietnam",
    "vietnam1",
    "vietnam123",
    "hanoi123",
    "saigon123",
    "12345678a",
    "123456a@",
    "123456aa",
    "abc12345",
    "qwerty123",
    "admin123",
    "admin@123",
    "0123456789",
    "1234567890",
    "chuyendoiso",
    "chuyendoiso1",
    "chuyendoiso123",
    "sangkienso",
    "sangkienso1",
    "sangkienso123",
}
COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"]) | _VIETNAMESE_COMMON


class InvalidIdentifier(ValueError):
    """An email or phone number that cannot be used."""


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics: "Chuyển Đổi Số" -> "chuyen doi so"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalize_email(raw: str) -> str:
    """A syntactically valid email, lower-cased; no DNS look-up (intranets have none)."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidIdentifier(str(exc)) from exc
    return result.normalized.lower()


def normalize_phone(raw: str) -> str:
    """A Vietnamese mobile or landline number in E.164: "0912 345 678" -> "+84912345678"."""
    cleaned = re.sub(r"[\s.\-()]", "", raw.strip())
    try:
        number = phonenumbers.parse(cleaned, "VN")
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentifier("not a phone number") from exc
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier("not a valid Vietnamese phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@dataclass(frozen=True)
class LoginIdentifier:
    kind: str  # "email" or "phone"
    value: str


def parse_login(raw: str) -> LoginIdentifier:
    """A login is an email when it has an @, otherwise a Vietnamese phone number."""
    raw = (raw or "").strip()
    if not raw:
        raise InvalidIdentifier("empty")
    if "@" in raw:
        return LoginIdentifier("email", normalize_email(raw))
    return LoginIdentifier("phone", normalize_phone(raw))


def national_phone(e164: str | None) -> str:
    """+84912345678 -> "0912 345 678", the way people write it."""
    if not e164:
        return ""
    return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.NATIONAL)


def mask_phone(e164: str | None) -> str:
    """+84912345678 -> 0912***678, for public lists."""
    if not e164:
        return ""
    national = "0" + e164[3:] if e164.startswith("+84") else e164
    return national[:4] + "***" + national[-3:]


def password_problems(password: str, *, min_length: int, personal: tuple[str, ...] = ()) -> list[str]:
    """Reasons a password is refused, as codes; empty when it is acceptable.

    Codes: "too_short", "common", "personal" (contains the name, email or phone).
    """
    problems: list[str] = []
    if len(password) < min_length:
        problems.append("too_short")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or fold(lowered) in COMMON_PASSWORDS:
        problems.append("common")
    folded = fold(lowered).replace(" ", "")
    for item in personal:
        token = fold(item).replace(" ", "")
        if len(token) >= 4 and (token in folded or folded in token):
            problems.append("personal")
            break
    return problems


def new_code() -> str:
    """A 6-digit one-time code from a cryptographic source."""
    return f"{secrets.randbelow(1_000_000):06d}"


def hash_secret(value: str, key: str) -> str:
    """Keyed hash for codes and tokens: a leaked table does not reveal them."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)
