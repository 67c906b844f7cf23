"""Who may call what: every route × every role → status, 404 before 403, and CSRF on every POST."""
import pytest
from sqlalchemy import select

from consult.accounts.models import ApiToken, Membership, StakeholderGroup
from consult.accounts.operations import issue_token
from consult.comments.models import Comment
from consult.comments.operations import delete_comment
from tests import factories

ACTION = factories.action_fields(7)
PLAN_FORM = {"title": "T", "slug": "test-plan", "summary": "", "organisation": "", "project": "",
             "policy_instrument": "", "language": "en", "timezone": "Europe/Bucharest", "visibility": "public"}

#: (method, url, form data, status for the team and for site admins)
TEAM_ROUTES = [
    ("GET", "/plans/{slug}/settings", None, 200),
    ("POST", "/plans/{slug}/settings", PLAN_FORM, 302),
    ("GET", "/plans/{slug}/draft", None, 200),
    ("POST", "/plans/{slug}/draft/general", {"summary": "s", "policy_context": "p"}, 302),
    ("GET", "/plans/{slug}/draft/actions/new", None, 200),
    ("POST", "/plans/{slug}/draft/actions/new", ACTION, 302),
    ("GET", "/plans/{slug}/draft/actions/A1", None, 200),
    ("POST", "/plans/{slug}/draft/actions/A1", ACTION, 302),
    ("POST", "/plans/{slug}/draft/actions/A1/move", {"direction": "down"}, 302),
    ("POST", "/plans/{slug}/draft/actions/A1/remove", {}, 302),
    ("GET", "/plans/{slug}/draft/publish", None, 200),
    ("POST", "/plans/{slug}/draft/publish", {"change_summary": "c"}, 302),
    ("POST", "/plans/{slug}/draft/start", {}, 409),  # the plan already has a draft
    ("POST", "/plans/{slug}/draft/discard", {}, 302),
    ("GET", "/plans/{slug}/members", None, 200),
    ("POST", "/plans/{slug}/members", {"email": "outsider@example.org", "role": "stakeholder", "group_id": ""}, 302),
    ("POST", "/plans/{slug}/members/{membership}", {"role": "moderator", "group_id": ""}, 302),
    ("POST", "/plans/{slug}/members/{membership}/remove", {}, 302),
    ("POST", "/plans/{slug}/groups", {"name": "Cultural NGOs"}, 302),
    ("POST", "/plans/{slug}/groups/{group}", {"name": "Renamed group"}, 302),
    ("POST", "/plans/{slug}/groups/{group}/remove", {}, 302),
]

#: other_team and other_moderator hold those roles on another plan, none on this one.
ROLES = ["visitor", "outsider", "stakeholder", "moderator", "other_moderator", "other_team", "team", "admin"]


def _expected(role, allowed_status):
    if role == "visitor":
        return 302  # to the login page
    if role in ("team", "admin"):
        return allowed_status
    return 403


@pytest.fixture
def world(db, plan, personas):
    other_team = factories.make_user("other-team@example.org", "Olga Other")
    other_moderator = factories.make_user("other-moderator@example.org", "Omar Other")
    factories.make_plan(other_team, slug="other-plan", moderator=other_moderator)
    membership = db.session.scalar(select(Membership).where(
        Membership.plan_id == plan.id, Membership.user_id == personas["stakeholder"].id))
    group = db.session.scalar(select(StakeholderGroup).where(StakeholderGroup.plan_id == plan.id,
                                                             StakeholderGroup.name == "Other"))
    _token, token = issue_token(personas["stakeholder"], "script")
    db.session.commit()
    return {"plan": plan, "users": {**personas, "other_team": other_team, "other_moderator": other_moderator},
            "ids": {"membership": membership.id, "group": group.id, "token": token.id}}


def _call(client, method, url, data, **kwargs):
    if method == "GET":
        return client.get(url)
    return client.post(url, data or {}, **kwargs)


