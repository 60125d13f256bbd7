"""The assignment planner (pure): all mode, k mode with balanced load, own units, conflicts, gaps."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.judging.assignment import Existing, Item, Judge, eligible, plan_assignments


def judges(*units):
    return [Judge(n + 1, frozenset(u)) for n, u in enumerate(units)]


def test_all_mode_gives_every_judge_every_initiative_but_the_own_unit():
    items = [Item(10, 1), Item(11, 2)]
    panel = judges({1}, {2}, set())
    plan = plan_assignments(items, panel, [], "all")
    assert sorted(plan.add) == [(10, 2), (10, 3), (11, 1), (11, 3)]
    assert plan.short == ()


@pytest.mark.parametrize(
    ("n_items", "n_judges", "k", "loads"),
    [
        (6, 3, 1, [2, 2, 2]),
        (6, 3, 2, [4, 4, 4]),
        (5, 3, 2, [4, 3, 3]),
        (1, 4, 3, [1, 1, 1, 0]),
    ],
)
def test_k_mode_balances_the_load(n_items, n_judges, k, loads):
    items = [Item(i, 100) for i in range(n_items)]
    plan = plan_assignments(items, judges(*[set()] * n_judges), [], "k", k)
    per_item = Counter(i for i, _ in plan.add)
    assert set(per_item.values()) == {k}
    assert sorted(Counter(j for _, j in plan.add).values(), reverse=True) == [x for x in loads if x]


def test_k_mode_reports_initiatives_short_of_k():
    items = [Item(1, 7), Item(2, 8)]
    panel = judges({7}, {7}, {8})  # only judge 3 may review item 1; judges 1 and 2 may review item 2
    plan = plan_assignments(items, panel, [], "k", 2)
    assert sorted(plan.add) == [(1, 3), (2, 1), (2, 2)]
    assert plan.short == ((1, 1),)


def test_a_conflict_is_replaced_and_never_planned_again():
    items = [Item(1, 9)]
    panel = judges(set(), set(), set())
    existing = [Existing(1, 1, conflict=True), Existing(1, 2)]
    plan = plan_assignments(items, panel, existing, "k", 2)
    assert plan.add == ((1, 3),)


def test_planning_again_adds_nothing():
    items = [Item(i, i % 3) for i in range(9)]
    panel = judges({0}, {1}, {2}, set())
    first = plan_assignments(items, panel, [], "k", 2)
    existing = [Existing(i, j) for i, j in first.add]
    assert plan_assignments(items, panel, existing, "k", 2).add == ()


def test_eligible_uses_every_own_unit():
    assert not eligible(Item(1, 5), Judge(1, frozenset({4, 5})))
    assert eligible(Item(1, 6), Judge(1, frozenset({4, 5})))


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        plan_assignments([], [], [], "some")
    with pytest.raises(ValueError):
        plan_assignments([], [], [], "k", 0)


item_lists = st.lists(
    st.builds(Item, st.integers(1, 40), st.integers(1, 5)), max_size=25, unique_by=lambda i: i.id
)
judge_lists = st.lists(
    st.builds(Judge, st.integers(1, 12), st.frozensets(st.integers(1, 5), max_size=2)),
    max_size=8,
    unique_by=lambda j: j.id,
)


@settings(max_examples=150, deadline=None)
@given(item_lists, judge_lists, st.integers(1, 4), st.randoms(use_true_random=False))
def test_k_plan_holds_its_promises_whatever_the_input_order(items, panel, k, rnd):
    plan = plan_assignments(items, panel, [], "k", k)
    shuffled_items, shuffled_judges = list(items), list(panel)
    rnd.shuffle(shuffled_items)
    rnd.shuffle(shuffled_judges)
    assert plan_assignments(shuffled_items, shuffled_judges, [], "k", k) == plan
    by_id = {j.id: j for j in panel}
    units = {i.id: i.unit_id for i in items}
    assert len(set(plan.add)) == len(plan.add)
    assert all(units[i] not in by_id[j].unit_ids for i, j in plan.add)
    per_item = Counter(i for i, _ in plan.add)
    short = dict(plan.short)
    for item in items:
        possible = sum(1 for j in panel if eligible(item, j))
        assert per_item[item.id] == min(k, possible)
        assert (item.id in short) == (possible < k)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 30), st.integers(1, 8), st.integers(1, 4))
def test_without_unit_constraints_loads_differ_by_at_most_one(n_items, n_judges, k):
    items = [Item(i, 1) for i in range(n_items)]
    panel = [Judge(j, frozenset()) for j in range(n_judges)]
    plan = plan_assignments(items, panel, [], "k", k)
    loads = Counter(j for _, j in plan.add)
    values = [loads[j.id] for j in panel]
    assert max(values) - min(values) <= 1
