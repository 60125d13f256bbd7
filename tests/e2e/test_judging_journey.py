"""Judging end to end: a judge scores two initiatives on a phone; the organizer runs the ranking,
moves α in the what-if control and publishes; the public results page lists the finalists.

In Vietnamese, with the demo's judge bgk2@demo.vn (whose demo reviews leave some initiatives to
score) and the organizer btc@demo.vn. Assertions rely on data-testids and URLs.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "demo-2025"
PHONE = {"width": 360, "height": 780}


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def _open_phone(e2e_browser, live_server):
    context = e2e_browser.new_context(
        base_url=live_server,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    return context


def _score_one(page, flows, initiative_id: str, fraction: float) -> None:
    page.goto(f"/cham-diem/{initiative_id}")
    _no_sideways_scroll(page)
    inputs = page.locator('[data-testid^="score-"]')
    count = inputs.count()
    assert count == 5, f"expected the five default criteria, found {count}"
    for n in range(count):
        field = inputs.nth(n)
        top = float(field.get_attribute("max"))
        field.fill(f"{round(top * fraction, 1):g}")
    page.fill('textarea[name="note"]', "Mô hình thiết thực, cần số liệu hiệu quả cụ thể hơn.")
    with page.expect_navigation(wait_until="load"):
        page.get_by_test_id("submit-review").click()
    assert "/cham-diem/" in page.url, flows.form_errors(page)


def test_judge_scores_organizer_publishes_public_sees_finalists(
    e2e_browser, live_server, e2e_flows, e2e_artifacts_dir
):
    judge_context = _open_phone(e2e_browser, live_server)
    try:
        page = judge_context.new_page()
        e2e_flows.sign_in(page, "bgk2@demo.vn", DEMO_PASSWORD)
        page.goto("/cham-diem/")
        _no_sideways_scroll(page)
        row = '[data-testid^="assignment-"]'
        open_rows = page.locator(f'{row}[data-status="todo"], {row}[data-status="draft"]')
        assert open_rows.count() >= 2, "the demo should leave bgk2 at least two initiatives to score"
        targets = [re.sub(r"\D", "", open_rows.nth(n).get_attribute("data-testid")) for n in range(2)]
        page.screenshot(path=str(e2e_artifacts_dir / "judging-assignments-360.png"), full_page=True)
        _score_one(page, e2e_flows, targets[0], 0.9)
        page.screenshot(path=str(e2e_artifacts_dir / "judging-review-360.png"), full_page=True)
        _score_one(page, e2e_flows, targets[1], 0.6)
        page.goto("/cham-diem/")
        for initiative_id in targets:
            expect(page.get_by_test_id(f"assignment-{initiative_id}")).to_have_attribute(
                "data-status", "submitted"
            )
    finally:
        judge_context.close()

    organizer = e2e_browser.new_context(base_url=live_server, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    organizer.set_default_timeout(15_000)
    try:
        page = organizer.new_page()
        e2e_flows.sign_in(page, "btc@demo.vn", DEMO_PASSWORD)
        page.goto("/admin/judging/runs")
        with page.expect_navigation(wait_until="load"):
            page.locator('form[action$="/admin/judging/runs"] [type="submit"]').first.click()
        assert re.search(r"/admin/judging/runs/\d+$", page.url), page.url
        run_url = page.url
        expect(page.locator("table tbody tr").first).to_be_visible()
        page.get_by_test_id("alpha-input").fill("0.2")
        with page.expect_navigation(wait_until="load"):
            page.get_by_test_id("alpha-apply").click()
        assert "alpha=0.2" in page.url
        expect(page.get_by_test_id("what-if-entered")).to_be_attached()
        expect(page.get_by_test_id("what-if-left")).to_be_attached()
        page.goto(run_url)
        page.once("dialog", lambda dialog: dialog.accept())
        with page.expect_navigation(wait_until="load"):
            page.get_by_test_id("publish-run").click()
        page.screenshot(path=str(e2e_artifacts_dir / "judging-run-published.png"), full_page=True)
    finally:
        organizer.close()

    public = _open_phone(e2e_browser, live_server)
    try:
        page = public.new_page()
        page.goto("/ket-qua/")
        _no_sideways_scroll(page)
        finalists = page.locator('[data-testid^="finalist-"]')
        expect(finalists.first).to_be_visible()
        assert finalists.count() == 10
        page.screenshot(path=str(e2e_artifacts_dir / "results-360.png"), full_page=True)
        page.goto("/ket-qua/phuong-phap")
        expect(page.locator("h1, h2").first).to_be_visible()
        assert "Điểm chuyên môn" in page.content()
    finally:
        public.close()
