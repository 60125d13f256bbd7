"""The organizers' judging pages over HTTP: rubric, settings, panel, progress, runs, what-if, exports."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from html import unescape
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app import clock
from app.engagement.service import Source, like_initiative, visible_target
from app.judging import service
from models import AuditEntry, Criterion, PanelMember, RankingRun, RoleName, StageKind, db
from tests.conftest import Browser
from tests.factories import (
    full_scores,
    make_category,
    make_contest,
    make_initiative,
    make_judging,
    make_unit,
    make_user,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": False}


def fresh_snapshot() -> None:
    """End the test's own read transaction: on SQLite (WAL) a transaction that read before a request
    wrote could not write afterwards, and would keep showing the rows as they were."""
    db.session.commit()


class Person:
    """A signed-in browser reading the pages in English, with a CSRF token for its forms."""

    def __init__(self, app, user):
        self.client = app.test_client()
        assert Browser(self.client).login(user.email).status_code == 302
        self.client.get("/lang/en?next=/")
        self._token = None
        fresh_snapshot()

    def get(self, path, **kwargs):
        response = self.client.get(path, **kwargs)
        fresh_snapshot()
        return response

    def post(self, path, data=None, **kwargs):
        if self._token is None:
            self._token = Browser(self.client).token("/auth/forgot")
        response = self.client.post(path, data={"csrf_token": self._token, **(data or {})}, **kwargs)
        fresh_snapshot()
        return response


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def input_tag(page: str, field_id: str) -> str:
    return re.search(rf'<input[^>]*id="{field_id}"[^>]*>', page).group(0)


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def w(app):
    """A contest with judging open: three initiatives, three panel judges (all mode), the default rubric."""
    contest = make_contest()
    farms, towns = make_category(contest, "Kinh tế số"), make_category(contest, "Xã hội số")
    items = [
        make_initiative(contest, make_unit(f"Xã Số {n}"), category=(farms if n < 2 else towns), images=0)
        for n in range(3)
    ]
    judges = make_judging(contest, judges=3)
    organizer = make_user(role=RoleName.ORGANIZER, email="btc@example.vn", name="Trưởng Ban Tổ Chức")
    return SimpleNamespace(
        contest=contest,
        items=items,
        judges=judges,
        organizer=organizer,
        categories=(farms, towns),
        btc=Person(app, organizer),
    )


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def line_of(page: str, initiative_id: int) -> str:
    return page.split(f'data-testid="line-{initiative_id}"')[1].split("</tbody>")[0]


def review_all(w, fractions):
    """Every judge reviews every initiative; fractions[i][j] is judge j's share of the maximum on item i."""
    for item, row in zip(w.items, fractions, strict=True):
        for judge, fraction in zip(w.judges, row, strict=True):
            if fraction is not None:
                service.save_review(judge, item, full_scores(w.contest, fraction), submit=True)


# --- access -------------------------------------------------------------------------------------------


def test_only_organizers_reach_the_judging_pages(app, w):
    judge = Person(app, w.judges[0])
    for path in ("/admin/judging/", "/admin/judging/progress", "/admin/judging/scores.xlsx"):
        assert judge.get(path).status_code == 403
    anonymous = app.test_client().get("/admin/judging/rubric")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]


def test_the_administration_page_links_every_judging_page(w):
    page = text(w.btc.get("/admin/"))
    for page_name in ("", "rubric", "settings", "panel", "progress", "runs"):
        assert f'href="/admin/judging/{page_name}"' in page


def test_overview_shows_rubric_panel_progress_and_runs(w):
    review_all(w, [(0.5, 0.5, 0.5), (0.6, None, None), (None, None, None)])
    page = text(w.btc.get("/admin/judging/"))
    assert "5 criteria" in page and "Locked" in page
    assert "3 judges" in page and "3 initiatives to judge" in page
    assert "4 of 9 reviews submitted" in page
    assert "No ranking run yet." in page and "No run is published." in page
    run = service.run_ranking(w.organizer, w.contest)
    service.publish_run(w.organizer, run)
    page = text(w.btc.get("/admin/judging/"))
    assert f"Latest run: #{run.id}" in page and f"Published: run #{run.id}" in page


