"""Public engagement on a phone: a citizen likes, takes the like back, comments and replies; three
other citizens report the comment and it disappears; an organizer restores it.

Everything happens on 360 px screens in Vietnamese, with the demo's citizens dan1–dan4@demo.vn
(verified, no engagement seeded) and the organizer btc@demo.vn. Assertions rely on data-testids,
URLs and this test's own texts, not on translated labels.
"""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "demo-2025"
PHONE = {"width": 360, "height": 780}


@pytest.fixture
def phone_for(e2e_browser, live_server):
    """Opens a fresh 360 px phone (its own cookies) per person; all closed at the end."""
    contexts = []

    def open_phone():
        context = e2e_browser.new_context(
            base_url=live_server,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


def _count(page) -> int:
    return int(page.get_by_test_id("like-count").get_attribute("data-like-count"))


def _waiting(page) -> int:
    """The number in the moderation queue's "N comments waiting" badge."""
    return int(re.sub(r"\D", "", page.get_by_test_id("queue-size").inner_text()))


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_like_comment_reply_report_and_restore_on_phones(phone_for, e2e_flows, e2e_artifacts_dir):
    text = f"Mô hình rất thiết thực, xã em muốn học tập – {secrets.token_hex(3)}"
    reply_text = f"Cảm ơn bạn, liên hệ bộ phận một cửa nhé – {secrets.token_hex(3)}"

    # A citizen finds an initiative from the gallery.
    citizen = phone_for()
    e2e_flows.sign_in(citizen, "dan1@demo.vn", DEMO_PASSWORD)
    citizen.goto("/sang-kien/")
    with citizen.expect_navigation():
        citizen.get_by_test_id("initiative-card").first.locator("h3 a").click()
    detail_url = citizen.url
    assert re.search(r"/sang-kien/\d+$", detail_url)
    _no_sideways_scroll(citizen)

    # Like: the button answers at once, and the count survives a reload.
    before = _count(citizen)
    button = citizen.get_by_test_id("like-button")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(citizen.get_by_test_id("like-count")).to_have_attribute("data-like-count", str(before + 1))
    citizen.reload()
    assert _count(citizen) == before + 1
    expect(citizen.get_by_test_id("like-button")).to_have_attribute("aria-pressed", "true")

    # Unlike.
    citizen.get_by_test_id("like-button").click()
    expect(citizen.get_by_test_id("like-button")).to_have_attribute("aria-pressed", "false")
    expect(citizen.get_by_test_id("like-count")).to_have_attribute("data-like-count", str(before))
    citizen.reload()
    assert _count(citizen) == before

    # Comment, then reply to it.
    citizen.fill("#comment-body", text)
    e2e_flows.submit_form(citizen, '[data-testid="comment-form"]')
    comment = citizen.get_by_test_id("comment").filter(has_text=text).first
    expect(comment).to_be_visible()
    comment_id = comment.get_attribute("data-comment-id")
    thread = citizen.locator(f'[data-comment-id="{comment_id}"]')
    thread.locator("details:has([data-testid='reply-form']) > summary").first.click()
    thread.get_by_test_id("reply-form").locator("textarea").fill(reply_text)
    e2e_flows.submit_form(citizen, f'[data-comment-id="{comment_id}"] [data-testid="reply-form"]')
    reply = citizen.locator(f'[data-comment-id="{comment_id}"] .comment-replies [data-testid="comment"]')
    expect(reply.filter(has_text=reply_text)).to_have_count(1)
    _no_sideways_scroll(citizen)
    citizen.screenshot(path=str(e2e_artifacts_dir / "engagement-comments-360.png"), full_page=True)

    # Three other citizens report the comment; after the third it is gone from the page.
    for n in (2, 3, 4):
        other = phone_for()
        e2e_flows.sign_in(other, f"dan{n}@demo.vn", DEMO_PASSWORD)
        other.goto(detail_url)
        item = other.locator(f'article[data-comment-id="{comment_id}"]')
        item.locator("details:has([data-testid='report-form']) > summary").first.click()
        form = item.get_by_test_id("report-form").first
        form.locator('input[name="reason"]').first.check()
        e2e_flows.submit_form(other, f'article[data-comment-id="{comment_id}"] [data-testid="report-form"]')
    visitor = phone_for()
    visitor.goto(detail_url)
    expect(visitor.get_by_text(text)).to_have_count(0)
    expect(visitor.get_by_text(reply_text)).to_have_count(1)  # replies stay; their thread shows a placeholder
    expect(
        visitor.locator(f'[data-comment-id="{comment_id}"] [data-testid="comment-placeholder"]')
    ).to_be_visible()

    # The organizer restores it from the moderation queue.
    organizer = phone_for()
    e2e_flows.sign_in(organizer, "btc@demo.vn", DEMO_PASSWORD)
    organizer.goto("/admin/engagement/comments")
    item = organizer.get_by_test_id("moderation-item").filter(has_text=text).first
    expect(item).to_be_visible()
    waiting = _waiting(organizer)
    _no_sideways_scroll(organizer)
    with organizer.expect_navigation():
        item.locator('button[name="decision"][value="restore"]').click()
    assert _waiting(organizer) == waiting - 1

    visitor.reload()
    expect(visitor.get_by_test_id("comment").filter(has_text=text).first).to_be_visible()
