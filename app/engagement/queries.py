"""What the initiative page and the comments API show: the like state and one page of comments.

Reads only. A page of comments costs a fixed number of queries whatever its size: the threads of
the page (authors joined), their count when they fill more than one page, then every reply of
those threads (authors joined).

Who sees what:
- a comment that is shown and not deleted: everyone;
- a deleted comment: only as "This comment was deleted." and only when it has replies shown;
- a comment hidden by reports or removed by a moderator: its author sees it with a note; others see
  a placeholder, and only when it has replies shown (so the replies keep their context).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, exists, false, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from app import clock
from app.contest.service import is_stage_open
from app.engagement import rules
from app.engagement.service import has_liked
from models import Comment, CommentStatus, Initiative, InitiativeStatus, StageKind, User, db

PER_PAGE = 20
# The author's name only: not their role grants (which User loads eagerly by default).
_AUTHOR = joinedload(Comment.user).lazyload(User.roles)


@dataclass(frozen=True)
class CommentDraft:
    """A form the server refused, given back to its writer with the reason (no text is lost).

    A new comment, a reply (parent_id), an edit (edit_id) or a report (report_id; body holds its
    details and choice the reason chosen).
    """

    body: str
    error: str
    parent_id: int | None = None
    edit_id: int | None = None
    report_id: int | None = None
    choice: str | None = None

    @property
    def for_new_comment(self) -> bool:
        return self.parent_id is None and self.edit_id is None and self.report_id is None


@dataclass
class CommentRow:
    """One comment as the viewer sees it.

    state: "visible"; "deleted" or "hidden" (a placeholder, no text and no author); "own_hidden" or
    "own_removed" (the viewer's own comment, with a note that others do not see it).
    """

    comment: Comment
    state: str
    own: bool = False
    can_edit: bool = False
    replies: list[CommentRow] = field(default_factory=list)

    @property
    def shows_text(self) -> bool:
        return self.state in ("visible", "own_hidden", "own_removed")


@dataclass(frozen=True)
class CommentsPage:
    items: list[CommentRow]
    page: int
    pages: int
    total: int

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """The pager's links: the ends and the pages near this one; None where pages are skipped."""
        keep = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        numbers: list[int | None] = []
        for n in range(1, self.pages + 1):
            if n in keep:
                numbers.append(n)
            elif numbers and numbers[-1] is not None:
                numbers.append(None)
        return numbers


@dataclass(frozen=True)
class Panel:
    """Everything the engagement panel of an initiative's page needs."""

    gate: str | None  # why the viewer cannot like or comment now (a messages.py code), or None
    liked: bool
    voting_open: bool
    comments: CommentsPage
    draft: CommentDraft | None = None

    @property
    def can_engage(self) -> bool:
        return self.gate is None


def _viewer_id(viewer) -> int | None:
    return viewer.id if viewer is not None and getattr(viewer, "is_authenticated", False) else None


def _shown():
    return and_(Comment.status == CommentStatus.VISIBLE, Comment.deleted_at.is_(None))


def _state(comment: Comment, viewer_id: int | None) -> str:
    if comment.counted:
        return "visible"
    if comment.deleted_at is not None:
        return "deleted"
    if comment.user_id == viewer_id:
        return "own_removed" if comment.status == CommentStatus.REMOVED else "own_hidden"
    return "hidden"


def _row(comment: Comment, viewer_id: int | None, now: datetime) -> CommentRow:
    state = _state(comment, viewer_id)
    own = viewer_id is not None and comment.user_id == viewer_id
    return CommentRow(
        comment=comment,
        state=state,
        own=own and comment.deleted_at is None,
        can_edit=own and state == "visible" and rules.can_edit(comment.created_at, now),
    )


def comments_page(initiative_id: int, page: int, viewer=None, per_page: int = PER_PAGE) -> CommentsPage:
    """Threads newest first (replies oldest first under each), as `viewer` may see them."""
    viewer_id = _viewer_id(viewer)
    reply = aliased(Comment)
    has_shown_reply = exists().where(
        reply.parent_id == Comment.id,
        reply.status == CommentStatus.VISIBLE,
        reply.deleted_at.is_(None),
    )
    own_not_deleted = (
        and_(Comment.user_id == viewer_id, Comment.deleted_at.is_(None)) if viewer_id is not None else false()
    )
    seen = (
        Comment.initiative_id == initiative_id,
        Comment.parent_id.is_(None),
        or_(_shown(), own_not_deleted, has_shown_reply),
    )
    page = max(page, 1)
    items = db.session.scalars(
        select(Comment)
        .where(*seen)
        .options(_AUTHOR)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    if page == 1 and len(items) < per_page:
        total = len(items)  # all on this page, as for most initiatives: no count needed
    else:
        total = db.session.scalar(select(func.count()).select_from(Comment).where(*seen))
    now = clock.now()
    rows = [_row(c, viewer_id, now) for c in items]
    if rows:
        replies = db.session.scalars(
            select(Comment)
            .where(Comment.parent_id.in_([r.comment.id for r in rows]), or_(_shown(), own_not_deleted))
            .options(_AUTHOR)
            .order_by(Comment.created_at, Comment.id)
        ).all()
        by_thread = {r.comment.id: r for r in rows}
        for c in replies:
            by_thread[c.parent_id].replies.append(_row(c, viewer_id, now))
    return CommentsPage(items=rows, page=page, pages=-(-total // per_page), total=total)


def gate(viewer, initiative: Initiative, voting_open: bool) -> str | None:
    """The first reason the viewer cannot like or comment, in the order that helps them most."""
    if initiative.status != InitiativeStatus.PUBLISHED:
        return "not_published"
    if not voting_open:
        return "voting_closed"
    if viewer is None or not viewer.is_authenticated:
        return "sign_in"
    if not viewer.is_verified:
        return "unverified"
    return None


def panel(initiative: Initiative, viewer, page: int = 1, draft: CommentDraft | None = None) -> Panel:
    voting_open = is_stage_open(initiative.contest, StageKind.VOTING)
    return Panel(
        gate=gate(viewer, initiative, voting_open),
        liked=has_liked(viewer, initiative.id),
        voting_open=voting_open,
        comments=comments_page(initiative.id, page, viewer),
        draft=draft,
    )
