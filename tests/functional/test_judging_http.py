"""The judges' pages: assignments with progress, the review form (draft, submit, change), conflicts.

A judge only ever sees his or her own review, never scores an initiative of his or her own unit,
and, while judging is open, sees no engagement counts when the organizers hide them.
"""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app import clock
from app.judging import service
from models import AuditEntry, InitiativeStatus, Review, ReviewStatus, RoleName, StageKind, db
from tests.conftest import Browser
from tests.factories import full_scores, make_contest, make_initiative, make_judging, make_unit, make_user


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": False}


@pytest.fixture
def w(app):
    contest = make_contest()
    unit = make_unit("Xã Liên Bạt", code="UH-LB")
    item = make_initiative(contest, unit, title="Một cửa số Liên Bạt", images=2, documents=1, likes=17)
    item.video_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    item.comment_count = 5
    item.view_count = 230
    db.session.commit()
    a, b = make_judging(contest, judges=2)  # every judge reviews every initiative
    return SimpleNamespace(
        contest=contest,
        unit=unit,
        item=item,
        a=a,
        b=b,
        criteria=service.rubric(contest),
        page=f"/cham-diem/{item.id}",
    )


class Judge:
    """One signed-in person with his or her own session, reading the pages in English.

    After each request the test's own transaction ends, so that its next write does not start
    from a snapshot older than the request's commit (SQLite refuses that write).
    """

    def __init__(self, app, user):
        self.client = app.test_client()
        self.user = user
        email = user.email
        db.session.rollback()
        assert Browser(self.client).login(email).status_code == 302
        self.client.get("/lang/en?next=/")
        self._token = Browser(self.client).token("/auth/forgot")
        db.session.rollback()

    def get(self, path):
        response = self.client.get(path)
        db.session.rollback()
        return response

    def html(self, path) -> str:
        response = self.get(path)
        assert response.status_code == 200, response.status_code
        return response.get_data(as_text=True)

    def post(self, path, data=None):
        response = self.client.post(path, data={"csrf_token": self._token, **(data or {})})
        db.session.rollback()
        return response


def score_data(criteria, values, **extra) -> dict:
    """The review form's fields: one score per criterion (a value of None leaves the field empty)."""
    data = {f"score_{c.id}": "" if v is None else str(v) for c, v in zip(criteria, values, strict=True)}
    data.update(extra)
    return data


def field_value(html: str, criterion_id: int) -> str | None:
    match = re.search(rf'<input[^>]*data-testid="score-{criterion_id}"[^>]*>', html)
    assert match, f"no score field for criterion {criterion_id}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else None


def error_beside(html: str, criterion_id: int) -> str | None:
    match = re.search(rf'data-testid="error-{criterion_id}">([^<]*)<', html)
    return match.group(1).strip() if match else None


def review_actions(review_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == "review", AuditEntry.object_id == str(review_id))
            .order_by(AuditEntry.id)
        )
    )


def reviews_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Review.id)))


# --- the list of assignments ----------------------------------------------------------------------


def test_assignments_show_progress_status_per_initiative_and_the_window(app, w):
    second = make_initiative(w.contest, make_unit(), title="Chợ 4.0", images=0)
    third = make_initiative(w.contest, make_unit(), title="Sổ tay đảng viên", images=0)
    withdrawn = make_initiative(w.contest, make_unit(), title="Đã rút", images=0)
    service.assign_work(make_user(role=RoleName.ORGANIZER), w.contest)
    withdrawn.status = InitiativeStatus.WITHDRAWN
    db.session.commit()
    service.save_review(w.a, w.item, full_scores(w.contest, 0.8), submit=True)
    service.save_review(w.a, second, {w.criteria[0].id: 6})

    html = Judge(app, w.a).html("/cham-diem/")
    statuses = dict(re.findall(r'data-testid="assignment-(\d+)" data-status="(\w+)"', html))
    assert statuses == {str(w.item.id): "submitted", str(second.id): "draft", str(third.id): "todo"}
    assert "1 of 3 submitted" in html
    assert re.search(r'<progress[^>]*max="3" value="1"', html)
    assert "Đã rút" not in html  # withdrawn after the assignment: no longer judged
    assert "Xã Liên Bạt" in html and "Digital government" in html
    closes = w.contest.stage(StageKind.JUDGING).closes_at
    assert f"Judging is open until {app.jinja_env.filters['dt'](closes)}" in html
    assert 'data-open="true"' in html
    assert f'href="/cham-diem/{w.item.id}"' in html


