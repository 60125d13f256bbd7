"""Initiatives over HTTP: the unit's form, ownership, review, the gallery, files and the API."""

import io
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from app import clock
from app.extensions import cache
from app.initiatives import service
from models import Initiative, InitiativeStatus, RoleName, User, db
from tests.conftest import Browser
from tests.factories import (
    PASSWORD,
    PDF_BYTES,
    jpeg_bytes,
    make_category,
    make_contest,
    make_initiative,
    make_unit,
    make_user,
)


@pytest.fixture
def world(app):
    contest = make_contest()
    unit_a = make_unit("Xã Liên Bạt", code="UH-LB")
    unit_b = make_unit("Xã Viên An", code="UH-VA")
    category = make_category(contest)
    rep_a = make_user(email="a@example.vn", role=RoleName.UNIT_REP, rep_of=unit_a)
    rep_b = make_user(email="b@example.vn", role=RoleName.UNIT_REP, rep_of=unit_b)
    make_user(email="btc@example.vn", role=RoleName.ORGANIZER)
    draft_b = make_initiative(
        contest, unit_b, category=category, status=InitiativeStatus.DRAFT, images=1, documents=1, author=rep_b
    )
    return {
        "contest": contest,
        "unit_a": unit_a,
        "unit_b": unit_b,
        "category": category,
        "rep_a": rep_a,
        "draft_b": draft_b,
    }


def form_data(world, **changes):
    data = {
        "unit_id": str(world["unit_a"].id),
        "title": "Sổ tay đảng viên điện tử",
        "summary": "Đảng viên tra cứu văn bản trên điện thoại.",
        "category_id": str(world["category"].id),
        "problem": "Tài liệu giấy khó cập nhật.",
        "solution": "Ứng dụng sổ tay điện tử.",
        "results": "100% đảng viên chi bộ sử dụng.",
        "cost": "Không phát sinh chi phí",
        "in_use_since": "2025-03-01",
        "contact_name": "Đ/c Đỗ Văn Khoa",
        "contact_phone": "0912000111",
        "contact_email": "",
        "video_url": "",
    }
    data.update(changes)
    return data


