"""The demo's public engagement: 2,000 more citizens and two weeks of likes, comments and views.

What an organizer meets after a fortnight of voting in a district: a few initiatives everyone
talks about and many with a modest following; comments with questions the unit answers; a spam
comment hidden by three reports and a sharp one with two open reports; daily views; snapshots of
the district fanpage and Zalo OA; and ONE suspicious burst — about 60 likes within half an hour on
a mid-table initiative, from accounts registered minutes before, 40 of them from one network
address — for the fraud review to find. Organic activity stays well below the burst: at most 9
likes per initiative in any clock hour, at most two accounts per address (a household).

Likes, comments and reports fall inside the voting window (the app refuses them outside it);
views cover the last 14 days. Rows are written in bulk with Core INSERTs, then every counter is
recomputed from them. Deterministic for a given `now` (one random.Random with a fixed seed).

Idempotent: citizens are added when their email is missing; the engagement is added once, when
the contest's initiatives have no engagement event and no view yet.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, insert, select, update

from app.auth.rules import fold
from app.demo.initiatives import ORGANIZER_EMAIL, REPRESENTATIVES
from app.engagement.rules import HIDE_AT_REPORTS, VIETNAM, salted_hash, view_day
from models import (
    Comment,
    CommentReport,
    CommentStatus,
    Contest,
    EngagementEvent,
    EventKind,
    ExternalEngagement,
    ExternalPlatform,
    Initiative,
    InitiativeStatus,
    InitiativeView,
    Like,
    StageKind,
    Unit,
    User,
    db,
)

SEED = 20_251_122
CITIZEN_COUNT = 2000
CITIZEN_EMAIL = "cd{:04d}@demo.vn"  # cd0001@demo.vn … cd2000@demo.vn
BURST_EMAIL = "tk{:02d}@demo.vn"  # the burst's fresh accounts: tk01@demo.vn … tk60@demo.vn
BURST_ACCOUNTS = 60
BURST_SHARED = 40  # of them from one network address
BURST_MINUTES = 30
BURST_RANK = 7  # the burst hits the 8th most popular initiative: a mid-table one
HOURLY_CAP = 9  # organic likes per initiative and clock hour: any 60 minutes stay under 20
LIKE_TOP, COMMENT_TOP, VIEW_TOP = 520, 22, 240  # the most popular initiative's likes, comments, daily views
VIEW_DAYS = 14
FANPAGE = "https://www.facebook.com/ubndhuyenungHoa/posts/{}"
ZALO_OA = "https://zalo.me/{}"

# Family names with rough frequencies in the north of Vietnam.
FAMILY = {
    "Nguyễn": 34,
    "Trần": 10,
    "Lê": 9,
    "Phạm": 7,
    "Hoàng": 5,
    "Vũ": 5,
    "Đỗ": 4,
    "Đặng": 3,
    "Bùi": 3,
    "Ngô": 2,
    "Dương": 2,
    "Đinh": 2,
    "Phan": 2,
    "Trịnh": 2,
    "Lương": 1,
    "Tạ": 1,
    "Nghiêm": 1,
    "Khúc": 1,
    "Kiều": 1,
    "Lưu": 1,
    "Cao": 1,
    "Mai": 1,
}
MIDDLE_MALE = ["Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Thành", "Duy", "Tiến", "Mạnh"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Phương", "Hồng", "Thùy", "Kim", "Bích"]
GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khánh", "Khoa",
    "Kiên", "Long", "Lâm", "Mạnh", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn",
    "Tài", "Thắng", "Thành", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ",
]  # fmt: skip
GIVEN_FEMALE = [
    "Anh", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Huyền", "Hương",
    "Lan", "Liên", "Linh", "Loan", "Mai", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Tâm",
    "Thảo", "Thủy", "Trang", "Uyên", "Vân", "Yến",
]  # fmt: skip

# Phones and computers of the district, with rough shares.
USER_AGENTS = [
    ("Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Mobile Safari/537.36", 6),
    ("Mozilla/5.0 (Linux; Android 12; CPH2365) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/123.0.0.0 Mobile Safari/537.36", 4),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.4 Mobile/15E148 Safari/604.1", 4),
    ("Mozilla/5.0 (Linux; Android 11; Redmi Note 10) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/122.0.0.0 Mobile Safari/537.36 Zalo android/12110301 ZaloTheme/light", 5),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Mobile/15E148 Zalo iOS/23.09.01", 3),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Safari/537.36", 3),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "coc_coc_browser/123.0.180 Chrome/117.0.5938.180 Safari/537.36", 2),
]  # fmt: skip
BURST_AGENT = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
BURST_ADDRESS = "171.236.58.203"
# First two octets of Vietnamese consumer networks (VNPT, Viettel, FPT).
NETWORKS = [(14, 160, 191), (113, 160, 191), (123, 16, 31), (27, 64, 79), (116, 96, 111), (171, 224, 255),
            (42, 112, 119), (118, 68, 71)]  # fmt: skip
# How busy each local hour is (00 … 23): quiet nights, a morning, a lunch break, busy evenings.
HOUR_WEIGHT = (1, 0.5, 0.3, 0.2, 0.3, 1, 3, 5, 6, 6, 5, 5, 6, 5, 4, 4, 5, 5, 6, 8, 10, 10, 7, 3)

# What citizens write; {unit} is the initiative's unit.
COMMENTS = [
    "Mô hình rất thiết thực, mong huyện sớm nhân rộng ra các xã khác.",
    "Tôi đã dùng thử, thao tác đơn giản, người lớn tuổi cũng làm được.",
    "Cách làm hay, bà con đỡ mất công đi lại nhiều lần.",
    "Ủng hộ {unit}! Cán bộ hướng dẫn rất nhiệt tình và chu đáo.",
    "Trước đây làm thủ tục phải đi mấy lần, giờ ngồi nhà cũng theo dõi được hồ sơ. Cảm ơn các cán bộ.",
    "Đề nghị làm thêm video hướng dẫn ngắn đăng lên nhóm Zalo của thôn để mọi người dễ làm theo.",
    "Chi phí không lớn mà hiệu quả rõ, rất phù hợp với điều kiện ở nông thôn.",
    "Nên để chữ to hơn trên điện thoại cho người cao tuổi dễ đọc.",
    "Chúc mô hình đạt giải cao! Đúng tinh thần chuyển đổi số vì người dân.",
    "Gia đình tôi dùng được hơn một tháng nay, thấy rất tiện.",
    "Công khai, minh bạch như thế này thì người dân rất yên tâm.",
    "Mong đơn vị duy trì lâu dài, không chỉ làm trong thời gian dự thi.",
    "Các bạn đoàn viên thanh niên hỗ trợ rất nhiệt tình, cảm ơn các bạn.",
    "Ý tưởng hay, nhưng cần chú ý bảo vệ thông tin cá nhân của người dân.",
    "Tôi là giáo viên về hưu, nhờ mô hình này mà giờ tự làm được nhiều việc trên điện thoại.",
    "Đã chia sẻ cho cả nhóm Zalo của tổ dân phố cùng bình chọn.",
    "Mô hình nhỏ nhưng giải quyết đúng việc người dân cần.",
    "Rất tự hào về {unit}, mong các đơn vị khác học tập.",
    "Lúc đầu tôi còn ngại, nhưng dùng rồi mới thấy nhanh hơn hẳn.",
    "Nên có số điện thoại hỗ trợ ngoài giờ hành chính cho người đi làm xa.",
    "Bố mẹ tôi ở quê giờ cũng biết dùng rồi, con cháu đi làm xa yên tâm hơn.",
    "Hiệu quả thấy rõ, số liệu trong bài rất thuyết phục.",
    "Đề nghị huyện hỗ trợ thêm kinh phí để mô hình chạy ổn định.",
    "Một cách làm sáng tạo, gần dân, sát thực tế.",
    "Tôi đánh giá cao việc đơn vị tổ chức hướng dẫn tận nơi cho bà con.",
    "Mong sớm kết nối với các phần mềm của huyện để dữ liệu không phải nhập lại.",
    "Cảm ơn {unit} đã mạnh dạn đổi mới, việc gì cũng nhanh gọn hơn trước.",
    "Mô hình hay, nhưng nên có hướng dẫn bằng hình ảnh dán ở nhà văn hóa thôn.",
    "Ở thôn tôi nhiều người còn dùng điện thoại cục gạch, mong có cách hỗ trợ họ.",
    "Rất đáng để nhân rộng. Bình chọn ủng hộ!",
    "Lần trước tôi nộp hồ sơ buổi sáng, chiều đã có kết quả, rất bất ngờ.",
    "Nên tổ chức thêm buổi tập huấn vào cuối tuần để người đi làm tham gia được.",
    "Mô hình giúp cán bộ đỡ vất vả, người dân cũng hài lòng hơn.",
    "Tôi mong các xã lân cận cũng sớm áp dụng.",
    "Thao tác nhanh, giao diện dễ hiểu. Chỉ mong mạng ổn định hơn vào giờ cao điểm.",
    "Con tôi học lớp 11 hướng dẫn ông bà dùng, cả nhà đều thấy tiện.",
    "Đây là việc làm cụ thể, thiết thực, không hình thức.",
    "Hy vọng mô hình được Ban giám khảo đánh giá cao.",
    "Thông tin được cập nhật thường xuyên, rất hữu ích cho bà con.",
    "Chúc {unit} tiếp tục có thêm nhiều sáng kiến hay.",
    "Mình đã giới thiệu cho hàng xóm, mọi người đều khen.",
    "Nên thêm tính năng nhắc lịch qua tin nhắn cho người không dùng Zalo.",
    "Ứng dụng công nghệ vào đời sống như thế này mới thực sự là chuyển đổi số.",
    "Một mô hình đáng học hỏi, cảm ơn đơn vị đã chia sẻ kinh nghiệm.",
]
# Questions and the unit's answers.
QUESTIONS = [
    ("Cho tôi hỏi mô hình này triển khai hết bao nhiêu kinh phí và lấy từ nguồn nào ạ?",
     "Cảm ơn bạn đã quan tâm. Kinh phí chủ yếu từ nguồn chi thường xuyên cho chuyển đổi số của đơn vị, "
     "chi tiết đã nêu ở mục Chi phí trong bài. Bạn cần thêm thông tin xin liên hệ số điện thoại đầu mối ạ."),
    ("Người cao tuổi không dùng điện thoại thông minh thì có được hỗ trợ không ạ?",
     "Dạ có ạ. Tổ công nghệ số cộng đồng hỗ trợ trực tiếp tại nhà văn hóa thôn vào chiều thứ Bảy hằng "
     "tuần, bác cứ mang theo căn cước là được."),
    ("Xã tôi cũng muốn học hỏi cách làm này, đơn vị có tài liệu hướng dẫn để chia sẻ không?",
     "Đơn vị đã đính kèm tài liệu ở cuối bài. Các xã cần trao đổi thêm có thể liên hệ đầu mối, chúng tôi "
     "sẵn sàng chia sẻ kinh nghiệm."),
    ("Dữ liệu cá nhân của người dân được lưu ở đâu, có an toàn không ạ?",
     "Dữ liệu được lưu trên hệ thống của huyện, chỉ cán bộ được phân quyền mới truy cập được và không "
     "chia sẻ cho bên thứ ba. Cảm ơn bạn đã lưu ý."),
    ("Mô hình có hoạt động vào thứ Bảy, Chủ nhật không ạ?",
     "Dạ, hệ thống hoạt động cả ngày nghỉ; riêng hỗ trợ trực tiếp thì từ thứ Hai đến sáng thứ Bảy ạ."),
    ("Nếu gặp lỗi khi sử dụng thì liên hệ ai để được hỗ trợ ạ?",
     "Bạn gọi số điện thoại đầu mối ghi trong bài hoặc nhắn qua Zalo OA của đơn vị, cán bộ sẽ phản hồi "
     "trong giờ hành chính."),
    ("Đến nay đã có bao nhiêu người dân sử dụng rồi ạ?",
     "Số liệu đến cuối tháng trước đã nêu ở mục Kết quả; hằng tháng đơn vị đều tổng hợp và báo cáo lên "
     "huyện."),
    ("Có cần cài thêm ứng dụng gì không hay chỉ cần Zalo là được ạ?",
     "Chỉ cần điện thoại có Zalo hoặc trình duyệt là dùng được, không phải cài thêm ứng dụng ạ."),
    ("Mô hình này bắt đầu triển khai từ khi nào vậy ạ?",
     "Đơn vị thí điểm từ năm ngoái và triển khai chính thức sau khi rút kinh nghiệm; thời gian cụ thể có "
     "ghi trong bài ạ."),
    ("Người ở thôn xa có được cán bộ xuống tận nơi hướng dẫn không?",
     "Có ạ, tổ công tác đã lập lịch xuống từng thôn; bà con theo dõi thông báo trên loa truyền thanh và "
     "nhóm Zalo của thôn."),
    ("Mô hình có thu thêm phí gì của người dân không ạ?",
     "Người dân không phải trả thêm khoản phí nào khi sử dụng ạ."),
    ("Làm thế nào để đơn vị khác kết nối, dùng chung hệ thống?",
     "Hệ thống dùng nền tảng chung của huyện nên các đơn vị khác có thể tham gia; đề nghị liên hệ Phòng "
     "Văn hóa và Thông tin để được hướng dẫn."),
    ("Bao giờ thì có video hướng dẫn ạ?",
     "Đơn vị đang phối hợp với Huyện đoàn làm video hướng dẫn, dự kiến đăng trên fanpage trong tháng này ạ."),
    ("Con tôi đi làm ở Hà Nội thì có làm thủ tục giúp bố mẹ qua mạng được không?",
     "Được ạ, bạn làm trực tuyến và chọn nhận kết quả tại nhà; một số thủ tục cần giấy ủy quyền, chi tiết "
     "bạn hỏi đầu mối nhé."),
]  # fmt: skip
# Citizens answering citizens.
REPLIES = [
    "Đồng ý với bạn.",
    "Chuẩn luôn, nhà tôi cũng thấy vậy.",
    "Mình cũng mong như thế.",
    "Cảm ơn bạn đã chia sẻ.",
    "Thôn tôi cũng đang làm thử, thấy hiệu quả lắm.",
    "Ý kiến hay, mong đơn vị tiếp thu.",
    "Đúng rồi, lúc đầu ai cũng bỡ ngỡ nhưng quen rồi thì dễ.",
    "Mình đã thử cách bạn nói, được rồi nhé.",
    "Rất cần điều này, ủng hộ bạn.",
    "Hôm trước tôi cũng gặp, hỏi cán bộ là được hướng dẫn ngay.",
    "Bạn nói đúng, an toàn thông tin là quan trọng nhất.",
    "Ủng hộ ý kiến này.",
]
SPAM = "Nhận tăng like, tăng bình chọn cho bài dự thi, giá rẻ, có bảo hành. Liên hệ Zalo: tanglike247"
SPAM_REASONS = ["Quảng cáo, spam", "Bán dịch vụ tăng bình chọn, gian lận", "Nội dung rác, không liên quan"]
HARSH = "Làm cho có để đi thi thôi, ở xóm tôi có ai dùng đâu."
HARSH_REASONS = ["Nói sai sự thật", "Công kích đơn vị, thiếu xây dựng"]


@dataclass
class _Person:
    id: int
    unit_id: int | None
    created_at: datetime
    address: str  # home network
    mobile: str  # phone network
    agent: str
    activity: float  # how much this person engages (0: never)


@dataclass
class _Target:
    id: int
    unit_id: int
    unit_name: str
    title: str
    published_at: datetime
    rank: int = 0


@dataclass
class _Plan:
    """The rows to write, gathered first so each table gets a few bulk INSERTs."""

    likes: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    viewers: dict[tuple[int, date], set[str]] = field(default_factory=lambda: defaultdict(set))
    unlikes: int = 0


def seed_engagement(
    contest: Contest, units_by_code: dict[str, Unit], now: datetime, password_hash: str
) -> dict[str, int]:
    """Add the missing demo citizens and, once, the engagement; returns what was added.

    Flushes but never commits (seed_demo does). `password_hash` is the demo password's hash,
    computed once by the caller for every account.
    """
    rng = random.Random(SEED)
    salt = current_app.config["HASH_SALT"]
    units = [u for u in units_by_code.values() if u.parent_id is not None]
    added = {"citizens": _add_citizens(rng, units, now, password_hash)}
    zero = {"likes": 0, "unlikes": 0, "comments": 0, "reports": 0, "views": 0, "external": 0}
    if contest.id is None or _has_engagement(contest):
        return added | zero
    targets = _targets(contest, rng)
    if not targets:
        return added | zero
    people = _people(rng)
    low, high = _window(contest, now)
    plan = _Plan()
    hashes: dict[str, str] = {}

    def source(person: _Person) -> dict[str, str]:
        address = person.mobile if rng.random() < 0.3 else person.address  # at home, or on the phone
        for value in (address, person.agent):
            if value not in hashes:
                hashes[value] = salted_hash(value, salt)
        return {"ip_hash": hashes[address], "ua_hash": hashes[person.agent]}

    def event(kind: EventKind, target: _Target, person: _Person, at: datetime, comment_id=None) -> None:
        plan.events.append(
            {"kind": kind, "initiative_id": target.id, "user_id": person.id, "created_at": at}
            | source(person)
            | {"comment_id": comment_id}
        )

    for target in targets:
        _plan_likes(
            rng, plan, target, people, max(low, target.published_at + timedelta(minutes=30)), high, event
        )
    burst_target = targets[min(BURST_RANK, len(targets) - 1)]
    burst = _plan_burst(rng, plan, burst_target, units, low, high, password_hash, hashes, salt)
    comments, reports = _add_comments(rng, plan, targets, people, units_by_code, low, high, event)
    views = _plan_views(rng, plan, targets, people, now, low)
    # In time order, as the application would have written them.
    db.session.execute(insert(Like), sorted(plan.likes, key=lambda r: (r["created_at"], r["user_id"])))
    db.session.execute(
        insert(EngagementEvent), sorted(plan.events, key=lambda r: (r["created_at"], r["user_id"]))
    )
    view_rows = [
        {"initiative_id": initiative_id, "day": day, "viewer": viewer}
        for (initiative_id, day), viewers in sorted(plan.viewers.items())
        for viewer in sorted(viewers)
    ]
    db.session.execute(insert(InitiativeView), view_rows)
    external = _add_external(rng, targets, now)
    db.session.flush()
    recount_counters(contest)
    return added | {
        "citizens": added["citizens"] + burst,
        "likes": len(plan.likes),
        "unlikes": plan.unlikes,
        "comments": comments,
        "reports": reports,
        "views": views,
        "external": external,
    }


def recount_counters(contest: Contest) -> None:
    """Set every initiative's like, comment and view counters of the contest from the rows."""
    likes = (
        select(func.count())
        .select_from(Like)
        .where(Like.initiative_id == Initiative.id, Like.quarantine_id.is_(None))
        .scalar_subquery()
    )
    comments = (
        select(func.count())
        .select_from(Comment)
        .where(
            Comment.initiative_id == Initiative.id,
            Comment.status == CommentStatus.VISIBLE,
            Comment.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    views = (
        select(func.count())
        .select_from(InitiativeView)
        .where(InitiativeView.initiative_id == Initiative.id)
        .scalar_subquery()
    )
    db.session.execute(
        update(Initiative)
        .where(Initiative.contest_id == contest.id)
        .values(like_count=likes, comment_count=comments, view_count=views)
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()


# --- people -----------------------------------------------------------------------------------


def _name(rng: random.Random) -> str:
    family = rng.choices(list(FAMILY), weights=list(FAMILY.values()))[0]
    if rng.random() < 0.5:
        middle, given = rng.choice(MIDDLE_MALE), rng.choice(GIVEN_MALE)
    else:
        middle, given = rng.choice(MIDDLE_FEMALE), rng.choice(GIVEN_FEMALE)
        if middle == "Thị" and rng.random() < 0.3:  # Nguyễn Thị Thu Hà
            middle += " " + rng.choice(["Thu", "Thanh", "Minh", "Hồng", "Ngọc"])
    return f"{family} {middle} {given}"


def _address(rng: random.Random, taken: set[str]) -> str:
    while True:
        first, low, high = rng.choice(NETWORKS)
        address = f"{first}.{rng.randint(low, high)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        if address not in taken and address != BURST_ADDRESS:
            taken.add(address)
            return address


def _user_row(rng: random.Random, email: str, unit: Unit | None, created: datetime, password_hash: str):
    name = _name(rng)
    roster = unit is not None and rng.random() < 0.3
    verified = created if roster else created + timedelta(minutes=rng.uniform(1, 8))
    return {
        "full_name": name,
        "name_folded": fold(name),
        "email": email,
        "phone": None,
        "password_hash": password_hash,
        "unit_id": unit.id if unit else None,
        "unit_confirmed_at": created if roster else None,
        "verified_at": verified,
        "verified_via": "roster" if roster else "email",
        "active": True,
        "session_version": 1,
        "locale": None,
        "created_at": created,
        "last_login_at": verified,
    }


def _add_citizens(rng: random.Random, units: list[Unit], now: datetime, password_hash: str) -> int:
    """2,000 verified citizens across the units (weighted by headcount), registered over 3 weeks."""
    existing = set(db.session.scalars(select(User.email).where(User.email.like("cd%@demo.vn"))))
    weights = [math.sqrt(u.headcount) + 3 for u in units]
    rows = []
    for n in range(1, CITIZEN_COUNT + 1):
        unit = rng.choices(units, weights)[0] if units and rng.random() > 0.08 else None
        # Denser towards now: registrations pick up as voting draws near.
        created = _moment(rng, now - timedelta(days=21), now - timedelta(hours=2), skew=0.75)
        row = _user_row(rng, CITIZEN_EMAIL.format(n), unit, created, password_hash)
        if row["email"] not in existing:
            rows.append(row)
    if rows:
        db.session.execute(insert(User), rows)
    return len(rows)


def _people(rng: random.Random) -> list[_Person]:
    """The citizens with a home network (two per household at most), a phone network and an agent."""
    rows = db.session.execute(
        select(User.id, User.unit_id, User.created_at)
        .where(User.email.like("cd%@demo.vn"))
        .order_by(User.email)
    ).all()
    taken: set[str] = set()
    agents, shares = zip(*USER_AGENTS, strict=True)
    people = []
    home = ""
    for i, row in enumerate(rows):
        if i % 3 != 1:  # every third shares a household address with the one before
            home = _address(rng, taken)
        activity = 0.0 if rng.random() < 0.15 else rng.lognormvariate(0, 0.9)
        people.append(
            _Person(
                row.id,
                row.unit_id,
                row.created_at,
                home,
                _address(rng, taken),
                rng.choices(agents, shares)[0],
                activity,
            )
        )
    return people


def _has_engagement(contest: Contest) -> bool:
    ids = select(Initiative.id).where(Initiative.contest_id == contest.id)
    return (
        db.session.scalar(select(EngagementEvent.id).where(EngagementEvent.initiative_id.in_(ids)).limit(1))
        is not None
        or db.session.scalar(
            select(InitiativeView.initiative_id).where(InitiativeView.initiative_id.in_(ids)).limit(1)
        )
        is not None
    )


def _targets(contest: Contest, rng: random.Random) -> list[_Target]:
    """The published initiatives in order of popularity (a fixed, shuffled order)."""
    rows = db.session.execute(
        select(Initiative.id, Initiative.unit_id, Unit.name, Initiative.title, Initiative.published_at)
        .join(Unit, Unit.id == Initiative.unit_id)
        .where(Initiative.contest_id == contest.id, Initiative.status == InitiativeStatus.PUBLISHED)
        .order_by(Initiative.id)
    ).all()
    targets = [_Target(r.id, r.unit_id, r.name, r.title, r.published_at) for r in rows]
    rng.shuffle(targets)
    # The talk of the district: the cashless market, the health records, the commune's Zalo OA.
    favourites = ("Chợ 4.0", "Hồ sơ sức khỏe", "Zalo OA")
    targets.sort(key=lambda t: next((i for i, f in enumerate(favourites) if f in t.title), len(favourites)))
    for rank, target in enumerate(targets):
        target.rank = rank
    return targets


# --- time -------------------------------------------------------------------------------------


def _window(contest: Contest, now: datetime) -> tuple[datetime, datetime]:
    """When likes and comments happen: the voting window within the last 14 days, up to now."""
    low, high = now - timedelta(days=VIEW_DAYS), now - timedelta(minutes=5)
    stage = contest.stage(StageKind.VOTING)
    if stage is not None:
        stage_low, stage_high = max(low, stage.opens_at), min(high, stage.closes_at)
        if stage_high - stage_low >= timedelta(days=1):
            return stage_low, stage_high
    return low, high


def _moment(rng: random.Random, low: datetime, high: datetime, skew: float = 1.0) -> datetime:
    """A moment in [low, high), busier in the Vietnamese daytime and evening."""
    if high <= low:
        return low
    span = (high - low).total_seconds()
    top = max(HOUR_WEIGHT)
    moment = low
    for _ in range(100):
        moment = low + timedelta(seconds=span * rng.random() ** skew)
        if rng.random() * top < HOUR_WEIGHT[moment.astimezone(VIETNAM).hour]:
            break
    return moment.replace(microsecond=0)


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _weighted_sample(rng: random.Random, people: list[_Person], weights: list[float], k: int):
    """k different people, each picked with a chance proportional to its weight (Efraimidis–Spirakis)."""
    keyed = [(rng.random() ** (1 / w), i) for i, w in enumerate(weights) if w > 0]
    keyed.sort(reverse=True)
    return [people[i] for _, i in keyed[:k]]


# --- likes ------------------------------------------------------------------------------------


def _plan_likes(rng, plan: _Plan, target: _Target, people, low: datetime, high: datetime, event) -> None:
    """Likes (and a few likes taken back) by citizens, most from the initiative's own unit."""
    if high - low < timedelta(hours=1):
        return
    wanted = max(12, round(LIKE_TOP / (target.rank + 1) ** 1.05 * rng.uniform(0.9, 1.1)))
    unliked = round(wanted * 0.05) + rng.randint(0, 2)
    eligible = [p for p in people if p.created_at + timedelta(hours=1) < high]
    weights = [p.activity * (5 if p.unit_id == target.unit_id else 1) for p in eligible]
    chosen = _weighted_sample(rng, eligible, weights, wanted + unliked)
    per_hour: Counter = Counter()
    for n, person in enumerate(chosen):
        start = max(low, person.created_at + timedelta(hours=1))
        at = None
        for _ in range(30):  # organic likes never crowd one hour
            candidate = _moment(rng, start, high)
            if per_hour[_hour(candidate)] < HOURLY_CAP:
                at = candidate
                break
        if at is None:
            continue
        per_hour[_hour(at)] += 1
        event(EventKind.LIKE, target, person, at)
        plan.viewers[(target.id, view_day(at))].add(f"u:{person.id}")
        if n < wanted:
            plan.likes.append({"initiative_id": target.id, "user_id": person.id, "created_at": at})
        else:  # changed their mind: the like event stays, the like row goes
            back = min(at + timedelta(minutes=rng.uniform(3, 60 * 48)), high)
            event(EventKind.UNLIKE, target, person, back)
            plan.unlikes += 1


def _plan_burst(rng, plan: _Plan, target: _Target, units, low, high, password_hash, hashes, salt) -> int:
    """~60 likes in 30 minutes late in the evening, from accounts made minutes before; returns them."""
    emails = [BURST_EMAIL.format(n) for n in range(1, BURST_ACCOUNTS + 1)]
    if db.session.scalar(select(User.id).where(User.email.in_(emails)).limit(1)) is not None:
        return 0
    evening = (high - timedelta(hours=36)).astimezone(VIETNAM).date()
    start = datetime.combine(evening, time(22, 47), tzinfo=VIETNAM).astimezone(UTC)
    start = max(start, max(low, target.published_at) + timedelta(hours=6))
    start = min(start, high - timedelta(minutes=BURST_MINUTES + 5))
    times = sorted(start + timedelta(seconds=rng.uniform(0, BURST_MINUTES * 60)) for _ in emails)
    shared = set(rng.sample(range(BURST_ACCOUNTS), BURST_SHARED))
    taken: set[str] = set()
    rows, sources = [], []
    for n, (email, at) in enumerate(zip(emails, times, strict=True)):
        minutes = rng.uniform(2, 9) if rng.random() < 0.7 else rng.uniform(10, 50)
        unit = rng.choice(units) if units and rng.random() < 0.4 else None
        row = _user_row(rng, email, unit, at - timedelta(minutes=minutes), password_hash)
        row["unit_confirmed_at"], row["verified_via"] = None, "email"
        row["verified_at"] = min(row["created_at"] + timedelta(minutes=1), at - timedelta(seconds=30))
        rows.append(row)
        address = BURST_ADDRESS if n in shared else _address(rng, taken)
        agent = BURST_AGENT if n in shared else rng.choice(USER_AGENTS)[0]
        sources.append((address, agent))
    db.session.execute(insert(User), rows)
    ids = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).all())
    for email, at, (address, agent) in zip(emails, times, sources, strict=True):
        for value in (address, agent):
            hashes.setdefault(value, salted_hash(value, salt))
        user_id = ids[email]
        plan.likes.append(
            {"initiative_id": target.id, "user_id": user_id, "created_at": at.replace(microsecond=0)}
        )
        plan.events.append(
            {
                "kind": EventKind.LIKE,
                "initiative_id": target.id,
                "user_id": user_id,
                "created_at": at.replace(microsecond=0),
                "ip_hash": hashes[address],
                "ua_hash": hashes[agent],
                "comment_id": None,
            }
        )
        plan.viewers[(target.id, view_day(at))].add(f"u:{user_id}")
    return len(rows)


# --- comments ---------------------------------------------------------------------------------


def _lower_first(name: str) -> str:
    """'Xã Liên Bạt' -> 'xã Liên Bạt' inside a sentence."""
    return name[:1].lower() + name[1:] if name[:2] != "UB" else name


def _add_comments(rng, plan: _Plan, targets, people, units_by_code, low, high, event) -> tuple[int, int]:
    """Comments, questions the unit answers, replies, one hidden spam comment and one reported one."""
    code_of = {u.id: code for code, u in units_by_code.items()}
    emails = [ORGANIZER_EMAIL, *REPRESENTATIVES.values()]
    staff_ids = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).all())
    active = [p for p in people if p.activity > 0]
    members: dict[int | None, list[_Person]] = defaultdict(list)
    for p in active:
        members[p.unit_id].append(p)

    def answerer(target: _Target) -> _Person | None:
        """The unit's demo representative, else one of its members (its staff), else the organizers."""
        user_id = staff_ids.get(REPRESENTATIVES.get(code_of.get(target.unit_id, ""), ""))
        if user_id is None and members[target.unit_id]:
            return members[target.unit_id][0]
        user_id = user_id or staff_ids.get(ORGANIZER_EMAIL)
        if user_id is None:
            return None
        office = f"203.162.{user_id % 250}.{10 + user_id % 200}"  # the unit's office network
        return _Person(user_id, target.unit_id, low, office, office, USER_AGENTS[5][0], 1.0)

    def author(target: _Target, before: datetime) -> _Person | None:
        """A citizen registered an hour before `before`, often one of the unit's own."""
        for _ in range(30):
            pool = members[target.unit_id] if members[target.unit_id] and rng.random() < 0.35 else active
            person = rng.choice(pool)
            if person.created_at + timedelta(hours=1) < before:
                return person
        return None

    # (time, target, person, body, parent spec): written in time order, so parents come first.
    specs: list[list] = []

    def add(target, person, body, at, parent=None) -> list:
        spec = [at.replace(microsecond=0), target, person, body, parent, None]
        specs.append(spec)
        return spec

    spam = harsh = None
    for target in targets:
        start = max(low, target.published_at + timedelta(hours=1))
        if high - start < timedelta(hours=2):
            continue
        n = max(1, round(COMMENT_TOP / (target.rank + 1) ** 0.75 * rng.uniform(0.8, 1.2)))
        n_questions = min(len(QUESTIONS), max(1 if target.rank < 12 else 0, round(n * 0.3)))
        texts = rng.sample(COMMENTS, min(len(COMMENTS), n - n_questions))
        questions = rng.sample(QUESTIONS, n_questions)
        unit = _lower_first(target.unit_name)
        for text in texts:
            person = author(target, high)
            if person is None:
                continue
            at = _moment(rng, max(start, person.created_at + timedelta(hours=1)), high)
            parent = add(target, person, text.format(unit=unit), at)
            reply_at = _moment(rng, at + timedelta(minutes=5), min(at + timedelta(hours=20), high))
            if rng.random() < 0.22 and reply_at < high:
                replier = author(target, reply_at)
                if replier is not None and replier is not person:
                    add(target, replier, rng.choice(REPLIES), reply_at, parent)
        for question, answer in questions:
            person = author(target, high)
            if person is None:
                continue
            at = _moment(rng, max(start, person.created_at + timedelta(hours=1)), high)
            parent = add(target, person, question, at)
            answer_at = _moment(rng, at + timedelta(minutes=30), min(at + timedelta(hours=30), high))
            staff = answerer(target)
            if staff is not None and staff.id != person.id and answer_at < high and rng.random() < 0.9:
                add(target, staff, answer, answer_at, parent)
        late = max(start, high - timedelta(hours=8))
        if target.rank == 0 and (person := author(target, late)) is not None:
            spam = add(target, person, SPAM, _moment(rng, max(start, person.created_at), late))
        if target.rank == 4 and (person := author(target, late)) is not None:
            harsh = add(target, person, HARSH, _moment(rng, max(start, person.created_at), late))
    specs.sort(key=lambda spec: (spec[0], spec[1].id, spec[2].id))
    for spec in specs:
        at, target, person, body, parent, _ = spec
        spec[5] = Comment(
            initiative_id=target.id,
            user_id=person.id,
            parent=parent[5] if parent else None,
            body=body,
            status=CommentStatus.VISIBLE,
            created_at=at,
            open_reports=0,
        )
        db.session.add(spec[5])
        db.session.flush()  # one at a time: ids follow time, as they would have
    for at, target, person, _body, _parent, comment in specs:
        event(EventKind.COMMENT, target, person, at, comment_id=comment.id)
        plan.viewers[(target.id, view_day(at))].add(f"u:{person.id}")
    reports = 0
    for spec, reasons, hide in ((spam, SPAM_REASONS, True), (harsh, HARSH_REASONS, False)):
        if spec is None:
            continue
        written_at, target, writer, _body, _parent, comment = spec
        reporters = [p for p in active if p.id != writer.id and p.created_at < written_at]
        reporters = rng.sample(reporters, min(len(reasons), len(reporters)))
        at = written_at
        for person, reason in zip(reporters, reasons, strict=False):
            at = min(at + timedelta(minutes=rng.uniform(10, 150)), high).replace(microsecond=0)
            db.session.add(
                CommentReport(comment_id=comment.id, user_id=person.id, reason=reason, created_at=at)
            )
            event(EventKind.REPORT, target, person, at, comment_id=comment.id)
            reports += 1
        comment.open_reports = len(reporters)
        if hide and len(reporters) >= HIDE_AT_REPORTS:
            comment.status = CommentStatus.HIDDEN
    db.session.flush()
    return len(specs), reports


