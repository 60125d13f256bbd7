"""An initiative from the unit to a citizen's phone.

The organizer reopens submission, the unit representative of Thị trấn Vân Đình writes and
submits an initiative with a geotagged photo, the organizer publishes it, and an anonymous
citizen finds it on a 360 px phone by typing without diacritics. The photo the public gets
is a JPEG with no EXIF at all (the GPS position of the original is gone).

Assertions rely on selectors, URLs, data-testids, demo data and this test's own texts, not on
translated labels (the catalogs change under us).
"""

from __future__ import annotations

import contextlib
import io
import random
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import ExifTags, Image, ImageDraw
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

ORGANIZER_EMAIL = "btc@demo.vn"
DEMO_PASSWORD = "demo-2025"
UNIT_REP_EMAIL = "donvi1@demo.vn"
UNIT_NAME = "Thị trấn Vân Đình"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> holds
PHONE_WIDTH = 360

# The field the organizer makes sure exists, so the journey does not depend on the demo's list of fields
# (the committed demo seeds none; the demo initiatives being added bring six).
FIELD_NAME = "Xây dựng Đảng số"
FIELD_NAME_EN = "Digital Party building"

CONTEST_FORM = 'main form:has(input[name="submission_closes"])'
FIELD_FORM = 'main form:has(input[name="name"])'  # the "new field" form; the edit forms are prefixed
INITIATIVE_FORM = '[data-testid="initiative-form"]'
REVIEW_FORM = 'main form:has(select[name="decision"])'

# Vân Đình, Ứng Hòa: where the unit's phone took the picture.
GPS_LATITUDE = (20.0, 43.0, 32.4)
GPS_LONGITUDE = (105.0, 46.0, 12.6)