def _login_as(client, world, role):
    if role != "visitor":
        client.login(world["users"][role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, url, data, allowed", TEAM_ROUTES, ids=[f"{m} {u}" for m, u, _d, _s in TEAM_ROUTES])
def test_team_routes(client, world, role, method, url, data, allowed):
    _login_as(client, world, role)
    response = _call(client, method, url.format(slug="test-plan", **world["ids"]), data)
    assert response.status_code == _expected(role, allowed), response.get_data(as_text=True)[:500]
    if role == "visitor":
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, url, data, allowed", TEAM_ROUTES, ids=[f"{m} {u}" for m, u, _d, _s in TEAM_ROUTES])
def test_unknown_plan_is_404_before_any_403(client, world, role, method, url, data, allowed):
    _login_as(client, world, role)
    response = _call(client, method, url.format(slug="no-such-plan", **world["ids"]), data)
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["visitor", "outsider", "stakeholder"])
def test_invite_only_plan_is_404_for_non_members_on_team_routes(client, world, db, role):
    world["plan"].visibility = "invite"
    db.session.commit()
    _login_as(client, world, role)
    status = client.get("/plans/test-plan/draft").status_code
    assert status == (403 if role == "stakeholder" else 404)


#: Routes naming an object of the plan that does not exist: 404 for everyone, before any 403 or log-in.
UNKNOWN_CHILDREN = [
    ("POST", "/plans/test-plan/members/999999"),
    ("POST", "/plans/test-plan/members/999999/remove"),
    ("POST", "/plans/test-plan/groups/999999"),
    ("POST", "/plans/test-plan/groups/999999/remove"),
    ("GET", "/plans/test-plan/draft/actions/A99"),
    ("POST", "/plans/test-plan/draft/actions/A99"),
    ("POST", "/plans/test-plan/draft/actions/A99/remove"),
    ("POST", "/plans/test-plan/draft/actions/A99/move"),
    ("POST", "/plans/test-plan/draft/publish?version=99"),
    ("GET", "/plans/test-plan/compare/2/99"),  # the draft, then a version that does not exist
    ("GET", "/plans/test-plan/compare/99/2"),
    ("GET", "/api/v1/plans/test-plan/compare/2/99"),
    ("GET", "/plans/test-plan/versions/99"),
    ("GET", "/plans/test-plan/versions/99/actions/A1"),
    ("GET", "/plans/test-plan/versions/1/actions/A99"),
    ("GET", "/plans/test-plan/versions/99/tally"),
    ("GET", "/plans/test-plan/versions/99/unanswered"),
    ("GET", "/plans/test-plan/versions/99/report"),
    ("POST", "/plans/test-plan/versions/99/report/publish"),
    ("POST", "/plans/test-plan/versions/99/report/withdraw"),
    ("GET", "/plans/test-plan/export.csv?version=99"),  # the export names its version in the query
    ("GET", "/plans/test-plan/export.json?version=2"),  # the draft: only published versions are exported
    ("GET", "/plans/test-plan/export.pdf"),
    ("GET", "/plans/test-plan/versions/99/anchors"),
    ("GET", "/plans/test-plan/versions/99/actions/A1/meeting-feedback"),
    ("GET", "/plans/test-plan/versions/1/actions/A99/meeting-feedback"),
    ("POST", "/plans/test-plan/tags/999999"),
    ("POST", "/plans/test-plan/tags/999999/remove"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, url", UNKNOWN_CHILDREN, ids=[f"{m} {u}" for m, u in UNKNOWN_CHILDREN])
def test_unknown_child_objects_are_404(client, world, role, method, url):
    _login_as(client, world, role)
    if "?version=" in url and method == "POST":  # the publish form names its version in the body
        url, number = url.split("?version=")
        data = {"version": number, "change_summary": "x"}
    else:
        data = {"direction": "up", "role": "team", "name": "x", **ACTION}
    response = _call(client, method, url, data)
    assert response.status_code == 404, response.get_data(as_text=True)[:300]


def test_another_plans_membership_or_group_is_404(client, world, db):
    other = db.session.scalar(select(Membership).join(Membership.user).where(
        Membership.user_id == world["users"]["other_team"].id))
    other_group = db.session.scalar(select(StakeholderGroup).where(StakeholderGroup.plan_id == other.plan_id))
    client.login(world["users"]["team"])
    assert client.post(f"/plans/test-plan/members/{other.id}/remove").status_code == 404
    assert client.post(f"/plans/test-plan/groups/{other_group.id}", {"name": "x"}).status_code == 404
    db.session.refresh(other)
    assert other.role == "team"


#: Routes for everyone: (method, url, data, status for a visitor, status for a logged-in user)
USER_ROUTES = [
    ("GET", "/", None, 200, 200),
    ("GET", "/plans/test-plan", None, 200, 200),
    ("GET", "/plans/test-plan/versions/1", None, 200, 200),
    ("GET", "/plans/test-plan/versions/1/actions/A1", None, 200, 200),
    ("GET", "/plans/test-plan/versions/2", None, 403, 403),  # the draft
    ("GET", "/login", None, 200, 302),
    ("GET", "/register", None, 200, 302),
    ("POST", "/logout", {}, 302, 302),
    ("POST", "/language", {"lang": "ro"}, 302, 302),
    ("GET", "/account", None, 302, 200),
    ("POST", "/account", {"name": "New Name", "locale": ""}, 302, 302),
    ("POST", "/account/password", {"current": "wrong", "password": "x" * 12, "confirm": "x" * 12}, 302, 422),
    ("POST", "/account/tokens", {"name": "import script"}, 302, 201),
    ("POST", "/account/tokens/{token}/revoke", {}, 302, 302),  # the stakeholder's own token
    ("POST", "/account/logout-everywhere", {}, 302, 302),
    ("POST", "/admin/users/{outsider}", {"disabled": "y"}, 302, 403),
    ("POST", "/preview", {"text": "*x*"}, 302, 200),
    ("GET", "/plans/new", None, 302, 403),
    ("POST", "/plans/test-plan/follow", {}, 302, 302),
    ("GET", "/plans/test-plan/compare/1/2", None, 403, 403),  # version 2 is a draft
    ("GET", "/plans/test-plan/compare/1/1", None, 400, 400),
    ("GET", "/plans/test-plan/compare", None, 404, 404),  # one published version: nothing to compare
    ("POST", "/plans/new", {**PLAN_FORM, "slug": "brand-new"}, 302, 403),
]


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "stakeholder"])
@pytest.mark.parametrize("method, url, data, visitor, member", USER_ROUTES,
                         ids=[f"{m} {u}" for m, u, *_ in USER_ROUTES])
def test_user_routes(client, world, logged_in, method, url, data, visitor, member):
    if logged_in:
        client.login(world["users"]["stakeholder"])
    response = _call(client, method, url.format(outsider=world["users"]["outsider"].id, **world["ids"]), data)
    assert response.status_code == (member if logged_in else visitor)


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("visitor", "stakeholder")])
def test_another_users_token_cannot_be_revoked(client, world, db, role):
    _login_as(client, world, role)
    token_id = world["ids"]["token"]
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert client.post("/account/tokens/999999/revoke").status_code == 404
    assert db.session.get(ApiToken, token_id).revoked_at is None


