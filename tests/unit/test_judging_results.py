"""The pure helpers of app/judging/results.py: the document's language halves and stored parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.judging import ranking, results

DOC = Path(__file__).resolve().parents[2] / "docs" / "RANKING.md"


def test_doc_section_takes_one_language_up_to_the_next_top_heading():
    text = "# Title\n\nIntro.\n\n## Tiếng Việt\n\n### 1. Phạm vi\nVi.\n\n## English\n\n### 1. Scope\nEn.\n"
    assert results.doc_section(text, "vi") == "\n### 1. Phạm vi\nVi.\n\n"
    assert results.doc_section(text, "en") == "\n### 1. Scope\nEn.\n"
    assert results.doc_section(text, "fr") == results.doc_section(text, "vi")  # unknown: Vietnamese


def test_both_halves_of_the_published_document_are_found():
    text = DOC.read_text(encoding="utf-8")
    vi, en = results.doc_section(text, "vi"), results.doc_section(text, "en")
    assert "### 13. Ví dụ minh họa" in vi and "## English" not in vi
    assert "### 13. Worked example" in en and "Phạm vi" not in en


def test_method_html_renders_tables_scrollable_and_no_raw_html():
    html = results.method_html("en")
    assert '<div class="table-responsive"><table class="table table-sm">' in html
    assert "<h3>1. Scope</h3>" in html
    assert "<script" not in html


@pytest.mark.parametrize(
    "params",
    [
        ranking.RankingParams(),
        ranking.RankingParams(
            expert="calibrated",
            scale="percentile",
            alpha=0.55,
            min_reviews=2,
            finalists=4,
            category_minimum={7: 1, 3: 2},
            unit_maximum=1,
            w_likes=1.5,
            w_views=0.25,
        ),
    ],
)
def test_stored_parameters_read_back_exactly(params):
    inputs = ranking.RankingInput(criteria=(ranking.Criterion(1, 1, 10),), reviews=(), entries=())
    plain = ranking.to_plain(inputs, params, ranking.RankingResult([], []))
    assert ranking.params_from_plain(plain["params"]) == params


def test_params_out_is_the_shape_the_api_accepts():
    out = results.params_out(ranking.RankingParams(category_minimum={3: 2}, alpha=0.6))
    assert out["alpha"] == 0.6 and out["category_minimum"] == {"3": 2} and out["unit_maximum"] is None
    assert set(out) == {
        "expert",
        "scale",
        "alpha",
        "min_reviews",
        "trim_from",
        "calibrate_from",
        "finalists",
        "category_minimum",
        "unit_maximum",
        "w_likes",
        "w_commenters",
        "w_views",
        "w_imported_likes",
        "w_imported_comments",
        "w_imported_shares",
    }
