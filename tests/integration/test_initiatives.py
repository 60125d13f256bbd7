"""Initiative operations against the database and the upload folder."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.initiatives import service
from app.uploads import storage
from models import AuditEntry, InitiativeEvent, InitiativeImage, InitiativeStatus, RoleName, db
from tests.factories import (
    PDF_BYTES,
    jpeg_bytes,
    make_category,
    make_contest,
    make_initiative,
    make_unit,
    make_user,
)


@pytest.fixture
def setting(app):
    contest = make_contest()
    unit = make_unit("Xã Liên Bạt", code="UH-LB")
    rep = make_user(role=RoleName.UNIT_REP, rep_of=unit)
    organizer = make_user(role=RoleName.ORGANIZER)
    category = make_category(contest)
    return contest, unit, rep, organizer, category


def fields(category, **changes):
    base = dict(
        title="Chợ 4.0 – thanh toán không dùng tiền mặt",
        summary="Tiểu thương nhận tiền qua mã QR.",
        problem="Tiền lẻ, tiền giả.",
        solution="Mã QR cho mọi quầy.",
        results="85% quầy dùng QR.",
        category_id=category.id,
        contact_name="Chị Lê Thị Thu Hà",
    )
    base.update(changes)
    return service.InitiativeFields(**base)


def test_a_draft_with_pictures_and_a_pdf_is_stored_under_random_names(setting):
    contest, unit, rep, _org, category = setting
    initiative = service.create_initiative(
        rep,
        contest,
        unit,
        fields(category),
        service.FileChanges(
            new_images=[service.IncomingFile("../../ảnh chợ.jpg", jpeg_bytes(2400, 1600))],
            new_documents=[service.IncomingFile("../Báo cáo.pdf", PDF_BYTES)],
        ),
    )
    image, document = initiative.images[0], initiative.documents[0]
    assert (
        storage.image_path(image.token, "thumb").exists()
        and storage.image_path(image.token, "display").exists()
    )
    assert storage.document_path(document.token).exists()
    assert document.title == "Báo cáo.pdf"
    assert "ảnh" not in str(storage.image_path(image.token, "display"))
    assert (image.width, image.height) == (1600, 1067)
    assert initiative.search_text.startswith("cho 4.0")
    assert [e.action for e in initiative.events] == ["create"]


def test_one_bad_file_refuses_the_whole_change_and_writes_nothing(setting, tmp_path):
    contest, unit, rep, _org, category = setting
    with pytest.raises(service.InitiativeProblem) as exc:
        service.create_initiative(
            rep,
            contest,
            unit,
            fields(category),
            service.FileChanges(
                new_images=[
                    service.IncomingFile("tot.jpg", jpeg_bytes()),
                    service.IncomingFile("gia.jpg", b"<html>"),
                ],
            ),
        )
    assert exc.value.problems == [("images", "not_an_image")] and exc.value.filename == "gia.jpg"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(InitiativeImage)) == 0
    images_dir = storage.root() / "images"
    assert not images_dir.exists() or not any(images_dir.rglob("*.jpg"))


def test_submission_needs_a_complete_initiative_and_an_open_window(setting):
    contest, unit, rep, _org, category = setting
    draft = service.create_initiative(rep, contest, unit, fields(category))
    # The demo contest's submission window closed five days ago.
    with pytest.raises(service.InitiativeProblem) as exc:
        service.submit_initiative(rep, draft)
    assert exc.value.problems == [("status", "window_closed")]
    clock.freeze(clock.now() - timedelta(days=20))  # back to when submission was open
    with pytest.raises(service.InitiativeProblem) as exc:
        service.submit_initiative(rep, draft)
    assert exc.value.problems == [("images", "need_one_image")]
    service.update_initiative(
        rep,
        draft,
        fields(category),
        service.FileChanges(new_images=[service.IncomingFile("a.jpg", jpeg_bytes())]),
    )
    service.submit_initiative(rep, draft)
    assert draft.status == InitiativeStatus.SUBMITTED and draft.submitted_at == clock.now()
    with pytest.raises(service.InitiativeProblem) as exc:
        service.update_initiative(rep, draft, fields(category, title="Sửa sau khi nộp"))
    assert exc.value.problems == [("status", "locked")]


def test_review_return_resubmit_publish_with_history_and_audit(setting):
    contest, unit, rep, organizer, category = setting
    clock.travel(timedelta(days=-20))
    initiative = make_initiative(contest, unit, category=category, status=InitiativeStatus.DRAFT, author=rep)
    service.submit_initiative(rep, initiative)
    clock.travel(timedelta(days=17))  # submission has closed; judging is open
    with pytest.raises(service.InitiativeProblem):
        service.review_initiative(organizer, initiative, "return", "")
    service.review_initiative(organizer, initiative, "return", "Bổ sung số liệu kết quả.")
    assert initiative.status == InitiativeStatus.RETURNED and initiative.editable
    service.update_initiative(rep, initiative, fields(category, results="Giảm 70% thời gian chờ."))
    service.submit_initiative(
        rep, initiative
    )  # resubmitting a returned one is allowed after submission closed
    service.review_initiative(organizer, initiative, "publish")
    assert initiative.status == InitiativeStatus.PUBLISHED and initiative.published_at is not None
    actions = [
        e.action
        for e in db.session.scalars(
            select(InitiativeEvent)
            .where(InitiativeEvent.initiative_id == initiative.id)
            .order_by(InitiativeEvent.id)
        )
    ]
    assert actions == ["create", "submit", "return", "edit", "submit", "publish"]
    audit = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert audit == ["initiative.submit", "initiative.return", "initiative.submit", "initiative.publish"]
    returned = db.session.scalar(select(InitiativeEvent).where(InitiativeEvent.action == "return"))
    assert returned.reason == "Bổ sung số liệu kết quả." and returned.actor_id == organizer.id


def test_bulk_publish_publishes_only_submitted_ones(setting):
    contest, unit, _rep, organizer, category = setting
    submitted = [
        make_initiative(contest, unit, category=category, status=InitiativeStatus.SUBMITTED) for _ in range(3)
    ]
    draft = make_initiative(contest, unit, category=category, status=InitiativeStatus.DRAFT)
    count = service.bulk_publish(organizer, [i.id for i in submitted] + [draft.id])
    assert count == 3
    assert all(i.status == InitiativeStatus.PUBLISHED for i in submitted)
    assert draft.status == InitiativeStatus.DRAFT


def test_withdrawing_hides_it_from_the_gallery(setting):
    contest, unit, rep, _org, category = setting
    initiative = make_initiative(contest, unit, category=category)
    assert service.gallery(contest, service.GalleryQuery()).total == 1
    service.withdraw_initiative(rep, initiative, "Đơn vị rút để hoàn thiện.")
    assert service.gallery(contest, service.GalleryQuery()).total == 0


def test_removing_pictures_deletes_their_files(setting):
    contest, unit, rep, _org, category = setting
    initiative = make_initiative(contest, unit, category=category, status=InitiativeStatus.DRAFT, images=2)
    first = initiative.images[0]
    token = first.token
    service.update_initiative(
        rep, initiative, fields(category), service.FileChanges(remove_image_ids=[first.id])
    )
    assert len(initiative.images) == 1
    assert not storage.image_path(token, "thumb").exists()


def test_gallery_search_filters_and_sorts(setting):
    contest, unit, _rep, _org, category = setting
    other_unit = make_unit("Trường THPT Ứng Hòa A", code="THPT-A")
    other_cat = make_category(contest, "Giáo dục")
    a = make_initiative(contest, unit, category=category, title="Chuyển đổi số bộ phận một cửa", likes=5)
    b = make_initiative(contest, other_unit, category=other_cat, title="Thư viện số cho học sinh", likes=9)
    c = make_initiative(contest, unit, category=category, title="Chợ 4.0 không dùng tiền mặt", likes=1)
    make_initiative(
        contest, unit, category=category, title="Chuyển đổi số chưa duyệt", status=InitiativeStatus.SUBMITTED
    )

    def ids(**kw):
        return [i.id for i in service.gallery(contest, service.GalleryQuery(**kw)).items]

    assert ids(q="chuyen doi so") == [a.id]
    assert ids(q="lien bat") == [c.id, a.id]  # the unit name is searched too; newest first
    assert ids(category_id=other_cat.id) == [b.id]
    assert ids(unit_id=unit.id) == [c.id, a.id]
    assert ids(sort="likes") == [b.id, a.id, c.id]
    first, second = ids(sort="random", seed=7), ids(sort="random", seed=7)
    assert first == second and sorted(first) == sorted([a.id, b.id, c.id])
    page1 = ids(sort="random", seed=7, per_page=2, page=1)
    page2 = ids(sort="random", seed=7, per_page=2, page=2)
    assert len(set(page1) | set(page2)) == 3  # pages never repeat an entry


def test_categories_are_audited_and_unique(setting):
    contest, _unit, _rep, organizer, _category = setting
    service.save_category(
        organizer, contest, name="Kinh tế số", name_en="Digital economy", position=2, active=True
    )
    with pytest.raises(service.InitiativeProblem):
        service.save_category(organizer, contest, name="Kinh tế Số", name_en="", position=3, active=True)
    assert "category.save" in set(db.session.scalars(select(AuditEntry.action)))
