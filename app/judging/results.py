"""What the public results page, the method page and the finalists API read (no writes here).

The page asks the database two queries whatever the size of the contest: the contest with its
published run and the run's audit anchor, then the run's finalist lines with their initiatives,
units and categories. Which run is published and what its lines say are asked on every request,
so publishing or unpublishing shows at once. Kept in memory are only things that cannot go stale:
a run's parameters per (run, digest) — the digest covers the snapshot they come from — and the
rendered results section keyed by every value it shows.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from threading import Lock

from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import String, and_, bindparam, cast, select

from app.judging import ranking
from models import AuditEntry, Category, Contest, Initiative, RankingRun, RankingRunEntry, Unit, db

RANKING_DOC = Path(__file__).resolve().parents[2] / "docs" / "RANKING.md"
# The headings that open each language's half of docs/RANKING.md.
DOC_SECTIONS = {"vi": "## Tiếng Việt", "en": "## English"}


@dataclass(frozen=True)
class Finalist:
    """One finalist's line with the breakdown the public sees."""

    initiative_id: int
    title: str
    unit: str
    category: str | None
    category_en: str | None
    rank: int
    expert_score: float
    engagement_score: float
    final_score: float
    reviews: int
    likes: int
    commenters: int
    views: int
    imported_likes: int
    imported_comments: int
    imported_shares: int
    engagement: float

    def category_label(self, locale: str) -> str | None:
        return self.category_en if locale == "en" and self.category_en else self.category

    @property
    def imported(self) -> int:
        return self.imported_likes + self.imported_comments + self.imported_shares


@dataclass(frozen=True)
class PublishedResults:
    run_id: int
    digest: str
    published_at: datetime
    params: ranking.RankingParams
    finalists: list[Finalist]
    anchor: str | None  # the audit-log hash of the publication, to anchor the log outside the database


def params_out(params: ranking.RankingParams) -> dict:
    """Parameters as plain JSON numbers (the shape the API accepts as overrides)."""
    return {
        "expert": params.expert,
        "scale": params.scale,
        "alpha": params.alpha,
        "min_reviews": params.min_reviews,
        "trim_from": params.trim_from,
        "calibrate_from": params.calibrate_from,
        "finalists": params.finalists,
        "category_minimum": {str(c): q for c, q in sorted(params.category_minimum.items())},
        "unit_maximum": params.unit_maximum,
        **{f"w_{name}": getattr(params, f"w_{name}") for name in ranking.ENGAGEMENT_COUNTS},
    }


class _Memo:
    """A small bounded map, safe across threads: facts of a stored run that never change."""

    def __init__(self, size: int = 32):
        self.size, self.items, self.lock = size, OrderedDict(), Lock()

    def get(self, key, compute):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = compute()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


_run_params = _Memo()


def run_params(run_id: int, digest: str) -> ranking.RankingParams:
    """The stored run's parameters, read from its snapshot without loading the whole snapshot."""

    def load():
        plain = db.session.scalar(select(RankingRun.snapshot["params"]).where(RankingRun.id == run_id))
        return ranking.params_from_plain(plain)

    return _run_params.get((run_id, digest), load)


