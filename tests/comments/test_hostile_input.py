"""Hostile text posted through the page and the API comes out inert in the page and the API."""
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from consult.accounts.operations import issue_token
from consult.comments.models import Comment, Report
from tests import factories
from tests.core.test_rendering import HOSTILE, assert_inert

URL = "/plans/test-plan/versions/1/actions/A1"
API = "/api/v1/plans/test-plan/versions/1/actions/A1/comments"
EXTRA = [
    "\"><script>alert(1)</script>",
    "' onmouseover='alert(1)",
    "{{ 7*7 }} {% raw %}",
    "</textarea><script>alert(1)</script>",
    "\u0000null\u0000byte",
    "[x](https://example.org/\"onmouseover=\"alert(1))",
]


class _PageAudit(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"{tag} has {name}")
            if name in ("href", "src", "action") and value and value.strip().lower().startswith(
                    ("javascript:", "data:", "vbscript:")):
                self.problems.append(f"{tag} {name}={value}")
        if tag == "script" and not (attrs.get("src") or "").startswith("/static/"):
            self.problems.append("inline script")
        if tag in ("iframe", "object", "embed", "img", "svg", "math", "style", "meta") and tag != "meta" or \
                (tag == "meta" and "http-equiv" in attrs):
            self.problems.append(f"unexpected {tag}")


def _audit_page(html: str):
    audit = _PageAudit()
    audit.feed(html)
    assert not audit.problems, audit.problems


def _newest(db):
    return db.session.scalar(select(Comment).order_by(Comment.id.desc()).limit(1))


def _shown_on_its_page(client, comment: Comment) -> str:
    """The action page the comment's permalink opens (the right page of threads), audited; the
    comment is on it with exactly its stored, sanitised HTML."""
    response = client.get(f"/comments/{comment.id}")
    assert response.status_code == 302
    page = client.get(response.headers["Location"].split("#")[0])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    _audit_page(html)
    assert f'id="c{comment.id}"' in html and comment.body_html in html
    return html


@pytest.mark.parametrize("text", HOSTILE + EXTRA)
def test_hostile_text_is_inert_wherever_it_is_shown(client, plan, stakeholder, outsider, moderator, db, text):
    """One text posted every way a person can send it — a comment and a reply through the page and
    the API, an edit, a preview, a report's note — and every page and answer that shows it checked."""
    token, _record = issue_token(outsider, "test")
    db.session.commit()
    auth = {"Authorization": f"Bearer {token}"}
    client.login(stakeholder)
    assert client.post(f"{URL}/comments", {"stance": "concern", "body": "plain"}).status_code == 302
    root = _newest(db)
    preview = client.post(f"{URL}/comments", {"stance": "concern", "body": text, "preview": "1"})
    assert preview.status_code == 200
    _audit_page(preview.get_data(as_text=True))
    # the edit form holds the text in its textarea; the edit replaces it
    edit_preview = client.post(f"/comments/{root.id}/edit", {"body": text, "preview": "1"})
    assert edit_preview.status_code == 200
    _audit_page(edit_preview.get_data(as_text=True))
    assert client.post(f"/comments/{root.id}/edit", {"body": text}).status_code == 302
    _audit_page(client.get(f"/comments/{root.id}/edit").get_data(as_text=True))
    response = client.request("POST", API, json={"body": text, "stance": "question"}, headers=auth)
    assert response.status_code == 201, response.json
    api_root = db.session.get(Comment, response.json["id"])
    assert client.post(f"{URL}/comments", {"body": text, "parent_id": api_root.id}).status_code == 302
    page_reply = _newest(db)
    response = client.request("POST", API, json={"body": text, "parent_id": root.id}, headers=auth)
    assert response.status_code == 201, response.json
    api_reply = db.session.get(Comment, response.json["id"])
    assert client.post(f"{URL}/comments", {"stance": "support", "body": text}).status_code == 302
    page_root = _newest(db)
    _audit_page(client.get(f"/comments/{api_root.id}/reply").get_data(as_text=True))  # quotes it
    client.logout()
    client.login(outsider)
    assert client.post(f"/comments/{page_root.id}/report", {"reason": "other", "note": text}).status_code == 302
    stored_note = db.session.scalar(select(Report.note).where(Report.comment_id == page_root.id))
    assert stored_note == text.replace("\x00", "").strip()[:500]  # no database stores NUL
    client.logout()

    posted = [root, api_root, page_reply, api_reply, page_root]
    for comment in posted:
        db.session.refresh(comment)
        assert_inert(comment.body_html)
    for comment in posted:
        page = _shown_on_its_page(client, comment)
        assert "alert(1)" not in page.replace("&lt;", "<").split("<main")[0]  # nothing in the head
    client.login(moderator)
    _audit_page(client.get(f"/comments/{root.id}/history").get_data(as_text=True))
    _audit_page(client.get("/plans/test-plan/moderation").get_data(as_text=True))
    thread = client.get(API).json
    assert thread["total"] == len(posted)
    sent = {}

    def walk(nodes):
        for node in nodes:
            sent[node["id"]] = node["body_html"]
            walk(node["replies"])

    walk(thread["comments"])
    assert sent == {c.id: c.body_html for c in posted}


