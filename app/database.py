"""Engine behaviour that the models should not have to know about.

SQLite: WAL, synchronous=NORMAL, a busy timeout and foreign keys on every connection, and
the transactions of unsafe requests (POST, PUT, PATCH, DELETE) begun with BEGIN IMMEDIATE,
so that a read-then-write transaction waits for the lock instead of failing with "database
is locked" (see shared/MEASURED.md). Safe requests (GET/HEAD/OPTIONS) and work outside a
request (CLI, tests) begin a deferred transaction, so readers never queue behind writers.

Those write transactions also queue for a writer lock (an OS file lock next to the database, plus
a thread lock) before BEGIN IMMEDIATE, and give it back the moment they commit or roll back. A
writer that finds the database locked would otherwise poll in SQLite's busy handler, sleeping 1,
2, 5, 10 … 100 ms between tries: with two workers that always have a request waiting, that sleep,
not the work, set the like rate and its p99. A blocked flock() wakes as soon as the lock is free.
Writers outside requests (CLI) do not take the lock; they meet the busy timeout as before.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from models import db

_READ_METHODS = {"GET", "HEAD", "OPTIONS"}
_HELD = "sks_writer_lock"  # key in the connection's info: the writer lock it holds


class WriterLock:
    """One request writer at a time on one SQLite file, across processes (flock) and threads."""

    def __init__(self, path: str):
        self.path = path
        self._thread_lock = threading.Lock()
        self._fd: int | None = None
        self._pid = 0  # the fd must not be shared with a forked child (one open file, one lock)
        self.owner: int | None = None

    def acquire(self) -> bool:
        """Wait for the lock; False (nothing taken) when this thread holds it through another
        connection, which then meets SQLite's busy timeout as it would without this lock."""
        if self.owner == threading.get_ident():
            return False
        self._thread_lock.acquire()
        try:
            if self._fd is None or self._pid != os.getpid():
                self._fd, self._pid = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._thread_lock.release()
            raise
        self.owner = threading.get_ident()
        return True

    def release(self) -> None:
        self.owner = None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()


_WRITER_LOCKS: dict[str, WriterLock] = {}
_WRITER_LOCKS_GUARD = threading.Lock()


def writer_lock(database: str | None) -> WriterLock | None:
    """The writer lock of a database file (None for an in-memory database)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    with _WRITER_LOCKS_GUARD:
        lock = _WRITER_LOCKS.get(database)
        if lock is None:
            lock = _WRITER_LOCKS[database] = WriterLock(f"{os.path.abspath(database)}-writer.lock")
        return lock


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event emit BEGIN itself (the pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(conn):
    if conn.dialect.name != "sqlite":
        return
    if has_request_context() and request.method not in _READ_METHODS:
        lock = writer_lock(conn.engine.url.database)
        if lock is not None and lock.acquire():
            conn.info[_HELD] = lock
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(conn.info)
            raise
    else:
        conn.exec_driver_sql("BEGIN")


def _release(info: dict) -> None:
    lock = info.pop(_HELD, None)
    if lock is not None:
        lock.release()


def _end_now(info: dict, dbapi_connection, end) -> None:
    """Commit or roll back at once and give the writer lock back, before SQLAlchemy's own call
    (then a no-op: sqlite3 sends COMMIT/ROLLBACK only inside a transaction). If it fails, the
    lock stays; SQLAlchemy's call raises the error wrapped and the rollback after it releases."""
    if _HELD not in info:
        return
    try:
        end(dbapi_connection)
    except sqlite3.Error:
        return
    _release(info)


def _pooled(conn):
    """The pooled DBAPI connection of a SQLite Connection, None if other or already gone (then
    the pool's invalidate event has released the lock)."""
    if conn.dialect.name != "sqlite" or conn.closed or conn.invalidated:
        return None
    return conn.connection


@event.listens_for(Engine, "commit")
def _sqlite_on_commit(conn):
    if (pooled := _pooled(conn)) is not None:
        _end_now(pooled.info, pooled.dbapi_connection, sqlite3.Connection.commit)


@event.listens_for(Engine, "rollback")
def _sqlite_on_rollback(conn):
    if (pooled := _pooled(conn)) is not None:
        _end_now(pooled.info, pooled.dbapi_connection, sqlite3.Connection.rollback)


@event.listens_for(Pool, "reset")
def _sqlite_on_reset(dbapi_connection, connection_record, reset_state):
    # A connection returned to the pool without its transaction ended (the pool rolls it back).
    _end_now(connection_record.info, dbapi_connection, sqlite3.Connection.rollback)


@event.listens_for(Pool, "invalidate")
def _sqlite_on_invalidate(dbapi_connection, connection_record, exception):
    _release(connection_record.info)


def end_transaction() -> None:
    """Finish the current transaction before slow work (password hashing): on SQLite an unsafe
    request's transaction holds the database's write lock, and other writers would queue behind
    a 100 ms hash. Nothing may be pending: call it only after reads."""
    db.session.rollback()
