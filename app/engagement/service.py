"""Engagement operations. Each owns its transaction.

Counters on the initiative change with one atomic UPDATE (`x = x + 1`) in the same transaction as
the row and the event that cause them, so concurrent requests never lose an update; a repeated
like or report is a no-op answered with success (INSERT … ON CONFLICT DO NOTHING on the unique
constraint, on SQLite and PostgreSQL alike). `reconcile_counters` recomputes every counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, bindparam, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from app import clock
from app.audit.service import record_audit
from app.engagement import rules
from models import (
    Comment,
    CommentReport,
    CommentStatus,
    Contest,
    EngagementEvent,
    EventKind,
    Initiative,
    InitiativeStatus,
    InitiativeView,
    Like,
    Quarantine,
    Stage,
    StageKind,
    User,
    db,
)


class EngagementProblem(Exception):
    """An operation refused. `code` names why (see messages.py); `status` is the HTTP status to answer."""

    def __init__(self, code: str, status: int = 409, field: str | None = None):
        super().__init__(code)
        self.code = code
        self.status = status
        self.field = field


@dataclass(frozen=True)
class Source:
    """Where an action came from, already hashed: the database never keeps raw addresses."""

    ip_hash: str = ""
    ua_hash: str = ""

    @classmethod
    def of(cls, ip: str | None, user_agent: str | None) -> Source:
        salt = current_app.config["HASH_SALT"]
        return cls(rules.salted_hash(ip, salt), rules.salted_hash(user_agent, salt))


def _insert(model):
    """INSERT for the session's dialect (both know ON CONFLICT DO NOTHING and RETURNING)."""
    name = db.session.get_bind().dialect.name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(model)


_EVENTS = EngagementEvent.__table__
_LIKES = Like.__table__
_INITIATIVES = Initiative.__table__

# The like path's statements, built once with bound parameters: building SQLAlchemy statements
# per request was the largest cost left in its profile.
_INSERT_EVENT = _EVENTS.insert()
_BUMP = {
    column: _INITIATIVES.update()
    .where(_INITIATIVES.c.id == bindparam("initiative_id"))
    .values({_INITIATIVES.c[column]: _INITIATIVES.c[column] + bindparam("delta")})
    .returning(_INITIATIVES.c[column])
    for column in ("like_count", "comment_count", "view_count")
}
_LIKE_COUNT = select(_INITIATIVES.c.like_count).where(_INITIATIVES.c.id == bindparam("initiative_id"))
_DELETE_LIKE = (
    _LIKES.delete()
    .where(_LIKES.c.initiative_id == bindparam("initiative_id"), _LIKES.c.user_id == bindparam("user_id"))
    .returning(_LIKES.c.quarantine_id)
)
# The account's active quarantine decision, if any (its new likes are quarantined too).
_ACTIVE_QUARANTINE = (
    select(Quarantine.id)
    .where(Quarantine.user_id == bindparam("user_id"), Quarantine.released_at.is_(None))
    .limit(1)
)
_INSERT_LIKE: dict[str, object] = {}  # per dialect, built on first use


def _insert_like_statement():
    name = db.session.get_bind().dialect.name
    if name not in _INSERT_LIKE:
        quarantine = _ACTIVE_QUARANTINE.scalar_subquery()
        _INSERT_LIKE[name] = (
            _insert(_LIKES)
            .values(
                initiative_id=bindparam("initiative_id"),
                user_id=bindparam("user_id"),
                created_at=bindparam("created_at"),
                quarantine_id=quarantine,
            )
            .on_conflict_do_nothing(index_elements=["initiative_id", "user_id"])
            .returning(_LIKES.c.id, _LIKES.c.quarantine_id)
        )
    return _INSERT_LIKE[name]


