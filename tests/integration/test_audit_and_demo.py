"""The audit log chain in the database, `flask audit verify`, and the demo seed."""

from sqlalchemy import func, select, update

from app.audit.service import record_audit, verify_audit_log
from app.demo.engagement import BURST_ACCOUNTS, CITIZEN_COUNT
from app.demo.seed import seed_demo
from models import GENESIS_HASH, AuditEntry, Contest, RoleName, Unit, User, db
from tests.factories import make_user


def write_entries(n: int) -> list[int]:
    actor = make_user(role=RoleName.ORGANIZER)
    ids = []
    for i in range(n):
        entry = record_audit(
            actor, "stage.update", "stage", f"1:quiz{i}", before={"i": i}, after={"i": i + 1}
        )
        db.session.commit()
        ids.append(entry.id)
    return ids


def test_rows_are_chained_from_the_genesis_hash(app):
    write_entries(3)
    rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert rows[0].prev_hash == GENESIS_HASH
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert verify_audit_log() == (3, None)


def test_flask_audit_verify_names_the_first_tampered_row(app, runner):
    ids = write_entries(5)
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "5 rows checked" in ok.output
    # Someone edits row 3 directly in the database.
    db.session.execute(update(AuditEntry).where(AuditEntry.id == ids[2]).values(after={"i": 999}))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"row {ids[2]}" in result.output


def test_deleting_a_row_is_detected_at_the_next_one(app, runner):
    ids = write_entries(4)
    db.session.execute(AuditEntry.__table__.delete().where(AuditEntry.id == ids[1]))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"row {ids[2]}" in result.output


def test_demo_seed_builds_a_living_contest_and_is_idempotent(app, runner):
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    counts = (
        db.session.scalar(select(func.count()).select_from(Unit)),
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(Contest)),
    )
    assert counts[0] >= 25 and counts[1] == 29 + CITIZEN_COUNT + BURST_ACCOUNTS and counts[2] == 1
    second = runner.invoke(args=["demo", "seed"])
    assert "0 units, 0 accounts, 0 contests" in second.output
    assert (
        db.session.scalar(select(func.count()).select_from(Unit)),
        db.session.scalar(select(func.count()).select_from(User)),
        db.session.scalar(select(func.count()).select_from(Contest)),
    ) == counts
    from app.contest.service import contest_states, current_contest

    states = {s.kind: s.status for s in contest_states(current_contest())}
    assert states == {
        "quiz": "open",
        "submission": "closed",
        "voting": "open",
        "judging": "open",
        "final": "upcoming",
    }
    organizer = db.session.scalar(select(User).where(User.email == "btc@demo.vn"))
    assert organizer.is_organizer and organizer.is_verified
    reps = db.session.scalars(select(User).where(User.email.like("donvi%"))).all()
    assert len({u.represented_unit_ids[0] for u in reps}) == 3
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_seed_if_empty_leaves_a_used_database_alone(app, runner):
    make_user()
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert "skipped" in result.output
    assert db.session.scalar(select(func.count()).select_from(Contest)) == 0


def test_create_organizer_command(app, runner):
    result = runner.invoke(
        args=[
            "create-organizer",
            "--email",
            "Chu.Tich@UngHoa.gov.vn",
            "--name",
            "Chủ tịch",
            "--password",
            "Song-Day-2026!",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "chu.tich@unghoa.gov.vn"))
    assert user.is_organizer and user.is_verified
    weak = runner.invoke(
        args=["create-organizer", "--email", "x@example.vn", "--name", "X", "--password", "12345678"]
    )
    assert weak.exit_code != 0
    seed_demo()
