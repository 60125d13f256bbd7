"""Engine behaviour that the models should not have to know about.

SQLite: WAL, synchronous=NORMAL, a busy timeout and foreign keys on every connection, and
the transactions of unsafe requests (POST, PUT, PATCH, DELETE) begun with BEGIN IMMEDIATE,
so that a read-then-write transaction waits for the lock instead of failing with "database
is locked" (see shared/MEASURED.md). Safe requests (GET/HEAD/OPTIONS) and work outside a
request (CLI, tests) begin a deferred transaction, so readers never queue behind writers.
"""

from __future__ import annotations

import sqlite3

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from models import db

_READ_METHODS = {"GET", "HEAD", "OPTIONS"}


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
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def end_transaction() -> None:
    """Finish the current transaction before slow work (password hashing): on SQLite an unsafe
    request's transaction holds the database's write lock, and other writers would queue behind
    a 100 ms hash. Nothing may be pending: call it only after reads."""
    db.session.rollback()