def test_a_judge_off_the_panel_sees_why_the_list_is_empty(app, w):
    outsider = make_user(role=RoleName.JUDGE)
    response = Judge(app, outsider).get("/cham-diem/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-testid="not-on-panel"' in html and "You are not on the expert panel" in html
    assert 'data-testid="assignment-' not in html


def test_the_nav_shows_judging_to_judges_only(app, w):
    assert 'href="/cham-diem/"' in Judge(app, w.a).html("/")
    assert 'href="/cham-diem/"' not in Judge(app, make_user()).html("/")


def test_people_without_the_judge_role_are_refused(app, w):
    for user in (
        make_user(),
        make_user(role=RoleName.ORGANIZER),
        make_user(role=RoleName.UNIT_REP, rep_of=w.unit),
    ):
        person = Judge(app, user)
        assert person.get("/cham-diem/").status_code == 403
        assert person.get(w.page).status_code == 403
        assert person.post(w.page, score_data(w.criteria, [5] * 5)).status_code == 403
        assert person.post(f"{w.page}/xung-dot", {"reason": "x"}).status_code == 403
    anonymous = app.test_client().get(w.page)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    assert reviews_count() == 0


# --- the review page ----------------------------------------------------------------------------


def test_the_review_page_shows_the_initiative_and_each_criterion_with_its_description(app, w):
    html = Judge(app, w.a).html(w.page)
    item = w.item
    assert item.title in html and "Xã Liên Bạt" in html and item.summary in html
    for text in (item.problem, item.solution, item.results, item.cost):
        assert text in html
    for image in item.images:
        assert f"/tep/anh/{image.token}/thumb.jpg" in html
    assert f"/tep/tai-lieu/{item.documents[0].token}.pdf" in html
    assert item.video_url in html
    for c in w.criteria:  # English names and descriptions in English
        assert c.name_en in html and escape(c.description_en) in html
        field = re.search(rf'<input[^>]*data-testid="score-{c.id}"[^>]*>', html).group(0)
        for attribute in ('type="number"', 'inputmode="decimal"', 'step="any"', 'min="0"', 'max="10"'):
            assert attribute in field
    assert "Score from 0 to 10 · weight 25" in html
    assert 'data-testid="save-draft"' in html and 'data-testid="submit-review"' in html
    assert "Only you can see this note" in html


def test_criteria_come_in_vietnamese_by_default(app, w):
    client = app.test_client()
    Browser(client).login(w.a.email)
    html = client.get(w.page).get_data(as_text=True)
    assert "Tính khả thi" in html and "Có thể triển khai với nguồn lực" in html
    assert "Feasibility" not in html


def test_draft_then_submit_then_change_with_status_and_audit(app, w):
    judge = Judge(app, w.a)
    c = w.criteria
    response = judge.post(
        w.page, score_data(c, [8, 7, None, None, None], note="Cần xem thêm", save_draft="1")
    )
    assert response.status_code == 303 and response.headers["Location"].endswith(w.page)
    html = judge.html(w.page)
    assert "Draft saved" in html
    assert field_value(html, c[0].id) == "8" and field_value(html, c[2].id) == ""
    assert "Cần xem thêm" in html
    assert 'data-testid="review-score"' not in html  # not complete yet
    assert 'data-status="draft"' in judge.html("/cham-diem/")

    response = judge.post(w.page, score_data(c, [8, 7, 9, 6, 7.5], note="Cần xem thêm", submit_review="1"))
    assert response.status_code == 303
    html = judge.html(w.page)
    assert "Review submitted." in html
    assert 'data-testid="submitted"' in html and "You submitted this review on" in html
    # r = 100 × (25·0.8 + 25·0.7 + 20·0.9 + 15·0.6 + 15·0.75) / 100 = 75.75 → 75.8
    assert re.search(r'data-testid="review-score">Your review score: 75\.8 / 100<', html)
    assert 'data-testid="save-draft"' not in html and 'value="Save changes"' in html
    assert 'data-status="submitted"' in judge.html("/cham-diem/")

    response = judge.post(w.page, score_data(c, [5, 7, 9, 6, 7.5], note="Đã đi thực tế", submit_review="1"))
    assert response.status_code == 303
    assert "Your changes are saved; the review stays submitted." in judge.html(w.page)
    db.session.rollback()
    review = service.own_review(w.a, w.item)
    assert review.status == ReviewStatus.SUBMITTED and review.score_map[c[0].id] == 5
    assert review.note == "Đã đi thực tế"
    assert review_actions(review.id) == ["review.draft", "review.submit", "review.change"]


def test_a_submitted_review_cannot_be_emptied_by_a_later_save(app, w):
    service.save_review(w.a, w.item, full_scores(w.contest, 0.5), submit=True)
    judge = Judge(app, w.a)
    response = judge.post(w.page, score_data(w.criteria, [None, 5, 5, 5, 5], save_draft="1"))
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), w.criteria[0].id) == "This field is required."
    db.session.rollback()
    assert set(service.own_review(w.a, w.item).score_map) == {c.id for c in w.criteria}