ALL_POSTS = [(u, d) for m, u, d, _s in TEAM_ROUTES if m == "POST"] + \
    [(u, d) for m, u, d, *_ in USER_ROUTES if m == "POST"] + \
    [("/login", {"email": "team@example.org", "password": factories.PASSWORD}),
     ("/register", {"name": "N", "email": "n@example.org", "password": "x" * 12, "confirm": "x" * 12})]


@pytest.mark.parametrize("url, data", ALL_POSTS, ids=[u for u, _d in ALL_POSTS])
def test_every_post_without_a_csrf_token_is_refused(client, world, db, url, data):
    if url not in ("/login", "/register"):
        client.login(world["users"]["team"])
    response = client.post(url.format(slug="test-plan", outsider=world["users"]["outsider"].id, **world["ids"]),
                           data, csrf=False)
    assert response.status_code == 400
    assert "The form had expired or was sent from elsewhere" in response.get_data(as_text=True)


def test_a_wrong_csrf_token_is_refused_and_changes_nothing(client, world, db):
    client.login(world["users"]["team"])
    response = client.post("/plans/test-plan/draft/general", {"summary": "hacked", "csrf_token": "forged"},
                           csrf=False)
    assert response.status_code == 400
    from consult.plans import operations as ops
    assert ops.current_draft(world["plan"]).summary_md != "hacked"


