"""Pure rules for initiatives: the status machine, what a submission needs, video links, search text.

Plain data in, plain data out; no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from app.auth.rules import fold

DRAFT, SUBMITTED, RETURNED, PUBLISHED, REJECTED, WITHDRAWN = (
    "draft",
    "submitted",
    "returned",
    "published",
    "rejected",
    "withdrawn",
)

# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({DRAFT, RETURNED}), SUBMITTED),
    "withdraw": (frozenset({SUBMITTED, RETURNED, PUBLISHED}), WITHDRAWN),
    "publish": (frozenset({SUBMITTED}), PUBLISHED),
    "return": (frozenset({SUBMITTED, PUBLISHED}), RETURNED),
    "reject": (frozenset({SUBMITTED}), REJECTED),
}
REVIEW_DECISIONS = ("publish", "return", "reject")
EDITABLE = frozenset({DRAFT, RETURNED})

MAX_IMAGES = 10
MAX_DOCUMENTS = 5
TITLE_MAX = 200
SUMMARY_MAX = 500


class TransitionRefused(ValueError):
    def __init__(self, action: str, status: str):
        super().__init__(f"{action} is not possible from {status}")
        self.action = action
        self.status = status


def next_status(action: str, status: str) -> str:
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise TransitionRefused(action, status)
    return target


def allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, _) in TRANSITIONS.items() if status in sources]


@dataclass(frozen=True)
class SubmissionFacts:
    title: str
    summary: str
    problem: str
    solution: str
    results: str
    category_id: int | None
    contact_name: str
    image_count: int
    document_count: int
    video_url: str = ""


def submission_problems(facts: SubmissionFacts) -> list[tuple[str, str]]:
    """(field, code) pairs that keep an initiative from being submitted; empty when it is complete."""
    problems: list[tuple[str, str]] = []
    for name in ("title", "summary", "problem", "solution", "results", "contact_name"):
        if not getattr(facts, name).strip():
            problems.append((name, "required"))
    if len(facts.title) > TITLE_MAX:
        problems.append(("title", "too_long"))
    if len(facts.summary) > SUMMARY_MAX:
        problems.append(("summary", "too_long"))
    if facts.category_id is None:
        problems.append(("category_id", "required"))
    if facts.image_count < 1:
        problems.append(("images", "need_one_image"))
    if facts.image_count > MAX_IMAGES:
        problems.append(("images", "too_many_images"))
    if facts.document_count > MAX_DOCUMENTS:
        problems.append(("documents", "too_many_documents"))
    if facts.video_url and video_url_problem(facts.video_url):
        problems.append(("video_url", "bad_video_url"))
    return problems


_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
_FACEBOOK_HOSTS = {"facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com"}


def video_url_problem(url: str) -> str | None:
    """None for a YouTube or Facebook video link over https; a code otherwise."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "bad_video_url"
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return "bad_video_url"
    path = parts.path
    if host in _YOUTUBE_HOSTS:
        if path == "/watch" and parse_qs(parts.query).get("v", [""])[0]:
            return None
        if (
            path.startswith(("/shorts/", "/embed/", "/live/"))
            and len(path.split("/")) >= 3
            and path.split("/")[2]
        ):
            return None
        return "bad_video_url"
    if host == "youtu.be":
        return None if len(path) > 1 else "bad_video_url"
    if host in _FACEBOOK_HOSTS:
        if "/videos/" in path or path.startswith(("/watch", "/reel/")):
            return None
        return "bad_video_url"
    if host == "fb.watch":
        return None if len(path) > 1 else "bad_video_url"
    return "bad_video_url"


def search_text(title: str, summary: str, unit_name: str) -> str:
    """What the gallery search looks in, without accents: "chuyen doi so" finds "chuyển đổi số"."""
    return " ".join(fold(part) for part in (title, summary, unit_name) if part)


def search_terms(query: str) -> list[str]:
    """The folded words of a query, at most 8, each at least 2 characters."""
    return [word for word in fold(query or "").split() if len(word) >= 2][:8]


RANDOM_MULTIPLIER = 2654435761  # Knuth's multiplicative hash constant
RANDOM_MODULUS = 4294967291  # the largest prime below 2**32


def random_rank(initiative_id: int, seed: int) -> int:
    """The position key of the "random" sort: stable for one visitor's seed, shuffled across seeds."""
    return (initiative_id * RANDOM_MULTIPLIER + seed) % RANDOM_MODULUS
