"""Pages over HTTP: the home page timeline, and the organizer's contest, unit, roster and people pages."""

import io
from datetime import timedelta

from sqlalchemy import func, select

from app import clock
from models import AuditEntry, RoleName, RosterEntry, StageKind, Unit, User, db
from tests.factories import make_contest, make_unit, make_user


def organizer_browser(browser):
    make_user(email="btc@example.vn", role=RoleName.ORGANIZER)
    assert browser.login("btc@example.vn").status_code == 302
    return browser


def test_home_page_shows_the_contest_open_stages_countdown_and_timeline(app, client):
    make_contest(name="Chuyển đổi số – Vững bước tiến vào kỷ nguyên mới")
    html = client.get("/").get_data(as_text=True)
    assert "Chuyển đổi số – Vững bước tiến vào kỷ nguyên mới" in html
    assert html.count('data-testid="open-stage"') == 3  # quiz, voting, judging
    assert "data-countdown=" in html and "Còn" in html
    for kind in ("quiz", "submission", "voting", "judging", "final"):
        assert f'data-kind="{kind}"' in html
    assert 'data-step="register"' in html
    assert "/" in html and "+07" not in html  # dates are shown dd/mm/yyyy in Vietnam time


def test_home_page_dates_are_vietnamese_local_time(app, client):
    contest = make_contest()
    stage = contest.stage(StageKind.VOTING)
    local = stage.closes_at + timedelta(hours=7)
    assert local.strftime("%d/%m/%Y %H:%M") in client.get("/").get_data(as_text=True)


def test_home_page_changes_with_the_clock(app, client):
    make_contest()
    clock.travel(timedelta(days=60))
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="open-stage"' not in html


def test_home_page_tells_each_role_what_to_do(app, client, browser):
    make_contest()
    make_user(email="judge@example.vn", role=RoleName.JUDGE)
    browser.login("judge@example.vn")
    assert 'data-step="judge_initiatives"' in client.get("/").get_data(as_text=True)


def test_home_page_in_english(app, client):
    make_contest()
    client.get("/lang/en")
    html = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in html and "Public voting" in html and "Timeline" in html


def test_home_page_without_a_contest(app, client):
    response = client.get("/")
    assert response.status_code == 200 and 'data-testid="open-stage"' not in response.get_data(as_text=True)