def test_a_hostile_display_name_is_text(client, plan, stakeholder, outsider, db):
    root = factories.make_comment(plan, stakeholder)
    factories.make_comment(plan, outsider, parent=root)
    for user in (stakeholder, outsider):
        user.name = "<img src=x onerror=alert(1)>"
    db.session.commit()
    client.login(outsider)
    page = client.get(URL).get_data(as_text=True)
    _audit_page(page)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    _audit_page(client.get(f"/comments/{root.id}/reply").get_data(as_text=True))
    _audit_page(client.get(f"/comments/{root.id}/report").get_data(as_text=True))


def test_hostile_plan_and_action_text_is_inert(client, plan, team_member, db):
    client.login(team_member)
    for text in HOSTILE:
        fields = {"title": text[:200], "background": text, "description": text, "players": text,
                  "timeframe": text, "costs": text, "funding": text}
        assert client.post("/plans/test-plan/draft/actions/A1", fields).status_code == 302
        assert client.post("/plans/test-plan/draft/general", {"summary": text, "policy_context": text}) \
            .status_code == 302
        _audit_page(client.get("/plans/test-plan/versions/2").get_data(as_text=True))
        _audit_page(client.get("/plans/test-plan/draft/actions/A1").get_data(as_text=True))


HUGE = ["9999999999999999999999", str(2**63), str(2**31)]  # past SQLite's integers, past PostgreSQL's INTEGER


@pytest.mark.parametrize("huge", HUGE)
@pytest.mark.parametrize("method, url", [
    ("GET", "/comments/{n}"), ("GET", "/comments/{n}/reply"), ("GET", "/comments/{n}/edit"),
    ("GET", "/comments/{n}/report"), ("GET", "/comments/{n}/history"), ("POST", "/comments/{n}/delete"),
    ("GET", "/comments/{n}/respond"),
    ("GET", "/plans/test-plan/versions/{n}"), ("GET", "/plans/test-plan/versions/{n}/actions/A1"),
    ("POST", "/plans/test-plan/versions/{n}/actions/A1/comments"),
    ("GET", "/plans/test-plan/compare/1/{n}"), ("GET", "/plans/test-plan/compare/{n}/1"),
    ("GET", "/plans/test-plan/versions/{n}/tally"), ("GET", "/plans/test-plan/versions/{n}/report"),
    ("GET", "/api/v1/plans/test-plan/versions/{n}"), ("GET", "/api/v1/plans/test-plan/versions/{n}/tally"),
    ("GET", "/api/v1/plans/test-plan/versions/{n}/actions/A1/comments"),
    ("GET", "/api/v1/plans/test-plan/compare/1/{n}"),
])
def test_out_of_range_numbers_in_addresses_are_404(client, plan, moderator, db, method, url, huge):
    client.login(moderator)
    url = url.format(n=huge)
    response = client.post(url, {"body": "x", "stance": "support"}) if method == "POST" else client.get(url)
    assert response.status_code == 404, url
    if url.startswith("/api/"):
        assert response.json["error"]["code"] == 404


