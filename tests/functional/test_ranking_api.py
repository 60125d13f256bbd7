"""The ranking API: criteria, runs (create, read, publish, unpublish) and the public finalists."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.auth.service import issue_api_token
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

LINE_KEYS = {
    "initiative_id",
    "rank",
    "E",
    "P",
    "F",
    "reviews",
    "likes",
    "commenters",
    "views",
    "engagement",
    "finalist",
    "ranked",
    "reason",
}
FINALIST_KEYS = {
    "initiative_id",
    "title",
    "unit",
    "category",
    "rank",
    "E",
    "P",
    "F",
    "reviews",
    "likes",
    "commenters",
    "views",
    "imported_likes",
    "imported_comments",
    "imported_shares",
    "engagement",
}


def bearer(user) -> dict:
    token, _ = issue_api_token(user)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def w(app):
    """Four initiatives, three judges: E = 50, 60, 70 and one initiative without reviews."""
    contest = make_contest()
    category = make_category(contest, "Chính quyền số")
    items = [
        make_initiative(contest, make_unit(f"Xã {n}"), category=category, title=f"Mô hình {n}", images=0)
        for n in range(4)
    ]
    judges = make_judging(contest, judges=3)
    for n, item in enumerate(items[:3]):
        for judge in judges:
            service.save_review(judge, item, full_scores(contest, 0.5 + 0.1 * n), submit=True)
    organizer = make_user(role=RoleName.ORGANIZER)
    return SimpleNamespace(
        contest=contest,
        items=items,
        judge=judges[0],
        organizer=organizer,
        org=bearer(organizer),
        citizen=bearer(make_user()),
    )


def test_criteria_for_organizers_and_judges(client, w):
    path = f"/api/v1/contests/{w.contest.id}/criteria"
    response = client.get(path, headers=w.org)
    assert response.status_code == 200
    criteria = response.get_json()
    assert [c["name"] for c in criteria][:2] == ["Tính khả thi", "Hiệu quả quản lý, điều hành"]
    assert set(criteria[0]) == {
        "id",
        "name",
        "name_en",
        "description",
        "description_en",
        "weight",
        "max_score",
        "position",
    }
    assert criteria[0]["name_en"] == "Feasibility" and criteria[0]["max_score"] == 10.0
    assert sum(c["weight"] for c in criteria) == 100
    assert client.get(path, headers=bearer(w.judge)).status_code == 200
    assert client.get(path, headers=w.citizen).status_code == 403
    assert client.get(path).status_code == 401
    assert client.get("/api/v1/contests/999999/criteria", headers=w.org).status_code == 404


def test_run_with_overrides_is_stored_and_returned(client, w):
    response = client.post(
        f"/api/v1/contests/{w.contest.id}/ranking-runs", json={"alpha": 0.6, "finalists": 2}, headers=w.org
    )
    assert response.status_code == 201, response.get_json()
    run = response.get_json()
    assert set(run) == {
        "id",
        "contest_id",
        "created_at",
        "engine_version",
        "digest",
        "params",
        "published",
        "results",
    }
    assert run["contest_id"] == w.contest.id and run["published"] is False
    assert run["created_at"].endswith("+07:00") and len(run["digest"]) == 64
    assert run["params"]["alpha"] == 0.6 and run["params"]["finalists"] == 2
    assert run["params"]["expert"] == "mean" and run["params"]["unit_maximum"] is None
    lines = run["results"]
    assert all(set(line) == LINE_KEYS for line in lines)
    assert [line["initiative_id"] for line in lines] == [
        w.items[2].id,
        w.items[1].id,
        w.items[0].id,
        w.items[3].id,
    ]
    assert [line["finalist"] for line in lines] == [True, True, False, False]
    assert lines[0] | {"engagement": 0} == {
        "initiative_id": w.items[2].id,
        "rank": 1,
        "E": 70.0,
        "P": 0.0,
        "F": 42.0,
        "reviews": 3,
        "likes": 0,
        "commenters": 0,
        "views": 0,
        "engagement": 0,
        "finalist": True,
        "ranked": True,
        "reason": None,
    }
    assert lines[3]["ranked"] is False and lines[3]["reason"] == "too_few_reviews" and lines[3]["E"] is None
    stored = client.get(f"/api/v1/ranking-runs/{run['id']}", headers=w.org)
    assert stored.status_code == 200 and stored.get_json() == run


def test_run_without_a_body_uses_the_contests_parameters(client, w):
    service.update_settings(w.organizer, w.contest, ranking_params={"finalists": 1})
    response = client.post(f"/api/v1/contests/{w.contest.id}/ranking-runs", headers=w.org)
    assert response.status_code == 201
    assert response.get_json()["params"]["finalists"] == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"alpha": 1.5}, "params"),
        ({"expert": "median"}, "params"),
        ({"finalists": 1, "category_minimum": {"1": 3}}, "params"),
        ({"finalists": "many"}, "finalists"),
        ({"beta": 1}, "beta"),
    ],
)
def test_bad_parameters_are_refused_with_422_and_nothing_is_stored(client, w, body, field):
    response = client.post(f"/api/v1/contests/{w.contest.id}/ranking-runs", json=body, headers=w.org)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert field in error["fields"] and error["message"]
    assert service.runs(w.contest) == []


def test_runs_are_for_organizers_only(client, w):
    run = service.run_ranking(w.organizer, w.contest)
    for headers, status in ((w.citizen, 403), (bearer(w.judge), 403), ({}, 401)):
        assert (
            client.post(f"/api/v1/contests/{w.contest.id}/ranking-runs", json={}, headers=headers).status_code
            == status
        )
        assert client.get(f"/api/v1/ranking-runs/{run.id}", headers=headers).status_code == status
        assert client.post(f"/api/v1/ranking-runs/{run.id}/publish", headers=headers).status_code == status
    assert client.post("/api/v1/contests/999999/ranking-runs", json={}, headers=w.org).status_code == 404
    assert client.get("/api/v1/ranking-runs/999999", headers=w.org).status_code == 404
    assert client.post("/api/v1/ranking-runs/999999/publish", headers=w.org).status_code == 404
    assert (
        client.post("/api/v1/ranking-runs/999999/unpublish", json={"reason": "x"}, headers=w.org).status_code
        == 404
    )


def test_publish_unpublish_and_the_public_finalists(client, w):
    finalists = f"/api/v1/contests/{w.contest.id}/finalists"
    first = service.run_ranking(w.organizer, w.contest, {"finalists": 2})
    second = service.run_ranking(w.organizer, w.contest)
    response = client.get(finalists)
    assert response.status_code == 404 and response.get_json()["error"]["message"]

    published = client.post(f"/api/v1/ranking-runs/{first.id}/publish", headers=w.org)
    assert published.status_code == 200 and published.get_json()["published"] is True
    db.session.rollback()  # the request wrote in its own session: read afresh
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1)) == (
        "ranking.publish"
    )
    conflict = client.post(
        f"/api/v1/ranking-runs/{second.id}/publish", headers=w.org | {"Accept-Language": "en"}
    )
    assert conflict.status_code == 409 and "Unpublish" in conflict.get_json()["error"]["message"]

    public = client.get(finalists)
    assert public.status_code == 200
    body = public.get_json()
    assert body["run_id"] == first.id and body["digest"] == first.digest
    assert body["published_at"].endswith("+07:00") and body["params"]["finalists"] == 2
    assert [f["initiative_id"] for f in body["finalists"]] == [w.items[2].id, w.items[1].id]
    top = body["finalists"][0]
    assert set(top) == FINALIST_KEYS
    assert (top["title"], top["unit"], top["category"], top["rank"]) == (
        "Mô hình 2",
        "Xã 2",
        "Chính quyền số",
        1,
    )
    assert (top["E"], top["P"], top["F"], top["reviews"]) == (70.0, 0.0, 49.0, 3)

    no_reason = client.post(f"/api/v1/ranking-runs/{first.id}/unpublish", json={}, headers=w.org)
    assert no_reason.status_code == 422 and "reason" in no_reason.get_json()["error"]["fields"]
    assert client.get(finalists).status_code == 200  # still published
    down = client.post(
        f"/api/v1/ranking-runs/{first.id}/unpublish", json={"reason": "Nhập sai"}, headers=w.org
    )
    assert down.status_code == 200 and down.get_json()["published"] is False
    assert client.get(finalists).status_code == 404
    again = client.post(
        f"/api/v1/ranking-runs/{first.id}/unpublish", json={"reason": "Lần nữa"}, headers=w.org
    )
    assert again.status_code == 409
    assert client.post(f"/api/v1/ranking-runs/{second.id}/publish", headers=w.org).status_code == 200
    assert client.get(finalists).get_json()["run_id"] == second.id


def test_finalists_of_an_unknown_contest_is_404(client, app):
    assert client.get("/api/v1/contests/999999/finalists").status_code == 404


def test_openapi_documents_the_ranking_paths(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    for path, method in (
        ("/api/v1/contests/{contest_id}/criteria", "get"),
        ("/api/v1/contests/{contest_id}/ranking-runs", "post"),
        ("/api/v1/ranking-runs/{run_id}", "get"),
        ("/api/v1/ranking-runs/{run_id}/publish", "post"),
        ("/api/v1/ranking-runs/{run_id}/unpublish", "post"),
        ("/api/v1/contests/{contest_id}/finalists", "get"),
    ):
        assert method in paths[path], path
    assert "alpha" in spec["components"]["schemas"]["RankingParams"]["properties"]