def test_organizer_edits_the_contest_and_sees_window_errors(app, client, browser):
    contest = make_contest()
    organizer_browser(browser)
    form = {"name": "Cuộc thi mới", "organizer_name": "UBND huyện", "description": "Mô tả mới"}
    for stage in contest.stages:
        local_open = (stage.opens_at + timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M")
        local_close = (stage.closes_at + timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M")
        form[f"{stage.kind}_opens"], form[f"{stage.kind}_closes"] = local_open, local_close
    bad = dict(form, final_closes=form["final_opens"])
    response = browser.post_form("/admin/contest/", bad)
    assert response.status_code == 422 and 'id="final_closes-error"' in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    good = dict(form, voting_closes="2030-01-31T20:00")
    assert browser.post_form("/admin/contest/", good).status_code == 302
    db.session.rollback()
    db.session.refresh(contest)
    assert contest.name == "Cuộc thi mới"
    voting = contest.stage(StageKind.VOTING)
    assert voting.closes_at.isoformat() == "2030-01-31T13:00:00+00:00"  # 20:00 in Hà Nội is 13:00 UTC
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert actions == {"contest.update", "stage.update"}


def test_organizer_creates_and_edits_units(app, client, browser):
    organizer_browser(browser)
    district = make_unit("Huyện Ứng Hòa", code="UH")
    response = browser.post_form(
        "/admin/units/new",
        {
            "name": "Xã Hoa Sơn",
            "code": "UH-HS",
            "kind": "commune",
            "parent_id": str(district.id),
            "headcount": "4800",
        },
    )
    assert response.status_code == 302
    db.session.rollback()
    unit = db.session.scalar(select(Unit).where(Unit.code == "UH-HS"))
    assert unit.parent_id == district.id and unit.headcount == 4800
    clash = browser.post_form(
        "/admin/units/new",
        {"name": "Khác", "code": "uh-hs", "kind": "commune", "parent_id": "", "headcount": "1"},
    )
    assert clash.status_code == 422 and 'id="code-error"' in clash.get_data(as_text=True)
    cycle = browser.post_form(
        f"/admin/units/{district.id}/edit",
        {
            "name": "Huyện Ứng Hòa",
            "code": "UH",
            "kind": "district",
            "parent_id": str(unit.id),
            "headcount": "0",
        },
    )
    assert cycle.status_code == 422
    page = client.get("/admin/units/").get_data(as_text=True)
    assert "Xã Hoa Sơn" in page and "4.800" in page  # Vietnamese number format


def test_unit_with_members_cannot_be_deleted(app, client, browser):
    organizer_browser(browser)
    unit = make_unit("Xã Trầm Lộng", code="UH-TL")
    make_user(unit=unit)
    response = browser.post_form(f"/admin/units/{unit.id}/delete", token_from=f"/admin/units/{unit.id}/edit")
    assert response.status_code == 409
    db.session.rollback()
    assert db.session.get(Unit, unit.id) is not None


def test_roster_upload_reports_every_bad_row_and_imports_nothing(app, client, browser):
    organizer_browser(browser)
    make_unit("Thị trấn Vân Đình", code="UH-VD")
    csv_bytes = (
        "ho_ten,email,ma_don_vi\nAn,an@example.vn,UH-VD\nBình,sai-email,UH-VD\nChi,chi@example.vn,XX\n"
    ).encode()
    response = browser.post_form(
        "/admin/units/roster",
        {"file": (io.BytesIO(csv_bytes), "roster.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'data-testid="roster-errors"' in html and "sai-email" in html and "<td>3</td>" in html
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(RosterEntry)) == 0


def test_roster_upload_links_accounts(app, client, browser):
    organizer_browser(browser)
    unit = make_unit("Thị trấn Vân Đình", code="UH-VD")
    person = make_user(email="an@example.vn", verified=False)
    csv_bytes = "\ufeffho_ten,email,ma_don_vi\nNguyễn Văn An,an@example.vn,UH-VD\n".encode()
    response = browser.post_form(
        "/admin/units/roster",
        {"file": (io.BytesIO(csv_bytes), "roster.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.rollback()
    person = db.session.get(User, person.id)
    assert person.unit_id == unit.id and person.is_verified


def test_roster_that_is_not_utf8_is_refused_clearly(app, client, browser):
    organizer_browser(browser)
    make_unit("Thị trấn Vân Đình", code="UH-VD")
    data = "ho_ten,email,ma_don_vi\nNguyễn,an@example.vn,UH-VD\n".encode("utf-16")
    response = browser.post_form(
        "/admin/units/roster", {"file": (io.BytesIO(data), "roster.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and "UTF-8" in response.get_data(as_text=True)


def test_organizer_finds_people_grants_roles_and_deactivates(app, client, browser):
    organizer_browser(browser)
    unit = make_unit("Xã Đại Hùng", code="UH-DH")
    person = make_user(name="Trịnh Thị Quỳnh", email="quynh@example.vn")
    page = client.get("/admin/users/?q=quynh").get_data(as_text=True)
    assert "Trịnh Thị Quỳnh" in page
    detail = f"/admin/users/{person.id}"
    no_unit = browser.post_form(f"{detail}/roles", {"role": "unit_rep", "unit_id": ""}, token_from=detail)
    assert no_unit.status_code == 422
    ok = browser.post_form(
        f"{detail}/roles", {"role": "unit_rep", "unit_id": str(unit.id)}, token_from=detail
    )
    assert ok.status_code == 302
    no_reason = browser.post_form(f"{detail}/deactivate", {"reason": ""}, token_from=detail)
    assert no_reason.status_code == 422
    done = browser.post_form(f"{detail}/deactivate", {"reason": "Tài khoản trùng"}, token_from=detail)
    assert done.status_code == 302
    db.session.rollback()
    person = db.session.get(User, person.id)
    assert person.represents(unit.id) and not person.active
    log = client.get("/admin/audit/?verify=1").get_data(as_text=True)
    assert "role.grant" in log and "user.deactivate" in log and "alert-success" in log
