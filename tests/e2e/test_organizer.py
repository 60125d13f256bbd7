"""The organizer moves a stage window: a wrong window is refused, a right one is saved and audited."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

ORGANIZER_EMAIL = "btc@demo.vn"
DEMO_PASSWORD = "demo-2025"
FORM = 'main form:has(input[name="final_closes"])'
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> holds


def test_organizer_edits_stage_window(e2e_page, e2e_flows):
    page = e2e_page
    e2e_flows.sign_in(page, ORGANIZER_EMAIL, DEMO_PASSWORD)

    page.goto("/admin/contest/")
    opens_input = page.locator('input[name="final_opens"]')
    closes_input = page.locator('input[name="final_closes"]')
    expect(opens_input).to_have_attribute("type", "datetime-local")
    expect(closes_input).to_have_attribute("type", "datetime-local")
    opens = datetime.strptime(opens_input.input_value(), LOCAL_FORMAT)
    old_closes_value = closes_input.input_value()
    old_closes = datetime.strptime(old_closes_value, LOCAL_FORMAT)
    assert old_closes > opens

    # A final that closes before it opens is refused, with the error on the field.
    too_early = (opens - timedelta(hours=1)).strftime(LOCAL_FORMAT)
    closes_input.fill(too_early)
    e2e_flows.submit_form(page, FORM)
    expect(page.locator("#final_closes-error")).to_be_visible()
    expect(page.locator('input[name="final_closes"]')).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".alert-success")).to_have_count(0)

    # Nothing was saved.
    page.goto("/admin/contest/")
    expect(page.locator('input[name="final_closes"]')).to_have_value(old_closes_value)

    # A later closing time is saved.
    later_value = (old_closes + timedelta(hours=1)).strftime(LOCAL_FORMAT)
    page.locator('input[name="final_closes"]').fill(later_value)
    e2e_flows.submit_form(page, FORM)
    assert re.search(r"/admin/contest/$", page.url), page.url
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(".invalid-feedback")).to_have_count(0)
    expect(page.locator('input[name="final_closes"]')).to_have_value(later_value)

    # The change is in the audit log.
    page.goto("/admin/audit/")
    row = page.locator("table tbody tr").filter(
        has=page.locator("code", has_text=re.compile(r"^stage\.update$"))
    )
    expect(row.first).to_be_visible()
    expect(row.filter(has_text=":final").first).to_be_visible()
