"""The demo's expert judging: the default rubric, five judges reviewing, one stored ranking run.

What an organizer meets two days into the judging window: the five demo judges (bgk1…bgk5@demo.vn)
are on the panel, each from a unit of the district (so the rule that a judge never scores his or
her own unit's initiative shows), assigned every published initiative ("all" mode). They have
reviewed about 85 % of their assignments, a few reviews are still drafts, and one judge declared a
conflict of interest with a reason. One judge scores harder and one more leniently than the rest,
so the calibrated expert score has something to correct. A few reviews carry a private note. One
ranking run is stored, not published, so the organizer's runs page is not empty and the results
page still says the results are not out.

Everything goes through app/judging/service.py, as the pages would: each review is saved by
`save_review` at a moment inside the judging window (the clock is moved there and back), so
every score change is in the audit log. The rubric and the panel are set up the day before the
window opened, when the rubric is not locked yet. Deterministic for a given `now`.

Idempotent: the rubric is installed when the contest has no criterion; the panel, settings and
assignments when the panel is empty; the reviews and the conflict once, when the contest has no
review and no conflict; the run when the contest has none.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app import clock
from app.judging import service
from models import (
    Assignment,
    Contest,
    Initiative,
    RankingRun,
    Review,
    StageKind,
    Unit,
    User,
    db,
)

SEED = 20_251_201
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
ORGANIZER_EMAIL = "btc@demo.vn"
# Each judge's habit: how far above or below the panel he or she scores (a share of the maximum).
JUDGES = {
    "bgk1@demo.vn": 0.0,
    "bgk2@demo.vn": 0.02,
    "bgk3@demo.vn": -0.08,  # the strict one
    "bgk4@demo.vn": -0.02,
    "bgk5@demo.vn": 0.06,  # the lenient one
}
REVIEWED = 0.85  # share of the assignments reviewed so far
DRAFT = 0.06  # of those, still drafts
NOTE = 0.15  # reviews with a private note
CONFLICT_JUDGE = "bgk2@demo.vn"  # from the education department: the school's initiative is hers to avoid
CONFLICT_TITLE = "Trường THPT Ứng Hòa A"
CONFLICT_REASON = (
    "Tôi là cán bộ Phòng Giáo dục và Đào tạo trực tiếp hướng dẫn nhà trường xây dựng mô hình này "
    "từ năm học trước, nên xin không tham gia chấm."
)
NOTES = [
    "Mô hình thiết thực, người dân dùng được ngay. Cần bổ sung số liệu sau 6 tháng vận hành.",
    "Chi phí duy trì hằng năm chưa rõ; đề nghị đơn vị làm rõ khi thuyết trình ở vòng chung kết.",
    "Đã đi xem thực tế ngày 12/11: cán bộ thao tác thành thạo, hồ sơ lưu trữ gọn gàng.",
    "Ý tưởng hay nhưng khả năng nhân rộng phụ thuộc nhiều vào hạ tầng mạng của các thôn.",
    "Trùng một phần với ứng dụng của tỉnh; cần nêu rõ điểm mới so với hệ thống hiện có.",
    "Số liệu trong thuyết minh chưa khớp với báo cáo của UBND xã, cần hỏi lại đơn vị.",
    "Nên kết hợp với tổ công nghệ số cộng đồng để hướng dẫn người cao tuổi.",
    "Hiệu quả rõ ở khâu quản lý; tác động đến người dân chưa được đo lường cụ thể.",
    "Cách làm sáng tạo, chi phí thấp. Có thể đề xuất nhân rộng ra các xã lân cận.",
    "Hồ sơ minh chứng đầy đủ, có xác nhận của đơn vị chủ quản.",
]


@contextmanager
def _at(moment: datetime) -> Iterator[None]:
    """Run the block with the app clock at `moment`, then put it back (frozen or not, as it was)."""
    delta = moment - clock.now()
    clock.travel(delta)
    try:
        yield
    finally:
        clock.travel(-delta)


@dataclass(frozen=True)
class _Step:
    at: datetime
    judge: User
    initiative: Initiative
    scores: dict[int, float]
    note: str
    submit: bool
    conflict: bool = False


def seed_judging(contest: Contest, units_by_code: dict[str, Unit], now: datetime) -> dict[str, int]:
    """Set up judging once and return what was added. Commits through the judging operations."""
    added = {"reviews": 0, "drafts": 0, "conflicts": 0, "runs": 0}
    stage = contest.stage(StageKind.JUDGING) if contest.id is not None else None
    organizer = db.session.scalar(select(User).where(User.email == ORGANIZER_EMAIL))
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(list(JUDGES))))}
    if stage is None or organizer is None or len(users) < len(JUDGES):
        return added
    judges = [users[email] for email in JUDGES]

    # The day before the window opened, the organizers prepared the rubric and the panel.
    with _at(min(now, stage.opens_at - timedelta(hours=20))):
        if not service.rubric(contest):
            service.install_default_rubric(organizer, contest)
        if not service.panel(contest):
            _give_units(judges, units_by_code)
            service.update_settings(organizer, contest, assignment_mode="all")
            for judge in judges:
                service.add_panel_member(organizer, contest, judge)
            service.assign_work(organizer, contest)

    if now > stage.opens_at and not _has_reviews(contest):
        rng = random.Random(SEED)
        low = stage.opens_at + timedelta(hours=1)
        high = min(now, stage.closes_at) - timedelta(minutes=5)
        for step in _plan(rng, contest, judges, low, high):
            with _at(step.at):
                if step.conflict:
                    service.declare_conflict(step.judge, step.initiative, CONFLICT_REASON)
                    added["conflicts"] += 1
                    continue
                service.save_review(step.judge, step.initiative, step.scores, step.note, submit=step.submit)
            added["reviews"] += 1
            added["drafts"] += not step.submit

    if service.rubric(contest) and not _has_run(contest):
        service.run_ranking(organizer, contest)
        added["runs"] += 1
    return added


def _give_units(judges: list[User], units_by_code: dict[str, Unit]) -> None:
    """Judges created before they had a unit in the demo get the one seed.ACCOUNTS gives them."""
    from app.demo.seed import ACCOUNTS

    wanted = {a.email: a.unit for a in ACCOUNTS if a.unit}
    for judge in judges:
        code = wanted.get(judge.email)
        if judge.unit_id is None and code in units_by_code:
            judge.unit = units_by_code[code]
            judge.unit_confirmed_at = clock.now()
    db.session.flush()


def _has_reviews(contest: Contest) -> bool:
    contest_items = select(Initiative.id).where(Initiative.contest_id == contest.id)
    reviews = db.session.scalar(select(func.count(Review.id)).where(Review.initiative_id.in_(contest_items)))
    conflicts = db.session.scalar(
        select(func.count(Assignment.id)).where(
            Assignment.initiative_id.in_(contest_items), Assignment.conflict_at.is_not(None)
        )
    )
    return bool(reviews or conflicts)


def _has_run(contest: Contest) -> bool:
    found = db.session.scalar(select(RankingRun.id).where(RankingRun.contest_id == contest.id).limit(1))
    return found is not None


def _moment(rng: random.Random, start: datetime, end: datetime, low: datetime, high: datetime) -> datetime:
    """A moment between start and end, moved into the working day (7:30–22:00 in Vietnam)."""
    moment = start + (end - start) * rng.random()
    local = moment.astimezone(LOCAL)
    if not 7 <= local.hour < 22:
        local = local.replace(hour=rng.randint(8, 21), minute=rng.randint(0, 59))
    return min(max(local.astimezone(ZoneInfo("UTC")), low), high)


def _plan(rng: random.Random, contest: Contest, judges: list[User], low, high) -> list[_Step]:
    """Every review to write, in time order: who, what, when, which scores, draft or submitted."""
    criteria = service.rubric(contest)
    items = service.judged_initiatives(contest)
    # Moments draw from their own generator: how many draws a moment takes depends on the hour the
    # demo is seeded at, and must not change who reviewed what.
    times = random.Random(rng.random())
    # How good each initiative is (the panel broadly agrees), and where it is stronger or weaker.
    quality = {i.id: rng.uniform(0.52, 0.9) for i in items}
    leaning = {(i.id, c.id): rng.gauss(0, 0.06) for i in items for c in criteria}
    steps = []
    for judge in judges:
        bias = JUDGES[judge.email]
        assigned = [line.initiative for line in service.judge_assignments(judge, contest)]
        for initiative in assigned:
            if judge.email == CONFLICT_JUDGE and CONFLICT_TITLE in initiative.title:
                # She steps aside early in the window, before looking at the scores.
                at = _moment(times, low, low + (high - low) / 4, low, high)
                steps.append(_Step(at, judge, initiative, {}, "", False, conflict=True))
                continue
            if rng.random() >= REVIEWED:
                continue
            submit = rng.random() >= DRAFT
            scores = {}
            for c in criteria:
                share = quality[initiative.id] + leaning[(initiative.id, c.id)] + bias + rng.gauss(0, 0.05)
                scores[c.id] = min(max(round(share * c.max_score * 2) / 2, 0), c.max_score)  # half points
            if not submit:  # a draft: the judge has scored the first criteria only
                scores = dict(list(scores.items())[: rng.randint(2, len(criteria) - 1)])
            note = rng.choice(NOTES) if rng.random() < NOTE else ""
            steps.append(_Step(_moment(times, low, high, low, high), judge, initiative, scores, note, submit))
    return sorted(steps, key=lambda s: (s.at, s.judge.id, s.initiative.id))
