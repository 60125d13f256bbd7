"""Pure hash-chain rules for the audit log. No Flask, no database.

Each row's hash covers the previous row's hash and the row's own content, so editing,
deleting or reordering any row breaks every later link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class AuditRecord:
    id: int
    created_at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    before: Any
    after: Any
    prev_hash: str
    hash: str


def jsonable(value: Any) -> Any:
    """The JSON form a value takes once stored, so hashing before and after storing agree."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False, sort_keys=True))


def compute_hash(
    prev_hash: str,
    *,
    created_at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    before: Any,
    after: Any,
) -> str:
    payload = {
        "prev": prev_hash,
        "at": created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": actor_id,
        "actor": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "before": jsonable(before),
        "after": jsonable(after),
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    row_id: int
    reason: str  # "hash" (content changed) or "link" (a row missing or reordered before it)


def verify_chain(records: Iterable[AuditRecord], genesis: str) -> ChainBreak | None:
    """The first broken row in id order, or None when the whole chain holds."""
    expected_prev = genesis
    for record in records:
        if record.prev_hash != expected_prev:
            return ChainBreak(record.id, "link")
        recomputed = compute_hash(
            record.prev_hash,
            created_at=record.created_at,
            actor_id=record.actor_id,
            actor_label=record.actor_label,
            action=record.action,
            object_type=record.object_type,
            object_id=record.object_id,
            before=record.before,
            after=record.after,
        )
        if recomputed != record.hash:
            return ChainBreak(record.id, "hash")
        expected_prev = record.hash
    return None