def _event(kind: EventKind, initiative_id: int, user: User, source: Source, comment_id=None, at=None):
    """One event row, written with a Core INSERT (the like path is the hottest write)."""
    db.session.execute(
        _INSERT_EVENT,
        {
            "kind": kind.value,
            "initiative_id": initiative_id,
            "user_id": user.id,
            "comment_id": comment_id,
            "created_at": at or clock.now(),
            "ip_hash": source.ip_hash,
            "ua_hash": source.ua_hash,
        },
    )


def _bump(initiative_id: int, column: str, delta: int) -> int:
    """Atomically add `delta` to one counter and return its new value."""
    return db.session.execute(_BUMP[column], {"initiative_id": initiative_id, "delta": delta}).scalar_one()


def _like_count(initiative_id: int) -> int:
    return db.session.execute(_LIKE_COUNT, {"initiative_id": initiative_id}).scalar_one()


# --- gates ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What the gate needs to know of an initiative, read in one query (see engagement_target)."""

    id: int
    status: InitiativeStatus
    voting_opens_at: datetime | None
    voting_closes_at: datetime | None

    @classmethod
    def of(cls, initiative: Initiative | Target) -> Target:
        if isinstance(initiative, Target):
            return initiative
        voting = initiative.contest.stage(StageKind.VOTING)
        return cls(
            initiative.id,
            initiative.status,
            voting.opens_at if voting else None,
            voting.closes_at if voting else None,
        )

    @property
    def voting_open(self) -> bool:
        """The rule of Stage.is_open_at, on the app clock."""
        if self.voting_opens_at is None or self.voting_closes_at is None:
            return False
        return self.voting_opens_at <= clock.now() < self.voting_closes_at


_STAGES = Stage.__table__
# A Core statement on the tables (not the ORM entities): it returns plain rows, so the ORM's
# per-statement work is not needed on every like.
_TARGET = (
    select(_INITIATIVES.c.id, _INITIATIVES.c.status, _STAGES.c.opens_at, _STAGES.c.closes_at)
    .outerjoin(
        _STAGES,
        and_(_STAGES.c.contest_id == _INITIATIVES.c.contest_id, _STAGES.c.kind == StageKind.VOTING),
    )
    .where(_INITIATIVES.c.id == bindparam("initiative_id"))
)


def engagement_target(initiative_id: int) -> Target | None:
    """The initiative's status and its contest's voting window, in one query (None if no such initiative)."""
    row = db.session.execute(_TARGET, {"initiative_id": initiative_id}).first()
    return None if row is None else Target(row.id, InitiativeStatus(row.status), row.opens_at, row.closes_at)


def visible_initiative(initiative_id: int, viewer) -> Initiative | None:
    """The initiative with its contest's stages (the voting gate), or None when the viewer may not see it."""
    initiative = db.session.scalar(
        select(Initiative)
        .where(Initiative.id == initiative_id)
        .options(joinedload(Initiative.contest).selectinload(Contest.stages))
    )
    return initiative if initiative is not None and initiative.can_view(viewer) else None


def visible_target(initiative_id: int, viewer) -> Target | None:
    """The gate's facts in one query, or None when the viewer may not see the initiative.

    Only an unpublished initiative needs the full visibility check (its own unit sees it, and the
    gate then refuses with 409).
    """
    target = engagement_target(initiative_id)
    if target is None:
        return None
    if target.status != InitiativeStatus.PUBLISHED and visible_initiative(initiative_id, viewer) is None:
        return None
    return target


def check_can_engage(user: User, initiative: Initiative | Target) -> None:
    """The server-side gate of every like, unlike, comment and report."""
    if not user.is_authenticated or not user.is_active:
        raise EngagementProblem("sign_in", 401)
    if not user.is_verified:
        raise EngagementProblem("unverified", 403)
    target = Target.of(initiative)
    if target.status != InitiativeStatus.PUBLISHED:
        raise EngagementProblem("not_published", 409)
    if not target.voting_open:
        raise EngagementProblem("voting_closed", 409)


def _active_account_quarantine(user_id: int) -> int | None:
    return db.session.scalar(_ACTIVE_QUARANTINE, {"user_id": user_id})