def _anchor():
    """The hash of the audit entry of the run's latest publication, as a column of the run's query:
    printed with the results, it anchors the hash-chained log outside the database (a log cut short
    no longer reaches it)."""
    return (
        select(AuditEntry.hash)
        .where(
            AuditEntry.action == "ranking.publish",
            AuditEntry.object_type == "ranking_run",
            AuditEntry.object_id == cast(RankingRun.id, String),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
        .correlate(RankingRun)
        .scalar_subquery()
    )


@cache
def _finalists_statement():
    """Built once with a bound run id: building the statement cost more than running it."""
    line = RankingRunEntry
    return (
        select(
            line.initiative_id,
            Initiative.title,
            Unit.name,
            Category.name,
            Category.name_en,
            line.rank,
            line.expert_score,
            line.engagement_score,
            line.final_score,
            line.reviews,
            line.likes,
            line.commenters,
            line.views,
            line.imported_likes,
            line.imported_comments,
            line.imported_shares,
            line.engagement,
        )
        .join(Initiative, Initiative.id == line.initiative_id)
        .join(Unit, Unit.id == Initiative.unit_id)
        .outerjoin(Category, Category.id == Initiative.category_id)
        .where(line.run_id == bindparam("run_id"), line.finalist.is_(True))
        .order_by(line.position)
    )


def finalists(run_id: int) -> list[Finalist]:
    """The run's finalists in rank order with title, unit and category, in one query."""
    return [Finalist(*row) for row in db.session.execute(_finalists_statement(), {"run_id": run_id})]


@dataclass(frozen=True)
class ContestResults:
    contest_id: int | None
    contest_name: str | None
    results: PublishedResults | None  # None before anything is published


def _contest_statement():
    """A contest with its published run (if any) and that run's audit anchor, in one query."""
    return (
        select(
            Contest.id,
            Contest.name,
            RankingRun.id.label("run_id"),
            RankingRun.digest,
            RankingRun.published_at,
            _anchor().label("anchor"),
        )
        .select_from(Contest)
        .outerjoin(
            RankingRun, and_(RankingRun.contest_id == Contest.id, RankingRun.published_at.is_not(None))
        )
    )


@cache
def _current_statement():
    # The current contest as contest.service.current_contest: the latest year, then the newest.
    return _contest_statement().order_by(Contest.year.desc(), Contest.id.desc()).limit(1)


@cache
def _contest_by_id_statement():
    return _contest_statement().where(Contest.id == bindparam("contest_id"))


def _contest_results(stmt, values: dict) -> ContestResults:
    """The contest's row, then its finalists; the run's parameters come from memory after the first time."""
    row = db.session.execute(stmt, values).first()
    if row is None:
        return ContestResults(None, None, None)
    if row.run_id is None:
        return ContestResults(row.id, row.name, None)
    published = PublishedResults(
        run_id=row.run_id,
        digest=row.digest,
        published_at=row.published_at,
        params=run_params(row.run_id, row.digest),
        finalists=finalists(row.run_id),
        anchor=row.anchor,
    )
    return ContestResults(row.id, row.name, published)


def current_results() -> ContestResults:
    """The current contest's name and published results (two queries)."""
    return _contest_results(_current_statement(), {})


def published_results(contest: Contest | None) -> PublishedResults | None:
    """The contest's published run with its finalists, or None before anything is published."""
    if contest is None:
        return None
    return _contest_results(_contest_by_id_statement(), {"contest_id": contest.id}).results


_bodies = _Memo(16)


def results_body(published: PublishedResults, locale: str, render) -> Markup:
    """The page's results section, rendered once per locale and per everything it shows.

    The key holds the run, its publication (time and audit anchor) and every value of every
    finalist line, so a change to any of them renders anew and nothing shown can be stale.
    """
    key = (locale, published.run_id, published.digest, published.published_at, published.anchor)
    return _bodies.get(key + tuple(published.finalists), lambda: Markup(render()))  # noqa: S704 - rendered by Jinja


def chart_data(results: PublishedResults) -> dict:
    """The stacked bars of the results chart: α·E and (1−α)·P of each finalist, with F."""
    alpha = results.params.alpha
    return {
        "labels": [f"{f.rank}. {f.title}" for f in results.finalists],
        "expert": [round(alpha * f.expert_score, 2) for f in results.finalists],
        "engagement": [round((1 - alpha) * f.engagement_score, 2) for f in results.finalists],
        "final": [f.final_score for f in results.finalists],
    }


# --- the method page ----------------------------------------------------------------------------


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def doc_section(text: str, locale: str) -> str:
    """The half of docs/RANKING.md in the reader's language: from its "## …" heading to the next one."""
    heading = DOC_SECTIONS.get(locale, DOC_SECTIONS["vi"])
    start = text.index("\n" + heading + "\n") + len(heading) + 2
    following = re.search(r"^## ", text[start:], flags=re.MULTILINE)
    return text[start : start + following.start()] if following else text[start:]


@cache
def method_html(locale: str) -> Markup:
    """docs/RANKING.md's section for the locale, as HTML (our own document, raw HTML disabled); read once."""
    text = RANKING_DOC.read_text(encoding="utf-8")
    html = _markdown().render(doc_section(text, locale))
    # Wide tables scroll sideways on a phone instead of widening the page.
    html = html.replace("<table>", '<div class="table-responsive"><table class="table table-sm">')
    return Markup(html.replace("</table>", "</table></div>"))  # noqa: S704 - our own document, raw HTML off


@dataclass(frozen=True)
class CategoryMinimum:
    name: str
    places: int


def category_minimums(params: ranking.RankingParams) -> list[CategoryMinimum]:
    """The parameters' category minimums with the categories' names (one query, none when unset)."""
    if not params.category_minimum:
        return []
    names = dict(
        db.session.execute(
            select(Category.id, Category.name).where(Category.id.in_(list(params.category_minimum)))
        ).all()
    )
    return [
        CategoryMinimum(names.get(cid, f"#{cid}"), places)
        for cid, places in sorted(params.category_minimum.items(), key=lambda item: names.get(item[0], ""))
    ]
