"""Public engagement with published initiatives: likes, comments, reports, views, events,
quarantine decisions and engagement imported from the district's other platforms.

The counters on Initiative (like_count, comment_count, view_count) are kept by the operations in
app/engagement/service.py with atomic updates in the same transaction as these rows, and can be
recomputed from them (`flask engagement reconcile`).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
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
    from .initiative import Initiative
    from .user import User


def _enum(e):
    return Enum(e, native_enum=False, length=20, values_callable=lambda x: [m.value for m in x])


class Quarantine(Base):
    """An organizer's decision to exclude likes (selected ones, or all of one account's) from counts.

    Reversible (released_at), never deleted. While an account quarantine is active, that account's
    new likes are quarantined too.
    """

    __tablename__ = "quarantines"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # account quarantine
    reason: Mapped[str] = mapped_column(String(500))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])

    @property
    def active(self) -> bool:
        return self.released_at is None


class Like(Base):
    """One account's like of one initiative; unliking deletes the row (the event stays)."""

    __tablename__ = "likes"
    __table_args__ = (
        UniqueConstraint("initiative_id", "user_id", name="uq_likes_initiative_user"),
        Index("ix_likes_user_id", "user_id"),
        Index("ix_likes_initiative_created", "initiative_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set while the like is excluded from counts by a quarantine decision.
    quarantine_id: Mapped[int | None] = mapped_column(ForeignKey("quarantines.id"), index=True)

    user: Mapped[User] = relationship()
    initiative: Mapped[Initiative] = relationship()


class CommentStatus(enum.StrEnum):
    VISIBLE = "visible"
    HIDDEN = "hidden"  # by three reports, until a moderator decides
    REMOVED = "removed"  # by a moderator


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_initiative_created", "initiative_id", "created_at"),
        Index("ix_comments_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Replies are one level deep: a reply's parent is never itself a reply.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[CommentStatus] = mapped_column(_enum(CommentStatus), default=CommentStatus.VISIBLE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Reports not yet answered by a moderator (a restore answers them).
    open_reports: Mapped[int] = mapped_column(Integer, default=0)
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    initiative: Mapped[Initiative] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])

    @property
    def counted(self) -> bool:
        """Whether the comment is in the initiative's comment count (shown and not deleted)."""
        return self.status == CommentStatus.VISIBLE and self.deleted_at is None


class CommentReport(Base):
    __tablename__ = "comment_reports"
    __table_args__ = (UniqueConstraint("comment_id", "user_id", name="uq_comment_reports_comment_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class EventKind(enum.StrEnum):
    LIKE = "like"
    UNLIKE = "unlike"
    COMMENT = "comment"
    REPORT = "report"


class EngagementEvent(Base):
    """Every like, unlike, comment and report: when, who, and salted hashes of address and agent."""

    __tablename__ = "engagement_events"
    __table_args__ = (
        Index("ix_engagement_events_initiative_created", "initiative_id", "created_at"),
        Index("ix_engagement_events_ip_created", "ip_hash", "created_at"),
        Index("ix_engagement_events_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind))
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip_hash: Mapped[str] = mapped_column(String(32), default="")
    ua_hash: Mapped[str] = mapped_column(String(32), default="")


class InitiativeView(Base):
    """A distinct viewer (an account or an anonymous session) of an initiative on one day."""

    __tablename__ = "initiative_views"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    viewer: Mapped[str] = mapped_column(String(40), primary_key=True)  # "u:<id>" or "s:<hash>"


class ExternalPlatform(enum.StrEnum):
    FANPAGE = "fanpage"
    ZALO_OA = "zalo_oa"
    PORTAL = "portal"
    OTHER = "other"


class ExternalEngagement(Base):
    """A snapshot of an initiative's engagement on another platform; the latest per platform counts."""

    __tablename__ = "external_engagements"
    __table_args__ = (
        Index("ix_external_engagements_latest", "initiative_id", "platform", "measured_at"),
        CheckConstraint("likes >= 0 AND comments >= 0 AND shares >= 0", name="external_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    platform: Mapped[ExternalPlatform] = mapped_column(_enum(ExternalPlatform))
    likes: Mapped[int] = mapped_column(Integer, default=0)
    comments: Mapped[int] = mapped_column(Integer, default=0)
    shares: Mapped[int] = mapped_column(Integer, default=0)
    measured_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source_url: Mapped[str] = mapped_column(String(500), default="")
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
