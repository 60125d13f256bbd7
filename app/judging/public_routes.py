"""Public pages: the published finalists with their breakdowns, and the ranking method."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.contest.service import current_contest
from app.judging import results, service

bp = Blueprint("results", __name__, url_prefix="/ket-qua")

EXPERT_NAMES = {
    "mean": _l("mean of the counted reviews"),
    "trimmed": _l("trimmed mean (highest and lowest review dropped)"),
    "calibrated": _l("calibrated per judge (z-scores)"),
}
SCALE_NAMES = {
    "log": _l("logarithmic"),
    "linear": _l("linear (share of the most engaged)"),
    "percentile": _l("percentile"),
}


@bp.app_template_filter("score")
def score(value: float | None) -> str:
    """A published score with its two decimals and the locale's decimal sign (85,30 in Vietnamese)."""
    if value is None:
        return "—"
    return f"{value:.2f}".replace(".", get_locale().number_symbols["latn"]["decimal"])


@bp.route("/")
def index():
    """The current contest's published finalists; a plain notice before anything is published."""
    current = results.current_results()
    published = current.results
    body = None
    if published:
        body = results.results_body(
            published,
            str(get_locale()),
            lambda: render_template(
                "judging/results_body.html",
                results=published,
                chart=results.chart_data(published),
                expert_names=EXPERT_NAMES,
                scale_names=SCALE_NAMES,
            ),
        )
    return render_template(
        "judging/results.html", contest_name=current.contest_name, results=published, body=body
    )


@bp.route("/phuong-phap")
def method():
    """docs/RANKING.md in the reader's language, with the contest's actual parameters and rubric."""
    contest = current_contest(with_stages=False)
    params = service.effective_params(contest) if contest else results.ranking.RankingParams()
    return render_template(
        "judging/method.html",
        contest=contest,
        params=params,
        minimums=results.category_minimums(params),
        criteria=service.rubric(contest) if contest else [],
        method_html=results.method_html(str(get_locale())),
        expert_names=EXPERT_NAMES,
        scale_names=SCALE_NAMES,
    )