def _geotagged_jpeg(path, width: int = 2000, height: int = 1500) -> None:
    """A phone-camera-like JPEG: a drawn 'app screen' on a gradient, with camera and GPS EXIF."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 10):
        shade = 60 + 120 * y // height
        draw.rectangle([0, y, width, y + 10], fill=(200, shade, 40))  # the red-gold of a poster
    draw.rounded_rectangle(
        [700, 150, 1300, 1350], radius=60, fill=(250, 250, 250), outline=(30, 30, 30), width=12
    )
    for row in range(8):
        draw.rectangle([760, 260 + row * 130, 1240, 350 + row * 130], fill=(20 + 25 * row, 90, 180))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Samsung"
    exif[ExifTags.Base.Model] = "Galaxy A15"
    exif[ExifTags.Base.DateTime] = "2025:05:12 09:30:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = GPS_LONGITUDE
    image.save(path, "JPEG", exif=exif, quality=90)


def _no_sideways_scroll(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{what} scrolls sideways on a {PHONE_WIDTH} px phone (scrollWidth={width})"


def _wait_image_loaded(page, img) -> None:
    """The <img> decoded real pixels (lazy images are scrolled to first)."""
    img.scroll_into_view_if_needed()
    handle = img.element_handle()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=handle)


def _ensure_field(page, flows) -> None:
    """The organizer makes sure the initiative field exists (units must pick one to submit)."""
    page.goto("/admin/initiatives/fields/")
    existing = page.locator('main input[name$="-name"]')
    if FIELD_NAME in [existing.nth(i).input_value() for i in range(existing.count())]:
        return
    page.fill(f'{FIELD_FORM} input[name="name"]', FIELD_NAME)
    page.fill(f'{FIELD_FORM} input[name="name_en"]', FIELD_NAME_EN)
    expect(page.locator(f'{FIELD_FORM} input[name="active"]')).to_be_checked()
    flows.submit_form(page, FIELD_FORM)
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(f'main input[name$="-name"][value="{FIELD_NAME}"]')).to_have_count(1)


@pytest.fixture
def phone_page(request, e2e_browser, live_server, e2e_artifacts_dir):
    """An anonymous visitor's phone: 360 × 780, touch, Vietnamese; a screenshot on failure."""
    context = e2e_browser.new_context(
        base_url=live_server,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": PHONE_WIDTH, "height": 780},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(15_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "e2e_report_call", None)
    if report is not None and report.failed and not page.is_closed():
        with contextlib.suppress(Exception):
            page.screenshot(
                path=str(e2e_artifacts_dir / "failure-initiative-journey-phone.png"), full_page=True
            )
    context.close()


def test_unit_submits_organizer_publishes_citizen_finds_it_on_a_phone(
    e2e_page, phone_page, e2e_flows, e2e_artifacts_dir, tmp_path
):
    page = e2e_page
    flows = e2e_flows
    token = f"{random.randrange(16**6):06x}"  # keeps the title unique whatever the demo seeds
    title = f"Sổ tay đảng viên điện tử thị trấn Vân Đình {token}"
    summary = (
        "Ứng dụng trên điện thoại giúp đảng viên thị trấn Vân Đình tra cứu văn bản, lịch sinh hoạt chi bộ "
        "và nộp đảng phí trực tuyến, thay cho sổ ghi chép giấy."
    )

    # 1. The organizer reopens submission for a few more days (Vietnam local time).
    flows.sign_in(page, ORGANIZER_EMAIL, DEMO_PASSWORD)
    page.goto("/admin/contest/")
    closes_input = page.locator('input[name="submission_closes"]')
    expect(closes_input).to_have_attribute("type", "datetime-local")
    old_closes = datetime.strptime(closes_input.input_value(), LOCAL_FORMAT).replace(tzinfo=VIETNAM)
    assert old_closes < datetime.now(VIETNAM), "the demo's submission window should be closed already"
    new_closes = (datetime.now(VIETNAM) + timedelta(days=3)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    closes_input.fill(new_closes.strftime(LOCAL_FORMAT))
    flows.submit_form(page, CONTEST_FORM)
    assert re.search(r"/admin/contest/$", page.url), f"not back on the contest page: {page.url}"
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(".invalid-feedback")).to_have_count(0)
    expect(page.locator('input[name="submission_closes"]')).to_have_value(new_closes.strftime(LOCAL_FORMAT))

    # The units need a field to file their initiative under.
    _ensure_field(page, flows)
    flows.sign_out(page)

    # 2. The unit representative writes the initiative, with a geotagged photo, and submits it.
    photo = tmp_path / "so-tay-dang-vien.jpg"
    _geotagged_jpeg(photo)
    with Image.open(photo) as original:  # the upload really carries a position to strip
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo).get(ExifTags.GPS.GPSLatitude) == GPS_LATITUDE

    flows.sign_in(page, UNIT_REP_EMAIL, DEMO_PASSWORD)
    page.locator('nav a[href="/don-vi/sang-kien/"]').click()
    page.wait_for_url(re.compile(r"/don-vi/sang-kien/$"))
    with page.expect_navigation(wait_until="load"):
        page.get_by_test_id("new-initiative").click()
    assert re.search(r"/don-vi/sang-kien/moi$", page.url), page.url

    form = page.locator(INITIATIVE_FORM)
    unit_option = form.locator('select[name="unit_id"] option', has_text=UNIT_NAME)
    expect(unit_option).to_have_count(1)
    form.locator('select[name="unit_id"]').select_option(value=unit_option.get_attribute("value"))
    form.locator('input[name="title"]').fill(title)
    form.locator('textarea[name="summary"]').fill(summary)
    form.locator('select[name="category_id"]').select_option(label=FIELD_NAME)
    form.locator('textarea[name="problem"]').fill(
        "Hơn 600 đảng viên của 18 chi bộ nhận văn bản bằng giấy, thường chậm vài ngày; việc thu đảng phí "
        "ghi tay, dễ nhầm lẫn."
    )
    form.locator('textarea[name="solution"]').fill(
        "Đảng ủy thị trấn đưa vào sử dụng sổ tay điện tử: văn bản, nghị quyết và lịch sinh hoạt được gửi "
        "ngay tới điện thoại; đảng phí nộp qua ngân hàng, có biên nhận."
    )
    form.locator('textarea[name="results"]').fill(
        "Sau 6 tháng, 92% đảng viên dùng thường xuyên; văn bản đến tay trong ngày thay vì 3–5 ngày; "
        "tiết kiệm khoảng 12 triệu đồng tiền in ấn mỗi năm."
    )
    form.locator('input[name="contact_name"]').fill("Trần Văn Hùng")
    form.locator('input[name="contact_phone"]').fill("0912 000 011")
    form.locator('input[name="images"]').set_input_files(str(photo))
    flows.submit_form(page, INITIATIVE_FORM)

    match = re.search(r"/don-vi/sang-kien/(\d+)$", page.url)
    assert match, f"the draft was not saved (at {page.url}); errors: {flows.form_errors(page)}"
    initiative_id = int(match.group(1))
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("h1")).to_have_text(title)
    status = page.get_by_test_id("status")
    expect(status).to_have_class(re.compile(r"\bstatus-draft\b"))
    thumbnail = page.locator(f'{INITIATIVE_FORM} img[src*="/tep/anh/"][src$="/thumb.jpg"]')
    expect(thumbnail).to_have_count(1)
    _wait_image_loaded(page, thumbnail)
    expect(page.get_by_test_id("missing")).to_have_count(0)

    submit_button = page.get_by_test_id("submit-initiative")
    expect(submit_button).to_be_enabled()
    with page.expect_navigation(wait_until="load"):
        submit_button.click()
    assert re.search(rf"/don-vi/sang-kien/{initiative_id}$", page.url), page.url
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_class(re.compile(r"\bstatus-submitted\b"))
    expect(page.locator(INITIATIVE_FORM)).to_have_count(0)  # locked once submitted
    flows.sign_out(page)

    # Not public yet: an anonymous visitor gets 404 for the page.
    response = phone_page.goto(f"/sang-kien/{initiative_id}")
    assert response is not None and response.status == 404, "a submitted initiative must not be public yet"

    # 3. The organizer finds it in the review queue and publishes it.
    flows.sign_in(page, ORGANIZER_EMAIL, DEMO_PASSWORD)
    page.goto("/admin/initiatives/")
    item = page.get_by_test_id("queue-item").filter(has_text=title)
    expect(item).to_have_count(1)
    expect(item.locator(".badge")).to_have_class(re.compile(r"\bstatus-submitted\b"))
    expect(item).to_contain_text(UNIT_NAME)
    with page.expect_navigation(wait_until="load"):
        item.locator(f'a[href="/admin/initiatives/{initiative_id}"]').click()
    expect(page.locator("h1")).to_have_text(title)
    page.locator('select[name="decision"]').select_option("publish")
    flows.submit_form(page, REVIEW_FORM)
    assert re.search(r"/admin/initiatives/$", page.url), (
        f"the decision was not recorded (at {page.url}); errors: {flows.form_errors(page)}"
    )
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("queue-item").filter(has_text=title)).to_have_count(0)  # left the queue
    flows.sign_out(page)

    # 4. A citizen on a phone searches without diacritics and finds it.
    phone = phone_page
    problems: list[str] = []
    phone.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    phone.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error" and "content security policy" in msg.text.lower()
            else None
        ),
    )
    phone.goto("/sang-kien/")
    search = phone.locator('input[name="q"]')
    search.tap()
    search.press_sequentially(f"so tay dang vien dien tu {token}")
    with phone.expect_navigation(wait_until="load"):
        search.press("Enter")
    assert "q=" in phone.url, phone.url
    expect(search).to_have_value(f"so tay dang vien dien tu {token}")

    cards = phone.get_by_test_id("initiative-card")
    expect(cards).to_have_count(1)
    card = cards.first
    expect(card.locator("h3")).to_have_text(title)
    expect(card).to_contain_text(UNIT_NAME)
    # The field is named in the page's language (Vietnamese here).
    expect(card.locator("p.text-primary")).to_have_text(re.compile(rf"^\s*{FIELD_NAME}\s*$"))
    card_img = card.locator("img")
    expect(card_img).to_have_count(1)
    _wait_image_loaded(phone, card_img)
    _no_sideways_scroll(phone, "the gallery")
    phone.screenshot(path=str(e2e_artifacts_dir / "initiatives-gallery-360.png"), full_page=True)

    with phone.expect_navigation(wait_until="load"):
        card.locator(f'h3 a[href="/sang-kien/{initiative_id}"]').tap()
    assert re.search(rf"/sang-kien/{initiative_id}$", phone.url), phone.url
    expect(phone.locator("h1")).to_have_text(title)
    expect(phone.locator("article header strong")).to_have_text(UNIT_NAME)
    expect(phone.locator("main")).to_contain_text("92% đảng viên dùng thường xuyên")
    share = phone.locator(".share")
    expect(share.locator('a[href^="https://www.facebook.com/sharer/sharer.php?u="]')).to_be_visible()
    expect(share.locator('[data-share="native"]')).to_be_visible()
    expect(share.locator('[data-share="copy"]')).to_be_visible()
    expect(share).to_have_attribute("data-share-url", re.compile(rf"/sang-kien/{initiative_id}$"))
    expect(phone.locator('meta[property="og:title"]')).to_have_attribute("content", title)
    expect(phone.locator('meta[property="og:description"]')).to_have_attribute("content", summary)
    expect(phone.locator('meta[property="og:url"]')).to_have_attribute(
        "content", re.compile(rf"^https?://[^/]+/sang-kien/{initiative_id}$")
    )
    og_image = phone.locator('meta[property="og:image"]')
    expect(og_image).to_have_attribute(
        "content", re.compile(r"^https?://[^/]+/tep/anh/[0-9a-f]+/display\.jpg$")
    )
    main_img = phone.locator('article section img[src$="/display.jpg"]').first
    _wait_image_loaded(phone, main_img)
    _no_sideways_scroll(phone, "the initiative page")
    phone.screenshot(path=str(e2e_artifacts_dir / "initiative-detail-360.png"), full_page=True)
    assert not problems, f"errors in the browser: {problems}"

    # 5. The picture the public gets is a re-encoded JPEG without any EXIF (no GPS).
    image_url = og_image.get_attribute("content")
    assert main_img.get_attribute("src") in image_url, "the page shows the picture it shares"
    response = phone.request.get(image_url)
    assert response.ok, f"{image_url} answered {response.status}"
    assert response.headers["content-type"].startswith("image/jpeg")
    data = response.body()
    with Image.open(io.BytesIO(data)) as served:
        assert served.format == "JPEG"
        assert served.size == (1600, 1200), f"not the 1600 px display size: {served.size}"
        assert "exif" not in served.info, "the served picture still carries an EXIF block"
        assert len(served.getexif()) == 0
        assert not served.getexif().get_ifd(ExifTags.IFD.GPSInfo), "the GPS position was not stripped"
    assert b"Exif\x00\x00" not in data and b"Galaxy A15" not in data

    for shot in ("initiatives-gallery-360.png", "initiative-detail-360.png"):
        path = e2e_artifacts_dir / shot
        assert path.is_file() and path.stat().st_size > 0, f"{path} was not written"


def test_card_field_name_is_vietnamese_on_a_vietnamese_page(e2e_page, live_app):
    """A published initiative's card names its field in the page's language (Vietnamese here)."""
    from sqlalchemy import select

    from app.contest.service import current_contest
    from models import Unit, User, db
    from tests.factories import make_category, make_initiative

    token = f"{random.randrange(16**6):06x}"
    with live_app.app_context():
        contest = current_contest()
        category = make_category(contest, name=f"Chính quyền số {token}", slug=f"e2e-{token}")
        make_initiative(
            contest,
            db.session.scalar(select(Unit).where(Unit.code == "UH-VD")),
            title=f"Một cửa điện tử {token}",
            category=category,
            author=db.session.scalar(select(User).where(User.email == ORGANIZER_EMAIL)),
        )
        db.session.remove()

    page = e2e_page
    page.goto(f"/sang-kien/?q={token}")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    card = page.get_by_test_id("initiative-card")
    expect(card).to_have_count(1)
    expect(card.locator("p.text-primary")).to_have_text(f"Chính quyền số {token}", timeout=2_000)
