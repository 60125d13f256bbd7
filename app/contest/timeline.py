"""Pure timeline rules: where the contest stands at a moment, and what each role should do next.

Plain data in, plain data out; no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

STAGE_KINDS = ("quiz", "submission", "voting", "judging", "final")


@dataclass(frozen=True)
class Window:
    kind: str
    opens_at: datetime
    closes_at: datetime


@dataclass(frozen=True)
class StageState:
    kind: str
    opens_at: datetime
    closes_at: datetime
    status: str  # "upcoming", "open" or "closed"
    seconds_left: int  # until it closes when open, until it opens when upcoming, 0 when closed


def window_problem(opens_at: datetime | None, closes_at: datetime | None) -> str | None:
    """Why a window cannot be saved, or None: both ends are needed and it must close after it opens."""
    if opens_at is None or closes_at is None:
        return "missing"
    if closes_at <= opens_at:
        return "closes_before_opens"
    return None


def stage_states(windows: list[Window], moment: datetime) -> list[StageState]:
    """Every stage with its status at `moment`, in timeline order (by opening, then contest order)."""
    order = {kind: i for i, kind in enumerate(STAGE_KINDS)}
    states = []
    for w in sorted(windows, key=lambda w: (w.opens_at, order.get(w.kind, 99))):
        if moment < w.opens_at:
            status, left = "upcoming", (w.opens_at - moment).total_seconds()
        elif moment < w.closes_at:
            status, left = "open", (w.closes_at - moment).total_seconds()
        else:
            status, left = "closed", 0
        states.append(StageState(w.kind, w.opens_at, w.closes_at, status, int(left)))
    return states


def open_stages(states: list[StageState]) -> list[StageState]:
    """Open stages, the one closing soonest first (that is the countdown people need)."""
    return sorted((s for s in states if s.status == "open"), key=lambda s: s.closes_at)


def next_stage(states: list[StageState]) -> StageState | None:
    upcoming = [s for s in states if s.status == "upcoming"]
    return min(upcoming, key=lambda s: s.opens_at) if upcoming else None


@dataclass(frozen=True)
class Viewer:
    authenticated: bool = False
    verified: bool = False
    organizer: bool = False
    unit_rep: bool = False
    judge: bool = False


def next_steps(viewer: Viewer, states: list[StageState]) -> list[str]:
    """Keys of what this viewer should do now, most useful first (templates word them)."""
    open_kinds = {s.kind for s in states if s.status == "open"}
    steps: list[str] = []
    if not viewer.authenticated:
        steps.append("register")
        if open_kinds & {"quiz", "voting"}:
            steps.append("browse_initiatives")
        return steps
    if viewer.organizer:
        steps.append("manage_contest")
    if viewer.judge and "judging" in open_kinds:
        steps.append("judge_initiatives")
    if viewer.unit_rep:
        steps.append("submit_initiative" if "submission" in open_kinds else "follow_unit")
    if not viewer.verified:
        steps.insert(0, "verify_account")
        return steps
    if "quiz" in open_kinds:
        steps.append("take_quiz")
    if "voting" in open_kinds:
        steps.append("vote_initiatives")
    if "final" in open_kinds:
        steps.append("watch_final")
    if not steps:
        steps.append("browse_initiatives")
    return steps
