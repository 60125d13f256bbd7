"""Accounts, role grants, verification codes and API tokens."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from .unit import Unit


class RoleName(enum.StrEnum):
    ORGANIZER = "organizer"
    UNIT_REP = "unit_rep"
    JUDGE = "judge"


class CodePurpose(enum.StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose name, not a password


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="email_or_phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    # The name without accents, lower-cased, so "nguyen van" finds "Nguyễn Văn".
    name_folded: Mapped[str] = mapped_column(String(120), default="", index=True)
    # Stored normalised: email lower-cased, phone in E.164 (+84…). Unique when present.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # Set when the unit confirmed membership (roster import); self-declared otherwise.
    unit_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_via: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped to end every open session of the account (deactivation, password reset).
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    roles: Mapped[list[RoleGrant]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        foreign_keys="RoleGrant.user_id",
        lazy="selectin",
    )

    # Flask-Login protocol, written out so models/ does not import Flask-Login.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        # The session version makes a bumped account's old cookies useless.
        return f"{self.id}:{self.session_version}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def has_role(self, role: RoleName | str) -> bool:
        return any(grant.role == role for grant in self.roles)

    @property
    def is_organizer(self) -> bool:
        return self.has_role(RoleName.ORGANIZER)

    @property
    def is_judge(self) -> bool:
        return self.has_role(RoleName.JUDGE)

    @property
    def represented_unit_ids(self) -> list[int]:
        return sorted(g.unit_id for g in self.roles if g.role == RoleName.UNIT_REP and g.unit_id)

    @property
    def role_names(self) -> list[str]:
        return sorted({str(g.role) for g in self.roles})

    def represents(self, unit_id: int) -> bool:
        return unit_id in self.represented_unit_ids

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email or self.phone}>"


class RoleGrant(Base):
    """A role held by a user; unit representatives hold it for one unit."""

    __tablename__ = "role_grants"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "unit_id"),
        CheckConstraint(
            "(role = 'unit_rep' AND unit_id IS NOT NULL) OR (role <> 'unit_rep' AND unit_id IS NULL)",
            name="unit_only_for_rep",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[RoleName] = mapped_column(
        Enum(RoleName, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles", foreign_keys=[user_id])
    unit: Mapped[Unit | None] = relationship()


class VerificationCode(Base):
    """A one-time 6-digit code sent by email; only its hash is stored."""

    __tablename__ = "verification_codes"
    __table_args__ = (Index("ix_verification_codes_user_purpose", "user_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    purpose: Mapped[CodePurpose] = mapped_column(
        Enum(CodePurpose, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApiToken(Base):
    """A bearer token for /api/v1; the token itself is shown once, only its hash is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
