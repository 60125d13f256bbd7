"""Accounts over HTTP: register, verify, sign in by email or phone, profile, password, throttling."""

import pytest
from sqlalchemy import select

from app.users import service as user_service
from models import RoleName, User, db
from tests.factories import PASSWORD, make_contest, make_unit, make_user

GOOD = "Hoa-sen-2025!"


def register(browser, **fields):
    data = {
        "full_name": "Phạm Thu Hà",
        "email": "ha@example.vn",
        "phone": "",
        "unit_id": "",
        "password": GOOD,
        "confirm": GOOD,
    }
    data.update(fields)
    return browser.post_form("/auth/register", data)


def test_citizen_registers_verifies_and_signs_in_with_phone(app, client, browser, outbox):
    unit = make_unit("Xã Phương Tú", code="UH-PT")
    response = register(browser, phone="0912 345 678", unit_id=str(unit.id))
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/verify")
    page = client.get("/auth/verify").get_data(as_text=True)
    assert "ha@example.vn" in page
    response = browser.post_form("/auth/verify", {"code": outbox.code_for("ha@example.vn")})
    assert response.status_code == 302
    db.session.rollback()  # end the test's read snapshot; see what the requests wrote
    user = db.session.scalar(select(User).where(User.email == "ha@example.vn"))
    assert user.is_verified and user.phone == "+84912345678" and user.unit_id == unit.id
    browser.logout()
    assert client.get("/auth/profile").status_code == 302
    assert browser.login("0912 345 678", GOOD).status_code == 302
    profile = client.get("/auth/profile").get_data(as_text=True)
    assert "Phạm Thu Hà" in profile and "0912 345 678" in profile


@pytest.mark.parametrize(
    "fields, field_error",
    [
        ({"email": "", "phone": ""}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "12345"}, "phone"),
        ({"password": "12345678", "confirm": "12345678"}, "password"),
        ({"password": "short", "confirm": "short"}, "password"),
        ({"confirm": "something-else"}, "confirm"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_bad_registrations_get_a_form_error_and_keep_the_input(app, browser, fields, field_error):
    response = register(browser, **fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field_error}-error"' in html
    assert "Phạm Thu Hà" in html or field_error == "full_name"  # what was typed is kept
    assert db.session.scalar(select(User)) is None


def test_registering_an_existing_email_says_so(app, browser):
    make_user(email="ha@example.vn")
    response = register(browser)
    assert response.status_code == 422
    assert 'id="email-error"' in response.get_data(as_text=True)


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(app, browser):
    make_user(email="an@example.vn")
    response = browser.login("an@example.vn", "wrong-password")
    assert response.status_code == 422
    other = browser.login("nobody@example.vn", "wrong-password")
    assert other.status_code == 422
    assert 'id="login-error"' in response.get_data(as_text=True)


def test_login_is_throttled_per_account(app, browser):
    make_user(email="an@example.vn")
    statuses = [browser.login("an@example.vn", "wrong-password").status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]
    # Another account from the same address is not locked out by that.
    make_user(email="binh@example.vn")
    assert browser.login("binh@example.vn", PASSWORD).status_code == 302


@pytest.mark.parametrize("app_overrides", [{"REGISTER_LIMIT_PER_IP": "3/hour"}])
def test_registration_is_throttled_per_address(app, browser):
    statuses = [register(browser, email="not-an-email").status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    assert db.session.scalar(select(User)) is None


def test_resetting_a_forgotten_password(app, client, browser, outbox):
    user = make_user(email="an@example.vn", phone="+84912000222")
    response = browser.post_form("/auth/forgot", {"login": "0912 000 222"})
    assert response.status_code == 302
    code = outbox.code_for("an@example.vn")
    response = browser.post_form(
        "/auth/reset",
        {"login": "an@example.vn", "code": code, "password": "Song-Hong-2026!", "confirm": "Song-Hong-2026!"},
    )
    assert response.status_code == 302
    browser.logout()
    assert browser.login("an@example.vn", PASSWORD).status_code == 422
    assert browser.login("an@example.vn", "Song-Hong-2026!").status_code == 302
    db.session.rollback()  # end the test's read snapshot; see what the requests wrote
    assert db.session.get(User, user.id).session_version == 2


def test_forgot_password_does_not_reveal_whether_an_account_exists(app, browser):
    make_user(email="an@example.vn")
    known = browser.post_form("/auth/forgot", {"login": "an@example.vn"}, follow_redirects=True)
    unknown = browser.post_form("/auth/forgot", {"login": "ghost@example.vn"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    flash = "alert-info"
    assert flash in known.get_data(as_text=True) and flash in unknown.get_data(as_text=True)


def test_profile_edit_and_password_change(app, client, browser):
    user = make_user(email="an@example.vn")
    unit = make_unit("Xã Viên An", code="UH-VA")
    browser.login("an@example.vn")
    response = browser.post_form(
        "/auth/profile",
        {"full_name": "Nguyễn Văn Ân", "phone": "0987 654 321", "unit_id": str(unit.id), "locale": "en"},
    )
    assert response.status_code == 302
    db.session.rollback()  # end the test's read snapshot; see what the requests wrote
    user = db.session.get(User, user.id)
    assert (user.full_name, user.phone, user.unit_id, user.locale) == (
        "Nguyễn Văn Ân",
        "+84987654321",
        unit.id,
        "en",
    )
    assert 'lang="en"' in client.get("/").get_data(as_text=True)
    wrong = browser.post_form(
        "/auth/password",
        {"pw-current": "nope", "pw-password": "Song-Hong-2026!", "pw-confirm": "Song-Hong-2026!"},
        token_from="/auth/profile",
    )
    assert wrong.status_code == 422
    ok = browser.post_form(
        "/auth/password",
        {"pw-current": PASSWORD, "pw-password": "Song-Hong-2026!", "pw-confirm": "Song-Hong-2026!"},
        token_from="/auth/profile",
    )
    assert ok.status_code == 302
    assert client.get("/auth/profile").status_code == 200  # this session continues


def test_a_deactivated_users_session_and_token_stop_working_at_once(app, client, browser):
    organizer = make_user(role=RoleName.ORGANIZER)
    user = make_user(email="an@example.vn")
    browser.login("an@example.vn")
    token = client.post("/api/v1/tokens", json={"login": "an@example.vn", "password": PASSWORD}).json["token"]
    assert client.get("/auth/profile").status_code == 200
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    user_service.deactivate_user(organizer, db.session.get(User, user.id), "tài khoản ảo")
    response = client.get("/auth/profile")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert browser.login("an@example.vn").status_code == 422


def test_signing_in_starts_a_new_session(app, client, browser):
    make_user(email="an@example.vn")
    client.get("/auth/login")
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
        before = dict(session)
    browser.login("an@example.vn")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != before.get("csrf_token")


def test_unverified_accounts_can_browse_but_are_sent_to_verify(app, client, browser):
    make_contest()
    make_user(email="an@example.vn", verified=False)
    browser.login("an@example.vn")
    assert client.get("/").status_code == 200
    html = client.get("/").get_data(as_text=True)
    assert 'data-step="verify_account"' in html
