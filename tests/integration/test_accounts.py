"""Account operations against the real database."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.auth import service
from models import ApiToken, RosterEntry, User, VerificationCode, db
from tests.factories import make_unit, make_user


def outbox():
    from flask import current_app

    return getattr(current_app.extensions["mailman"], "outbox", [])


def latest_code() -> str:
    import re

    body = outbox()[-1].body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_registration_reports_when_the_code_email_could_not_be_sent(app):
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=2)
    from app.extensions import mail

    mail.init_app(app)
    registration = service.register_user(
        full_name="Lê Văn Tâm", email="tam@example.vn", phone=None, password="Hoa-sen-2025!", unit_id=None
    )
    assert registration.code_sent is False
    assert (
        db.session.get(User, registration.user.id) is not None
    )  # the account is kept; the code can be resent


def test_registration_creates_an_unverified_account_and_emails_a_code(app):
    user = service.register_user(
        full_name="Lê Thị Mai",
        email="mai@example.vn",
        phone="+84912345678",
        password="Hoa-sen-2025!",
        unit_id=None,
    ).user
    assert not user.is_verified
    assert outbox()[-1].to == ["mai@example.vn"]
    code = latest_code()
    stored = db.session.scalar(select(VerificationCode).where(VerificationCode.user_id == user.id))
    assert code not in stored.code_hash  # only a keyed hash is kept
    service.verify_email(user, code)
    assert db.session.get(User, user.id).verified_via == "email"


def test_the_same_email_or_phone_cannot_register_twice(app):
    make_user(email="an@example.vn", phone="+84912000111")
    with pytest.raises(service.AccountExists) as exc:
        service.register_user(
            full_name="X", email="an@example.vn", phone=None, password="Hoa-sen-2025!", unit_id=None
        )
    assert exc.value.field == "email"
    with pytest.raises(service.AccountExists) as exc:
        service.register_user(
            full_name="X", email=None, phone="+84912000111", password="Hoa-sen-2025!", unit_id=None
        )
    assert exc.value.field == "phone"
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_a_person_on_a_unit_roster_is_verified_member_on_registration(app):
    unit = make_unit("Xã Liên Bạt")
    db.session.add(
        RosterEntry(unit_id=unit.id, full_name="Phạm Văn Dũng", phone="+84987000111", imported_at=clock.now())
    )
    db.session.commit()
    user = service.register_user(
        full_name="Phạm Văn Dũng", email=None, phone="+84987000111", password="Hoa-sen-2025!", unit_id=None
    ).user
    assert user.is_verified and user.verified_via == "roster"
    assert user.unit_id == unit.id and user.unit_confirmed_at is not None


def test_wrong_codes_count_and_lock_after_five_attempts(app):
    user = service.register_user(
        full_name="Lê Mai", email="mai@example.vn", phone=None, password="Hoa-sen-2025!", unit_id=None
    ).user
    code = latest_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(service.CodeProblem) as exc:
            service.verify_email(user, wrong)
        assert exc.value.reason == "wrong"
    with pytest.raises(service.CodeProblem) as exc:
        service.verify_email(user, code)
    assert exc.value.reason == "too_many_attempts"
    assert not db.session.get(User, user.id).is_verified


def test_a_code_expires_after_fifteen_minutes_and_a_new_one_replaces_it(app):
    user = service.register_user(
        full_name="Lê Mai", email="mai@example.vn", phone=None, password="Hoa-sen-2025!", unit_id=None
    ).user
    first = latest_code()
    clock.travel(timedelta(minutes=16))
    with pytest.raises(service.CodeProblem) as exc:
        service.verify_email(user, first)
    assert exc.value.reason == "expired"
    assert service.send_verification_code(user)
    second = latest_code()
    if first != second:
        with pytest.raises(service.CodeProblem):
            service.verify_email(user, first)
    service.verify_email(user, second)
    assert user.is_verified


def test_password_reset_ends_every_session_and_token(app):
    user = make_user(email="an@example.vn")
    token, _row = service.issue_api_token(user)
    version = user.session_version
    service.request_password_reset("AN@example.vn")
    service.reset_password("an@example.vn", latest_code(), "Song-Hong-2026!")
    assert user.session_version == version + 1
    assert service.user_for_token(token) is None
    assert service.authenticate("an@example.vn", "Song-Hong-2026!") == user
    assert service.authenticate("an@example.vn", "Secret-pass-42") is None


def test_reset_for_an_unknown_login_sends_nothing(app):
    service.request_password_reset("nobody@example.vn")
    assert outbox() == []


def test_sign_in_works_with_email_or_phone_in_any_format(app):
    user = make_user(email="an@example.vn", phone="+84912345678")
    assert service.authenticate("An@Example.vn", "Secret-pass-42") == user
    assert service.authenticate("0912 345 678", "Secret-pass-42") == user
    assert service.authenticate("0912 345 678", "wrong-password") is None


def test_expired_api_tokens_are_refused(app):
    user = make_user()
    token, row = service.issue_api_token(user)
    assert service.user_for_token(token) == user
    clock.travel(timedelta(hours=25))
    assert service.user_for_token(token) is None
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 1


def test_email_goes_through_a_real_smtp_server(app, smtp_server):
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    from app.extensions import mail

    mail.init_app(app)
    service.register_user(
        full_name="Đỗ Thu Trang", email="trang@example.vn", phone=None, password="Hoa-sen-2025!", unit_id=None
    )
    code = smtp_server.code_for("trang@example.vn")
    message = smtp_server.for_recipient("trang@example.vn")[-1]
    assert code in message["Subject"]
    user = db.session.scalar(select(User).where(User.email == "trang@example.vn"))
    service.verify_email(user, code)
    assert user.is_verified