# --- rubric -------------------------------------------------------------------------------------------


@pytest.fixture
def before_judging(app):
    """A contest a day before its judging window opens, without a rubric."""
    contest = make_contest()
    clock.freeze(contest.stage(StageKind.JUDGING).opens_at - timedelta(days=1))
    organizer = make_user(role=RoleName.ORGANIZER, email="btc2@example.vn")
    return SimpleNamespace(contest=contest, organizer=organizer, btc=Person(app, organizer))


def test_an_empty_rubric_offers_the_default_one(before_judging):
    b = before_judging
    page = text(b.btc.get("/admin/judging/rubric"))
    assert 'data-testid="default-rubric"' in page and "The contest has no judging criteria yet." in page
    response = b.btc.post("/admin/judging/rubric/default")
    assert response.status_code == 302
    page = text(b.btc.get(response.headers["Location"]))
    assert "The default rubric is in place: 5 criteria." in page
    assert "Tính khả thi" in page and "Feasibility" in page and "Total weight: 100" in page
    assert b.btc.post("/admin/judging/rubric/default").status_code == 409


def test_a_criterion_is_added_with_both_names_and_bad_values_are_shown_beside_their_fields(before_judging):
    b = before_judging
    bad = b.btc.post("/admin/judging/rubric", {"name": "", "weight": "-1", "max_score": "0"})
    assert bad.status_code == 422
    page = text(bad)
    assert "This field is required." in page
    assert "The weight must be a number of 0 or more." in page
    assert "The maximum score must be a number above 0." in page
    assert service.rubric(b.contest) == []
    good = b.btc.post(
        "/admin/judging/rubric",
        {
            "name": "Mức độ ứng dụng",
            "name_en": "Use in practice",
            "description": "Số người dùng thực tế",
            "weight": "2,5",
            "max_score": "10",
            "position": "1",
        },
    )
    assert good.status_code == 302
    (criterion,) = service.rubric(b.contest)
    assert (criterion.name, criterion.name_en, criterion.weight, criterion.max_score) == (
        "Mức độ ứng dụng",
        "Use in practice",
        2.5,
        10.0,
    )
    assert "criterion.save" in audit_actions()


def test_a_criterion_is_edited_and_deleted(before_judging):
    b = before_judging
    first, second, *_ = service.install_default_rubric(b.organizer, b.contest)
    bad = b.btc.post(
        f"/admin/judging/rubric/{first.id}", {f"c{first.id}-name": "", f"c{first.id}-weight": "x"}
    )
    assert bad.status_code == 422 and "Enter a number." in text(bad)
    response = b.btc.post(
        f"/admin/judging/rubric/{first.id}",
        {
            f"c{first.id}-name": "Tính khả thi (sửa)",
            f"c{first.id}-name_en": "Feasibility",
            f"c{first.id}-weight": "30",
            f"c{first.id}-max_score": "20",
            f"c{first.id}-position": "1",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Criterion, first.id)
    assert (changed.name, changed.weight, changed.max_score) == ("Tính khả thi (sửa)", 30.0, 20.0)
    second_id = second.id
    assert b.btc.post(f"/admin/judging/rubric/{second_id}/delete").status_code == 302
    remaining = [c.id for c in service.rubric(b.contest)]
    assert len(remaining) == 4 and second_id not in remaining and first.id in remaining
    assert "criterion.delete" in audit_actions()


def test_a_locked_rubric_refuses_changes_and_unlocks_only_with_a_reason(w):
    criterion = service.rubric(w.contest)[0]
    page = text(w.btc.get("/admin/judging/rubric"))
    assert 'data-testid="rubric-locked"' in page and "The rubric is locked." in page
    assert page.count("<fieldset disabled>") >= 2 * len(service.rubric(w.contest)) + 1
    refused = w.btc.post("/admin/judging/rubric", {"name": "Mới", "weight": "1", "max_score": "10"})
    assert refused.status_code == 409
    assert "The rubric has been locked since judging opened." in text(refused)
    assert w.btc.post(f"/admin/judging/rubric/{criterion.id}/delete").status_code == 409
    assert len(service.rubric(w.contest)) == 5

    no_reason = w.btc.post("/admin/judging/rubric/unlock", {"reason": "  "})
    assert no_reason.status_code == 422 and "Give a reason." in text(no_reason)
    assert service.rubric_locked(w.contest)
    assert w.btc.post("/admin/judging/rubric/unlock", {"reason": "Bổ sung tiêu chí"}).status_code == 302
    assert not service.rubric_locked(w.contest)
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "rubric.unlock").order_by(AuditEntry.id.desc()).limit(1)
    )
    assert entry.after == {"reason": "Bổ sung tiêu chí"}
    page = text(w.btc.get("/admin/judging/rubric"))
    assert "Unlocked by Trưởng Ban Tổ Chức" in page and "Bổ sung tiêu chí" in page
    assert "<fieldset disabled>" not in page
    assert (
        w.btc.post("/admin/judging/rubric", {"name": "Mới", "weight": "1", "max_score": "10"}).status_code
        == 302
    )
    assert w.btc.post("/admin/judging/rubric/lock").status_code == 302
    assert service.rubric_locked(w.contest)