# --- likes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LikeState:
    liked: bool
    like_count: int


def like_initiative(user: User, initiative: Initiative | Target, source: Source = Source()) -> LikeState:
    """Like once; a second like is a no-op answered with the same state.

    The like row takes the account's active quarantine (if any) in the same INSERT; a quarantined
    like is kept but not counted.
    """
    check_can_engage(user, initiative)
    initiative_id = initiative.id
    now = clock.now()
    inserted = db.session.execute(
        _insert_like_statement(), {"initiative_id": initiative_id, "user_id": user.id, "created_at": now}
    ).first()
    if inserted is None:
        count = _like_count(initiative_id)
    else:
        _event(EventKind.LIKE, initiative_id, user, source, at=now)
        count = (
            _bump(initiative_id, "like_count", 1)
            if inserted.quarantine_id is None
            else _like_count(initiative_id)
        )
    db.session.commit()
    return LikeState(True, count)


def unlike_initiative(user: User, initiative: Initiative | Target, source: Source = Source()) -> LikeState:
    """Take a like back while voting is open; without a like it is a no-op."""
    check_can_engage(user, initiative)
    initiative_id = initiative.id
    removed = db.session.execute(_DELETE_LIKE, {"initiative_id": initiative_id, "user_id": user.id}).first()
    if removed is not None:
        _event(EventKind.UNLIKE, initiative_id, user, source)
    if removed is not None and removed.quarantine_id is None:
        count = _bump(initiative_id, "like_count", -1)
    else:
        count = _like_count(initiative_id)
    db.session.commit()
    return LikeState(False, count)


def has_liked(user, initiative_id: int) -> bool:
    if not user or not user.is_authenticated:
        return False
    return (
        db.session.scalar(select(Like.id).where(Like.initiative_id == initiative_id, Like.user_id == user.id))
        is not None
    )


# --- comments ---------------------------------------------------------------------------------


def add_comment(
    user: User, initiative: Initiative, body: str, parent_id: int | None = None, source: Source = Source()
) -> Comment:
    """A comment or a reply (one level: a reply to a reply joins its thread)."""
    check_can_engage(user, initiative)
    problem = rules.comment_problem(rules.clean_comment(body))
    if problem:
        raise EngagementProblem(problem, 422, "body")
    parent = None
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        if parent is None or parent.initiative_id != initiative.id:
            raise EngagementProblem("parent_missing", 422, "parent_id")
        if parent.parent_id is not None:
            parent = db.session.get(Comment, parent.parent_id)
        if parent is None or not parent.counted:
            raise EngagementProblem("parent_gone", 409, "parent_id")
    now = clock.now()
    comment = Comment(
        initiative_id=initiative.id,
        user_id=user.id,
        parent_id=parent.id if parent else None,
        body=rules.clean_comment(body),
        created_at=now,
    )
    db.session.add(comment)
    db.session.flush()
    _event(EventKind.COMMENT, initiative.id, user, source, comment_id=comment.id, at=now)
    _bump(initiative.id, "comment_count", 1)
    db.session.commit()
    return comment


def _own_comment(user: User, comment: Comment) -> None:
    if comment.user_id != user.id:
        raise EngagementProblem("not_yours", 403)
    if comment.deleted_at is not None:
        raise EngagementProblem("comment_deleted", 409)


def edit_comment(user: User, comment: Comment, body: str) -> Comment:
    """The author edits within 15 minutes of writing; the comment is then shown as edited."""
    _own_comment(user, comment)
    now = clock.now()
    if not rules.can_edit(comment.created_at, now):
        raise EngagementProblem("edit_window_over", 409)
    if comment.status != CommentStatus.VISIBLE:
        raise EngagementProblem("comment_hidden", 409)
    problem = rules.comment_problem(rules.clean_comment(body))
    if problem:
        raise EngagementProblem(problem, 422, "body")
    text = rules.clean_comment(body)
    if text != comment.body:
        comment.body, comment.edited_at = text, now
    db.session.commit()
    return comment


