"""The public results page (/ket-qua/) and the method page (/ket-qua/phuong-phap) over HTTP."""

from __future__ import annotations

import json
import re
from html import unescape
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select

from app.judging import service
from models import AuditEntry, RoleName, db
from tests.factories import (
    full_scores,
    make_category,
    make_contest,
    make_initiative,
    make_judging,
    make_unit,
    make_user,
)

ROW_RE = re.compile(r'<tr data-testid="finalist-(\d+)">(.*?)</tr>', re.S)


@pytest.fixture
def w(app):
    """Five initiatives reviewed by three judges (E = 50, 60, 70, 80, 90), one with no review."""
    contest = make_contest()
    category = make_category(contest, "Chính quyền số")
    other = make_category(contest, "Kinh tế số", slug="kinh-te-so")
    units = [make_unit(f"Xã Thử {n}") for n in range(6)]
    items = [
        make_initiative(
            contest, units[n], category=category if n % 2 else other, title=f"Sáng kiến số {n}", images=0
        )
        for n in range(6)
    ]
    judges = make_judging(contest, judges=3)
    for n, item in enumerate(items[:5]):
        for judge in judges:
            service.save_review(judge, item, full_scores(contest, 0.5 + 0.1 * n), submit=True)
    organizer = make_user(role=RoleName.ORGANIZER)
    return SimpleNamespace(
        contest=contest, items=items, organizer=organizer, category=category, other=other, units=units
    )


def english(client) -> None:
    """Switch the visitor to English: the texts checked here are the English msgids."""
    assert client.get("/lang/en?next=/").status_code == 302


def finalist_rows(html: str) -> list[tuple[int, str]]:
    return [(int(i), body) for i, body in ROW_RE.findall(html)]


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_before_publication_the_page_says_so(client, w):
    service.run_ranking(w.organizer, w.contest)  # stored, not published
    response = client.get("/ket-qua/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-testid="results-not-published"' in html
    assert finalist_rows(html) == []
    assert "/ket-qua/phuong-phap" in html
    assert '<a class="nav-link" href="/ket-qua/">' in html  # the menu link
    english(client)
    assert "The results have not been published yet." in client.get("/ket-qua/").get_data(as_text=True)


def test_without_any_contest_the_page_still_answers(client, app):
    response = client.get("/ket-qua/")
    assert response.status_code == 200
    assert 'data-testid="results-not-published"' in response.get_data(as_text=True)
    assert client.get("/ket-qua/phuong-phap").status_code == 200


def test_published_finalists_in_order_with_their_breakdown(client, w):
    run = service.run_ranking(w.organizer, w.contest, {"finalists": 3})
    service.publish_run(w.organizer, run)
    html = client.get("/ket-qua/").get_data(as_text=True)
    rows = finalist_rows(html)
    assert [i for i, _ in rows] == [w.items[4].id, w.items[3].id, w.items[2].id]
    first = text_of(rows[0][1])
    assert f'href="/sang-kien/{w.items[4].id}"' in rows[0][1]
    assert "Sáng kiến số 4" in first and "Xã Thử 4" in first and "Kinh tế số" in first
    # rank, E = 90.00, 3 reviews, likes 0, commenters 0, views 0, imported 0, P = 0.00, F = 0.7·90 = 63.00
    assert first.strip() == "1 Sáng kiến số 4 Xã Thử 4 · Kinh tế số 90,00 3 0 0 0 0 0,00 63,00"
    # Only the finalists are public: neither the 4th, 5th nor the unranked entry appears.
    for item in (w.items[1], w.items[0], w.items[5]):
        assert item.title not in html
    assert run.digest in html
    anchor = db.session.scalar(
        select(AuditEntry.hash).where(AuditEntry.action == "ranking.publish").order_by(AuditEntry.id.desc())
    )
    assert anchor and f'data-testid="audit-anchor">{anchor}<' in html
    english(client)
    html = client.get("/ket-qua/").get_data(as_text=True)
    summary = text_of(html[html.index('data-testid="method-summary"') :][:1200])
    assert "α = 0.7" in summary and "at least 3 counted reviews" in summary and "The top 3" in summary
    assert "90.00" in html  # English decimals


def test_chart_data_splits_each_final_score(client, w):
    run = service.run_ranking(w.organizer, w.contest, {"finalists": 2, "alpha": 0.6})
    service.publish_run(w.organizer, run)
    html = client.get("/ket-qua/").get_data(as_text=True)
    data = json.loads(unescape(re.search(r"data-chart='([^']*)'", html).group(1)))
    assert data["labels"] == ["1. Sáng kiến số 4", "2. Sáng kiến số 3"]
    assert data["expert"] == [54.0, 48.0] and data["engagement"] == [0.0, 0.0]
    assert data["final"] == [54.0, 48.0]
    assert 'src="/static/js/chart-results.js"' in html and 'data-testid="results-chart-table"' in html
    # No inline script: every <script> has a src (the CSP is 'self').
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))