def test_a_criterion_or_run_of_another_contest_is_not_found(app, w):
    older = make_contest(year=w.contest.year - 1)
    service.unlock_rubric(w.organizer, older, "Thử")
    (criterion, *_rest) = service.install_default_rubric(w.organizer, older)
    run = service.run_ranking(w.organizer, older)
    assert w.btc.post(f"/admin/judging/rubric/{criterion.id}").status_code == 404
    assert w.btc.post(f"/admin/judging/rubric/{criterion.id}/delete").status_code == 404
    assert w.btc.get(f"/admin/judging/runs/{run.id}").status_code == 404
    assert w.btc.post(f"/admin/judging/runs/{run.id}/publish").status_code == 404
    assert w.btc.get(f"/admin/judging/runs/{run.id}/results.csv").status_code == 404
    assert w.btc.get("/admin/judging/runs/999999").status_code == 404
    assert w.btc.get("/admin/judging/runs/1/results.pdf").status_code == 404


# --- settings -----------------------------------------------------------------------------------------


def settings_form(w, **changes) -> dict:
    farms, towns = w.categories
    data = {
        "assignment_mode": "k",
        "judges_per_initiative": "2",
        "hide_engagement": "y",
        "disagreement_threshold": "12.5",
        "alpha": "0,55",
        "expert": "trimmed",
        "scale": "linear",
        "min_reviews": "2",
        "finalists": "2",
        "unit_maximum": "",
        f"category_{farms.id}": "1",
        f"category_{towns.id}": "0",
        "w_likes": "1",
        "w_commenters": "3",
        "w_views": "0",
        "w_imported_likes": "1",
        "w_imported_comments": "2",
        "w_imported_shares": "2",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_settings_show_the_defaults(w):
    page = text(w.btc.get("/admin/judging/settings"))
    assert re.search(r'id="alpha"[^>]*value="0.7"', page)
    assert "checked" in input_tag(page, "hide_engagement")
    assert re.search(r'id="finalists"[^>]*value="10"', page)
    for category in w.categories:
        assert re.search(rf'id="category_{category.id}"[^>]*value="0"', page)


def test_settings_are_saved_with_the_ranking_parameters(w):
    response = w.btc.post("/admin/judging/settings", settings_form(w))
    assert response.status_code == 302
    db.session.expire_all()
    settings = service.settings_for(w.contest)
    assert (str(settings.assignment_mode), settings.judges_per_initiative) == ("k", 2)
    assert settings.hide_engagement is True and settings.disagreement_threshold == 12.5
    params = service.effective_params(w.contest)
    assert (params.alpha, params.expert, params.scale, params.min_reviews, params.finalists) == (
        0.55,
        "trimmed",
        "linear",
        2,
        2,
    )
    assert params.unit_maximum is None and params.w_commenters == 3
    assert dict(params.category_minimum) == {w.categories[0].id: 1}
    assert "judging.settings" in audit_actions()
    page = text(w.btc.get("/admin/judging/settings"))
    assert re.search(r'id="alpha"[^>]*value="0.55"', page)
    assert "checked" in input_tag(page, "hide_engagement")
    # An unticked box is a False, not a missing value.
    assert w.btc.post("/admin/judging/settings", settings_form(w, hide_engagement=None)).status_code == 302
    assert "checked" not in input_tag(text(w.btc.get("/admin/judging/settings")), "hide_engagement")
    assert service.settings_for(w.contest).hide_engagement is False


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"alpha": "1.5"}, "α must be between 0 and 1."),
        ({"alpha": "nhiều"}, "Enter a number."),
        ({"judges_per_initiative": "0"}, "The number of judges per initiative must be at least 1."),
        ({"disagreement_threshold": "-1"}, "The disagreement threshold must be 0 or more."),
        ({"w_likes": "-2"}, "The weight must be a number of 0 or more."),
        ({"unit_maximum": "0"}, "Enter a whole number of 1 or more, or leave it empty."),
        ({"finalists": "1", "category_{towns}": "1"}, "The category minimums add up to more places"),
        ({"expert": "median"}, "Not a valid choice."),
    ],
)
def test_bad_settings_are_refused_beside_their_fields(w, changes, message):
    changes = {k.replace("{towns}", str(w.categories[1].id)): v for k, v in changes.items()}
    response = w.btc.post("/admin/judging/settings", settings_form(w, **changes))
    assert response.status_code == 422
    assert message in text(response)
    assert service.settings_for(w.contest).ranking_params == {}


