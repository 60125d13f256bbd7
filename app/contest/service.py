"""Contest operations: read the current edition, edit it and its stage windows (audited)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from app import clock
from app.audit.service import record_audit
from app.contest.timeline import StageState, Viewer, Window, next_steps, stage_states, window_problem
from models import Contest, Stage, StageKind, User, db


class StageWindowInvalid(ValueError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def current_contest(*, with_stages: bool = True) -> Contest | None:
    """The edition people are taking part in now: the latest year, then the newest.

    Pages that never look at the stage windows pass with_stages=False and save a query.
    """
    stmt = select(Contest).order_by(Contest.year.desc(), Contest.id.desc()).limit(1)
    if not with_stages:
        stmt = stmt.options(lazyload(Contest.stages))
    return db.session.scalar(stmt)


def contest_states(contest: Contest, moment: datetime | None = None) -> list[StageState]:
    windows = [Window(str(s.kind), s.opens_at, s.closes_at) for s in contest.stages]
    return stage_states(windows, moment or clock.now())


def is_stage_open(contest: Contest, kind: StageKind) -> bool:
    """The one gate every stage-bound operation asks, on the server, with the app clock."""
    stage = contest.stage(kind)
    return bool(stage and stage.is_open_at(clock.now()))


def viewer_steps(user, states: list[StageState]) -> list[str]:
    if not user or not user.is_authenticated:
        return next_steps(Viewer(), states)
    return next_steps(
        Viewer(
            authenticated=True,
            verified=user.is_verified,
            organizer=user.is_organizer,
            unit_rep=bool(user.represented_unit_ids),
            judge=user.is_judge,
        ),
        states,
    )


def _stage_snapshot(stage: Stage) -> dict:
    return {"opens_at": stage.opens_at.isoformat(), "closes_at": stage.closes_at.isoformat()}


def _set_window(
    actor: User, contest: Contest, kind: StageKind, opens_at: datetime, closes_at: datetime
) -> Stage:
    """Create or move one stage window and audit the change (the caller validates and commits)."""
    stage = contest.stage(kind)
    before = _stage_snapshot(stage) if stage else None
    if stage is None:
        stage = Stage(contest=contest, kind=kind, opens_at=opens_at, closes_at=closes_at)
        db.session.add(stage)
    else:
        stage.opens_at, stage.closes_at = opens_at, closes_at
    db.session.flush()
    after = _stage_snapshot(stage)
    if before != after:
        record_audit(actor, "stage.update", "stage", f"{contest.id}:{kind}", before=before, after=after)
    return stage


def update_stage(
    actor: User, contest: Contest, kind: StageKind, opens_at: datetime, closes_at: datetime
) -> Stage:
    """Set one stage's window; refuses a window that closes before it opens."""
    problem = window_problem(opens_at, closes_at)
    if problem:
        raise StageWindowInvalid(problem)
    stage = _set_window(actor, contest, kind, opens_at, closes_at)
    db.session.commit()
    return stage


def update_contest(
    actor: User,
    contest: Contest,
    *,
    name: str,
    description: str,
    organizer_name: str,
    windows: dict[StageKind, tuple[datetime, datetime]],
) -> Contest:
    """Edit the contest and all its windows at once: every window is checked before anything is saved."""
    problems = [p for p in (window_problem(*pair) for pair in windows.values()) if p]
    if problems:
        raise StageWindowInvalid(problems[0])
    fields = ("name", "description", "organizer_name")
    before = {f: getattr(contest, f) for f in fields}
    contest.name, contest.description, contest.organizer_name = (
        name.strip(),
        description.strip(),
        organizer_name.strip(),
    )
    after = {f: getattr(contest, f) for f in fields}
    if before != after:
        record_audit(actor, "contest.update", "contest", contest.id, before=before, after=after)
    for kind, (opens_at, closes_at) in windows.items():
        _set_window(actor, contest, kind, opens_at, closes_at)
    db.session.commit()
    return contest