def delete_comment(user: User, comment: Comment) -> None:
    """The author deletes: the text is no longer shown (replies stay); it leaves the count.

    Deleting a deleted comment again changes nothing.
    """
    if comment.user_id != user.id:
        raise EngagementProblem("not_yours", 403)
    if comment.deleted_at is not None:
        return
    was_counted = comment.counted
    changed = db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id, Comment.deleted_at.is_(None))
        .values(deleted_at=clock.now())
    ).rowcount
    if changed and was_counted:
        _bump(comment.initiative_id, "comment_count", -1)
    db.session.commit()


def report_comment(user: User, comment: Comment, reason: str, source: Source = Source()) -> bool:
    """Report once per person; at three open reports from different people the comment is hidden.

    Returns whether the comment is hidden now.
    """
    check_can_engage(user, comment.initiative)
    reason = reason.strip()
    if not reason:
        raise EngagementProblem("reason_required", 422, "reason")
    if len(reason) > rules.REPORT_REASON_MAX:
        raise EngagementProblem("reason_too_long", 422, "reason")
    if comment.user_id == user.id:
        raise EngagementProblem("own_comment", 409)
    if comment.deleted_at is not None:
        raise EngagementProblem("comment_deleted", 409)
    now = clock.now()
    inserted = db.session.execute(
        _insert(CommentReport)
        .values(comment_id=comment.id, user_id=user.id, reason=reason, created_at=now)
        .on_conflict_do_nothing(index_elements=["comment_id", "user_id"])
        .returning(CommentReport.id)
    ).scalar()
    hidden = False
    if inserted is not None:
        _event(EventKind.REPORT, comment.initiative_id, user, source, comment_id=comment.id, at=now)
        db.session.execute(
            update(Comment).where(Comment.id == comment.id).values(open_reports=Comment.open_reports + 1)
        )
        # One conditional UPDATE decides the hiding, so two last reports at once hide it once.
        hid = db.session.execute(
            update(Comment)
            .where(
                Comment.id == comment.id,
                Comment.status == CommentStatus.VISIBLE,
                Comment.open_reports >= rules.HIDE_AT_REPORTS,
            )
            .values(status=CommentStatus.HIDDEN)
            .returning(Comment.deleted_at)
        ).first()
        if hid is not None:
            hidden = True
            if hid.deleted_at is None:
                _bump(comment.initiative_id, "comment_count", -1)
    db.session.commit()
    db.session.refresh(comment)
    return hidden or comment.status != CommentStatus.VISIBLE


MODERATION_DECISIONS = ("restore", "hide", "hide_suspend")


def moderate_comment(actor: User, comment: Comment, decision: str, note: str = "") -> None:
    """An organizer restores a comment, hides it, or hides it and suspends its author (audited)."""
    if decision not in MODERATION_DECISIONS:
        raise EngagementProblem("unknown_decision", 422, "decision")
    before = {"status": comment.status.value, "open_reports": comment.open_reports}
    was_counted = comment.counted
    now = clock.now()
    comment.status = CommentStatus.VISIBLE if decision == "restore" else CommentStatus.REMOVED
    comment.open_reports = 0
    comment.moderated_at, comment.moderated_by_id = now, actor.id
    db.session.execute(
        update(CommentReport)
        .where(CommentReport.comment_id == comment.id, CommentReport.resolved_at.is_(None))
        .values(resolved_at=now)
    )
    db.session.flush()
    if comment.counted != was_counted:
        _bump(comment.initiative_id, "comment_count", 1 if comment.counted else -1)
    record_audit(
        actor,
        f"comment.{decision}",
        "comment",
        comment.id,
        before=before,
        after={"status": comment.status.value, "note": note.strip()}
        if note.strip()
        else {"status": comment.status.value},
    )
    if decision == "hide_suspend":
        from app.users.service import deactivate_user  # commits

        deactivate_user(actor, comment.user, note.strip() or "comment moderation")
    # deactivate_user returns without committing when the author is already inactive.
    db.session.commit()


