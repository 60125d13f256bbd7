"""Fixtures for the browser journeys: a real SMTP server, a live app server, Chromium.

Nothing is mocked: the app sends its verification emails over SMTP to a local aiosmtpd
server, the browser submits the real forms (CSRF on), and the database is a SQLite file
migrated with Alembic and filled with the Vietnamese demo.

Chromium is Debian's /usr/bin/chromium (``playwright install`` needs the internet).
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import os
import random
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CODE_RE = re.compile(r"\b(\d{6})\b")

# Shared by the journeys.
DEMO_CONTEST_NAME = "Chuyển đổi số – Vững bước tiến vào kỷ nguyên mới"
ORGANIZER_EMAIL = "btc@demo.vn"
DEMO_PASSWORD = "demo-2025"
CITIZEN_PASSWORD = "Hoa-sen-2025!"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------- SMTP


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage
    received_at: float

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    @property
    def body(self) -> str:
        """The plain-text body, decoded (base64 / quoted-printable / 8bit, UTF-8)."""
        part = self.message.get_body(preferencelist=("plain", "html"))
        if part is None:
            part = self.message
        return part.get_content()


@dataclass
class Mailbox:
    """Every message the local SMTP server accepted, newest last."""

    host: str
    port: int
    messages: list[ReceivedMail] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _arrived: threading.Condition = field(init=False)

    def __post_init__(self):
        self._arrived = threading.Condition(self._lock)

    def add(self, mail: ReceivedMail) -> None:
        with self._arrived:
            self.messages.append(mail)
            self._arrived.notify_all()

    def for_recipient(self, recipient: str) -> list[ReceivedMail]:
        wanted = recipient.strip().lower()
        with self._lock:
            return [m for m in self.messages if wanted in (r.lower() for r in m.rcpt_tos)]

    def wait_for_message(self, recipient: str, timeout: float = 10, after: int = 0) -> ReceivedMail:
        """The newest message to `recipient`, waiting until more than `after` have arrived."""
        deadline = time.monotonic() + timeout
        wanted = recipient.strip().lower()
        with self._arrived:
            while True:
                mine = [m for m in self.messages if wanted in (r.lower() for r in m.rcpt_tos)]
                if len(mine) > after:
                    return mine[-1]
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = sorted({r for m in self.messages for r in m.rcpt_tos})
                    raise AssertionError(
                        f"no email to {recipient} within {timeout}s (the SMTP server has mail for {seen})"
                    )
                self._arrived.wait(left)

    def wait_for_code(self, recipient: str, timeout: float = 10) -> str:
        """The 6-digit code in the newest message to `recipient`."""
        mail = self.wait_for_message(recipient, timeout)
        match = CODE_RE.search(mail.body)
        assert match, f"no 6-digit code in the email to {recipient}: {mail.body!r}"
        return match.group(1)


class _StoringHandler:
    def __init__(self, mailbox: Mailbox):
        self.mailbox = mailbox

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.mailbox.add(
            ReceivedMail(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                message=message,
                received_at=time.time(),
            )
        )
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def live_smtp():
    """A real SMTP server on 127.0.0.1; yields the Mailbox that stores what it receives."""
    from aiosmtpd.controller import Controller

    port = _free_port()
    mailbox = Mailbox(host="127.0.0.1", port=port)
    controller = Controller(_StoringHandler(mailbox), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def e2e_wait_for_code(live_smtp):
    """wait_for_code(recipient, timeout=10) -> the 6-digit code of the newest email to recipient."""
    return live_smtp.wait_for_code


# --------------------------------------------------------------------------- app server


@pytest.fixture(scope="session")
def live_app(live_smtp, tmp_path_factory):
    """The Flask app on a migrated SQLite file with the demo seeded, sending mail to live_smtp."""
    import flask_migrate

    from app import create_app
    from app.demo.seed import seed_demo
    from config import TestingConfig

    db_file = tmp_path_factory.mktemp("e2e-db") / "e2e.sqlite"
    upload_dir = tmp_path_factory.mktemp("e2e-uploads")
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{db_file}",
        MAIL_BACKEND="smtp",
        MAIL_SERVER=live_smtp.host,
        MAIL_PORT=live_smtp.port,
        MAIL_USE_TLS=False,
        MAIL_USE_SSL=False,
        RATELIMIT_ENABLED=False,
        SERVER_NAME=None,
        UPLOAD_FOLDER=str(upload_dir),
    )
    with app.app_context():
        flask_migrate.upgrade(directory=str(REPO / "migrations"))
        seed_demo()
    yield app
    with app.app_context():
        from models import db

        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    """Serves live_app on 127.0.0.1 in a daemon thread; yields the base URL (no trailing slash)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def e2e_artifacts_dir() -> Path:
    path = Path(os.environ.get("ARTIFACTS_DIR", str(REPO / "test-artifacts")))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def e2e_browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so fixtures can tell a failed test."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"e2e_report_{report.when}", report)


