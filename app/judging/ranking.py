"""The judging ranking (pure): expert score, engagement score, final score, order and finalists.

Plain data in, plain data out: no Flask, no database. docs/RANKING.md publishes the method and every
number here follows it. A run can be stored as plain JSON (`to_plain`) with its SHA-256 `digest` and
recomputed later (`verify`), so anyone holding the snapshot can check the published order.

Conventions:

- Ids (initiatives, judges, criteria, categories, units) are ints.
- `Entry.submitted_at` is an aware `datetime`; entries are compared as instants, snapshots store UTC.
- Numbers are computed in floats with `math.fsum`, which is exact-then-rounded and so independent of
  the order of the terms; the result never depends on the order of the inputs.
- Scores are compared after rounding to COMPARE_PLACES decimals (half even, on the exact binary value),
  so float noise never changes the order; E, P and F are published rounded half up to OUTPUT_PLACES
  decimals from that compared value.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any

ENGINE_VERSION = "1"

EXPERT_METHODS = ("mean", "trimmed", "calibrated")
SCALES = ("log", "linear", "percentile")
TIE_RULES = ("F", "E", "P", "submitted_at", "id")
TOO_FEW_REVIEWS = "too_few_reviews"

COMPARE_PLACES = 6
OUTPUT_PLACES = 2
_COMPARE_QUANTUM = Decimal(1).scaleb(-COMPARE_PLACES)
_OUTPUT_QUANTUM = Decimal(1).scaleb(-OUTPUT_PLACES)

# The engagement counts, in the order of the weights in RankingParams.
ENGAGEMENT_COUNTS = ("likes", "commenters", "views", "imported_likes", "imported_comments", "imported_shares")
_WEIGHTS = tuple(("w_" + name, name) for name in ENGAGEMENT_COUNTS)  # (weight in RankingParams, count)


# --- inputs -----------------------------------------------------------------------------------------


def _number(value: Any, what: str) -> int | float:
    """A finite int or float (a Decimal from a Numeric column becomes a float); anything else is refused."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number, not {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, not {value!r}")
    return value


def _count(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a whole number ≥ 0, not {value!r}")
    return value


@dataclass(frozen=True)
class Criterion:
    """A judging criterion: its weight (≥ 0) and the highest score a judge may give (> 0)."""

    id: int
    weight: float
    max_score: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", _number(self.weight, f"criterion {self.id} weight"))
        object.__setattr__(self, "max_score", _number(self.max_score, f"criterion {self.id} max_score"))
        if self.weight < 0:
            raise ValueError(f"criterion {self.id}: weight must be ≥ 0")
        if self.max_score <= 0:
            raise ValueError(f"criterion {self.id}: max_score must be > 0")


@dataclass(frozen=True)
class Review:
    """One judge's scores for one initiative, with the facts that decide whether it counts."""

    judge_id: int
    initiative_id: int
    scores: Mapping[int, float]
    submitted: bool
    assigned: bool
    conflict: bool

    def __post_init__(self) -> None:
        scores = {
            k: _number(v, f"judge {self.judge_id} score for criterion {k}") for k, v in self.scores.items()
        }
        object.__setattr__(self, "scores", MappingProxyType(scores))

    @property
    def counted(self) -> bool:
        """Only a submitted review by a judge assigned to the initiative and without a conflict counts."""
        return self.submitted and self.assigned and not self.conflict


@dataclass(frozen=True)
class Entry:
    """An initiative in the ranking: where it belongs, when it was submitted, its engagement counts.

    `submitted_at` is an aware datetime (any offset; compared as an instant). Imported counts are the
    latest external snapshot (fanpage, Zalo …) the organizers accepted.
    """

    initiative_id: int
    category_id: int | None
    unit_id: int
    submitted_at: datetime
    likes: int = 0
    commenters: int = 0
    views: int = 0
    imported_likes: int = 0
    imported_comments: int = 0
    imported_shares: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.submitted_at, datetime) or self.submitted_at.utcoffset() is None:
            raise ValueError(f"initiative {self.initiative_id}: submitted_at must be an aware datetime")
        for name in ENGAGEMENT_COUNTS:
            _count(getattr(self, name), f"initiative {self.initiative_id} {name}")


