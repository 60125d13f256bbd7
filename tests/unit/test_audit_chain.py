"""The audit hash chain (pure)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from app.audit.chain import AuditRecord, compute_hash, verify_chain

GENESIS = "0" * 64
T0 = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


def build_chain(n: int) -> list[AuditRecord]:
    records, prev = [], GENESIS
    for i in range(1, n + 1):
        fields = dict(
            created_at=T0 + timedelta(minutes=i),
            actor_id=1,
            actor_label="btc@demo.vn",
            action="stage.update",
            object_type="stage",
            object_id=f"1:voting{i}",
            before={"closes_at": "2026-12-01"},
            after={"closes_at": f"2026-12-{i + 1:02d}", "ghi_chú": "Gia hạn bình chọn"},
        )
        h = compute_hash(prev, **fields)
        records.append(AuditRecord(id=i, prev_hash=prev, hash=h, **fields))
        prev = h
    return records


def test_an_untouched_chain_verifies():
    assert verify_chain(build_chain(5), GENESIS) is None


def test_changing_a_row_is_detected_at_that_row():
    chain = build_chain(5)
    chain[2] = replace(chain[2], after={"closes_at": "2027-01-01"})
    broken = verify_chain(chain, GENESIS)
    assert (broken.row_id, broken.reason) == (3, "hash")


def test_deleting_a_row_is_detected_at_the_next_row():
    chain = build_chain(5)
    del chain[1]
    broken = verify_chain(chain, GENESIS)
    assert (broken.row_id, broken.reason) == (3, "link")


def test_rehashing_a_changed_row_still_breaks_the_next_link():
    chain = build_chain(4)
    forged = replace(chain[1], actor_label="someone-else")
    forged = replace(
        forged,
        hash=compute_hash(
            forged.prev_hash,
            **{
                k: getattr(forged, k)
                for k in (
                    "created_at",
                    "actor_id",
                    "actor_label",
                    "action",
                    "object_type",
                    "object_id",
                    "before",
                    "after",
                )
            },
        ),
    )
    chain[1] = forged
    broken = verify_chain(chain, GENESIS)
    assert (broken.row_id, broken.reason) == (3, "link")


def test_hash_is_independent_of_key_order_and_time_zone():
    from zoneinfo import ZoneInfo

    a = compute_hash(
        GENESIS,
        created_at=T0,
        actor_id=None,
        actor_label="cli",
        action="x",
        object_type="t",
        object_id="1",
        before=None,
        after={"a": 1, "b": 2},
    )
    b = compute_hash(
        GENESIS,
        created_at=T0.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")),
        actor_id=None,
        actor_label="cli",
        action="x",
        object_type="t",
        object_id="1",
        before=None,
        after={"b": 2, "a": 1},
    )
    assert a == b
