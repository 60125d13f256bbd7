"""The citizen's first visit: register, verify by email, sign in with the phone, switch language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DEMO_CONTEST_NAME = "Chuyển đổi số – Vững bước tiến vào kỷ nguyên mới"


def test_citizen_journey(e2e_page, e2e_flows, live_smtp):
    page = e2e_page
    citizen = e2e_flows.new_citizen("E2E")

    # The home page is in Vietnamese and shows the running contest.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1, name=DEMO_CONTEST_NAME)).to_be_visible()
    expect(page.locator('nav a[href="/auth/login"]')).to_have_text("Đăng nhập")

    # Register from the menu.
    page.locator('nav a[href="/auth/register"]').click()
    page.wait_for_url(re.compile(r"/auth/register$"))
    e2e_flows.register(page, citizen)
    expect(page.locator(".alert").filter(has_text=citizen.email)).to_be_visible()

    # The code arrives by email (real SMTP) and verifies the account.
    mail = live_smtp.wait_for_message(citizen.email)
    assert mail.rcpt_tos == [citizen.email]
    assert citizen.full_name in mail.body, "the email greets the person by name (UTF-8 decoded)"
    code = live_smtp.wait_for_code(citizen.email)
    page.fill('input[name="code"]', code)
    e2e_flows.submit_form(page, 'main form:has(input[name="code"])')
    assert "/auth/verify" not in page.url, f"the right code was refused: {e2e_flows.form_errors(page)}"
    expect(page.locator(".alert-success")).to_be_visible()

    # The profile shows the verified badge.
    page.get_by_test_id("profile-link").click()
    page.wait_for_url(re.compile(r"/auth/profile$"))
    expect(page.locator("dl .badge.text-bg-success")).to_be_visible()
    expect(page.locator('dl a[href="/auth/verify"]')).to_have_count(0)

    # Sign out, then sign in again with the phone number typed with spaces.
    e2e_flows.sign_out(page)
    expect(page.get_by_test_id("profile-link")).to_have_count(0)
    e2e_flows.sign_in(page, citizen.phone_typed, citizen.password)
    expect(page.get_by_test_id("profile-link")).to_have_text(citizen.full_name)

    # English, then back to Vietnamese; the session survives both switches.
    with page.expect_navigation():
        page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("logout")).to_have_text("Sign out")
    expect(page.get_by_test_id("lang-vi")).to_be_visible()

    with page.expect_navigation():
        page.get_by_test_id("lang-vi").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_test_id("logout")).to_have_text("Đăng xuất")
    expect(page.get_by_test_id("profile-link")).to_have_text(citizen.full_name)
    expect(page.get_by_test_id("lang-en")).to_be_visible()

    # Signed out: the sign-in and register links are back.
    e2e_flows.sign_out(page)
    expect(page.locator('a[href="/auth/register"]').first).to_be_visible()
    expect(page.locator('nav a[href="/auth/login"]')).to_be_visible()
    expect(page.get_by_test_id("logout")).to_have_count(0)
