"""Rate limits kept in Redis, as in production (several app servers share one counter)."""

import os
import uuid

import pytest

from tests.factories import make_user

REDIS_URL = os.environ.get("TEST_REDIS_URL")

needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="set TEST_REDIS_URL (.ci/run does) to test Redis storage"
)


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": f"sks-test-{uuid.uuid4().hex}"}


@needs_redis
def test_login_throttle_is_shared_through_redis(app):
    make_user(email="an@example.vn")
    first, second = app.test_client(), app.test_client()  # two browsers, as on two app servers

    def attempt(client):
        return client.post("/api/v1/tokens", json={"login": "an@example.vn", "password": "wrong"}).status_code

    statuses = [attempt(first) for _ in range(3)] + [attempt(second) for _ in range(3)]
    assert statuses == [401] * 5 + [429]
    from limits.storage import RedisStorage

    from app.extensions import limiter

    assert isinstance(limiter.storage, RedisStorage)


def test_an_unreachable_redis_does_not_break_sign_in(_schema):
    """Counting falls back to each worker's memory instead of answering 500."""
    from app import create_app
    from config import TestingConfig
    from tests.conftest import database_url

    down = create_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI=database_url(), RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0"
    )
    client = down.test_client()
    response = client.post("/api/v1/tokens", json={"login": "nobody@example.vn", "password": "wrong"})
    assert response.status_code == 401


@needs_redis
def test_like_throttle_holds_across_two_gunicorn_workers(app, tmp_path):
    """Two real gunicorn workers share one Redis counter: the limit holds whichever worker answers."""
    import re
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    from sqlalchemy import func, select

    from app.auth.service import issue_api_token
    from models import Like, db
    from tests.conftest import database_url
    from tests.factories import make_category, make_contest, make_initiative, make_unit

    contest = make_contest()
    unit = make_unit("Xã Hồng Quang", code="UH-HQ")
    initiatives = [
        make_initiative(contest, unit, category=make_category(contest, f"Lĩnh vực {i}")) for i in range(8)
    ]
    token, _row = issue_api_token(make_user(email="like@example.vn"))
    ids = [i.id for i in initiatives]

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    access_log = tmp_path / "access.log"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "APP_ENV": "production",
        "SECRET_KEY": app.config["SECRET_KEY"],  # the token's hash is keyed with it
        "DATABASE_URL": database_url(),
        "ALLOW_SQLITE": "1",
        "FORCE_HTTPS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": f"sks-test-{uuid.uuid4().hex}",
        "LIKE_LIMIT": "5/minute",
        "LIKE_LIMIT_PER_IP": "1000/minute",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "MAIL_BACKEND": "console",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen(
        [
            gunicorn,
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(p)s %(m)s %(U)s %(s)s",
            "app:create_app()",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)

        def like(initiative_id: int) -> int:
            request = urllib.request.Request(
                f"{base}/api/v1/initiatives/{initiative_id}/like",
                method="PUT",
                headers={"Authorization": f"Bearer {token}"},
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status
            except urllib.error.HTTPError as exc:
                return exc.code

        def hold_a_worker() -> socket.socket:
            """A request whose headers never end keeps the worker that accepted it busy reading."""
            blocker = socket.create_connection(("127.0.0.1", port))
            blocker.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            time.sleep(0.5)  # the idle worker accepts it at once
            return blocker

        def release(blocker: socket.socket) -> None:
            blocker.sendall(b"\r\n")
            blocker.recv(4096)
            blocker.close()

        # The first half while one worker is held, the second half while the other one is.
        first = hold_a_worker()
        statuses = [like(i) for i in ids[:4]]
        second = hold_a_worker()  # taken by the worker that answered the first half
        release(first)
        statuses += [like(i) for i in ids[4:]]
        release(second)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert statuses == [200] * 5 + [429] * 3
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Like)) == 5
    served = [line.split()[0] for line in access_log.read_text().splitlines() if "/like" in line]
    assert all(re.fullmatch(r"<\d+>", pid) for pid in served)
    assert len(set(served[:4])) == 1 and len(set(served[4:])) == 1 and served[0] != served[4], served