def test_a_value_only_the_service_refuses_is_a_422_with_its_message(w, monkeypatch):
    def refuse(values):
        raise service.JudgingProblem("invalid_param", 422, {"params": "finalists"})

    monkeypatch.setattr(service, "clean_params", refuse)
    response = w.btc.post("/admin/judging/settings", settings_form(w))
    assert response.status_code == 422
    assert "A ranking parameter is not valid." in text(response)
    db.session.expire_all()
    assert service.settings_for(w.contest).judges_per_initiative == 3  # nothing half-written


# --- panel and assignments ----------------------------------------------------------------------------


def test_the_panel_lists_each_judges_load_and_offers_only_judges_not_on_it(w):
    review_all(w, [(0.5, None, None), (None, None, None), (None, None, None)])
    newcomer = make_user(name="Giám Khảo Mới", role=RoleName.JUDGE)
    make_user(name="Người Dân Thường")
    make_user(name="Giám Khảo Nghỉ", role=RoleName.JUDGE, active=False)
    page = text(w.btc.get("/admin/judging/panel"))
    for judge in w.judges:
        assert f'data-testid="panel-judge-{judge.id}"' in page
    row = page.split(f'data-testid="panel-judge-{w.judges[0].id}"')[1].split("</li>")[0]
    assert re.findall(r"<strong>(\d+)</strong>", row) == ["3", "1", "0", "0"]
    select_box = page.split('id="user_id"')[1].split("</select>")[0]
    assert "Giám Khảo Mới" in select_box
    assert "Người Dân Thường" not in select_box and "Giám Khảo Nghỉ" not in select_box
    assert "Giám Khảo 1" not in select_box
    assert f'value="{newcomer.id}"' in select_box


def test_a_judge_is_added_and_one_without_reviews_removed(w):
    newcomer = make_user(name="Giám Khảo Mới", role=RoleName.JUDGE)
    assert w.btc.post("/admin/judging/panel/add", {"user_id": ""}).status_code == 422
    citizen = make_user(name="Người Dân")
    assert w.btc.post("/admin/judging/panel/add", {"user_id": str(citizen.id)}).status_code == 422
    response = w.btc.post("/admin/judging/panel/add", {"user_id": str(newcomer.id)})
    assert response.status_code == 302
    assert "Giám Khảo Mới joined the panel." in text(w.btc.get("/admin/judging/panel"))
    assert service.is_panel_judge(newcomer, w.contest)
    assert w.btc.post(f"/admin/judging/panel/{newcomer.id}/remove").status_code == 302
    assert not service.is_panel_judge(newcomer, w.contest)
    assert w.btc.post(f"/admin/judging/panel/{newcomer.id}/remove").status_code == 404
    assert audit_actions().count("panel.add") == 4 and "panel.remove" in audit_actions()


