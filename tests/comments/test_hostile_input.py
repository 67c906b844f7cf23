"""Hostile text posted through the page and the API comes out inert in the page and the API."""
from html.parser import HTMLParser

from consult.accounts.operations import issue_token
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


def test_hostile_comments_are_inert_everywhere(client, plan, stakeholder, outsider, db):
    client.login(stakeholder)
    token, _record = issue_token(outsider, "test")
    db.session.commit()
    for text in HOSTILE + EXTRA:
        assert client.post(f"{URL}/comments", {"stance": "concern", "body": text}).status_code in (302, 422)
        response = client.request("POST", API, json={"body": text, "stance": "question"},
                                  headers={"Authorization": f"Bearer {token}"})
        assert response.status_code in (201, 422), response.json
    page = client.get(URL).get_data(as_text=True)
    _audit_page(page)
    assert "alert(1)" not in page.replace("&lt;", "<").split('<main')[0]  # nothing in the head
    thread = client.get(API).json
    assert thread["total"] >= len(HOSTILE)
    for comment in thread["comments"]:
        assert_inert(comment["body_html"])
    # a hostile display name is text as well
    stakeholder.name = "<img src=x onerror=alert(1)>"
    db.session.commit()
    _audit_page(client.get(URL).get_data(as_text=True))


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
