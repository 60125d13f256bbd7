"""The API has no cookie session: a browser's session neither signs it in nor picks its language."""

from __future__ import annotations

from flask import session

from tests.factories import make_user


def test_a_signed_in_browser_is_not_signed_in_to_the_api(app, client, browser):
    make_user(email="an@example.vn")
    assert browser.login("an@example.vn").status_code == 302
    assert client.get("/auth/profile").status_code == 200  # the page session works
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")


def test_the_api_speaks_accept_language_not_the_session_language(app, client):
    client.get("/lang/en")
    vietnamese = client.get("/api/v1/me").json["error"]["message"]
    english = client.get("/api/v1/me", headers={"Accept-Language": "en"}).json["error"]["message"]
    assert vietnamese == "Bạn cần đăng nhập để thực hiện thao tác này." and english != vietnamese


def test_api_requests_get_an_empty_session_that_is_never_saved(app):
    with app.test_request_context("/api/v1/me", headers={"Cookie": "session=forged"}):
        app.preprocess_request()
        assert dict(session) == {}
        session["x"] = 1  # harmless: nothing is written back
        response = app.process_response(app.response_class())
        assert "Set-Cookie" not in response.headers
