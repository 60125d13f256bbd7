"""Registration under concurrent load: one account per email, whatever the timing."""

import re
import threading

import pytest
from sqlalchemy import func, select

from models import User, db
from tests.factories import make_unit

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def app_overrides():
    return {"RATELIMIT_ENABLED": False}


def test_twenty_simultaneous_registrations_of_one_email_create_one_account(app):
    make_unit("Xã Đồng Tiến", code="UH-DT")
    threads, statuses, errors = [], [], []
    ready = threading.Barrier(20)

    def register(i: int):
        try:
            client = app.test_client()
            page = client.get("/auth/register").get_data(as_text=True)
            token = CSRF_RE.search(page).group(1)
            ready.wait(timeout=30)
            response = client.post(
                "/auth/register",
                data={
                    "csrf_token": token,
                    "full_name": "Vũ Thị Hoa",
                    "email": "hoa.vu@example.vn",
                    "phone": "",
                    "unit_id": "",
                    "password": "Hoa-sen-2025!",
                    "confirm": "Hoa-sen-2025!",
                },
            )
            statuses.append(response.status_code)
        except Exception as exc:  # collected and reported below
            errors.append(repr(exc))

    for i in range(20):
        thread = threading.Thread(target=register, args=(i,))
        threads.append(thread)
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(statuses) == [302] + [422] * 19  # one success, 19 "already exists" form errors
    db.session.remove()
    assert (
        db.session.scalar(select(func.count()).select_from(User).where(User.email == "hoa.vu@example.vn"))
        == 1
    )