# --- quarantine -------------------------------------------------------------------------------


def _apply_like_deltas(rows, sign: int) -> int:
    """Change like counters by sign × the number of rows per initiative; returns the rows counted."""
    per_initiative: dict[int, int] = {}
    for row in rows:
        per_initiative[row.initiative_id] = per_initiative.get(row.initiative_id, 0) + 1
    for initiative_id, n in sorted(per_initiative.items()):
        _bump(initiative_id, "like_count", sign * n)
    return sum(per_initiative.values())


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise EngagementProblem("reason_required", 422, "reason")
    if len(reason) > rules.QUARANTINE_REASON_MAX:
        raise EngagementProblem("reason_too_long", 422, "reason")
    return reason


def quarantine_likes(actor: User, like_ids: list[int], reason: str) -> Quarantine:
    """Exclude the selected likes from every count (reversible; nothing is deleted)."""
    reason = _reason(reason)
    if not like_ids:
        raise EngagementProblem("nothing_selected", 422, "like_ids")
    decision = Quarantine(reason=reason, created_by_id=actor.id, created_at=clock.now())
    db.session.add(decision)
    db.session.flush()
    rows = db.session.execute(
        update(Like)
        .where(Like.id.in_(like_ids), Like.quarantine_id.is_(None))
        .values(quarantine_id=decision.id)
        .returning(Like.initiative_id)
    ).all()
    if not rows:
        db.session.rollback()
        raise EngagementProblem("nothing_selected", 409, "like_ids")
    n = _apply_like_deltas(rows, -1)
    record_audit(actor, "likes.quarantine", "quarantine", decision.id, after={"likes": n, "reason": reason})
    db.session.commit()
    return decision


def quarantine_account(actor: User, user: User, reason: str) -> Quarantine:
    """Exclude all of an account's likes, and the ones it makes while the decision stands."""
    reason = _reason(reason)
    if _active_account_quarantine(user.id) is not None:
        raise EngagementProblem("already_quarantined", 409)
    decision = Quarantine(user_id=user.id, reason=reason, created_by_id=actor.id, created_at=clock.now())
    db.session.add(decision)
    db.session.flush()
    rows = db.session.execute(
        update(Like)
        .where(Like.user_id == user.id, Like.quarantine_id.is_(None))
        .values(quarantine_id=decision.id)
        .returning(Like.initiative_id)
    ).all()
    n = _apply_like_deltas(rows, -1)
    record_audit(
        actor,
        "account.quarantine",
        "quarantine",
        decision.id,
        after={"user_id": user.id, "likes": n, "reason": reason},
    )
    db.session.commit()
    return decision


def release_quarantine(actor: User, decision: Quarantine) -> int:
    """Undo a quarantine: its likes count again. Returns how many."""
    if decision.released_at is not None:
        raise EngagementProblem("already_released", 409)
    decision.released_at, decision.released_by_id = clock.now(), actor.id
    rows = db.session.execute(
        update(Like)
        .where(Like.quarantine_id == decision.id)
        .values(quarantine_id=None)
        .returning(Like.initiative_id)
    ).all()
    n = _apply_like_deltas(rows, 1)
    record_audit(actor, "quarantine.release", "quarantine", decision.id, after={"likes": n})
    db.session.commit()
    return n


# --- views ------------------------------------------------------------------------------------


