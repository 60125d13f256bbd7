"""Reading engagement CSV files from other platforms: pure rules, no app, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.engagement.external import (
    EXAMPLE_CSV,
    MAX_ROWS,
    ExternalRow,
    parse_count,
    parse_external_csv,
    parse_moment,
    parse_platform,
    url_problem,
)

NOW = datetime(2025, 5, 20, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
HEADER = "initiative_id,platform,likes,comments,shares,measured_at,source_url\n"


def parse(text: str):
    return parse_external_csv(text, now=NOW)


def codes(problems) -> list[tuple[int, str, str]]:
    return [(p.line, p.field, p.code) for p in problems]


def test_english_header_and_a_good_row():
    rows, problems = parse(HEADER + "12,fanpage,1234,56,7,2025-05-15T20:30:00+07:00,https://fb.com/p/1\n")
    assert problems == []
    assert rows == [
        ExternalRow(
            line=2,
            initiative_id=12,
            platform="fanpage",
            likes=1234,
            comments=56,
            shares=7,
            measured_at=datetime(2025, 5, 15, 13, 30, tzinfo=UTC),
            source_url="https://fb.com/p/1",
        )
    ]


def test_vietnamese_headers_semicolons_bom_and_local_times():
    text = (
        "\ufeffMã sáng kiến;Nền tảng;Lượt thích;Bình luận;Chia sẻ;Thời điểm;Đường dẫn\r\n"
        "12;Facebook;1.234;5;0;15/05/2025 20:30;https://www.facebook.com/a?x=1,2\r\n"
        "13;Cổng thông tin;10;0;0;1/5/2025 8:05;\r\n"
    )
    rows, problems = parse(text)
    assert problems == []
    assert [(r.initiative_id, r.platform, r.likes) for r in rows] == [
        (12, "fanpage", 1234),
        (13, "portal", 10),
    ]
    assert rows[0].measured_at == datetime(2025, 5, 15, 13, 30, tzinfo=UTC)  # 20:30 in Vietnam
    assert rows[1].measured_at == datetime(2025, 5, 1, 1, 5, tzinfo=UTC)
    assert rows[1].source_url == ""


def test_snake_case_vietnamese_headers_and_tabs():
    text = (
        "ma_sang_kien\tnen_tang\tluot_thich\tbinh_luan\tchia_se\tthoi_diem\tduong_dan\n"
        "7\tZalo\t1,234\t2\t3\t2025-05-19 22:00\thttps://zalo.me/x\n"
    )
    rows, problems = parse(text)
    assert problems == []
    assert (rows[0].platform, rows[0].likes, rows[0].measured_at) == (
        "zalo_oa",
        1234,
        datetime(2025, 5, 19, 15, 0, tzinfo=UTC),
    )


def test_comma_file_with_quoted_thousands():
    rows, problems = parse(HEADER + '5,portal,"1,234","12,000",0,2025-05-19T00:00:00Z,\n')
    assert problems == []
    assert (rows[0].likes, rows[0].comments) == (1234, 12000)


def test_the_example_file_reads_without_problems():
    rows, problems = parse(EXAMPLE_CSV)
    assert problems == []
    assert {r.platform for r in rows} == {"fanpage", "zalo_oa", "portal"}


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("fanpage", "fanpage"),
        ("Facebook", "fanpage"),
        ("FANPAGE", "fanpage"),
        ("Zalo", "zalo_oa"),
        ("zalo_oa", "zalo_oa"),
        ("Zalo OA", "zalo_oa"),
        ("Cổng thông tin", "portal"),
        ("cong thong tin dien tu", "portal"),
        ("portal", "portal"),
        ("Khác", "other"),
        ("other", "other"),
        ("TikTok", None),
        ("", None),
    ],
)
def test_platform_names(raw, expected):
    assert parse_platform(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0", (0, None)),
        ("1234", (1234, None)),
        ("1.234", (1234, None)),
        ("1,234", (1234, None)),
        ("1.234.567", (1234567, None)),
        (" 12 ", (12, None)),
        ("1 234", (1234, None)),
        ("", (None, "required")),
        ("-3", (None, "negative")),
        ("1.5", (None, "bad_number")),
        ("1,23", (None, "bad_number")),
        ("1.234,567", (None, "bad_number")),
        ("12a", (None, "bad_number")),
        ("１２", (None, "bad_number")),  # full-width digits
        ("99999999999", (None, "count_too_large")),
    ],
)
def test_counts(raw, expected):
    assert parse_count(raw) == expected


@given(st.integers(min_value=0, max_value=2_147_483_647))
def test_any_count_grouped_either_way_reads_back(n):
    assert parse_count(f"{n:,}") == (n, None)
    assert parse_count(f"{n:,}".replace(",", ".")) == (n, None)
    assert parse_count(str(n)) == (n, None)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2025-05-15T20:30:00+07:00", datetime(2025, 5, 15, 13, 30, tzinfo=UTC)),
        ("2025-05-15T13:30:00Z", datetime(2025, 5, 15, 13, 30, tzinfo=UTC)),
        ("2025-05-15 20:30", datetime(2025, 5, 15, 13, 30, tzinfo=UTC)),  # naive: Vietnam time
        ("15/05/2025 20:30", datetime(2025, 5, 15, 13, 30, tzinfo=UTC)),
        ("15/05/2025 20:30:15", datetime(2025, 5, 15, 13, 30, 15, tzinfo=UTC)),
        ("01/01/2025 03:00", datetime(2024, 12, 31, 20, 0, tzinfo=UTC)),  # the day before in UTC
        ("15/05/2025", None),
        ("2025-05-15", None),
        ("31/02/2025 10:00", None),
        ("05/15/2025 10:00", None),
        ("hôm qua", None),
        ("", None),
    ],
)
def test_moments(raw, expected):
    assert parse_moment(raw) == expected


@pytest.mark.parametrize(
    "url, expected",
    [
        ("", None),
        ("https://www.facebook.com/unghoa/posts/1", None),
        ("http://unghoa.hanoi.gov.vn/tin?id=5", None),
        ("javascript:alert(1)", "bad_url"),
        ("ftp://example.vn/file", "bad_url"),
        ("www.facebook.com/x", "bad_url"),
        ("https://", "bad_url"),
        ("https://exa mple.vn", "bad_url"),
        ("https://example.vn:99999/", "bad_url"),
        ("https://example.vn/" + "a" * 481, None),  # 500 characters
        ("https://example.vn/" + "a" * 482, "url_too_long"),
    ],
)
def test_urls(url, expected):
    assert url_problem(url) == expected


def test_every_bad_value_is_reported_with_its_line_and_field():
    text = HEADER + (
        "12,fanpage,10,1,0,15/05/2025 20:30,https://fb.com/1\n"  # line 2: fine
        "abc,TikTok,-1,1.5,x,hôm qua,ftp://x\n"  # line 3: everything wrong
        "\n"  # line 4: blank, skipped
        "13,zalo,,2,3,2030-01-01T00:00:00+07:00,https://zalo.me/x\n"  # line 5
    )
    rows, problems = parse(text)
    assert [r.line for r in rows] == [2]
    assert codes(problems) == [
        (3, "initiative_id", "bad_id"),
        (3, "platform", "bad_platform"),
        (3, "likes", "negative"),
        (3, "comments", "bad_number"),
        (3, "shares", "bad_number"),
        (3, "measured_at", "bad_datetime"),
        (3, "source_url", "bad_url"),
        (5, "likes", "required"),
        (5, "measured_at", "in_future"),
    ]
    assert problems[1].value == "TikTok"


def test_a_quoted_value_over_two_lines_keeps_the_line_numbers_right():
    text = (
        HEADER + '12,fanpage,1,2,3,15/05/2025 20:30,"https://fb.com/\n1"\n13,zalo,x,0,0,15/05/2025 20:30,\n'
    )
    _rows, problems = parse(text)
    assert codes(problems) == [(2, "source_url", "bad_url"), (4, "likes", "bad_number")]


def test_a_few_minutes_ahead_is_tolerated_but_not_an_hour():
    def at(moment: datetime) -> str:
        return HEADER + f"1,fanpage,1,1,1,{moment.isoformat()},\n"

    assert parse(at(NOW + timedelta(minutes=4)))[1] == []
    assert codes(parse(at(NOW + timedelta(hours=1)))[1]) == [(2, "measured_at", "in_future")]


def test_missing_columns_are_named_on_line_one():
    _rows, problems = parse("initiative_id,platform,likes\n1,fanpage,3\n")
    assert codes(problems) == [
        (1, "comments", "missing_column"),
        (1, "shares", "missing_column"),
        (1, "measured_at", "missing_column"),
    ]


def test_the_source_column_may_be_left_out():
    rows, problems = parse(
        "initiative_id,platform,likes,comments,shares,measured_at\n1,portal,3,0,0,19/05/2025 08:00\n"
    )
    assert problems == [] and rows[0].source_url == ""


def test_empty_file_and_header_only():
    assert codes(parse("")[1]) == [(1, "file", "empty")]
    assert codes(parse("\ufeff")[1]) == [(1, "file", "empty")]
    assert codes(parse(HEADER)[1]) == [(2, "file", "no_rows")]
    assert codes(parse(HEADER + "\n,,,,,,\n")[1]) == [(2, "file", "no_rows")]


def test_the_same_snapshot_twice_is_a_duplicate():
    line = "12,fanpage,10,1,0,15/05/2025 20:30,\n"
    rows, problems = parse(HEADER + line + line.replace("fanpage", "Facebook"))
    assert len(rows) == 1
    assert codes(problems) == [(3, "measured_at", "duplicate")]
    assert problems[0].value == "2"


def test_too_many_rows_stops_the_reading():
    body = "".join(f"{n},fanpage,1,1,1,15/05/2025 20:30,\n" for n in range(1, MAX_ROWS + 3))
    rows, problems = parse(HEADER + body)
    assert codes(problems) == [(MAX_ROWS + 2, "file", "too_many_rows")]
    assert len(rows) == MAX_ROWS
