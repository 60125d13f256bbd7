"""Operations on engagement imported from other platforms: the import (all or nothing, audited)
and the latest snapshot per platform of one initiative."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app import clock
from app.audit.service import record_audit
from app.contest.service import current_contest
from app.engagement.external import PLATFORMS, ExternalRow, RowProblem
from models import ExternalEngagement, ExternalPlatform, Initiative, InitiativeStatus, User, db


class ExternalRejected(Exception):
    """Nothing was stored: every problem of the rows, as (line, field, code)."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass(frozen=True)
class ImportReport:
    rows: int
    initiatives: int
    by_platform: dict[str, int]
    snapshots: list[ExternalEngagement] = field(default_factory=list, compare=False, repr=False)


def _initiative_problems(rows: list[ExternalRow]) -> list[RowProblem]:
    """Each row's initiative must exist, be published and belong to the current contest."""
    contest = current_contest(with_stages=False)
    ids = {row.initiative_id for row in rows}
    found = {
        row.id: row
        for row in db.session.execute(
            select(Initiative.id, Initiative.status, Initiative.contest_id).where(Initiative.id.in_(ids))
        )
    }
    problems = []
    for row in rows:
        initiative = found.get(row.initiative_id)
        code = None
        if initiative is None:
            code = "unknown_initiative"
        elif contest is None or initiative.contest_id != contest.id:
            code = "other_contest"
        elif initiative.status != InitiativeStatus.PUBLISHED:
            code = "not_published"
        if code:
            problems.append(RowProblem(row.line, "initiative_id", code, str(row.initiative_id)))
    return problems


def import_external(actor: User, rows: list[ExternalRow], *, source: str = "csv") -> ImportReport:
    """Store every snapshot or none; one audit entry for the whole import.

    `rows` come from app/engagement/external.py (already checked one by one); `source` says
    where they came from ("csv" or "api") in the audit log.
    """
    if not rows:
        raise ExternalRejected([RowProblem(2, "file", "no_rows")])
    problems = _initiative_problems(rows)
    if problems:
        db.session.rollback()
        raise ExternalRejected(problems)
    now = clock.now()
    snapshots = [
        ExternalEngagement(
            initiative_id=row.initiative_id,
            platform=ExternalPlatform(row.platform),
            likes=row.likes,
            comments=row.comments,
            shares=row.shares,
            measured_at=row.measured_at,
            source_url=row.source_url,
            imported_by_id=actor.id,
            imported_at=now,
        )
        for row in rows
    ]
    db.session.add_all(snapshots)
    db.session.flush()
    by_platform = Counter(row.platform for row in rows)
    report = ImportReport(
        rows=len(rows),
        initiatives=len({row.initiative_id for row in rows}),
        by_platform={p: by_platform[p] for p in PLATFORMS if by_platform[p]},
        snapshots=snapshots,
    )
    record_audit(
        actor,
        "engagement.external_import",
        "external_engagement",
        snapshots[0].id,
        after={
            "source": source,
            "ids": [snapshots[0].id, snapshots[-1].id],
            "rows": report.rows,
            "initiatives": report.initiatives,
            "by_platform": report.by_platform,
        },
    )
    db.session.commit()
    return report


@dataclass(frozen=True)
class ExternalSummary:
    """The latest snapshot per platform (in PLATFORMS order) and their sums."""

    snapshots: list[ExternalEngagement]
    likes: int
    comments: int
    shares: int

    def __bool__(self) -> bool:
        return bool(self.snapshots)


def latest_external(initiative_id: int) -> ExternalSummary:
    """One query: per platform, the snapshot measured last (the later import wins a tie)."""
    rank = (
        func.row_number()
        .over(
            partition_by=ExternalEngagement.platform,
            order_by=(ExternalEngagement.measured_at.desc(), ExternalEngagement.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(ExternalEngagement.id, rank)
        .where(ExternalEngagement.initiative_id == initiative_id)
        .subquery()
    )
    latest = list(
        db.session.scalars(
            select(ExternalEngagement)
            .join(ranked, ranked.c.id == ExternalEngagement.id)
            .where(ranked.c.rank == 1)
        )
    )
    latest.sort(key=lambda s: PLATFORMS.index(s.platform.value))
    return ExternalSummary(
        snapshots=latest,
        likes=sum(s.likes for s in latest),
        comments=sum(s.comments for s in latest),
        shares=sum(s.shares for s in latest),
    )
