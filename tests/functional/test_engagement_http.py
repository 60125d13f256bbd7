"""Likes and comments on an initiative's page (forms, with and without script) and the comments API."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from sqlalchemy import event, func, select

from app import clock
from app.auth.service import issue_api_token
from app.engagement import queries
from models import (
    Comment,
    CommentReport,
    CommentStatus,
    EngagementEvent,
    Initiative,
    InitiativeStatus,
    Like,
    RoleName,
    db,
)
from tests.conftest import Browser
from tests.factories import make_category, make_contest, make_initiative, make_unit, make_user

JSON = {"Accept": "application/json"}


@pytest.fixture
def app_overrides():
    # Limits are tested on their own below; here they would only make the tests depend on each other.
    return {"RATELIMIT_ENABLED": False}


@pytest.fixture
def w(app):
    contest = make_contest()
    unit = make_unit("Xã Liên Bạt", code="UH-LB")
    category = make_category(contest)
    published = make_initiative(contest, unit, category=category, title="Một cửa số Liên Bạt")
    draft = make_initiative(contest, unit, category=category, status=InitiativeStatus.DRAFT, images=0)
    people = {
        "dan": make_user(email="dan@example.vn", name="Trần Thị Dân"),
        "hai": make_user(email="hai@example.vn", name="Lê Văn Hai"),
        "ba": make_user(email="ba@example.vn", name="Phạm Văn Ba"),
        "bon": make_user(email="bon@example.vn", name="Đỗ Thị Bốn"),
        "chua": make_user(email="chua@example.vn", name="Chưa Xác Minh", verified=False),
        "rep": make_user(email="rep@example.vn", role=RoleName.UNIT_REP, rep_of=unit),
    }
    return SimpleNamespace(
        contest=contest,
        pub=published.id,
        draft=draft.id,
        page=f"/sang-kien/{published.id}",
        **people,
    )


class Person:
    """One visitor with their own browser session (signed in or not), reading pages in English."""

    def __init__(self, app, user=None):
        self.client = app.test_client()
        self.user = user
        if user is not None:
            assert Browser(self.client).login(user.email).status_code == 302
        self.client.get("/lang/en?next=/")
        self._token = None

    def token(self) -> str:
        if self._token is None:
            self._token = Browser(self.client).token("/auth/forgot")
        return self._token

    def post(self, path, data=None, **kwargs):
        return self.client.post(path, data={"csrf_token": self.token(), **(data or {})}, **kwargs)

    def post_js(self, path, data=None):
        """As engagement.js sends the like form."""
        return self.post(path, data, headers={"Accept": "application/json", "X-Requested-With": "fetch"})

    def page(self, path) -> str:
        response = self.client.get(path)
        assert response.status_code == 200
        return response.get_data(as_text=True)


def api_headers(user) -> dict:
    db.session.rollback()  # a fresh transaction: the pages may have written since the last read
    token, _row = issue_api_token(user)
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


class CommentTree(HTMLParser):
    """The comments of a page: each article's thread parent, text, and markers."""

    VOID = {"input", "br", "img", "link", "meta", "hr", "source", "use", "path"}

    def __init__(self, text: str):
        super().__init__()
        self.comments: dict[int, dict] = {}
        self.order: list[int] = []
        self._articles: list[int] = []
        self._stack: list[tuple[str, str | None]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.VOID:
            return
        testid = attrs.get("data-testid")
        if tag == "article" and testid == "comment":
            cid = int(attrs["data-comment-id"])
            parent = self._articles[-1] if self._articles else None
            self.comments[cid] = {
                "parent": parent,
                "body": "",
                "edited": False,
                "note": False,
                "placeholder": "",
            }
            self.order.append(cid)
            self._articles.append(cid)
        if self._articles:
            current = self.comments[self._articles[-1]]
            if testid == "comment-edited":
                current["edited"] = True
            if testid == "comment-hidden-note":
                current["note"] = True
        self._stack.append((tag, testid))

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, testid = self._stack.pop()
            if open_tag == "article" and testid == "comment":
                self._articles.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self._articles:
            return
        current = self.comments[self._articles[-1]]
        for _tag, testid in self._stack:
            if testid == "comment-body":
                current["body"] += data
            if testid == "comment-placeholder":
                current["placeholder"] += data


def comments_on(page: str) -> CommentTree:
    return CommentTree(page)


def like_button(page: str) -> str:
    match = re.search(r'<button[^>]*data-testid="like-button"[^>]*>', page)
    assert match, "no like button"
    return match.group(0)


def like_count(page: str) -> int:
    return int(re.search(r'data-testid="like-count" data-like-count="(\d+)"', page).group(1))


def header_counts(page: str) -> tuple[int, int]:
    likes = re.search(r'data-testid="header-like-count">([\d.,]+)<', page).group(1)
    comments = re.search(r'data-testid="header-comment-count">([\d.,]+)<', page).group(1)
    return int(likes.replace(",", "").replace(".", "")), int(comments.replace(",", "").replace(".", ""))


def written(initiative_id: int) -> tuple[int, int, int]:
    """Likes, comments and engagement events stored for the initiative."""
    db.session.rollback()
    return (
        db.session.scalar(select(func.count()).select_from(Like).where(Like.initiative_id == initiative_id)),
        db.session.scalar(
            select(func.count()).select_from(Comment).where(Comment.initiative_id == initiative_id)
        ),
        db.session.scalar(
            select(func.count())
            .select_from(EngagementEvent)
            .where(EngagementEvent.initiative_id == initiative_id)
        ),
    )


def stored_counts(initiative_id: int) -> tuple[int, int]:
    db.session.rollback()
    row = db.session.execute(
        select(Initiative.like_count, Initiative.comment_count).where(Initiative.id == initiative_id)
    ).one()
    return row.like_count, row.comment_count


def comment_ids(initiative_id: int) -> list[int]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(Comment.id).where(Comment.initiative_id == initiative_id).order_by(Comment.id)
        )
    )