# --- views and other platforms ----------------------------------------------------------------


def _plan_views(rng, plan: _Plan, targets, people, now: datetime, voting_opens: datetime) -> int:
    """Distinct viewers per day over the last 14 days: signed-in citizens ("u:") and visitors ("s:")."""
    today = view_day(now)
    opened = view_day(voting_opens)
    elapsed = (now - datetime.combine(today, time(0), tzinfo=VIETNAM)) / timedelta(days=1)
    for target in targets:
        base = VIEW_TOP / (target.rank + 1) ** 0.6 + 10
        first = max(view_day(target.published_at), today - timedelta(days=VIEW_DAYS - 1))
        day = first
        while day <= today:
            share = (0.3 if day < opened else 1.0) * (0.8 if day.weekday() >= 5 else 1.0)
            if day == today:
                share *= max(elapsed, 0.1)
            wanted = round(base * share * rng.uniform(0.75, 1.25))
            seen = plan.viewers[(target.id, day)]
            day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=VIETNAM)
            signed_in = [p for p in rng.sample(people, min(len(people), wanted)) if p.created_at < day_end]
            for person in signed_in[: round(wanted * 0.3)]:
                seen.add(f"u:{person.id}")
            while len(seen) < wanted:
                seen.add(f"s:{rng.getrandbits(120):030x}")
            day += timedelta(days=1)
    return sum(len(v) for v in plan.viewers.values())


