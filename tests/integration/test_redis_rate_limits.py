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
