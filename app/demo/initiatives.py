"""The demo contest's initiatives: six categories, 30 initiatives of the district's units, their pictures.

The initiatives are realistic digital-transformation models of a Vietnamese district (one-stop
digital records, a cashless market, a digital party-member handbook, QR traceability of farm
produce…), in every status an organizer meets: mostly published, some awaiting review, drafts,
one returned, one rejected, one withdrawn. Pictures are drawn here with Pillow (no text, so no
font is needed), then stored exactly like an upload: re-encoded without metadata, in two sizes.

Idempotent: a category is created when its slug is missing, an initiative when no initiative of
the contest has its title. Their likes, comments and views come from app/demo/engagement.py.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from PIL import Image, ImageChops, ImageDraw, ImageFilter
from sqlalchemy import select

from app.initiatives import rules
from app.initiatives.service import add_event
from app.uploads import storage
from app.uploads.processing import ProcessedImage, process_image
from models import (
    Category,
    Contest,
    Initiative,
    InitiativeImage,
    InitiativeStatus,
    StageKind,
    Unit,
    User,
    db,
)

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
ORGANIZER_EMAIL = "btc@demo.vn"
# The demo unit representatives (see ACCOUNTS in app/demo/seed.py): unit code -> email.
REPRESENTATIVES = {"UH-VD": "donvi1@demo.vn", "UH-LB": "donvi2@demo.vn", "UH-VHTT": "donvi3@demo.vn"}

# slug, Vietnamese name, English name; position follows this order.
CATEGORIES: list[tuple[str, str, str]] = [
    ("chinh-quyen-so", "Chính quyền số", "Digital government"),
    ("kinh-te-so", "Kinh tế số", "Digital economy"),
    ("xa-hoi-so", "Xã hội số", "Digital society"),
    ("giao-duc", "Giáo dục", "Education"),
    ("y-te", "Y tế", "Health"),
    ("nong-nghiep", "Nông nghiệp", "Agriculture"),
]


@dataclass(frozen=True)
class DemoInitiative:
    unit: str  # a unit code of UNITS in app/demo/seed.py
    category: str  # a slug of CATEGORIES
    status: InitiativeStatus
    title: str
    summary: str
    problem: str
    solution: str
    results: str
    cost: str
    since_months: int  # in use since about this many months before the seed
    contact_name: str
    contact_phone: str
    motifs: tuple[str, ...]  # one picture per motif (see MOTIFS)
    video_url: str = ""
    reason: str = ""  # the organizers' reason (returned, rejected) or the unit's (withdrawn)


INITIATIVES: list[DemoInitiative] = [
    DemoInitiative(
        unit="UH-VD",
        category="chinh-quyen-so",
        status=InitiativeStatus.PUBLISHED,
        title="Bộ phận một cửa số hóa hồ sơ, trả kết quả thủ tục hành chính trong ngày tại Thị trấn Vân Đình",
        summary=(
            "Bộ phận tiếp nhận và trả kết quả của UBND Thị trấn Vân Đình số hóa toàn bộ hồ sơ ngay khi tiếp"
            " nhận, luân chuyển và ký số trên hệ thống một cửa điện tử. Người dân nhận kết quả bản điện tử "
            "qua tài khoản dịch vụ công hoặc tin nhắn, không phải đi lại nhiều lần."
        ),
        problem=(
            "Trước đây hồ sơ giấy được chuyển tay giữa bộ phận một cửa và các công chức chuyên môn, thủ tục"
            " chứng thực, hộ tịch thường mất 2–3 ngày. Sổ sách cũ lưu trong tủ, tra cứu mất nhiều thời "
            "gian; người dân phải đến hỏi kết quả nhiều lần, nhất là vào dịp cao điểm đầu năm học và cuối "
            "năm."
        ),
        solution=(
            "Thị trấn bố trí 2 máy quét tốc độ cao tại bộ phận một cửa; mọi hồ sơ được quét, đặt tên theo "
            "quy tắc thống nhất và đính kèm vào hệ thống một cửa điện tử ngay khi tiếp nhận. Công chức "
            "chuyên môn xử lý, lãnh đạo ký số trên hệ thống; kết quả được trả qua Cổng dịch vụ công và tin "
            "nhắn báo cho người dân. Đồng thời, hơn 12.000 trang sổ hộ tịch cũ được số hóa để tra cứu "
            "nhanh."
        ),
        results=(
            "Thời gian xử lý hồ sơ chứng thực, hộ tịch rút ngắn từ 3 ngày xuống 1 ngày; 96% hồ sơ được trả "
            "đúng và trước hạn. 100% hồ sơ tiếp nhận từ khi triển khai được số hóa; 12.400 trang sổ hộ tịch"
            " đã được số hóa, thời gian tra cứu giảm từ khoảng 30 phút xuống dưới 2 phút. Mức độ hài lòng "
            "của người dân qua khảo sát đạt 98,5%."
        ),
        cost="38 triệu đồng (2 máy quét và chứng thư số)",
        since_months=14,
        contact_name="Đ/c Nguyễn Văn Thành – Phó Chủ tịch UBND thị trấn",
        contact_phone="0983215647",
        motifs=("document", "qr", "chart", "people"),
        video_url="https://www.youtube.com/watch?v=VdMotCua24s",
    ),
    DemoInitiative(
        unit="UH-LB",
        category="chinh-quyen-so",
        status=InitiativeStatus.PUBLISHED,
        title=(
            "Zalo OA “UBND xã Liên Bạt” – kênh tiếp nhận phản ánh, kiến nghị và đưa thông tin chính quyền "
            "đến từng hộ dân"
        ),
        summary=(
            "Xã Liên Bạt lập tài khoản Zalo chính thức (Zalo OA) để đăng thông báo, lịch tiếp dân, hướng "
            "dẫn thủ tục và tiếp nhận phản ánh của người dân. Mỗi phản ánh được giao cho cán bộ phụ trách "
            "và trả lời công khai trong vòng 48 giờ."
        ),
        problem=(
            "Thông tin của xã trước đây chủ yếu phát qua loa truyền thanh và bảng tin ở nhà văn hóa thôn, "
            "nhiều người đi làm xa không nắm được. Phản ánh về môi trường, an ninh, đường điện phải gửi qua"
            " trưởng thôn hoặc đến trụ sở, dễ thất lạc và không theo dõi được tiến độ giải quyết."
        ),
        solution=(
            "Xã đăng ký Zalo OA đã xác thực, xây dựng menu gồm: thông báo của xã, hướng dẫn thủ tục hành "
            "chính, tra cứu hồ sơ, gửi phản ánh kèm ảnh và vị trí. Văn phòng UBND xã phân công 1 công chức "
            "trực, chuyển phản ánh đến bộ phận chuyên môn, theo dõi trên bảng tổng hợp và trả lời qua Zalo."
            " Các chi hội, đoàn thể và trưởng thôn vận động người dân quan tâm tài khoản."
        ),
        results=(
            "Sau 10 tháng, Zalo OA có 4.860 người quan tâm, tương đương khoảng 80% số hộ trong xã; đã tiếp "
            "nhận 312 phản ánh, kiến nghị, 97% được trả lời trong vòng 48 giờ. Thông báo của xã đến người "
            "dân trong ngày thay vì 3–5 ngày như trước; số lượt người dân đến trụ sở chỉ để hỏi thông tin "
            "giảm khoảng 40%."
        ),
        cost="Không phát sinh chi phí",
        since_months=10,
        contact_name="Đ/c Lê Thị Thu Hà – Công chức Văn phòng – Thống kê xã",
        contact_phone="0912000012",
        motifs=("people", "phone"),
    ),
    DemoInitiative(
        unit="UH-VP",
        category="chinh-quyen-so",
        status=InitiativeStatus.PUBLISHED,
        title="Phòng họp không giấy tờ và ký số văn bản tại Văn phòng HĐND và UBND huyện",
        summary=(
            "Các cuộc họp của UBND huyện dùng tài liệu điện tử trên phần mềm phòng họp không giấy; đại biểu"
            " xem tài liệu, biểu quyết và góp ý trên máy tính bảng hoặc điện thoại. Văn bản đi được ký số "
            "và phát hành trên hệ thống quản lý văn bản và điều hành."
        ),
        problem=(
            "Mỗi năm Văn phòng HĐND và UBND huyện phục vụ khoảng 180 cuộc họp, mỗi cuộc in từ 300 đến hơn "
            "1.000 trang tài liệu. Tài liệu thường phải in lại khi có chỉnh sửa sát giờ họp, chi phí in ấn "
            "lớn; việc lưu trữ, tra cứu tài liệu các cuộc họp cũ mất nhiều công sức."
        ),
        solution=(
            "Văn phòng triển khai phần mềm phòng họp không giấy kết nối với hệ thống quản lý văn bản và "
            "điều hành của thành phố, trang bị 40 máy tính bảng cho phòng họp lớn; đại biểu khác dùng điện "
            "thoại cá nhân. Giấy mời, chương trình, tài liệu được gửi qua hệ thống, có thông báo nhắc lịch;"
            " thông báo kết luận được ký số ngay sau cuộc họp."
        ),
        results=(
            "Giảm khoảng 85% lượng giấy in cho các cuộc họp, tiết kiệm khoảng 120 triệu đồng tiền in ấn mỗi"
            " năm. 100% văn bản đi của UBND huyện (trừ văn bản mật) được ký số; thời gian phát hành thông "
            "báo kết luận cuộc họp rút ngắn từ 3–4 ngày xuống trong ngày. Tài liệu của hơn 200 cuộc họp "
            "được lưu trữ và tra cứu theo từ khóa."
        ),
        cost="420 triệu đồng (phần mềm và 40 máy tính bảng)",
        since_months=20,
        contact_name="Đ/c Đỗ Thị Thanh Hương – Phó Chánh Văn phòng HĐND và UBND huyện",
        contact_phone="0904568213",
        motifs=("document", "chart"),
        video_url="https://www.youtube.com/watch?v=UhPhongHop1",
    ),
    DemoInitiative(
        unit="UH-NV",
        category="chinh-quyen-so",
        status=InitiativeStatus.SUBMITTED,
        title="Số hóa hồ sơ cán bộ, công chức, viên chức và xét thi đua – khen thưởng trực tuyến",
        summary=(
            "Phòng Nội vụ số hóa hơn 2.100 hồ sơ cán bộ, công chức, viên chức của huyện lên cơ sở dữ liệu "
            "dùng chung và chuyển việc đăng ký, chấm điểm, xét thi đua – khen thưởng sang biểu mẫu trực "
            "tuyến. Các đơn vị nộp hồ sơ đề nghị khen thưởng không cần bản giấy."
        ),
        problem=(
            "Hồ sơ cán bộ lưu bản giấy ở nhiều nơi, việc tổng hợp báo cáo về biên chế, trình độ, độ tuổi "
            "mất từ 1 đến 2 tuần. Mỗi đợt xét thi đua, các đơn vị gửi hàng trăm bộ hồ sơ giấy, nhiều bộ "
            "thiếu thành phần phải trả lại, gây chậm trễ."
        ),
        solution=(
            "Phòng cử 3 công chức phối hợp với các đơn vị quét, nhập liệu và đối chiếu hồ sơ lên phần mềm "
            "quản lý cán bộ; mỗi cán bộ được cấp tài khoản để tự kiểm tra, đề nghị cập nhật thông tin của "
            "mình. Việc đăng ký thi đua, tự chấm điểm và nộp hồ sơ khen thưởng thực hiện trên biểu mẫu trực"
            " tuyến có kiểm tra thành phần hồ sơ tự động."
        ),
        results=(
            "2.146 hồ sơ đã được số hóa (đạt 100%); thời gian lập báo cáo thống kê đội ngũ giảm từ 10 ngày "
            "xuống 1 ngày. Trong đợt xét thi đua cuối năm, 100% hồ sơ của 58 đơn vị được nộp trực tuyến, tỷ"
            " lệ hồ sơ phải bổ sung giảm từ 25% xuống 6%, thời gian thẩm định rút ngắn một nửa."
        ),
        cost="25 triệu đồng",
        since_months=8,
        contact_name="Đ/c Vương Thị Minh Thu – Phó Trưởng phòng Nội vụ",
        contact_phone="0975340128",
        motifs=("document",),
    ),
    DemoInitiative(
        unit="UH-CT",
        category="chinh-quyen-so",
        status=InitiativeStatus.PUBLISHED,
        title="Điểm hỗ trợ kích hoạt tài khoản định danh điện tử VNeID tại nhà văn hóa các thôn Xã Cao Thành",
        summary=(
            "Công an xã phối hợp với Đoàn Thanh niên mở điểm hỗ trợ VNeID lưu động tại nhà văn hóa các thôn"
            " vào tối thứ Bảy và Chủ nhật. Người dân được hướng dẫn đăng ký, kích hoạt tài khoản định danh "
            "điện tử mức 2, tích hợp giấy tờ và sử dụng dịch vụ công trực tuyến."
        ),
        problem=(
            "Nhiều người dân, nhất là người cao tuổi và lao động đi làm ban ngày, chưa có tài khoản định "
            "danh điện tử hoặc đã đăng ký nhưng chưa kích hoạt được, nên không thể nộp hồ sơ trực tuyến hay"
            " tích hợp giấy tờ. Giờ làm việc của trụ sở không phù hợp với người đi làm."
        ),
        solution=(
            "Xã lập 4 tổ hỗ trợ, mỗi tổ gồm 1 cán bộ công an và 2–3 đoàn viên, luân phiên đến các thôn theo"
            " lịch công bố trước trên loa truyền thanh và nhóm Zalo thôn. Tổ mang theo máy tính bảng, thiết"
            " bị đọc chip căn cước và mạng 4G dự phòng; lập sổ theo dõi các trường hợp chưa kích hoạt được "
            "để hẹn hỗ trợ lại tại nhà."
        ),
        results=(
            "Sau 6 tháng, các tổ đã hỗ trợ 1.680 người kích hoạt tài khoản định danh điện tử mức 2, nâng tỷ"
            " lệ người dân từ 14 tuổi trở lên có tài khoản từ 55% lên 90%. 1.150 người được hướng dẫn tích "
            "hợp thẻ bảo hiểm y tế, giấy phép lái xe vào VNeID; 100% người cao tuổi neo đơn được hỗ trợ tại"
            " nhà."
        ),
        cost="12 triệu đồng (thiết bị đọc chip và 4G dự phòng)",
        since_months=7,
        contact_name="Đ/c Phùng Văn Dũng – Trưởng Công an xã",
        contact_phone="0936712584",
        motifs=("qr", "people"),
    ),
    DemoInitiative(
        unit="UH-PT",
        category="chinh-quyen-so",
        status=InitiativeStatus.PUBLISHED,
        title="Góc tự phục vụ dịch vụ công trực tuyến toàn trình có người hướng dẫn tại Xã Phương Tú",
        summary=(
            "Xã Phương Tú bố trí góc tự phục vụ với máy tính, máy quét và đoàn viên hướng dẫn tại bộ phận "
            "một cửa, giúp người dân tự nộp hồ sơ dịch vụ công trực tuyến toàn trình thay vì nộp giấy. Lệ "
            "phí được thanh toán trực tuyến, kết quả trả qua mạng hoặc bưu điện."
        ),
        problem=(
            "Dù nhiều thủ tục đã được cung cấp trực tuyến toàn trình, tỷ lệ hồ sơ nộp trực tuyến của xã năm"
            " trước chỉ đạt khoảng 18% vì người dân chưa quen thao tác, ngại khai báo trên điện thoại. Cán "
            "bộ một cửa phải nhập lại thông tin từ hồ sơ giấy, dễ sai sót."
        ),
        solution=(
            "Xã sắp xếp lại bộ phận một cửa, dành một góc tự phục vụ gồm 2 máy tính, máy quét, bảng hướng "
            "dẫn bằng hình ảnh và mã QR dẫn tới từng thủ tục thường gặp. Đoàn viên tình nguyện trực hỗ trợ "
            "người dân đăng nhập bằng VNeID, khai báo, tải giấy tờ và thanh toán lệ phí; các thủ tục khai "
            "sinh, kết hôn, chứng thực bản sao được ưu tiên hướng dẫn trước."
        ),
        results=(
            "Tỷ lệ hồ sơ nộp trực tuyến toàn trình tăng từ 18% lên 76% sau 9 tháng; 3.420 hồ sơ đã được nộp"
            " qua góc tự phục vụ. Thời gian chờ trung bình của người dân tại bộ phận một cửa giảm từ 25 "
            "phút xuống 10 phút; 100% hồ sơ trực tuyến được giải quyết đúng hạn."
        ),
        cost="18 triệu đồng",
        since_months=9,
        contact_name="Đ/c Trịnh Văn Quang – Chủ tịch UBND xã",
        contact_phone="0968203417",
        motifs=("document", "phone"),
        video_url="https://www.youtube.com/watch?v=PhuongTuDVC",
    ),
    DemoInitiative(
        unit="UH-LB-NS",
        category="chinh-quyen-so",
        status=InitiativeStatus.PUBLISHED,
        title="Sổ tay đảng viên điện tử trong sinh hoạt Chi bộ thôn Nhân Sở",
        summary=(
            "Chi bộ thôn Nhân Sở đưa ứng dụng Sổ tay đảng viên điện tử vào sinh hoạt: tài liệu, nghị quyết,"
            " thông báo lịch họp được gửi trước trên ứng dụng, đảng viên điểm danh và góp ý kiến trực "
            "tuyến. Chi bộ không còn in tài liệu giấy cho các kỳ sinh hoạt thường kỳ."
        ),
        problem=(
            "Chi bộ có 48 đảng viên, nhiều đồng chí cao tuổi và một số đảng viên trẻ đi làm ăn xa. Tài liệu"
            " sinh hoạt phải photo và chuyển đến từng nhà, thông báo họp dễ bị sót; đảng viên đi xa khó nắm"
            " bắt nghị quyết và không theo dõi được nội dung sinh hoạt."
        ),
        solution=(
            "Chi ủy hướng dẫn từng đảng viên cài đặt, đăng nhập Sổ tay đảng viên điện tử và phân công 2 "
            "đảng viên trẻ kèm cặp các đồng chí cao tuổi. Tài liệu, chuyên đề sinh hoạt được đăng lên ứng "
            "dụng trước 3 ngày; đảng viên đọc trước, gửi ý kiến, theo dõi đảng phí và kết quả học tập nghị "
            "quyết. Biên bản sinh hoạt được lưu trữ điện tử."
        ),
        results=(
            "47/48 đảng viên (98%) sử dụng ứng dụng thường xuyên; tỷ lệ đảng viên dự sinh hoạt hoặc theo "
            "dõi nội dung sinh hoạt đạt 100%, tăng từ 85%. Chi bộ tiết kiệm khoảng 6 triệu đồng tiền photo "
            "tài liệu mỗi năm; thời gian chuẩn bị một kỳ sinh hoạt giảm từ 2 ngày xuống nửa ngày. Đảng ủy "
            "xã đã chỉ đạo nhân rộng mô hình ra 6 chi bộ thôn khác."
        ),
        cost="Không phát sinh chi phí",
        since_months=16,
        contact_name="Đ/c Nguyễn Văn Kiên – Bí thư Chi bộ thôn Nhân Sở",
        contact_phone="0915478302",
        motifs=("document", "people", "phone"),
        video_url="https://www.youtube.com/watch?v=SoTayDV-NS1",
    ),
    DemoInitiative(
        unit="UH-DH",
        category="chinh-quyen-so",
        status=InitiativeStatus.PUBLISHED,
        title="Bản đồ số thôn, xóm phục vụ quản lý đất đai, hạ tầng và dân cư Xã Đại Hùng",
        summary=(
            "Xã Đại Hùng xây dựng bản đồ số trên nền bản đồ trực tuyến, thể hiện ranh giới thôn, đất công, "
            "đường giao thông, cống, trạm biến áp, hộ nghèo, hộ có người cao tuổi neo đơn. Cán bộ tra cứu "
            "và cập nhật ngay trên điện thoại khi đi cơ sở."
        ),
        problem=(
            "Thông tin về đất công, hạ tầng và dân cư nằm rải rác ở nhiều sổ sách, bản đồ giấy đã cũ. Khi "
            "có vi phạm đất đai, sự cố hạ tầng hay mưa bão, cán bộ mất nhiều thời gian xác định vị trí và "
            "các hộ cần hỗ trợ."
        ),
        solution=(
            "Công chức địa chính cùng đoàn viên thanh niên số hóa bản đồ địa chính, đo bổ sung bằng điện "
            "thoại có GPS và gắn thông tin cho từng lớp dữ liệu: đất công, hạ tầng, điểm ngập úng, hộ chính"
            " sách. Bản đồ được chia sẻ có phân quyền cho lãnh đạo xã, trưởng thôn và công an xã; người dân"
            " xem được lớp thông tin công cộng như bộ phận một cửa, trường học, trạm y tế."
        ),
        results=(
            "Đã số hóa 9 lớp dữ liệu với 1.240 điểm, 386 thửa đất công và 42 km đường giao thông. Thời gian"
            " xác minh một vụ việc đất đai giảm từ khoảng 2 ngày xuống 3 giờ; trong đợt mưa lớn gần nhất, "
            "xã xác định và hỗ trợ 57 hộ ở vùng trũng chỉ trong một buổi sáng. Đã phát hiện, xử lý 11 "
            "trường hợp lấn chiếm đất công."
        ),
        cost="15 triệu đồng",
        since_months=12,
        contact_name="Đ/c Bùi Đức Mạnh – Công chức Địa chính – Xây dựng xã",
        contact_phone="0388146295",
        motifs=("map", "phone"),
    ),
    DemoInitiative(
        unit="UH-VD",
        category="kinh-te-so",
        status=InitiativeStatus.PUBLISHED,
        title="Chợ 4.0 Vân Đình: thanh toán không dùng tiền mặt bằng mã QR tại chợ truyền thống",
        summary=(
            "Thị trấn Vân Đình phối hợp với các ngân hàng và Đoàn Thanh niên hỗ trợ tiểu thương chợ Vân "
            "Đình mở tài khoản, in mã QR thanh toán tại từng quầy hàng. Người mua quét mã để trả tiền, tiểu"
            " thương nhận thông báo ngay qua loa báo và điện thoại."
        ),
        problem=(
            "Chợ Vân Đình có khoảng 420 quầy hàng, giao dịch hầu hết bằng tiền mặt: mất thời gian trả lại "
            "tiền lẻ, dễ nhầm lẫn, nhận phải tiền giả, không an toàn khi tiểu thương mang nhiều tiền mặt về"
            " nhà. Khách trẻ và khách vãng lai ngày càng ít mang tiền mặt."
        ),
        solution=(
            "Tổ công tác gồm cán bộ thị trấn, Ban quản lý chợ, ngân hàng và 20 đoàn viên đến từng quầy "
            "hướng dẫn mở tài khoản, cài ứng dụng ngân hàng, in và ép plastic mã QR, lắp loa báo nhận tiền."
            " Ban quản lý chợ thu phí dịch vụ, phí vệ sinh qua mã QR; chợ treo băng rôn, biển hướng dẫn "
            "“Chợ 4.0 – thanh toán không dùng tiền mặt”."
        ),
        results=(
            "362/420 quầy hàng (86%) có mã QR thanh toán; khoảng 35% giao dịch tại chợ được thanh toán "
            "không dùng tiền mặt, riêng nhóm khách dưới 40 tuổi trên 60%. 100% phí dịch vụ chợ được thu qua"
            " chuyển khoản, bớt được 2 người thu tiền mặt. Sau khi triển khai không còn phản ánh về nhầm "
            "lẫn tiền thối hay tiền giả."
        ),
        cost="Không phát sinh chi phí (ngân hàng tài trợ mã QR và loa báo)",
        since_months=11,
        contact_name="Đ/c Trần Văn Hùng – Công chức Văn hóa – Xã hội thị trấn",
        contact_phone="0912000011",
        motifs=("qr", "phone", "chart", "people"),
        video_url="https://www.youtube.com/watch?v=Cho40VanDnh",
    ),
    DemoInitiative(
        unit="UH-HS",
        category="kinh-te-so",
        status=InitiativeStatus.PUBLISHED,
        title="Đưa sản phẩm OCOP và nông sản của Xã Hoa Sơn lên sàn thương mại điện tử",
        summary=(
            "Xã Hoa Sơn hỗ trợ 14 hộ và hợp tác xã mở gian hàng trên các sàn thương mại điện tử nông sản và"
            " mạng xã hội; chụp ảnh, viết mô tả và gắn tem truy xuất nguồn gốc cho sản phẩm OCOP. Đơn hàng "
            "được bưu điện xã nhận tại nhà và giao toàn quốc."
        ),
        problem=(
            "Các sản phẩm OCOP 3 sao của xã như gạo nếp, mật ong, miến dong chủ yếu bán cho thương lái và "
            "khách quen, giá bấp bênh vào vụ thu hoạch. Người sản xuất chưa biết chụp ảnh, đăng bán, xử lý "
            "đơn hàng trực tuyến."
        ),
        solution=(
            "Xã phối hợp với Bưu điện huyện tổ chức 4 lớp tập huấn thực hành; đoàn viên thanh niên hỗ trợ "
            "chụp ảnh, dựng video ngắn, đăng bán và trả lời khách trong 3 tháng đầu. Mỗi sản phẩm được gắn "
            "mã QR truy xuất nguồn gốc; bưu điện xã nhận hàng tại nhà và giao toàn quốc."
        ),
        results=(
            "14 chủ thể với 23 sản phẩm đã có gian hàng trực tuyến; sau 8 tháng bán được hơn 6.800 đơn "
            "hàng, doanh thu qua kênh trực tuyến khoảng 1,9 tỷ đồng, chiếm 32% doanh thu của các chủ thể. "
            "Giá bán gạo nếp qua kênh trực tuyến cao hơn bán cho thương lái khoảng 15%."
        ),
        cost="30 triệu đồng (tập huấn, chụp ảnh sản phẩm)",
        since_months=8,
        contact_name="Đ/c Đặng Thị Lan – Phó Chủ tịch UBND xã",
        contact_phone="0356829410",
        motifs=("chart", "leaves"),
    ),
    DemoInitiative(
        unit="UH-DTN",
        category="kinh-te-so",
        status=InitiativeStatus.PUBLISHED,
        title="Thanh niên Ứng Hòa livestream hỗ trợ bà con tiêu thụ nông sản",
        summary=(
            "Huyện đoàn Ứng Hòa thành lập đội “Thanh niên livestream” gồm 36 đoàn viên, định kỳ phát trực "
            "tiếp tại ruộng, ao, xưởng sản xuất để giới thiệu và bán nông sản của bà con trên mạng xã hội. "
            "Sau mỗi phiên, đội hướng dẫn người sản xuất tự bán hàng trực tuyến."
        ),
        problem=(
            "Vào chính vụ, nhiều hộ trồng rau, nuôi cá, làm bánh gặp khó khăn khi tiêu thụ, phụ thuộc "
            "thương lái và bị ép giá. Người sản xuất lớn tuổi ngại tiếp cận mạng xã hội, chưa biết cách "
            "giới thiệu sản phẩm trực tuyến."
        ),
        solution=(
            "Huyện đoàn tập huấn kỹ năng livestream, quay dựng video ngắn cho đoàn viên nòng cốt ở 12 cơ sở"
            " đoàn; mỗi tháng tổ chức ít nhất 4 phiên livestream tại địa phương có nông sản vào vụ. Đơn "
            "hàng được tổng hợp trên bảng tính dùng chung, đoàn viên phối hợp với bưu điện và các hộ giao "
            "hàng; sau mỗi phiên, đội hướng dẫn 1–2 hộ tự mở kênh bán hàng."
        ),
        results=(
            "Sau 12 tháng, đội đã thực hiện 58 phiên livestream với khoảng 410.000 lượt xem, tiêu thụ hơn "
            "35 tấn nông sản, doanh thu khoảng 1,2 tỷ đồng cho bà con. 74 hộ sản xuất đã tự mở kênh bán "
            "hàng trực tuyến; mô hình được nhân rộng ra 5 cơ sở đoàn."
        ),
        cost="Không phát sinh chi phí (đoàn viên dùng thiết bị cá nhân)",
        since_months=13,
        contact_name="Đ/c Lương Thị Ngọc Ánh – Phó Bí thư Huyện đoàn",
        contact_phone="0869357120",
        motifs=("phone", "people"),
        video_url="https://www.youtube.com/watch?v=TNLive-UH25",
    ),
    DemoInitiative(
        unit="UH-VD",
        category="kinh-te-so",
        status=InitiativeStatus.DRAFT,
        title=(
            "Sổ bán hàng số và hóa đơn điện tử khởi tạo từ máy tính tiền cho hộ kinh doanh Thị trấn Vân Đình"
        ),
        summary=(
            "Thị trấn phối hợp với cơ quan thuế hướng dẫn hộ kinh doanh dùng sổ bán hàng trên điện thoại và"
            " hóa đơn điện tử khởi tạo từ máy tính tiền, minh bạch doanh thu và quản lý hàng tồn kho."
        ),
        problem=(
            "Phần lớn hộ kinh doanh ghi chép bằng sổ tay, không nắm được lãi lỗ, tồn kho; khi cơ quan thuế "
            "yêu cầu sử dụng hóa đơn điện tử, nhiều hộ lúng túng, lo ngại chi phí."
        ),
        solution=(
            "Tổ công tác chọn 2 ứng dụng bán hàng miễn phí, hướng dẫn hộ kinh doanh nhập danh mục hàng, bán"
            " hàng, xuất hóa đơn điện tử kết nối với cơ quan thuế; mỗi tổ dân phố có 1 đoàn viên hỗ trợ."
        ),
        results=(
            "Bước đầu 126 hộ kinh doanh đã dùng sổ bán hàng số, 58 hộ xuất hóa đơn điện tử từ máy tính "
            "tiền; đơn vị đang tiếp tục tổng hợp số liệu."
        ),
        cost="Không phát sinh chi phí",
        since_months=4,
        contact_name="Đ/c Trần Văn Hùng – Công chức Văn hóa – Xã hội thị trấn",
        contact_phone="0912000011",
        motifs=("document",),
    ),
    DemoInitiative(
        unit="UH-HX",
        category="kinh-te-so",
        status=InitiativeStatus.PUBLISHED,
        title="Thu phí vệ sinh môi trường và tiền nước sạch qua mã QR tại Xã Hòa Xá",
        summary=(
            "Xã Hòa Xá chuyển việc thu phí vệ sinh môi trường và tiền nước sạch từ thu tiền mặt tận nhà "
            "sang thanh toán qua mã QR và ứng dụng ngân hàng. Mỗi hộ nhận thông báo số tiền qua Zalo kèm mã"
            " QR riêng, hệ thống tự đối soát."
        ),
        problem=(
            "Trước đây mỗi tháng 6 cán bộ thôn phải đi thu tiền từng hộ, mất 5–7 ngày, nhiều hộ vắng nhà "
            "phải đến nhiều lần. Việc ghi biên lai, nộp tiền về xã dễ sai sót, chậm trễ và khó công khai."
        ),
        solution=(
            "Xã và hợp tác xã dịch vụ lập danh sách 1.080 hộ trên phần mềm thu phí, mỗi hộ có mã QR gắn với"
            " số tiền phải nộp. Thông báo và mã QR được gửi qua nhóm Zalo thôn và tin nhắn; tiền vào thẳng "
            "tài khoản của đơn vị thu, hệ thống tự gạch nợ. Hộ cao tuổi vẫn có thể nộp tiền mặt tại nhà văn"
            " hóa thôn."
        ),
        results=(
            "81% số hộ đã nộp phí qua mã QR; thời gian thu phí mỗi tháng giảm từ 7 ngày xuống 2 ngày, tỷ lệ"
            " thu đúng hạn tăng từ 78% lên 96%. Không còn sai lệch giữa biên lai và số tiền nộp về; tiết "
            "kiệm khoảng 40 triệu đồng mỗi năm tiền thù lao thu hộ."
        ),
        cost="8 triệu đồng",
        since_months=9,
        contact_name="Đ/c Chu Văn Tiến – Phó Chủ tịch UBND xã",
        contact_phone="0942615873",
        motifs=("qr",),
    ),
    DemoInitiative(
        unit="UH-SC",
        category="xa-hoi-so",
        status=InitiativeStatus.PUBLISHED,
        title="Tổ công nghệ số cộng đồng “đi từng ngõ, gõ từng nhà” tại Xã Sơn Công",
        summary=(
            "Xã Sơn Công thành lập 9 tổ công nghệ số cộng đồng với 63 thành viên là cán bộ thôn, đoàn viên,"
            " hội viên phụ nữ và giáo viên. Các tổ đến từng hộ hướng dẫn cài đặt VNeID, iHanoi, ứng dụng "
            "ngân hàng và cách nhận diện lừa đảo trực tuyến."
        ),
        problem=(
            "Nhiều người dân, nhất là người trên 50 tuổi, có điện thoại thông minh nhưng chỉ dùng để gọi "
            "điện, xem video; chưa biết dùng dịch vụ công trực tuyến, thanh toán điện tử và dễ bị lừa đảo "
            "qua mạng. Các lớp tập huấn tập trung ở hội trường xã ít người tham dự."
        ),
        solution=(
            "Mỗi thôn có 1 tổ do bí thư chi bộ làm tổ trưởng, mỗi thành viên phụ trách 20–30 hộ. Tổ cầm tay"
            " chỉ việc tại nhà theo danh sách kỹ năng: cài đặt VNeID, iHanoi, mở tài khoản ngân hàng, nhận "
            "biết cuộc gọi và tin nhắn lừa đảo; kết quả được tổng hợp hằng tuần trên biểu mẫu trực tuyến."
        ),
        results=(
            "Sau 15 tháng, các tổ đã hỗ trợ 3.240 lượt người; tỷ lệ người trưởng thành sử dụng điện thoại "
            "thông minh đạt 86%, người có tài khoản thanh toán điện tử tăng từ 41% lên 72%. 2.150 người đã "
            "cài đặt và sử dụng iHanoi; số vụ lừa đảo qua mạng được trình báo giảm từ 9 vụ xuống 2 vụ mỗi "
            "năm."
        ),
        cost="Không phát sinh chi phí",
        since_months=15,
        contact_name="Đ/c Hà Thị Mai – Phó Bí thư Thường trực Đảng ủy xã",
        contact_phone="0977084536",
        motifs=("people", "phone"),
        video_url="https://www.youtube.com/watch?v=ToCNSoSC_15",
    ),
    DemoInitiative(
        unit="UH-VHTT",
        category="xa-hoi-so",
        status=InitiativeStatus.PUBLISHED,
        title="Thư viện số huyện Ứng Hòa: mượn, đọc sách và tài liệu địa chí trên điện thoại",
        summary=(
            "Phòng Văn hóa và Thông tin xây dựng thư viện số với hơn 3.500 đầu sách điện tử, sách nói và "
            "tài liệu địa chí về Ứng Hòa; bạn đọc đăng nhập bằng số điện thoại để đọc, nghe và đặt mượn "
            "sách in. Mã QR của thư viện được đặt tại nhà văn hóa, trường học và điểm bưu điện."
        ),
        problem=(
            "Thư viện huyện ít bạn đọc đến trực tiếp, tủ sách ở các thôn nghèo nàn và ít được cập nhật. Tài"
            " liệu quý về lịch sử, di tích, làng nghề của huyện chỉ có bản giấy, dễ hư hỏng và khó tiếp "
            "cận."
        ),
        solution=(
            "Phòng số hóa 620 tài liệu địa chí, ảnh tư liệu; liên kết kho sách điện tử, sách nói có bản "
            "quyền; xây dựng trang thư viện số dùng tốt trên điện thoại. Mỗi nhà văn hóa thôn, trường học "
            "có mã QR dẫn vào thư viện; cán bộ văn hóa xã được tập huấn để giới thiệu cho người dân."
        ),
        results=(
            "Sau 1 năm, thư viện số có 9.800 tài khoản bạn đọc và 126.000 lượt truy cập, trong đó 58% là "
            "học sinh. 620 tài liệu địa chí được bảo quản dưới dạng số; số lượt mượn sách in tăng 35% nhờ "
            "đặt mượn trực tuyến."
        ),
        cost="65 triệu đồng",
        since_months=12,
        contact_name="Đ/c Phạm Quốc Khánh – Chuyên viên Phòng Văn hóa và Thông tin",
        contact_phone="0912000013",
        motifs=("books", "qr"),
    ),
    DemoInitiative(
        unit="UH-VHTT",
        category="xa-hoi-so",
        status=InitiativeStatus.WITHDRAWN,
        title="Thuyết minh di tích lịch sử – văn hóa bằng mã QR",
        summary=(
            "Gắn biển mã QR tại 25 di tích đã xếp hạng; khách tham quan quét mã để nghe thuyết minh, xem "
            "ảnh, video và bản đồ chỉ đường bằng tiếng Việt và tiếng Anh."
        ),
        problem=(
            "Các di tích thiếu người thuyết minh, thông tin trên bia, biển giới thiệu còn ít; khách tham "
            "quan, học sinh khó tìm hiểu giá trị lịch sử của di tích."
        ),
        solution=(
            "Phòng biên soạn nội dung thuyết minh, thu âm, chụp ảnh 360 độ và xây dựng trang thông tin cho "
            "từng di tích; biển QR được đặt tại cổng và các hạng mục chính."
        ),
        results=(
            "Đã triển khai tại 25 di tích với 38 biển QR, ghi nhận hơn 14.000 lượt quét sau 6 tháng; 12 "
            "trường học dùng nội dung trong giờ học lịch sử địa phương."
        ),
        cost="48 triệu đồng",
        since_months=6,
        contact_name="Đ/c Phạm Quốc Khánh – Chuyên viên Phòng Văn hóa và Thông tin",
        contact_phone="0912000013",
        motifs=("qr",),
        reason=(
            "Đơn vị xin rút sáng kiến để hợp nhất nội dung vào mô hình “Thư viện số huyện Ứng Hòa” đã gửi "
            "dự thi, tránh trùng lặp."
        ),
    ),
    DemoInitiative(
        unit="UH-VA",
        category="xa-hoi-so",
        status=InitiativeStatus.PUBLISHED,
        title="Camera giám sát an ninh trật tự kết nối về Công an xã Viên An",
        summary=(
            "Xã Viên An vận động nhân dân và doanh nghiệp lắp 64 camera tại các trục đường, ngã ba, cổng "
            "trường và nhà văn hóa, kết nối về màn hình giám sát của Công an xã và điện thoại của trưởng "
            "thôn. Hình ảnh được dùng để phòng ngừa, phát hiện vi phạm và hỗ trợ điều tra."
        ),
        problem=(
            "Địa bàn xã rộng, nhiều tuyến đường nội đồng vắng, từng xảy ra trộm cắp tài sản, đổ trộm phế "
            "thải và vi phạm an toàn giao thông. Lực lượng công an xã mỏng, không thể tuần tra thường xuyên"
            " ở mọi nơi."
        ),
        solution=(
            "Theo phương châm “Nhà nước và nhân dân cùng làm”, mỗi thôn đóng góp kinh phí lắp camera tại "
            "các điểm trọng yếu; camera có hồng ngoại quan sát ban đêm, lưu hình 30 ngày. Công an xã xem "
            "trực tiếp trên màn hình tại trụ sở, trưởng thôn xem qua ứng dụng trên điện thoại; xã ban hành "
            "quy chế bảo mật và khai thác hình ảnh."
        ),
        results=(
            "Sau 1 năm, số vụ trộm cắp tài sản giảm 70% (từ 23 xuống 7 vụ); hình ảnh camera giúp làm rõ 9 "
            "vụ việc và phát hiện 31 trường hợp đổ trộm phế thải. Không còn tình trạng tụ tập đua xe ban "
            "đêm trên tuyến đê; người dân yên tâm hơn khi đi làm đồng sớm."
        ),
        cost="192 triệu đồng (nhân dân và doanh nghiệp đóng góp)",
        since_months=17,
        contact_name="Đ/c Đinh Công Sơn – Trưởng Công an xã",
        contact_phone="0393721846",
        motifs=("map", "chart"),
        video_url="https://www.youtube.com/watch?v=CamAnNinhVA",
    ),
    DemoInitiative(
        unit="UH-TT",
        category="xa-hoi-so",
        status=InitiativeStatus.PUBLISHED,
        title=(
            "Đèn chiếu sáng công cộng thông minh, tự bật tắt theo lịch và điều khiển từ xa tại Xã Trường "
            "Thịnh"
        ),
        summary=(
            "Xã Trường Thịnh thay 420 bóng đèn cũ bằng đèn LED có bộ điều khiển thông minh, tự động bật "
            "tắt, giảm độ sáng sau 23 giờ và báo lỗi về điện thoại của cán bộ phụ trách. Điện năng tiêu thụ"
            " cho chiếu sáng công cộng giảm gần một nửa."
        ),
        problem=(
            "Hệ thống đèn đường dùng bóng cao áp cũ, bật tắt bằng công tắc hẹn giờ cơ, thường sai giờ khi "
            "thay đổi mùa. Đèn hỏng nhiều ngày mới phát hiện; tiền điện chiếm phần lớn kinh phí sự nghiệp "
            "giao thông của xã."
        ),
        solution=(
            "Xã lắp 14 tủ điều khiển kết nối mạng di động cho các tuyến đường trục thôn, thay bóng LED có "
            "chế độ giảm công suất. Lịch bật tắt được cài theo giờ mặt trời lặn, mọc; cán bộ phụ trách theo"
            " dõi trạng thái từng tuyến trên điện thoại và nhận cảnh báo khi tủ mất điện hoặc đèn hỏng."
        ),
        results=(
            "Tiền điện chiếu sáng công cộng giảm 46%, tiết kiệm khoảng 86 triệu đồng mỗi năm. Thời gian "
            "phát hiện đèn hỏng rút ngắn từ 3–5 ngày xuống trong ngày; 100% tuyến đường trục thôn được "
            "chiếu sáng đủ đến 23 giờ và duy trì 50% độ sáng đến 5 giờ sáng."
        ),
        cost="310 triệu đồng (ngân sách xã và xã hội hóa)",
        since_months=19,
        contact_name="Đ/c Nguyễn Đình Hưng – Công chức Địa chính – Xây dựng xã",
        contact_phone="0985630274",
        motifs=("light",),
    ),
    DemoInitiative(
        unit="UH-DT",
        category="xa-hoi-so",
        status=InitiativeStatus.PUBLISHED,
        title="Đài truyền thanh thông minh ứng dụng công nghệ thông tin – viễn thông tại Xã Đồng Tiến",
        summary=(
            "Xã Đồng Tiến thay hệ thống loa truyền thanh dây cũ bằng 26 cụm loa thông minh dùng sóng di "
            "động, điều khiển và phát bản tin từ điện thoại hoặc máy tính. Bản tin được biên tập ngắn, phát"
            " theo khung giờ của từng thôn và đăng lại trên nhóm Zalo."
        ),
        problem=(
            "Hệ thống loa dây đã xuống cấp, nhiều cụm loa hỏng, đứt dây sau mưa bão, âm thanh rè. Muốn phát"
            " thông báo khẩn về thiên tai, dịch bệnh, cán bộ phải về trụ sở xã mới thực hiện được."
        ),
        solution=(
            "Xã đầu tư 26 cụm loa thông minh dùng SIM 4G, phát đồng loạt hoặc riêng từng thôn và cài lịch "
            "phát bản tin sáng, chiều. Cán bộ văn hóa soạn bản tin, dùng công cụ chuyển văn bản thành giọng"
            " nói khi cần phát gấp; mỗi bản tin được đăng kèm trên Zalo và trang thông tin của xã để người "
            "đi làm xa nghe lại."
        ),
        results=(
            "100% thôn được phủ sóng truyền thanh, không còn cụm loa hỏng kéo dài; thời gian phát một thông"
            " báo khẩn giảm từ khoảng 30 phút xuống dưới 5 phút. Đã phát 540 bản tin trong năm, mỗi bản tin"
            " trên Zalo có trung bình 1.100 lượt nghe; chi phí bảo trì giảm khoảng 60% so với hệ thống cũ."
        ),
        cost="260 triệu đồng",
        since_months=22,
        contact_name="Đ/c Lại Thị Huyền – Công chức Văn hóa – Xã hội xã",
        contact_phone="0904172639",
        motifs=("map", "people"),
    ),
    DemoInitiative(
        unit="UH-LB",
        category="xa-hoi-so",
        status=InitiativeStatus.RETURNED,
        title="Lớp “Bình dân học vụ số” cho người cao tuổi Xã Liên Bạt",
        summary=(
            "Hội Người cao tuổi và Đoàn Thanh niên xã mở các lớp “Bình dân học vụ số” buổi tối tại nhà văn "
            "hóa thôn, mỗi lớp 15–20 học viên học 4 buổi về sử dụng điện thoại thông minh, VNeID, thanh "
            "toán điện tử và phòng tránh lừa đảo."
        ),
        problem=(
            "Xã có khoảng 1.300 người cao tuổi, phần lớn chưa tự dùng được các dịch vụ số, phải nhờ con "
            "cháu hoặc cán bộ làm hộ và dễ bị lừa đảo qua điện thoại."
        ),
        solution=(
            "Giáo trình 4 buổi bằng hình ảnh, in chữ lớn; mỗi đoàn viên kèm 1–3 học viên, học viên thực "
            "hành ngay trên điện thoại của mình và được cấp giấy chứng nhận khi hoàn thành."
        ),
        results=(
            "Đã mở 18 lớp với 326 học viên, 290 người hoàn thành; 85% học viên tự kích hoạt được VNeID và "
            "thực hiện được giao dịch chuyển khoản."
        ),
        cost="5 triệu đồng (in tài liệu)",
        since_months=5,
        contact_name="Đ/c Đỗ Văn Tùng – Bí thư Đoàn Thanh niên xã",
        contact_phone="0334906157",
        motifs=("people",),
        reason=(
            "Đề nghị đơn vị bổ sung: (1) số liệu kết quả theo từng nội dung học, ví dụ số người tự nộp được"
            " hồ sơ trực tuyến, số người còn dùng thanh toán điện tử sau 3 tháng; (2) ảnh chụp thực tế các "
            "buổi học thay cho ảnh minh họa; (3) cách duy trì lớp học sau khi kết thúc đợt."
        ),
    ),
    DemoInitiative(
        unit="UH-THPT-A",
        category="giao-duc",
        status=InitiativeStatus.PUBLISHED,
        title="Thu học phí và các khoản thu không dùng tiền mặt tại Trường THPT Ứng Hòa A",
        summary=(
            "Nhà trường thu học phí, bảo hiểm y tế học sinh và các khoản thu theo quy định qua mã QR và ứng"
            " dụng ngân hàng, kết nối với phần mềm quản lý trường học. Phụ huynh nhận thông báo trên sổ "
            "liên lạc điện tử và biên lai điện tử ngay sau khi nộp."
        ),
        problem=(
            "Với 1.450 học sinh, mỗi đợt thu giáo viên chủ nhiệm phải nhận tiền mặt, ghi sổ và nộp lại cho "
            "kế toán; việc này lấy mất thời gian của giáo viên, dễ nhầm lẫn, thất lạc, và học sinh mang "
            "tiền đến trường không an toàn."
        ),
        solution=(
            "Trường phối hợp với ngân hàng triển khai thu hộ, mỗi học sinh có mã thanh toán riêng; khoản "
            "thu được đẩy lên phần mềm quản lý và gửi thông báo cho phụ huynh kèm mã QR. Tiền về tài khoản "
            "của trường, hệ thống tự đối soát và xuất biên lai điện tử; kế toán theo dõi danh sách chưa nộp"
            " theo thời gian thực."
        ),
        results=(
            "98,6% phụ huynh nộp các khoản thu bằng hình thức không dùng tiền mặt; thời gian hoàn thành một"
            " đợt thu giảm từ 3 tuần xuống 5 ngày. Giáo viên chủ nhiệm không còn phải thu tiền, kế toán "
            "tiết kiệm khoảng 60 giờ công mỗi học kỳ; 100% biên lai là biên lai điện tử."
        ),
        cost="Không phát sinh chi phí",
        since_months=20,
        contact_name="Đ/c Nguyễn Thị Phương – Phó Hiệu trưởng",
        contact_phone="0913847265",
        motifs=("qr", "chart"),
    ),
    DemoInitiative(
        unit="UH-THPT-B",
        category="giao-duc",
        status=InitiativeStatus.PUBLISHED,
        title="Ngân hàng đề và kiểm tra trực tuyến trên hệ thống học tập LMS của Trường THPT Ứng Hòa B",
        summary=(
            "Các tổ chuyên môn xây dựng ngân hàng hơn 12.000 câu hỏi trắc nghiệm có phân loại mức độ, tổ "
            "chức kiểm tra thường xuyên, ôn tập và thi thử tốt nghiệp THPT trên hệ thống học tập trực tuyến"
            " (LMS). Bài làm được chấm và phân tích tự động."
        ),
        problem=(
            "Giáo viên mất nhiều thời gian ra đề, in đề, chấm bài trắc nghiệm; học sinh ít có cơ hội luyện "
            "tập với phản hồi ngay. Nhà trường khó nắm được học sinh còn yếu ở phần kiến thức nào để phụ "
            "đạo kịp thời."
        ),
        solution=(
            "Mỗi tổ chuyên môn phân công biên soạn, phản biện câu hỏi theo ma trận đề; đề kiểm tra được "
            "trộn ngẫu nhiên cho từng học sinh. Học sinh làm bài tại phòng máy hoặc trên điện thoại; hệ "
            "thống thống kê tỷ lệ trả lời đúng theo từng chủ đề để giáo viên điều chỉnh kế hoạch ôn tập."
        ),
        results=(
            "Ngân hàng đề có 12.480 câu hỏi của 9 môn; đã tổ chức 146 bài kiểm tra với 41.000 lượt làm bài."
            " Thời gian chấm và tổng hợp điểm giảm khoảng 80%, tiết kiệm khoảng 70 triệu đồng tiền in đề "
            "mỗi năm. Điểm trung bình thi tốt nghiệp THPT các môn trắc nghiệm của trường tăng 0,42 điểm so "
            "với năm trước."
        ),
        cost="20 triệu đồng (bồi dưỡng biên soạn câu hỏi)",
        since_months=18,
        contact_name="Đ/c Vũ Văn Hải – Hiệu trưởng",
        contact_phone="0962458031",
        motifs=("document", "chart"),
        video_url="https://www.youtube.com/watch?v=LmsUHB-2024",
    ),
    DemoInitiative(
        unit="UH-THCS-VD",
        category="giao-duc",
        status=InitiativeStatus.SUBMITTED,
        title="Sổ liên lạc điện tử và điểm danh học sinh bằng thẻ QR tại Trường THCS Thị trấn Vân Đình",
        summary=(
            "Mỗi học sinh được cấp thẻ có mã QR để điểm danh khi đến trường; phụ huynh nhận thông báo trên "
            "sổ liên lạc điện tử khi con vắng mặt chưa xin phép, cùng điểm số, nhận xét và lịch học. Giáo "
            "viên chủ nhiệm theo dõi chuyên cần trên điện thoại."
        ),
        problem=(
            "Điểm danh thủ công đầu giờ mất 5–10 phút mỗi lớp; phụ huynh thường chỉ biết con nghỉ học, bỏ "
            "tiết sau nhiều ngày. Điểm số, nhận xét gửi về gia đình qua sổ liên lạc giấy chậm và dễ bị học "
            "sinh che giấu."
        ),
        solution=(
            "Trường in thẻ học sinh có mã QR, lắp 4 máy quét tại cổng và dùng điện thoại của giáo viên để "
            "quét tại lớp. Dữ liệu điểm danh đồng bộ với phần mềm quản lý trường học và sổ liên lạc điện "
            "tử; phụ huynh nhận tin qua ứng dụng trong vòng 15 phút sau giờ vào học."
        ),
        results=(
            "980 học sinh đã dùng thẻ QR; thời gian điểm danh giảm từ 7 phút xuống dưới 1 phút mỗi lớp. 94%"
            " phụ huynh cài đặt và dùng sổ liên lạc điện tử; số lượt học sinh nghỉ học không phép giảm 62% "
            "sau một học kỳ."
        ),
        cost="24 triệu đồng",
        since_months=6,
        contact_name="Đ/c Hoàng Thị Thúy – Phó Hiệu trưởng",
        contact_phone="0358274910",
        motifs=("qr",),
    ),
    DemoInitiative(
        unit="UH-TH-LB",
        category="giao-duc",
        status=InitiativeStatus.DRAFT,
        title="Tủ sách số và học liệu điện tử cho học sinh Trường Tiểu học Liên Bạt",
        summary=(
            "Nhà trường xây dựng tủ sách số gồm truyện, sách nói và video bài giảng phù hợp với học sinh "
            "tiểu học; học sinh đọc trên máy tính bảng tại thư viện và qua tài khoản của phụ huynh ở nhà."
        ),
        problem=(
            "Thư viện trường ít đầu sách mới, học sinh vùng nông thôn ít có điều kiện tiếp cận sách thiếu "
            "nhi."
        ),
        solution=(
            "Giáo viên chọn lọc học liệu, gắn mã QR ở góc đọc sách của từng lớp và hướng dẫn phụ huynh cho "
            "con đọc tại nhà, có giới hạn thời gian dùng thiết bị."
        ),
        results="Đang tổng hợp số liệu; dự kiến 760 học sinh có tài khoản đọc sách số trong học kỳ tới.",
        cost="12 triệu đồng",
        since_months=3,
        contact_name="Đ/c Trần Thị Hoa – Hiệu trưởng",
        contact_phone="0387562014",
        motifs=("books",),
    ),
    DemoInitiative(
        unit="UH-YT",
        category="y-te",
        status=InitiativeStatus.PUBLISHED,
        title="Hồ sơ sức khỏe điện tử cho người dân huyện Ứng Hòa",
        summary=(
            "Trung tâm Y tế huyện cùng các trạm y tế xã, thị trấn lập và cập nhật hồ sơ sức khỏe điện tử "
            "cho người dân, liên thông với sổ sức khỏe điện tử trên VNeID. Người dân tra cứu lịch sử khám "
            "chữa bệnh, tiêm chủng; bác sĩ xem được tiền sử bệnh khi khám."
        ),
        problem=(
            "Thông tin sức khỏe của người dân nằm rải rác trên sổ khám bệnh giấy và phần mềm của từng cơ "
            "sở. Khi chuyển tuyến hoặc khám lại, bác sĩ không có tiền sử bệnh, người dân phải mang theo "
            "nhiều giấy tờ và nhiều xét nghiệm bị làm lại."
        ),
        solution=(
            "Trung tâm triển khai phần mềm hồ sơ sức khỏe điện tử dùng chung, nhập liệu từ các đợt khám sức"
            " khỏe định kỳ, quản lý bệnh không lây nhiễm và tiêm chủng; kết nối dữ liệu khám chữa bệnh với "
            "sổ sức khỏe điện tử trên VNeID. Nhân viên y tế thôn hướng dẫn người dân tra cứu; người mắc "
            "tăng huyết áp, đái tháo đường được nhắc lịch tái khám qua tin nhắn."
        ),
        results=(
            "Đã lập 162.000 hồ sơ sức khỏe điện tử, đạt 87% dân số; 100% trạm y tế dùng chung dữ liệu. "
            "14.600 người bệnh tăng huyết áp, đái tháo đường được quản lý trên hệ thống, tỷ lệ tái khám "
            "đúng hẹn tăng từ 61% lên 88%. Số xét nghiệm trùng lặp khi người bệnh chuyển từ trạm y tế lên "
            "Trung tâm giảm khoảng 20%."
        ),
        cost="Không phát sinh chi phí (dùng phần mềm do Sở Y tế cung cấp)",
        since_months=21,
        contact_name="BSCKII Nguyễn Văn Thắng – Phó Giám đốc Trung tâm Y tế huyện",
        contact_phone="0912736408",
        motifs=("health", "phone"),
        video_url="https://www.youtube.com/watch?v=HsskUngHoa1",
    ),
    DemoInitiative(
        unit="UH-YT",
        category="y-te",
        status=InitiativeStatus.PUBLISHED,
        title="Đặt lịch khám trực tuyến và thanh toán viện phí không dùng tiền mặt tại Trung tâm Y tế huyện",
        summary=(
            "Người bệnh đặt lịch khám qua Zalo OA, tổng đài hoặc trang thông tin của Trung tâm, nhận số thứ"
            " tự và giờ khám dự kiến; khi đến khám dùng căn cước gắn chip thay thẻ bảo hiểm y tế và thanh "
            "toán viện phí bằng mã QR."
        ),
        problem=(
            "Khoa Khám bệnh tiếp đón 700–900 lượt mỗi ngày; người bệnh phải đến từ 5–6 giờ sáng để lấy số, "
            "chờ lâu ở các khâu đăng ký và thu tiền. Quầy thu viện phí thường xuyên quá tải và phải giữ "
            "nhiều tiền mặt."
        ),
        solution=(
            "Trung tâm tích hợp chức năng đặt lịch vào Zalo OA và hệ thống thông tin bệnh viện, chia khung "
            "giờ khám 30 phút; lắp 4 ki-ốt đọc căn cước gắn chip để đăng ký khám. Mỗi phiếu chỉ định và hóa"
            " đơn có mã QR thanh toán riêng; tiền về tài khoản của Trung tâm, hệ thống tự xác nhận để người"
            " bệnh đi làm xét nghiệm, nhận thuốc."
        ),
        results=(
            "32% người bệnh đặt lịch trước; thời gian chờ trung bình từ đăng ký đến khi vào khám giảm từ 95"
            " phút xuống 40 phút. 100% người bệnh có bảo hiểm y tế dùng căn cước gắn chip; 58% giao dịch "
            "viện phí được thanh toán không dùng tiền mặt, bớt được 2 quầy thu tiền mặt."
        ),
        cost="350 triệu đồng (ki-ốt và nâng cấp phần mềm)",
        since_months=14,
        contact_name="CN. Tạ Thị Ngọc Lan – Trưởng phòng Kế hoạch – Nghiệp vụ",
        contact_phone="0948251637",
        motifs=("health", "qr"),
    ),
    DemoInitiative(
        unit="UH-CT",
        category="y-te",
        status=InitiativeStatus.REJECTED,
        title="Nhắc lịch tiêm chủng cho trẻ em qua Zalo tại Trạm Y tế Xã Cao Thành",
        summary=(
            "Trạm Y tế xã lập nhóm Zalo cho phụ huynh có con trong độ tuổi tiêm chủng, gửi nhắc lịch tiêm "
            "trước 3 ngày và thông báo khi có vắc xin mới."
        ),
        problem=(
            "Một số phụ huynh quên lịch tiêm nên trẻ tiêm muộn, tiêm không đủ mũi; trạm phải gọi điện đến "
            "từng gia đình."
        ),
        solution=(
            "Cán bộ trạm xuất danh sách trẻ đến hẹn từ hệ thống quản lý tiêm chủng, gửi tin nhắc qua nhóm "
            "Zalo theo thôn và nhắn riêng cho từng phụ huynh."
        ),
        results="Tỷ lệ trẻ tiêm đúng lịch tăng từ 88% lên 97%; 412 phụ huynh tham gia các nhóm Zalo.",
        cost="Không phát sinh chi phí",
        since_months=10,
        contact_name="Đ/c Phạm Thị Nga – Trạm trưởng Trạm Y tế xã",
        contact_phone="0976310428",
        motifs=("health",),
        reason=(
            "Sáng kiến chủ yếu dùng nhóm Zalo để nhắc lịch tiêm; chức năng này đã có trong hệ thống quản lý"
            " tiêm chủng và trong mô hình “Hồ sơ sức khỏe điện tử” của Trung tâm Y tế huyện đã được đăng, "
            "nên chưa đáp ứng tiêu chí sáng tạo và khả năng nhân rộng của thể lệ. Ban tổ chức ghi nhận cách"
            " làm và đề nghị đơn vị phối hợp với Trung tâm Y tế để triển khai."
        ),
    ),
    DemoInitiative(
        unit="UH-NN",
        category="nong-nghiep",
        status=InitiativeStatus.PUBLISHED,
        title="Tem QR truy xuất nguồn gốc nông sản an toàn cho các vùng sản xuất của huyện Ứng Hòa",
        summary=(
            "Phòng Nông nghiệp và Phát triển nông thôn hướng dẫn hợp tác xã, hộ sản xuất ghi nhật ký sản "
            "xuất điện tử và gắn tem QR truy xuất nguồn gốc trên hệ thống của thành phố. Người mua quét mã "
            "để biết nơi trồng, quy trình chăm sóc, ngày thu hoạch và chứng nhận của sản phẩm."
        ),
        problem=(
            "Rau, gạo, cá, trứng vịt của huyện có chất lượng nhưng khó vào siêu thị, bếp ăn tập thể vì "
            "không chứng minh được nguồn gốc. Người tiêu dùng e ngại hàng trôi nổi nên giá bán thấp."
        ),
        solution=(
            "Phòng chọn 12 hợp tác xã làm điểm, cấp tài khoản, tập huấn ghi nhật ký trên điện thoại: ngày "
            "gieo trồng, phân bón, thuốc bảo vệ thực vật, ngày thu hoạch. Mỗi lô hàng được in tem QR có mã "
            "lô; cán bộ khuyến nông kiểm tra ngẫu nhiên nhật ký so với thực tế đồng ruộng; các sản phẩm "
            "OCOP bắt buộc gắn tem."
        ),
        results=(
            "12 hợp tác xã với 46 sản phẩm đã có mã truy xuất, hơn 420.000 tem QR đã được sử dụng. Sản "
            "lượng tiêu thụ qua siêu thị và bếp ăn tập thể tăng 2,3 lần; rau an toàn có tem QR bán cao hơn "
            "10–15% so với cùng loại không có tem. 3 hợp tác xã đã ký hợp đồng cung ứng thường xuyên cho "
            "chuỗi cửa hàng thực phẩm sạch trong nội thành."
        ),
        cost="90 triệu đồng (tập huấn và in tem)",
        since_months=23,
        contact_name="Đ/c Kim Văn Thịnh – Phó Trưởng phòng Nông nghiệp và Phát triển nông thôn",
        contact_phone="0989417352",
        motifs=("qr", "leaves", "phone"),
        video_url="https://www.youtube.com/watch?v=TemQR-NS-UH",
    ),
    DemoInitiative(
        unit="UH-DB",
        category="nong-nghiep",
        status=InitiativeStatus.SUBMITTED,
        title="Quan trắc nước ao nuôi cá bằng cảm biến IoT, cảnh báo qua điện thoại tại Xã Đội Bình",
        summary=(
            "Hợp tác xã thủy sản xã Đội Bình lắp cảm biến đo oxy hòa tan, nhiệt độ, độ pH tại 18 ao nuôi cá"
            " thâm canh; số liệu gửi về điện thoại 10 phút một lần, hệ thống cảnh báo và tự bật máy sục khí"
            " khi oxy xuống thấp."
        ),
        problem=(
            "Vùng chuyển đổi ruộng trũng sang nuôi cá của xã rộng hơn 60 ha. Vào mùa nắng nóng hoặc khi "
            "thời tiết thay đổi đột ngột, cá thường chết do thiếu oxy vào ban đêm, có hộ thiệt hại hàng "
            "trăm triệu đồng mỗi vụ."
        ),
        solution=(
            "Hợp tác xã phối hợp với một doanh nghiệp công nghệ trong nước lắp 18 bộ cảm biến dùng năng "
            "lượng mặt trời, kết nối 4G; ngưỡng cảnh báo được cài theo từng loài cá. Khi oxy hòa tan dưới "
            "ngưỡng, hệ thống gọi điện, nhắn tin cho chủ ao và tự khởi động máy sục khí; số liệu được lưu "
            "lại để rút kinh nghiệm cho các vụ sau."
        ),
        results=(
            "Sau 2 vụ nuôi, không còn xảy ra cá chết hàng loạt do thiếu oxy tại các ao lắp cảm biến; tỷ lệ "
            "hao hụt giảm từ 25% xuống 9%, năng suất tăng khoảng 18%. Tiền điện chạy máy sục khí giảm 30% "
            "nhờ chỉ bật khi cần."
        ),
        cost="216 triệu đồng (hợp tác xã và các hộ đối ứng 50%)",
        since_months=11,
        contact_name="Đ/c Phan Văn Lợi – Giám đốc Hợp tác xã thủy sản xã Đội Bình",
        contact_phone="0867203915",
        motifs=("chart",),
    ),
    DemoInitiative(
        unit="UH-PT",
        category="nong-nghiep",
        status=InitiativeStatus.PUBLISHED,
        title=(
            "Phun thuốc bảo vệ thực vật bằng thiết bị bay không người lái và nhật ký đồng ruộng điện tử tại"
            " Xã Phương Tú"
        ),
        summary=(
            "Hợp tác xã nông nghiệp xã Phương Tú đầu tư 2 thiết bị bay không người lái để phun thuốc bảo vệ"
            " thực vật, bón phân qua lá theo bản đồ số các cánh đồng. Nông dân đặt lịch qua Zalo và theo "
            "dõi nhật ký đồng ruộng trên điện thoại."
        ),
        problem=(
            "Lao động nông nghiệp ngày càng ít và lớn tuổi; phun thuốc thủ công tốn công, độc hại cho người"
            " phun, lượng thuốc không đều dẫn đến lãng phí và ô nhiễm môi trường."
        ),
        solution=(
            "Hợp tác xã lập bản đồ số 420 ha lúa chia theo cánh đồng, ô thửa; nông dân đăng ký lịch phun "
            "qua Zalo OA của hợp tác xã. Thiết bị bay phun theo đường bay lập trình sẵn, ghi thời gian, "
            "diện tích, loại thuốc vào nhật ký điện tử để làm dữ liệu cho tem truy xuất nguồn gốc."
        ),
        results=(
            "Sau 3 vụ đã phun cho 1.860 lượt ha; mỗi ha tiết kiệm khoảng 30% lượng thuốc và 90% lượng nước,"
            " chi phí thấp hơn thuê phun thủ công 20%. Mỗi thiết bị phun được 40–50 ha mỗi ngày, xử lý kịp "
            "thời các đợt rầy nâu; không còn trường hợp người phun bị ngộ độc thuốc."
        ),
        cost="680 triệu đồng (hợp tác xã đầu tư, ngân sách hỗ trợ 30%)",
        since_months=16,
        contact_name="Đ/c Lê Văn Đoàn – Giám đốc Hợp tác xã nông nghiệp xã Phương Tú",
        contact_phone="0395814062",
        motifs=("leaves", "map"),
    ),
]


# ---------------------------------------------------------------------------------------------
# Pictures
# ---------------------------------------------------------------------------------------------

PICTURE_SIZE = (1600, 1000)

# gradient start, gradient end, accent, deep (details on white cards)
PALETTES: list[tuple[str, str, str, str]] = [
    ("#0f766e", "#5eead4", "#fde68a", "#134e4a"),
    ("#1e3a8a", "#60a5fa", "#fbbf24", "#1e3a8a"),
    ("#9f1239", "#fb923c", "#fef3c7", "#881337"),
    ("#166534", "#a3e635", "#fef08a", "#14532d"),
    ("#4c1d95", "#f472b6", "#fde68a", "#4c1d95"),
    ("#075985", "#67e8f9", "#fef9c3", "#0c4a6e"),
    ("#b45309", "#fde047", "#ffffff", "#78350f"),
    ("#0f172a", "#0ea5e9", "#facc15", "#0f172a"),
]

MOTIFS = ("qr", "chart", "phone", "leaves", "people", "map", "light", "document", "health", "books")


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _rgba(hex_colour: str, alpha: int = 255) -> tuple[int, int, int, int]:
    return (*_rgb(hex_colour), alpha)


WHITE = (255, 255, 255, 255)


def _backdrop(size, rng: random.Random, pal, flip: bool) -> Image.Image:
    """A diagonal gradient with soft out-of-focus circles, drawn small and enlarged (fast and smooth)."""
    small = (size[0] // 8, size[1] // 8)
    vertical = Image.linear_gradient("L").resize(small, Image.Resampling.BILINEAR)
    horizontal = vertical.transpose(Image.Transpose.ROTATE_90).resize(small, Image.Resampling.BILINEAR)
    if flip:
        horizontal = horizontal.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    mask = ImageChops.add(vertical, horizontal, scale=2)
    start, end = Image.new("RGB", small, _rgb(pal[0])), Image.new("RGB", small, _rgb(pal[1]))
    image = Image.composite(end, start, mask).convert("RGBA")
    layer = Image.new("RGBA", small, (255, 255, 255, 0))
    d = ImageDraw.Draw(layer)
    for _ in range(rng.randint(8, 14)):
        r = rng.randint(4, 26)
        x, y = rng.randint(0, small[0]), rng.randint(0, small[1])
        if rng.random() < 0.3:
            colour = _rgba(pal[2], rng.randint(30, 70))
        else:
            colour = (255, 255, 255, rng.randint(20, 55))
        d.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    image.alpha_composite(layer.filter(ImageFilter.GaussianBlur(3)))
    return image.convert("RGB").resize(size, Image.Resampling.BILINEAR)


def _card(d: ImageDraw.ImageDraw, box, radius=36, alpha=240):
    x0, y0, x1, y1 = box
    d.rounded_rectangle((x0 + 14, y0 + 18, x1 + 14, y1 + 18), radius, fill=(0, 0, 0, 45))
    d.rounded_rectangle(box, radius, fill=(255, 255, 255, alpha))


def _qr(d, rng, pal, cx, cy):
    n, m = 25, 20
    s = n * m
    x0, y0 = cx - s // 2, cy - s // 2
    _card(d, (x0 - 50, y0 - 50, x0 + s + 50, y0 + s + 50), 40)
    deep = _rgba(pal[3])
    for i in range(n):
        for j in range(n):
            finder = (i < 8 and j < 8) or (i < 8 and j >= n - 8) or (i >= n - 8 and j < 8)
            if not finder and rng.random() < 0.48:
                d.rectangle((x0 + i * m, y0 + j * m, x0 + i * m + m - 1, y0 + j * m + m - 1), fill=deep)
    for fx, fy in ((0, 0), (n - 7, 0), (0, n - 7)):
        bx, by = x0 + fx * m, y0 + fy * m
        d.rectangle((bx, by, bx + 7 * m - 1, by + 7 * m - 1), fill=deep)
        d.rectangle((bx + m, by + m, bx + 6 * m - 1, by + 6 * m - 1), fill=WHITE)
        d.rectangle((bx + 2 * m, by + 2 * m, bx + 5 * m - 1, by + 5 * m - 1), fill=_rgba(pal[0]))
    yline = y0 + int(s * rng.uniform(0.35, 0.65))
    d.rounded_rectangle((x0 - 70, yline - 6, x0 + s + 70, yline + 6), 6, fill=_rgba(pal[2], 230))


def _chart(d, rng, pal, cx, cy):
    w, h = 820, 560
    x0, y0 = cx - w // 2, cy - h // 2
    _card(d, (x0, y0, x0 + w, y0 + h))
    base = y0 + h - 80
    d.line((x0 + 60, base, x0 + w - 60, base), fill=_rgba(pal[3], 120), width=4)
    bars = 7
    bw = (w - 160) // bars
    points = []
    value = rng.uniform(0.2, 0.35)
    for i in range(bars):
        value = min(0.95, value + rng.uniform(0.02, 0.14))
        bh = int((h - 180) * value)
        bx = x0 + 80 + i * bw
        colour = _rgba(pal[0]) if i < bars - 1 else _rgba(pal[2]) if pal[2] != "#ffffff" else _rgba(pal[1])
        d.rounded_rectangle((bx + 10, base - bh, bx + bw - 10, base), 12, fill=colour)
        points.append((bx + bw // 2, base - bh - 40))
    d.line(points, fill=_rgba(pal[3]), width=8, joint="curve")
    for x, y in points:
        d.ellipse((x - 13, y - 13, x + 13, y + 13), fill=WHITE, outline=_rgba(pal[3]), width=6)


def _phone(d, rng, pal, cx, cy):
    w, h = 380, 720
    x0, y0 = cx - w // 2 - 120, cy - h // 2
    d.rounded_rectangle((x0 + 16, y0 + 20, x0 + w + 16, y0 + h + 20), 60, fill=(0, 0, 0, 50))
    d.rounded_rectangle((x0, y0, x0 + w, y0 + h), 60, fill=_rgba("#111827"))
    d.rounded_rectangle((x0 + 18, y0 + 18, x0 + w - 18, y0 + h - 18), 46, fill=(255, 255, 255, 250))
    d.rounded_rectangle((cx - 120 - 50, y0 + 30, cx - 120 + 50, y0 + 48), 9, fill=_rgba("#111827"))
    y = y0 + 90
    d.rounded_rectangle((x0 + 44, y, x0 + w - 44, y + 150), 24, fill=_rgba(pal[0]))
    y += 180
    for _ in range(4):
        d.ellipse((x0 + 44, y, x0 + 104, y + 60), fill=_rgba(pal[1]))
        d.rounded_rectangle(
            (x0 + 124, y + 10, x0 + w - 44 - rng.randint(0, 90), y + 26), 8, fill=(203, 213, 225, 255)
        )
        d.rounded_rectangle(
            (x0 + 124, y + 36, x0 + w - 100 - rng.randint(0, 80), y + 50), 7, fill=(226, 232, 240, 255)
        )
        y += 95
    # chat bubbles beside the phone
    bx = x0 + w + 70
    for i in range(3):
        by = y0 + 110 + i * 190
        bw = rng.randint(300, 430)
        colour = (255, 255, 255, 235) if i % 2 == 0 else _rgba(pal[2], 240)
        d.rounded_rectangle((bx, by, bx + bw, by + 120), 36, fill=colour)
        d.polygon([(bx + 10, by + 80), (bx - 30, by + 130), (bx + 60, by + 110)], fill=colour)
        for k in range(2):
            d.rounded_rectangle(
                (bx + 36, by + 32 + k * 36, bx + bw - 40 - rng.randint(0, 100), by + 48 + k * 36),
                8,
                fill=_rgba(pal[3], 110),
            )


def _leaf(d, cx, cy, length, width, angle, colour, vein):
    pts = []
    steps = 24
    ca, sa = math.cos(angle), math.sin(angle)
    for k in range(steps + 1):
        t = k / steps
        x, y = t * length, math.sin(math.pi * t) * width / 2
        pts.append((x, y))
    for k in range(steps, -1, -1):
        t = k / steps
        pts.append((t * length, -math.sin(math.pi * t) * width / 2))
    rot = [(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in pts]
    d.polygon(rot, fill=colour)
    d.line([(cx, cy), (cx + length * 0.9 * ca, cy + length * 0.9 * sa)], fill=vein, width=5)


def _leaves(d, rng, pal, cx, cy):
    w, h = PICTURE_SIZE
    # sun
    d.ellipse((w - 420, 80, w - 200, 300), fill=_rgba(pal[2], 230))
    # field rows
    for i in range(7):
        y = h - 330 + i * 52
        colour = (255, 255, 255, 40 + i * 12) if i % 2 else _rgba("#14532d", 70 + i * 12)
        d.polygon([(0, y), (w, y - 120), (w, y - 80), (0, y + 40)], fill=colour)
    greens = ["#16a34a", "#22c55e", "#4ade80", "#15803d", "#65a30d"]
    stem_x = cx - 180
    d.line([(stem_x, h), (stem_x, cy - 120)], fill=_rgba("#15803d"), width=18)
    for i in range(6):
        side = -1 if i % 2 else 1
        y = cy + 220 - i * 70
        angle = math.radians(-90 + side * rng.uniform(35, 60))
        _leaf(
            d,
            stem_x,
            y,
            rng.randint(220, 300),
            rng.randint(90, 130),
            angle,
            _rgba(rng.choice(greens)),
            (255, 255, 255, 140),
        )
    for _ in range(6):
        x, y = rng.randint(cx + 80, w - 120), rng.randint(cy - 200, cy + 260)
        _leaf(
            d,
            x,
            y,
            rng.randint(110, 170),
            rng.randint(50, 70),
            rng.uniform(0, math.tau),
            _rgba(rng.choice(greens), 230),
            (255, 255, 255, 120),
        )


def _person(d, x, y, scale, colour):
    r = int(34 * scale)
    d.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    d.pieslice((x - 2 * r, y + r + 8, x + 2 * r, y + 5 * r + 8), 180, 360, fill=colour)


def _people(d, rng, pal, cx, cy):
    nodes = []
    for row in range(3):
        for col in range(4 if row % 2 == 0 else 3):
            x = cx - 540 + col * 360 + (180 if row % 2 else 0) + rng.randint(-50, 50)
            nodes.append((x, cy - 290 + row * 290 + rng.randint(-40, 40)))
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            if math.dist(a, b) < 430:
                d.line([a, b], fill=(255, 255, 255, 140), width=6)
    hub = rng.randrange(len(nodes))
    for i, (x, y) in enumerate(nodes):
        big = i == hub or i % 4 == 1
        r = 96 if big else 66
        d.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 240))
        colour = _rgba(pal[0]) if i % 2 else _rgba(pal[3])
        _person(d, x, y - r // 3, 0.95 if big else 0.62, colour)
        if big:
            d.ellipse((x - r - 18, y - r - 18, x + r + 18, y + r + 18), outline=_rgba(pal[2], 230), width=8)


def _map(d, rng, pal, cx, cy):
    w, h = 1100, 700
    x0, y0 = cx - w // 2, cy - h // 2
    _card(d, (x0, y0, x0 + w, y0 + h), 40)
    inner = (x0 + 30, y0 + 30, x0 + w - 30, y0 + h - 30)
    d.rounded_rectangle(inner, 24, fill=(241, 245, 249, 255))
    # blocks
    iw, ih = inner[2] - inner[0], inner[3] - inner[1]
    xs = [inner[0] + iw * k // 6 + rng.randint(-40, 40) for k in range(1, 6)]
    ys = [inner[1] + ih * k // 4 + rng.randint(-30, 30) for k in range(1, 4)]
    cols = [inner[0], *xs, inner[2]]
    rows = [inner[1], *ys, inner[3]]
    for i in range(len(cols) - 1):
        for j in range(len(rows) - 1):
            shade = rng.choice([(220, 252, 231, 255), (254, 249, 195, 255), (226, 232, 240, 255)])
            d.rounded_rectangle(
                (cols[i] + 14, rows[j] + 14, cols[i + 1] - 14, rows[j + 1] - 14), 10, fill=shade
            )
    # river
    pts = [(inner[0] + k * 40, inner[1] + 180 + int(90 * math.sin(k / 4 + rng.random()))) for k in range(27)]
    d.line(pts, fill=(56, 189, 248, 255), width=30, joint="curve")
    # pins
    for _ in range(4):
        px, py = rng.randint(inner[0] + 80, inner[2] - 80), rng.randint(inner[1] + 120, inner[3] - 40)
        d.polygon([(px - 30, py - 60), (px + 30, py - 60), (px, py)], fill=_rgba(pal[3]))
        d.ellipse((px - 42, py - 120, px + 42, py - 36), fill=_rgba(pal[3]))
        d.ellipse((px - 17, py - 95, px + 17, py - 61), fill=WHITE)


def _light(d, rng, pal, cx, cy):
    w, h = PICTURE_SIZE
    ground = h - 170
    d.rectangle((0, ground, w, h), fill=(15, 23, 42, 130))
    for k in range(8):
        d.rounded_rectangle((60 + k * 200, h - 95, 160 + k * 200, h - 83), 6, fill=(255, 255, 255, 150))
    for i in range(4):
        x = 150 + i * 360 + rng.randint(-20, 20)
        top = ground - rng.randint(520, 600)
        head = (x + 150, top + 26)
        d.polygon([head, (head[0] - 170, ground + 40), (head[0] + 170, ground + 40)], fill=_rgba(pal[2], 70))
        d.line([(x, ground), (x, top)], fill=(241, 245, 249, 255), width=16)
        d.line([(x, top), (x + 150, top)], fill=(241, 245, 249, 255), width=14)
        d.rounded_rectangle((x + 90, top - 12, x + 210, top + 22), 14, fill=(241, 245, 249, 255))
        d.ellipse((x + 115, top + 10, x + 185, top + 44), fill=_rgba(pal[2]))
        d.ellipse(
            (x - 14, ground - 300, x + 14, ground - 272), fill=_rgba("#22c55e") if i % 2 else _rgba(pal[2])
        )


def _document(d, rng, pal, cx, cy):
    w, h = 560, 720
    for k in range(2, -1, -1):
        x0, y0 = cx - w // 2 - 120 + k * 40, cy - h // 2 - k * 30
        _card(d, (x0, y0, x0 + w, y0 + h), 28, alpha=255 - k * 30)
    x0, y0 = cx - w // 2 - 120, cy - h // 2
    d.rounded_rectangle((x0 + 50, y0 + 60, x0 + 300, y0 + 90), 10, fill=_rgba(pal[0]))
    y = y0 + 140
    for _ in range(9):
        d.rounded_rectangle(
            (x0 + 50, y, x0 + w - 50 - rng.randint(0, 160), y + 18), 9, fill=(203, 213, 225, 255)
        )
        y += 46
    sig = [(x0 + 60 + k * 12, y0 + h - 110 + int(22 * math.sin(k / 2.2)) + k // 3) for k in range(22)]
    d.line(sig, fill=_rgba(pal[3]), width=6, joint="curve")
    bx, by = x0 + w + 20, y0 + h - 200
    d.ellipse((bx, by, bx + 220, by + 220), fill=_rgba(pal[2]))
    d.line(
        [(bx + 55, by + 115), (bx + 95, by + 160), (bx + 170, by + 70)],
        fill=_rgba(pal[3]),
        width=22,
        joint="curve",
    )


def _health(d, rng, pal, cx, cy):
    r = 250
    x, y = cx - 220, cy - 40
    d.ellipse((x - r + 14, y - r + 18, x + r + 14, y + r + 18), fill=(0, 0, 0, 45))
    d.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255, 245))
    a, b = 60, 170
    red = _rgba("#dc2626")
    d.rounded_rectangle((x - a, y - b, x + a, y + b), 20, fill=red)
    d.rounded_rectangle((x - b, y - a, x + b, y + a), 20, fill=red)
    pulse = [(0, cy + 300)]
    px = 0
    while px < PICTURE_SIZE[0]:
        px += rng.randint(60, 110)
        pulse.append((px, cy + 300))
        if rng.random() < 0.45:
            pulse += [
                (px + 30, cy + 300 - rng.randint(90, 180)),
                (px + 60, cy + 300 + rng.randint(50, 90)),
                (px + 90, cy + 300),
            ]
            px += 90
    d.line(pulse, fill=(255, 255, 255, 230), width=10, joint="curve")
    for k in range(3):
        qx, qy = cx + 280 + k * 40, cy - 300 + k * 170
        d.rounded_rectangle((qx, qy, qx + 220, qy + 90), 45, fill=(255, 255, 255, 240))
        d.rounded_rectangle((qx, qy, qx + 110, qy + 90), 45, fill=_rgba(pal[2]))
        d.rectangle((qx + 60, qy, qx + 110, qy + 90), fill=_rgba(pal[2]))


def _books(d, rng, pal, cx, cy):
    w, h = PICTURE_SIZE
    shelf_y = cy + 260
    d.rounded_rectangle((cx - 650, shelf_y, cx + 650, shelf_y + 34), 12, fill=(255, 255, 255, 230))
    x = cx - 620
    colours = [pal[0], pal[3], pal[2], "#f8fafc", pal[1]]
    while x < cx - 60:
        bw, bh = rng.randint(60, 110), rng.randint(330, 470)
        colour = _rgba(rng.choice(colours))
        d.rounded_rectangle((x, shelf_y - bh, x + bw, shelf_y), 10, fill=colour)
        d.rectangle((x + 12, shelf_y - bh + 40, x + bw - 12, shelf_y - bh + 56), fill=(255, 255, 255, 150))
        x += bw + 10
    # an open book / tablet
    bx, by = cx + 70, cy - 300
    _card(d, (bx, by, bx + 540, by + 500), 30)
    d.line([(bx + 270, by + 30), (bx + 270, by + 470)], fill=_rgba(pal[3], 120), width=6)
    for side in (0, 1):
        for k in range(7):
            lx = bx + 40 + side * 270
            d.rounded_rectangle(
                (lx, by + 60 + k * 52, lx + 190 - rng.randint(0, 60), by + 76 + k * 52),
                8,
                fill=(203, 213, 225, 255),
            )
    d.ellipse((bx + 440, by - 60, bx + 580, by + 80), fill=_rgba(pal[2]))
    d.polygon([(bx + 490, by - 20), (bx + 490, by + 40), (bx + 540, by + 10)], fill=_rgba(pal[3]))


_DRAW = {
    "qr": _qr,
    "chart": _chart,
    "phone": _phone,
    "leaves": _leaves,
    "people": _people,
    "map": _map,
    "light": _light,
    "document": _document,
    "health": _health,
    "books": _books,
}


def make_picture(seed: int) -> bytes:
    """A deterministic 1600×1000 JPEG illustration: a motif (seed % 10) on a gradient (palette seed // 10)."""
    rng = random.Random(seed)
    motif = MOTIFS[seed % len(MOTIFS)]
    pal = PALETTES[(seed // len(MOTIFS)) % len(PALETTES)]
    image = _backdrop(PICTURE_SIZE, rng, pal, flip=bool(seed % 2))
    draw = ImageDraw.Draw(image, "RGBA")  # translucent fills blend onto the picture
    cx = PICTURE_SIZE[0] // 2 + rng.randint(-60, 60)
    cy = PICTURE_SIZE[1] // 2 + rng.randint(-30, 30)
    _DRAW[motif](draw, rng, pal, cx, cy)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def picture_seed(index: int, position: int, motif: str) -> int:
    """The seed of picture `position` of initiative `index`: its motif, and a palette varying with both."""
    return MOTIFS.index(motif) + len(MOTIFS) * (5 * index + 3 * position)


# ---------------------------------------------------------------------------------------------
# Seeding
# ---------------------------------------------------------------------------------------------


def _working_hours(moment: datetime, rng: random.Random) -> datetime:
    """The same Vietnamese day, at a time between 08:00 and 16:59 local, as UTC."""
    local = moment.astimezone(LOCAL)
    local = local.replace(hour=rng.randint(8, 16), minute=rng.randint(0, 59), second=rng.randint(0, 59))
    return local.replace(microsecond=0).astimezone(UTC)


def _clamp(moment: datetime, low: datetime, high: datetime) -> datetime:
    return max(low, min(moment, high))


def _submission_window(contest: Contest, now: datetime) -> tuple[datetime, datetime]:
    """When the demo units submitted: 45 to 6 days before now, within the submission stage if it overlaps."""
    low, high = now - timedelta(days=45), now - timedelta(days=6)
    stage = contest.stage(StageKind.SUBMISSION)
    if stage is not None:
        stage_low, stage_high = max(low, stage.opens_at), min(high, stage.closes_at)
        if stage_high - stage_low >= timedelta(days=3):
            return stage_low, stage_high
    return low, high


@dataclass(frozen=True)
class _Timeline:
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None  # published, returned, rejected or withdrawn


def _timeline(
    index: int, item: DemoInitiative, opens: datetime, closes: datetime, now: datetime
) -> _Timeline:
    rng = random.Random(7919 * (index + 1))
    span = closes - opens
    hour = timedelta(hours=1)
    if item.status == InitiativeStatus.DRAFT:
        created = _clamp(
            _working_hours(opens + span * rng.uniform(0.4, 0.8), rng), opens + hour, closes - hour
        )
        return _Timeline(created, None, None)
    # Spread over the window, a little denser near its end (units submit at the last minute).
    share = 0.03 + 0.94 * (1 - (1 - (index + 0.5) / len(INITIATIVES)) ** 1.4)
    submitted = _working_hours(opens + span * share + timedelta(hours=rng.uniform(-20, 20)), rng)
    submitted = _clamp(submitted, opens + 2 * hour, closes - hour)
    created = submitted - timedelta(days=rng.uniform(1, 6))
    created = _clamp(_working_hours(created, rng), opens + hour, submitted - hour)
    decided = None
    if item.status != InitiativeStatus.SUBMITTED:
        decided = _working_hours(submitted + timedelta(days=rng.uniform(1, 4)), rng)
        decided = _clamp(decided, submitted + hour, now - 2 * hour)
    return _Timeline(created, submitted, decided)


def _process_picture(seed: int) -> ProcessedImage:
    """Draw one picture and process it exactly as an upload would be (decoded, stripped, re-encoded)."""
    config = current_app.config
    return process_image(
        make_picture(seed),
        max_bytes=config.get("MAX_IMAGE_BYTES", 10 * 1024 * 1024),
        max_pixels=config.get("MAX_IMAGE_PIXELS", 40_000_000),
    )


def _categories(contest: Contest) -> dict[str, Category]:
    existing = {
        c.slug: c for c in db.session.scalars(select(Category).where(Category.contest_id == contest.id))
    }
    for position, (slug, name, name_en) in enumerate(CATEGORIES):
        if slug not in existing:
            category = Category(
                contest_id=contest.id, slug=slug, name=name, name_en=name_en, position=position
            )
            db.session.add(category)
            existing[slug] = category
    db.session.flush()
    return existing


def seed_initiatives(contest: Contest, units_by_code: dict[str, Unit], now: datetime) -> int:
    """Create the demo categories and initiatives missing from `contest`; returns how many initiatives.

    Flushes but never commits (seed_demo does). Needs an app context: pictures go to UPLOAD_FOLDER.
    """
    if contest.id is None:
        db.session.flush()
    categories = _categories(contest)
    existing = set(db.session.scalars(select(Initiative.title).where(Initiative.contest_id == contest.id)))
    emails = [ORGANIZER_EMAIL, *REPRESENTATIVES.values()]
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    organizer = users.get(ORGANIZER_EMAIL)
    opens, closes = _submission_window(contest, now)
    today = now.astimezone(LOCAL).date()
    todo = [
        (index, item, units_by_code[item.unit])
        for index, item in enumerate(INITIATIVES)
        if item.title not in existing and item.unit in units_by_code
    ]
    for index, item, unit in todo:
        author = users.get(REPRESENTATIVES.get(item.unit, ""), organizer)
        times = _timeline(index, item, opens, closes, now)
        initiative = Initiative(
            contest_id=contest.id,
            unit_id=unit.id,
            category_id=categories[item.category].id,
            created_by_id=author.id if author else None,
            status=item.status,
            title=item.title,
            summary=item.summary,
            problem=item.problem,
            solution=item.solution,
            results=item.results,
            cost=item.cost,
            in_use_since=_months_before(today, item.since_months),
            contact_name=item.contact_name,
            contact_phone=item.contact_phone,
            video_url=item.video_url,
            search_text=rules.search_text(item.title, item.summary, unit.name),
            like_count=0,
            comment_count=0,
            view_count=0,
            created_at=times.created_at,
            updated_at=times.decided_at or times.submitted_at or times.created_at,
            submitted_at=times.submitted_at,
            published_at=times.decided_at if item.status == InitiativeStatus.PUBLISHED else None,
        )
        for position, motif in enumerate(item.motifs):
            picture = _process_picture(picture_seed(index, position, motif))
            token = storage.new_token()
            storage.save_image(token, picture.thumbnail, picture.display)
            initiative.images.append(
                InitiativeImage(
                    token=token,
                    position=position,
                    width=picture.width,
                    height=picture.height,
                    created_at=times.created_at + timedelta(minutes=3 * (position + 1)),
                )
            )
        _history(initiative, item, times, author, organizer)
        db.session.add(initiative)
    db.session.flush()
    return len(todo)


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, 28))


def _history(
    initiative: Initiative,
    item: DemoInitiative,
    times: _Timeline,
    author: User | None,
    organizer: User | None,
) -> None:
    def event(action, at, actor, from_status=None, to_status=None, reason=""):
        add_event(
            initiative, actor, action, from_status=from_status, to_status=to_status, reason=reason, at=at
        )

    event("create", times.created_at, author, None, InitiativeStatus.DRAFT.value)
    if times.submitted_at is None:
        return
    event("submit", times.submitted_at, author, rules.DRAFT, rules.SUBMITTED)
    if times.decided_at is None:
        return
    action = {
        InitiativeStatus.PUBLISHED: "publish",
        InitiativeStatus.RETURNED: "return",
        InitiativeStatus.REJECTED: "reject",
        InitiativeStatus.WITHDRAWN: "withdraw",
    }[item.status]
    to_status = rules.next_status(action, rules.SUBMITTED)
    actor = author if action == "withdraw" else organizer
    event(action, times.decided_at, actor, rules.SUBMITTED, to_status, item.reason)
