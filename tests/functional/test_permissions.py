"""The permission matrix: every route × every role → the status the server must answer.

A route added without an entry here fails `test_every_route_is_in_the_matrix`.
Forms are posted with a valid CSRF token and no other data, so a permitted role gets the
form's validation answer (422) or the operation's redirect, and a refused one 302 (to the
sign-in page) or 403.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.auth.service import issue_api_token
from models import InitiativeStatus, RoleName
from tests.conftest import Browser
from tests.factories import PASSWORD, make_category, make_contest, make_initiative, make_unit, make_user

ROLES = ("anonymous", "unverified", "citizen", "unit_rep", "judge", "organizer")


def row(anonymous, unverified, citizen, unit_rep, judge, organizer):
    return dict(zip(ROLES, (anonymous, unverified, citizen, unit_rep, judge, organizer), strict=True))


def everyone(status):
    return row(*(status,) * 6)


ORGANIZER_ONLY_GET = row(302, 403, 403, 403, 403, 200)
SIGNED_IN_ONLY = row(302, 200, 200, 200, 200, 200)

# (endpoint, method) -> (path template, expected status per role)
MATRIX: dict[tuple[str, str], tuple[str, dict[str, int]]] = {
    ("main.index", "GET"): ("/", everyone(200)),
    ("main.health", "GET"): ("/healthz", everyone(200)),
    ("main.set_language", "GET"): ("/lang/en?next=/", everyone(302)),
    ("main.admin", "GET"): ("/admin/", ORGANIZER_ONLY_GET),
    ("audit.index", "GET"): ("/admin/audit/", ORGANIZER_ONLY_GET),
    ("contest.edit", "GET"): ("/admin/contest/", ORGANIZER_ONLY_GET),
    ("contest.edit", "POST"): ("/admin/contest/", row(302, 403, 403, 403, 403, 422)),
    ("units.index", "GET"): ("/admin/units/", ORGANIZER_ONLY_GET),
    ("units.create", "GET"): ("/admin/units/new", ORGANIZER_ONLY_GET),
    ("units.create", "POST"): ("/admin/units/new", row(302, 403, 403, 403, 403, 422)),
    ("units.edit", "GET"): ("/admin/units/{unit_id}/edit", ORGANIZER_ONLY_GET),
    ("units.edit", "POST"): ("/admin/units/{unit_id}/edit", row(302, 403, 403, 403, 403, 422)),
    ("units.delete", "POST"): ("/admin/units/{empty_unit_id}/delete", row(302, 403, 403, 403, 403, 302)),
    ("units.roster", "GET"): ("/admin/units/roster", ORGANIZER_ONLY_GET),
    ("units.roster", "POST"): ("/admin/units/roster", row(302, 403, 403, 403, 403, 422)),
    ("users.index", "GET"): ("/admin/users/", ORGANIZER_ONLY_GET),
    ("users.detail", "GET"): ("/admin/users/{target_id}", ORGANIZER_ONLY_GET),
    ("users.grant", "POST"): ("/admin/users/{target_id}/roles", row(302, 403, 403, 403, 403, 422)),
    ("users.revoke", "POST"): (
        "/admin/users/{target_id}/roles/{grant_id}/revoke",
        row(302, 403, 403, 403, 403, 302),
    ),
    ("users.deactivate", "POST"): ("/admin/users/{target_id}/deactivate", row(302, 403, 403, 403, 403, 422)),
    ("users.reactivate", "POST"): ("/admin/users/{target_id}/reactivate", row(302, 403, 403, 403, 403, 302)),
    ("auth.register", "GET"): ("/auth/register", row(200, 302, 302, 302, 302, 302)),
    ("auth.register", "POST"): ("/auth/register", row(422, 302, 302, 302, 302, 302)),
    ("auth.login", "GET"): ("/auth/login", row(200, 302, 302, 302, 302, 302)),
    ("auth.login", "POST"): ("/auth/login", row(422, 302, 302, 302, 302, 302)),
    ("auth.logout", "POST"): ("/auth/logout", everyone(302)),
    ("auth.verify", "GET"): ("/auth/verify", row(302, 200, 302, 302, 302, 302)),
    ("auth.verify", "POST"): ("/auth/verify", row(302, 422, 302, 302, 302, 302)),
    ("auth.resend_code", "POST"): ("/auth/verify/resend", everyone(302)),
    ("auth.forgot", "GET"): ("/auth/forgot", everyone(200)),
    ("auth.forgot", "POST"): ("/auth/forgot", everyone(422)),
    ("auth.reset", "GET"): ("/auth/reset", everyone(200)),
    ("auth.reset", "POST"): ("/auth/reset", everyone(422)),
    ("auth.profile", "GET"): ("/auth/profile", SIGNED_IN_ONLY),
    ("auth.profile", "POST"): ("/auth/profile", row(302, 422, 422, 422, 422, 422)),
    ("auth.change_password", "POST"): ("/auth/password", row(302, 422, 422, 422, 422, 422)),
    # API: bearer tokens only.
    ("api_tokens.Tokens", "POST"): ("/api/v1/tokens", everyone(422)),
    ("api_tokens.Me", "GET"): ("/api/v1/me", row(401, 200, 200, 200, 200, 200)),
    ("api_tokens.CurrentToken", "DELETE"): ("/api/v1/tokens/current", row(401, 204, 204, 204, 204, 204)),
    ("api_contests.CurrentContest", "GET"): ("/api/v1/contests/current", everyone(200)),
    ("api_contests.StageWindow", "PATCH"): (
        "/api/v1/contests/{contest_id}/stages/voting",
        row(401, 403, 403, 403, 403, 200),
    ),
    ("api-docs.openapi_json", "GET"): ("/api/v1/openapi.json", everyone(200)),
    ("api-docs.openapi_swagger_ui", "GET"): ("/api/v1/docs", everyone(200)),
    ("api_docs_assets.swagger_asset", "GET"): ("/api/v1/docs/assets/swagger-ui.css", everyone(200)),
    # Initiatives: public pages and files (of a published initiative).
    ("initiatives.gallery", "GET"): ("/sang-kien/", everyone(200)),
    ("initiatives.detail", "GET"): ("/sang-kien/{pub_id}", everyone(200)),
    ("initiatives.image_file", "GET"): ("/tep/anh/{image_token}/thumb.jpg", everyone(200)),
    ("initiatives.document_file", "GET"): ("/tep/tai-lieu/{doc_token}.pdf", everyone(200)),
    # The unit's own initiatives (a draft of the representative's unit): strangers get 404.
    ("initiatives.mine", "GET"): ("/don-vi/sang-kien/", row(302, 403, 403, 200, 403, 200)),
    ("initiatives.create", "GET"): ("/don-vi/sang-kien/moi", row(302, 403, 403, 200, 403, 200)),
    ("initiatives.create", "POST"): ("/don-vi/sang-kien/moi", row(302, 403, 403, 422, 403, 422)),
    ("initiatives.manage", "GET"): ("/don-vi/sang-kien/{draft_id}", row(302, 404, 404, 200, 404, 200)),
    ("initiatives.manage", "POST"): ("/don-vi/sang-kien/{draft_id}", row(302, 404, 404, 422, 404, 422)),
    ("initiatives.submit", "POST"): ("/don-vi/sang-kien/{draft_id}/nop", row(302, 404, 404, 303, 404, 303)),
    ("initiatives.withdraw", "POST"): ("/don-vi/sang-kien/{draft_id}/rut", row(302, 404, 404, 303, 404, 303)),
    # Organizers' review.
    ("review.queue", "GET"): ("/admin/initiatives/", ORGANIZER_ONLY_GET),
    ("review.review", "GET"): ("/admin/initiatives/{draft_id}", ORGANIZER_ONLY_GET),
    ("review.review", "POST"): ("/admin/initiatives/{draft_id}", row(302, 403, 403, 403, 403, 422)),
    ("review.bulk_publish", "POST"): ("/admin/initiatives/bulk-publish", row(302, 403, 403, 403, 403, 302)),
    ("review.categories", "GET"): ("/admin/initiatives/fields/", ORGANIZER_ONLY_GET),
    ("review.categories", "POST"): ("/admin/initiatives/fields/", row(302, 403, 403, 403, 403, 422)),
    ("review.edit_category", "POST"): (
        "/admin/initiatives/fields/{category_id}",
        row(302, 403, 403, 403, 403, 302),
    ),
    # Initiatives API.
    ("api_initiatives.Initiatives", "GET"): ("/api/v1/initiatives", everyone(200)),
    ("api_initiatives.Initiatives", "POST"): ("/api/v1/initiatives", row(401, 403, 403, 422, 403, 422)),
    ("api_initiatives.InitiativeItem", "GET"): (
        "/api/v1/initiatives/{draft_id}",
        row(404, 404, 404, 200, 404, 200),
    ),
    ("api_initiatives.InitiativeItem", "PATCH"): (
        "/api/v1/initiatives/{draft_id}",
        row(401, 404, 404, 200, 404, 200),
    ),
    ("api_initiatives.InitiativeImages", "POST"): (
        "/api/v1/initiatives/{draft_id}/images",
        row(401, 422, 422, 422, 422, 422),
    ),
    ("api_initiatives.SubmitInitiative", "POST"): (
        "/api/v1/initiatives/{draft_id}/submit",
        row(401, 404, 404, 409, 404, 409),
    ),
    ("api_initiatives.WithdrawInitiative", "POST"): (
        "/api/v1/initiatives/{draft_id}/withdraw",
        row(401, 404, 404, 409, 404, 409),
    ),
    ("api_initiatives.ReviewInitiative", "POST"): (
        "/api/v1/initiatives/{draft_id}/review",
        row(401, 403, 403, 403, 403, 422),
    ),
    # Engagement API: likes (verified accounts; the unverified get 403).
    ("api_engagement.LikeResource", "PUT"): (
        "/api/v1/initiatives/{pub_id}/like",
        row(401, 403, 200, 200, 200, 200),
    ),
    ("api_engagement.LikeResource", "DELETE"): (
        "/api/v1/initiatives/{pub_id}/like",
        row(401, 403, 200, 200, 200, 200),
    ),
    # --- engagement: public likes and comments pages, comments API (helper "likes-comments") ---
    # Likes and comments by form: anonymous → sign in; unverified → told to confirm (303 back to the page).
    ("engagement.like", "POST"): ("/sang-kien/{pub_id}/thich", row(302, 303, 302, 302, 302, 302)),
    ("engagement.unlike", "POST"): ("/sang-kien/{pub_id}/bo-thich", row(302, 303, 302, 302, 302, 302)),
    ("engagement.comment", "POST"): ("/sang-kien/{pub_id}/binh-luan", row(302, 303, 422, 422, 422, 422)),
    # The citizen wrote this comment: only they may edit (empty text: 422) or delete it.
    ("engagement.edit_comment", "POST"): (
        "/binh-luan/{citizen_comment_id}/sua",
        row(302, 403, 422, 403, 403, 403),
    ),
    ("engagement.delete_comment", "POST"): (
        "/binh-luan/{citizen_comment_id}/xoa",
        row(302, 403, 302, 403, 403, 403),
    ),
    ("engagement.report_comment", "POST"): (
        "/binh-luan/{citizen_comment_id}/bao-cao",
        row(302, 303, 422, 422, 422, 422),
    ),
    ("api_engagement.CommentsResource", "GET"): ("/api/v1/initiatives/{pub_id}/comments", everyone(200)),
    ("api_engagement.CommentsResource", "POST"): (
        "/api/v1/initiatives/{pub_id}/comments",
        row(401, 403, 422, 422, 422, 422),
    ),
    ("api_engagement.CommentReportResource", "POST"): (
        "/api/v1/comments/{citizen_comment_id}/report",
        row(401, 403, 422, 422, 422, 422),
    ),
    # --- engagement: moderation, fraud review, quarantine (helper "moderation-fraud") ---
    ("engagement_admin.comments", "GET"): ("/admin/engagement/comments", ORGANIZER_ONLY_GET),
    ("engagement_admin.moderate", "POST"): (
        "/admin/engagement/comments/{moderated_comment_id}",
        row(302, 403, 403, 403, 403, 422),
    ),
    ("engagement_admin.fraud_review", "GET"): ("/admin/engagement/fraud", ORGANIZER_ONLY_GET),
    ("engagement_admin.quarantine_likes", "POST"): (
        "/admin/engagement/quarantine/likes",
        row(302, 403, 403, 403, 403, 422),
    ),
    ("engagement_admin.quarantine_account", "POST"): (
        "/admin/engagement/quarantine/account/{target_id}",
        row(302, 403, 403, 403, 403, 422),
    ),
    ("engagement_admin.quarantines", "GET"): ("/admin/engagement/quarantine", ORGANIZER_ONLY_GET),
    ("engagement_admin.release", "POST"): (
        "/admin/engagement/quarantine/{quarantine_id}/release",
        row(302, 403, 403, 403, 403, 302),
    ),
    # --- engagement: external import, chart data, external API (helper "external-chart") ---
    ("engagement_import.upload", "GET"): ("/admin/engagement/import", ORGANIZER_ONLY_GET),
    ("engagement_import.upload", "POST"): ("/admin/engagement/import", row(302, 403, 403, 403, 403, 422)),
    ("engagement_import.example", "GET"): ("/admin/engagement/import/example.csv", ORGANIZER_ONLY_GET),
    ("engagement_import.chart_data", "GET"): (
        "/sang-kien/{pub_id}/tuong-tac.json",
        row(404, 404, 404, 200, 404, 200),
    ),
    ("api_external.ExternalSnapshots", "POST"): (
        "/api/v1/engagement/external",
        row(401, 403, 403, 403, 403, 422),
    ),
    # --- judging: the judges' pages and API (helper "judge-side") ---
    # The world's judge is on the panel and assigned pub_id; an empty review form saves an empty draft
    # (303 back to the page), an empty conflict form lacks its reason (422); others are not judges.
    ("judging.assignments", "GET"): ("/cham-diem/", row(302, 403, 403, 403, 200, 403)),
    ("judging.review", "GET"): ("/cham-diem/{pub_id}", row(302, 403, 403, 403, 200, 403)),
    ("judging.review", "POST"): ("/cham-diem/{pub_id}", row(302, 403, 403, 403, 303, 403)),
    ("judging.conflict", "POST"): ("/cham-diem/{pub_id}/xung-dot", row(302, 403, 403, 403, 422, 403)),
    ("api_judging.JudgeAssignments", "GET"): (
        "/api/v1/judging/assignments",
        row(401, 403, 403, 403, 200, 403),
    ),
    # No review yet: GET 404; PUT {} saves an empty draft.
    ("api_judging.JudgeReview", "GET"): (
        "/api/v1/judging/initiatives/{pub_id}/review",
        row(401, 403, 403, 403, 404, 403),
    ),
    ("api_judging.JudgeReview", "PUT"): (
        "/api/v1/judging/initiatives/{pub_id}/review",
        row(401, 403, 403, 403, 200, 403),
    ),
    # --- judging: public results, method page, ranking API (helper "public-demo-bench") ---
    ("results.index", "GET"): ("/ket-qua/", everyone(200)),
    ("results.method", "GET"): ("/ket-qua/phuong-phap", everyone(200)),
    ("api_ranking.Criteria", "GET"): (
        "/api/v1/contests/{contest_id}/criteria",
        row(401, 403, 403, 403, 200, 200),
    ),
    ("api_ranking.RankingRuns", "POST"): (
        "/api/v1/contests/{contest_id}/ranking-runs",
        row(401, 403, 403, 403, 403, 201),
    ),
    ("api_ranking.RankingRunItem", "GET"): (
        "/api/v1/ranking-runs/{run_id}",
        row(401, 403, 403, 403, 403, 200),
    ),
    ("api_ranking.PublishRun", "POST"): (
        "/api/v1/ranking-runs/{run_id}/publish",
        row(401, 403, 403, 403, 403, 200),
    ),
    # No reason given: 422 (the run is not published, but the reason is checked first).
    ("api_ranking.UnpublishRun", "POST"): (
        "/api/v1/ranking-runs/{run_id}/unpublish",
        row(401, 403, 403, 403, 403, 422),
    ),
    # Nothing is published in the world: 404 to everyone.
    ("api_ranking.Finalists", "GET"): ("/api/v1/contests/{contest_id}/finalists", everyone(404)),
    # --- judging: the organizers' pages and exports (helper "organizer-side") ---
    # The world's rubric is unlocked and not empty, its judge has no review, its run is not published:
    # an empty form lacks its fields or reason (422), the default rubric is refused (409), a button
    # does its work and redirects (302).
    ("judging_admin.index", "GET"): ("/admin/judging/", ORGANIZER_ONLY_GET),
    ("judging_admin.rubric", "GET"): ("/admin/judging/rubric", ORGANIZER_ONLY_GET),
    ("judging_admin.rubric", "POST"): ("/admin/judging/rubric", row(302, 403, 403, 403, 403, 422)),
    ("judging_admin.default_rubric", "POST"): (
        "/admin/judging/rubric/default",
        row(302, 403, 403, 403, 403, 409),
    ),
    ("judging_admin.edit_criterion", "POST"): (
        "/admin/judging/rubric/{criterion_id}",
        row(302, 403, 403, 403, 403, 422),
    ),
    ("judging_admin.delete_criterion", "POST"): (
        "/admin/judging/rubric/{criterion_id}/delete",
        row(302, 403, 403, 403, 403, 302),
    ),
    ("judging_admin.unlock_rubric", "POST"): (
        "/admin/judging/rubric/unlock",
        row(302, 403, 403, 403, 403, 422),
    ),
    ("judging_admin.lock_rubric", "POST"): ("/admin/judging/rubric/lock", row(302, 403, 403, 403, 403, 302)),
    ("judging_admin.settings", "GET"): ("/admin/judging/settings", ORGANIZER_ONLY_GET),
    ("judging_admin.settings", "POST"): ("/admin/judging/settings", row(302, 403, 403, 403, 403, 422)),
    ("judging_admin.panel", "GET"): ("/admin/judging/panel", ORGANIZER_ONLY_GET),
    ("judging_admin.add_judge", "POST"): ("/admin/judging/panel/add", row(302, 403, 403, 403, 403, 422)),
    ("judging_admin.remove_judge", "POST"): (
        "/admin/judging/panel/{judge_id}/remove",
        row(302, 403, 403, 403, 403, 302),
    ),
    ("judging_admin.assign", "POST"): ("/admin/judging/panel/assign", row(302, 403, 403, 403, 403, 302)),
    ("judging_admin.progress", "GET"): ("/admin/judging/progress", ORGANIZER_ONLY_GET),
    ("judging_admin.runs", "GET"): ("/admin/judging/runs", ORGANIZER_ONLY_GET),
    ("judging_admin.run_ranking", "POST"): ("/admin/judging/runs", row(302, 403, 403, 403, 403, 302)),
    ("judging_admin.run", "GET"): ("/admin/judging/runs/{run_id}", ORGANIZER_ONLY_GET),
    ("judging_admin.publish_run", "POST"): (
        "/admin/judging/runs/{run_id}/publish",
        row(302, 403, 403, 403, 403, 302),
    ),
    ("judging_admin.unpublish_run", "POST"): (
        "/admin/judging/runs/{run_id}/unpublish",
        row(302, 403, 403, 403, 403, 422),
    ),
    ("judging_admin.export_results", "GET"): ("/admin/judging/runs/{run_id}/results.csv", ORGANIZER_ONLY_GET),
    ("judging_admin.export_scores", "GET"): ("/admin/judging/scores.xlsx", ORGANIZER_ONLY_GET),
    ("static", "GET"): ("/static/css/app.css", everyone(200)),
    ("bootstrap.static", "GET"): ("/bootstrap/static/css/bootstrap.min.css", everyone(200)),
}


@dataclass
class World:
    ids: dict
    users: dict


@pytest.fixture
def world(app) -> World:
    contest = make_contest()
    unit = make_unit("Xã Hòa Xá", code="UH-HX")
    empty_unit = make_unit("Đơn vị trống", code="EMPTY")
    target = make_user(name="Người Được Quản Lý", role=RoleName.JUDGE, active=False)
    users = {
        "unverified": make_user(verified=False),
        "citizen": make_user(unit=unit),
        "unit_rep": make_user(role=RoleName.UNIT_REP, rep_of=unit),
        "judge": make_user(role=RoleName.JUDGE),
        "organizer": make_user(role=RoleName.ORGANIZER),
    }
    category = make_category(contest)
    published = make_initiative(contest, unit, category=category, images=1, documents=1)
    draft = make_initiative(contest, unit, category=category, status=InitiativeStatus.DRAFT, images=0)
    ids = {
        "pub_id": published.id,
        "draft_id": draft.id,
        "image_token": published.images[0].token,
        "doc_token": published.documents[0].token,
        "category_id": category.id,
        "contest_id": contest.id,
        "unit_id": unit.id,
        "empty_unit_id": empty_unit.id,
        "target_id": target.id,
        "grant_id": target.roles[0].id,
    }
    # Moderation and quarantine (helper "moderation-fraud"): a comment to decide on, a decision to release.
    from app import clock
    from models import Comment, Quarantine, db

    moderated = Comment(
        initiative_id=published.id, user_id=users["citizen"].id, body="Ý kiến", created_at=clock.now()
    )
    decision = Quarantine(reason="Thử", created_by_id=users["organizer"].id, created_at=clock.now())
    db.session.add_all([moderated, decision])
    db.session.commit()
    ids.update(moderated_comment_id=moderated.id, quarantine_id=decision.id)
    # Likes and comments (helper "likes-comments"): a comment the citizen wrote a moment ago.
    from app.engagement.service import add_comment

    ids["citizen_comment_id"] = add_comment(users["citizen"], published, "Rất hữu ích").id
    # Judging: the default rubric, the world's judge on the panel and assigned the published
    # initiative, and one stored ranking run.
    from app.judging import service as judging

    organizer = users["organizer"]
    judging.unlock_rubric(organizer, contest, "Thiết lập thử nghiệm")
    criteria = judging.install_default_rubric(organizer, contest)
    judging.update_settings(organizer, contest, assignment_mode="all")
    judging.add_panel_member(organizer, contest, users["judge"])
    judging.assign_work(organizer, contest)
    run = judging.run_ranking(organizer, contest)
    ids.update(criterion_id=criteria[0].id, run_id=run.id, judge_id=users["judge"].id)
    return World(ids, users)


def test_every_route_is_in_the_matrix(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - MATRIX.keys() == set(), "routes missing from the permission matrix"
    assert MATRIX.keys() - routes == set(), "matrix entries for routes that no longer exist"


CASES = [(endpoint, method, role) for (endpoint, method) in MATRIX for role in ROLES]


@pytest.mark.parametrize("endpoint, method, role", CASES, ids=[f"{e}-{m}-{r}" for e, m, r in CASES])
def test_route_answers_each_role_as_expected(app, client, world, endpoint, method, role):
    path_template, expected = MATRIX[(endpoint, method)]
    path = path_template.format(**world.ids)
    browser = Browser(client)
    headers = {}
    if path.startswith("/api/v1/") and "docs" not in path and "openapi" not in path:
        if role != "anonymous":
            token, _ = issue_api_token(world.users[role])
            headers["Authorization"] = f"Bearer {token}"
        response = client.open(path, method=method, json={}, headers=headers)
    else:
        if role != "anonymous":
            response = browser.login(world.users[role].email, PASSWORD)
            assert response.status_code == 302, f"could not sign in as {role}"
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={"csrf_token": browser.token("/auth/forgot")})
    assert response.status_code == expected[role], (
        f"{method} {path} as {role}: {response.status_code}, expected {expected[role]}"
    )
    if expected[role] == 302 and role == "anonymous" and path.startswith("/admin"):
        assert "/auth/login" in response.headers["Location"]


def test_api_ignores_session_cookies(app, client, world):
    browser = Browser(client)
    assert browser.login(world.users["organizer"].email, PASSWORD).status_code == 302
    response = client.patch(f"/api/v1/contests/{world.ids['contest_id']}/stages/voting", json={})
    assert response.status_code == 401
    assert client.get("/api/v1/me").status_code == 401


def test_forms_without_a_csrf_token_are_refused(app, client, world):
    browser = Browser(client)
    browser.login(world.users["organizer"].email, PASSWORD)
    response = client.post(f"/admin/users/{world.ids['target_id']}/reactivate")
    assert response.status_code == 400
    response = client.post("/auth/login", data={"login": "x@example.vn", "password": "y"})
    assert response.status_code == 400
