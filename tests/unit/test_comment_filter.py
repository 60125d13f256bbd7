"""The comment_html filter: what a comment's writer typed is shown as text; only links become links."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from app.engagement import comment_html

REL = 'rel="nofollow ugc noopener" target="_blank"'


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Rất hay!", "Rất hay!"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("Tôm & \"cua\" 'ghẹ'", "Tôm &amp; &#34;cua&#34; &#39;ghẹ&#39;"),
        ("Dòng 1\nDòng 2", "Dòng 1<br>\nDòng 2"),
        ("Dòng 1\n\nDòng 3", "Dòng 1<br>\n<br>\nDòng 3"),
        (
            "Xem https://dichvucong.gov.vn/thu-tuc?a=1&b=2.",
            f'Xem <a href="https://dichvucong.gov.vn/thu-tuc?a=1&amp;b=2" {REL}>'
            "https://dichvucong.gov.vn/thu-tuc?a=1&amp;b=2</a>.",
        ),
        (
            "(https://vi.wikipedia.org/wiki/Hà_Nội)",
            f'(<a href="https://vi.wikipedia.org/wiki/Hà_Nội" {REL}>https://vi.wikipedia.org/wiki/Hà_Nội</a>)',
        ),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("mailto:a@b.vn và ftp://x.vn", "mailto:a@b.vn và ftp://x.vn"),
        ("", ""),
    ],
)
def test_comment_html(text, expected):
    out = comment_html(text)
    assert isinstance(out, Markup)
    assert str(out) == expected


def test_a_link_with_markup_after_it_stays_harmless():
    out = str(comment_html('https://x.vn/"><script>alert(1)</script>'))
    assert "<script>" not in out and 'href="https://x.vn/' in out
    assert out.count("<a ") == 1


def test_none_is_an_empty_comment():
    assert comment_html(None) == Markup("")


ALLOWED_TAG = re.compile(r'<a href="[^"<>]*" rel="nofollow ugc noopener" target="_blank">|</a>|<br>')


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_text_comes_back_unchanged_once_the_allowed_tags_are_removed(text):
    out = str(comment_html(text))
    bare = ALLOWED_TAG.sub("", out)
    assert "<" not in bare and ">" not in bare  # every other angle bracket is escaped
    assert html.unescape(bare) == text