def test_bad_scores_get_a_message_beside_each_criterion_and_keep_what_was_typed(app, w):
    judge = Judge(app, w.a)
    c = w.criteria
    response = judge.post(
        w.page, score_data(c, [11, None, "7,5", -1, 4], note="Ghi chú của tôi", submit_review="1")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_beside(html, c[0].id) == "The score is outside the allowed range."
    assert error_beside(html, c[1].id) == "This field is required."
    assert error_beside(html, c[2].id) is None
    assert error_beside(html, c[3].id) == "The score is outside the allowed range."
    assert error_beside(html, c[4].id) is None
    assert [field_value(html, x.id) for x in c] == ["11", "", "7.5", "-1", "4"]
    assert "Ghi chú của tôi" in html
    assert 'aria-invalid="true"' in html
    assert reviews_count() == 0


def test_a_score_that_is_not_a_number_is_refused_beside_its_field(app, w):
    judge = Judge(app, w.a)
    response = judge.post(w.page, score_data(w.criteria, ["tám", 5, 5, 5, 5], save_draft="1"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert error_beside(html, w.criteria[0].id) == "Enter a number."
    assert reviews_count() == 0


def test_a_closed_window_shows_the_review_read_only_and_refuses_changes(app, w):
    service.save_review(w.a, w.item, {w.criteria[0].id: 7}, "ghi chú")
    closes = w.contest.stage(StageKind.JUDGING).closes_at
    clock.freeze(closes)
    judge = Judge(app, w.a)
    html = judge.html(w.page)
    assert "Judging closed on" in html and 'data-open="false"' in html
    assert 'data-testid="submit-review"' not in html and 'data-testid="save-draft"' not in html
    assert re.search(rf'<input[^>]*data-testid="score-{w.criteria[0].id}"[^>]*disabled', html)
    assert 'data-testid="conflict-form"' not in html
    before = [a.id for a in db.session.scalars(select(AuditEntry))]
    response = judge.post(w.page, score_data(w.criteria, [9] * 5, submit_review="1"))
    assert response.status_code == 409
    refused = response.get_data(as_text=True)
    assert "The judging window is closed" in refused
    assert field_value(refused, w.criteria[0].id) == "7" and field_value(refused, w.criteria[1].id) == ""
    assert judge.post(f"{w.page}/xung-dot", {"reason": "Người thân"}).status_code == 409
    db.session.rollback()
    review = service.own_review(w.a, w.item)
    assert review.status == ReviewStatus.DRAFT and review.score_map == {w.criteria[0].id: 7}
    assert [a.id for a in db.session.scalars(select(AuditEntry))] == before
    assert 'data-open="false"' in judge.html("/cham-diem/")


def test_before_judging_opens_the_page_says_when_it_opens(app, w):
    clock.freeze(w.contest.stage(StageKind.JUDGING).opens_at - timedelta(hours=1))
    judge = Judge(app, w.a)
    html = judge.html(w.page)
    assert "Judging opens on" in html and 'data-testid="submit-review"' not in html
    assert judge.post(w.page, score_data(w.criteria, [5] * 5, save_draft="1")).status_code == 409
    assert reviews_count() == 0


# --- what a judge may not see or do ---------------------------------------------------------------


def test_a_judge_cannot_read_or_change_another_judges_review_by_page(app, w):
    service.save_review(w.a, w.item, {c.id: 9.25 for c in w.criteria}, "Bí mật của giám khảo A", submit=True)
    b = Judge(app, w.b)
    html = b.html(w.page)
    assert "Bí mật của giám khảo A" not in html and "9.25" not in html
    assert all(field_value(html, c.id) == "" for c in w.criteria)
    assert 'data-testid="review-score"' not in html and 'data-testid="submitted"' not in html
    assert b.post(w.page, score_data(w.criteria, [1] * 5, note="B", submit_review="1")).status_code == 303
    db.session.rollback()
    a_review = service.own_review(w.a, w.item)
    assert (
        a_review.score_map == {c.id: 9.25 for c in w.criteria} and a_review.note == "Bí mật của giám khảo A"
    )
    assert service.own_review(w.b, w.item).score_map == {c.id: 1 for c in w.criteria}


def test_a_judge_not_assigned_gets_403_with_the_reason(app, w):
    other = make_initiative(w.contest, make_unit(), title="Không giao", images=0)  # after the assignment run
    judge = Judge(app, w.a)
    for response in (
        judge.get(f"/cham-diem/{other.id}"),
        judge.post(f"/cham-diem/{other.id}", score_data(w.criteria, [5] * 5, submit_review="1")),
        judge.post(f"/cham-diem/{other.id}/xung-dot", {"reason": "Người thân"}),
    ):
        assert response.status_code == 403
        assert "This initiative is not assigned to you." in response.get_data(as_text=True)
    assert reviews_count() == 0


def test_a_judge_never_scores_an_initiative_of_his_or_her_own_unit(app, w):
    insider = make_user(role=RoleName.JUDGE, unit=w.unit)
    service.add_panel_member(make_user(role=RoleName.ORGANIZER), w.contest, insider)
    judge = Judge(app, insider)
    for response in (
        judge.get(w.page),
        judge.post(w.page, score_data(w.criteria, [5] * 5, submit_review="1")),
        judge.post(f"{w.page}/xung-dot", {"reason": "Đơn vị của tôi"}),
    ):
        assert response.status_code == 403
        assert "A judge never scores an initiative of his or her own unit." in response.get_data(as_text=True)
    assert reviews_count() == 0


def test_unknown_and_unpublished_initiatives_are_404(app, w):
    draft = make_initiative(w.contest, make_unit(), status=InitiativeStatus.DRAFT, images=0)
    judge = Judge(app, w.a)
    assert judge.get("/cham-diem/999999").status_code == 404
    assert judge.get(f"/cham-diem/{draft.id}").status_code == 404
    assert judge.post(f"/cham-diem/{draft.id}", {"save_draft": "1"}).status_code == 404


# --- conflicts ------------------------------------------------------------------------------------


def test_a_conflict_needs_a_reason_and_then_the_initiative_goes_to_another_judge(app):
    contest = make_contest()
    item = make_initiative(contest, make_unit(), title="Cổng dịch vụ công", images=0)
    judges = make_judging(contest, judges=2, mode="k", k=1)
    (assigned,) = [j for j in judges if service.assignment_for(j, item)]
    (spare,) = [j for j in judges if j is not assigned]
    judge = Judge(app, assigned)
    page = f"/cham-diem/{item.id}"

    response = judge.post(f"{page}/xung-dot", {"reason": "   "})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'data-testid="conflict-error">Give a reason\.', html)
    assert '<details class="border rounded p-2" open>' in html
    assert service.assignment_for(spare, item) is None

    response = judge.post(f"{page}/xung-dot", {"reason": "Vợ tôi làm việc ở đơn vị này"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/cham-diem/")
    listing = judge.html("/cham-diem/")
    assert "Conflict of interest declared" in listing
    assert f'data-testid="assignment-{item.id}" data-status="conflict"' in listing
    html = judge.html(page)
    assert 'data-testid="conflict-declared"' in html and "Vợ tôi làm việc ở đơn vị này" in html
    assert 'data-testid="submit-review"' not in html
    assert (
        judge.post(page, score_data(service.rubric(contest), [5] * 5, submit_review="1")).status_code == 409
    )
    db.session.rollback()
    assert service.assignment_for(spare, item) is not None
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"assignment.conflict", "assignments.replace"} <= actions
    assert reviews_count() == 0


# --- engagement counts ----------------------------------------------------------------------------


def test_engagement_counts_are_hidden_from_judges_when_the_organizers_choose_so(app, w):
    assert service.settings_for(w.contest).hide_engagement
    judge = Judge(app, w.a)
    for path in ("/cham-diem/", w.page):
        html = judge.html(path)
        assert 'data-testid="engagement-counts"' not in html and "17 likes" not in html
    service.update_settings(make_user(role=RoleName.ORGANIZER), w.contest, hide_engagement=False)
    for path in ("/cham-diem/", w.page):
        html = judge.html(path)
        assert 'data-testid="engagement-counts"' in html
        assert "17 likes · 5 comments · 230 views" in html
