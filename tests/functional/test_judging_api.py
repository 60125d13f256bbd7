"""The judges' API: assignments, and the caller's own review (GET, PUT draft / submit / change)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app import clock
from app.auth.service import issue_api_token
from app.judging import service
from models import AuditEntry, InitiativeStatus, Review, ReviewStatus, RoleName, StageKind, db
from tests.factories import full_scores, make_contest, make_initiative, make_judging, make_unit, make_user


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": False}


@pytest.fixture
def w(app):
    contest = make_contest()
    unit = make_unit("Xã Viên An", code="UH-VA")
    item = make_initiative(contest, unit, title="Sổ tay đảng viên điện tử", images=0)
    a, b = make_judging(contest, judges=2)  # both judges review every initiative
    return SimpleNamespace(
        contest=contest,
        unit=unit,
        item=item,
        a=a,
        b=b,
        criteria=service.rubric(contest),
        path=review_path(item.id),
    )


def review_path(initiative_id: int) -> str:
    return f"/api/v1/judging/initiatives/{initiative_id}/review"


def auth(user) -> dict:
    db.session.rollback()
    token, _row = issue_api_token(user)
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


def reviews_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Review.id)))


def test_assignments_list_the_current_contest_with_the_state_of_each_review(app, client, w):
    second = make_initiative(w.contest, make_unit(), title="Chợ 4.0", images=0)
    third = make_initiative(w.contest, make_unit(), title="Cổng dịch vụ công", images=0)
    service.assign_work(make_user(role=RoleName.ORGANIZER), w.contest)
    service.save_review(w.a, w.item, full_scores(w.contest, 0.7), submit=True)
    service.save_review(w.a, second, {w.criteria[0].id: 4})
    service.declare_conflict(w.a, third, "Người thân")
    response = client.get("/api/v1/judging/assignments", headers=auth(w.a))
    assert response.status_code == 200
    assert response.json == [
        {"initiative_id": w.item.id, "title": "Sổ tay đảng viên điện tử", "status": "submitted"},
        {"initiative_id": second.id, "title": "Chợ 4.0", "status": "draft"},
        {"initiative_id": third.id, "title": "Cổng dịch vụ công", "status": "conflict"},
    ]
    listing = client.get("/api/v1/judging/assignments", headers=auth(w.b)).json
    assert [x["status"] for x in listing] == ["todo", "todo", "todo"]
    assert client.get("/api/v1/judging/assignments", headers=auth(make_user(role=RoleName.JUDGE))).json == []


def test_only_judges_use_the_judging_api(app, client, w):
    for path, method in (("/api/v1/judging/assignments", "GET"), (w.path, "GET"), (w.path, "PUT")):
        assert client.open(path, method=method, json={}).status_code == 401
        for user in (
            make_user(),
            make_user(role=RoleName.ORGANIZER),
            make_user(role=RoleName.UNIT_REP, rep_of=w.unit),
        ):
            assert client.open(path, method=method, json={}, headers=auth(user)).status_code == 403
    assert reviews_count() == 0


def test_draft_submit_and_change_return_the_review_and_are_audited(app, client, w):
    c = w.criteria
    headers = auth(w.a)
    assert client.get(w.path, headers=headers).status_code == 404  # no review yet

    draft = client.put(
        w.path, json={"scores": {str(c[0].id): 8, str(c[1].id): 6.5}, "note": "Ghi chú"}, headers=headers
    )
    assert draft.status_code == 200
    body = draft.json
    assert body["initiative_id"] == w.item.id and body["status"] == "draft"
    assert body["scores"] == {str(c[0].id): 8.0, str(c[1].id): 6.5}
    assert body["note"] == "Ghi chú" and body["submitted_at"] is None
    assert body["updated_at"].endswith("+07:00")

    rest = {str(x.id): 7 for x in c[2:]}
    submitted = client.put(w.path, json={"scores": rest, "submit": True}, headers=headers)
    assert submitted.status_code == 200
    assert submitted.json["status"] == "submitted" and submitted.json["submitted_at"].endswith("+07:00")
    assert submitted.json["note"] == "Ghi chú"  # a note left out is kept
    assert len(submitted.json["scores"]) == 5

    changed = client.put(w.path, json={"scores": {str(c[0].id): 3}}, headers=headers)
    assert changed.status_code == 200
    assert changed.json["status"] == "submitted" and changed.json["scores"][str(c[0].id)] == 3.0
    assert client.get(w.path, headers=headers).json == changed.json

    db.session.rollback()
    review = service.own_review(w.a, w.item)
    actions = list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == "review", AuditEntry.object_id == str(review.id))
            .order_by(AuditEntry.id)
        )
    )
    assert actions == ["review.draft", "review.submit", "review.change"]


def test_bad_scores_are_422_with_a_message_per_criterion_and_nothing_is_written(app, client, w):
    c = w.criteria
    headers = auth(w.a)
    response = client.put(
        w.path,
        json={
            "scores": {str(c[0].id): 11, str(c[1].id): -0.5, str(c[2].id): "cao", "999999": 1},
            "submit": True,
        },
        headers=headers,
    )
    assert response.status_code == 422
    error = response.json["error"]
    assert error["message"] == "Some scores are missing or outside the allowed range."
    assert error["fields"]["scores"] == {
        str(c[0].id): ["The score is outside the allowed range."],
        str(c[1].id): ["The score is outside the allowed range."],
        str(c[2].id): ["Enter a number."],
        "999999": ["This criterion is not in the rubric."],
        str(c[3].id): ["This field is required."],
        str(c[4].id): ["This field is required."],
    }
    missing = client.put(w.path, json={"scores": {str(c[0].id): 5}, "submit": True}, headers=headers)
    assert missing.status_code == 422
    assert set(missing.json["error"]["fields"]["scores"]) == {str(x.id) for x in c[1:]}
    assert client.put(w.path, json={"scores": {str(c[0].id): True}}, headers=headers).status_code == 422
    assert client.put(w.path, json={"scores": [1, 2]}, headers=headers).status_code == 422
    assert reviews_count() == 0


def test_another_judges_review_is_never_returned_or_changed(app, client, w):
    scores = {c.id: 9.25 for c in w.criteria}
    service.save_review(w.a, w.item, scores, "Bí mật của giám khảo A", submit=True)
    headers = auth(w.b)
    response = client.get(w.path, headers=headers)
    assert response.status_code == 404 and "Bí mật" not in response.get_data(as_text=True)
    mine = client.put(w.path, json={"scores": {str(w.criteria[0].id): 1}, "note": "B"}, headers=headers)
    assert mine.status_code == 200
    assert mine.json["scores"] == {str(w.criteria[0].id): 1.0} and mine.json["status"] == "draft"
    db.session.rollback()
    a_review = service.own_review(w.a, w.item)
    assert a_review.score_map == scores and a_review.note == "Bí mật của giám khảo A"
    assert a_review.status == ReviewStatus.SUBMITTED


def test_not_assigned_and_own_unit_are_403(app, client, w):
    other = make_initiative(w.contest, make_unit(), images=0)  # not assigned: came after the assignment run
    for method in ("GET", "PUT"):
        response = client.open(review_path(other.id), method=method, json={}, headers=auth(w.a))
        assert response.status_code == 403
        assert response.json["error"]["message"] == "This initiative is not assigned to you."
    insider = make_user(role=RoleName.JUDGE, unit=w.unit)
    service.add_panel_member(make_user(role=RoleName.ORGANIZER), w.contest, insider)
    for method in ("GET", "PUT"):
        response = client.open(w.path, method=method, json={"scores": {}}, headers=auth(insider))
        assert response.status_code == 403
        assert (
            response.json["error"]["message"] == "A judge never scores an initiative of his or her own unit."
        )
    assert reviews_count() == 0


def test_unknown_and_unpublished_initiatives_are_404(app, client, w):
    draft = make_initiative(w.contest, make_unit(), status=InitiativeStatus.DRAFT, images=0)
    for path in (review_path(999999), review_path(draft.id)):
        for method in ("GET", "PUT"):
            response = client.open(path, method=method, json={}, headers=auth(w.a))
            assert response.status_code == 404
            assert response.json["error"]["code"] == "not_found"


def test_outside_the_judging_window_a_put_is_409_and_writes_nothing(app, client, w):
    service.save_review(w.a, w.item, {w.criteria[0].id: 7})
    stage = w.contest.stage(StageKind.JUDGING)
    db.session.rollback()
    before = db.session.scalar(select(func.count(AuditEntry.id)))
    for moment in (stage.opens_at - timedelta(minutes=1), stage.closes_at):
        clock.freeze(moment)
        response = client.put(
            w.path, json={"scores": full_scores(w.contest, 0.9), "submit": True}, headers=auth(w.a)
        )
        assert response.status_code == 409
        assert (
            response.json["error"]["message"]
            == "The judging window is closed: reviews cannot be changed now."
        )
        assert client.get(w.path, headers=auth(w.a)).json["scores"] == {str(w.criteria[0].id): 7.0}
    db.session.rollback()
    assert db.session.scalar(select(func.count(AuditEntry.id))) == before


def test_after_a_declared_conflict_a_put_is_409(app, client, w):
    service.declare_conflict(w.a, w.item, "Người thân làm việc ở đơn vị")
    response = client.put(w.path, json={"scores": full_scores(w.contest, 0.5)}, headers=auth(w.a))
    assert response.status_code == 409
    assert response.json["error"]["message"] == "You declared a conflict of interest for this initiative."
    assert reviews_count() == 0


def test_the_judging_api_is_in_the_openapi_document(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert "get" in spec["paths"]["/api/v1/judging/assignments"]
    review = spec["paths"]["/api/v1/judging/initiatives/{initiative_id}/review"]
    assert {"get", "put"} <= set(review)
    assert {"403", "404", "409", "422"} <= set(review["put"]["responses"])
    assert review["put"]["security"] == [{"bearerAuth": []}]
    schemas = spec["components"]["schemas"]
    assert set(schemas["JudgeReview"]["properties"]) == {
        "initiative_id",
        "status",
        "scores",
        "note",
        "submitted_at",
        "updated_at",
    }
    assert set(schemas["JudgeAssignment"]["properties"]) == {"initiative_id", "title", "status"}
    assert {"scores", "note", "submit"} == set(schemas["JudgeReviewIn"]["properties"])