def test_a_judge_with_reviews_stays_on_the_panel_with_a_409(w):
    service.save_review(w.judges[0], w.items[0], {}, submit=False)
    response = w.btc.post(f"/admin/judging/panel/{w.judges[0].id}/remove")
    assert response.status_code == 409
    assert "This judge has already reviewed initiatives and stays on the panel." in text(response)
    assert service.is_panel_judge(w.judges[0], w.contest)


def test_assigning_reports_what_was_added_and_the_initiatives_short_of_k(w):
    service.update_settings(w.organizer, w.contest, assignment_mode="k", judges_per_initiative=4)
    late = make_initiative(w.contest, make_unit(), title="Sáng kiến nộp muộn", images=0)
    response = w.btc.post("/admin/judging/panel/assign")
    assert response.status_code == 302
    page = text(w.btc.get(response.headers["Location"]))
    assert "3 assignments added." in page
    assert "4 initiatives have fewer than 4 judges:" in page
    assert "Sáng kiến nộp muộn (3 judges)" in page
    assert db.session.scalar(select(func.count()).select_from(PanelMember)) == 3
    assert late.id in {a.initiative.id for a in service.judge_assignments(w.judges[0], w.contest)}


# --- progress -----------------------------------------------------------------------------------------


def test_progress_shows_each_judge_a_box_plot_and_the_flagged_initiatives_first(w):
    review_all(w, [(0.5, 0.5, 0.6), (0.6, 0.7, None), (0.2, 0.9, 0.5)])
    service.save_review(w.judges[2], w.items[1], {}, submit=False)
    page = text(w.btc.get("/admin/judging/progress"))
    assert "8 of 9 reviews submitted" in page and "1 draft" in page
    row = page.split(f'data-testid="judge-row-{w.judges[0].id}"')[1].split("</tr>")[0]
    assert re.findall(r'<td class="text-end">([^<]*)</td>', row) == ["3", "3", "0", "0", "50.00"]
    row = page.split(f'data-testid="judge-row-{w.judges[2].id}"')[1].split("</tr>")[0]
    assert re.findall(r'<td class="text-end">([^<]*)</td>', row) == ["3", "2", "1", "0", "55.00"]

    chart = re.search(
        r"data-chart='([^']*)'", response_html := w.btc.get("/admin/judging/progress").get_data(True)
    )
    data = json.loads(unescape(chart.group(1)))
    assert data["labels"] == ["Giám Khảo 1", "Giám Khảo 2", "Giám Khảo 3"]
    assert sorted(data["data"][0]) == [20.0, 50.0, 60.0]
    assert "vendor/chartjs-chart-boxplot/index.umd.min.js" in response_html
    assert "js/judging-progress.js" in response_html

    table = page.split('data-testid="initiative-progress"')[1]
    order = [int(i) for i in re.findall(r'data-testid="initiative-row-(\d+)"', table)]
    assert order[0] == w.items[2].id  # r = 20, 90, 50: a spread of 28.67 points, above 15
    flagged = table.split(f'data-testid="initiative-row-{w.items[2].id}"')[1].split("</tr>")[0]
    assert 'data-testid="flagged"' in flagged and "28.67" in flagged and "53.33" in flagged
    assert table.count('data-testid="flagged"') == 1
    assert "Above 15 points an initiative is flagged." in page


def test_progress_without_reviews_has_no_chart_but_keeps_the_table(w):
    page = text(w.btc.get("/admin/judging/progress"))
    assert "judge-boxplot" not in page and "chartjs-chart-boxplot" not in page
    assert 'data-testid="judge-progress"' in page and page.count("—") >= 3


def test_the_box_plot_plugin_is_served_and_recorded(w, app):
    response = app.test_client().get("/static/vendor/chartjs-chart-boxplot/index.umd.min.js")
    assert response.status_code == 200 and b"BoxPlotController" in response.data
    import hashlib
    from pathlib import Path

    readme = (Path(app.static_folder) / "vendor" / "README.md").read_text()
    assert hashlib.sha256(response.data).hexdigest() in readme
    assert app.test_client().get("/static/vendor/chartjs-chart-boxplot/LICENSE").status_code == 200


