"""Security headers, cookies, error pages in both languages, upload size cap."""

import re

import pytest
from werkzeug.exceptions import InternalServerError

from app import create_app
from config import ProductionConfig, TestingConfig
from tests.conftest import database_url
from tests.factories import make_contest, make_user


def test_security_headers_and_a_csp_without_inline_script(app, client):
    make_contest()
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    html = response.get_data(as_text=True)
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []  # every script is a file
    assert "cdn" not in html.lower()  # Bootstrap is served by the app itself


def test_session_cookie_is_httponly_and_samesite(app, client, browser):
    make_user(email="an@example.vn")
    response = browser.login("an@example.vn")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    with pytest.raises(RuntimeError):
        create_app(ProductionConfig, SECRET_KEY=None, SQLALCHEMY_DATABASE_URI="postgresql://x/y")


def test_production_cookies_are_secure_and_debug_is_off(monkeypatch):
    monkeypatch.setenv("ALLOW_SQLITE", "1")
    prod = create_app(ProductionConfig, SECRET_KEY="k" * 32, SQLALCHEMY_DATABASE_URI=database_url())
    assert prod.config["SESSION_COOKIE_SECURE"] is True
    assert prod.debug is False
    client = prod.test_client()
    response = client.get("/healthz", base_url="https://sks.example.vn")
    assert "max-age" in response.headers["Strict-Transport-Security"]
    plain = client.get("/", base_url="http://sks.example.vn")
    assert plain.status_code in (301, 302) and plain.headers["Location"].startswith("https://")
    assert client.get("/healthz", base_url="http://10.0.0.5:8000").status_code == 200  # load-balancer probe


@pytest.mark.parametrize("lang, title", [("vi", "Không tìm thấy trang"), ("en", "Page not found")])
def test_404_page_in_both_languages(app, client, lang, title):
    client.get(f"/lang/{lang}")
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert f'lang="{lang}"' in html and title in html


def test_405_and_400_pages(app, client):
    assert client.get("/auth/logout").status_code == 405
    response = client.post("/auth/login", data={"login": "x"})  # no CSRF token
    assert response.status_code == 400 and "error-page" in response.get_data(as_text=True)


def test_oversized_requests_get_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/auth/login", data={"login": "x" * 5000})
    assert response.status_code == 413
    api = client.post("/api/v1/tokens", data="x" * 5000, content_type="application/json")
    assert api.status_code == 413 and api.json["error"]["code"] == "payload_too_large"


def test_unexpected_errors_get_a_500_page_and_json(tmp_path):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url(), PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("kaboom")

    @app.route("/api/v1/boom")
    def api_boom():
        raise InternalServerError()

    client = app.test_client()
    page = client.get("/boom")
    assert page.status_code == 500 and "kaboom" not in page.get_data(as_text=True)
    api = client.get("/api/v1/boom")
    assert api.status_code == 500 and api.json["error"]["code"] == "internal_error"


def test_language_switch_only_redirects_within_the_site(app, client):
    response = client.get("/lang/en?next=https://evil.example.com/")
    assert response.headers["Location"] == "/"
    response = client.get("/lang/en?next=//evil.example.com/")
    assert response.headers["Location"] == "/"
    assert client.get("/lang/fr").status_code == 404
    assert client.get("/lang/vi?next=/auth/login").headers["Location"] == "/auth/login"


def test_actions_for_verified_accounts_send_others_to_sign_in_or_verify(app):  # app: empty tables
    """The gate later issues put on likes, comments and the quiz."""
    from flask import Blueprint

    from app.security import login_required_verified
    from models import db
    from tests.conftest import Browser, IsolatedClient
    from tests.factories import make_user

    extra = Blueprint("extra", __name__)

    @extra.route("/like", methods=["POST"])
    @login_required_verified
    def like():
        return "liked"

    gated = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url())
    gated.register_blueprint(extra)
    gated.test_client_class = IsolatedClient
    with gated.app_context():
        make_user(email="new@example.vn", verified=False)
        make_user(email="ok@example.vn")
        client = gated.test_client()
        browser = Browser(client)
        token = browser.token("/auth/login")
        assert "/auth/login" in client.post("/like", data={"csrf_token": token}).headers["Location"]
        browser.login("new@example.vn")
        response = client.post("/like", data={"csrf_token": browser.token("/auth/forgot")})
        assert "/auth/verify" in response.headers["Location"]
        browser.logout()
        browser.login("ok@example.vn")
        assert client.post("/like", data={"csrf_token": browser.token("/auth/forgot")}).data == b"liked"
        db.session.remove()