# --- likes ------------------------------------------------------------------------------------


def test_like_and_unlike_with_the_plain_form(app, w):
    dan = Person(app, w.dan)
    before = dan.page(w.page)
    assert 'aria-pressed="false"' in like_button(before) and like_count(before) == 0

    response = dan.post(f"/sang-kien/{w.pub}/thich")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/sang-kien/{w.pub}#like")
    page = dan.page(w.page)
    assert "You like this initiative." in page
    assert 'aria-pressed="true"' in like_button(page)
    assert like_count(page) == 1 and header_counts(page) == (1, 0)
    # The form now takes the like back.
    assert f'action="/sang-kien/{w.pub}/bo-thich"' in page
    assert stored_counts(w.pub) == (1, 0)

    response = dan.post(f"/sang-kien/{w.pub}/bo-thich")
    assert response.status_code == 302
    page = dan.page(w.page)
    assert 'aria-pressed="false"' in like_button(page) and like_count(page) == 0
    assert stored_counts(w.pub) == (0, 0)


def test_the_script_gets_json_and_a_second_like_changes_nothing(app, w):
    dan, hai = Person(app, w.dan), Person(app, w.hai)
    first = dan.post_js(f"/sang-kien/{w.pub}/thich")
    assert first.status_code == 200 and first.json == {"liked": True, "like_count": 1}
    again = dan.post_js(f"/sang-kien/{w.pub}/thich")
    assert again.status_code == 200 and again.json == {"liked": True, "like_count": 1}
    assert hai.post(f"/sang-kien/{w.pub}/thich", headers=JSON).json == {"liked": True, "like_count": 2}
    assert written(w.pub) == (2, 0, 2)  # two likes, two events: the repeat wrote nothing

    assert dan.post_js(f"/sang-kien/{w.pub}/bo-thich").json == {"liked": False, "like_count": 1}
    assert dan.post_js(f"/sang-kien/{w.pub}/bo-thich").json == {"liked": False, "like_count": 1}
    assert written(w.pub)[0] == 1 and stored_counts(w.pub) == (1, 0)


