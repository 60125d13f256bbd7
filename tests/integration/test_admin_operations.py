"""Organizer operations: stage windows, units, rosters, roles, deactivation — and their audit trail."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.auth import service as auth_service
from app.contest import service as contest_service
from app.units import service as unit_service
from app.users import service as user_service
from models import AuditEntry, RoleName, RosterEntry, StageKind, Unit, UnitKind, User, db
from tests.factories import make_contest, make_unit, make_user


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_moving_a_stage_window_is_audited_with_before_and_after(app):
    organizer = make_user(role=RoleName.ORGANIZER)
    contest = make_contest()
    stage = contest.stage(StageKind.VOTING)
    old_close = stage.closes_at
    contest_service.update_stage(
        organizer, contest, StageKind.VOTING, stage.opens_at, old_close + timedelta(days=3)
    )
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "stage.update"))
    assert entry.actor_id == organizer.id
    assert entry.before["closes_at"] == old_close.isoformat()
    assert entry.after["closes_at"] == (old_close + timedelta(days=3)).isoformat()


def test_a_window_that_closes_before_it_opens_is_refused_and_nothing_changes(app):
    organizer = make_user(role=RoleName.ORGANIZER)
    contest = make_contest()
    stage = contest.stage(StageKind.FINAL)
    before = (stage.opens_at, stage.closes_at)
    with pytest.raises(contest_service.StageWindowInvalid):
        contest_service.update_stage(organizer, contest, StageKind.FINAL, stage.opens_at, stage.opens_at)
    db.session.expire_all()
    stage = contest.stage(StageKind.FINAL)
    assert (stage.opens_at, stage.closes_at) == before
    assert audit_actions() == []


def test_editing_the_contest_checks_every_window_before_saving_any(app):
    organizer = make_user(role=RoleName.ORGANIZER)
    contest = make_contest()
    now = clock.now()
    windows = {s.kind: (s.opens_at, s.closes_at) for s in contest.stages}
    windows[StageKind.QUIZ] = (now, now + timedelta(days=40))
    windows[StageKind.FINAL] = (now, now - timedelta(days=1))
    with pytest.raises(contest_service.StageWindowInvalid):
        contest_service.update_contest(
            organizer, contest, name="Tên mới", description="", organizer_name="", windows=windows
        )
    db.session.rollback()
    db.session.expire_all()
    assert contest.name == "Chuyển đổi số 2026"
    assert contest.stage(StageKind.QUIZ).closes_at != now + timedelta(days=40)


def test_stage_gate_follows_the_app_clock(app):
    contest = make_contest()
    assert contest_service.is_stage_open(contest, StageKind.VOTING)
    clock.travel(timedelta(days=11))
    assert not contest_service.is_stage_open(contest, StageKind.VOTING)
    clock.travel(timedelta(days=14, hours=12))
    assert contest_service.is_stage_open(contest, StageKind.FINAL)


def test_units_form_a_tree_without_cycles(app):
    organizer = make_user(role=RoleName.ORGANIZER)
    district = make_unit("Huyện Ứng Hòa", code="UH", kind=UnitKind.DISTRICT)
    commune = make_unit("Xã Viên An", code="UH-VA", parent=district)
    data = unit_service.UnitData(
        code="UH", name="Huyện Ứng Hòa", kind=UnitKind.DISTRICT, parent_id=commune.id, headcount=0
    )
    with pytest.raises(unit_service.UnitProblem) as exc:
        unit_service.update_unit(organizer, district, data)
    assert exc.value.reason == "cycle"
    with pytest.raises(unit_service.UnitProblem) as exc:
        unit_service.create_unit(
            organizer, unit_service.UnitData("uh-va", "Trùng mã", UnitKind.COMMUNE, None, 1)
        )
    assert exc.value.reason == "code_taken"


def test_a_unit_in_use_cannot_be_deleted_but_an_empty_one_can(app):
    organizer = make_user(role=RoleName.ORGANIZER)
    district = make_unit("Huyện", code="UH")
    make_unit("Xã", code="UH-X", parent=district)
    with pytest.raises(unit_service.UnitProblem):
        unit_service.delete_unit(organizer, district)
    empty = make_unit("Trống", code="EMPTY")
    unit_service.delete_unit(organizer, empty)
    assert db.session.get(Unit, empty.id) is None
    assert audit_actions() == ["unit.delete"]


def test_roster_import_links_accounts_and_verifies_them(app):
    organizer = make_user(role=RoleName.ORGANIZER)
    unit = make_unit("Thị trấn Vân Đình", code="UH-VD")
    existing = make_user(email="an@example.vn", verified=False)
    csv_text = (
        "ho_ten,email,so_dien_thoai,ma_don_vi\n"
        "Nguyễn Văn An,AN@example.vn,,UH-VD\n"
        "Trần Bình,,0912345678,Thị trấn Vân Đình\n"
    )
    result = unit_service.import_roster(organizer, csv_text, "vd.csv")
    assert (result.rows, result.created, result.linked_accounts) == (2, 2, 1)
    db.session.refresh(existing)
    assert existing.unit_id == unit.id and existing.is_verified and existing.verified_via == "roster"
    # Importing the same file again updates instead of duplicating.
    again = unit_service.import_roster(organizer, csv_text, "vd.csv")
    assert (again.created, again.updated) == (0, 2)
    assert db.session.scalar(select(func.count()).select_from(RosterEntry)) == 2
    assert audit_actions() == ["roster.import", "roster.import"]


def test_a_roster_with_one_bad_row_imports_nothing(app):
    organizer = make_user(role=RoleName.ORGANIZER)
    make_unit("Thị trấn Vân Đình", code="UH-VD")
    person = make_user(email="an@example.vn", verified=False)
    csv_text = "name,email,unit\nAn,an@example.vn,UH-VD\nBình,binh@example.vn,KHONG-CO\n"
    with pytest.raises(unit_service.RosterRejected) as exc:
        unit_service.import_roster(organizer, csv_text, "bad.csv")
    assert [(e.line, e.code) for e in exc.value.errors] == [(3, "unknown_unit")]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(RosterEntry)) == 0
    assert not db.session.get(User, person.id).is_verified


def test_roles_are_granted_and_revoked_with_an_audit_trail(app):
    organizer = make_user(role=RoleName.ORGANIZER)
    unit = make_unit()
    person = make_user()
    user_service.grant_role(organizer, person, RoleName.UNIT_REP, unit)
    user_service.grant_role(organizer, person, RoleName.JUDGE)
    user_service.grant_role(organizer, person, RoleName.JUDGE)  # twice is once
    assert person.role_names == ["judge", "unit_rep"] and person.represents(unit.id)
    with pytest.raises(user_service.RoleProblem):
        user_service.grant_role(organizer, person, RoleName.UNIT_REP, None)
    grant = next(g for g in person.roles if g.role == RoleName.JUDGE)
    user_service.revoke_role(organizer, person, grant)
    assert person.role_names == ["unit_rep"]
    assert audit_actions() == ["role.grant", "role.grant", "role.revoke"]


def test_the_last_organizer_cannot_be_removed_or_deactivated(app):
    organizer = make_user(role=RoleName.ORGANIZER)
    other = make_user(role=RoleName.ORGANIZER)
    user_service.deactivate_user(organizer, other, "rời ban tổ chức")
    grant = organizer.roles[0]
    with pytest.raises(user_service.RoleProblem) as exc:
        user_service.revoke_role(organizer, organizer, grant)
    assert exc.value.reason == "last_organizer"
    with pytest.raises(user_service.RoleProblem) as exc:
        user_service.deactivate_user(organizer, organizer, "x")
    assert exc.value.reason == "self"


def test_deactivation_ends_sessions_and_tokens_at_once(app):
    organizer = make_user(role=RoleName.ORGANIZER)
    person = make_user()
    token, _ = auth_service.issue_api_token(person)
    session_id = person.get_id()
    assert auth_service.load_session_user(session_id) == person
    user_service.deactivate_user(organizer, person, "tài khoản giả mạo")
    assert auth_service.load_session_user(session_id) is None
    assert auth_service.user_for_token(token) is None
    assert auth_service.authenticate(person.email, "Secret-pass-42") is None
    user_service.reactivate_user(organizer, person)
    assert auth_service.authenticate(person.email, "Secret-pass-42") == person
    assert auth_service.load_session_user(session_id) is None  # old sessions stay dead


def test_user_search_ignores_accents_and_finds_phone_numbers(app):
    make_user(name="Nguyễn Thị Hồng Nhung", phone="+84912000001")
    make_user(name="Trần Văn Hùng")
    assert [u.full_name for u in user_service.search_users("hong nhung").items] == ["Nguyễn Thị Hồng Nhung"]
    assert [u.full_name for u in user_service.search_users("0912000001").items] == ["Nguyễn Thị Hồng Nhung"]
    assert user_service.search_users("").total == 2
