"""Who reviews what (pure): every judge everything, or k judges per initiative with the load balanced.

Plain data in, plain data out. A judge never gets an initiative of his or her own unit, and a pair
that already has a row (assigned, or assigned and then declared a conflict) is never planned again,
so re-running the plan only fills the gaps: it is how a declared conflict is replaced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

MODES = ("all", "k")


@dataclass(frozen=True)
class Item:
    """An initiative to be reviewed and the unit it belongs to."""

    id: int
    unit_id: int


@dataclass(frozen=True)
class Judge:
    """A panel judge and the units that are his or her own (member of, or representative for)."""

    id: int
    unit_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Existing:
    """An assignment row already stored; a conflict stays as a row but no longer carries load."""

    initiative_id: int
    judge_id: int
    conflict: bool = False


@dataclass(frozen=True)
class Plan:
    """The pairs to add, and the initiatives that still have fewer than k active judges (with how many)."""

    add: tuple[tuple[int, int], ...]
    short: tuple[tuple[int, int], ...]


def eligible(item: Item, judge: Judge) -> bool:
    """A judge never reviews an initiative of his or her own unit."""
    return item.unit_id not in judge.unit_ids


def plan_assignments(
    items: Iterable[Item], judges: Iterable[Judge], existing: Iterable[Existing], mode: str, k: int = 3
) -> Plan:
    """The assignments to add so that each initiative has its judges.

    "all": every eligible judge for every initiative. "k": k active judges per initiative; the
    initiatives with the fewest eligible judges are served first, and each place goes to the
    eligible judge with the lightest active load (ties: lower id), so loads differ by at most one
    whenever the units allow it. The result depends only on the inputs, never on their order.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    if k < 1:
        raise ValueError("k must be ≥ 1")
    items = sorted(set(items), key=lambda i: i.id)
    judges = sorted(set(judges), key=lambda j: j.id)
    taken = {(e.initiative_id, e.judge_id) for e in existing}
    active = Counter(e.initiative_id for e in existing if not e.conflict)
    load = Counter(e.judge_id for e in existing if not e.conflict)

    add: list[tuple[int, int]] = []
    short: list[tuple[int, int]] = []
    if mode == "all":
        for item in items:
            for judge in judges:
                if eligible(item, judge) and (item.id, judge.id) not in taken:
                    add.append((item.id, judge.id))
        return Plan(tuple(add), ())

    candidates = {
        item.id: [j for j in judges if eligible(item, j) and (item.id, j.id) not in taken] for item in items
    }
    for item in sorted(items, key=lambda i: (len(candidates[i.id]), i.id)):
        need = k - active[item.id]
        if need <= 0:
            continue
        chosen = sorted(candidates[item.id], key=lambda j: (load[j.id], j.id))[:need]
        for judge in chosen:
            add.append((item.id, judge.id))
            load[judge.id] += 1
        if len(chosen) < need:
            short.append((item.id, active[item.id] + len(chosen)))
    return Plan(tuple(sorted(add)), tuple(sorted(short)))
