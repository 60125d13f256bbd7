"""Unit operations: the tree, headcounts and roster imports (all audited)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from app import clock
from app.audit.service import record_audit
from app.auth.rules import fold
from app.initiatives.rules import search_text
from app.units.roster import RosterParse, RowError, parse_roster
from models import Initiative, RosterEntry, Unit, UnitKind, User, db


class UnitProblem(Exception):
    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


class RosterRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


@dataclass(frozen=True)
class UnitData:
    code: str
    name: str
    kind: UnitKind
    parent_id: int | None
    headcount: int


def _snapshot(unit: Unit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": str(unit.kind),
        "parent_id": unit.parent_id,
        "headcount": unit.headcount,
    }


def all_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).order_by(Unit.name)))


def descendant_ids(unit_id: int, units: list[Unit]) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u.id)
    found, stack = set(), [unit_id]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def _check(data: UnitData, unit: Unit | None) -> None:
    clash = db.session.scalar(select(Unit.id).where(func.lower(Unit.code) == data.code.lower()))
    if clash and (unit is None or clash != unit.id):
        raise UnitProblem("code", "code_taken")
    if data.parent_id is not None:
        if db.session.get(Unit, data.parent_id) is None:
            raise UnitProblem("parent_id", "unknown_parent")
        if unit is not None and (
            data.parent_id == unit.id or data.parent_id in descendant_ids(unit.id, all_units())
        ):
            raise UnitProblem("parent_id", "cycle")


def create_unit(actor: User, data: UnitData) -> Unit:
    _check(data, None)
    unit = Unit(
        code=data.code.strip(),
        name=data.name.strip(),
        kind=data.kind,
        parent_id=data.parent_id,
        headcount=data.headcount,
        created_at=clock.now(),
    )
    db.session.add(unit)
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise UnitProblem("code", "code_taken") from exc
    record_audit(actor, "unit.create", "unit", unit.id, after=_snapshot(unit))
    db.session.commit()
    return unit


def update_unit(actor: User, unit: Unit, data: UnitData) -> Unit:
    _check(data, unit)
    before = _snapshot(unit)
    unit.code, unit.name, unit.kind = data.code.strip(), data.name.strip(), data.kind
    unit.parent_id, unit.headcount = data.parent_id, data.headcount
    after = _snapshot(unit)
    if before["name"] != after["name"]:
        # The gallery searches unit names too: keep the initiatives' search text in step.
        for initiative in db.session.scalars(select(Initiative).where(Initiative.unit_id == unit.id)):
            initiative.search_text = search_text(initiative.title, initiative.summary, unit.name)
    if before != after:
        record_audit(actor, "unit.update", "unit", unit.id, before=before, after=after)
    db.session.commit()
    return unit


def delete_unit(actor: User, unit: Unit) -> None:
    """Only an empty unit goes: no sub-units, no members, no roster (nothing already stored is lost)."""
    in_use = (
        db.session.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == unit.id))
        or db.session.scalar(select(func.count()).select_from(User).where(User.unit_id == unit.id))
        or db.session.scalar(
            select(func.count()).select_from(RosterEntry).where(RosterEntry.unit_id == unit.id)
        )
    )
    if in_use:
        raise UnitProblem("unit", "in_use")
    record_audit(actor, "unit.delete", "unit", unit.id, before=_snapshot(unit))
    db.session.delete(unit)
    db.session.commit()


def member_counts() -> dict[int, int]:
    rows = db.session.execute(
        select(User.unit_id, func.count()).where(User.unit_id.is_not(None)).group_by(User.unit_id)
    )
    return dict(rows.all())


def unit_lookup() -> dict[str, int]:
    """Folded code and folded name -> unit id, for matching roster rows."""
    lookup: dict[str, int] = {}
    for unit in all_units():
        lookup.setdefault(fold(unit.name), unit.id)
        lookup[fold(unit.code)] = unit.id
    return lookup


@dataclass(frozen=True)
class RosterResult:
    rows: int
    created: int
    updated: int
    linked_accounts: int


def import_roster(actor: User, text: str, filename: str) -> RosterResult:
    """All rows or none: any bad row rejects the file with the full row-by-row report."""
    parsed: RosterParse = parse_roster(text, unit_lookup())
    if not parsed.ok:
        raise RosterRejected(parsed.errors)
    now = clock.now()
    created = updated = linked = 0
    for row in parsed.rows:
        match = [RosterEntry.email == row.email] if row.email else []
        match += [RosterEntry.phone == row.phone] if row.phone else []
        entry = db.session.scalar(select(RosterEntry).where(RosterEntry.unit_id == row.unit_id, or_(*match)))
        if entry is None:
            entry = RosterEntry(unit_id=row.unit_id, imported_at=now)
            db.session.add(entry)
            created += 1
        else:
            updated += 1
        entry.full_name, entry.email, entry.phone, entry.imported_at = (
            row.full_name,
            row.email,
            row.phone,
            now,
        )
        account_match = [User.email == row.email] if row.email else []
        account_match += [User.phone == row.phone] if row.phone else []
        user = db.session.scalar(select(User).where(or_(*account_match)))
        if user is not None:
            entry.user_id = user.id
            user.unit_id = row.unit_id
            user.unit_confirmed_at = now
            if user.verified_at is None:
                user.verified_at, user.verified_via = now, "roster"
            linked += 1
    db.session.flush()
    result = RosterResult(len(parsed.rows), created, updated, linked)
    record_audit(
        actor,
        "roster.import",
        "roster",
        filename[:64] or "upload",
        after={"rows": result.rows, "created": created, "updated": updated, "linked_accounts": linked},
    )
    db.session.commit()
    return result