def test_an_unverified_account_is_refused_and_nothing_is_written(app, w):
    chua = Person(app, w.chua)
    page = chua.page(w.page)
    assert 'data-testid="like-button"' not in page and 'data-testid="comment-form"' not in page
    assert "Confirm your account to like and comment" in page

    response = chua.post_js(f"/sang-kien/{w.pub}/thich")
    assert response.status_code == 403
    assert "Confirm your account" in response.json["error"]["message"]
    response = chua.post(f"/sang-kien/{w.pub}/thich")
    assert response.status_code == 303
    assert "Confirm your account first" in chua.page(w.page)
    response = chua.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Tôi chưa xác minh"})
    assert response.status_code == 303
    assert written(w.pub) == (0, 0, 0)
    assert stored_counts(w.pub) == (0, 0)


def test_anonymous_visitors_are_sent_to_sign_in_and_back(app, w):
    visitor = Person(app)
    page = visitor.page(w.page)
    assert "Sign in to like and comment" in page and 'data-testid="like-button"' not in page
    response = visitor.post(f"/sang-kien/{w.pub}/thich")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert f"next=/sang-kien/{w.pub}%23like" in response.headers["Location"]
    assert visitor.post_js(f"/sang-kien/{w.pub}/thich").status_code == 401
    assert written(w.pub) == (0, 0, 0)


def test_likes_and_comments_are_refused_once_public_voting_is_closed(app, w):
    dan = Person(app, w.dan)
    assert dan.post_js(f"/sang-kien/{w.pub}/thich").status_code == 200
    clock.travel(timedelta(days=11))  # voting closes 10 days after the factory's "now"

    page = dan.page(w.page)
    assert "Public voting is closed" in page and "You liked this initiative." in page
    assert 'data-testid="like-button"' not in page and 'data-testid="comment-form"' not in page
    response = dan.post_js(f"/sang-kien/{w.pub}/bo-thich")
    assert response.status_code == 409
    assert "Public voting is closed" in response.json["error"]["message"]
    assert dan.post_js(f"/sang-kien/{w.pub}/thich").status_code == 409
    response = dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Muộn rồi"})
    assert response.status_code == 303
    assert "Public voting is closed" in dan.page(w.page)
    assert written(w.pub) == (1, 0, 1)  # only the like from before the close
    assert stored_counts(w.pub) == (1, 0)


def test_an_unpublished_initiative_takes_no_likes_or_comments(app, w):
    dan, rep = Person(app, w.dan), Person(app, w.rep)
    # Strangers do not even learn that it exists.
    assert dan.post_js(f"/sang-kien/{w.draft}/thich").status_code == 404
    assert dan.post(f"/sang-kien/{w.draft}/binh-luan", {"body": "Xin chào"}).status_code == 404
    assert dan.client.get(f"/api/v1/initiatives/{w.draft}/comments").status_code == 404
    # Its unit sees the page, but cannot like or comment before publication.
    page = rep.page(f"/sang-kien/{w.draft}")
    assert "Likes and comments open when the initiative is published." in page
    response = rep.post_js(f"/sang-kien/{w.draft}/thich")
    assert response.status_code == 409
    assert "not published" in response.json["error"]["message"]
    assert rep.post(f"/sang-kien/{w.draft}/binh-luan", {"body": "Thử"}).status_code == 303
    assert written(w.draft) == (0, 0, 0)


# --- comments ---------------------------------------------------------------------------------


