"""During judging a panel judge sees no engagement counts on the public pages (an organizer setting)."""

from __future__ import annotations

from app import clock
from app.judging import service
from models import RoleName, StageKind, db
from tests.conftest import Browser
from tests.factories import PASSWORD, make_contest, make_initiative, make_judging, make_unit, make_user


def _page_texts(client, login, initiative_id):
    browser = Browser(client)
    if login:
        assert browser.login(login, PASSWORD).status_code == 302
    gallery = client.get("/sang-kien/").get_data(as_text=True)
    detail = client.get(f"/sang-kien/{initiative_id}").get_data(as_text=True)
    return gallery, detail


def test_panel_judge_sees_no_counts_while_judging_is_open(app, client):
    contest = make_contest()
    initiative = make_initiative(contest, make_unit(), images=0, likes=37)
    (judge,) = make_judging(contest, judges=1)
    gallery, detail = _page_texts(client, judge.email, initiative.id)
    assert 'class="small mt-auto mb-0 d-flex gap-3 counts"' not in gallery
    assert 'data-testid="counts-hidden"' in detail
    assert 'data-testid="header-like-count"' not in detail and "data-like-count" not in detail


def test_citizens_and_judges_off_the_panel_see_the_counts(app, client):
    contest = make_contest()
    initiative = make_initiative(contest, make_unit(), images=0, likes=37)
    make_judging(contest, judges=1)
    outsider = make_user(role=RoleName.JUDGE)
    gallery, detail = _page_texts(client, outsider.email, initiative.id)
    assert 'class="small mt-auto mb-0 d-flex gap-3 counts"' in gallery
    assert 'data-testid="header-like-count"' in detail and ">37<" in detail


def test_counts_come_back_when_the_setting_is_off_or_judging_closes(app, client):
    contest = make_contest()
    initiative = make_initiative(contest, make_unit(), images=0, likes=37)
    (judge,) = make_judging(contest, judges=1)
    organizer = make_user(role=RoleName.ORGANIZER)
    service.update_settings(organizer, contest, hide_engagement=False)
    _gallery, detail = _page_texts(client, judge.email, initiative.id)
    assert 'data-testid="header-like-count"' in detail
    db.session.rollback()  # end the test's read snapshot: the page wrote a view since
    service.update_settings(organizer, contest, hide_engagement=True)
    clock.freeze(contest.stage(StageKind.JUDGING).closes_at)
    detail = client.get(f"/sang-kien/{initiative.id}").get_data(as_text=True)
    assert 'data-testid="header-like-count"' in detail
