"""The organizers' moderation queue, fraud review and quarantine pages, over HTTP."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from app import clock
from app.engagement import service
from models import (
    AuditEntry,
    Comment,
    CommentStatus,
    EngagementEvent,
    EventKind,
    Initiative,
    Like,
    Quarantine,
    RoleName,
    User,
    db,
)
from tests.conftest import Browser
from tests.factories import PASSWORD, make_category, make_contest, make_initiative, make_unit, make_user

START = datetime(2026, 4, 6, 1, 0, tzinfo=UTC)
NETWORK = "9f3c" * 8


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": False}


@pytest.fixture
def contest(app):
    clock.freeze(START)
    return make_contest()


@pytest.fixture
def initiative(contest):
    return make_initiative(contest, make_unit(), category=make_category(contest), title="Bản đồ số xã Hòa Xá")


@pytest.fixture
def organizer(app):
    return make_user(role=RoleName.ORGANIZER, name="Trần Thị Ban Tổ Chức")


def signed_in(client, user) -> Browser:
    browser = Browser(client)
    assert browser.login(user.email, PASSWORD).status_code == 302
    return browser


def like_counts_shown(client, initiative_id: int) -> set[int]:
    html = client.get(f"/sang-kien/{initiative_id}").get_data(as_text=True)
    shown = {int(n) for n in re.findall(r'data-like-count="(\d+)"', html)}
    assert shown, "the detail page shows no like count"
    return shown


def like_ids_in(html: str, form_id: str) -> list[int]:
    start = html.index(f'id="{form_id}"')
    form = html[start : html.index("</form>", start)]
    return [int(i) for i in re.findall(r'name="like_id" value="(\d+)"', form)]


def plant_likes(initiative, people: list[User], moments: list[datetime], networks: list[str]) -> list[int]:
    """Likes written straight into the tables (as a script would leave them), with their events."""
    rows = []
    for person, at, network in zip(people, moments, networks, strict=True):
        like = Like(initiative_id=initiative.id, user_id=person.id, created_at=at)
        rows.append(like)
        db.session.add(like)
        db.session.add(
            EngagementEvent(
                kind=EventKind.LIKE,
                initiative_id=initiative.id,
                user_id=person.id,
                created_at=at,
                ip_hash=network,
                ua_hash="ua",
            )
        )
    db.session.execute(
        update(Initiative)
        .where(Initiative.id == initiative.id)
        .values(like_count=Initiative.like_count + len(rows))
    )
    db.session.commit()
    return [like.id for like in rows]


def plant_burst(initiative, start: datetime, n: int = 60, shared: int = 40) -> list[int]:
    """n likes 30 s apart by accounts registered minutes before; `shared` of them from one network."""
    people, moments = [], []
    for k in range(n):
        at = start + timedelta(seconds=30 * k)
        clock.freeze(at - timedelta(minutes=3 + k % 5))
        people.append(make_user(name=f"Tài Khoản Mới {k:02d}"))
        moments.append(at)
    networks = [NETWORK if k < shared else f"{k:032x}" for k in range(n)]
    return plant_likes(initiative, people, moments, networks)


@pytest.fixture
def planted(initiative):
    """Three ordinary likes over the week before, then the burst; the clock an hour after it."""
    regulars = [make_user(name=f"Người Dân {k}") for k in range(3)]
    plant_likes(
        initiative,
        regulars,
        [START + timedelta(days=d, hours=3) for d in (1, 2, 3)],
        [f"{k:032x}" for k in range(100, 103)],
    )
    burst_start = START + timedelta(days=5, hours=2, minutes=10)
    like_ids = plant_burst(initiative, burst_start)
    clock.freeze(burst_start + timedelta(hours=1))
    return like_ids


# --- the moderation queue ---------------------------------------------------------------------


@pytest.fixture
def reported(initiative):
    author = make_user(name="Người Viết Bình Luận")
    comment = service.add_comment(author, initiative, '<script>alert("x")</script> Mua hàng giá rẻ tại đây')
    for k in range(3):
        service.report_comment(make_user(name=f"Người Báo Cáo {k}"), comment, f"Quảng cáo lần {k}")
    return comment


def test_the_queue_shows_the_hidden_comment_escaped_with_its_reports(client, organizer, reported):
    html = signed_in(client, organizer).client.get("/admin/engagement/comments").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Mua hàng giá rẻ" in html
    assert '<script>alert("x")' not in html
    assert "Người Viết Bình Luận" in html
    for k in range(3):
        assert f"Người Báo Cáo {k}" in html
        assert f"Quảng cáo lần {k}" in html
    assert f'href="/sang-kien/{reported.initiative_id}"' in html
    assert html.count('data-testid="moderation-item"') == 1


def test_restoring_a_comment_through_the_page(client, organizer, reported):
    browser = signed_in(client, organizer)
    response = browser.post_form(
        f"/admin/engagement/comments/{reported.id}",
        {"decision": "restore", "note": "Không vi phạm"},
        token_from="/admin/engagement/comments",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/engagement/comments")
    page = client.get("/admin/engagement/comments").get_data(as_text=True)
    assert "alert-success" in page
    db.session.rollback()
    comment = db.session.get(Comment, reported.id)
    assert comment.status == CommentStatus.VISIBLE
    assert db.session.get(Initiative, reported.initiative_id).comment_count == 1
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "comment.restore"))
    assert entry.after["note"] == "Không vi phạm"
    # Deciding again on the decided comment is fine.
    again = browser.post_form(
        f"/admin/engagement/comments/{reported.id}",
        {"decision": "hide"},
        token_from="/admin/engagement/comments",
    )
    assert again.status_code == 302
    db.session.rollback()
    assert db.session.get(Comment, reported.id).status == CommentStatus.REMOVED
    assert db.session.get(Initiative, reported.initiative_id).comment_count == 0


def test_hide_and_suspend_through_the_page_deactivates_the_author(client, organizer, reported):
    browser = signed_in(client, organizer)
    response = browser.post_form(
        f"/admin/engagement/comments/{reported.id}",
        {"decision": "hide_suspend"},
        token_from="/admin/engagement/comments",
    )
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.get(User, reported.user_id).active is False
    assert db.session.get(Comment, reported.id).status == CommentStatus.REMOVED


def test_an_unknown_decision_is_a_form_error(client, organizer, reported):
    browser = signed_in(client, organizer)
    response = browser.post_form(
        f"/admin/engagement/comments/{reported.id}",
        {"decision": "delete"},
        token_from="/admin/engagement/comments",
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(Comment, reported.id).status == CommentStatus.HIDDEN
    missing = browser.post_form("/admin/engagement/comments/999999", {"decision": "restore"}, token_from="/")
    assert missing.status_code == 404


def test_an_organizer_cannot_suspend_themself_through_a_comment(client, organizer, initiative):
    comment = service.add_comment(organizer, initiative, "Bình luận của ban tổ chức")
    browser = signed_in(client, organizer)
    response = browser.post_form(
        f"/admin/engagement/comments/{comment.id}", {"decision": "hide_suspend"}, token_from="/"
    )
    assert response.status_code == 409
    db.session.rollback()
    assert db.session.get(Comment, comment.id).status == CommentStatus.VISIBLE
    assert db.session.get(User, organizer.id).active


def test_people_who_are_not_organizers_are_refused(client, initiative, reported):
    decision = Quarantine(
        reason="Thử", created_by_id=make_user(role=RoleName.ORGANIZER).id, created_at=clock.now()
    )
    db.session.add(decision)
    db.session.commit()
    pages = ["/admin/engagement/comments", "/admin/engagement/fraud", "/admin/engagement/quarantine"]
    posts = [
        f"/admin/engagement/comments/{reported.id}",
        "/admin/engagement/quarantine/likes",
        f"/admin/engagement/quarantine/account/{reported.user_id}",
        f"/admin/engagement/quarantine/{decision.id}/release",
    ]
    people = [
        make_user(role=role, rep_of=initiative.unit if role == RoleName.UNIT_REP else None)
        for role in (None, RoleName.JUDGE, RoleName.UNIT_REP)
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    for person in people:
        browser = signed_in(client, person)
        for path in pages:
            assert client.get(path).status_code == 403, path
        token = browser.token("/")
        for path in posts:
            data = {"csrf_token": token, "decision": "restore", "reason": "x", "like_id": "1"}
            assert client.post(path, data=data).status_code == 403, path
        browser.logout()
    db.session.rollback()
    assert db.session.get(Comment, reported.id).status == CommentStatus.HIDDEN
    assert db.session.get(Quarantine, decision.id).active


# --- the fraud review and quarantine ----------------------------------------------------------


def test_the_fraud_page_shows_the_planted_burst_with_its_evidence(client, organizer, initiative, planted):
    html = signed_in(client, organizer).client.get("/admin/engagement/fraud").get_data(as_text=True)
    burst = html[html.index('id="bursts"') : html.index('id="networks"')]
    assert burst.count('data-testid="finding-burst"') == 1
    assert "Bản đồ số xã Hòa Xá" in burst
    assert "60" in burst
    assert burst.count(NETWORK[:8]) == 40
    assert "Tài Khoản Mới 00" in burst
    assert sorted(like_ids_in(html, "likes-b1")) == sorted(planted)
    networks = html[html.index('id="networks"') : html.index('id="fresh"')]
    assert networks.count('data-testid="finding-network"') == 1
    assert f"<code>{NETWORK[:8]}</code>" in networks
    assert sorted(like_ids_in(html, "likes-n1")) == sorted(planted[:40])
    fresh = html[html.index('id="fresh"') : html.index('id="one-time"')]
    assert sorted(like_ids_in(fresh, "likes-f1")) == sorted(planted)
    one_time = html[html.index('id="one-time"') :]
    assert one_time.count('data-testid="finding-one-time"') == 1
    assert NETWORK not in html  # only the shortened hash is shown


def test_quarantining_the_burst_through_the_page_changes_the_public_count(
    client, organizer, initiative, planted
):
    assert like_counts_shown(client, initiative.id) == {63}
    browser = signed_in(client, organizer)
    html = client.get("/admin/engagement/fraud").get_data(as_text=True)
    picked = like_ids_in(html, "likes-b1")
    response = browser.post_form(
        "/admin/engagement/quarantine/likes",
        {
            "like_id": [str(i) for i in picked],
            "reason": "Cụm 60 lượt thích trong 30 phút",
            "next": "/admin/engagement/fraud",
        },
        token_from="/admin/engagement/fraud",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/engagement/fraud")
    after = client.get("/admin/engagement/fraud").get_data(as_text=True)
    assert "alert-success" in after
    assert 'data-testid="finding-burst"' not in after
    browser.logout()
    assert like_counts_shown(client, initiative.id) == {3}
    db.session.rollback()
    assert service.reconcile_counters(fix=False) == ([], [])
    decision = db.session.scalar(select(Quarantine))
    assert decision.reason == "Cụm 60 lượt thích trong 30 phút"
    assert decision.created_by_id == organizer.id

    # The quarantine page lists the decision; releasing it makes the likes count again.
    signed_in(client, organizer)
    listing = client.get("/admin/engagement/quarantine").get_data(as_text=True)
    assert listing.count('data-testid="quarantine-row"') == 1
    assert "Cụm 60 lượt thích trong 30 phút" in listing
    assert "Trần Thị Ban Tổ Chức" in listing
    response = browser.post_form(
        f"/admin/engagement/quarantine/{decision.id}/release", token_from="/admin/engagement/quarantine"
    )
    assert response.status_code == 302
    again = browser.post_form(
        f"/admin/engagement/quarantine/{decision.id}/release", token_from="/admin/engagement/quarantine"
    )
    assert again.status_code == 303  # already released: told, nothing changes
    assert like_counts_shown(client, initiative.id) == {63}


def test_quarantining_an_account_through_the_page(client, organizer, initiative, planted):
    browser = signed_in(client, organizer)
    suspect = db.session.get(Like, planted[0]).user_id
    response = browser.post_form(
        f"/admin/engagement/quarantine/account/{suspect}",
        {"reason": "Tài khoản tạo ra để thích"},
        token_from="/admin/engagement/fraud",
    )
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.get(Initiative, initiative.id).like_count == 62
    decision = db.session.scalar(select(Quarantine).where(Quarantine.user_id == suspect))
    assert decision.active
    # Twice is refused with the page and a message.
    twice = browser.post_form(
        f"/admin/engagement/quarantine/account/{suspect}",
        {"reason": "Lần nữa"},
        token_from="/admin/engagement/fraud",
    )
    assert twice.status_code == 409
    assert 'data-testid="form-error"' in twice.get_data(as_text=True)
    listing = client.get("/admin/engagement/quarantine").get_data(as_text=True)
    assert "Tài Khoản Mới 00" in listing


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"reason": "", "like_id": ["1"]}, 422),  # no reason
        ({"reason": "Nghi vấn"}, 422),  # nothing selected
    ],
)
def test_a_quarantine_needs_a_reason_and_likes(client, organizer, initiative, planted, data, status):
    browser = signed_in(client, organizer)
    if "like_id" in data:
        data = {**data, "like_id": [str(planted[0])]}
    response = browser.post_form(
        "/admin/engagement/quarantine/likes", data, token_from="/admin/engagement/fraud"
    )
    assert response.status_code == status
    assert 'data-testid="form-error"' in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(Initiative, initiative.id).like_count == 63


def test_the_admin_home_links_to_the_engagement_pages(client, organizer, initiative):
    html = signed_in(client, organizer).client.get("/admin/").get_data(as_text=True)
    for path in ("/admin/engagement/comments", "/admin/engagement/fraud", "/admin/engagement/quarantine"):
        assert f'href="{path}"' in html