# --- ranking runs -------------------------------------------------------------------------------------


def test_a_run_is_stored_listed_and_previewed_with_every_breakdown(w):
    review_all(w, [(0.5, 0.5, 0.6), (0.8, 0.7, 0.9), (0.3, None, None)])
    fan = make_user()
    like_initiative(fan, visible_target(w.items[0].id, fan), Source())
    response = w.btc.post("/admin/judging/runs")
    assert response.status_code == 302
    run = db.session.scalar(select(RankingRun).order_by(RankingRun.id.desc()))
    assert response.headers["Location"].endswith(f"/admin/judging/runs/{run.id}")

    listing = text(w.btc.get("/admin/judging/runs"))
    row = listing.split(f'data-testid="run-row-{run.id}"')[1].split("</tr>")[0]
    assert run.digest[:12] in row and "Trưởng Ban Tổ Chức" in row and "2 / 3" in row

    page = text(w.btc.get(f"/admin/judging/runs/{run.id}"))
    assert run.digest in page and "Recomputing the stored inputs gives this result and this digest." in page
    # Item 0: E = 53.33 and the only like (P = 100), F = 67.33; item 1: E = 80, P = 0, F = 56.
    top = line_of(page, w.items[0].id)
    assert (
        '<td class="fw-bold" data-testid="rank">1</td>' in top
        and "67.33" in top
        and "53.33" in top
        and "100.00" in top
    )
    assert "higher final score" in top and "Finalist" in top
    assert '<td class="text-end d-none d-lg-table-cell" data-testid="likes">1</td>' in top  # one like
    assert "Likes 1 · Commenters 0 · Views 0 · Imported 0 / 0 / 0 · e 1" in plain(top)
    second = line_of(page, w.items[1].id)
    assert '<td class="fw-bold" data-testid="rank">2</td>' in second and "90.00; 80.00; 70.00" in plain(
        second
    )
    assert "3 counted reviews" in second and "56.00" in second
    assert "higher final score" not in second  # the last ranked line decides against no one
    unranked = line_of(page, w.items[2].id)
    assert "Not ranked: too few reviews (1)" in unranked
    assert "Digest (SHA-256)" in page and 'data-testid="publish-run"' in page
    assert "Mean of the reviews" in page  # the parameters of the run


@pytest.fixture
def two_way(w):
    """The experts prefer item 1, the public item 0: α decides the single finalist."""
    review_all(w, [(0.2, 0.2, 0.2), (0.9, 0.9, 0.9), (None, None, None)])
    for _ in range(5):
        fan = make_user()
        like_initiative(fan, visible_target(w.items[0].id, fan), Source())
    service.update_settings(w.organizer, w.contest, ranking_params={"finalists": 1})
    return service.run_ranking(w.organizer, w.contest)


def test_what_if_alpha_shows_the_finalists_that_enter_and_leave(w, two_way):
    page = text(w.btc.get(f"/admin/judging/runs/{two_way.id}?alpha=0"))
    entered = page.split('data-testid="what-if-entered"')[1].split("</ul>")[0]
    left = page.split('data-testid="what-if-left"')[1].split("</ul>")[0]
    assert w.items[0].title in entered and w.items[1].title in left
    assert "F with α = 0" in page and "Rank with α = 0" in page
    line = line_of(page, w.items[0].id)
    assert "100.00" in line.split("table-info")[1]  # F under α = 0 is P = 100
    same = text(w.btc.get(f"/admin/judging/runs/{two_way.id}?alpha=0.7"))
    assert "The same finalists." in same
    assert 'data-testid="alpha-input"' in same and 'data-testid="alpha-apply"' in same
    assert db.session.scalar(select(func.count()).select_from(RankingRun)) == 1  # nothing stored


@pytest.mark.parametrize(
    "alpha, message", [("1.5", "α must be between 0 and 1."), ("abc", "Enter a number.")]
)
def test_an_invalid_alpha_is_a_422_with_its_message(w, two_way, alpha, message):
    response = w.btc.get(f"/admin/judging/runs/{two_way.id}?alpha={alpha}")
    assert response.status_code == 422
    assert message in text(response) and 'data-testid="what-if-result"' not in text(response)