def test_a_representative_of_another_unit_gets_404_everywhere(app, client, world):
    draft = world["draft_b"]
    browser = Browser(client)
    browser.login("a@example.vn")
    image, document = draft.images[0], draft.documents[0]
    for path in (
        f"/sang-kien/{draft.id}",
        f"/don-vi/sang-kien/{draft.id}",
        f"/tep/anh/{image.token}/thumb.jpg",
        f"/tep/anh/{image.token}/display.jpg",
        f"/tep/tai-lieu/{document.token}.pdf",
    ):
        assert client.get(path).status_code == 404, path
    token = client.post("/api/v1/tokens", json={"login": "a@example.vn", "password": PASSWORD}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/initiatives/{draft.id}", headers=headers).status_code == 404
    assert (
        client.patch(f"/api/v1/initiatives/{draft.id}", json={"title": "x"}, headers=headers).status_code
        == 404
    )
    # …while its own representative sees all of it, privately cached.
    browser.logout()
    browser.login("b@example.vn")
    response = client.get(f"/tep/anh/{image.token}/thumb.jpg")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"


def test_unit_creates_a_draft_with_files_and_sees_it(app, client, world):
    browser = Browser(client)
    browser.login("a@example.vn")
    data = form_data(
        world,
        images=[(io.BytesIO(jpeg_bytes()), "cho.jpg")],
        documents=[(io.BytesIO(PDF_BYTES), "Báo cáo kết quả.pdf")],
    )
    response = browser.post_form("/don-vi/sang-kien/moi", data, content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.rollback()
    initiative = db.session.scalar(select(Initiative).where(Initiative.title == "Sổ tay đảng viên điện tử"))
    assert initiative.unit_id == world["unit_a"].id and initiative.status == InitiativeStatus.DRAFT
    assert len(initiative.images) == 1 and initiative.documents[0].title == "Báo cáo kết quả.pdf"
    page = client.get(f"/don-vi/sang-kien/{initiative.id}").get_data(as_text=True)
    assert 'data-testid="history"' in page and "Sổ tay đảng viên điện tử" in page


@pytest.mark.parametrize(
    "upload, status, reason_fragment",
    [
        ((b"<html><script>x</script></html>", "anh.jpg"), 422, "anh.jpg"),
        ((jpeg_bytes()[:300], "cut.jpg"), 422, "cut.jpg"),
    ],
)
def test_a_refused_picture_is_named_and_the_rest_of_the_form_is_kept(
    app, client, world, upload, status, reason_fragment
):
    browser = Browser(client)
    browser.login("a@example.vn")
    data = form_data(world, images=[(io.BytesIO(upload[0]), upload[1])])
    response = browser.post_form("/don-vi/sang-kien/moi", data, content_type="multipart/form-data")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert reason_fragment in html and 'id="images-error"' in html
    assert "Đảng viên tra cứu văn bản trên điện thoại." in html  # typed text is kept
    db.session.rollback()
    assert db.session.scalar(select(Initiative).where(Initiative.title == "Sổ tay đảng viên điện tử")) is None


def test_a_picture_over_10_mb_gets_413(app, client, world):
    app.config["MAX_IMAGE_BYTES"] = 1000
    browser = Browser(client)
    browser.login("a@example.vn")
    data = form_data(world, images=[(io.BytesIO(jpeg_bytes(1200, 900)), "lon.jpg")])
    response = browser.post_form("/don-vi/sang-kien/moi", data, content_type="multipart/form-data")
    assert response.status_code == 413 and "lon.jpg" in response.get_data(as_text=True)


def test_submitting_after_the_window_closed_is_refused(app, client, world):
    browser = Browser(client)
    browser.login("b@example.vn")
    draft = world["draft_b"]
    response = browser.post_form(
        f"/don-vi/sang-kien/{draft.id}/nop", token_from=f"/don-vi/sang-kien/{draft.id}", follow_redirects=True
    )
    assert "alert-danger" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(Initiative, draft.id).status == InitiativeStatus.DRAFT


def test_organizer_returns_with_a_reason_and_the_unit_sees_it(app, client, world):
    clock.freeze(clock.now() - timedelta(days=20))
    initiative = make_initiative(
        world["contest"], world["unit_a"], category=world["category"], status=InitiativeStatus.SUBMITTED
    )
    browser = Browser(client)
    browser.login("btc@example.vn")
    assert "Sáng kiến" in client.get("/admin/initiatives/").get_data(as_text=True)
    no_reason = browser.post_form(f"/admin/initiatives/{initiative.id}", {"decision": "return", "reason": ""})
    assert no_reason.status_code == 422
    ok = browser.post_form(
        f"/admin/initiatives/{initiative.id}",
        {"decision": "return", "reason": "Cần bổ sung số liệu so sánh trước và sau."},
    )
    assert ok.status_code == 302
    browser.logout()
    browser.login("a@example.vn")
    page = client.get(f"/don-vi/sang-kien/{initiative.id}").get_data(as_text=True)
    assert "Cần bổ sung số liệu so sánh trước và sau." in page


def test_public_detail_page_has_open_graph_tags_and_share_buttons(app, client, world):
    initiative = make_initiative(
        world["contest"], world["unit_a"], category=world["category"], title="Chợ 4.0 Vân Đình"
    )
    html = client.get(f"/sang-kien/{initiative.id}").get_data(as_text=True)
    assert '<meta property="og:title" content="Chợ 4.0 Vân Đình">' in html
    assert 'property="og:image" content="http://localhost/tep/anh/' in html
    assert "facebook.com/sharer/sharer.php?u=http%3A//localhost/sang-kien/" in html
    assert 'data-share="native"' in html and 'data-share="copy"' in html


def test_published_files_are_served_with_type_nosniff_and_long_cache(app, client, world):
    initiative = make_initiative(world["contest"], world["unit_a"], category=world["category"], documents=1)
    image = client.get(f"/tep/anh/{initiative.images[0].token}/display.jpg")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in image.headers["Cache-Control"]
    document = client.get(f"/tep/tai-lieu/{initiative.documents[0].token}.pdf")
    assert document.mimetype == "application/pdf" and document.data.startswith(b"%PDF-")
    assert client.get(f"/tep/anh/{initiative.images[0].token}/original.jpg").status_code == 404


@contextmanager
def count_queries():
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def test_gallery_and_list_api_queries_do_not_grow_with_the_page(app, client, world):
    contest, category = world["contest"], world["category"]
    units = [world["unit_a"], world["unit_b"]]
    make_initiative(contest, units[0], category=category, images=2)
    cache.clear()  # count the page with its filter lists read, as after the cache expires
    with count_queries() as few_page:
        assert client.get("/sang-kien/").status_code == 200
    with count_queries() as few_api:
        assert client.get("/api/v1/initiatives?per_page=12").status_code == 200
    for i in range(11):
        unit = make_unit(f"Đơn vị {i}", code=f"DV{i}")
        make_initiative(contest, unit, category=make_category(contest, f"Lĩnh vực {i}"), images=3)
    cache.clear()
    with count_queries() as many_page:
        html = client.get("/sang-kien/").get_data(as_text=True)
    with count_queries() as warm_page:
        assert client.get("/sang-kien/").status_code == 200
    with count_queries() as many_api:
        body = client.get("/api/v1/initiatives?per_page=12").json
    assert html.count('data-testid="initiative-card"') == 12 and len(body["items"]) == 12
    assert len(many_page) == len(few_page)
    assert len(many_api) == len(few_api)
    # With the unit and field lists cached, the page asks only for the contest, the cards and the total.
    assert len(warm_page) == len(many_page) - 2


def test_gallery_filter_lists_follow_publishing_and_field_changes(app, client, world):
    """The cached unit and field lists are forgotten when an initiative is published or a field saved."""
    contest, category = world["contest"], world["category"]
    organizer = db.session.scalar(select(User).where(User.email == "btc@example.vn"))
    make_initiative(contest, world["unit_a"], category=category)
    html = client.get("/sang-kien/").get_data(as_text=True)
    assert world["unit_a"].name in html and world["unit_b"].name not in html
    pending = make_initiative(contest, world["unit_b"], category=category, status=InitiativeStatus.SUBMITTED)
    service.review_initiative(organizer, pending, "publish")
    html = client.get("/sang-kien/").get_data(as_text=True)
    assert f">{world['unit_b'].name}</option>" in html
    service.save_category(
        organizer, contest, name="Du lịch số", name_en="Digital tourism", position=9, active=True
    )
    html = client.get("/sang-kien/").get_data(as_text=True)
    assert ">Du lịch số</option>" in html


def test_gallery_page_searches_without_diacritics(app, client, world):
    make_initiative(
        world["contest"], world["unit_a"], category=world["category"], title="Chuyển đổi số bộ phận một cửa"
    )
    make_initiative(world["contest"], world["unit_b"], category=world["category"], title="Thư viện điện tử")
    html = client.get("/sang-kien/?q=chuyen+doi+so").get_data(as_text=True)
    assert "Chuyển đổi số bộ phận một cửa" in html and "Thư viện điện tử" not in html


def test_api_list_detail_and_unit_workflow(app, client, world):
    published = make_initiative(
        world["contest"],
        world["unit_a"],
        category=world["category"],
        title="Truy xuất nguồn gốc nông sản bằng mã QR",
    )
    listing = client.get("/api/v1/initiatives?q=truy+xuat").json
    assert listing["total"] == 1
    item = listing["items"][0]
    assert set(item) == {
        "id",
        "title",
        "summary",
        "unit",
        "category",
        "status",
        "like_count",
        "comment_count",
        "thumbnail_url",
        "published_at",
    }
    assert item["unit"] == {"id": world["unit_a"].id, "name": "Xã Liên Bạt"}
    detail = client.get(f"/api/v1/initiatives/{published.id}").json
    assert detail["images"][0]["display_url"].endswith("/display.jpg")

    token = client.post("/api/v1/tokens", json={"login": "a@example.vn", "password": PASSWORD}).json["token"]
    auth = {"Authorization": f"Bearer {token}"}
    created = client.post(
        "/api/v1/initiatives",
        json={"title": "Camera an ninh thôn xóm", "category_id": world["category"].id},
        headers=auth,
    )
    assert created.status_code == 201 and created.json["status"] == "draft"
    new_id = created.json["id"]
    bad = client.post(
        f"/api/v1/initiatives/{new_id}/images",
        data={"file": (io.BytesIO(b"GIF89a..."), "x.gif")},
        headers=auth,
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "x.gif" in bad.json["error"]["message"]
    good = client.post(
        f"/api/v1/initiatives/{new_id}/images",
        data={"file": (io.BytesIO(jpeg_bytes()), "a.jpg")},
        headers=auth,
        content_type="multipart/form-data",
    )
    assert good.status_code == 201 and good.json["thumbnail_url"].endswith("/thumb.jpg")
    patched = client.patch(
        f"/api/v1/initiatives/{new_id}", json={"video_url": "https://vimeo.com/1"}, headers=auth
    )
    assert patched.status_code == 422 and "video_url" in patched.json["error"]["fields"]
    closed = client.post(f"/api/v1/initiatives/{new_id}/submit", headers=auth)
    assert closed.status_code == 409  # the submission window has closed
    assert client.get(f"/api/v1/initiatives/{new_id}").status_code == 404  # a draft is not public


def test_organizer_manages_fields(app, client, world):
    browser = Browser(client)
    browser.login("btc@example.vn")
    created = browser.post_form(
        "/admin/initiatives/fields/",
        {"name": "Kinh tế số", "name_en": "Digital economy", "position": "2", "active": "y"},
    )
    assert created.status_code == 302
    duplicate = browser.post_form("/admin/initiatives/fields/", {"name": "Kinh Tế Số", "position": "3"})
    assert duplicate.status_code == 409
    db.session.rollback()
    from models import Category

    field = db.session.scalar(select(Category).where(Category.name == "Kinh tế số"))
    edit = browser.post_form(
        f"/admin/initiatives/fields/{field.id}",
        {
            f"c{field.id}-name": "Kinh tế số",
            f"c{field.id}-name_en": "Digital economy",
            f"c{field.id}-position": "2",
        },
        token_from="/admin/initiatives/fields/",
    )
    assert edit.status_code == 302
    db.session.rollback()
    assert db.session.get(Category, field.id).active is False  # unticked: no longer offered to units
    client.get("/lang/en")
    assert "Digital economy" not in client.get("/sang-kien/").get_data(as_text=True)


def test_random_order_is_stable_for_a_visitor_and_other_orders_set_no_cookie(app, client, world):
    for i in range(6):
        make_initiative(
            world["contest"], world["unit_a"], category=world["category"], title=f"Mô hình số {i}"
        )
    newest = client.get("/sang-kien/")
    assert not any(c.startswith("session=") for c in newest.headers.getlist("Set-Cookie"))

    def titles(response):
        import re

        return re.findall(r'stretched-link text-decoration-none">([^<]+)<', response.get_data(as_text=True))

    first = titles(client.get("/sang-kien/?sort=random"))
    again = titles(client.get("/sang-kien/?sort=random"))
    assert first == again and sorted(first) == sorted(f"Mô hình số {i}" for i in range(6))


def test_gallery_cards_show_the_current_counts_and_escape_titles(app, client, world):
    """Cards are reused between requests, but a changed count or title is a different card."""
    initiative = make_initiative(
        world["contest"], world["unit_a"], category=world["category"], title="<b>Chợ 4.0</b> không tiền mặt"
    )
    html = client.get("/sang-kien/").get_data(as_text=True)
    assert "&lt;b&gt;Chợ 4.0&lt;/b&gt; không tiền mặt" in html and "<b>Chợ 4.0" not in html
    db.session.execute(
        update(Initiative).where(Initiative.id == initiative.id).values(like_count=1234, comment_count=7)
    )
    db.session.commit()
    html = client.get("/sang-kien/").get_data(as_text=True)
    assert "1.234<span" in html and "7<span" in html  # Vietnamese digit grouping
    client.get("/lang/en")
    html = client.get("/sang-kien/").get_data(as_text=True)
    assert "1,234<span" in html and "> likes</span>" in html
