"""Initiative rules (pure): the status machine, submission completeness, video links, search, random order."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.initiatives import rules


@pytest.mark.parametrize(
    "action, start, end",
    [
        ("submit", "draft", "submitted"),
        ("submit", "returned", "submitted"),
        ("publish", "submitted", "published"),
        ("return", "submitted", "returned"),
        ("return", "published", "returned"),
        ("reject", "submitted", "rejected"),
        ("withdraw", "submitted", "withdrawn"),
        ("withdraw", "published", "withdrawn"),
    ],
)
def test_allowed_transitions(action, start, end):
    assert rules.next_status(action, start) == end


@pytest.mark.parametrize(
    "action, start",
    [
        ("submit", "submitted"),
        ("submit", "published"),
        ("publish", "draft"),
        ("publish", "rejected"),
        ("reject", "published"),
        ("withdraw", "draft"),
        ("withdraw", "withdrawn"),
        ("submit", "rejected"),
    ],
)
def test_refused_transitions(action, start):
    with pytest.raises(rules.TransitionRefused):
        rules.next_status(action, start)


def test_actions_offered_per_status():
    assert rules.allowed_actions("draft") == ["submit"]
    assert set(rules.allowed_actions("returned")) == {
        "submit",
        "withdraw",
    }
    assert rules.allowed_actions("rejected") == []


def complete(**changes):
    base = dict(
        title="Chợ 4.0",
        summary="Thanh toán không dùng tiền mặt",
        problem="p",
        solution="s",
        results="r",
        category_id=1,
        contact_name="Anh Thành",
        image_count=1,
        document_count=0,
    )
    base.update(changes)
    return rules.SubmissionFacts(**base)


def test_a_complete_initiative_can_be_submitted():
    assert rules.submission_problems(complete()) == []


def test_what_a_submission_needs():
    problems = rules.submission_problems(
        complete(
            title=" ",
            results="",
            category_id=None,
            image_count=0,
            document_count=6,
            video_url="http://evil.example/x",
        )
    )
    assert set(problems) == {
        ("title", "required"),
        ("results", "required"),
        ("category_id", "required"),
        ("images", "need_one_image"),
        ("documents", "too_many_documents"),
        ("video_url", "bad_video_url"),
    }
    assert ("images", "too_many_images") in rules.submission_problems(complete(image_count=11))
    assert ("title", "too_long") in rules.submission_problems(complete(title="x" * 201))
    assert ("summary", "too_long") in rules.submission_problems(complete(summary="x" * 501))


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://m.youtube.com/shorts/abcdEFGhijk",
        "https://www.facebook.com/UBNDxaLienBat/videos/1234567890/",
        "https://www.facebook.com/watch/?v=1234567890",
        "https://fb.watch/abcDEF/",
    ],
)
def test_youtube_and_facebook_video_links_are_accepted(url):
    assert rules.video_url_problem(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/",
        "https://www.youtube.com/watch?list=x",
        "https://youtube.com.evil.example/watch?v=x",
        "https://www.facebook.com/UBNDxaLienBat",
        "javascript:alert(1)",
        "https://vimeo.com/123",
        "không phải đường dẫn",
    ],
)
def test_other_links_are_refused(url):
    assert rules.video_url_problem(url) == "bad_video_url"


def test_search_finds_vietnamese_without_diacritics():
    text = rules.search_text("Chuyển đổi số ở Xã Liên Bạt", "Số hóa hồ sơ", "UBND xã Liên Bạt")
    assert all(term in text for term in rules.search_terms("chuyen doi so"))
    assert all(term in text for term in rules.search_terms("CHUYỂN ĐỔI SỐ"))
    assert rules.search_terms("a  b chợ  4.0") == ["cho", "4.0"]


@given(
    st.integers(min_value=0, max_value=2**31),
    st.lists(st.integers(1, 10**6), min_size=2, max_size=50, unique=True),
)
def test_random_order_is_a_stable_permutation_for_a_seed(seed, ids):
    first = sorted(ids, key=lambda i: (rules.random_rank(i, seed), i))
    again = sorted(ids, key=lambda i: (rules.random_rank(i, seed), i))
    assert first == again and sorted(first) == sorted(ids)
