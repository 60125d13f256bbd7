"""The Vietnamese demo contest: a district, its units, accounts for every role, a living timeline.

Idempotent: units, accounts and the contest are created when missing and left alone when
present, so running it twice changes nothing. `recenter=True` moves the stage windows
back around today (useful when an old demo database is reopened weeks later).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app import clock
from app.audit.service import record_audit
from app.auth.rules import fold
from app.demo.engagement import seed_engagement
from app.demo.initiatives import seed_initiatives
from app.demo.judging import seed_judging
from models import Contest, RoleGrant, RoleName, Stage, StageKind, Unit, UnitKind, User, db

DEMO_PASSWORD = "demo-2025"  # noqa: S105 - the published demo password
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")

# code, name, kind, parent code, headcount
UNITS: list[tuple[str, str, UnitKind, str | None, int]] = [
    ("UH", "Huyện Ứng Hòa", UnitKind.DISTRICT, None, 0),
    ("UH-VD", "Thị trấn Vân Đình", UnitKind.COMMUNE, "UH", 9200),
    ("UH-CT", "Xã Cao Thành", UnitKind.COMMUNE, "UH", 4100),
    ("UH-SC", "Xã Sơn Công", UnitKind.COMMUNE, "UH", 4600),
    ("UH-DT", "Xã Đồng Tiến", UnitKind.COMMUNE, "UH", 5200),
    ("UH-HS", "Xã Hoa Sơn", UnitKind.COMMUNE, "UH", 4800),
    ("UH-VA", "Xã Viên An", UnitKind.COMMUNE, "UH", 5500),
    ("UH-DB", "Xã Đội Bình", UnitKind.COMMUNE, "UH", 4300),
    ("UH-LB", "Xã Liên Bạt", UnitKind.COMMUNE, "UH", 6100),
    ("UH-PT", "Xã Phương Tú", UnitKind.COMMUNE, "UH", 7400),
    ("UH-TT", "Xã Trường Thịnh", UnitKind.COMMUNE, "UH", 3900),
    ("UH-HX", "Xã Hòa Xá", UnitKind.COMMUNE, "UH", 3500),
    ("UH-DH", "Xã Đại Hùng", UnitKind.COMMUNE, "UH", 4000),
    ("UH-VP", "Văn phòng HĐND và UBND huyện", UnitKind.DEPARTMENT, "UH", 65),
    ("UH-VHTT", "Phòng Văn hóa và Thông tin", UnitKind.DEPARTMENT, "UH", 18),
    ("UH-NV", "Phòng Nội vụ", UnitKind.DEPARTMENT, "UH", 16),
    ("UH-TCKH", "Phòng Tài chính – Kế hoạch", UnitKind.DEPARTMENT, "UH", 22),
    ("UH-GDDT", "Phòng Giáo dục và Đào tạo", UnitKind.DEPARTMENT, "UH", 25),
    ("UH-NN", "Phòng Nông nghiệp và Phát triển nông thôn", UnitKind.DEPARTMENT, "UH", 20),
    ("UH-YT", "Trung tâm Y tế huyện Ứng Hòa", UnitKind.DEPARTMENT, "UH", 420),
    ("UH-THPT-A", "Trường THPT Ứng Hòa A", UnitKind.SCHOOL, "UH-GDDT", 1450),
    ("UH-THPT-B", "Trường THPT Ứng Hòa B", UnitKind.SCHOOL, "UH-GDDT", 1300),
    ("UH-THCS-VD", "Trường THCS Thị trấn Vân Đình", UnitKind.SCHOOL, "UH-GDDT", 980),
    ("UH-TH-LB", "Trường Tiểu học Liên Bạt", UnitKind.SCHOOL, "UH-GDDT", 760),
    ("UH-LB-NS", "Chi bộ thôn Nhân Sở", UnitKind.PARTY_CELL, "UH-LB", 48),
    ("UH-DTN", "Huyện đoàn Ứng Hòa", UnitKind.OTHER, "UH", 2600),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    unit: str | None
    phone: str | None = None
    role: RoleName | None = None
    role_unit: str | None = None


ACCOUNTS: list[DemoAccount] = [
    DemoAccount("btc@demo.vn", "Nguyễn Thị Hồng Nhung", "UH-VP", "0912000001", RoleName.ORGANIZER),
    DemoAccount("donvi1@demo.vn", "Trần Văn Hùng", "UH-VD", "0912000011", RoleName.UNIT_REP, "UH-VD"),
    DemoAccount("donvi2@demo.vn", "Lê Thị Thu Hà", "UH-LB", "0912000012", RoleName.UNIT_REP, "UH-LB"),
    DemoAccount("donvi3@demo.vn", "Phạm Quốc Khánh", "UH-VHTT", "0912000013", RoleName.UNIT_REP, "UH-VHTT"),
    DemoAccount("bgk1@demo.vn", "PGS.TS. Đỗ Minh Tuấn", "UH-VP", None, RoleName.JUDGE),
    DemoAccount("bgk2@demo.vn", "ThS. Vũ Thị Lan Anh", "UH-GDDT", None, RoleName.JUDGE),
    DemoAccount("bgk3@demo.vn", "Hoàng Đức Thắng", "UH-TCKH", None, RoleName.JUDGE),
    DemoAccount("bgk4@demo.vn", "Ngô Thị Bích Ngọc", "UH-NV", None, RoleName.JUDGE),
    DemoAccount("bgk5@demo.vn", "Bùi Văn Long", "UH-NN", None, RoleName.JUDGE),
]

CITIZENS = [
    ("Nguyễn Văn An", "UH-VD"),
    ("Trần Thị Bình", "UH-VD"),
    ("Lê Hoàng Cường", "UH-CT"),
    ("Phạm Thị Dung", "UH-SC"),
    ("Hoàng Văn Đức", "UH-DT"),
    ("Vũ Thị Giang", "UH-HS"),
    ("Đặng Minh Hải", "UH-VA"),
    ("Bùi Thị Hạnh", "UH-DB"),
    ("Đỗ Văn Khoa", "UH-LB"),
    ("Ngô Thị Lan", "UH-LB"),
    ("Dương Văn Mạnh", "UH-PT"),
    ("Lý Thị Ngân", "UH-TT"),
    ("Phan Văn Phúc", "UH-HX"),
    ("Trịnh Thị Quỳnh", "UH-DH"),
    ("Đinh Văn Sơn", "UH-THPT-A"),
    ("Mai Thị Thảo", "UH-THPT-B"),
    ("Tạ Văn Toàn", "UH-YT"),
    ("Cao Thị Uyên", "UH-DTN"),
    ("Lương Văn Vinh", "UH-LB-NS"),
    ("Kiều Thị Yến", None),
]


def _local(day: datetime, hour: int) -> datetime:
    """That day at hour:00 in Vietnam, as UTC."""
    local = day.astimezone(LOCAL).replace(hour=hour, minute=0, second=0, microsecond=0)
    return local.astimezone(ZoneInfo("UTC"))


def demo_windows(now: datetime) -> dict[StageKind, tuple[datetime, datetime]]:
    """A living contest: submission closed, voting and judging open, quiz in its second week, final ahead."""
    d = timedelta(days=1)
    return {
        StageKind.QUIZ: (_local(now - 10 * d, 8), _local(now + 18 * d, 20)),
        StageKind.SUBMISSION: (_local(now - 45 * d, 8), _local(now - 5 * d, 17)),
        StageKind.VOTING: (_local(now - 4 * d, 8), _local(now + 10 * d, 20)),
        StageKind.JUDGING: (_local(now - 2 * d, 8), _local(now + 12 * d, 17)),
        StageKind.FINAL: (_local(now + 25 * d, 8), _local(now + 25 * d, 22)),
    }


def seed_demo(*, recenter: bool = False) -> dict[str, int]:
    """Create what is missing of the demo; returns how many rows of each kind were added."""
    added = {"units": 0, "accounts": 0, "contests": 0}
    now = clock.now()
    units: dict[str, Unit] = {u.code: u for u in db.session.scalars(select(Unit))}
    for code, name, kind, parent, headcount in UNITS:
        if code not in units:
            unit = Unit(code=code, name=name, kind=kind, headcount=headcount, created_at=now)
            unit.parent = units.get(parent) if parent else None
            db.session.add(unit)
            units[code] = unit
            added["units"] += 1
    db.session.flush()

    password_hash = generate_password_hash(DEMO_PASSWORD)
    accounts = list(ACCOUNTS) + [
        DemoAccount(f"dan{i}@demo.vn", name, unit, f"09870{i:05d}")
        for i, (name, unit) in enumerate(CITIZENS, 1)
    ]
    existing = set(db.session.scalars(select(User.email).where(User.email.like("%@demo.vn"))))
    for account in accounts:
        if account.email in existing:
            continue
        user = User(
            full_name=account.name,
            name_folded=fold(account.name),
            email=account.email,
            phone=f"+84{account.phone[1:]}" if account.phone else None,
            password_hash=password_hash,
            unit=units.get(account.unit) if account.unit else None,
            unit_confirmed_at=now if account.unit else None,
            verified_at=now,
            verified_via="demo",
            created_at=now,
        )
        db.session.add(user)
        if account.role:
            role_unit = units.get(account.role_unit) if account.role_unit else None
            db.session.add(RoleGrant(user=user, role=account.role, unit=role_unit, granted_at=now))
        added["accounts"] += 1
    db.session.flush()

    year = now.astimezone(LOCAL).year
    contest = db.session.scalar(select(Contest).where(Contest.slug == f"chuyen-doi-so-{year}"))
    if contest is None:
        contest = Contest(
            slug=f"chuyen-doi-so-{year}",
            name="Chuyển đổi số – Vững bước tiến vào kỷ nguyên mới",
            year=year,
            organizer_name="Huyện ủy Ứng Hòa",
            description=(
                "Cuộc thi do Huyện ủy Ứng Hòa phát động đến toàn thể cán bộ, đảng viên, công "
                "chức, viên chức và nhân dân, gồm ba giai đoạn: thi trực tuyến tìm hiểu về chuyển"
                " đổi số (20 câu hỏi trắc nghiệm và 1 câu hỏi tự luận); xây dựng các mô hình, "
                "sáng kiến ứng dụng chuyển đổi số tại các cơ quan, địa phương, đơn vị; và thi sân"
                " khấu hóa, lựa chọn những mô hình tiêu biểu để tuyên truyền, nhân rộng trong "
                "toàn huyện."
            ),
            created_at=now,
        )
        db.session.add(contest)
        added["contests"] += 1
        recenter = True
    if recenter:
        for kind, (opens_at, closes_at) in demo_windows(now).items():
            stage = contest.stage(kind)
            if stage is None:
                contest.stages.append(Stage(kind=kind, opens_at=opens_at, closes_at=closes_at))
            else:
                stage.opens_at, stage.closes_at = opens_at, closes_at
    added["initiatives"] = seed_initiatives(contest, units, now)
    added |= seed_engagement(contest, units, now, password_hash)
    added |= seed_judging(contest, units, now)
    if any(added.values()) or recenter:
        db.session.flush()
        record_audit(
            None,
            "demo.seed",
            "contest",
            contest.id,
            after=added | {"recenter": recenter},
            actor_label="cli:demo-seed",
        )
    db.session.commit()
    return added


def database_is_empty() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is None