def test_comments_replies_and_replies_to_replies_form_one_thread(app, w):
    dan, hai = Person(app, w.dan), Person(app, w.hai)
    response = dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Rất hữu ích cho bà con!"})
    assert response.status_code == 302
    (first,) = comment_ids(w.pub)
    assert response.headers["Location"].endswith(f"#comment-{first}")

    assert (
        hai.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Đồng ý", "parent_id": first}).status_code == 302
    )
    reply = comment_ids(w.pub)[-1]
    assert (
        dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Cảm ơn anh", "parent_id": reply}).status_code
        == 302
    )
    reply_to_reply = comment_ids(w.pub)[-1]
    db.session.rollback()
    assert db.session.get(Comment, reply).parent_id == first
    assert db.session.get(Comment, reply_to_reply).parent_id == first  # joins the thread

    assert hai.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Chủ đề mới"}).status_code == 302
    newest = comment_ids(w.pub)[-1]
    tree = comments_on(hai.page(w.page))
    assert tree.order == [newest, first, reply, reply_to_reply]  # threads newest first, replies in order
    assert tree.comments[reply]["parent"] == first and tree.comments[reply_to_reply]["parent"] == first
    assert tree.comments[first]["body"] == "Rất hữu ích cho bà con!"
    page = hai.page(w.page)
    assert "Trần Thị Dân" in page and "Lê Văn Hai" in page
    assert page.count('data-testid="reply-form"') == 2  # one per thread
    assert stored_counts(w.pub) == (0, 4)
    assert header_counts(page) == (0, 4)


def test_a_comment_over_2000_characters_is_refused_with_the_text_kept(app, w):
    dan = Person(app, w.dan)
    text = "Ý kiến " + "a" * 1994  # 2,001 characters
    assert len(text) == 2001
    response = dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": text})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "A comment has at most 2,000 characters." in page
    assert f">{text}</textarea>" in page
    assert 'aria-invalid="true"' in page
    assert written(w.pub) == (0, 0, 0)

    assert dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "   "}).status_code == 422
    # Exactly 2,000 characters is fine, and so is a reply's refusal kept in its own open form.
    assert dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "b" * 2000}).status_code == 302
    (parent,) = comment_ids(w.pub)
    response = dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": text, "parent_id": parent})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r"<details open>\s*<summary[^>]*>Reply</summary>", page)
    assert f'id="reply-{parent}"' in page and f">{text}</textarea>" in page
    assert len(comment_ids(w.pub)) == 1


def test_a_reply_to_a_missing_comment_is_refused(app, w):
    dan = Person(app, w.dan)
    response = dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Trả lời", "parent_id": "999999"})
    assert response.status_code == 422
    assert "The comment you reply to does not exist." in response.get_data(as_text=True)
    response = dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Trả lời", "parent_id": "abc"})
    assert response.status_code == 422
    assert written(w.pub) == (0, 0, 0)


def test_the_author_edits_within_15_minutes_and_it_shows_edited(app, w):
    dan = Person(app, w.dan)
    dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Bản đầu"})
    (cid,) = comment_ids(w.pub)
    assert 'data-testid="edit-form"' in dan.page(w.page)

    clock.travel(timedelta(minutes=14))
    response = dan.post(f"/binh-luan/{cid}/sua", {"body": "Bản đã sửa"})
    assert response.status_code == 302
    tree = comments_on(Person(app).page(w.page))
    assert tree.comments[cid]["body"] == "Bản đã sửa" and tree.comments[cid]["edited"]

    too_long = dan.post(f"/binh-luan/{cid}/sua", {"body": "x" * 2001})
    assert too_long.status_code == 422 and "x" * 2001 in too_long.get_data(as_text=True)

    clock.travel(timedelta(minutes=2))
    assert 'data-testid="edit-form"' not in dan.page(w.page)
    response = dan.post(f"/binh-luan/{cid}/sua", {"body": "Quá muộn"})
    assert response.status_code == 303
    assert "only in the first 15 minutes" in dan.page(w.page)
    db.session.rollback()
    assert db.session.get(Comment, cid).body == "Bản đã sửa"


