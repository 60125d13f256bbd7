"""Initiatives (mô hình, sáng kiến) submitted by units, their files, categories and history."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from .contest import Contest
    from .unit import Unit
    from .user import User


class InitiativeStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PUBLISHED = "published"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


def _enum(e):
    return Enum(e, native_enum=False, length=20, values_callable=lambda x: [m.value for m in x])


class Category(Base):
    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("contest_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(120))  # Vietnamese
    name_en: Mapped[str] = mapped_column(String(120), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def label(self, locale: str) -> str:
        """The name in the reader's language (Vietnamese when no English name was given)."""
        return self.name_en if locale == "en" and self.name_en else self.name


class Initiative(Base):
    __tablename__ = "initiatives"
    __table_args__ = (
        Index("ix_initiatives_gallery", "contest_id", "status", "published_at"),
        CheckConstraint(
            "like_count >= 0 AND comment_count >= 0 AND view_count >= 0", name="counts_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[InitiativeStatus] = mapped_column(_enum(InitiativeStatus), default=InitiativeStatus.DRAFT)

    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    solution: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[str] = mapped_column(String(200), default="")
    in_use_since: Mapped[date | None] = mapped_column(Date)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    video_url: Mapped[str] = mapped_column(String(300), default="")
    # Title, summary and unit name without accents, lower-cased: "chuyen doi so" finds "chuyển đổi số".
    search_text: Mapped[str] = mapped_column(Text, default="")

    # Counters read by hot pages; changed only by atomic UPDATEs or recomputed (engagement issue).
    like_count: Mapped[int] = mapped_column(Integer, default=0)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    view_count: Mapped[int] = mapped_column(Integer, default=0)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    contest: Mapped[Contest] = relationship()
    unit: Mapped[Unit] = relationship()
    category: Mapped[Category | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    images: Mapped[list[InitiativeImage]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="InitiativeImage.position"
    )
    documents: Mapped[list[InitiativeDocument]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="InitiativeDocument.id"
    )
    events: Mapped[list[InitiativeEvent]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan", order_by="InitiativeEvent.id"
    )

    @property
    def is_public(self) -> bool:
        return self.status == InitiativeStatus.PUBLISHED

    def can_view(self, user) -> bool:
        """Published ones are public; the others only for the unit's representatives and organizers."""
        if self.is_public:
            return True
        return self.can_manage(user)

    def can_manage(self, user) -> bool:
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        return user.is_organizer or user.represents(self.unit_id)

    @property
    def editable(self) -> bool:
        return self.status in (InitiativeStatus.DRAFT, InitiativeStatus.RETURNED)


class InitiativeImage(Base):
    """A picture, stored re-encoded under random names as a 400 px thumbnail and a 1600 px display size."""

    __tablename__ = "initiative_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)  # random; file names derive from it
    position: Mapped[int] = mapped_column(Integer, default=0)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    initiative: Mapped[Initiative] = relationship(back_populates="images")


class InitiativeDocument(Base):
    """A PDF, stored under a random name; `title` is a cleaned display name, never a path."""

    __tablename__ = "initiative_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    initiative: Mapped[Initiative] = relationship(back_populates="documents")


class InitiativeEvent(Base):
    """The history the unit sees: who changed what, when, and the organizers' reasons."""

    __tablename__ = "initiative_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    initiative: Mapped[Initiative] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