def test_publish_then_another_is_a_409_and_unpublishing_needs_a_reason(w, two_way):
    other = service.run_ranking(w.organizer, w.contest)
    response = w.btc.post(f"/admin/judging/runs/{two_way.id}/publish")
    assert response.status_code == 302
    page = text(w.btc.get(response.headers["Location"]))
    assert "is published: its 1 finalist is marked" in page and 'data-testid="run-published"' in page
    assert service.published_run(w.contest).id == two_way.id

    refused = w.btc.post(f"/admin/judging/runs/{other.id}/publish")
    assert refused.status_code == 409
    assert "Another run is published. Unpublish it first, with a reason." in text(refused)
    assert f"Run #{two_way.id} is published." in text(w.btc.get(f"/admin/judging/runs/{other.id}"))

    no_reason = w.btc.post(f"/admin/judging/runs/{two_way.id}/unpublish", {"reason": ""})
    assert no_reason.status_code == 422 and "Give a reason." in text(no_reason)
    assert service.published_run(w.contest).id == two_way.id
    assert w.btc.post(f"/admin/judging/runs/{other.id}/unpublish", {"reason": "Sai"}).status_code == 409
    done = w.btc.post(f"/admin/judging/runs/{two_way.id}/unpublish", {"reason": "Sai số liệu"})
    assert done.status_code == 302
    assert service.published_run(w.contest) is None
    assert "Sai số liệu" in text(w.btc.get(f"/admin/judging/runs/{two_way.id}"))
    assert w.btc.post(f"/admin/judging/runs/{other.id}/publish").status_code == 302
    assert audit_actions().count("ranking.publish") == 2 and "ranking.unpublish" in audit_actions()


def test_a_run_without_a_rubric_is_refused_with_a_409(app):
    contest = make_contest()
    organizer = make_user(role=RoleName.ORGANIZER)
    btc = Person(app, organizer)
    response = btc.post("/admin/judging/runs")
    assert response.status_code == 409
    assert "The contest has no judging criteria yet." in text(response)
    assert db.session.scalar(select(func.count()).select_from(RankingRun)) == 0
    assert contest.id


# --- exports ------------------------------------------------------------------------------------------


@pytest.fixture
def ranked(w):
    review_all(w, [(0.5, 0.5, 0.6), (0.8, 0.7, 0.9), (0.3, None, None)])
    return service.run_ranking(w.organizer, w.contest)


def test_results_csv_opens_in_excel_with_every_column(w, ranked):
    response = w.btc.get(f"/admin/judging/runs/{ranked.id}/results.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert f"filename=ket-qua-xep-hang-{ranked.id}.csv" in response.headers["Content-Disposition"]
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:8] == [
        "Rank",
        "Initiative id",
        "Initiative",
        "Unit",
        "Field",
        "Review scores (r)",
        "Counted reviews",
        "Expert score (E)",
    ]
    assert rows[0][-4:] == ["Final score (F)", "Finalist", "Ahead of the next by", "Not ranked because"]
    assert len(rows) == 4
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Rank"] == "1" and first["Initiative id"] == str(w.items[1].id)
    assert first["Review scores (r)"] == "90.00; 80.00; 70.00" and first["Expert score (E)"] == "80.00"
    assert first["Finalist"] == "Yes" and first["Ahead of the next by"] == "higher final score"
    assert first["Field"] == "Digital government"  # the English name, in English
    last = dict(zip(rows[0], rows[3], strict=True))
    assert last["Rank"] == "" and last["Not ranked because"] == "too few reviews" and last["Finalist"] == "No"


