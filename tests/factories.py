"""Small builders for test data; one password hash is computed once and shared."""

from __future__ import annotations

import itertools
from datetime import timedelta

from werkzeug.security import generate_password_hash

from app import clock
from app.auth.rules import fold
from models import (
    Category,
    Contest,
    Initiative,
    InitiativeStatus,
    RoleGrant,
    RoleName,
    Stage,
    StageKind,
    Unit,
    UnitKind,
    User,
    db,
)

PASSWORD = "Secret-pass-42"  # noqa: S105
_HASH = generate_password_hash(PASSWORD)
_seq = itertools.count(1)


def make_unit(
    name: str | None = None,
    *,
    code: str | None = None,
    parent: Unit | None = None,
    kind: UnitKind = UnitKind.COMMUNE,
    headcount: int = 100,
) -> Unit:
    n = next(_seq)
    unit = Unit(
        code=code or f"U{n}",
        name=name or f"Xã Thử Nghiệm {n}",
        kind=kind,
        parent=parent,
        headcount=headcount,
        created_at=clock.now(),
    )
    db.session.add(unit)
    db.session.commit()
    return unit


def make_user(
    *,
    email: str | None = None,
    phone: str | None = None,
    name: str | None = None,
    verified: bool = True,
    role: RoleName | None = None,
    unit: Unit | None = None,
    rep_of: Unit | None = None,
    active: bool = True,
) -> User:
    n = next(_seq)
    full_name = name or f"Nguyễn Văn Thử {n}"
    user = User(
        full_name=full_name,
        name_folded=fold(full_name),
        email=email if email is not None else f"user{n}@example.vn",
        phone=phone,
        password_hash=_HASH,
        unit=unit,
        verified_at=clock.now() if verified else None,
        verified_via="test" if verified else None,
        active=active,
        created_at=clock.now(),
    )
    db.session.add(user)
    if role:
        db.session.add(
            RoleGrant(
                user=user,
                role=role,
                unit=rep_of if role == RoleName.UNIT_REP else None,
                granted_at=clock.now(),
            )
        )
    db.session.commit()
    return user


def make_contest(*, name: str = "Chuyển đổi số 2026", year: int | None = None) -> Contest:
    """A contest with every stage: submission closed, voting and judging open, final ahead."""
    now = clock.now()
    d = timedelta(days=1)
    contest = Contest(
        slug=f"cds-{next(_seq)}",
        name=name,
        year=year or now.year,
        description="Mô tả",
        organizer_name="Huyện ủy",
        created_at=now,
    )
    windows = {
        StageKind.QUIZ: (now - 10 * d, now + 18 * d),
        StageKind.SUBMISSION: (now - 40 * d, now - 5 * d),
        StageKind.VOTING: (now - 4 * d, now + 10 * d),
        StageKind.JUDGING: (now - 2 * d, now + 12 * d),
        StageKind.FINAL: (now + 25 * d, now + 26 * d),
    }
    for kind, (opens, closes) in windows.items():
        contest.stages.append(Stage(kind=kind, opens_at=opens, closes_at=closes))
    db.session.add(contest)
    db.session.commit()
    return contest


def jpeg_bytes(width: int = 640, height: int = 480, color=(20, 110, 190)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG")
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def make_category(contest: Contest, name: str = "Chính quyền số", slug: str | None = None) -> Category:
    category = Category(
        contest_id=contest.id, slug=slug or f"cat-{next(_seq)}", name=name, name_en="Digital government"
    )
    db.session.add(category)
    db.session.commit()
    return category


def make_initiative(
    contest: Contest,
    unit: Unit,
    *,
    status: InitiativeStatus = InitiativeStatus.PUBLISHED,
    title: str | None = None,
    category: Category | None = None,
    images: int = 1,
    documents: int = 0,
    author: User | None = None,
    likes: int = 0,
) -> Initiative:
    """A complete initiative through the real operation (files included), then put in `status`."""
    from app.initiatives import service

    category = category or make_category(contest)
    author = author or make_user(role=RoleName.ORGANIZER)
    fields = service.InitiativeFields(
        title=title or f"Sáng kiến chuyển đổi số {next(_seq)}",
        summary="Số hóa hồ sơ một cửa giúp người dân tiết kiệm thời gian.",
        problem="Hồ sơ giấy chậm.",
        solution="Số hóa toàn bộ.",
        results="Giảm 60% thời gian xử lý.",
        cost="30 triệu đồng",
        category_id=category.id,
        contact_name="Nguyễn Văn Thành",
    )
    files = service.FileChanges(
        new_images=[service.IncomingFile(f"anh{i}.jpg", jpeg_bytes()) for i in range(images)],
        new_documents=[service.IncomingFile(f"bao-cao-{i}.pdf", PDF_BYTES) for i in range(documents)],
    )
    initiative = service.create_initiative(author, contest, unit, fields, files)
    if status != InitiativeStatus.DRAFT:
        now = clock.now()
        initiative.status = status
        initiative.submitted_at = now
        if status == InitiativeStatus.PUBLISHED:
            initiative.published_at = now
    initiative.like_count = likes
    db.session.commit()
    return initiative


def make_judging(contest: Contest, *, judges: int = 3, mode: str = "all", k: int = 3) -> list[User]:
    """The default rubric and `judges` panel judges (each in a unit of his or her own), assigned."""
    from app.judging import service

    organizer = make_user(role=RoleName.ORGANIZER)
    locked = service.rubric_locked(contest)  # make_contest's judging window is already open
    if locked:
        service.unlock_rubric(organizer, contest, "Thiết lập thử nghiệm")
    service.install_default_rubric(organizer, contest)
    if locked:
        service.lock_rubric(organizer, contest)
    service.update_settings(organizer, contest, assignment_mode=mode, judges_per_initiative=k)
    panel = []
    for n in range(judges):
        judge = make_user(name=f"Giám Khảo {n + 1}", role=RoleName.JUDGE, unit=make_unit(f"Phòng {n + 1}"))
        service.add_panel_member(organizer, contest, judge)
        panel.append(judge)
    service.assign_work(organizer, contest)
    return panel


def full_scores(contest: Contest, fraction: float) -> dict[int, float]:
    """Every criterion of the contest's rubric scored at `fraction` of its maximum."""
    from app.judging import service

    return {c.id: round(c.max_score * fraction, 2) for c in service.rubric(contest)}