#: Site administration: (method, url, data, status for admins)
ADMIN_ROUTES = [
    ("GET", "/admin/users", None, 200),
    ("GET", "/admin/users?q=stella", None, 200),
    ("POST", "/admin/users/{user}", {"is_admin": "y"}, 302),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, url, data, allowed", ADMIN_ROUTES, ids=[f"{m} {u}" for m, u, *_ in ADMIN_ROUTES])
def test_admin_routes(client, world, role, method, url, data, allowed):
    _login_as(client, world, role)
    response = _call(client, method, url.format(user=world["users"]["outsider"].id), data)
    expected = 302 if role == "visitor" else (allowed if role == "admin" else 403)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_admin_unknown_user_is_404(client, world, role):
    _login_as(client, world, role)
    assert client.post("/admin/users/999999", {"is_admin": "y"}).status_code == 404


#: Comment routes, on a comment the stakeholder wrote: (method, url, data, {role: status})
_ANY = {role: None for role in ROLES if role != "visitor"}


def _statuses(default, **special):
    return {"visitor": 302, **{role: default for role in _ANY}, **special}


COMMENT_ROUTES = [
    ("GET", "/comments/{comment}", None, {**_statuses(302)}),
    ("GET", "/comments/{comment}/reply", None, _statuses(200)),
    ("POST", "/plans/test-plan/versions/1/actions/A1/comments", {"body": "r", "parent_id": "{comment}"},
     _statuses(302)),
    ("POST", "/plans/test-plan/versions/1/actions/A1/comments", {"body": "top", "stance": "question"},
     _statuses(302)),
    ("GET", "/comments/{comment}/edit", None, _statuses(403, stakeholder=200)),
    ("POST", "/comments/{comment}/edit", {"body": "changed"}, _statuses(403, stakeholder=302)),
    ("POST", "/comments/{comment}/delete", {}, _statuses(403, stakeholder=302)),
    ("GET", "/comments/{comment}/report", None, _statuses(200, stakeholder=403)),
    ("POST", "/comments/{comment}/report", {"reason": "spam"}, _statuses(302, stakeholder=403)),
    ("GET", "/comments/{comment}/history", None, _statuses(403, moderator=200, team=200, admin=200)),
]


@pytest.fixture
def comment_world(world, db):
    comment = factories.make_comment(world["plan"], world["users"]["stakeholder"])
    world["ids"]["comment"] = comment.id
    return world


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, url, data, expected", COMMENT_ROUTES,
                         ids=[f"{m} {u} {d}" for m, u, d, _e in COMMENT_ROUTES])
def test_comment_routes(client, comment_world, role, method, url, data, expected):
    _login_as(client, comment_world, role)
    ids = comment_world["ids"]
    data = {k: v.format(**ids) for k, v in data.items()} if data else data
    response = _call(client, method, url.format(**ids), data)
    assert response.status_code == expected[role], response.get_data(as_text=True)[:300]


API_COMMENTS = "/api/v1/plans/{slug}/versions/1/actions/A1/comments"


@pytest.mark.parametrize("visibility", ["public", "invite"])
@pytest.mark.parametrize("role", ROLES)
def test_api_comment_posting(client, world, db, role, visibility):
    """The API's one write takes a personal token (no session, no CSRF); invite-only plans: members only."""
    world["plan"].visibility = visibility
    headers = {}
    if role != "visitor":
        token, _record = issue_token(world["users"][role], "api")
        headers = {"Authorization": f"Bearer {token}"}
    db.session.commit()
    payload = {"body": "via the API", "stance": "support"}
    response = client.request("POST", API_COMMENTS.format(slug="test-plan"), json=payload, headers=headers)
    members = {"stakeholder", "moderator", "team", "admin"}
    expected = 401 if role == "visitor" else (201 if visibility == "public" or role in members else 404)
    assert response.status_code == expected, response.get_data(as_text=True)[:300]
    unknown = client.request("POST", API_COMMENTS.format(slug="no-such-plan"), json=payload, headers=headers)
    assert unknown.status_code == (401 if role == "visitor" else 404)


