"""Initiative operations. Each owns its transaction; status changes go to the history and the audit log.

Files are checked and processed before anything is written; when the database refuses the
change, files already written are removed again, so nothing is half-stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import BigInteger, and_, cast, func, literal, select
from sqlalchemy.orm import joinedload, selectinload

from app import clock
from app.audit.service import record_audit
from app.auth.rules import fold
from app.contest.service import is_stage_open
from app.database import end_transaction
from app.extensions import cache
from app.initiatives import rules
from app.uploads import storage
from app.uploads.processing import UploadRefused, check_pdf, display_name, process_image
from models import (
    Category,
    Contest,
    Initiative,
    InitiativeDocument,
    InitiativeEvent,
    InitiativeImage,
    InitiativeStatus,
    StageKind,
    Unit,
    User,
    db,
)

TEXT_FIELDS = (
    "title",
    "summary",
    "problem",
    "solution",
    "results",
    "cost",
    "contact_name",
    "contact_phone",
    "contact_email",
    "video_url",
)


class InitiativeProblem(Exception):
    """An operation refused; `problems` is a list of (field, code) and `filename` names a refused file."""

    def __init__(self, problems: list[tuple[str, str]], filename: str = ""):
        super().__init__(", ".join(f"{f}:{c}" for f, c in problems))
        self.problems = problems
        self.filename = filename


@dataclass
class InitiativeFields:
    title: str
    summary: str = ""
    problem: str = ""
    solution: str = ""
    results: str = ""
    cost: str = ""
    in_use_since: date | None = None
    category_id: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    video_url: str = ""


@dataclass(frozen=True)
class IncomingFile:
    filename: str
    data: bytes


@dataclass
class FileChanges:
    new_images: list[IncomingFile] = field(default_factory=list)
    new_documents: list[IncomingFile] = field(default_factory=list)
    remove_image_ids: list[int] = field(default_factory=list)
    remove_document_ids: list[int] = field(default_factory=list)


def _limits() -> dict:
    return {
        "max_bytes": current_app.config["MAX_IMAGE_BYTES"],
        "max_pixels": current_app.config["MAX_IMAGE_PIXELS"],
    }


def add_event(
    initiative: Initiative,
    actor: User | None,
    action: str,
    *,
    to_status=None,
    from_status=None,
    reason: str = "",
    changes: dict | None = None,
    at=None,
) -> None:
    """One line of the history the unit sees (the caller commits); `at` defaults to now."""
    db.session.add(
        InitiativeEvent(
            initiative=initiative,
            actor_id=actor.id if actor else None,
            action=action,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            changes=changes,
            created_at=at or clock.now(),
        )
    )


def _check_fields(fields: InitiativeFields, contest: Contest) -> None:
    problems: list[tuple[str, str]] = []
    if not fields.title.strip():
        problems.append(("title", "required"))
    if len(fields.title) > rules.TITLE_MAX:
        problems.append(("title", "too_long"))
    if len(fields.summary) > rules.SUMMARY_MAX:
        problems.append(("summary", "too_long"))
    if fields.video_url and rules.video_url_problem(fields.video_url):
        problems.append(("video_url", "bad_video_url"))
    if fields.category_id is not None:
        category = db.session.get(Category, fields.category_id)
        if category is None or category.contest_id != contest.id or not category.active:
            problems.append(("category_id", "unknown_category"))
    if problems:
        raise InitiativeProblem(problems)


def _prepare_files(existing: tuple[int, int], changes: FileChanges):
    """Check and process every incoming file before anything is written; raises InitiativeProblem.

    `existing` is (pictures, documents) already attached. The caller has ended its transaction:
    decoding a 24-megapixel photo takes about a second, and no lock may be held meanwhile.
    """
    keep_images = existing[0] - len(changes.remove_image_ids)
    keep_docs = existing[1] - len(changes.remove_document_ids)
    if keep_images + len(changes.new_images) > rules.MAX_IMAGES:
        raise InitiativeProblem([("images", "too_many_images")])
    if keep_docs + len(changes.new_documents) > rules.MAX_DOCUMENTS:
        raise InitiativeProblem([("documents", "too_many_documents")])
    images, documents = [], []
    for incoming in changes.new_images:
        try:
            images.append(process_image(incoming.data, **_limits()))
        except UploadRefused as exc:
            raise InitiativeProblem(
                [("images", exc.code)], filename=display_name(incoming.filename, "")
            ) from exc
    for incoming in changes.new_documents:
        try:
            check_pdf(incoming.data, max_bytes=current_app.config["MAX_DOCUMENT_BYTES"])
        except UploadRefused as exc:
            raise InitiativeProblem(
                [("documents", exc.code)], filename=display_name(incoming.filename, "")
            ) from exc
        documents.append((display_name(incoming.filename), incoming.data))
    return images, documents


def _apply_files(
    initiative: Initiative, changes: FileChanges, images, documents
) -> tuple[list[str], list[str]]:
    """Write the processed files, attach rows, detach removed ones; returns (written, to_delete) tokens."""
    written_images, written_docs = [], []
    now = clock.now()
    try:
        position = max((img.position for img in initiative.images), default=-1) + 1
        for processed in images:
            token = storage.new_token()
            storage.save_image(token, processed.thumbnail, processed.display)
            written_images.append(token)
            initiative.images.append(
                InitiativeImage(
                    token=token,
                    position=position,
                    width=processed.width,
                    height=processed.height,
                    created_at=now,
                )
            )
            position += 1
        for title, data in documents:
            token = storage.new_token()
            storage.save_document(token, data)
            written_docs.append(token)
            initiative.documents.append(
                InitiativeDocument(token=token, title=title, size=len(data), created_at=now)
            )
    except OSError:
        _delete_files(written_images, written_docs)
        raise
    removed_images = [img for img in initiative.images if img.id in set(changes.remove_image_ids)]
    removed_docs = [doc for doc in initiative.documents if doc.id in set(changes.remove_document_ids)]
    for img in removed_images:
        initiative.images.remove(img)
    for doc in removed_docs:
        initiative.documents.remove(doc)
    return (written_images, written_docs), (
        [i.token for i in removed_images],
        [d.token for d in removed_docs],
    )


def _delete_files(image_tokens, document_tokens) -> None:
    for token in image_tokens:
        storage.delete_image(token)
    for token in document_tokens:
        storage.delete_document(token)


def _commit_with_files(written, to_delete) -> None:
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        _delete_files(*written)
        raise
    _delete_files(*to_delete)


def _set_fields(initiative: Initiative, fields: InitiativeFields) -> list[str]:
    changed = []
    for name in (*TEXT_FIELDS, "in_use_since", "category_id"):
        value = getattr(fields, name)
        if isinstance(value, str):
            value = value.strip()
        if getattr(initiative, name) != value:
            setattr(initiative, name, value)
            changed.append(name)
    initiative.search_text = rules.search_text(initiative.title, initiative.summary, initiative.unit.name)
    return changed


def create_initiative(
    actor: User, contest: Contest, unit: Unit, fields: InitiativeFields, files: FileChanges | None = None
) -> Initiative:
    """A new draft for the unit (drafts can be prepared at any time; submitting is gated)."""
    files = files or FileChanges()
    _check_fields(fields, contest)
    end_transaction()  # nothing written yet; process the pictures without holding a lock
    images, documents = _prepare_files((0, 0), files)
    now = clock.now()
    initiative = Initiative(
        contest=contest,
        unit=unit,
        created_by_id=actor.id,
        status=InitiativeStatus.DRAFT,
        title=fields.title.strip(),
        created_at=now,
        updated_at=now,
    )
    _set_fields(initiative, fields)
    db.session.add(initiative)
    written, to_delete = _apply_files(initiative, files, images, documents)
    add_event(initiative, actor, "create", to_status=InitiativeStatus.DRAFT.value)
    _commit_with_files(written, to_delete)
    return initiative


def update_initiative(
    actor: User, initiative: Initiative, fields: InitiativeFields, files: FileChanges | None = None
) -> Initiative:
    """Edit a draft or a returned initiative; after submission it is locked."""
    if not initiative.editable:
        raise InitiativeProblem([("status", "locked")])
    files = files or FileChanges()
    _check_fields(fields, initiative.contest)
    existing = (len(initiative.images), len(initiative.documents))
    if files.new_images or files.new_documents:
        end_transaction()  # nothing written yet; process the files without holding a lock
    images, documents = _prepare_files(existing, files)
    changed = _set_fields(initiative, fields)
    written, to_delete = _apply_files(initiative, files, images, documents)
    initiative.updated_at = clock.now()
    file_changes = {
        "images_added": len(written[0]),
        "images_removed": len(to_delete[0]),
        "documents_added": len(written[1]),
        "documents_removed": len(to_delete[1]),
    }
    if changed or any(file_changes.values()):
        add_event(
            initiative,
            actor,
            "edit",
            changes={"fields": changed, **{k: v for k, v in file_changes.items() if v}},
        )
    _commit_with_files(written, to_delete)
    return initiative


def _change_status(actor: User, initiative: Initiative, action: str, reason: str = "") -> None:
    before = initiative.status.value
    try:
        after = rules.next_status(action, before)
    except rules.TransitionRefused as exc:
        raise InitiativeProblem([("status", "transition")]) from exc
    now = clock.now()
    initiative.status = InitiativeStatus(after)
    initiative.updated_at = now
    if after == InitiativeStatus.SUBMITTED:
        initiative.submitted_at = now
    if after == InitiativeStatus.PUBLISHED:
        initiative.published_at = now
    add_event(initiative, actor, action, from_status=before, to_status=after, reason=reason)
    db.session.flush()
    forget_gallery_filters(initiative.contest_id)
    record_audit(
        actor,
        f"initiative.{action}",
        "initiative",
        initiative.id,
        before={"status": before},
        after={"status": after, "reason": reason} if reason else {"status": after},
    )


def submission_facts(initiative: Initiative) -> rules.SubmissionFacts:
    return rules.SubmissionFacts(
        title=initiative.title,
        summary=initiative.summary,
        problem=initiative.problem,
        solution=initiative.solution,
        results=initiative.results,
        category_id=initiative.category_id,
        contact_name=initiative.contact_name,
        image_count=len(initiative.images),
        document_count=len(initiative.documents),
        video_url=initiative.video_url,
    )


def submit_initiative(actor: User, initiative: Initiative) -> None:
    """Submit while the submission window is open; a returned one may be resubmitted until judging closes."""
    contest = initiative.contest
    if initiative.status == InitiativeStatus.RETURNED:
        judging = contest.stage(StageKind.JUDGING)
        window_ok = judging is None or clock.now() < judging.closes_at
    else:
        window_ok = is_stage_open(contest, StageKind.SUBMISSION)
    if not window_ok:
        raise InitiativeProblem([("status", "window_closed")])
    problems = rules.submission_problems(submission_facts(initiative))
    if problems:
        raise InitiativeProblem(problems)
    _change_status(actor, initiative, "submit")
    db.session.commit()


def withdraw_initiative(actor: User, initiative: Initiative, reason: str = "") -> None:
    _change_status(actor, initiative, "withdraw", reason.strip())
    db.session.commit()


def review_initiative(actor: User, initiative: Initiative, decision: str, reason: str = "") -> None:
    """An organizer publishes, returns for revision or rejects; the unit sees the reason."""
    if decision not in rules.REVIEW_DECISIONS:
        raise InitiativeProblem([("decision", "unknown_decision")])
    if decision in ("return", "reject") and not reason.strip():
        raise InitiativeProblem([("reason", "reason_required")])
    _change_status(actor, initiative, decision, reason.strip())
    db.session.commit()


def bulk_publish(actor: User, initiative_ids: list[int]) -> int:
    """Publish every submitted initiative among the ids, in one transaction; returns how many."""
    rows = db.session.scalars(
        select(Initiative).where(
            Initiative.id.in_(initiative_ids), Initiative.status == InitiativeStatus.SUBMITTED
        )
    ).all()
    for initiative in rows:
        _change_status(actor, initiative, "publish")
    db.session.commit()
    return len(rows)


# --- categories -------------------------------------------------------------------------------


def categories(contest: Contest, *, active_only: bool = True) -> list[Category]:
    stmt = (
        select(Category).where(Category.contest_id == contest.id).order_by(Category.position, Category.name)
    )
    if active_only:
        stmt = stmt.where(Category.active.is_(True))
    return list(db.session.scalars(stmt))


def save_category(
    actor: User,
    contest: Contest,
    *,
    name: str,
    name_en: str,
    position: int,
    active: bool,
    category: Category | None = None,
) -> Category:
    slug = "-".join(fold(name).split())[:60]
    clash = db.session.scalar(
        select(Category.id).where(Category.contest_id == contest.id, Category.slug == slug)
    )
    if clash and (category is None or clash != category.id):
        raise InitiativeProblem([("name", "category_exists")])
    before = None
    if category is None:
        category = Category(
            contest_id=contest.id,
            slug=slug,
            name=name.strip(),
            name_en=name_en.strip(),
            position=position,
            active=active,
        )
        db.session.add(category)
    else:
        before = {
            "name": category.name,
            "name_en": category.name_en,
            "position": category.position,
            "active": category.active,
        }
        category.slug, category.name, category.name_en = slug, name.strip(), name_en.strip()
        category.position, category.active = position, active
    db.session.flush()
    after = {
        "name": category.name,
        "name_en": category.name_en,
        "position": category.position,
        "active": category.active,
    }
    if before != after:
        record_audit(actor, "category.save", "category", category.id, before=before, after=after)
    db.session.commit()
    forget_gallery_filters(contest.id)
    return category


# --- reading ----------------------------------------------------------------------------------

SORTS = ("newest", "likes", "comments", "random")


@dataclass(frozen=True)
class GalleryQuery:
    q: str = ""
    category_id: int | None = None
    unit_id: int | None = None
    sort: str = "newest"
    seed: int = 0
    page: int = 1
    per_page: int = 12


class RowPagination(SelectPagination):
    """Flask-SQLAlchemy's pagination over plain rows (not ORM objects): a card needs no more.

    The total comes from `count_select` when given: a count over the filtered table alone, without
    the card's joins and picture subquery (five times cheaper on SQLite with 1,000 initiatives).
    """

    def _query_items(self) -> list:
        select_ = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select_).all())

    def _query_count(self) -> int:
        count_select = self._query_args.get("count_select")
        if count_select is None:
            return super()._query_count()
        return self._query_args["session"].execute(count_select).scalar_one()


@dataclass(frozen=True)
class GalleryFilters:
    """The gallery's filter choices as plain tuples: units (id, name), fields (id, name, name_en)."""

    units: tuple[tuple[int, str], ...]
    categories: tuple[tuple[int, str, str], ...]


