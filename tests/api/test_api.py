"""The JSON API: reading plans, versions and threads; posting with a token; errors as JSON."""
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import func, select

from consult.accounts.operations import issue_token
from consult.api.openapi import openapi_document
from consult.comments.models import Comment
from tests import factories

BASE = "/api/v1/plans/test-plan/versions/1/actions/A1/comments"
SPEC = openapi_document()


#: Checks `format` too (date-time needs rfc3339-validator installed; without it jsonschema skips it silently).
FORMATS = FormatChecker()


def validate(name: str, payload):
    """Check a real response against the component schema of the OpenAPI document, formats included."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": SPEC["components"]}
    errors = sorted(Draft202012Validator(schema, format_checker=FORMATS).iter_errors(payload), key=str)
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_the_schema_check_refuses_a_bad_date_time(client, plan, stakeholder, db):
    """The format checker bites: a real comment passes, the same with a malformed time does not."""
    assert "date-time" in FORMATS.checkers, "install rfc3339-validator (requirements-dev.txt)"
    factories.make_comment(plan, stakeholder, body="dated")
    comment = client.get(BASE).json["comments"][0]
    validate("Comment", comment)
    for bad in ("2025-03-04 10:00", "2025-13-04T10:00:00Z", "yesterday", "2025-03-04T10:00:00"):
        with pytest.raises(AssertionError, match="is not a 'date-time'"):
            validate("Comment", {**comment, "created_at": bad})
        with pytest.raises(AssertionError, match="is not a 'date-time'"):
            validate("Comment", {**comment, "edited_at": bad})


def _token(db, user, name="test"):
    token, _record = issue_token(user, name)
    db.session.commit()
    return token


def _auth(token):
    return {"Authorization": f"Bearer {token}"}


def _count(db):
    return db.session.scalar(select(func.count()).select_from(Comment))


def test_plans_are_listed(client, plan):
    response = client.get("/api/v1/plans")
    assert response.status_code == 200
    validate("PlanList", response.json)
    assert [p["slug"] for p in response.json["plans"]] == ["test-plan"]
    assert response.json["plans"][0]["latest_version"] == 1


def test_a_version_has_every_field_in_markdown_and_html_and_counts(client, plan, stakeholder, db):
    factories.make_comment(plan, stakeholder, key="A2")
    response = client.get("/api/v1/plans/test-plan/versions/1")
    assert response.status_code == 200
    data = response.json
    validate("Version", data)
    assert [a["key"] for a in data["actions"]] == ["A1", "A2"]
    a1 = data["actions"][0]
    assert a1["fields"]["description"]["markdown"].startswith("Do **thing 1**")
    assert "<strong>thing 1</strong>" in a1["fields"]["description"]["html"]
    assert [a["comment_count"] for a in data["actions"]] == [0, 1]
    assert data["window"]["state"] == "open" and data["window"]["accepts_comments"] is True


def test_the_thread_is_a_tree(client, plan, stakeholder, outsider, db):
    root = factories.make_comment(plan, stakeholder, body="root", stance="question")
    reply = factories.make_comment(plan, outsider, parent=root, body="reply")
    factories.make_comment(plan, stakeholder, parent=reply, body="reply to reply")
    factories.make_comment(plan, stakeholder, body="second root")
    data = client.get(BASE).json
    validate("Thread", data)
    assert data["total"] == 4
    assert [c["body_html"] for c in data["comments"]] == ["<p>root</p>", "<p>second root</p>"]
    first = data["comments"][0]
    assert first["stance"] == "question" and first["author"] == "Stella Holder"
    assert first["stakeholder_group"] == "Citizen"
    assert first["replies"][0]["parent_id"] == root.id
    assert first["replies"][0]["replies"][0]["body_html"] == "<p>reply to reply</p>"


def test_posting_with_a_token(client, plan, stakeholder, db):
    token = _token(db, stakeholder)
    response = client.request("POST", BASE, json={"body": "Via the *API*", "stance": "suggestion"},
                              headers=_auth(token))
    assert response.status_code == 201, response.json
    validate("Comment", response.json)
    assert response.json["body_html"] == "<p>Via the <em>API</em></p>"
    assert response.json["author"] == "Stella Holder"
    assert response.headers["Location"].endswith(f"/comments/{response.json['id']}")
    reply = client.request("POST", BASE, json={"body": "and a reply", "parent_id": response.json["id"]},
                            headers=_auth(token))
    assert reply.status_code == 201 and reply.json["parent_id"] == response.json["id"]
    assert client.get(BASE).json["total"] == 2


@pytest.mark.parametrize("payload, field", [
    ({"stance": "support"}, "body"),
    ({"body": 42, "stance": "support"}, "body"),
    ({"body": "x", "stance": "love"}, "stance"),
    ({"body": "", "stance": "support"}, "body"),
    ({"body": "x" * 5001, "stance": "support"}, "body"),
    ({"body": "no stance"}, "stance"),
    ({"body": "x", "stance": "support", "parent_id": "7"}, "parent_id"),
    ({"body": "x", "parent_id": True}, "parent_id"),
    ({"body": "x", "parent_id": 999999}, "parent_id"),
    ({"body": "x", "stance": "support", "zzz": 1}, "zzz"),  # the document says additionalProperties: false
    ({"body": "x", "parent": 7}, "parent"),  # a misspelt key is named, not silently dropped
    ({"body": "x", "stance": "support", "anchor": {"field": "description", "quote": "q", "where": 1}}, "anchor"),
    ({"body": "half a pair \ud800", "stance": "support"}, "body"),  # JSON's escape of a lone surrogate
    ({"body": "x", "stance": "support", "anchor": {"field": "description", "quote": "\udfff"}}, "anchor"),
])
def test_invalid_posts_are_422_with_the_field(client, plan, stakeholder, db, payload, field):
    token = _token(db, stakeholder)
    response = client.request("POST", BASE, json=payload, headers=_auth(token))
    assert response.status_code == 422
    validate("Error", response.json)
    assert field in response.json["error"]["fields"]
    assert _count(db) == 0


@pytest.mark.parametrize("data, content_type", [
    ("not json", "application/json"), ("[1, 2]", "application/json"), ("body=x", "application/x-www-form-urlencoded"),
])
def test_malformed_bodies_are_400(client, plan, stakeholder, db, data, content_type):
    token = _token(db, stakeholder)
    response = client.request("POST", BASE, data=data, content_type=content_type, headers=_auth(token))
    assert response.status_code == 400
    validate("Error", response.json)


def test_a_session_cookie_cannot_write_and_no_csrf_is_needed(client, plan, stakeholder, db):
    client.login(stakeholder)
    response = client.request("POST", BASE, json={"body": "cookie", "stance": "support"})
    assert response.status_code == 401
    validate("Error", response.json)
    assert _count(db) == 0


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer ", "Basic abc", "cst_x"])
def test_bad_tokens_are_401(client, plan, db, header):
    response = client.request("POST", BASE, json={"body": "x", "stance": "support"}, headers={"Authorization": header})
    assert response.status_code == 401
    assert client.request("GET", BASE, headers={"Authorization": header}).status_code == 401


@pytest.mark.parametrize("header", ["Bearer nope", "Basic abc", None])
@pytest.mark.parametrize("kwargs", [{"json": {"body": 5, "stance": "delight", "parent_id": "x"}},
                                    {"data": "not json", "content_type": "application/json"}, {"json": []}])
def test_a_bad_token_is_401_before_the_body_is_looked_at(client, plan, db, header, kwargs):
    headers = {"Authorization": header} if header else {}
    response = client.request("POST", BASE, headers=headers, **kwargs)
    assert response.status_code == 401
    validate("Error", response.json)


def test_a_revoked_token_stops_working(client, plan, stakeholder, db):
    token = _token(db, stakeholder)
    client.login(stakeholder)
    from consult.accounts.models import ApiToken

    record = db.session.scalar(select(ApiToken))
    assert client.post(f"/account/tokens/{record.id}/revoke").status_code == 302
    response = client.request("POST", BASE, json={"body": "x", "stance": "support"}, headers=_auth(token))
    assert response.status_code == 401
    assert _count(db) == 0


def test_a_closed_window_is_409(client, plan, stakeholder, team_member, db):
    from datetime import timedelta

    from consult.core.models import utcnow
    from consult.plans import operations as ops

    now = utcnow()
    ops.publish_version(ops.current_draft(plan), team_member, "", now - timedelta(days=9), now - timedelta(days=1),
                        now=now - timedelta(days=9))  # published back then: its window is over now
    db.session.commit()
    token = _token(db, stakeholder)
    response = client.request("POST", "/api/v1/plans/test-plan/versions/2/actions/A1/comments",
                               json={"body": "late", "stance": "support"}, headers=_auth(token))
    assert response.status_code == 409
    validate("Error", response.json)


def test_a_superseded_version_takes_no_comments_or_replies(client, plan, stakeholder, team_member, db):
    from consult.plans import operations as ops

    thread = factories.make_comment(plan, stakeholder)
    ops.publish_version(ops.current_draft(plan), team_member, "", None, None)
    db.session.commit()
    token = _token(db, stakeholder)
    for payload in ({"body": "late", "stance": "support"}, {"body": "late reply", "parent_id": thread.id}):
        response = client.request("POST", BASE, json=payload, headers=_auth(token))
        assert response.status_code == 409
        assert "superseded by version 2" in response.get_data(as_text=True)
    assert _count(db) == 1
    version = client.request("GET", "/api/v1/plans/test-plan/versions/1").json
    assert version["window"]["accepts_comments"] is False


def test_reply_to_another_action_or_a_deleted_comment(client, plan, stakeholder, db):
    other = factories.make_comment(plan, stakeholder, key="A2")
    gone = factories.make_comment(plan, stakeholder)
    from consult.comments.operations import delete_comment

    delete_comment(gone, stakeholder)
    db.session.commit()
    token = _token(db, stakeholder)
    other_reply = client.request("POST", BASE, json={"body": "x", "parent_id": other.id}, headers=_auth(token))
    gone_reply = client.request("POST", BASE, json={"body": "x", "parent_id": gone.id}, headers=_auth(token))
    assert (other_reply.status_code, gone_reply.status_code) == (422, 409)
    assert _count(db) == 2


def test_invite_only_plans_and_drafts(client, team_member, stakeholder, outsider, db):
    factories.make_plan(team_member, slug="closed", visibility="invite", stakeholder=stakeholder)
    assert client.get("/api/v1/plans/closed/versions/1").status_code == 404
    outsider_token, member_token, team_token = (_token(db, u) for u in (outsider, stakeholder, team_member))
    assert client.request("GET", "/api/v1/plans/closed/versions/1", headers=_auth(outsider_token)).status_code == 404
    assert client.request("GET", "/api/v1/plans/closed/versions/1", headers=_auth(member_token)).status_code == 200
    assert client.request("GET", "/api/v1/plans/closed/versions/2", headers=_auth(member_token)).status_code == 403
    draft = client.request("GET", "/api/v1/plans/closed/versions/2", headers=_auth(team_token))
    assert draft.status_code == 200 and draft.json["status"] == "draft"
    validate("Version", draft.json)
    listed = client.request("GET", "/api/v1/plans", headers=_auth(member_token)).json
    assert "closed" in [p["slug"] for p in listed["plans"]]
    assert "closed" not in [p["slug"] for p in client.get("/api/v1/plans").json["plans"]]


@pytest.mark.parametrize("url", [
    "/api/v1/plans/nope/versions/1", "/api/v1/plans/test-plan/versions/9",
    "/api/v1/plans/test-plan/versions/1/actions/A9/comments", "/api/v1/nothing",
])
def test_unknown_things_are_json_404(client, plan, url):
    response = client.get(url)
    assert response.status_code == 404 and response.content_type == "application/json"
    validate("Error", response.json)


def test_versions_are_loaded_in_one_query_and_errors_say_which_and_why(client, plan, count_queries):
    with count_queries() as statements:
        missing = client.get("/api/v1/plans/test-plan/compare/1/9")
    assert missing.status_code == 404 and missing.json["error"]["message"] == "This plan has no version 9."
    assert len([s for s in statements if "FROM plan_versions" in s]) == 1  # both numbers at once
    assert client.get("/api/v1/plans/test-plan/compare/8/9").json["error"]["message"] == "This plan has no version 8."
    draft = client.get("/api/v1/plans/test-plan/compare/1/2")  # version 2 is the team's draft
    assert draft.status_code == 403 and draft.json["error"]["message"] == "Drafts are visible to the plan's team only."
    validate("Error", draft.json)


def test_wrong_method_is_json_405(client, plan):
    response = client.request("DELETE", BASE)
    assert response.status_code == 405
    validate("Error", response.json)


def test_posting_is_rate_limited_with_a_json_429(app, client, plan, stakeholder, db, monkeypatch):
    from consult.extensions import limiter

    monkeypatch.setitem(app.config, "RATELIMIT_POSTING", "2 per minute")
    limiter.reset()
    token = _token(db, stakeholder)
    try:
        statuses = [client.request("POST", BASE, json={"body": f"n{n}", "stance": "support"}, headers=_auth(token))
                    .status_code for n in range(3)]
        assert statuses == [201, 201, 429]
        response = client.request("POST", BASE, json={"body": "again", "stance": "support"}, headers=_auth(token))
        validate("Error", response.json)
        assert _count(db) == 2
    finally:
        limiter.reset()


def test_every_cause_of_a_409_on_posting_is_documented(client, plan, stakeholder, db):
    """Each way POST comments answers 409 happens here, and the document names each of them."""
    hidden = factories.make_comment(plan, stakeholder)
    waiting = factories.make_comment(plan, stakeholder)
    hidden.status, waiting.status = "hidden", "pending"
    db.session.commit()
    token = _token(db, stakeholder)
    for parent in (hidden, waiting):
        response = client.request("POST", BASE, json={"body": "x", "parent_id": parent.id}, headers=_auth(token))
        assert response.status_code == 409
    described = SPEC["paths"]["/plans/{slug}/versions/{number}/actions/{key}/comments"]["post"]["responses"]
    text = described["409"]["description"]
    for cause in ("window", "hidden", "deleted", "waiting for moderation", "at the same moment"):
        assert cause in text, cause


def test_every_api_route_is_in_the_openapi_document(app):
    documented = {f"/api/v1{path}".replace("{", "<").replace("}", ">") for path in SPEC["paths"]}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            normalised = rule.rule.replace("<int:number>", "<number>").replace("<int:old>", "<old>") \
                .replace("<int:new>", "<new>")
            assert normalised in documented, f"{rule.rule} is not described in openapi.json"


def test_openapi_document_is_served_and_valid(client):
    from jsonschema.validators import validator_for

    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    for schema in document["components"]["schemas"].values():
        validator_for(schema, default=Draft202012Validator).check_schema(schema)


def test_issue_token_command(app, stakeholder, db):
    result = app.test_cli_runner().invoke(args=["issue-token", stakeholder.email])
    assert result.exit_code == 0 and result.output.strip().startswith("cst_")
    from consult.accounts.operations import user_for_token

    assert user_for_token(result.output.strip()).id == stakeholder.id
    assert app.test_cli_runner().invoke(args=["issue-token", "nobody@example.org"]).exit_code != 0


def test_tokens_are_stored_hashed_and_shown_once(client, stakeholder, db):
    client.login(stakeholder)
    response = client.post("/account/tokens", {"name": "import script"})
    assert response.status_code == 201
    token = response.get_data(as_text=True).split('id="new-token" readonly value="')[1].split('"')[0]
    from consult.accounts.models import ApiToken

    record = db.session.scalar(select(ApiToken))
    assert token.startswith("cst_") and token not in (record.token_hash, record.prefix)
    assert token not in client.get("/account").get_data(as_text=True)
    page = response.get_data(as_text=True)
    assert 'value="import script"' not in page.split('id="tokens"')[0]  # the profile keeps the person's name
    assert client.post("/account/tokens", {"name": ""}).status_code == 422


def test_hidden_comments_are_placeholders_as_on_the_page(client, plan, stakeholder, outsider, moderator, db):
    from consult.comments.operations import delete_comment
    from consult.moderation.operations import hide_comments

    hidden = factories.make_comment(plan, stakeholder, body="Call 0712 345 678", stance="concern")
    factories.make_comment(plan, outsider, parent=hidden, body="a reply that stays")
    gone = factories.make_comment(plan, stakeholder, body="gone", stance="support")
    factories.make_comment(plan, outsider, parent=gone, body="another reply")
    factories.make_comment(plan, outsider, body="open", stance="question")
    hide_comments(plan, moderator, [hidden], "personal_data")
    delete_comment(gone, stakeholder)
    db.session.commit()
    data = client.get(BASE).json
    validate("Thread", data)
    by_id = {c["id"]: c for c in data["comments"]}
    for comment, status in ((hidden, "hidden"), (gone, "deleted")):
        shown = by_id[comment.id]
        assert shown["status"] == status and shown["deleted"] is (status == "deleted")
        assert (shown["author"], shown["stakeholder_group"], shown["stance"], shown["body_html"]) == \
            (None, None, None, None)
        assert shown["replies"][0]["status"] == "visible" and shown["replies"][0]["author"] == "Otto Side"
    assert by_id[hidden.id]["hidden_reason"] == "personal_data" and by_id[gone.id]["hidden_reason"] is None
    visible = next(c for c in data["comments"] if c["status"] == "visible")
    assert (visible["author"], visible["stance"], visible["hidden_reason"]) == ("Otto Side", "question", None)
    assert "0712" not in client.get(BASE).get_data(as_text=True)


def test_the_api_thread_shows_the_same_deleted_placeholders_as_the_page(client, plan, stakeholder, outsider, db):
    """Deleted replies stay as placeholders (even leaves) on both; a deleted top-level comment
    nobody answered is left out of both."""
    import re

    from consult.comments.operations import delete_comment

    def comment(author, body, parent=None):
        return factories.make_comment(plan, author, body=body, parent=parent)

    open_root = comment(stakeholder, "open root")
    deleted_leaf = comment(outsider, "deleted leaf", open_root)
    middle = comment(outsider, "middle", open_root)
    deleted_deep_leaf = comment(stakeholder, "deleted deep leaf", middle)
    deleted_root = comment(stakeholder, "deleted root")
    its_deleted_reply = comment(outsider, "its deleted reply", deleted_root)
    lonely = comment(stakeholder, "lonely and deleted")
    other_root = comment(outsider, "other root")
    deleted_with_reply = comment(stakeholder, "deleted with a reply", other_root)
    kept_reply = comment(outsider, "kept reply", deleted_with_reply)
    for gone, author in ((deleted_leaf, outsider), (deleted_deep_leaf, stakeholder), (deleted_root, stakeholder),
                         (its_deleted_reply, outsider), (lonely, stakeholder), (deleted_with_reply, stakeholder)):
        delete_comment(gone, author)
    db.session.commit()

    page = client.get("/plans/test-plan/versions/1/actions/A1").get_data(as_text=True)
    on_page = {int(n) for n in re.findall(r'<article class="comment[^"]*" id="c(\d+)"', page)}
    data = client.get(BASE).json
    validate("Thread", data)
    in_api = {}

    def walk(nodes, parent):
        for node in nodes:
            assert node["parent_id"] == parent
            in_api[node["id"]] = node
            walk(node["replies"], node["id"])

    walk(data["comments"], None)
    expected = {c.id for c in (open_root, deleted_leaf, middle, deleted_deep_leaf, deleted_root, its_deleted_reply,
                               other_root, deleted_with_reply, kept_reply)}
    assert on_page == expected
    assert set(in_api) == expected
    assert lonely.id not in in_api
    for gone in (deleted_leaf, deleted_deep_leaf, deleted_root, its_deleted_reply):
        assert in_api[gone.id]["status"] == "deleted" and in_api[gone.id]["body_html"] is None
    assert "deleted leaf" not in client.get(BASE).get_data(as_text=True)
    assert data["total"] == 4  # only the visible ones count