@dataclass(frozen=True)
class RankingInput:
    """Everything a run reads: the criteria, every review (counted or not) and the entries."""

    criteria: tuple[Criterion, ...]
    reviews: tuple[Review, ...]
    entries: tuple[Entry, ...]

    def __post_init__(self) -> None:
        for name in ("criteria", "reviews", "entries"):
            object.__setattr__(self, name, tuple(getattr(self, name)))


@dataclass(frozen=True)
class RankingParams:
    """The method's settings; the defaults are the published method.

    expert: "mean" | "trimmed" (drop one highest and one lowest review from `trim_from` reviews on) |
    "calibrated" (per-judge z-scores for judges with at least `calibrate_from` counted reviews).
    scale: how engagement e becomes P: "log" | "linear" | "percentile".
    category_minimum: {category_id: places reserved among the finalists}; the places sum to at most
    `finalists`. unit_maximum: at most this many finalists from one unit (None: no limit).
    """

    expert: str = "mean"
    scale: str = "log"
    alpha: float = 0.7
    min_reviews: int = 3
    trim_from: int = 5
    calibrate_from: int = 5
    finalists: int = 10
    category_minimum: Mapping[int, int] = field(default_factory=dict)
    unit_maximum: int | None = None
    w_likes: float = 1
    w_commenters: float = 2
    w_views: float = 0
    w_imported_likes: float = 1
    w_imported_comments: float = 2
    w_imported_shares: float = 2

    def __post_init__(self) -> None:
        if self.expert not in EXPERT_METHODS:
            raise ValueError(f"expert must be one of {EXPERT_METHODS}")
        if self.scale not in SCALES:
            raise ValueError(f"scale must be one of {SCALES}")
        alpha = _number(self.alpha, "alpha")
        if not 0 <= alpha <= 1:
            raise ValueError("alpha must be between 0 and 1")
        object.__setattr__(self, "alpha", alpha)
        if _count(self.min_reviews, "min_reviews") < 1:
            raise ValueError("min_reviews must be ≥ 1 (E is a mean of at least one review)")
        if _count(self.trim_from, "trim_from") < 3:
            raise ValueError("trim_from must be ≥ 3 (something must remain after trimming)")
        if _count(self.calibrate_from, "calibrate_from") < 2:
            raise ValueError("calibrate_from must be ≥ 2 (one review has no spread)")
        _count(self.finalists, "finalists")
        if self.unit_maximum is not None and _count(self.unit_maximum, "unit_maximum") < 1:
            raise ValueError("unit_maximum must be ≥ 1 or None")
        quotas = {c: _count(q, f"category_minimum[{c}]") for c, q in (self.category_minimum or {}).items()}
        if sum(quotas.values()) > self.finalists:
            raise ValueError("category minimums add up to more places than there are finalists")
        object.__setattr__(self, "category_minimum", MappingProxyType(quotas))
        for name, _count_name in _WEIGHTS:
            weight = _number(getattr(self, name), name)
            if weight < 0:
                raise ValueError(f"{name} must be ≥ 0")
            object.__setattr__(self, name, weight)


# --- outputs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryResult:
    """One line of the ranking. E, P, F are rounded to 2 decimals; None when the entry is not ranked.

    tie_rule names the first rule that put this entry above the next ranked one ("F", "E", "P",
    "submitted_at", "id"); None for the last ranked entry and for entries that are not ranked.
    """

    initiative_id: int
    category_id: int | None
    unit_id: int
    rank: int | None
    expert_score: float | None
    engagement_score: float | None
    final_score: float | None
    reviews: int
    likes: int
    commenters: int
    views: int
    engagement: float
    finalist: bool
    ranked: bool
    reason: str | None
    tie_rule: str | None


@dataclass(frozen=True)
class RankingResult:
    """Ranked entries by rank, then the entries that are not ranked by id; finalists in rank order."""

    results: list[EntryResult]
    finalists: list[int]

    def get(self, initiative_id: int) -> EntryResult:
        return next(r for r in self.results if r.initiative_id == initiative_id)