def test_every_int_in_an_address_is_bounded(app):
    from consult.core.routing import BoundedIntConverter

    rules = [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]
    assert len(rules) > 20
    for rule in rules:
        for name, converter in rule._converters.items():
            if "int:" + name in rule.rule:
                assert isinstance(converter, BoundedIntConverter), rule.rule


@pytest.mark.parametrize("number", HUGE + ["0", "-1", "1e3"])
def test_an_out_of_range_draft_number_in_the_publish_form_is_refused(client, plan, team_member, db, number):
    from consult.plans import operations as plan_ops

    client.login(team_member)
    response = client.post("/plans/test-plan/draft/publish", {"change_summary": "x", "version": number})
    assert response.status_code == 400
    assert "This form does not name a draft of this plan" in response.get_data(as_text=True)
    assert plan_ops.current_draft(plan).is_draft and plan_ops.latest_published(plan).number == 1


@pytest.mark.parametrize("comment_id", HUGE + ["0", "-1", "²"])
def test_out_of_range_comment_ids_in_the_bulk_form_are_refused(client, plan, stakeholder, moderator, db,
                                                               comment_id):
    comment = factories.make_comment(plan, stakeholder)
    client.login(moderator)
    response = client.post("/plans/test-plan/moderation",
                           {"action": "hide", "reason": "spam", "comment_ids": [str(comment.id), comment_id]})
    assert response.status_code == 422
    assert "Some of the selected comments do not exist in this plan." in response.get_data(as_text=True)
    db.session.refresh(comment)
    assert comment.status == "visible"


@pytest.mark.parametrize("parent_id", ["99999999999999999999999", str(2**63), str(2**31), "0", "-1", "²", "1e3"])
def test_out_of_range_reply_targets_are_refused(client, plan, stakeholder, db, parent_id):
    client.login(stakeholder)
    response = client.post(f"{URL}/comments", {"body": "x", "parent_id": parent_id})
    assert response.status_code == 422
    assert "Unknown comment to reply to." in response.get_data(as_text=True)


@pytest.mark.parametrize("parent_id", [2**70, 2**63, 2**31, 0, -1])
def test_out_of_range_reply_targets_are_refused_by_the_api(client, plan, stakeholder, db, parent_id):
    token, _record = issue_token(stakeholder, "test")
    db.session.commit()
    response = client.request("POST", API, json={"body": "x", "parent_id": parent_id},
                              headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422
    assert response.json["error"]["fields"]["parent_id"] == "Unknown comment."


@pytest.mark.parametrize("page", ["²", "99999999999999999999999", "-1"])
def test_odd_page_numbers_show_the_first_page(client, plan, db, page):
    assert client.get(f"{URL}?page={page}").status_code == 200


@pytest.mark.parametrize("query", ["tag=99999999999999999999999", "tag=²", "version=99999999999999999999999",
                                   "group=99999999999999999999999&page=²"])
def test_odd_numbers_in_moderation_filters_filter_nothing(client, plan, moderator, db, query):
    client.login(moderator)
    assert client.get(f"/plans/test-plan/moderation/comments?{query}").status_code == 200
    tally = client.get(f"/plans/test-plan/versions/1/tally?{query}")  # the tally names an invalid filter
    field = query.split("=")[0]
    assert tally.status_code == (200 if field == "version" else 422)
    assert (f'id="{field}-error"' in tally.get_data(as_text=True)) == (field != "version")


@pytest.mark.parametrize("seen", ["²", "99999999999999999999999"])
def test_an_odd_last_seen_cookie_is_ignored(client, plan, db, seen):
    client.raw.set_cookie(f"seen_plan_{plan.id}", seen)
    assert client.get("/plans/test-plan/versions/1").status_code == 200
