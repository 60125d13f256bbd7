"""The organizers' judging tables and files (app/judging/exports.py), without an app or a database."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.judging import exports
from app.judging.exports import INT, NUMBER, SCORE, TEXT, TIME, ScoreRow, Table


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    "code, name",
    [
        ("F", "higher final score"),
        ("E", "higher expert score"),
        ("P", "higher engagement score"),
        ("submitted_at", "earlier submission"),
        ("id", "lower id"),
        (None, ""),
        ("unknown", ""),
    ],
)
def test_tie_rules_have_names(code, name):
    assert exports.tie_rule_name(code) == name


def test_every_tie_rule_of_the_engine_is_named():
    from app.judging import ranking

    assert set(exports.TIE_RULE_NAMES) == set(ranking.TIE_RULES)
    assert exports.reason_name(ranking.TOO_FEW_REVIEWS) == "too few reviews"
    assert exports.reason_name(None) == ""


@pytest.mark.parametrize(
    "value, kind, expected",
    [
        (None, TEXT, ""),
        (None, SCORE, ""),
        (77.916, SCORE, "77.92"),
        (80, SCORE, "80.00"),
        (734.0, NUMBER, "734"),
        (12.5, NUMBER, "12.5"),
        (1 / 3, NUMBER, "0.333333"),
        (-0.0, NUMBER, "0"),
        (3, INT, "3"),
        (datetime(2026, 3, 2, 10, 5), TIME, "02/03/2026 10:05"),
        ("Sáng kiến", TEXT, "Sáng kiến"),
        ("=1+1", TEXT, "'=1+1"),
        ("+84 912", TEXT, "'+84 912"),
        ("-giảm", TEXT, "'-giảm"),
        ("@all", TEXT, "'@all"),
    ],
)
def test_cell_text(value, kind, expected):
    assert exports.cell_text(value, kind) == expected


def test_csv_has_a_bom_crlf_and_quotes_what_needs_it():
    table = Table("T", ["Sáng kiến", "E"], [TEXT, SCORE], [['Một cửa, "số"', 80.0], ["Zalo\nOA", None]])
    data = exports.to_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    assert rows_of(data) == [["Sáng kiến", "E"], ['Một cửa, "số"', "80.00"], ["Zalo\nOA", ""]]


@given(st.lists(st.tuples(st.text(max_size=30), st.one_of(st.none(), st.integers(-5, 10**6))), max_size=8))
def test_csv_round_trips_text_and_numbers(values):
    table = Table("T", ["text", "n"], [TEXT, INT], [list(v) for v in values])
    rows = rows_of(exports.to_csv(table))
    assert rows[0] == ["text", "n"]
    assert len(rows) == len(values) + 1
    for (text, number), row in zip(values, rows[1:], strict=True):
        expected = ("'" + text) if text.startswith(exports._FORMULA_STARTS) else text
        assert row == [
            expected,
            "" if number is None else str(number),
        ]


def test_column_widths_fit_the_longest_text_within_bounds():
    table = Table("T", ["Id", "Sáng kiến", "x"], [INT, TEXT, TEXT], [[1, "a" * 100, ""], [22, "ngắn", ""]])
    assert exports.column_widths(table) == [exports.WIDTH_MIN, exports.WIDTH_MAX, exports.WIDTH_MIN]
    table = Table("T", ["Đơn vị hành chính"], [TEXT], [["Xã"]])
    assert exports.column_widths(table) == [len("Đơn vị hành chính") + 2]


def test_xlsx_has_a_bold_frozen_header_formats_and_widths():
    table = Table(
        "Kết quả",
        ["Hạng", "Sáng kiến", "E", "e", "Lúc nộp"],
        [INT, TEXT, SCORE, NUMBER, TIME],
        [[1, "Một cửa số", 77.92, 734.0, datetime(2026, 3, 2, 10, 0)], [None, "=SUM(A1)", None, 0.5, None]],
    )
    book = load_workbook(io.BytesIO(exports.to_xlsx([table, Table("Lần", ["a"], [TEXT], [])])))
    assert book.sheetnames == ["Kết quả", "Lần"]
    sheet = book["Kết quả"]
    assert [c.value for c in sheet[1]] == table.headers and all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].value == 1 and sheet["C2"].value == 77.92 and sheet["C2"].number_format == "0.00"
    assert (
        sheet["E2"].value == datetime(2026, 3, 2, 10, 0) and sheet["E2"].number_format == "dd/mm/yyyy hh:mm"
    )
    assert sheet["B3"].value == "=SUM(A1)" and sheet["B3"].data_type == "s"  # text, never a formula
    assert sheet["A3"].value is None
    assert sheet.column_dimensions["B"].width == len("Một cửa số") + 2
    assert sheet.auto_filter.ref == "A1:E3"
    assert book["Lần"].freeze_panes == "A2" and book["Lần"].max_row == 1


def test_a_long_sheet_title_is_cut_to_what_excel_allows():
    book = load_workbook(io.BytesIO(exports.to_xlsx([Table("x" * 40, ["a"], [TEXT], [["b"]])])))
    assert book.sheetnames == ["x" * 31]


def line(initiative_id, rank, **values):
    category = SimpleNamespace(label=lambda locale: {"en": "Digital economy"}.get(locale, "Kinh tế số"))
    initiative = SimpleNamespace(
        title=f"SK{initiative_id}", unit=SimpleNamespace(name="Xã Hòa Xá"), category=category
    )
    base = dict(
        initiative_id=initiative_id,
        initiative=initiative,
        rank=rank,
        reviews=3,
        expert_score=77.92,
        likes=420,
        commenters=35,
        views=5000,
        imported_likes=180,
        imported_comments=12,
        imported_shares=20,
        engagement=734.0,
        engagement_score=85.3,
        final_score=80.13,
        finalist=True,
        tie_rule="F",
        reason=None,
    )
    base.update(values)
    return SimpleNamespace(**base)


def test_results_table_has_the_breakdown_of_every_line():
    lines = [
        line(1, 1),
        line(
            5,
            None,
            reviews=2,
            expert_score=None,
            engagement_score=None,
            final_score=None,
            finalist=False,
            tie_rule=None,
            reason="too_few_reviews",
            initiative=SimpleNamespace(title="SK5", unit=None, category=None),
        ),
    ]
    table = exports.results_table(lines, {1: [81.25, 77.5, 75.0], 5: [87.5, 86.25]}, "vi")
    assert table.title == "Results" and len(table.headers) == len(table.kinds) == len(exports.RESULT_COLUMNS)
    first = dict(zip(table.headers, table.rows[0], strict=True))
    assert first["Rank"] == 1 and first["Initiative"] == "SK1" and first["Field"] == "Kinh tế số"
    assert first["Review scores (r)"] == "81.25; 77.50; 75.00"
    assert first["Engagement (e)"] == 734.0 and first["Final score (F)"] == 80.13
    assert first["Finalist"] == "Yes" and first["Ahead of the next by"] == "higher final score"
    assert first["Not ranked because"] == ""
    last = dict(zip(table.headers, table.rows[1], strict=True))
    assert last["Rank"] is None and last["Unit"] == "" and last["Field"] == ""
    assert last["Finalist"] == "No" and last["Not ranked because"] == "too few reviews"
    assert exports.results_table(lines[:1], {}, "en").rows[0][4] == "Digital economy"
    assert rows_of(exports.to_csv(table))[2][7] == ""


def test_scores_table_has_one_column_per_criterion():
    rows = [
        ScoreRow(
            3,
            "SK3",
            "Xã A",
            "Giám Khảo 1",
            "submitted",
            {10: 8.0, 11: 6.5},
            73.5,
            datetime(2026, 3, 9, 8, 0),
            False,
            "",
        ),
        ScoreRow(3, "SK3", "Xã A", "Giám Khảo 2", "draft", {10: 4.0}, None, None, True, "Người nhà"),
    ]
    table = exports.scores_table(rows, [(10, "Tính khả thi (0–10)"), (11, "Tính sáng tạo (0–10)")])
    assert table.headers == [
        "Initiative id",
        "Initiative",
        "Unit",
        "Judge",
        "Status",
        "Tính khả thi (0–10)",
        "Tính sáng tạo (0–10)",
        "Review score (r)",
        "Submitted at",
        "Conflict of interest",
        "Conflict reason",
    ]
    assert table.rows[0] == [
        3,
        "SK3",
        "Xã A",
        "Giám Khảo 1",
        "Submitted",
        8.0,
        6.5,
        73.5,
        datetime(2026, 3, 9, 8, 0),
        "No",
        "",
    ]
    assert table.rows[1][4:8] == ["Draft", 4.0, None, None] and table.rows[1][-2:] == ["Yes", "Người nhà"]
    assert rows_of(exports.to_csv(table))[1][8] == "09/03/2026 08:00"


def test_param_rows_name_every_parameter_in_words():
    plain = {
        "alpha": "0.7",
        "expert": "trimmed",
        "scale": "log",
        "min_reviews": 3,
        "finalists": 10,
        "category_minimum": [[2, 1], [9, 2]],
        "unit_maximum": None,
        "w_likes": "1",
    }
    labels = {name: name.upper() for name in plain} | {"trim_from": "TRIM"}
    rows = exports.param_rows(
        plain, {2: "Kinh tế số"}, labels, {"trimmed": "Trimmed"}, {"log": "Logarithmic"}
    )
    assert dict(rows) == {
        "ALPHA": "0.7",
        "EXPERT": "Trimmed",
        "SCALE": "Logarithmic",
        "MIN_REVIEWS": "3",
        "FINALISTS": "10",
        "CATEGORY_MINIMUM": "Kinh tế số: 1; #9: 2",
        "UNIT_MAXIMUM": "no limit",
        "W_LIKES": "1",
    }
    assert [label for label, _ in rows][0] == "ALPHA"  # the labels' order; a missing parameter is left out
    none = exports.param_rows({"category_minimum": {}, "unit_maximum": 2}, {}, labels, {}, {})
    assert none == [("CATEGORY_MINIMUM", "none"), ("UNIT_MAXIMUM", "2")]


def test_run_facts_then_its_parameters():
    run = SimpleNamespace(id=7, engine_version="1", digest="ab" * 32, entries=30, finalists=10)
    facts = exports.run_facts(run, created_at="02/03/2026 10:00", published_at="", params=[("α", "0.7")])
    assert facts[0] == ("Run", 7) and ("Digest (SHA-256)", "ab" * 32) in facts
    assert ("Published at", "No") in facts and facts[-1] == ("α", "0.7")
    table = exports.run_table(facts)
    assert table.headers == ["What", "Value"] and table.rows[0] == ["Run", 7]


@pytest.mark.parametrize(
    "values, expected",
    [([], None), ([5.0], 5.0), ([3.0, 1.0], 2.0), ([9.0, 1.0, 5.0], 5.0), ([4, 1, 3, 2], 2.5)],
)
def test_median(values, expected):
    assert exports.median(values) == expected


@given(st.lists(st.floats(0, 100), min_size=1, max_size=40))
def test_median_is_the_middle_of_the_sorted_scores(values):
    middle = exports.median(values)
    assert min(values) <= middle <= max(values)
    assert sum(v < middle for v in values) <= len(values) / 2 >= sum(v > middle for v in values)


def test_boxplot_data_keeps_judges_with_scores_rounded():
    data = exports.boxplot_data(
        [("Giám Khảo 1", [77.916666, 50.0]), ("Giám Khảo 2", []), ("Giám Khảo 3", [90])], "r"
    )
    assert data == {"label": "r", "labels": ["Giám Khảo 1", "Giám Khảo 3"], "data": [[77.92, 50.0], [90]]}


def test_flagged_initiatives_come_first_widest_disagreement_on_top():
    def item(i, flagged, spread):
        return SimpleNamespace(initiative=SimpleNamespace(id=i), flagged=flagged, spread=spread)

    items = [
        item(1, False, 3.0),
        item(2, True, 16.0),
        item(3, False, None),
        item(4, True, 30.0),
        item(5, False, 1.0),
    ]
    assert [i.initiative.id for i in exports.flagged_first(items)] == [4, 2, 1, 3, 5]


def test_progress_summary_adds_up_the_judges():
    judges = [
        SimpleNamespace(assigned=4, submitted=3, drafts=1, conflicts=0),
        SimpleNamespace(assigned=4, submitted=1, drafts=0, conflicts=1),
    ]
    initiatives = [SimpleNamespace(flagged=True), SimpleNamespace(flagged=False)]
    summary = exports.progress_summary(SimpleNamespace(judges=judges, initiatives=initiatives))
    assert (summary.judges, summary.initiatives, summary.assigned, summary.submitted) == (2, 2, 8, 4)
    assert (summary.drafts, summary.conflicts, summary.flagged, summary.share_submitted) == (1, 1, 1, 0.5)
    empty = exports.progress_summary(SimpleNamespace(judges=[], initiatives=[]))
    assert empty.share_submitted is None
