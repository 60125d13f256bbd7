"""Shared fixtures: an app per test on a real database (SQLite file, or PostgreSQL via TEST_DATABASE_URL).

The schema is created once per run; each test starts from empty tables. The app clock is
reset after every test.
"""

from __future__ import annotations

import contextvars
import os
import re
import tempfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import clock, create_app
from config import TestingConfig
from models import Base, db

_TMP = Path(tempfile.mkdtemp(prefix="sks-tests-"))


def database_url() -> str:
    """SQLite in a temporary folder, or TEST_DATABASE_URL; each pytest-xdist worker gets its own database."""
    configured = os.environ.get("TEST_DATABASE_URL")
    if not configured:
        return f"sqlite:///{_TMP / 'test.db'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return configured
    url = make_url(configured)
    return url.set(database=f"{url.database}_{worker}").render_as_string(hide_password=False)


def _ensure_postgres_database(url: str) -> None:
    """Create a worker's PostgreSQL database on first use (the CI creates only the main one)."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        query = text("SELECT 1 FROM pg_database WHERE datname = :n")
        exists = conn.execute(query, {"n": parsed.database}).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def is_postgres() -> bool:
    return database_url().startswith("postgresql")


@pytest.fixture(scope="session")
def _schema():
    """Create all tables once for the session (drop leftovers first on PostgreSQL)."""
    if is_postgres():
        _ensure_postgres_database(database_url())
    engine = create_engine(database_url())
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield
    engine = create_engine(database_url())
    Base.metadata.drop_all(engine)
    engine.dispose()


def _empty_tables() -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


class IsolatedClient(FlaskClient):
    """A test client whose requests never share the test's app context.

    Flask reuses an already-pushed app context for a request, which would share `g`
    (the signed-in user, the CSRF token) between requests. Running each request in an
    empty contextvars context gives it its own app context, as in production.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(FlaskClient.open, self, *args, **kwargs)


@pytest.fixture
def app_overrides() -> dict:
    """Override in a test module to change config for its tests."""
    return {}


@pytest.fixture
def app(_schema, app_overrides, tmp_path):
    application = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url(),
        UPLOAD_FOLDER=str(tmp_path / "uploads"),
        **app_overrides,
    )
    application.test_client_class = IsolatedClient
    with application.app_context():
        _empty_tables()
        yield application
        db.session.remove()
        db.engine.dispose()
    clock.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Browser:
    """A test client that fills in CSRF tokens the way a browser form would."""

    def __init__(self, client):
        self.client = client

    def token(self, path: str = "/auth/login") -> str:
        return csrf_from(self.client.get(path).get_data(as_text=True))

    def post_form(self, path: str, data: dict | None = None, *, token_from: str | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(token_from or path))
        return self.client.post(path, data=data, **kwargs)

    def login(self, login: str, password: str = "Secret-pass-42"):
        return self.post_form("/auth/login", {"login": login, "password": password})

    def logout(self):
        return self.post_form("/auth/logout", token_from="/")


@pytest.fixture
def browser(client):
    return Browser(client)


@pytest.fixture
def outbox(app):
    """Messages sent through the locmem mail backend during the test."""

    class Outbox:
        @property
        def messages(self):
            return getattr(app.extensions["mailman"], "outbox", [])

        def code_for(self, address: str) -> str:
            mine = [m for m in self.messages if address in m.to]
            assert mine, f"no email to {address}"
            return re.search(r"\b(\d{6})\b", mine[-1].body).group(1)

    return Outbox()


class SmtpInbox:
    """Messages received by the real local SMTP server, decoded."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        import email
        from email import policy

        message = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def for_recipient(self, address: str):
        return [m for rcpts, m in self.messages if address in rcpts]

    def code_for(self, address: str, timeout: float = 5.0) -> str:
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.for_recipient(address)
            if found:
                body = found[-1].get_body(preferencelist=("plain",)).get_content()
                match = re.search(r"\b(\d{6})\b", body)
                assert match, body
                return match.group(1)
            time.sleep(0.05)
        raise AssertionError(f"no email reached {address}")


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free local port."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()