def test_unpublishing_takes_the_finalists_down_at_once(client, w):
    run = service.run_ranking(w.organizer, w.contest, {"finalists": 2})
    service.publish_run(w.organizer, run)
    assert len(finalist_rows(client.get("/ket-qua/").get_data(as_text=True))) == 2
    service.unpublish_run(w.organizer, run, "Sai sót số liệu")
    html = client.get("/ket-qua/").get_data(as_text=True)
    assert finalist_rows(html) == [] and 'data-testid="results-not-published"' in html
    second = service.run_ranking(w.organizer, w.contest, {"finalists": 1})
    service.publish_run(w.organizer, second)
    html = client.get("/ket-qua/").get_data(as_text=True)
    assert [i for i, _ in finalist_rows(html)] == [w.items[4].id] and second.digest in html


def test_results_page_reads_a_fixed_number_of_queries(client, w):
    statements = []

    def count(*args):
        statements.append(args[2])

    def queries_for(finalists: int) -> int:
        published = service.published_run(w.contest)
        if published:
            service.unpublish_run(w.organizer, published, "Chạy lại")
        service.publish_run(
            w.organizer, service.run_ranking(w.organizer, w.contest, {"finalists": finalists})
        )
        client.get("/ket-qua/")  # the run's parameters are read once per run
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/ket-qua/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    few, many = queries_for(1), queries_for(5)
    assert few == many <= 3, statements  # BEGIN, the contest with its run, the finalist lines


def test_method_page_shows_the_document_in_the_readers_language(client, w):
    vi = client.get("/ket-qua/phuong-phap").get_data(as_text=True)
    assert "1. Phạm vi" in vi and "13. Ví dụ minh họa" in vi
    assert "e5a0ea7c87e26aec8dfbcae5c49cbdf664d08015b5bc9938a7c3e7c5275c39ac" in vi  # the worked example
    assert "1. Scope" not in vi
    english(client)
    en = client.get("/ket-qua/phuong-phap").get_data(as_text=True)
    assert "1. Scope" in en and "13. Worked example" in en and "Phạm vi" not in en
    assert '<div class="table-responsive"><table class="table table-sm">' in en  # the doc's tables scroll


def test_method_page_shows_the_contests_actual_parameters(client, w):
    service.update_settings(
        w.organizer,
        w.contest,
        ranking_params={"alpha": 0.6, "category_minimum": {str(w.other.id): 1}, "unit_maximum": 2},
    )
    html = client.get("/ket-qua/phuong-phap").get_data(as_text=True)
    params = html[html.index('data-testid="contest-params"') : html.index('data-testid="method-doc"')]
    row = {
        name: text_of(body) for name, body in re.findall(r'<tr data-param="(\w+)">(.*?)</tr>', params, re.S)
    }
    assert "α = 0,6" in row["alpha"]
    assert "Kinh tế số: 1" in row["category_minimum"]
    assert row["unit_maximum"].split()[-1] == "2"
    assert row["min_reviews"].split()[-1] == "3"
    assert "Tính khả thi" in params and "Tính sáng tạo" in params  # the rubric


def test_method_page_without_overrides_shows_the_defaults(client, w):
    html = client.get("/ket-qua/phuong-phap").get_data(as_text=True)
    assert "α = 0,7" in html
    english(client)
    html = client.get("/ket-qua/phuong-phap").get_data(as_text=True)
    assert "α = 0.7" in html and "no limit" in html


def test_results_page_works_on_a_phone(client, w):
    service.publish_run(w.organizer, service.run_ranking(w.organizer, w.contest, {"finalists": 3}))
    html = client.get("/ket-qua/").get_data(as_text=True)
    table = html.index('data-testid="finalists"')
    assert html.rfind('<div class="table-responsive', 0, table) > html.rfind("</div>", 0, table)
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