def _add_external(rng: random.Random, targets: list[_Target], now: datetime) -> int:
    """Fanpage and Zalo OA snapshots (2–3 each) for the five most talked-about initiatives."""
    organizer_id = db.session.scalar(select(User.id).where(User.email == ORGANIZER_EMAIL))
    rows = []
    for target in targets[:5]:
        platforms = [ExternalPlatform.FANPAGE]
        if target.rank % 2 == 0 or "Zalo" in target.title:
            platforms.append(ExternalPlatform.ZALO_OA)
        for platform in platforms:
            post = rng.randrange(10**15, 10**16)
            url = (
                FANPAGE.format(post) if platform == ExternalPlatform.FANPAGE else ZALO_OA.format(post * 1000)
            )
            scale = (1.0 if platform == ExternalPlatform.FANPAGE else 0.4) * (400 / (target.rank + 1))
            likes, comments, shares = 0, 0, 0
            # 2–3 snapshots from a day after publication (at most 9 days back) to this morning.
            first = max(now - timedelta(days=9), target.published_at + timedelta(days=1))
            if first > now - timedelta(days=1):
                continue
            n = 3 if target.rank % 3 != 2 else 2
            for k in range(n):
                measured = first + (now - timedelta(hours=3) - first) * k / (n - 1)
                measured = measured.replace(minute=rng.randint(0, 59), second=0, microsecond=0)
                measured = min(measured, now - timedelta(hours=2))
                likes += round(scale * rng.uniform(0.4, 0.8))
                comments += round(scale * rng.uniform(0.03, 0.08))
                shares += round(scale * rng.uniform(0.05, 0.15))
                rows.append(
                    {
                        "initiative_id": target.id,
                        "platform": platform,
                        "likes": likes,
                        "comments": comments,
                        "shares": shares,
                        "measured_at": measured,
                        "source_url": url,
                        "imported_by_id": organizer_id,
                        "imported_at": min(measured + timedelta(minutes=rng.randint(20, 180)), now),
                    }
                )
    if rows:
        db.session.execute(insert(ExternalEngagement), rows)
    return len(rows)
