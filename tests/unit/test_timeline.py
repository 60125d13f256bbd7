"""The contest timeline rules (pure)."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.contest.timeline import (
    Viewer,
    Window,
    next_stage,
    next_steps,
    open_stages,
    stage_states,
    window_problem,
)

T0 = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)
D = timedelta(days=1)

WINDOWS = [
    Window("quiz", T0 - 10 * D, T0 + 18 * D),
    Window("submission", T0 - 45 * D, T0 - 5 * D),
    Window("voting", T0 - 4 * D, T0 + 10 * D),
    Window("judging", T0 - 2 * D, T0 + 12 * D),
    Window("final", T0 + 25 * D, T0 + 26 * D),
]


def test_statuses_at_a_moment():
    states = {s.kind: s for s in stage_states(WINDOWS, T0)}
    assert states["submission"].status == "closed"
    assert states["voting"].status == "open"
    assert states["final"].status == "upcoming"
    assert states["voting"].seconds_left == int((10 * D).total_seconds())


def test_timeline_is_in_opening_order():
    kinds = [s.kind for s in stage_states(WINDOWS, T0)]
    assert kinds == ["submission", "quiz", "voting", "judging", "final"]


def test_a_window_is_open_from_its_opening_up_to_but_not_including_its_closing():
    w = [Window("voting", T0, T0 + D)]
    assert stage_states(w, T0)[0].status == "open"
    assert stage_states(w, T0 + D - timedelta(microseconds=1))[0].status == "open"
    assert stage_states(w, T0 + D)[0].status == "closed"
    assert stage_states(w, T0 - timedelta(seconds=1))[0].status == "upcoming"


def test_the_countdown_shows_the_open_stage_that_closes_first():
    states = stage_states(WINDOWS, T0)
    assert [s.kind for s in open_stages(states)] == ["voting", "judging", "quiz"]
    assert next_stage(states).kind == "final"


def test_window_must_close_after_it_opens():
    assert window_problem(T0, T0 + D) is None
    assert window_problem(T0, T0) == "closes_before_opens"
    assert window_problem(T0 + D, T0) == "closes_before_opens"
    assert window_problem(None, T0) == "missing"


@given(st.integers(min_value=-60, max_value=60))
def test_exactly_one_status_per_stage_at_any_moment(offset_days):
    states = stage_states(WINDOWS, T0 + offset_days * D)
    assert len(states) == len(WINDOWS)
    assert all(s.status in {"open", "closed", "upcoming"} for s in states)
    assert all(s.seconds_left >= 0 for s in states)


def test_next_steps_per_role():
    states = stage_states(WINDOWS, T0)
    assert next_steps(Viewer(), states)[0] == "register"
    assert next_steps(Viewer(authenticated=True), states)[0] == "verify_account"
    citizen = next_steps(Viewer(authenticated=True, verified=True), states)
    assert citizen == ["take_quiz", "vote_initiatives"]
    assert next_steps(Viewer(authenticated=True, verified=True, judge=True), states)[0] == "judge_initiatives"
    assert (
        next_steps(Viewer(authenticated=True, verified=True, organizer=True), states)[0] == "manage_contest"
    )
    rep = next_steps(Viewer(authenticated=True, verified=True, unit_rep=True), states)
    assert "follow_unit" in rep  # submission is closed at T0


def test_unit_representative_is_told_to_submit_while_submission_is_open():
    states = stage_states(WINDOWS, T0 - 20 * D)
    assert "submit_initiative" in next_steps(Viewer(authenticated=True, verified=True, unit_rep=True), states)
