"""The demo initiatives: `flask demo seed` fills the gallery with complete, believable entries."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from datetime import timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select

from app import clock
from app.demo.initiatives import CATEGORIES, INITIATIVES, MOTIFS, REPRESENTATIVES, make_picture
from app.demo.seed import UNITS
from app.initiatives import rules
from app.initiatives.service import submission_facts
from app.uploads import storage
from models import (
    Category,
    Contest,
    Initiative,
    InitiativeEvent,
    InitiativeImage,
    StageKind,
    UnitKind,
    User,
    db,
)

STATUS_MIX = {"published": 22, "submitted": 3, "draft": 2, "returned": 1, "rejected": 1, "withdrawn": 1}
HISTORY = {
    "draft": ["create"],
    "submitted": ["create", "submit"],
    "published": ["create", "submit", "publish"],
    "returned": ["create", "submit", "return"],
    "rejected": ["create", "submit", "reject"],
    "withdrawn": ["create", "submit", "withdraw"],
}


def row_counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Initiative, InitiativeImage, InitiativeEvent, Category)
    )


def stored_files(app) -> set[str]:
    return {str(p) for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*.jpg")}


def has_accents(text: str) -> bool:
    decomposed = unicodedata.normalize("NFD", text)
    return "đ" in text.lower() or any(unicodedata.combining(c) for c in decomposed)


def test_the_demo_data_is_plausible_and_complete():
    assert len(INITIATIVES) == 30
    assert Counter(i.status.value for i in INITIATIVES) == STATUS_MIX
    assert len({i.title for i in INITIATIVES}) == 30
    kinds = {code: kind for code, _, kind, _, _ in UNITS}
    assert all(i.unit in kinds for i in INITIATIVES)
    assert {kinds[i.unit] for i in INITIATIVES} >= {
        UnitKind.COMMUNE,
        UnitKind.DEPARTMENT,
        UnitKind.SCHOOL,
        UnitKind.PARTY_CELL,
        UnitKind.OTHER,
    }
    assert {i.category for i in INITIATIVES} == {slug for slug, _, _ in CATEGORIES}
    assert set(REPRESENTATIVES) <= {i.unit for i in INITIATIVES}
    with_video = [i for i in INITIATIVES if i.video_url]
    assert 8 <= len(with_video) <= 12
    for item in INITIATIVES:
        assert len(item.title) <= rules.TITLE_MAX and len(item.summary) <= rules.SUMMARY_MAX
        assert all(s.strip() for s in (item.problem, item.solution, item.results, item.cost))
        assert re.fullmatch(r"0[35789]\d{8}", item.contact_phone), item.contact_phone
        assert "–" in item.contact_name  # name – position
        assert 1 <= len(item.motifs) <= 4 and set(item.motifs) <= set(MOTIFS)
        assert 2 <= item.since_months <= 24
        assert bool(item.reason) == (item.status.value in {"returned", "rejected", "withdrawn"})
        assert unicodedata.is_normalized("NFC", item.title + item.summary + item.results)
    for item in with_video:
        assert rules.video_url_problem(item.video_url) is None
        assert re.fullmatch(r"https://www\.youtube\.com/watch\?v=[\w-]{11}", item.video_url)


def test_pictures_are_deterministic_jpegs_without_text():
    first = make_picture(7)
    assert first == make_picture(7)
    assert first != make_picture(8)
    image = Image.open(io.BytesIO(first))
    assert image.format == "JPEG" and image.size == (1600, 1000)
    # Every motif draws something over the gradient: the picture is not a plain background.
    for seed in range(len(MOTIFS)):
        pixels = Image.open(io.BytesIO(make_picture(seed))).convert("L").resize((160, 100))
        low, high = pixels.getextrema()
        assert high - low > 80


def test_demo_seed_builds_the_gallery_and_is_idempotent(app, runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    now = clock.now()
    contest = db.session.scalar(select(Contest))
    initiatives = db.session.scalars(select(Initiative).order_by(Initiative.id)).all()
    assert len(initiatives) == 30
    assert all(i.contest_id == contest.id for i in initiatives)
    assert Counter(i.status.value for i in initiatives) == STATUS_MIX

    categories = db.session.scalars(select(Category).order_by(Category.position)).all()
    assert [(c.slug, c.name, c.name_en) for c in categories] == CATEGORIES
    assert [c.position for c in categories] == list(range(6))

    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.like("%@demo.vn")))}
    organizer = users["btc@demo.vn"]
    submission = contest.stage(StageKind.SUBMISSION)
    today = now.date()
    for initiative in initiatives:
        status = initiative.status.value
        # Complete: every non-draft one could have been submitted as it is.
        if status != "draft":
            assert rules.submission_problems(submission_facts(initiative)) == [], initiative.title
        # Searchable without accents.
        assert not has_accents(initiative.search_text), initiative.search_text
        assert initiative.search_text == rules.search_text(
            initiative.title, initiative.summary, initiative.unit.name
        )
        # Authored by the unit's demo representative, else the organizer.
        rep = REPRESENTATIVES.get(initiative.unit.code)
        assert initiative.created_by == (users[rep] if rep else organizer)
        # Engagement (app/demo/engagement.py, tested in test_demo_engagement.py) only on published ones.
        if status == "published":
            assert initiative.like_count > 0 and initiative.view_count > 0
        else:
            assert (initiative.like_count, initiative.comment_count, initiative.view_count) == (0, 0, 0)
        assert today - timedelta(days=740) <= initiative.in_use_since <= today - timedelta(days=55)
        # A timeline consistent with the demo windows.
        if status == "draft":
            assert initiative.submitted_at is None and initiative.published_at is None
        else:
            assert submission.opens_at <= initiative.submitted_at <= submission.closes_at
            assert now - timedelta(days=45) <= initiative.submitted_at <= now - timedelta(days=6)
            assert initiative.created_at < initiative.submitted_at
        if status == "published":
            assert initiative.submitted_at < initiative.published_at < now
        else:
            assert initiative.published_at is None
        # History: who did what, and the reasons.
        events = initiative.events
        assert [e.action for e in events] == HISTORY[status]
        assert events[-1].to_status == status
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        assert events[0].created_at == initiative.created_at
        assert initiative.updated_at == events[-1].created_at
        for event in events[1:]:
            assert rules.next_status(event.action, event.from_status) == event.to_status
        if status in {"published", "returned", "rejected"}:
            assert events[-1].actor == organizer
        if status in {"returned", "rejected", "withdrawn"}:
            assert len(events[-1].reason) > 40
        # Pictures: 1–4, stored as uploads are, both sizes on disk, JPEG without metadata.
        assert 1 <= len(initiative.images) <= 4
        assert [img.position for img in initiative.images] == list(range(len(initiative.images)))
        for img in initiative.images:
            assert (img.width, img.height) == (1600, 1000)
            for variant, size in (("display", (1600, 1000)), ("thumb", (400, 250))):
                path = storage.image_path(img.token, variant)
                assert path.is_file()
                with Image.open(path) as picture:
                    assert picture.format == "JPEG" and picture.size == size
                    assert "exif" not in picture.info and not picture.getexif()

    by_search = [i.title for i in initiatives if "cho 4.0" in i.search_text]
    assert by_search == ["Chợ 4.0 Vân Đình: thanh toán không dùng tiền mặt bằng mã QR tại chợ truyền thống"]
    assert any("so tay dang vien dien tu" in i.search_text for i in initiatives)

    # Running it again adds nothing: no row, no file.
    counts, files = row_counts(), stored_files(app)
    assert counts == (30, sum(len(i.images) for i in initiatives), counts[2], 6)
    again = runner.invoke(args=["demo", "seed"])
    assert again.exit_code == 0, again.output
    assert "0 units, 0 accounts, 0 contests" in again.output
    assert row_counts() == counts
    assert stored_files(app) == files

    # An initiative the organizers deleted comes back alone on the next run.
    gone = db.session.scalar(select(Initiative).where(Initiative.status == "draft"))
    pictures = len(gone.images)
    db.session.delete(gone)
    db.session.commit()
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    assert row_counts()[:2] == counts[:2]
    assert len(stored_files(app)) == len(files) + 2 * pictures
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