@pytest.fixture
def e2e_context(e2e_browser, live_server):
    """A fresh browser context (no cookies) per test, as a Vietnamese visitor would have."""
    context = e2e_browser.new_context(
        base_url=live_server,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def e2e_page(request, e2e_context, e2e_artifacts_dir):
    """A page in e2e_context; on failure a screenshot is saved to the artifacts folder."""
    page = e2e_context.new_page()
    yield page
    report = getattr(request.node, "e2e_report_call", None)
    if report is not None and report.failed and not page.is_closed():
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        with contextlib.suppress(Exception):  # a screenshot must not hide the real failure
            page.screenshot(path=str(e2e_artifacts_dir / f"failure-{name}.png"), full_page=True)


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Citizen:
    full_name: str
    email: str
    phone_typed: str  # as a person types it: "0912 345 678"
    password: str = CITIZEN_PASSWORD


def new_citizen(label: str = "") -> Citizen:
    """A person nobody registered yet: a unique email and a random valid 091 mobile number."""
    token = f"{random.randrange(16**8):08x}"
    digits = f"{random.randrange(100_000, 1_000_000):06d}"
    names = ["Nguyễn Thị Mai", "Trần Văn Tùng", "Lê Thị Hương", "Phạm Văn Quang", "Hoàng Thị Oanh"]
    name = random.choice(names) + (f" {label}" if label else "")
    return Citizen(
        full_name=name,
        email=f"e2e-{token}@example.vn",
        phone_typed=f"0912 {digits[:3]} {digits[3:]}",
    )


def form_errors(page) -> str:
    """The field errors and alerts shown on the page, for assertion messages."""
    texts = page.locator(".invalid-feedback, .alert").all_inner_texts()
    return " | ".join(t.strip() for t in texts if t.strip()) or "(none shown)"


def submit_form(page, form_selector: str) -> None:
    """Click the form's own submit button and wait for the page that answers the POST."""
    button = page.locator(form_selector).locator('[type="submit"]').first
    with page.expect_navigation(wait_until="load"):
        button.click()


def register_via_form(page, citizen: Citizen, unit_name: str = "Xã Liên Bạt") -> None:
    """Fill the register form as a person would; ends on /auth/verify."""
    from playwright.sync_api import expect

    page.goto("/auth/register")
    form = 'main form:has(input[name="confirm"])'
    page.fill('input[name="full_name"]', citizen.full_name)
    page.fill('input[name="email"]', citizen.email)
    page.fill('input[name="phone"]', citizen.phone_typed)
    option = page.locator('select[name="unit_id"] option', has_text=unit_name).first
    expect(option).to_have_count(1)
    page.select_option('select[name="unit_id"]', value=option.get_attribute("value"))
    page.fill('input[name="password"]', citizen.password)
    page.fill('input[name="confirm"]', citizen.password)
    submit_form(page, form)
    assert page.url.split("?")[0].endswith("/auth/verify"), (
        f"registration did not reach /auth/verify (at {page.url}); errors: {form_errors(page)}"
    )


def sign_in_via_form(page, login: str, password: str) -> None:
    page.goto("/auth/login")
    page.fill('input[name="login"]', login)
    page.fill('input[name="password"]', password)
    submit_form(page, 'main form:has(input[name="login"])')
    assert "/auth/login" not in page.url, f"sign-in refused for {login!r}; errors: {form_errors(page)}"


def sign_out(page) -> None:
    with page.expect_navigation(wait_until="load"):
        page.get_by_test_id("logout").click()


@dataclass(frozen=True)
class Flows:
    new_citizen = staticmethod(new_citizen)
    form_errors = staticmethod(form_errors)
    submit_form = staticmethod(submit_form)
    register = staticmethod(register_via_form)
    sign_in = staticmethod(sign_in_via_form)
    sign_out = staticmethod(sign_out)


@pytest.fixture(scope="session")
def e2e_flows() -> Flows:
    """UI steps several journeys share (register, sign in, sign out, submit a form)."""
    return Flows()
