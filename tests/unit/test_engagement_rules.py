"""Engagement rules: comment text, the editing window, reports, bots, the viewer's day, hashes, links."""

from datetime import UTC, datetime, timedelta

import pytest

from app.engagement import rules


@pytest.mark.parametrize(
    "body, problem",
    [
        ("", "comment_empty"),
        ("   \n\t ", "comment_empty"),
        ("Mô hình rất hay!", None),
        ("x" * 2000, None),
        ("  " + "x" * 2000 + "  ", None),  # trimmed first
        ("x" * 2001, "comment_too_long"),
    ],
)
def test_a_comment_has_one_to_two_thousand_characters(body, problem):
    assert rules.comment_problem(body) == problem


def test_comment_text_is_trimmed_with_blank_runs_cut():
    assert rules.clean_comment("  Xin chào\r\n\r\n\r\n\r\nCảm ơn  ") == "Xin chào\n\nCảm ơn"


def test_a_comment_can_be_edited_for_fifteen_minutes():
    written = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    assert rules.can_edit(written, written + timedelta(minutes=15))
    assert not rules.can_edit(written, written + timedelta(minutes=15, seconds=1))


def test_three_open_reports_hide_a_comment():
    assert not rules.should_hide(2)
    assert rules.should_hide(3)


@pytest.mark.parametrize(
    "agent, bot",
    [
        (
            "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
            False,
        ),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Zalo iOS", False),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", True),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", True),
        ("Mozilla/5.0 (compatible; bingbot/2.0)", True),
        ("curl/8.5.0", True),
        ("python-requests/2.32", True),
        ("", True),
        (None, True),
    ],
)
def test_known_bots_are_recognised(agent, bot):
    assert rules.is_bot(agent) is bot


def test_views_are_counted_per_vietnam_day():
    # 23:30 UTC on the 21st is already 06:30 on the 22nd in Vietnam.
    assert rules.view_day(datetime(2026, 11, 21, 23, 30, tzinfo=UTC)).isoformat() == "2026-11-22"
    assert rules.view_day(datetime(2026, 11, 21, 16, 59, tzinfo=UTC)).isoformat() == "2026-11-21"


def test_salted_hashes_hide_the_address_but_compare_equal():
    a = rules.salted_hash("203.113.1.10", "salt-1")
    assert a == rules.salted_hash("203.113.1.10", "salt-1")
    assert a != rules.salted_hash("203.113.1.11", "salt-1")
    assert a != rules.salted_hash("203.113.1.10", "salt-2")
    assert len(a) == 32 and "203" not in a
    assert rules.salted_hash("", "salt-1") == "" and rules.salted_hash(None, "salt-1") == ""


def test_links_are_found_without_their_trailing_punctuation():
    segments = rules.link_segments("Xem https://ungHoa.hanoi.gov.vn/tin-tuc. Hoặc www.zalo.me, cảm ơn!")
    links = [(s.text, s.url) for s in segments if s.url]
    assert links == [
        ("https://ungHoa.hanoi.gov.vn/tin-tuc", "https://ungHoa.hanoi.gov.vn/tin-tuc"),
        ("www.zalo.me", "http://www.zalo.me"),
    ]
    assert (
        "".join(s.text for s in segments)
        == "Xem https://ungHoa.hanoi.gov.vn/tin-tuc. Hoặc www.zalo.me, cảm ơn!"
    )


def test_only_web_links_become_links():
    segments = rules.link_segments("javascript:alert(1) mailto:a@b.vn <script>x</script>")
    assert [s.url for s in segments if s.url] == []
