"""Roster CSV rules (pure)."""

from app.units.roster import decode, parse_roster

UNITS = {"uh-vd": 1, "thi tran van dinh": 1, "uh-lb": 2, "xa lien bat": 2}


def test_a_good_roster_is_read_with_vietnamese_headers_and_normalised_identifiers():
    text = (
        "Họ và tên,Email,Số điện thoại,Mã đơn vị\n"
        "Nguyễn Văn A,A.Nguyen@Example.vn,0912 345 678,UH-VD\n"
        "Trần Thị B,,0987654321,Xã Liên Bạt\n"
    )
    parsed = parse_roster(text, UNITS)
    assert parsed.ok, parsed.errors
    assert [(r.full_name, r.email, r.phone, r.unit_id) for r in parsed.rows] == [
        ("Nguyễn Văn A", "a.nguyen@example.vn", "+84912345678", 1),
        ("Trần Thị B", None, "+84987654321", 2),
    ]


def test_one_contact_column_may_hold_email_or_phone_and_semicolons_work():
    text = "name;email_or_phone;unit\nAn;an@example.vn;UH-VD\nBình;0912345678;UH-LB\n"
    parsed = parse_roster(text, UNITS)
    assert parsed.ok
    assert parsed.rows[0].email == "an@example.vn" and parsed.rows[1].phone == "+84912345678"


def test_every_bad_row_is_reported_with_line_and_field():
    text = (
        "name,email,phone,unit\n"
        "An,an@example.vn,,UH-VD\n"
        ",bad-email,,UH-VD\n"
        "Bình,,12345,NOPE\n"
        "Chi,an@example.vn,,UH-LB\n"
        "Dũng,,,UH-LB\n"
    )
    parsed = parse_roster(text, UNITS)
    assert not parsed.ok
    found = {(e.line, e.field, e.code) for e in parsed.errors}
    assert found == {
        (3, "name", "required"),
        (3, "email", "bad_email"),
        (4, "phone", "bad_phone"),
        (4, "unit", "unknown_unit"),
        (5, "email", "duplicate"),
        (6, "email_or_phone", "required"),
    }


def test_missing_columns_are_reported_on_the_header_line():
    parsed = parse_roster("foo,bar\n1,2\n", UNITS)
    assert {(e.line, e.field) for e in parsed.errors} == {(1, "name"), (1, "unit"), (1, "email_or_phone")}


def test_an_empty_file_and_a_header_only_file_are_refused():
    assert parse_roster("", UNITS).errors[0].code == "empty"
    assert parse_roster("name,email,unit\n", UNITS).errors[0].code == "no_rows"


def test_only_utf8_is_accepted_and_excel_bom_is_stripped():
    assert decode("\ufeffname".encode()) == "name"
    assert decode("Nguyễn".encode("utf-16")) is None
