"""Engagement from other platforms and the engagement chart over HTTP: the organizers' upload page
and API, the initiative page's section, and the chart's data for the unit and the organizers."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.auth.service import issue_api_token
from models import AuditEntry, ExternalEngagement, InitiativeStatus, RoleName, db
from tests.conftest import Browser
from tests.factories import make_category, make_contest, make_initiative, make_unit, make_user

NOON_VN = datetime(2025, 5, 20, 5, 0, tzinfo=UTC)  # 12:00 in Vietnam
BROWSER_UA = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126 Mobile Safari"
BOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture
def world(app):
    clock.freeze(NOON_VN)
    contest = make_contest()
    unit = make_unit("Thị trấn Vân Đình", code="UH-VD")
    other_unit = make_unit("Xã Liên Bạt", code="UH-LB")
    category = make_category(contest)
    people = {
        "organizer": make_user(email="btc@example.vn", role=RoleName.ORGANIZER),
        "rep": make_user(email="donvi@example.vn", role=RoleName.UNIT_REP, rep_of=unit),
        "other_rep": make_user(email="lienbat@example.vn", role=RoleName.UNIT_REP, rep_of=other_unit),
        "citizen": make_user(email="dan@example.vn", unit=unit),
    }
    published = make_initiative(contest, unit, category=category, title="Sổ tay đảng viên điện tử")
    draft = make_initiative(contest, unit, category=category, status=InitiativeStatus.DRAFT)
    return {"published": published, "draft": draft, **people}


def signed_in(app, email: str) -> Browser:
    browser = Browser(app.test_client())
    assert browser.login(email).status_code == 302
    return browser


def upload(browser: Browser, content: bytes, filename: str = "tuong-tac.csv"):
    return browser.post_form(
        "/admin/engagement/import",
        {"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def bearer(user) -> dict:
    db.session.rollback()  # a fresh transaction: requests may have written since the last read
    return {"Authorization": f"Bearer {issue_api_token(user)[0]}"}


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


# --- the upload page -----------------------------------------------------------------------------


def test_organizer_imports_a_file_and_sees_a_summary(app, world):
    browser = signed_in(app, "btc@example.vn")
    pid = world["published"].id
    csv_bytes = (
        "\ufeffma_sang_kien;nen_tang;luot_thich;binh_luan;chia_se;thoi_diem;duong_dan\r\n"
        f"{pid};Fanpage;1.234;56;78;19/05/2025 20:30;https://www.facebook.com/unghoa/posts/1\r\n"
        f"{pid};Zalo;310;12;40;19/05/2025 20:30;https://zalo.me/unghoa\r\n"
    ).encode()
    audit_before = count(AuditEntry)
    response = upload(browser, csv_bytes)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/engagement/import")
    page = browser.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "alert-success" in page and "2" in page
    assert count(ExternalEngagement) == 2
    assert count(AuditEntry) == audit_before + 1


def test_a_bad_file_is_refused_with_a_row_by_row_report_and_nothing_stored(app, world):
    browser = signed_in(app, "btc@example.vn")
    pid = world["published"].id
    csv_bytes = (
        "initiative_id,platform,likes,comments,shares,measured_at,source_url\n"
        f"{pid},fanpage,10,1,0,19/05/2025 20:30,https://fb.com/1\n"
        f"{pid},TikTok,-5,1,0,19/05/2025 20:30,javascript:alert(1)\n"
        f"{world['draft'].id},portal,1,1,1,19/05/2025 20:30,\n"
    ).encode()
    response = upload(browser, csv_bytes)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'data-testid="external-errors"' in html
    assert "<td>3</td>" in html and "TikTok" in html and "javascript:alert(1)" in html
    assert "<td>4</td>" not in html  # a draft is refused only once every row reads well
    assert count(ExternalEngagement) == 0

    fixed = csv_bytes.replace(b"TikTok,-5", b"zalo,5").replace(b"javascript:alert(1)", b"")
    response = upload(browser, fixed)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<td>4</td>" in html and "<td>3</td>" not in html
    assert count(ExternalEngagement) == 0


def test_files_that_are_not_utf8_or_too_large_get_a_clear_message(app, world):
    browser = signed_in(app, "btc@example.vn")
    latin = "ma_sang_kien,nen_tang\n1,Khác\n".encode("cp1252")
    response = upload(browser, latin)
    assert response.status_code == 422
    assert "UTF-8" in response.get_data(as_text=True)
    response = upload(browser, b"initiative_id," + b"x" * (1024 * 1024))
    assert response.status_code == 422
    assert "1 MB" in response.get_data(as_text=True)
    response = upload(browser, b"a,b\n", filename="tuong-tac.xlsx")
    assert response.status_code == 422
    assert count(ExternalEngagement) == 0


def test_the_example_file_downloads_and_reads_cleanly(app, world):
    from app.engagement.external import parse_external_csv
    from app.units.roster import decode

    browser = signed_in(app, "btc@example.vn")
    assert "/admin/engagement/import" in browser.client.get("/admin/").get_data(as_text=True)
    response = browser.client.get("/admin/engagement/import/example.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    rows, problems = parse_external_csv(decode(response.data))
    assert problems == [] and len(rows) == 3
    assert b"ma_sang_kien" in response.data and "Cổng thông tin".encode() in response.data


# --- the initiative page ----------------------------------------------------------------------------


def test_the_initiative_page_shows_the_latest_snapshot_per_platform_with_its_source(app, client, world):
    pid = world["published"].id
    assert 'data-testid="external-engagement"' not in client.get(f"/sang-kien/{pid}").get_data(as_text=True)
    headers = bearer(world["organizer"])
    for likes, hours_ago in ((900, 30), (1500, 2)):
        response = client.post(
            "/api/v1/engagement/external",
            json={
                "initiative_id": pid,
                "platform": "fanpage",
                "likes": likes,
                "comments": 3,
                "shares": 4,
                "measured_at": (clock.now() - timedelta(hours=hours_ago)).isoformat(),
                "source_url": f"https://www.facebook.com/unghoa/posts/{likes}?a=1&b=2",
            },
            headers=headers,
        )
        assert response.status_code == 201
    html = client.get(f"/sang-kien/{pid}").get_data(as_text=True)
    assert 'data-testid="external-engagement"' in html
    link = '<a href="https://www.facebook.com/unghoa/posts/1500?a=1&amp;b=2" target="_blank"'
    assert link + ' rel="nofollow noopener">' in html
    assert "posts/900" not in html  # an older snapshot of the same platform is not shown
    assert "1.500" in html  # counts grouped the Vietnamese way
    assert "20/05/2025 10:00" in html  # measured at, in Vietnam time


# --- the API ------------------------------------------------------------------------------------------


def snapshot(pid: int, **changes) -> dict:
    body = {
        "initiative_id": pid,
        "platform": "zalo_oa",
        "likes": 120,
        "comments": 4,
        "shares": 9,
        "measured_at": "2025-05-20T09:30:00+07:00",
        "source_url": "https://zalo.me/unghoa/bai-viet/1",
    }
    body.update(changes)
    return body


def test_api_stores_a_snapshot(app, client, world):
    headers = bearer(world["organizer"])
    pid = world["published"].id
    response = client.post(
        "/api/v1/engagement/external", json=snapshot(pid, platform="Zalo"), headers=headers
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["platform"] == "zalo_oa" and body["likes"] == 120 and body["initiative_id"] == pid
    assert body["measured_at"] == "2025-05-20T09:30:00+07:00"
    assert body["source_url"] == "https://zalo.me/unghoa/bai-viet/1"
    db.session.rollback()
    stored = db.session.get(ExternalEngagement, body["id"])
    assert stored.measured_at == datetime(2025, 5, 20, 2, 30, tzinfo=UTC)
    entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert entry.action == "engagement.external_import" and entry.after["source"] == "api"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"platform": "tiktok"}, "platform"),
        ({"likes": -1}, "likes"),
        ({"shares": "nhiều"}, "shares"),
        ({"measured_at": "2025-05-21T09:30:00+07:00"}, "measured_at"),  # tomorrow
        ({"measured_at": "hôm qua"}, "measured_at"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"source_url": "https://example.vn/" + "a" * 500}, "source_url"),
        ({"comments": None}, "comments"),
    ],
)
def test_api_refuses_bad_input_with_422_naming_the_field(app, client, world, changes, field):
    headers = bearer(world["organizer"])
    response = client.post(
        "/api/v1/engagement/external", json=snapshot(world["published"].id, **changes), headers=headers
    )
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]
    assert count(ExternalEngagement) == 0


def test_api_refuses_missing_fields_drafts_unknown_initiatives_and_non_organizers(app, client, world):
    organizer = bearer(world["organizer"])
    response = client.post("/api/v1/engagement/external", json={}, headers=organizer)
    assert response.status_code == 422
    assert {"initiative_id", "platform", "likes", "measured_at"} <= set(response.json["error"]["fields"])
    response = client.post("/api/v1/engagement/external", json=snapshot(world["draft"].id), headers=organizer)
    assert response.status_code == 422 and "initiative_id" in response.json["error"]["fields"]
    response = client.post("/api/v1/engagement/external", json=snapshot(987_654), headers=organizer)
    assert response.status_code == 404
    for person in ("rep", "citizen"):
        headers = bearer(world[person])
        body = snapshot(world["published"].id)
        assert client.post("/api/v1/engagement/external", json=body, headers=headers).status_code == 403
    assert client.post("/api/v1/engagement/external", json=snapshot(world["published"].id)).status_code == 401
    assert count(ExternalEngagement) == 0


# --- the chart ------------------------------------------------------------------------------------


def test_chart_data_is_for_the_unit_and_the_organizers_only(app, world):
    path = f"/sang-kien/{world['published'].id}/tuong-tac.json"
    for email in ("donvi@example.vn", "btc@example.vn"):
        response = signed_in(app, email).client.get(path)
        assert response.status_code == 200
        assert set(response.json) >= {"labels", "likes", "comments", "views"}
        assert len(response.json["labels"]) == 30 and response.json["labels"][-1] == "20/05"
        assert response.headers["Cache-Control"] == "private, no-store"
    for email in ("dan@example.vn", "lienbat@example.vn"):
        assert signed_in(app, email).client.get(path).status_code == 404
    assert app.test_client().get(path).status_code == 404
    assert app.test_client().get("/sang-kien/987654/tuong-tac.json").status_code == 404


def test_chart_counts_likes_and_comments_of_the_day(app, world):
    from app.engagement import service

    initiative = world["published"]
    service.like_initiative(world["citizen"], initiative)
    service.add_comment(world["citizen"], initiative, "Rất thiết thực!")
    service.add_comment(world["rep"], initiative, "Cảm ơn bạn.")
    data = signed_in(app, "btc@example.vn").client.get(f"/sang-kien/{initiative.id}/tuong-tac.json").json
    assert (data["likes"][-1], data["comments"][-1]) == (1, 2)
    assert sum(data["likes"][:-1]) == sum(data["comments"][:-1]) == 0


def test_the_unit_sees_the_chart_on_the_initiative_and_management_pages_and_citizens_do_not(app, world):
    path = f"/sang-kien/{world['published'].id}"
    html = signed_in(app, "donvi@example.vn").client.get(path).get_data(as_text=True)
    assert f'data-url="/sang-kien/{world["published"].id}/tuong-tac.json"' in html
    assert 'data-testid="engagement-table"' in html and "20/05/2025" in html
    assert "vendor/chart.js/chart.umd.min.js" in html and "js/chart-engagement.js" in html
    rep = signed_in(app, "donvi@example.vn")
    manage = rep.client.get(f"/don-vi/sang-kien/{world['published'].id}").get_data(as_text=True)
    assert 'data-testid="engagement-chart"' in manage and 'data-testid="engagement-table"' in manage
    draft = rep.client.get(f"/don-vi/sang-kien/{world['draft'].id}").get_data(as_text=True)
    assert 'data-testid="engagement-chart"' not in draft
    citizen_html = signed_in(app, "dan@example.vn").client.get(path).get_data(as_text=True)
    assert "tuong-tac.json" not in citizen_html and "chart.umd.min.js" not in citizen_html


def test_views_are_distinct_per_account_and_day_and_bots_do_not_count(app, world):
    pid = world["published"].id
    chart_url = f"/sang-kien/{pid}/tuong-tac.json"
    organizer = signed_in(app, "btc@example.vn")

    def views() -> list[int]:
        return organizer.client.get(chart_url).json["views"]

    citizen = signed_in(app, "dan@example.vn")
    for _ in range(2):
        assert citizen.client.get(f"/sang-kien/{pid}", headers={"User-Agent": BROWSER_UA}).status_code == 200
    bot = signed_in(app, "lienbat@example.vn")
    assert bot.client.get(f"/sang-kien/{pid}", headers={"User-Agent": BOT_UA}).status_code == 200
    assert views()[-1] == 1

    clock.travel(timedelta(days=1))
    assert citizen.client.get(f"/sang-kien/{pid}", headers={"User-Agent": BROWSER_UA}).status_code == 200
    assert views()[-2:] == [1, 1]