def _filters_key(contest_id: int) -> str:
    return f"gallery-filters:{contest_id}"


def gallery_filters(contest: Contest) -> GalleryFilters:
    """Units with a published initiative in the contest and its active fields.

    Two queries the busiest page would otherwise run on every request, kept for
    GALLERY_FILTERS_SECONDS in Flask-Caching. Publishing, withdrawing and saving a field forget them
    at once in this process (and everywhere when the cache is shared, e.g. Redis); a renamed unit
    shows its new name in the list within that time.
    """
    key = _filters_key(contest.id)
    timeout = current_app.config["GALLERY_FILTERS_SECONDS"]
    filters = cache.get(key) if timeout > 0 else None
    if filters is None:
        units = db.session.execute(
            select(Unit.id, Unit.name)
            .where(
                Unit.id.in_(
                    select(Initiative.unit_id).where(
                        Initiative.contest_id == contest.id,
                        Initiative.status == InitiativeStatus.PUBLISHED,
                    )
                )
            )
            .order_by(Unit.name)
        ).all()
        categories = db.session.execute(
            select(Category.id, Category.name, Category.name_en)
            .where(Category.contest_id == contest.id, Category.active.is_(True))
            .order_by(Category.position, Category.name)
        ).all()
        filters = GalleryFilters(
            units=tuple((u.id, u.name) for u in units),
            categories=tuple((c.id, c.name, c.name_en) for c in categories),
        )
        if timeout > 0:
            cache.set(key, filters, timeout=timeout)
    return filters


