"""The home page on a phone and a desktop: screenshots, no sideways scrolling, a live countdown."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_home_page_screenshots(e2e_page, e2e_artifacts_dir):
    page = e2e_page
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: console_errors.append(f"pageerror: {exc}"))

    # A phone, 360 px wide.
    page.set_viewport_size({"width": 360, "height": 800})
    response = page.goto("/")
    assert response is not None and response.ok
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.wait_for_load_state("load")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, f"the page scrolls sideways on a 360 px phone (scrollWidth={scroll_width})"

    # The countdown is ticking: app.js runs, so the Content-Security-Policy lets our script in.
    countdown = page.locator("[data-countdown]").first
    expect(countdown).to_be_visible()
    before = countdown.inner_text()
    page.wait_for_function(
        "before => document.querySelector('[data-countdown]').textContent.trim() !== before.trim()",
        arg=before,
        timeout=2500,
    )
    expect(countdown).to_have_text(re.compile(r"\d{2}:\d{2}:\d{2}"))

    shot_360 = e2e_artifacts_dir / "home-360.png"
    page.screenshot(path=str(shot_360), full_page=True)

    # A desktop, 1280 px wide.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    expect(page.locator("[data-countdown]").first).to_be_visible()
    shot_1280 = e2e_artifacts_dir / "home-1280.png"
    page.screenshot(path=str(shot_1280), full_page=True)

    for shot in (shot_360, shot_1280):
        assert shot.is_file() and shot.stat().st_size > 0, f"{shot} was not written"

    csp = [e for e in console_errors if "content security policy" in e.lower()]
    assert not csp, f"the Content-Security-Policy blocked something: {csp}"