def record_view(initiative: Initiative, viewer: str, user_agent: str | None) -> bool:
    """Count a distinct viewer ("u:<id>" or "s:<hash>") once per initiative and Vietnam day.

    Call it after the page is rendered: it ends the read transaction first, so on SQLite the
    write begins as a fresh transaction (a read snapshot cannot be upgraded after another write).
    Returns whether this view was counted.
    """
    if rules.is_bot(user_agent) or initiative.status != InitiativeStatus.PUBLISHED:
        return False
    initiative_id = initiative.id
    day = rules.view_day(clock.now())
    seen = db.session.scalar(
        select(InitiativeView.viewer).where(
            InitiativeView.initiative_id == initiative_id,
            InitiativeView.day == day,
            InitiativeView.viewer == viewer,
        )
    )
    if seen is not None:
        return False
    db.session.rollback()
    inserted = db.session.execute(
        _insert(InitiativeView)
        .values(initiative_id=initiative_id, day=day, viewer=viewer)
        .on_conflict_do_nothing()
        .returning(InitiativeView.viewer)
    ).scalar()
    if inserted is not None:
        _bump(initiative_id, "view_count", 1)
    db.session.commit()
    return inserted is not None


# --- reconcile --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drift:
    initiative_id: int
    counter: str
    stored: int
    actual: int


def reconcile_counters(*, fix: bool = True) -> tuple[list[Drift], list[Drift]]:
    """Recompute every initiative's counters from the rows; fix them if asked.

    Returns (counter drifts, event drifts). An event drift is an initiative whose likes minus
    unlikes in the event log differ from its like rows (quarantined included): it is reported,
    not fixed, because the rows are the record of who likes what.
    """
    likes = dict(
        db.session.execute(
            select(Like.initiative_id, func.count())
            .where(Like.quarantine_id.is_(None))
            .group_by(Like.initiative_id)
        ).all()
    )
    all_likes = dict(
        db.session.execute(select(Like.initiative_id, func.count()).group_by(Like.initiative_id)).all()
    )
    comments = dict(
        db.session.execute(
            select(Comment.initiative_id, func.count())
            .where(Comment.status == CommentStatus.VISIBLE, Comment.deleted_at.is_(None))
            .group_by(Comment.initiative_id)
        ).all()
    )
    views = dict(
        db.session.execute(
            select(InitiativeView.initiative_id, func.count()).group_by(InitiativeView.initiative_id)
        ).all()
    )
    event_net = dict(
        db.session.execute(
            select(
                EngagementEvent.initiative_id,
                func.sum(case((EngagementEvent.kind == EventKind.LIKE, 1), else_=-1)),
            )
            .where(EngagementEvent.kind.in_([EventKind.LIKE, EventKind.UNLIKE]))
            .group_by(EngagementEvent.initiative_id)
        ).all()
    )
    drifts: list[Drift] = []
    event_drifts: list[Drift] = []
    stored = db.session.execute(
        select(Initiative.id, Initiative.like_count, Initiative.comment_count, Initiative.view_count)
    ).all()
    for row in stored:
        for counter, actual in (
            ("like_count", likes.get(row.id, 0)),
            ("comment_count", comments.get(row.id, 0)),
            ("view_count", views.get(row.id, 0)),
        ):
            value = getattr(row, counter)
            if value != actual:
                drifts.append(Drift(row.id, counter, value, actual))
        if int(event_net.get(row.id, 0) or 0) != all_likes.get(row.id, 0):
            event_drifts.append(
                Drift(row.id, "like_events", int(event_net.get(row.id, 0) or 0), all_likes.get(row.id, 0))
            )
    if fix and drifts:
        for d in drifts:
            db.session.execute(
                update(Initiative).where(Initiative.id == d.initiative_id).values({d.counter: d.actual})
            )
        db.session.commit()
    return drifts, event_drifts


__all__ = [
    "Drift",
    "EngagementProblem",
    "LikeState",
    "MODERATION_DECISIONS",
    "Source",
    "add_comment",
    "check_can_engage",
    "delete_comment",
    "edit_comment",
    "has_liked",
    "like_initiative",
    "moderate_comment",
    "quarantine_account",
    "quarantine_likes",
    "reconcile_counters",
    "record_view",
    "release_quarantine",
    "report_comment",
    "unlike_initiative",
]
