"""SQLite: request writers queue for the writer lock (app/database.py), released at commit or rollback."""

from __future__ import annotations

import fcntl
import os
import threading
import time

import pytest
from sqlalchemy import text

from app.database import writer_lock
from models import db
from tests.conftest import is_postgres

pytestmark = pytest.mark.skipif(is_postgres(), reason="the writer lock is for SQLite only")


def _held_elsewhere(app) -> bool:
    """Whether another open file (as another process would have) finds the lock taken."""
    fd = os.open(writer_lock(db.engine.url.database).path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing the file drops a lock taken through it
    return False


@pytest.mark.parametrize("end", ["commit", "rollback"])
def test_a_write_request_holds_the_lock_until_its_transaction_ends(app, end):
    with app.test_request_context("/api/v1/initiatives/1/like", method="PUT"):
        db.session.execute(text("SELECT 1"))  # BEGIN IMMEDIATE
        assert _held_elsewhere(app)
        getattr(db.session, end)()
        assert not _held_elsewhere(app)
        db.session.execute(text("SELECT 1"))  # the next transaction takes it again
        assert _held_elsewhere(app)
        db.session.remove()  # closing the session ends its transaction
        assert not _held_elsewhere(app)


def test_reads_and_work_outside_requests_do_not_take_the_lock(app):
    with app.test_request_context("/healthz"):
        db.session.execute(text("SELECT 1"))
        assert not _held_elsewhere(app)
        db.session.remove()
    db.session.execute(text("SELECT 1"))  # the test's own app context: no request
    assert not _held_elsewhere(app)
    db.session.rollback()


def test_a_second_writer_waits_for_the_first_to_commit(app):
    order: list[str] = []
    first_holds, errors = threading.Event(), []

    def writer(name: str, hold_s: float, started: threading.Event | None):
        try:
            with app.app_context(), app.test_request_context("/x", method="POST"):
                db.session.execute(text("SELECT 1"))
                order.append(f"{name} begins")
                if started:
                    started.set()
                time.sleep(hold_s)
                order.append(f"{name} commits")
                db.session.commit()
                db.session.remove()
        except Exception as exc:  # asserted below
            errors.append(repr(exc))

    first = threading.Thread(target=writer, args=("first", 0.3, first_holds))
    first.start()
    assert first_holds.wait(10)
    second = threading.Thread(target=writer, args=("second", 0, None))
    second.start()
    first.join(10)
    second.join(10)
    assert errors == []
    assert order == ["first begins", "first commits", "second begins", "second commits"]
