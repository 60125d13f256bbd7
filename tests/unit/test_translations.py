"""Both catalogs are complete, and every placeholder survives translation."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

CATALOGS = Path(__file__).resolve().parents[2] / "app" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def entries(lang: str):
    with open(CATALOGS / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return [m for m in read_po(f) if m.id]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    missing = [
        m.id
        for m in entries(lang)
        if m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert missing == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_placeholders_are_kept(lang):
    for m in entries(lang):
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        needed = set(PLACEHOLDER.findall(" ".join(ids)))
        for s in strings:
            assert set(PLACEHOLDER.findall(s)) == needed, (m.id, s)


def test_every_message_in_the_code_is_in_the_catalogs(tmp_path):
    """Extract afresh from the code and templates: a new string without a translation fails here."""
    root = CATALOGS.parents[1]
    pot = tmp_path / "fresh.pot"
    command = "extract -F babel.cfg -k _l -k lazy_gettext -o {pot} ."
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", *command.format(pot=pot).split()],
        cwd=root,
        check=True,
    )
    with open(pot, "rb") as f:
        fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    for lang in ("vi", "en"):
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in entries(lang)}
        assert fresh - known == set(), f"untranslated in {lang}: run `make update-messages` and translate"


def test_vietnamese_has_diacritics_where_vietnamese_needs_them():
    vi = {m.id: m.string for m in entries("vi") if isinstance(m.id, str)}
    assert vi["Sign in"] == "Đăng nhập"
    assert vi["Register"] == "Đăng ký"
    assert "ệ" in vi["Public voting"] or "ọ" in vi["Public voting"]
