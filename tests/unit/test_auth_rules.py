"""Account rules: identifiers, passwords, codes (pure, no app)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.auth.rules import (
    InvalidIdentifier,
    fold,
    hash_secret,
    mask_phone,
    new_code,
    normalize_email,
    normalize_phone,
    parse_login,
    password_problems,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0912 345 678", "+84912345678"),
        ("0912.345.678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
        ("(024) 3825 1234", "+842438251234"),
    ],
)
def test_vietnamese_phone_numbers_are_stored_in_e164(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "0912", "+1 202 555 0143", "abc", "09123456789012"])
def test_phone_numbers_that_are_not_vietnamese_are_refused(raw):
    with pytest.raises(InvalidIdentifier):
        normalize_phone(raw)


def test_email_is_lower_cased_and_checked():
    assert normalize_email("  An.Nguyen@Example.VN ") == "an.nguyen@example.vn"
    with pytest.raises(InvalidIdentifier):
        normalize_email("an.nguyen@")


def test_login_is_an_email_when_it_has_an_at_sign_otherwise_a_phone():
    assert parse_login("Dan1@Demo.vn").kind == "email"
    phone = parse_login("0912 345 678")
    assert (phone.kind, phone.value) == ("phone", "+84912345678")
    with pytest.raises(InvalidIdentifier):
        parse_login("   ")


def test_fold_removes_vietnamese_diacritics_for_search():
    assert fold("Chuyển Đổi Số") == "chuyen doi so"
    assert fold("Nguyễn Thị Hồng Nhung") == "nguyen thi hong nhung"


@pytest.mark.parametrize(
    "password, problems",
    [
        ("short1!", ["too_short"]),
        ("password", ["common"]),
        ("12345678", ["common"]),
        ("matkhau123", ["common"]),
        ("anhyeuem", ["common"]),
        ("Hoa-sen-2025!", []),
    ],
)
def test_password_policy(password, problems):
    assert password_problems(password, min_length=8) == problems


def test_password_may_not_contain_the_name_even_without_accents():
    assert "personal" in password_problems("nguyenvanan99", min_length=8, personal=("Nguyễn Văn An",))
    assert password_problems("Hoa-sen-2025!", min_length=8, personal=("Nguyễn Văn An",)) == []


def test_phone_is_masked_for_public_lists():
    assert mask_phone("+84912345678") == "0912***678"
    assert mask_phone(None) == ""


@given(st.integers(min_value=0, max_value=50))
def test_codes_always_have_six_digits(_):
    code = new_code()
    assert len(code) == 6 and code.isdigit()


def test_secrets_are_stored_as_keyed_hashes():
    assert hash_secret("123456", "k1") != hash_secret("123456", "k2")
    assert hash_secret("123456", "k1") == hash_secret("123456", "k1")
    assert "123456" not in hash_secret("123456", "k1")