def test_the_author_deletes_a_comment_and_its_replies_stay(app, w):
    dan, hai = Person(app, w.dan), Person(app, w.hai)
    dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Sẽ xoá, có trả lời"})
    dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Sẽ xoá, không trả lời"})
    with_reply, alone = comment_ids(w.pub)
    hai.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Trả lời còn lại", "parent_id": with_reply})
    reply = comment_ids(w.pub)[-1]
    assert stored_counts(w.pub) == (0, 3)

    assert dan.post(f"/binh-luan/{with_reply}/xoa").status_code == 302
    assert dan.post(f"/binh-luan/{alone}/xoa").status_code == 302
    page = Person(app).page(w.page)
    tree = comments_on(page)
    assert alone not in tree.comments
    assert tree.comments[with_reply]["placeholder"] == "This comment was deleted."
    assert "Sẽ xoá" not in page
    assert tree.comments[reply]["parent"] == with_reply and tree.comments[reply]["body"] == "Trả lời còn lại"
    assert stored_counts(w.pub) == (0, 1)
    assert header_counts(page) == (0, 1)


def test_only_the_author_may_edit_or_delete(app, w):
    dan, hai, rep = Person(app, w.dan), Person(app, w.hai), Person(app, w.rep)
    dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Của tôi"})
    (cid,) = comment_ids(w.pub)
    page = hai.page(w.page)
    assert f'action="/binh-luan/{cid}/sua"' not in page and f'action="/binh-luan/{cid}/xoa"' not in page
    for person in (hai, rep):
        assert person.post(f"/binh-luan/{cid}/sua", {"body": "Sửa trộm"}).status_code == 403
        assert person.post(f"/binh-luan/{cid}/xoa").status_code == 403
    assert hai.post("/binh-luan/999999/sua", {"body": "?"}).status_code == 404
    assert hai.post("/binh-luan/999999/xoa").status_code == 404
    assert hai.post("/binh-luan/999999/bao-cao", {"reason": "spam"}).status_code == 404
    anonymous = Person(app).post(f"/binh-luan/{cid}/xoa")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    db.session.rollback()
    comment = db.session.get(Comment, cid)
    assert comment.body == "Của tôi" and comment.deleted_at is None


def test_comments_of_an_unpublished_initiative_are_404_to_strangers(app, w):
    db.session.add(
        Comment(initiative_id=w.draft, user_id=w.rep.id, body="Ghi chú nội bộ", created_at=clock.now())
    )
    db.session.commit()
    (cid,) = comment_ids(w.draft)
    dan = Person(app, w.dan)
    assert dan.post(f"/binh-luan/{cid}/sua", {"body": "x"}).status_code == 404
    assert dan.post(f"/binh-luan/{cid}/xoa").status_code == 404
    assert dan.post(f"/binh-luan/{cid}/bao-cao", {"reason": "spam"}).status_code == 404
    assert (
        dan.client.post(
            f"/api/v1/comments/{cid}/report", json={"reason": "x"}, headers=api_headers(w.dan)
        ).status_code
        == 404
    )


