"""The unit's engagement chart in Chromium: drawn by Chart.js from the JSON route, under the CSP
(no inline script or style), with the table fallback, and no sideways scroll on a 360 px phone.

Also checks the "Engagement on other platforms" section with a snapshot recorded for the test.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

pytestmark = pytest.mark.e2e

UNIT_REP_EMAIL = "donvi1@demo.vn"  # represents Thị trấn Vân Đình (UH-VD)
DEMO_PASSWORD = "demo-2025"
PHONE_WIDTH = 360


@pytest.fixture
def published_of_the_unit(live_app):
    """A published initiative of Vân Đình, with one fanpage snapshot recorded by the organizer."""
    from app import clock
    from app.engagement import external_service
    from app.engagement.external import ExternalRow
    from models import Initiative, InitiativeStatus, Unit, User, db

    with live_app.app_context():
        initiative = db.session.scalar(
            select(Initiative)
            .join(Unit, Unit.id == Initiative.unit_id)
            .where(Unit.code == "UH-VD", Initiative.status == InitiativeStatus.PUBLISHED)
            .order_by(Initiative.id)
            .limit(1)
        )
        assert initiative is not None, "the demo has no published initiative of Vân Đình"
        organizer = db.session.scalar(select(User).where(User.email == "btc@demo.vn"))
        row = ExternalRow(
            line=1,
            initiative_id=initiative.id,
            platform="fanpage",
            likes=1234,
            comments=56,
            shares=78,
            measured_at=clock.now() - timedelta(hours=3),
            source_url=f"https://www.facebook.com/unghoa/posts/e2e-{initiative.id}",
        )
        external_service.import_external(organizer, [row])
        return initiative.id


def test_unit_rep_sees_the_engagement_chart_drawn_without_csp_errors(
    e2e_page, e2e_flows, published_of_the_unit
):
    page = e2e_page
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))

    e2e_flows.sign_in(page, UNIT_REP_EMAIL, DEMO_PASSWORD)
    with page.expect_response(
        lambda r: r.url.endswith(f"/sang-kien/{published_of_the_unit}/tuong-tac.json")
    ) as info:
        page.goto(f"/sang-kien/{published_of_the_unit}")
    assert info.value.status == 200

    canvas = page.locator("canvas.engagement-chart")
    expect(canvas).to_have_attribute("data-state", "drawn")
    assert page.evaluate(
        "() => Boolean(window.Chart && Chart.getChart(document.querySelector('canvas.engagement-chart')))"
    )
    datasets = page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas.engagement-chart'))"
        ".data.datasets.map(d => d.data.length)"
    )
    assert datasets == [30, 30, 30]
    painted = page.evaluate(
        """() => {
            const c = document.querySelector('canvas.engagement-chart');
            const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) { n++; } }
            return {n, width: c.width, height: c.height};
        }"""
    )
    assert painted["width"] > 0 and painted["height"] > 0
    assert painted["n"] > 500, f"the canvas is (almost) blank: {painted}"

    # The same numbers as a table, for screen readers and for anyone without JavaScript.
    table = page.get_by_test_id("engagement-table")
    expect(table.locator("tbody tr")).to_have_count(30)

    # The snapshot from the district's fanpage, linked without passing on the page's rank or opener.
    link = page.get_by_test_id("external-engagement").locator("a[href*='e2e-']")
    expect(link).to_have_attribute("rel", "nofollow noopener")

    # A 360 px phone: redrawn to the narrow width, nothing scrolls sideways.
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 780})
    page.reload()
    expect(page.locator("canvas.engagement-chart")).to_have_attribute("data-state", "drawn")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the page scrolls sideways at {PHONE_WIDTH} px (scrollWidth={width})"
    canvas_width = page.evaluate(
        "document.querySelector('canvas.engagement-chart').getBoundingClientRect().width"
    )
    assert 0 < canvas_width <= PHONE_WIDTH

    assert problems == [], problems
    assert not [u for u in failed if "/static/" in u], failed
