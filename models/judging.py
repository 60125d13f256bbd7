"""Judging (stage 2): the rubric, the panel and its assignments, reviews, and stored ranking runs."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from .contest import Contest
    from .initiative import Initiative
    from .user import User


def _enum(e):
    return Enum(e, native_enum=False, length=20, values_callable=lambda x: [m.value for m in x])


class AssignmentMode(enum.StrEnum):
    ALL = "all"  # every panel judge reviews every initiative (except those of the judge's own unit)
    K = "k"  # k judges per initiative, load balanced


class ReviewStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class JudgingSettings(Base):
    """One row per contest: how work is assigned, what judges see, the ranking's parameters.

    `ranking_params` holds the overrides of app/judging/ranking.RankingParams (plain JSON); the
    rubric is locked from the opening of the judging window unless `rubric_unlocked_at` is set.
    """

    __tablename__ = "judging_settings"
    __table_args__ = (
        CheckConstraint("judges_per_initiative >= 1", name="k_positive"),
        CheckConstraint("disagreement_threshold >= 0", name="threshold_not_negative"),
    )

    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), primary_key=True)
    assignment_mode: Mapped[AssignmentMode] = mapped_column(_enum(AssignmentMode), default=AssignmentMode.K)
    judges_per_initiative: Mapped[int] = mapped_column(Integer, default=3)
    hide_engagement: Mapped[bool] = mapped_column(default=True)
    disagreement_threshold: Mapped[float] = mapped_column(Float, default=15.0)
    ranking_params: Mapped[dict] = mapped_column(JSON, default=dict)
    rubric_unlocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rubric_unlocked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rubric_unlock_reason: Mapped[str] = mapped_column(Text, default="")

    contest: Mapped[Contest] = relationship()


class Criterion(Base):
    """A criterion of the contest's rubric: weight ≥ 0, each judge scores it 0..max_score."""

    __tablename__ = "criteria"
    __table_args__ = (
        CheckConstraint("weight >= 0", name="weight_not_negative"),
        CheckConstraint("max_score > 0", name="max_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))  # Vietnamese
    name_en: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    max_score: Mapped[float] = mapped_column(Float, default=10.0)
    position: Mapped[int] = mapped_column(Integer, default=0)

    def label(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name

    def explanation(self, locale: str) -> str:
        return self.description_en if locale == "en" and self.description_en else self.description


class PanelMember(Base):
    """A judge on the contest's expert panel (the judge role itself is account-wide)."""

    __tablename__ = "panel_members"
    __table_args__ = (UniqueConstraint("contest_id", "user_id", name="uq_panel_members_contest_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class Assignment(Base):
    """An initiative given to a judge; a declared conflict keeps the row and its reason, not its weight."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("initiative_id", "judge_id", name="uq_assignments_initiative_judge"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    conflict_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    conflict_reason: Mapped[str] = mapped_column(Text, default="")

    initiative: Mapped[Initiative] = relationship()
    judge: Mapped[User] = relationship()

    @property
    def in_conflict(self) -> bool:
        return self.conflict_at is not None


class Review(Base):
    """One judge's review of one initiative: scores per criterion, a private note, draft or submitted."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("initiative_id", "judge_id", name="uq_reviews_initiative_judge"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[ReviewStatus] = mapped_column(_enum(ReviewStatus), default=ReviewStatus.DRAFT)
    note: Mapped[str] = mapped_column(Text, default="")  # seen by the judge alone
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    scores: Mapped[list[ReviewScore]] = relationship(
        back_populates="review", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def score_map(self) -> dict[int, float]:
        return {s.criterion_id: s.score for s in self.scores}


class ReviewScore(Base):
    __tablename__ = "review_scores"
    __table_args__ = (
        UniqueConstraint("review_id", "criterion_id", name="uq_review_scores_review_criterion"),
        CheckConstraint("score >= 0", name="score_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)

    review: Mapped[Review] = relationship(back_populates="scores")


class RankingRun(Base):
    """A stored run of the ranking: the canonical snapshot (inputs, parameters, result), its digest.

    At most one run per contest is published at a time (a partial unique index); unpublishing
    keeps the run and records why.
    """

    __tablename__ = "ranking_runs"
    __table_args__ = (
        Index(
            "uq_ranking_runs_one_published",
            "contest_id",
            unique=True,
            sqlite_where=text("published_at IS NOT NULL"),
            postgresql_where=text("published_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    engine_version: Mapped[str] = mapped_column(String(20))
    # app/judging/ranking.to_plain(...): megabytes for a large contest, so loaded only when asked for.
    snapshot: Mapped[dict] = mapped_column(JSON, deferred=True)
    digest: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(Integer, default=0)
    finalists: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unpublished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unpublish_reason: Mapped[str] = mapped_column(Text, default="")

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    lines: Mapped[list[RankingRunEntry]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="RankingRunEntry.position"
    )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def params(self) -> dict:
        return self.snapshot["params"]


class RankingRunEntry(Base):
    """One line of a run's result, copied from its snapshot so pages read a few rows, not the snapshot."""

    __tablename__ = "ranking_run_entries"
    __table_args__ = (
        UniqueConstraint("run_id", "initiative_id", name="uq_ranking_run_entries_run_initiative"),
        Index("ix_ranking_run_entries_run_finalist", "run_id", "finalist", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ranking_runs.id", ondelete="CASCADE"))
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # the order of the result (ranked first, then the others)
    rank: Mapped[int | None] = mapped_column(Integer)
    expert_score: Mapped[float | None] = mapped_column(Float)
    engagement_score: Mapped[float | None] = mapped_column(Float)
    final_score: Mapped[float | None] = mapped_column(Float)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    commenters: Mapped[int] = mapped_column(Integer, default=0)
    views: Mapped[int] = mapped_column(Integer, default=0)
    imported_likes: Mapped[int] = mapped_column(Integer, default=0)
    imported_comments: Mapped[int] = mapped_column(Integer, default=0)
    imported_shares: Mapped[int] = mapped_column(Integer, default=0)
    engagement: Mapped[float] = mapped_column(Float, default=0)
    finalist: Mapped[bool] = mapped_column(default=False)
    ranked: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str | None] = mapped_column(String(40))
    tie_rule: Mapped[str | None] = mapped_column(String(20))

    run: Mapped[RankingRun] = relationship(back_populates="lines")
    initiative: Mapped[Initiative] = relationship()