def forget_gallery_filters(contest_id: int) -> None:
    cache.delete(_filters_key(contest_id))


def gallery(contest: Contest, query: GalleryQuery) -> RowPagination:
    """One page of published initiatives as card rows: two queries, whatever the page size.

    Each row has id, title, summary, status, like_count, comment_count, published_at, unit_id,
    unit_name, category_name, category_name_en and cover_token (the first picture).
    """
    cover = (
        select(InitiativeImage.token)
        .where(InitiativeImage.initiative_id == Initiative.id)
        .order_by(InitiativeImage.position, InitiativeImage.id)
        .limit(1)
        .correlate(Initiative)
        .scalar_subquery()
    )
    stmt = (
        select(
            Initiative.id,
            Initiative.title,
            Initiative.summary,
            Initiative.status,
            Initiative.like_count,
            Initiative.comment_count,
            Initiative.published_at,
            Unit.id.label("unit_id"),
            Unit.name.label("unit_name"),
            Category.name.label("category_name"),
            Category.name_en.label("category_name_en"),
            cover.label("cover_token"),
        )
        .join(Unit, Unit.id == Initiative.unit_id)
        .outerjoin(Category, Category.id == Initiative.category_id)
    )
    conditions = [Initiative.contest_id == contest.id, Initiative.status == InitiativeStatus.PUBLISHED]
    terms = rules.search_terms(query.q)
    if terms:
        conditions.append(and_(*(Initiative.search_text.like(f"%{term}%") for term in terms)))
    if query.category_id:
        conditions.append(Initiative.category_id == query.category_id)
    if query.unit_id:
        conditions.append(Initiative.unit_id == query.unit_id)
    stmt = stmt.where(*conditions)
    if query.sort == "likes":
        stmt = stmt.order_by(
            Initiative.like_count.desc(), Initiative.published_at.desc(), Initiative.id.desc()
        )
    elif query.sort == "comments":
        stmt = stmt.order_by(
            Initiative.comment_count.desc(), Initiative.published_at.desc(), Initiative.id.desc()
        )
    elif query.sort == "random":
        # 64-bit arithmetic on PostgreSQL too (the product overflows a 32-bit integer).
        big = BigInteger()
        key = (
            cast(Initiative.id, big) * literal(rules.RANDOM_MULTIPLIER, big) + literal(query.seed, big)
        ) % literal(rules.RANDOM_MODULUS, big)
        stmt = stmt.order_by(key, Initiative.id)
    else:
        stmt = stmt.order_by(Initiative.published_at.desc(), Initiative.id.desc())
    return RowPagination(
        select=stmt,
        # Every initiative has a unit (NOT NULL foreign key), so the join cannot change the count.
        count_select=select(func.count()).select_from(Initiative).where(*conditions),
        session=db.session(),
        page=max(query.page, 1),
        per_page=min(max(query.per_page, 1), 60),
        error_out=False,
    )


def initiatives_of_units(unit_ids: list[int], contest: Contest | None = None) -> list[Initiative]:
    stmt = (
        select(Initiative)
        .where(Initiative.unit_id.in_(unit_ids))
        .options(
            joinedload(Initiative.unit), joinedload(Initiative.category), selectinload(Initiative.images)
        )
        .order_by(Initiative.updated_at.desc())
    )
    if contest is not None:
        stmt = stmt.where(Initiative.contest_id == contest.id)
    return list(db.session.scalars(stmt).unique())


def review_queue(contest: Contest, status: str | None):
    stmt = (
        select(Initiative)
        .where(Initiative.contest_id == contest.id)
        .options(
            joinedload(Initiative.unit), joinedload(Initiative.category), selectinload(Initiative.images)
        )
        .order_by(Initiative.submitted_at.asc().nulls_last(), Initiative.id)
    )
    if status:
        stmt = stmt.where(Initiative.status == status)
    return list(db.session.scalars(stmt).unique())


def status_counts(contest: Contest) -> dict[str, int]:
    rows = db.session.execute(
        select(Initiative.status, func.count())
        .where(Initiative.contest_id == contest.id)
        .group_by(Initiative.status)
    )
    return {str(status): count for status, count in rows}