# --- the method -------------------------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _pstdev(values: Sequence[float]) -> float:
    """Population standard deviation (divide by n): the spread of exactly these reviews."""
    mean = _mean(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def _compared(value: float) -> Decimal:
    """The value the order uses: rounded to COMPARE_PLACES decimals, so 1e-15 of float noise cannot matter."""
    return Decimal(value).quantize(_COMPARE_QUANTUM)


def _published(value: float) -> float:
    """The value shown: the compared value rounded half up to OUTPUT_PLACES decimals."""
    return float(_compared(value).quantize(_OUTPUT_QUANTUM, rounding=ROUND_HALF_UP))


def review_score(review: Review, criteria: Mapping[int, Criterion]) -> float:
    """r = 100 × Σ w·x/max ÷ Σ w over all criteria; a missing, unknown or out-of-range score is an error."""
    if set(review.scores) != set(criteria):
        missing = sorted(set(criteria) - set(review.scores))
        unknown = sorted(set(review.scores) - set(criteria))
        raise ValueError(
            f"review by judge {review.judge_id} of initiative {review.initiative_id}: "
            f"missing criteria {missing}, unknown criteria {unknown}"
        )
    for cid, criterion in criteria.items():
        if not 0 <= review.scores[cid] <= criterion.max_score:
            raise ValueError(
                f"review by judge {review.judge_id} of initiative {review.initiative_id}: "
                f"score {review.scores[cid]} for criterion {cid} is outside 0..{criterion.max_score}"
            )
    weighted = math.fsum(c.weight * review.scores[cid] / c.max_score for cid, c in sorted(criteria.items()))
    return 100 * weighted / math.fsum(c.weight for c in criteria.values())


def _check_inputs(inputs: RankingInput) -> tuple[dict[int, Criterion], dict[int, Entry]]:
    criteria: dict[int, Criterion] = {}
    for criterion in inputs.criteria:
        if criterion.id in criteria:
            raise ValueError(f"criterion {criterion.id} given twice")
        criteria[criterion.id] = criterion
    if not criteria or math.fsum(c.weight for c in criteria.values()) <= 0:
        raise ValueError("at least one criterion with a positive weight is needed")
    entries: dict[int, Entry] = {}
    for entry in inputs.entries:
        if entry.initiative_id in entries:
            raise ValueError(f"initiative {entry.initiative_id} given twice")
        entries[entry.initiative_id] = entry
    seen: set[tuple[int, int]] = set()
    for review in inputs.reviews:
        pair = (review.judge_id, review.initiative_id)
        if pair in seen:
            raise ValueError(f"judge {pair[0]} has two reviews of initiative {pair[1]}")
        seen.add(pair)
        if review.initiative_id not in entries:
            raise ValueError(f"review of initiative {review.initiative_id}, which is not an entry")
    return criteria, entries


def _expert_scores(
    counted: list[tuple[int, int, float]], ranked_ids: Iterable[int], params: RankingParams
) -> dict[int, float]:
    """E per ranked initiative from its counted reviews (judge_id, initiative_id, r)."""
    by_initiative: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for judge_id, initiative_id, r in counted:
        by_initiative[initiative_id].append((judge_id, r))
    if params.expert == "calibrated":
        return _calibrated_scores(counted, by_initiative, ranked_ids, params)
    scores = {}
    for initiative_id in ranked_ids:
        values = sorted(r for _, r in by_initiative[initiative_id])
        if params.expert == "trimmed" and len(values) >= params.trim_from:
            values = values[1:-1]
        scores[initiative_id] = _mean(values)
    return scores


def _calibrated_scores(
    counted: list[tuple[int, int, float]],
    by_initiative: Mapping[int, list[tuple[int, float]]],
    ranked_ids: Iterable[int],
    params: RankingParams,
) -> dict[int, float]:
    """Per-judge z-scores mapped back to 0–100 with the panel's mean and spread.

    Every statistic is over all counted reviews of this run, including those of entries that end up
    not ranked. A judge with fewer than `calibrate_from` counted reviews, or whose spread rounds to 0,
    keeps raw scores; for the others a review becomes M + S·(r − m_j)/s_j. E is the mean of those
    values, clamped to 0..100.
    """
    all_scores = [r for _, _, r in counted]
    if not all_scores:
        return {}
    panel_mean, panel_sd = _mean(all_scores), _pstdev(all_scores)
    by_judge: dict[int, list[float]] = defaultdict(list)
    for judge_id, _, r in counted:
        by_judge[judge_id].append(r)
    judge_stats: dict[int, tuple[float, float] | None] = {}
    for judge_id, values in by_judge.items():
        sd = _pstdev(values)
        usable = len(values) >= params.calibrate_from and _compared(sd) > 0
        judge_stats[judge_id] = (_mean(values), sd) if usable else None

    def calibrated(judge_id: int, r: float) -> float:
        stats = judge_stats[judge_id]
        if stats is None:
            return r
        mean, sd = stats
        return panel_mean + panel_sd * (r - mean) / sd

    return {
        i: min(100.0, max(0.0, _mean([calibrated(j, r) for j, r in by_initiative[i]]))) for i in ranked_ids
    }


def engagement(entry: Entry, params: RankingParams) -> float:
    """e = w_likes·L + w_commenters·C + w_views·V + w_imported_likes·IL + … (weights from params)."""
    return math.fsum(getattr(params, w) * getattr(entry, n) for w, n in _WEIGHTS)


def _engagement_scores(values: Mapping[int, float], scale: str) -> dict[int, float]:
    """P per ranked entry from e; max e and n are over the ranked entries only."""
    if not values:
        return {}
    top = max(values.values())
    if top == 0:
        return dict.fromkeys(values, 0.0)
    if scale == "log":
        return {i: 100 * math.log1p(e) / math.log1p(top) for i, e in values.items()}
    if scale == "linear":
        return {i: 100 * e / top for i, e in values.items()}
    n = len(values)
    if n == 1:
        return dict.fromkeys(values, 100.0)
    keys = {i: _compared(e) for i, e in values.items()}
    counts = Counter(keys.values())
    smaller: dict[Decimal, int] = {}
    below = 0
    for key in sorted(counts):
        smaller[key] = below
        below += counts[key]
    return {i: 100 * (smaller[k] + (counts[k] - 1) / 2) / (n - 1) for i, k in keys.items()}


def _select_finalists(order: Sequence[Entry], params: RankingParams) -> list[int]:
    """Finalists in rank order: first the reserved category places, then the rest in rank order.

    Reserved places: as many as can be filled at all under the unit maximum (a maximum flow), and among
    those fillings the one that prefers better-ranked entries (each entry, in rank order, is taken when
    a filling of that size still exists with it). Without a unit maximum this is the best q_c of each
    category. Places a category cannot fill go to the shared pool. The unit maximum holds throughout.
    """
    limit = params.unit_maximum
    taken: list[Entry] = []
    per_unit: Counter[int] = Counter()

    quotas = {c: q for c, q in params.category_minimum.items() if q > 0}
    candidates = [e for e in order if e.category_id in quotas]
    best = _max_fill(candidates, quotas, per_unit, limit)
    need = dict(quotas)
    for index, entry in enumerate(candidates):
        if len(taken) == best:
            break
        if need[entry.category_id] == 0 or (limit is not None and per_unit[entry.unit_id] >= limit):
            continue
        need[entry.category_id] -= 1
        per_unit[entry.unit_id] += 1
        if len(taken) + 1 + _max_fill(candidates[index + 1 :], need, per_unit, limit) == best:
            taken.append(entry)
        else:
            need[entry.category_id] += 1
            per_unit[entry.unit_id] -= 1

    chosen = {e.initiative_id for e in taken}
    for entry in order:
        if len(chosen) >= params.finalists:
            break
        if entry.initiative_id in chosen or (limit is not None and per_unit[entry.unit_id] >= limit):
            continue
        chosen.add(entry.initiative_id)
        per_unit[entry.unit_id] += 1
    return [e.initiative_id for e in order if e.initiative_id in chosen]


def _max_fill(
    candidates: Sequence[Entry], need: Mapping[int, int], per_unit: Mapping[int, int], limit: int | None
) -> int:
    """How many reserved places the candidates can fill: a maximum flow source → category → unit → sink.

    Category c carries need[c]; category → unit carries the number of candidates of c in that unit;
    unit → sink carries the unit's remaining room under the maximum.
    """
    pairs = Counter((e.category_id, e.unit_id) for e in candidates if need.get(e.category_id, 0) > 0)
    if not pairs:
        return 0
    unlimited = sum(need.values())
    capacity: dict[tuple[Any, Any], int] = defaultdict(int)
    neighbours: dict[Any, set[Any]] = defaultdict(set)

    def edge(a: Any, b: Any, cap: int) -> None:
        capacity[a, b] += cap
        neighbours[a].add(b)
        neighbours[b].add(a)

    source, sink = ("source",), ("sink",)
    for c, n in need.items():
        if n > 0:
            edge(source, ("category", c), n)
    for (c, u), n in pairs.items():
        edge(("category", c), ("unit", u), n)
    for u in {u for _, u in pairs}:
        room = unlimited if limit is None else limit - per_unit.get(u, 0)
        if room > 0:
            edge(("unit", u), sink, room)

    flow = 0
    while True:
        parent: dict[Any, Any] = {source: None}
        queue = deque([source])
        while queue and sink not in parent:
            node = queue.popleft()
            for nxt in neighbours[node]:
                if nxt not in parent and capacity[node, nxt] > 0:
                    parent[nxt] = node
                    queue.append(nxt)
        if sink not in parent:
            return flow
        path, node = [], sink
        while parent[node] is not None:
            path.append((parent[node], node))
            node = parent[node]
        pushed = min(capacity[a, b] for a, b in path)
        for a, b in path:
            capacity[a, b] -= pushed
            capacity[b, a] += pushed
        flow += pushed


def rank(inputs: RankingInput, params: RankingParams | None = None) -> RankingResult:
    """Rank the entries by the published method (docs/RANKING.md) and choose the finalists."""
    params = params or RankingParams()
    criteria, entries = _check_inputs(inputs)

    counted = [
        (r.judge_id, r.initiative_id, review_score(r, criteria))
        for r in sorted(inputs.reviews, key=lambda r: (r.initiative_id, r.judge_id))
        if r.counted
    ]
    review_counts = Counter(initiative_id for _, initiative_id, _ in counted)
    ranked_ids = sorted(i for i in entries if review_counts[i] >= params.min_reviews)

    e = {i: engagement(entry, params) for i, entry in entries.items()}
    E = _expert_scores(counted, ranked_ids, params)
    P = _engagement_scores({i: e[i] for i in ranked_ids}, params.scale)
    F = {i: params.alpha * E[i] + (1 - params.alpha) * P[i] for i in ranked_ids}

    keys = {
        i: (-_compared(F[i]), -_compared(E[i]), -_compared(P[i]), entries[i].submitted_at, i)
        for i in ranked_ids
    }
    order = sorted(ranked_ids, key=keys.__getitem__)
    tie_rules: dict[int, str | None] = dict.fromkeys(order)
    for upper, lower in zip(order, order[1:], strict=False):
        tie_rules[upper] = next(
            rule for rule, a, b in zip(TIE_RULES, keys[upper], keys[lower], strict=True) if a != b
        )
    finalists = _select_finalists([entries[i] for i in order], params)
    chosen = set(finalists)

    def line(i: int, position: int | None) -> EntryResult:
        entry, ranked = entries[i], position is not None
        return EntryResult(
            initiative_id=i,
            category_id=entry.category_id,
            unit_id=entry.unit_id,
            rank=position,
            expert_score=_published(E[i]) if ranked else None,
            engagement_score=_published(P[i]) if ranked else None,
            final_score=_published(F[i]) if ranked else None,
            reviews=review_counts[i],
            likes=entry.likes,
            commenters=entry.commenters,
            views=entry.views,
            engagement=float(e[i]),
            finalist=i in chosen,
            ranked=ranked,
            reason=None if ranked else TOO_FEW_REVIEWS,
            tie_rule=tie_rules.get(i),
        )

    results = [line(i, position) for position, i in enumerate(order, start=1)]
    results += [line(i, None) for i in sorted(set(entries) - set(ranked_ids))]
    return RankingResult(results=results, finalists=finalists)


# --- snapshots --------------------------------------------------------------------------------------


def _plain_number(value: float) -> str:
    """An exact, fixed-notation string: 7 and 7.0 both give "7", 0.1 gives "0.1", never an exponent.

    A snapshot holds one per score (tens of thousands), so the usual case skips Decimal: an int,
    or a float whose shortest repr has no exponent, is already that string (minus a trailing ".0").
    """
    if isinstance(value, int):
        return str(value)
    text = repr(float(value))
    if "e" not in text and "n" not in text:  # no exponent, not inf/nan
        if text.endswith(".0"):
            text = text[:-2]
        return "0" if text == "-0" else text
    return _plain_number_exact(value)


def _plain_number_exact(value: float) -> str:
    exact = Decimal(repr(float(value)))
    if exact == exact.to_integral_value():
        return str(int(exact))
    return format(exact.normalize(), "f")


def _number_from_plain(text: str) -> int | float:
    exact = Decimal(text)
    return int(exact) if exact == exact.to_integral_value() else float(text)


def _published_text(value: float | None) -> str | None:
    return None if value is None else f"{value:.{OUTPUT_PLACES}f}"


def _time_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def to_plain(inputs: RankingInput, params: RankingParams, result: RankingResult) -> dict[str, Any]:
    """The run as plain JSON-ready data in a canonical order (inputs sorted by id) for hashing and storing."""
    return {
        "engine_version": ENGINE_VERSION,
        "params": {
            **{
                f.name: _plain_number(getattr(params, f.name))
                for f in fields(params)
                if f.name == "alpha" or f.name.startswith("w_")
            },
            "expert": params.expert,
            "scale": params.scale,
            "min_reviews": params.min_reviews,
            "trim_from": params.trim_from,
            "calibrate_from": params.calibrate_from,
            "finalists": params.finalists,
            "category_minimum": sorted([c, q] for c, q in params.category_minimum.items()),
            "unit_maximum": params.unit_maximum,
        },
        "inputs": {
            "criteria": [
                {"id": c.id, "weight": _plain_number(c.weight), "max_score": _plain_number(c.max_score)}
                for c in sorted(inputs.criteria, key=lambda c: c.id)
            ],
            "reviews": [
                {
                    "judge_id": r.judge_id,
                    "initiative_id": r.initiative_id,
                    "scores": [[cid, _plain_number(x)] for cid, x in sorted(r.scores.items())],
                    "submitted": r.submitted,
                    "assigned": r.assigned,
                    "conflict": r.conflict,
                }
                for r in sorted(inputs.reviews, key=lambda r: (r.initiative_id, r.judge_id))
            ],
            "entries": [
                {
                    "initiative_id": x.initiative_id,
                    "category_id": x.category_id,
                    "unit_id": x.unit_id,
                    "submitted_at": _time_text(x.submitted_at),
                    **{name: getattr(x, name) for name in ENGAGEMENT_COUNTS},
                }
                for x in sorted(inputs.entries, key=lambda x: x.initiative_id)
            ],
        },
        "result": {
            "results": [
                {
                    "initiative_id": r.initiative_id,
                    "category_id": r.category_id,
                    "unit_id": r.unit_id,
                    "rank": r.rank,
                    "expert_score": _published_text(r.expert_score),
                    "engagement_score": _published_text(r.engagement_score),
                    "final_score": _published_text(r.final_score),
                    "reviews": r.reviews,
                    "likes": r.likes,
                    "commenters": r.commenters,
                    "views": r.views,
                    "engagement": _plain_number(r.engagement),
                    "finalist": r.finalist,
                    "ranked": r.ranked,
                    "reason": r.reason,
                    "tie_rule": r.tie_rule,
                }
                for r in result.results
            ],
            "finalists": list(result.finalists),
        },
    }


def params_from_plain(p: Mapping[str, Any]) -> RankingParams:
    """Read back the "params" part of a snapshot (pages read it alone, without the inputs)."""
    return RankingParams(
        expert=p["expert"],
        scale=p["scale"],
        alpha=_number_from_plain(p["alpha"]),
        min_reviews=p["min_reviews"],
        trim_from=p["trim_from"],
        calibrate_from=p["calibrate_from"],
        finalists=p["finalists"],
        category_minimum={int(c): int(q) for c, q in p["category_minimum"]},
        unit_maximum=p["unit_maximum"],
        **{w: _number_from_plain(p[w]) for w, _ in _WEIGHTS},
    )


def from_plain(snapshot: Mapping[str, Any]) -> tuple[RankingInput, RankingParams, RankingResult]:
    """Read back what to_plain wrote (a stored snapshot) so the run can be recomputed."""
    i, res = snapshot["inputs"], snapshot["result"]
    params = params_from_plain(snapshot["params"])
    inputs = RankingInput(
        criteria=[
            Criterion(c["id"], _number_from_plain(c["weight"]), _number_from_plain(c["max_score"]))
            for c in i["criteria"]
        ],
        reviews=[
            Review(
                judge_id=r["judge_id"],
                initiative_id=r["initiative_id"],
                scores={cid: _number_from_plain(x) for cid, x in r["scores"]},
                submitted=r["submitted"],
                assigned=r["assigned"],
                conflict=r["conflict"],
            )
            for r in i["reviews"]
        ],
        entries=[
            Entry(
                initiative_id=x["initiative_id"],
                category_id=x["category_id"],
                unit_id=x["unit_id"],
                submitted_at=datetime.fromisoformat(x["submitted_at"]),
                **{name: x[name] for name in ENGAGEMENT_COUNTS},
            )
            for x in i["entries"]
        ],
    )

    def score(text: str | None) -> float | None:
        return None if text is None else float(text)

    result = RankingResult(
        results=[
            EntryResult(
                initiative_id=r["initiative_id"],
                category_id=r["category_id"],
                unit_id=r["unit_id"],
                rank=r["rank"],
                expert_score=score(r["expert_score"]),
                engagement_score=score(r["engagement_score"]),
                final_score=score(r["final_score"]),
                reviews=r["reviews"],
                likes=r["likes"],
                commenters=r["commenters"],
                views=r["views"],
                engagement=float(r["engagement"]),
                finalist=r["finalist"],
                ranked=r["ranked"],
                reason=r["reason"],
                tie_rule=r["tie_rule"],
            )
            for r in res["results"]
        ],
        finalists=list(res["finalists"]),
    )
    return inputs, params, result


def _dumps(plain: Mapping[str, Any]) -> str:
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_json(inputs: RankingInput, params: RankingParams, result: RankingResult) -> str:
    """to_plain as one line of JSON: sorted keys, no whitespace, non-count numbers as fixed strings."""
    return _dumps(to_plain(inputs, params, result))


def digest(inputs: RankingInput, params: RankingParams, result: RankingResult) -> str:
    """SHA-256 (hex) of canonical_json: publish it with the results so a snapshot can be checked."""
    return digest_of(to_plain(inputs, params, result))


def digest_of(plain: Mapping[str, Any]) -> str:
    """The digest of a snapshot already made plain by to_plain (stored runs are hashed once)."""
    return hashlib.sha256(_dumps(plain).encode()).hexdigest()


def verify(snapshot: Mapping[str, Any]) -> bool:
    """True when recomputing the snapshot's inputs with its params gives exactly its stored result.

    A "digest" key, if present, must also match. A snapshot from another engine version, or one that
    cannot be read, does not verify. Changing inputs and result together is caught only by comparing
    the digest with the one published at the time.
    """
    body = {k: v for k, v in snapshot.items() if k != "digest"}
    if body.get("engine_version") != ENGINE_VERSION:
        return False
    try:
        inputs, params, _stored = from_plain(body)
        expected = canonical_json(inputs, params, rank(inputs, params))
        stored = _dumps(body)
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return False
    if stored != expected:
        return False
    return "digest" not in snapshot or snapshot["digest"] == hashlib.sha256(expected.encode()).hexdigest()