def test_three_reports_hide_the_comment_from_the_page_and_the_api(app, w):
    dan = Person(app, w.dan)
    dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Quảng cáo bán hàng giá rẻ"})
    (cid,) = comment_ids(w.pub)
    reporters = [Person(app, w.hai), Person(app, w.ba), Person(app, w.bon)]
    assert 'data-testid="report-form"' in reporters[0].page(w.page)
    assert 'data-testid="report-form"' not in dan.page(w.page)  # not on one's own comment

    no_reason = reporters[0].post(f"/binh-luan/{cid}/bao-cao", {"details": "không chọn lý do"})
    assert no_reason.status_code == 422
    assert "Choose a reason." in no_reason.get_data(as_text=True)
    assert "không chọn lý do" in no_reason.get_data(as_text=True)

    first = reporters[0].post(f"/binh-luan/{cid}/bao-cao", {"reason": "spam", "details": "bán hàng"})
    assert first.status_code == 302
    assert "The moderators will look at this comment." in reporters[0].page(w.page)
    assert reporters[0].post(f"/binh-luan/{cid}/bao-cao", {"reason": "spam"}).status_code == 302  # once only
    reporters[1].post(f"/binh-luan/{cid}/bao-cao", {"reason": "abuse"})
    assert cid in comments_on(Person(app).page(w.page)).comments
    last = reporters[2].post_js(f"/binh-luan/{cid}/bao-cao", {"reason": "other", "details": "lừa đảo"})
    assert last.status_code == 200 and last.json == {"hidden": True}

    db.session.rollback()
    assert db.session.get(Comment, cid).status == CommentStatus.HIDDEN
    reasons = db.session.scalars(select(CommentReport.reason).where(CommentReport.comment_id == cid)).all()
    assert len(reasons) == 3 and any(r.endswith(": bán hàng") for r in reasons)
    for viewer in (Person(app), Person(app, w.hai)):
        page = viewer.page(w.page)
        assert cid not in comments_on(page).comments and "Quảng cáo" not in page
    listed = Person(app).client.get(f"/api/v1/initiatives/{w.pub}/comments").json
    assert listed["items"] == [] and listed["total"] == 0
    # Its author still sees it, with a note.
    own = comments_on(dan.page(w.page)).comments[cid]
    assert own["note"] and own["body"] == "Quảng cáo bán hàng giá rẻ"
    mine = dan.client.get(f"/api/v1/initiatives/{w.pub}/comments", headers=api_headers(w.dan)).json
    assert [(i["id"], i["status"]) for i in mine["items"]] == [(cid, "own_hidden")]
    assert stored_counts(w.pub) == (0, 0)


def test_a_user_cannot_report_their_own_comment(app, w):
    dan = Person(app, w.dan)
    dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Của tôi"})
    (cid,) = comment_ids(w.pub)
    response = dan.post_js(f"/binh-luan/{cid}/bao-cao", {"reason": "spam"})
    assert response.status_code == 409
    assert "cannot report your own comment" in response.json["error"]["message"]


def test_markup_in_a_comment_is_shown_as_text_and_links_are_nofollow(app, w):
    dan = Person(app, w.dan)
    body = (
        "<script>alert(1)</script> và <img src=x onerror=alert(1)>\n"
        "Xem https://dichvucong.gov.vn/p?a=1&b=2 nhé"
    )
    assert dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": body}).status_code == 302
    page = Person(app).page(w.page)
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert (
        '<a href="https://dichvucong.gov.vn/p?a=1&amp;b=2" rel="nofollow ugc noopener" target="_blank">'
        "https://dichvucong.gov.vn/p?a=1&amp;b=2</a>"
    ) in page
    assert "&lt;img src=x onerror=alert(1)&gt;<br>\nXem" in page
    (cid,) = comment_ids(w.pub)
    assert comments_on(page).comments[cid]["body"] == body  # the text the reader sees, unchanged


# --- the API ----------------------------------------------------------------------------------


def test_api_like_and_unlike_are_idempotent(app, client, w):
    headers = api_headers(w.dan)
    url = f"/api/v1/initiatives/{w.pub}/like"
    assert client.put(url, headers=headers).json == {"liked": True, "like_count": 1}
    assert client.put(url, headers=headers).json == {"liked": True, "like_count": 1}
    assert client.delete(url, headers=headers).json == {"liked": False, "like_count": 0}
    assert client.delete(url, headers=headers).json == {"liked": False, "like_count": 0}
    assert client.put(url, headers=api_headers(w.chua)).status_code == 403
    assert written(w.pub) == (0, 0, 2)


