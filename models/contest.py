"""A contest edition and the windows of its stages."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class StageKind(enum.StrEnum):
    QUIZ = "quiz"
    SUBMISSION = "submission"
    VOTING = "voting"
    JUDGING = "judging"
    FINAL = "final"


STAGE_ORDER = [StageKind.QUIZ, StageKind.SUBMISSION, StageKind.VOTING, StageKind.JUDGING, StageKind.FINAL]


class Contest(Base):
    __tablename__ = "contests"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    organizer_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    stages: Mapped[list[Stage]] = relationship(
        back_populates="contest", cascade="all, delete-orphan", lazy="selectin", order_by="Stage.opens_at"
    )

    def stage(self, kind: StageKind | str) -> Stage | None:
        return next((s for s in self.stages if s.kind == kind), None)


class Stage(Base):
    __tablename__ = "stages"
    __table_args__ = (
        UniqueConstraint("contest_id", "kind"),
        CheckConstraint("closes_at > opens_at", name="closes_after_opens"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[StageKind] = mapped_column(
        Enum(StageKind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])
    )
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())

    contest: Mapped[Contest] = relationship(back_populates="stages")

    def is_open_at(self, moment: datetime) -> bool:
        return self.opens_at <= moment < self.closes_at