def test_results_xlsx_has_a_bold_frozen_header_and_the_run_sheet(w, ranked):
    response = w.btc.get(f"/admin/judging/runs/{ranked.id}/results.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert f"filename=ket-qua-xep-hang-{ranked.id}.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    sheet = book["Results"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "Rank" and sheet["A1"].font.b
    assert sheet["B2"].value == w.items[1].id and sheet["C2"].value == w.items[1].title
    headers = [c.value for c in sheet[1]]
    assert sheet.cell(2, headers.index("Expert score (E)") + 1).value == 80.0
    assert sheet.cell(2, headers.index("Expert score (E)") + 1).number_format == "0.00"
    titles = [len(i.title) for i in w.items]
    assert sheet.column_dimensions["C"].width == max(titles) + 2
    facts = {row[0].value: row[1].value for row in book["Run"].iter_rows(min_row=2)}
    assert facts["Digest (SHA-256)"] == ranked.digest and facts["Run"] == ranked.id
    assert facts["Published at"] == "No"


def test_the_scores_workbook_has_every_review_with_each_criterion(w):
    review_all(w, [(0.5, 0.5, 0.6), (0.8, None, None), (None, None, None)])
    service.save_review(w.judges[1], w.items[1], {service.rubric(w.contest)[0].id: 4}, submit=False)
    service.declare_conflict(w.judges[2], w.items[2], "Người nhà làm ở đơn vị")
    response = w.btc.get("/admin/judging/scores.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert f"filename=diem-cham-{w.contest.id}.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    headers = [c.value for c in sheet[1]]
    criteria = service.rubric(w.contest)
    assert headers[:5] == ["Initiative id", "Initiative", "Unit", "Judge", "Status"]
    assert headers[5] == "Feasibility (0–10)" and len(headers) == 5 + len(criteria) + 4
    assert sheet.freeze_panes == "A2" and all(c.font.b for c in sheet[1])
    rows = [dict(zip(headers, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)]
    assert len(rows) == 5
    mine = next(r for r in rows if r["Judge"] == "Giám Khảo 3" and r["Initiative id"] == w.items[0].id)
    assert (
        mine["Status"] == "Submitted" and mine["Review score (r)"] == 60.0 and mine["Feasibility (0–10)"] == 6
    )
    assert mine["Submitted at"] is not None and mine["Conflict of interest"] == "No"
    draft = next(r for r in rows if r["Status"] == "Draft")
    assert (
        draft["Feasibility (0–10)"] == 4
        and draft["Review score (r)"] is None
        and draft["Submitted at"] is None
    )


def test_a_review_in_conflict_is_marked_in_the_scores_workbook(w):
    service.save_review(w.judges[0], w.items[0], full_scores(w.contest, 0.5), submit=True)
    service.declare_conflict(w.judges[0], w.items[0], "Người nhà")
    sheet = load_workbook(io.BytesIO(w.btc.get("/admin/judging/scores.xlsx").data)).active
    headers = [c.value for c in sheet[1]]
    (row,) = [dict(zip(headers, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)]
    assert row["Conflict of interest"] == "Yes" and row["Conflict reason"] == "Người nhà"


def test_a_title_that_looks_like_a_formula_stays_text(w):
    w.items[0].title = '=HYPERLINK("http://x")'
    db.session.commit()
    review_all(w, [(0.5, 0.5, 0.5), (None, None, None), (None, None, None)])
    run = service.run_ranking(w.organizer, w.contest)
    rows = list(
        csv.reader(
            io.StringIO(w.btc.get(f"/admin/judging/runs/{run.id}/results.csv").data.decode("utf-8-sig"))
        )
    )
    assert rows[1][2] == '\'=HYPERLINK("http://x")'
    sheet = load_workbook(io.BytesIO(w.btc.get(f"/admin/judging/runs/{run.id}/results.xlsx").data))["Results"]
    assert sheet["C2"].value == '=HYPERLINK("http://x")' and sheet["C2"].data_type == "s"


def test_a_run_of_a_contest_without_published_initiatives_is_stored_empty(app):
    contest = make_contest()
    organizer = make_user(role=RoleName.ORGANIZER)
    service.unlock_rubric(organizer, contest, "Thiết lập")
    service.install_default_rubric(organizer, contest)
    btc = Person(app, organizer)
    response = btc.post("/admin/judging/runs")
    assert response.status_code == 302
    page = text(btc.get(response.headers["Location"]))
    assert "No published initiative was in this run." in page and "0 / 0" in page
    assert rows_of_csv(btc.get(response.headers["Location"] + "/results.csv").data)[1:] == []


def rows_of_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
