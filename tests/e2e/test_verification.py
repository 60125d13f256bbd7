"""A wrong code does not verify an account, and an unverified citizen cannot open the administration."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

pytestmark = pytest.mark.e2e


def test_wrong_code_is_refused_and_unverified_user_cannot_open_admin(
    e2e_page, e2e_flows, live_smtp, live_app
):
    page = e2e_page
    citizen = e2e_flows.new_citizen("Sai mã")
    e2e_flows.register(page, citizen)

    real_code = live_smtp.wait_for_code(citizen.email)
    wrong_code = "111111" if real_code == "000000" else "000000"
    page.fill('input[name="code"]', wrong_code)
    e2e_flows.submit_form(page, 'main form:has(input[name="code"])')

    # Refused on the form itself.
    assert page.url.split("?")[0].endswith("/auth/verify"), page.url
    expect(page.locator("#code-error")).to_be_visible()
    expect(page.locator('input[name="code"]')).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".alert-success")).to_have_count(0)

    # Still unverified: in the profile and in the database.
    page.goto("/auth/profile")
    expect(page.locator('dl a[href="/auth/verify"]')).to_be_visible()
    expect(page.locator("dl .badge.text-bg-success")).to_have_count(0)
    with live_app.app_context():
        from models import User, db

        user = db.session.scalar(select(User).where(User.email == citizen.email))
        assert user is not None and user.verified_at is None
        db.session.remove()

    # The administration is closed to this citizen.
    response = page.goto("/admin/")
    assert response is not None and response.status == 403
    expect(page.locator(".error-page")).to_contain_text("403")
    expect(page.locator('nav a[href="/admin/"]')).to_have_count(0)
