"""Organizer operations on accounts: search, roles, deactivation (all audited)."""

from __future__ import annotations

from sqlalchemy import func, or_, select, update

from app import clock
from app.audit.service import record_audit
from app.auth.rules import fold
from models import ApiToken, RoleGrant, RoleName, Unit, User, db


class RoleProblem(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def search_users(query: str, *, role: str | None = None, page: int = 1, per_page: int = 25):
    """Users whose name (accents ignored), email or phone contains the query."""
    stmt = select(User)
    q = (query or "").strip()
    if q:
        like = f"%{fold(q)}%"
        digits = "".join(ch for ch in q if ch.isdigit())
        conditions = [User.name_folded.like(like), func.lower(User.email).like(f"%{q.lower()}%")]
        if len(digits) >= 3:
            conditions.append(User.phone.like(f"%{digits.lstrip('0')}%"))
        stmt = stmt.where(or_(*conditions))
    if role:
        stmt = stmt.where(User.roles.any(RoleGrant.role == role))
    stmt = stmt.order_by(User.name_folded, User.id)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def _organizer_count() -> int:
    return db.session.scalar(
        select(func.count(func.distinct(RoleGrant.user_id)))
        .join(User, User.id == RoleGrant.user_id)
        .where(RoleGrant.role == RoleName.ORGANIZER, User.active.is_(True))
    )


def grant_role(actor: User, user: User, role: RoleName, unit: Unit | None = None) -> RoleGrant:
    if role == RoleName.UNIT_REP and unit is None:
        raise RoleProblem("unit_required")
    unit_id = unit.id if role == RoleName.UNIT_REP and unit else None
    existing = next((g for g in user.roles if g.role == role and g.unit_id == unit_id), None)
    if existing:
        return existing
    grant = RoleGrant(user=user, role=role, unit_id=unit_id, granted_by_id=actor.id, granted_at=clock.now())
    db.session.add(grant)
    db.session.flush()
    record_audit(actor, "role.grant", "user", user.id, after={"role": str(role), "unit_id": unit_id})
    db.session.commit()
    return grant


def revoke_role(actor: User, user: User, grant: RoleGrant) -> None:
    if grant.user_id != user.id:
        raise RoleProblem("not_found")
    if grant.role == RoleName.ORGANIZER and _organizer_count() <= 1:
        raise RoleProblem("last_organizer")
    record_audit(
        actor, "role.revoke", "user", user.id, before={"role": str(grant.role), "unit_id": grant.unit_id}
    )
    db.session.delete(grant)
    db.session.commit()


def deactivate_user(actor: User, user: User, reason: str) -> None:
    """The account stops working at once: sessions (session version) and API tokens."""
    if user.id == actor.id:
        raise RoleProblem("self")
    if not user.active:
        return
    if user.is_organizer and _organizer_count() <= 1:
        raise RoleProblem("last_organizer")
    now = clock.now()
    user.active = False
    user.deactivated_at = now
    user.session_version = (user.session_version or 1) + 1
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    record_audit(
        actor,
        "user.deactivate",
        "user",
        user.id,
        before={"active": True},
        after={"active": False, "reason": reason},
    )
    db.session.commit()


def reactivate_user(actor: User, user: User) -> None:
    if user.active:
        return
    user.active = True
    user.deactivated_at = None
    record_audit(actor, "user.reactivate", "user", user.id, before={"active": False}, after={"active": True})
    db.session.commit()
