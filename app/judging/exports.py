"""What the organizers' judging pages and files show: tables, CSV and XLSX files, chart data.

The top of this module is pure (plain values in, plain values or bytes out; it reads no database and
no request): the columns of the results and scores files, their rows, the CSV (UTF-8 with a BOM so
Excel opens Vietnamese letters right), the XLSX (openpyxl), the judges' box-plot data and the
progress figures. Column names and words are lazy translations, so a file speaks the reader's
language when its rows are built. The end of the module reads what the pages need and the service
does not give, in a fixed number of queries.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from app.judging import ranking
from models import Assignment, Contest, Criterion, Initiative, Review, Unit, User, db

TIE_RULE_NAMES = {
    "F": _l("higher final score"),
    "E": _l("higher expert score"),
    "P": _l("higher engagement score"),
    "submitted_at": _l("earlier submission"),
    "id": _l("lower id"),
}
REASON_NAMES = {ranking.TOO_FEW_REVIEWS: _l("too few reviews")}
STATUS_NAMES = {"draft": _l("Draft"), "submitted": _l("Submitted")}
YES, NO = _l("Yes"), _l("No")

# Cell kinds: how a value is written in CSV and formatted in XLSX.
TEXT, INT, SCORE, NUMBER, TIME = "text", "int", "score", "number", "time"
_XLSX_FORMATS = {INT: "0", SCORE: "0.00", TIME: "dd/mm/yyyy hh:mm"}  # NUMBER: General
WIDTH_MIN, WIDTH_MAX = 8, 60


def tie_rule_name(code: str | None) -> str:
    return str(TIE_RULE_NAMES[code]) if code in TIE_RULE_NAMES else ""


def reason_name(code: str | None) -> str:
    if not code:
        return ""
    return str(REASON_NAMES.get(code, code))


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy translation, made text when the table is built
    kind: str = TEXT


@dataclass
class Table:
    """A sheet: translated headers, the kind of each column, rows of plain values (None: empty)."""

    title: str
    headers: list[str]
    kinds: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def _table(title, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Table:
    return Table(
        str(title), [str(c.header) for c in columns], [c.kind for c in columns], [list(r) for r in rows]
    )


# --- the results of a run --------------------------------------------------------------------------

RESULT_COLUMNS = (
    Column(_l("Rank"), INT),
    Column(_l("Initiative id"), INT),
    Column(_l("Initiative")),
    Column(_l("Unit")),
    Column(_l("Field")),
    Column(_l("Review scores (r)")),
    Column(_l("Counted reviews"), INT),
    Column(_l("Expert score (E)"), SCORE),
    Column(_l("Likes"), INT),
    Column(_l("Distinct commenters"), INT),
    Column(_l("Views"), INT),
    Column(_l("Imported likes"), INT),
    Column(_l("Imported comments"), INT),
    Column(_l("Imported shares"), INT),
    Column(_l("Engagement (e)"), NUMBER),
    Column(_l("Engagement score (P)"), SCORE),
    Column(_l("Final score (F)"), SCORE),
    Column(_l("Finalist")),
    Column(_l("Ahead of the next by")),
    Column(_l("Not ranked because")),
)


def score_list(values: Sequence[float] | None) -> str:
    """Review scores as one cell: "81.25; 77.50; 75.00" (best first, 2 decimals)."""
    return "; ".join(f"{v:.2f}" for v in values or ())


def results_table(lines: Iterable[Any], counted: Mapping[int, Sequence[float]], locale: str) -> Table:
    """One row per line of a run (RankingRunEntry-like: the line's numbers and its initiative)."""
    rows = []
    for line in lines:
        initiative = line.initiative
        rows.append(
            [
                line.rank,
                line.initiative_id,
                initiative.title,
                initiative.unit.name if initiative.unit else "",
                initiative.category.label(locale) if initiative.category else "",
                score_list(counted.get(line.initiative_id)),
                line.reviews,
                line.expert_score,
                line.likes,
                line.commenters,
                line.views,
                line.imported_likes,
                line.imported_comments,
                line.imported_shares,
                line.engagement,
                line.engagement_score,
                line.final_score,
                str(YES if line.finalist else NO),
                tie_rule_name(line.tie_rule),
                reason_name(line.reason),
            ]
        )
    return _table(_l("Results"), RESULT_COLUMNS, rows)


NONE, NO_LIMIT = _l("none"), _l("no limit")


def param_rows(
    params: Mapping[str, Any],
    category_names: Mapping[int, str],
    labels: Mapping[str, Any],
    experts: Mapping[str, Any],
    scales: Mapping[str, Any],
) -> list[tuple[str, str]]:
    """A run's parameters (its snapshot's plain "params") as (label, value) in the labels' order."""
    rows = []
    for name, label in labels.items():
        if name not in params:
            continue
        value = params[name]
        if name == "expert":
            text = str(experts.get(value, value))
        elif name == "scale":
            text = str(scales.get(value, value))
        elif name == "category_minimum":
            pairs = [(int(c), int(q)) for c, q in (value.items() if isinstance(value, Mapping) else value)]
            text = "; ".join(f"{category_names.get(c, f'#{c}')}: {q}" for c, q in sorted(pairs)) or str(NONE)
        elif name == "unit_maximum" and value is None:
            text = str(NO_LIMIT)
        else:
            text = str(value)
        rows.append((str(label), text))
    return rows


def run_facts(
    run: Any, *, created_at: str, published_at: str, params: Sequence[tuple[str, str]]
) -> list[tuple[str, Any]]:
    """What identifies a run (RankingRun-like), then its parameters: the second sheet of the results."""
    return [
        (str(_l("Run")), run.id),
        (str(_l("Run at")), created_at),
        (str(_l("Method version")), run.engine_version),
        (str(_l("Digest (SHA-256)")), run.digest),
        (str(_l("Initiatives")), run.entries),
        (str(_l("Finalists")), run.finalists),
        (str(_l("Published at")), published_at or str(NO)),
        *params,
    ]


def run_table(facts: Sequence[tuple[Any, Any]]) -> Table:
    """The run's own facts (id, time, digest, parameters) as a two-column sheet."""
    columns = (Column(_l("What")), Column(_l("Value")))
    return _table(_l("Run"), columns, ([str(k), v] for k, v in facts))


# --- every judge's scores --------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRow:
    initiative_id: int
    initiative: str
    unit: str
    judge: str
    status: str  # draft | submitted
    scores: Mapping[int, float]
    review_score: float | None  # r, when every criterion is scored within range
    submitted_at: datetime | None  # local time (naive), for the file
    conflict: bool
    conflict_reason: str


def scores_table(rows: Iterable[ScoreRow], criteria: Sequence[tuple[int, str]]) -> Table:
    """One row per review; one column per criterion (id, label) in the rubric's order."""
    columns = [
        Column(_l("Initiative id"), INT),
        Column(_l("Initiative")),
        Column(_l("Unit")),
        Column(_l("Judge")),
        Column(_l("Status")),
        *(Column(label, NUMBER) for _cid, label in criteria),
        Column(_l("Review score (r)"), SCORE),
        Column(_l("Submitted at"), TIME),
        Column(_l("Conflict of interest")),
        Column(_l("Conflict reason")),
    ]
    body = (
        [
            r.initiative_id,
            r.initiative,
            r.unit,
            r.judge,
            str(STATUS_NAMES.get(r.status, r.status)),
            *(r.scores.get(cid) for cid, _label in criteria),
            r.review_score,
            r.submitted_at,
            str(YES if r.conflict else NO),
            r.conflict_reason,
        ]
        for r in rows
    )
    return _table(_l("Scores"), columns, body)


# --- writers -----------------------------------------------------------------------------------------


def _number_text(value: float) -> str:
    """A number without a needless ".0" and without exponent: 734, 12.5, 0.333333."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


# A text cell starting with one of these would be run as a formula by a spreadsheet (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Any, kind: str) -> str:
    """A value as CSV text: numbers with a decimal point (machine-readable), times dd/mm/yyyy HH:MM.

    Text that a spreadsheet would take for a formula gets a leading apostrophe.
    """
    if value is None:
        return ""
    if kind == TEXT and isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    if kind == SCORE and isinstance(value, int | float):
        return f"{value:.2f}"
    if kind == TIME and isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, float):
        return _number_text(value)
    return str(value)


def to_csv(table: Table) -> bytes:
    """RFC 4180 CSV in UTF-8 with a BOM (Excel then reads Vietnamese letters right), CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([cell_text(v, k) for v, k in zip(row, table.kinds, strict=True)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def column_widths(table: Table) -> list[int]:
    """Widths in characters: the longest header or cell text, within WIDTH_MIN..WIDTH_MAX."""
    widths = []
    for index, (header, kind) in enumerate(zip(table.headers, table.kinds, strict=True)):
        longest = max([len(header), *(len(cell_text(row[index], kind)) for row in table.rows)])
        widths.append(max(WIDTH_MIN, min(WIDTH_MAX, longest + 2)))
    return widths


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """A workbook with one sheet per table: bold, frozen header row, number formats, sensible widths."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(title=table.title[:31] or "Sheet")
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for row in table.rows:
            sheet.append([_xlsx_value(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.data_type == "f":
                    cell.data_type = "s"  # never a formula: titles and names come from users
        for index, (kind, width) in enumerate(zip(table.kinds, column_widths(table), strict=True), start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = width
            number_format = _XLSX_FORMATS.get(kind)
            if number_format and table.rows:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number_format
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- the progress page -------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def boxplot_data(judges: Iterable[tuple[str, Sequence[float]]], label: str) -> dict:
    """The box plot's data: one box per judge with scores (name, review scores r rounded to 2 places)."""
    shown = [(name, [round(r, 2) for r in scores]) for name, scores in judges if scores]
    return {"label": label, "labels": [n for n, _ in shown], "data": [s for _, s in shown]}


def flagged_first(items: Iterable[Any]) -> list[Any]:
    """Initiatives (InitiativeProgress-like) with the flagged ones first, widest disagreement on top."""
    return sorted(
        items,
        key=lambda i: (not i.flagged, -(i.spread or 0.0) if i.flagged else 0.0, i.initiative.id),
    )


@dataclass(frozen=True)
class ProgressSummary:
    judges: int
    initiatives: int
    assigned: int
    submitted: int
    drafts: int
    conflicts: int
    flagged: int

    @property
    def share_submitted(self) -> float | None:
        return self.submitted / self.assigned if self.assigned else None


def progress_summary(progress: Any) -> ProgressSummary:
    """Totals of a service.Progress for the overview."""
    return ProgressSummary(
        judges=len(progress.judges),
        initiatives=len(progress.initiatives),
        assigned=sum(j.assigned for j in progress.judges),
        submitted=sum(j.submitted for j in progress.judges),
        drafts=sum(j.drafts for j in progress.judges),
        conflicts=sum(j.conflicts for j in progress.judges),
        flagged=sum(1 for i in progress.initiatives if i.flagged),
    )


# --- reading the database ------------------------------------------------------------------------------


def score_rows(
    contest: Contest, criteria: Sequence[Criterion], local_time: Callable[[datetime], datetime]
) -> list[ScoreRow]:
    """Every review of the contest with its judge, initiative, unit and conflict, in three queries.

    `local_time` turns an aware UTC time into the naive local time a spreadsheet shows.
    """
    rubric = {c.id: ranking.Criterion(c.id, c.weight, c.max_score) for c in criteria}
    usable = bool(rubric) and sum(c.weight for c in rubric.values()) > 0
    conflicts = {
        (initiative_id, judge_id): reason
        for initiative_id, judge_id, reason in db.session.execute(
            select(Assignment.initiative_id, Assignment.judge_id, Assignment.conflict_reason)
            .join(Initiative, Initiative.id == Assignment.initiative_id)
            .where(Initiative.contest_id == contest.id, Assignment.conflict_at.is_not(None))
        )
    }
    rows = []
    for review, initiative_id, title, unit_name, judge_name in db.session.execute(
        select(Review, Initiative.id, Initiative.title, Unit.name, User.full_name)
        .join(Initiative, Initiative.id == Review.initiative_id)
        .join(Unit, Unit.id == Initiative.unit_id)
        .join(User, User.id == Review.judge_id)
        .where(Initiative.contest_id == contest.id)
        .order_by(Initiative.id, User.full_name, User.id)
    ):
        scores = review.score_map
        r = None
        complete = set(scores) == set(rubric) and all(0 <= scores[c] <= rubric[c].max_score for c in rubric)
        if usable and complete:
            r = ranking.review_score(
                ranking.Review(review.judge_id, initiative_id, scores, True, True, False), rubric
            )
        key = (initiative_id, review.judge_id)
        rows.append(
            ScoreRow(
                initiative_id=initiative_id,
                initiative=title,
                unit=unit_name,
                judge=judge_name,
                status=str(review.status),
                scores=scores,
                review_score=r,
                submitted_at=local_time(review.submitted_at) if review.submitted_at else None,
                conflict=key in conflicts,
                conflict_reason=conflicts.get(key, "") or "",
            )
        )
    return rows


def people(ids: Iterable[int | None]) -> dict[int, User]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(wanted)))}


def initiative_titles(ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    stmt = select(Initiative.id, Initiative.title).where(Initiative.id.in_(wanted))
    return dict(db.session.execute(stmt).all())