def test_api_comments_list_create_reply_and_report(app, client, w):
    url = f"/api/v1/initiatives/{w.pub}/comments"
    dan, hai = api_headers(w.dan), api_headers(w.hai)
    created = client.post(url, json={"body": "  Rất hay!  "}, headers=dan)
    assert created.status_code == 201
    first = created.json
    assert first["body"] == "Rất hay!" and first["author"] == "Trần Thị Dân"
    assert first["parent_id"] is None and first["replies"] == [] and first["edited"] is False
    assert re.search(r"\+07:00$", first["created_at"])
    reply = client.post(url, json={"body": "Đồng ý", "parent_id": first["id"]}, headers=hai).json
    deeper = client.post(url, json={"body": "Cảm ơn", "parent_id": reply["id"]}, headers=dan).json
    assert reply["parent_id"] == first["id"] and deeper["parent_id"] == first["id"]

    listed = client.get(url).json
    assert listed["page"] == 1 and listed["pages"] == 1 and listed["total"] == 1
    (thread,) = listed["items"]
    assert set(thread) == {"id", "body", "author", "created_at", "edited", "parent_id", "status", "replies"}
    assert [r["body"] for r in thread["replies"]] == ["Đồng ý", "Cảm ơn"]

    empty = client.post(url, json={"body": " "}, headers=dan)
    assert empty.status_code == 422 and "body" in empty.json["error"]["fields"]
    too_long = client.post(url, json={"body": "x" * 2001}, headers=dan)
    assert too_long.status_code == 422 and too_long.json["error"]["fields"]["body"]
    assert client.post(url, json={"body": "Xin chào"}, headers=api_headers(w.chua)).status_code == 403
    assert client.post(url, json={"body": "Xin chào"}).status_code == 401

    report_url = f"/api/v1/comments/{first['id']}/report"
    assert client.post(report_url, json={}, headers=hai).status_code == 422
    assert client.post(report_url, json={"reason": "spam"}, headers=hai).json == {"hidden": False}
    assert client.post(report_url, json={"reason": "spam"}, headers=dan).status_code == 409  # own comment
    assert client.post(report_url, json={"reason": "spam"}, headers=api_headers(w.ba)).json == {
        "hidden": False
    }
    assert client.post(report_url, json={"reason": "spam"}, headers=api_headers(w.bon)).json == {
        "hidden": True
    }
    # Hidden, but kept as a placeholder because it has replies.
    (thread,) = client.get(url).json["items"]
    assert thread["status"] == "hidden" and thread["body"] == "" and thread["author"] is None
    assert len(thread["replies"]) == 2
    assert stored_counts(w.pub) == (0, 2)

    clock.travel(timedelta(days=11))
    closed = client.post(url, json={"body": "Muộn"}, headers=api_headers(w.dan))
    assert closed.status_code == 409 and "closed" in closed.json["error"]["message"]


def test_api_comments_are_paginated_20_threads_a_page(app, client, w):
    for n in range(23):
        db.session.add(
            Comment(
                initiative_id=w.pub,
                user_id=w.dan.id,
                body=f"Ý kiến {n}",
                created_at=clock.now() + timedelta(seconds=n),
            )
        )
    db.session.commit()
    first = client.get(f"/api/v1/initiatives/{w.pub}/comments").json
    assert first["pages"] == 2 and first["total"] == 23 and len(first["items"]) == 20
    assert first["items"][0]["body"] == "Ý kiến 22"
    second = client.get(f"/api/v1/initiatives/{w.pub}/comments?page=2").json
    assert [i["body"] for i in second["items"]] == ["Ý kiến 2", "Ý kiến 1", "Ý kiến 0"]
    page2 = Person(app).page(f"{w.page}?cpage=2")
    assert len(comments_on(page2).comments) == 3
    assert f'href="/sang-kien/{w.pub}?cpage=1#comments"' in page2


def test_a_page_of_comments_costs_the_same_few_queries_however_many_there_are(app, w):
    authors = [w.dan.id, w.hai.id]
    replier = w.ba.id

    def queries_for_page(n_threads: int) -> int:
        db.session.execute(Comment.__table__.delete())
        for n in range(n_threads):
            top = Comment(initiative_id=w.pub, user_id=authors[n % 2], body=f"#{n}", created_at=clock.now())
            db.session.add(top)
            db.session.flush()
            for _r in range(2):
                db.session.add(
                    Comment(
                        initiative_id=w.pub,
                        user_id=replier,
                        parent_id=top.id,
                        body="re",
                        created_at=clock.now(),
                    )
                )
        db.session.commit()
        db.session.expunge_all()
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            page = queries.comments_page(w.pub, 1, None)
            names = {row.comment.user.full_name for row in page.items}
            names |= {reply.comment.user.full_name for row in page.items for reply in row.replies}
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert len(names) == 3
        return len([sql for sql in statements if sql != "BEGIN"])  # SQLite's own BEGIN aside

    # The page's threads and their replies, each with its authors joined; the count only when
    # there is more than one page.
    assert queries_for_page(3) == 2
    assert queries_for_page(25) == queries_for_page(60) == 3


