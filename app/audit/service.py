"""Writing and checking the audit log.

`record_audit` adds a row to the caller's transaction (the operation commits it together
with the change it describes). Appends are serialised so the chain never forks: on
PostgreSQL by a transaction-scoped advisory lock, on SQLite by BEGIN IMMEDIATE (see
app/database.py); the UNIQUE constraint on prev_hash is the last line of defence.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text

from app import clock
from app.audit.chain import AuditRecord, ChainBreak, compute_hash, jsonable, verify_chain
from models import GENESIS_HASH, AuditEntry, User, db

_ADVISORY_LOCK_KEY = 0x5A4B5300  # "SKS" — any constant shared by all app servers


def record_audit(
    actor: User | None,
    action: str,
    obj_type: str,
    obj_id: Any,
    *,
    before: Any = None,
    after: Any = None,
    actor_label: str | None = None,
) -> AuditEntry:
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
    last_hash = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    prev_hash = last_hash or GENESIS_HASH
    label = actor_label or (actor.email or actor.phone if actor else "system")
    entry = AuditEntry(
        created_at=clock.now(),
        actor_id=actor.id if actor else None,
        actor_label=label,
        action=action,
        object_type=obj_type,
        object_id=str(obj_id),
        before=jsonable(before),
        after=jsonable(after),
        prev_hash=prev_hash,
    )
    entry.hash = compute_hash(
        prev_hash,
        created_at=entry.created_at,
        actor_id=entry.actor_id,
        actor_label=label,
        action=action,
        object_type=obj_type,
        object_id=entry.object_id,
        before=entry.before,
        after=entry.after,
    )
    session.add(entry)
    session.flush()
    return entry


def verify_audit_log(batch_size: int = 1000) -> tuple[int, ChainBreak | None]:
    """(rows checked, first break or None), streaming the log in id order."""
    count = 0

    def records():
        nonlocal count
        last_id = 0
        while True:
            rows = db.session.scalars(
                select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch_size)
            ).all()
            if not rows:
                return
            for row in rows:
                count += 1
                yield AuditRecord(
                    id=row.id,
                    created_at=row.created_at,
                    actor_id=row.actor_id,
                    actor_label=row.actor_label,
                    action=row.action,
                    object_type=row.object_type,
                    object_id=row.object_id,
                    before=row.before,
                    after=row.after,
                    prev_hash=row.prev_hash,
                    hash=row.hash,
                )
            last_id = rows[-1].id
            db.session.expunge_all()

    result = verify_chain(records(), GENESIS_HASH)
    return count, result