_ON_A_COMMENT = [r for r in COMMENT_ROUTES if "{comment}" in r[1]]
_COMMENT_POSTS = [r for r in COMMENT_ROUTES if r[0] == "POST"]


#: Unknown comments, and soft-deleted ones on the routes that act on a comment (its permalink and
#: history still open): (method, url, data, which)
_MISSING_COMMENTS = [(m, u, d, "unknown") for m, u, d, _e in _ON_A_COMMENT] + [
    (m, u, d, "deleted") for m, u, d, _e in _ON_A_COMMENT if not u.endswith(("{comment}", "/history"))] + [
    ("GET", "/comments/{comment}/respond", None, "deleted"),
    ("POST", "/comments/{comment}/respond", {"disposition": "noted", "body": "ok"}, "deleted"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, url, data, which", _MISSING_COMMENTS,
                         ids=[f"{m} {u} {w}" for m, u, _d, w in _MISSING_COMMENTS])
def test_unknown_comment_is_404(client, comment_world, db, role, method, url, data, which):
    comment_id = 999999
    if which == "deleted":
        comment = db.session.get(Comment, comment_world["ids"]["comment"])
        delete_comment(comment, comment_world["users"]["stakeholder"])
        db.session.commit()
        comment_id = comment.id
    _login_as(client, comment_world, role)
    assert _call(client, method, url.format(comment=comment_id), data).status_code == 404


@pytest.mark.parametrize("role", ["visitor", "outsider"])
def test_comments_of_invite_only_plans_are_404_for_non_members(client, comment_world, db, role):
    comment_world["plan"].visibility = "invite"
    db.session.commit()
    _login_as(client, comment_world, role)
    comment_id = comment_world["ids"]["comment"]
    for url in (f"/comments/{comment_id}", f"/comments/{comment_id}/reply", f"/comments/{comment_id}/report"):
        assert client.get(url).status_code == 404
    assert client.post(f"/comments/{comment_id}/delete").status_code == 404


@pytest.mark.parametrize("method, url, data, expected", _COMMENT_POSTS,
                         ids=[f"{m} {u} {d}" for m, u, d, _e in _COMMENT_POSTS])
def test_comment_posts_without_csrf_are_refused(client, comment_world, method, url, data, expected):
    client.login(comment_world["users"]["stakeholder"])
    ids = comment_world["ids"]
    data = {k: v.format(**ids) for k, v in data.items()}
    response = client.post(url.format(**ids), data, csrf=False)
    assert response.status_code == 400  # refused by CSRF protection, not by the route's own checks:
    assert "The form had expired or was sent from elsewhere" in response.get_data(as_text=True)


#: Moderation and follow-up routes: (method, url, data, status for moderators, status for the team and admins)
MODERATION_ROUTES = [
    ("GET", "/plans/test-plan/moderation", None, 200, 200),
    ("POST", "/plans/test-plan/moderation", {"action": "hide", "comment_ids": "{comment}", "reason": "spam"},
     302, 302),
    ("GET", "/plans/test-plan/moderation/comments", None, 200, 200),
    ("POST", "/plans/test-plan/moderation/comments/tag", {"operation": "tag", "apply_tag": "{tag}", "expected": "1"},
     302, 302),
    ("GET", "/plans/test-plan/moderation/log", None, 200, 200),
    ("GET", "/plans/test-plan/tags", None, 403, 200),
    ("POST", "/plans/test-plan/tags", {"name": "funding"}, 403, 302),
    ("POST", "/plans/test-plan/tags/{tag}", {"name": "renamed"}, 403, 302),
    ("POST", "/plans/test-plan/tags/{tag}/remove", {}, 403, 302),
    ("GET", "/comments/{comment}/respond", None, 403, 200),
    ("POST", "/comments/{comment}/respond", {"disposition": "noted", "body": "ok"}, 403, 302),
    ("GET", "/plans/test-plan/versions/1/unanswered", None, 200, 200),
    ("GET", "/plans/test-plan/versions/1/anchors", None, 200, 200),
    ("GET", "/plans/test-plan/versions/1/actions/A1/meeting-feedback", None, 200, 200),
    ("POST", "/plans/test-plan/versions/1/actions/A1/meeting-feedback",
     {"attribution": "Table 1", "stance": "support", "body": "heard"}, 302, 302),
    ("GET", "/plans/test-plan/tally", None, 200, 200),
    ("GET", "/plans/test-plan/versions/1/tally", None, 200, 200),
    ("GET", "/plans/test-plan/export.csv", None, 200, 200),
    ("GET", "/plans/test-plan/export.xlsx", None, 200, 200),
    ("GET", "/plans/test-plan/export.json", None, 200, 200),
    ("GET", "/plans/test-plan/versions/1/report", None, 200, 200),
    ("POST", "/plans/test-plan/versions/1/report/publish", {}, 403, 302),
    ("POST", "/plans/test-plan/versions/1/report/withdraw", {}, 403, 409),  # nothing published to withdraw
]


@pytest.fixture
def moderation_world(comment_world, db):
    from consult.moderation.models import Tag

    tag = Tag(plan_id=comment_world["plan"].id, name="governance")
    db.session.add(tag)
    db.session.commit()
    comment_world["ids"]["tag"] = tag.id
    return comment_world


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, url, data, moderator_status, team_status", MODERATION_ROUTES,
                         ids=[f"{m} {u}" for m, u, *_ in MODERATION_ROUTES])