# --- counts -----------------------------------------------------------------------------------


def test_counts_on_the_gallery_card_and_the_page_agree(app, w):
    dan, hai, ba = Person(app, w.dan), Person(app, w.hai), Person(app, w.ba)
    for person in (dan, hai, ba):
        person.post(f"/sang-kien/{w.pub}/thich")
    hai.post(f"/sang-kien/{w.pub}/bo-thich")
    dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Một"})
    dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Hai"})
    hai.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Ba"})
    dan.post(f"/binh-luan/{comment_ids(w.pub)[1]}/xoa")

    visitor = Person(app)
    page = visitor.page(w.page)
    assert header_counts(page) == (2, 2) and like_count(page) == 2
    gallery = visitor.page("/sang-kien/")
    card = re.search(r'<article class="card[^"]*"[^>]*>.*?</article>', gallery, re.S).group(0)
    numbers = [int(n) for n in re.findall(r"</svg>\s*([\d.]+)<span class=\"visually-hidden\"", card)]
    assert numbers == [2, 2]
    assert stored_counts(w.pub) == (2, 2)


# --- rate limits ------------------------------------------------------------------------------


class TestRateLimits:
    @pytest.fixture
    def app_overrides(self):
        return {
            "RATELIMIT_ENABLED": True,
            "COMMENT_LIMIT": "5/minute",
            "COMMENT_LIMIT_PER_IP": "100/minute",
            "LIKE_LIMIT": "3/minute",
            "REPORT_LIMIT": "2/minute",
        }

    def test_the_sixth_comment_in_a_minute_gets_429_with_the_text_kept(self, app, w):
        dan = Person(app, w.dan)
        for n in range(5):
            assert dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": f"Ý kiến {n}"}).status_code == 302
        response = dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Ý kiến thứ sáu"})
        assert response.status_code == 429
        page = response.get_data(as_text=True)
        assert "You have posted several comments in a short time." in page
        assert ">Ý kiến thứ sáu</textarea>" in page
        assert len(comment_ids(w.pub)) == 5
        # The API shares the budget.
        api = dan.client.post(
            f"/api/v1/initiatives/{w.pub}/comments", json={"body": "API"}, headers=api_headers(w.dan)
        )
        assert api.status_code == 429 and api.json["error"]["code"] == "too_many_requests"
        # Another person is not affected.
        assert Person(app, w.hai).post(f"/sang-kien/{w.pub}/binh-luan", {"body": "Tôi"}).status_code == 302

    def test_likes_too_fast_get_a_clear_429(self, app, w):
        dan = Person(app, w.dan)
        for path in ("thich", "bo-thich", "thich"):
            assert dan.post_js(f"/sang-kien/{w.pub}/{path}").status_code == 200
        response = dan.post_js(f"/sang-kien/{w.pub}/bo-thich")
        assert response.status_code == 429
        assert "too quickly" in response.json["error"]["message"]
        plain = dan.post(f"/sang-kien/{w.pub}/thich")
        assert plain.status_code == 429 and "too quickly" in plain.get_data(as_text=True)
        assert stored_counts(w.pub) == (1, 0)

    def test_reports_are_limited(self, app, w):
        dan, hai = Person(app, w.dan), Person(app, w.hai)
        for n in range(3):
            dan.post(f"/sang-kien/{w.pub}/binh-luan", {"body": f"#{n}"})
        ids = comment_ids(w.pub)
        assert [hai.post(f"/binh-luan/{cid}/bao-cao", {"reason": "spam"}).status_code for cid in ids] == [
            302,
            302,
            429,
        ]
