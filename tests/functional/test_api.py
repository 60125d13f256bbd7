"""The JSON API: tokens, me, the current contest, stage windows, errors, OpenAPI."""

import re

import pytest

from models import AuditEntry, RoleName, db
from tests.factories import PASSWORD, make_contest, make_user


def token_for(client, login, password=PASSWORD):
    response = client.post("/api/v1/tokens", json={"login": login, "password": password})
    assert response.status_code == 201, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


def test_token_is_issued_for_email_or_phone_with_the_user(app, client):
    make_user(email="an@example.vn", phone="+84912345678", name="Nguyễn Văn An", role=RoleName.JUDGE)
    response = client.post("/api/v1/tokens", json={"login": "0912 345 678", "password": PASSWORD})
    assert response.status_code == 201
    body = response.json
    assert set(body) == {"token", "expires_at", "user"}
    assert re.search(r"[+-]\d\d:\d\d$", body["expires_at"])
    assert body["user"]["full_name"] == "Nguyễn Văn An"
    assert body["user"]["roles"] == ["judge"] and body["user"]["verified"] is True
    assert "Nguyễn" in response.get_data(as_text=True)  # readable UTF-8, not \\u escapes


def test_bad_credentials_get_401_with_the_error_shape(app, client):
    make_user(email="an@example.vn")
    response = client.post("/api/v1/tokens", json={"login": "an@example.vn", "password": "nope"})
    assert response.status_code == 401
    assert set(response.json["error"]) == {"code", "message", "fields"}
    assert response.json["error"]["code"] == "unauthorized"


def test_missing_fields_get_422_naming_them(app, client):
    response = client.post("/api/v1/tokens", json={"login": "an@example.vn"})
    assert response.status_code == 422
    assert "password" in response.json["error"]["fields"]


def test_token_requests_are_throttled_per_account(app, client):
    make_user(email="an@example.vn")
    statuses = [
        client.post("/api/v1/tokens", json={"login": "an@example.vn", "password": "x"}).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    limited = client.post("/api/v1/tokens", json={"login": "an@example.vn", "password": "x"})
    assert limited.json["error"]["code"] == "too_many_requests"


def test_me_and_token_revocation(app, client):
    make_user(email="an@example.vn")
    headers = token_for(client, "an@example.vn")
    assert client.get("/api/v1/me", headers=headers).json["full_name"].startswith("Nguyễn")
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer forged"}).status_code == 401


def test_current_contest_lists_every_stage_with_offsets(app, client):
    contest = make_contest()
    body = client.get("/api/v1/contests/current").json
    assert (body["id"], body["slug"], body["name"]) == (contest.id, contest.slug, "Chuyển đổi số 2026")
    stages = {s["kind"]: s for s in body["stages"]}
    assert set(stages) == {"quiz", "submission", "voting", "judging", "final"}
    assert stages["voting"]["is_open"] is True and stages["submission"]["is_open"] is False
    assert stages["voting"]["opens_at"].endswith("+07:00")
    english = client.get("/api/v1/contests/current", headers={"Accept-Language": "en"}).json
    assert {s["name"] for s in english["stages"]} >= {"Public voting"}


def test_no_contest_is_a_404(app, client):
    response = client.get("/api/v1/contests/current")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_organizer_moves_a_stage_window(app, client):
    contest = make_contest()
    make_user(email="btc@example.vn", role=RoleName.ORGANIZER)
    headers = token_for(client, "btc@example.vn")
    response = client.patch(
        f"/api/v1/contests/{contest.id}/stages/final",
        json={"opens_at": "2027-01-10T08:00:00+07:00", "closes_at": "2027-01-10T22:00:00+07:00"},
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json["opens_at"] == "2027-01-10T08:00:00+07:00"
    assert response.json["kind"] == "final"
    db.session.rollback()
    assert db.session.query(AuditEntry).filter_by(action="stage.update").count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"opens_at": "2027-01-10T08:00:00+07:00", "closes_at": "2027-01-09T08:00:00+07:00"},
        {"closes_at": "2020-01-01T00:00:00+07:00"},
    ],
)
def test_a_window_that_closes_before_it_opens_is_422(app, client, body):
    contest = make_contest()
    make_user(email="btc@example.vn", role=RoleName.ORGANIZER)
    response = client.patch(
        f"/api/v1/contests/{contest.id}/stages/final", json=body, headers=token_for(client, "btc@example.vn")
    )
    assert response.status_code == 422
    assert "closes_at" in response.json["error"]["fields"]


def test_bad_dates_unknown_stages_and_contests(app, client):
    contest = make_contest()
    make_user(email="btc@example.vn", role=RoleName.ORGANIZER)
    headers = token_for(client, "btc@example.vn")
    bad = client.patch(
        f"/api/v1/contests/{contest.id}/stages/final", json={"opens_at": "mai"}, headers=headers
    )
    assert bad.status_code == 422 and "opens_at" in bad.json["error"]["fields"]
    assert (
        client.patch(f"/api/v1/contests/{contest.id}/stages/party", json={}, headers=headers).status_code
        == 404
    )
    assert client.patch("/api/v1/contests/999/stages/final", json={}, headers=headers).status_code == 404


def test_api_errors_are_json(app, client):
    assert client.get("/api/v1/nothing-here").json["error"]["code"] == "not_found"
    response = client.get("/api/v1/tokens")
    assert response.status_code == 405 and response.json["error"]["code"] == "method_not_allowed"


def test_openapi_document_describes_the_api(app, client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in (
        "/api/v1/tokens",
        "/api/v1/me",
        "/api/v1/contests/current",
        "/api/v1/contests/{contest_id}/stages/{kind}",
    ):
        assert path in paths
    assert "bearerAuth" in spec["components"]["securitySchemes"]
    docs = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in docs
    assert "<script>" not in docs  # no inline script (CSP)