def test_moderation_routes(client, moderation_world, role, method, url, data, moderator_status, team_status):
    _login_as(client, moderation_world, role)
    ids = moderation_world["ids"]
    data = {k: v.format(**ids) for k, v in data.items()} if data else data
    response = _call(client, method, url.format(**ids), data)
    expected = {"visitor": 302, "moderator": moderator_status, "team": team_status,
                "admin": team_status}.get(role, 403)
    assert response.status_code == expected, response.get_data(as_text=True)[:300]
    if role == "visitor":
        assert "/login" in response.headers["Location"]


_MOD_UNKNOWN = [r for r in MODERATION_ROUTES if "test-plan" in r[1]]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method, url, data, moderator_status, team_status", _MOD_UNKNOWN,
                         ids=[f"{m} {u}" for m, u, *_ in _MOD_UNKNOWN])
def test_moderation_routes_of_an_unknown_plan_are_404(client, moderation_world, role, method, url, data,
                                                     moderator_status, team_status):
    _login_as(client, moderation_world, role)
    ids = moderation_world["ids"]
    data = {k: v.format(**ids) for k, v in data.items()} if data else data
    assert _call(client, method, url.replace("test-plan", "no-such-plan").format(**ids), data).status_code == 404


@pytest.mark.parametrize("method, url, data, moderator_status, team_status",
                         [r for r in MODERATION_ROUTES if r[0] == "POST"],
                         ids=[u for m, u, *_ in MODERATION_ROUTES if m == "POST"])
def test_moderation_posts_need_csrf(client, moderation_world, method, url, data, moderator_status, team_status):
    client.login(moderation_world["users"]["team"])
    ids = moderation_world["ids"]
    data = {k: v.format(**ids) for k, v in data.items()}
    response = client.post(url.format(**ids), data, csrf=False)
    assert response.status_code == 400  # refused by CSRF protection, not by the route's own checks:
    assert "The form had expired or was sent from elsewhere" in response.get_data(as_text=True)


def test_a_moderator_of_another_plan_is_refused(client, moderation_world, team_member, db):
    from consult.accounts.operations import add_member

    other_plan = factories.make_plan(team_member, slug="third-plan")
    other_moderator = factories.make_user("other-mod@example.org", "Other Mod")
    add_member(other_plan.id, other_moderator, "moderator", None)
    db.session.commit()
    client.login(other_moderator)
    comment_id = moderation_world["ids"]["comment"]
    assert client.get("/plans/test-plan/moderation").status_code == 403
    assert client.post("/plans/test-plan/moderation", {"action": "hide", "comment_ids": comment_id,
                                                       "reason": "spam"}).status_code == 403
    assert client.post("/plans/third-plan/moderation", {"action": "hide", "comment_ids": comment_id,
                                                        "reason": "spam"}).status_code == 404
    assert client.get("/plans/test-plan/export.csv").status_code == 403
