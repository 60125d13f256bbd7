"""Account operations. Each one owns its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload
from werkzeug.security import check_password_hash, generate_password_hash

from app import clock
from app.auth.rules import LoginIdentifier, fold, hash_secret, new_code, new_token, parse_login
from app.database import end_transaction
from app.mail import send_mail
from models import ApiToken, CodePurpose, RosterEntry, Unit, User, VerificationCode, db

# A real hash to compare against when no account matches, so the timing does not tell.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0")


class AccountExists(Exception):
    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


class CodeProblem(Exception):
    """The code is wrong, expired or used up; `reason` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _key() -> str:
    return current_app.config["SECRET_KEY"]


def find_user_by_login(login: str) -> User | None:
    try:
        ident = parse_login(login)
    except ValueError:
        return None
    return find_user(ident)


def find_user(ident: LoginIdentifier) -> User | None:
    column = User.email if ident.kind == "email" else User.phone
    return db.session.scalar(select(User).where(column == ident.value))


@dataclass(frozen=True)
class Registration:
    user: User
    code_sent: bool  # False when there is no email or the mail server refused it


def register_user(
    *, full_name: str, email: str | None, phone: str | None, password: str, unit_id: int | None
) -> Registration:
    """Create an unverified account and send the verification code when there is an email.

    Exactly one account per email or phone, even when the same form arrives many times
    at once: the UNIQUE constraints decide and the losers get AccountExists.
    """
    end_transaction()  # the form's reads are done; hash without holding a lock
    password_hash = generate_password_hash(password)
    for field, column, value in (("email", User.email, email), ("phone", User.phone, phone)):
        if value and db.session.scalar(select(User.id).where(column == value)):
            raise AccountExists(field)
    user = User(
        full_name=full_name.strip(),
        name_folded=fold(full_name.strip()),
        email=email,
        phone=phone,
        password_hash=password_hash,
        unit_id=unit_id,
        created_at=clock.now(),
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise AccountExists("phone" if "phone" in str(exc.orig).lower() else "email") from exc
    _apply_roster(user)
    code = _new_code(user, CodePurpose.VERIFY_EMAIL) if email else None
    db.session.commit()
    sent = _send_code(user, CodePurpose.VERIFY_EMAIL, code) if code else False
    return Registration(user, sent)


def _apply_roster(user: User) -> None:
    """A person the unit listed on its roster joins that unit as a confirmed, verified member."""
    conditions = []
    if user.email:
        conditions.append(RosterEntry.email == user.email)
    if user.phone:
        conditions.append(RosterEntry.phone == user.phone)
    if not conditions:
        return

    entry = db.session.scalar(
        select(RosterEntry).where(or_(*conditions), RosterEntry.user_id.is_(None)).order_by(RosterEntry.id)
    )
    if entry is None:
        return
    entry.user_id = user.id
    user.unit_id = entry.unit_id
    user.unit_confirmed_at = clock.now()
    if user.verified_at is None:
        user.verified_at = clock.now()
        user.verified_via = "roster"


def _new_code(user: User, purpose: CodePurpose) -> str:
    """Replace any open code of this purpose with a fresh one (caller commits)."""
    now = clock.now()
    db.session.execute(
        update(VerificationCode)
        .where(
            VerificationCode.user_id == user.id,
            VerificationCode.purpose == purpose,
            VerificationCode.used_at.is_(None),
        )
        .values(used_at=now)
    )
    code = new_code()
    db.session.add(
        VerificationCode(
            user_id=user.id,
            purpose=purpose,
            code_hash=hash_secret(code, _key()),
            created_at=now,
            expires_at=now + timedelta(minutes=current_app.config["VERIFICATION_CODE_TTL_MINUTES"]),
        )
    )
    return code


def _send_code(user: User, purpose: CodePurpose, code: str) -> bool:
    minutes = current_app.config["VERIFICATION_CODE_TTL_MINUTES"]
    if purpose == CodePurpose.VERIFY_EMAIL:
        subject = _("Your verification code: %(code)s", code=code)
        template = "verify_code"
    else:
        subject = _("Your password reset code: %(code)s", code=code)
        template = "reset_code"
    return send_mail(user.email, subject, template, user=user, code=code, minutes=minutes)


def send_verification_code(user: User) -> bool:
    """A fresh verification code by email; False when the account has no email or sending failed."""
    if not user.email or user.is_verified:
        return False
    code = _new_code(user, CodePurpose.VERIFY_EMAIL)
    db.session.commit()
    return _send_code(user, CodePurpose.VERIFY_EMAIL, code)


def _consume_code(user: User, purpose: CodePurpose, code: str) -> None:
    """Check a code; count the attempt; mark it used when right. Raises CodeProblem."""
    now = clock.now()
    row = db.session.scalar(
        select(VerificationCode)
        .where(
            VerificationCode.user_id == user.id,
            VerificationCode.purpose == purpose,
            VerificationCode.used_at.is_(None),
        )
        .order_by(VerificationCode.id.desc())
        .limit(1)
    )
    if row is None or row.expires_at <= now:
        raise CodeProblem("expired")
    if row.attempts >= current_app.config["VERIFICATION_CODE_MAX_ATTEMPTS"]:
        raise CodeProblem("too_many_attempts")
    # Counted with an atomic UPDATE so parallel guesses cannot share one attempt.
    db.session.execute(
        update(VerificationCode)
        .where(VerificationCode.id == row.id)
        .values(attempts=VerificationCode.attempts + 1)
    )
    if hash_secret(code.strip(), _key()) != row.code_hash:
        db.session.commit()
        raise CodeProblem("wrong")
    row.used_at = now


def verify_email(user: User, code: str) -> None:
    _consume_code(user, CodePurpose.VERIFY_EMAIL, code)
    user.verified_at = clock.now()
    user.verified_via = "email"
    db.session.commit()


def authenticate(login: str, password: str) -> User | None:
    """The active account with this email or phone and password, or None."""
    user = find_user_by_login(login)
    if user is None:
        end_transaction()
        check_password_hash(_DUMMY_HASH, password)
        return None
    user_id, stored_hash, active = user.id, user.password_hash, user.active
    end_transaction()
    if not check_password_hash(stored_hash, password) or not active:
        return None
    return db.session.get(User, user_id)


def record_login(user: User) -> None:
    user.last_login_at = clock.now()
    db.session.commit()


def request_password_reset(login: str) -> None:
    """Send a reset code when the login names an account with an email; silent otherwise."""
    user = find_user_by_login(login)
    if user is None or not user.email or not user.active:
        return
    code = _new_code(user, CodePurpose.RESET_PASSWORD)
    db.session.commit()
    _send_code(user, CodePurpose.RESET_PASSWORD, code)


def reset_password(login: str, code: str, new_password: str) -> User:
    end_transaction()
    new_hash = generate_password_hash(new_password)  # before the write transaction begins
    user = find_user_by_login(login)
    if user is None or not user.active:
        raise CodeProblem("wrong")
    _consume_code(user, CodePurpose.RESET_PASSWORD, code)
    user.password_hash = new_hash
    # The code came by email: the address is proven, and every old session ends.
    if user.verified_at is None:
        user.verified_at = clock.now()
        user.verified_via = "email"
    _end_sessions(user)
    db.session.commit()
    return user


def _end_sessions(user: User) -> None:
    user.session_version = (user.session_version or 1) + 1
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )


def change_password(user: User, current: str, new_password: str) -> bool:
    user_id, stored_hash = user.id, user.password_hash
    end_transaction()
    if not check_password_hash(stored_hash, current):
        return False
    new_hash = generate_password_hash(new_password)
    user = db.session.get(User, user_id)
    user.password_hash = new_hash
    _end_sessions(user)
    db.session.commit()
    return True


@dataclass
class ProfileChanges:
    full_name: str
    phone: str | None
    unit_id: int | None
    locale: str | None


def update_profile(user: User, changes: ProfileChanges) -> None:
    taken = select(User.id).where(User.phone == changes.phone, User.id != user.id)
    if changes.phone and changes.phone != user.phone and db.session.scalar(taken):
        raise AccountExists("phone")
    user.full_name = changes.full_name.strip()
    user.name_folded = fold(user.full_name)
    user.phone = changes.phone or (None if user.email else user.phone)
    # A unit confirmed by its roster is not changed by the member alone.
    if user.unit_confirmed_at is None:
        if changes.unit_id is not None and db.session.get(Unit, changes.unit_id) is None:
            changes.unit_id = None
        user.unit_id = changes.unit_id
    user.locale = changes.locale
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise AccountExists("phone") from exc


def issue_api_token(user: User) -> tuple[str, ApiToken]:
    token = new_token()
    now = clock.now()
    row = ApiToken(
        user_id=user.id,
        token_hash=hash_secret(token, _key()),
        created_at=now,
        expires_at=now + timedelta(hours=current_app.config["API_TOKEN_TTL_HOURS"]),
    )
    db.session.add(row)
    user.last_login_at = now
    db.session.commit()
    return token, row


# One query for the token and its account, built once (every API request asks).
_USER_FOR_TOKEN = (
    select(User)
    .join(ApiToken, ApiToken.user_id == User.id)
    .options(lazyload(User.roles))  # loaded when a role is asked, not on every request
    .where(
        ApiToken.token_hash == bindparam("token_hash"),
        ApiToken.revoked_at.is_(None),
        ApiToken.expires_at > bindparam("now"),
        User.active.is_(True),
    )
)


def user_for_token(token: str) -> User | None:
    """The active user behind a live token; checked on every API request."""
    if not token:
        return None
    return db.session.scalar(_USER_FOR_TOKEN, {"token_hash": hash_secret(token, _key()), "now": clock.now()})


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: the id and the session version must both still match."""
    try:
        user_id, version = (int(part) for part in session_id.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user
