"""The discussion under an action in a real browser, with an axe (WCAG 2.1 A/AA) check on every page visited.

Stakeholders of the demo comment on action A2 of version 2 (open for comments), reply (inline with
JavaScript, on the reply page without), edit, report; the moderator reads the edit history; a script
posts through the JSON API with a personal token. Everything here adds comments to A2 of version 2 and
nothing else; the other browser tests do not depend on them.
"""
import json
import re
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.browser

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails under REQUIRE_BROWSER=1
    expect = None

PLAN = "/plans/ecoc-sme-timisoara"
A2 = f"{PLAN}/versions/2/actions/A2"
A2_CLOSED = f"{PLAN}/versions/1/actions/A2"
API_COMMENTS = "/api/v1/plans/ecoc-sme-timisoara/versions/2/actions/A2/comments"
STAKEHOLDER_PASSWORD = "stakeholder-demo-2021"
MIHAI = "mihai.popa@consult.example"
ANA = "ana.dobre@consult.example"
MODERATOR = "radu.petrescu@consult.example"
MODERATOR_PASSWORD = "moderator-demo-2021"

COMMENT = ("Vouchers should also pay for **design sprints** with a creative studio.\n\n"
           "- shorter projects\n- a smaller jury")
EDITED = COMMENT + "\n\nAnd publish the jury's scores."
REPLY = "Agreed: *two-week* sprints would suit IT&C companies."
INLINE_REPLY = "Tourism companies would use them for **visitor experiences**."
NO_JS_COMMENT = "Written without JavaScript: will the calls be in **English** too?"
API_COMMENT = "Posted by a script: how is the **jury** chosen?"


def log_in(browse, email: str, password: str) -> None:
    browse.goto("/login")
    browse.page.get_by_label("E-mail address").fill(email)
    browse.page.get_by_label("Password").fill(password)
    browse.page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(browse.page.get_by_text("Welcome back")).to_be_visible()


def log_out(browse) -> None:
    browse.page.get_by_role("button", name="Log out", exact=True).click()
    expect(browse.page.get_by_text("You are logged out.")).to_be_visible()


def comment_id_from_url(url: str) -> int:
    match = re.search(r"#c(\d+)$", url)
    assert match, f"no comment anchor in {url}"
    return int(match.group(1))


def fits_a_phone(browse, name: str, width: int = 390) -> None:
    """Nothing scrolls sideways at a phone's width (WCAG 1.4.10 reflow); then the usual checks."""
    page = browse.page
    page.set_viewport_size({"width": width, "height": 844})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} ({browse.path()}) is {overflow}px wider than a {width}px screen"
    check(browse, name)
    page.set_viewport_size({"width": 1280, "height": 900})


def check(browse, name: str) -> None:
    """browse.check (screenshot, axe, script errors), and no id used twice: a label or
    aria-describedby pointing at a duplicated id names the wrong field, which axe does not report.
    (Hidden inputs are left out: every form's CSRF token has the id "csrf_token", and nothing refers to it.)"""
    duplicates = browse.page.evaluate("""() => {
        const seen = new Map();
        document.querySelectorAll("[id]:not(input[type=hidden])")
            .forEach(el => seen.set(el.id, (seen.get(el.id) || 0) + 1));
        return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    }""")
    assert not duplicates, f"ids used more than once on {name} ({browse.path()}): {duplicates}"
    browse.check(name)


def api_post(base_url: str, body: dict, token: str | None) -> tuple[int, dict]:
    """POST JSON with urllib: no browser, no cookies, only the token."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base_url + API_COMMENTS, data=json.dumps(body).encode(),
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_stakeholders_discuss_an_action(browse, browser, screenshot_dir):
    page = browse.page
    browse.prefix = "comments-"

    # -- a visitor reads the discussion but has no form ---------------------------------------
    browse.goto(A2)
    discussion = page.get_by_role("region", name=re.compile("^Discussion"))
    expect(discussion.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.locator("form.comment-form")).to_have_count(0)
    check(browse, "visitor")

    # -- a stakeholder writes a comment with a stance; the live preview renders the Markdown ---
    log_in(browse, MIHAI, STAKEHOLDER_PASSWORD)
    browse.goto(A2)
    form = page.locator("form.comment-form")
    expect(form.get_by_role("heading", name="Add your comment on A2")).to_be_visible()
    for stance in ("Support", "Concern", "Suggestion", "Question"):
        expect(form.get_by_role("radio", name=re.compile(f"^{stance}\\b"))).to_be_visible()
    check(browse, "action-open")
    form.get_by_role("radio", name=re.compile(r"^Suggestion\b")).check()
    preview = page.get_by_role("region", name="Preview of Your comment")
    expect(preview).to_be_hidden()
    form.get_by_role("textbox", name="Your comment").fill(COMMENT)
    expect(preview).to_be_visible()
    expect(preview.locator("strong")).to_have_text("design sprints")
    expect(preview.locator("li")).to_have_count(2)
    check(browse, "comment-preview")
    form.get_by_role("button", name="Preview").click()  # the server's preview: the form comes back filled
    form = page.locator("form.comment-form")
    expect(page.get_by_role("region", name="Preview of Your comment").locator("strong")).to_have_text("design sprints")
    expect(form.get_by_role("textbox", name="Your comment")).to_have_value(COMMENT)
    expect(form.get_by_role("radio", name=re.compile(r"^Suggestion\b"))).to_be_checked()
    check(browse, "comment-server-preview")
    form.get_by_role("button", name="Send comment").click()
    expect(page.get_by_text("Your comment is published.")).to_be_visible()
    first_id = comment_id_from_url(page.url)
    first = page.locator(f"article#c{first_id}")
    expect(first.locator(".comment__author")).to_have_text("Mihai Popa")
    expect(first.locator(".stance--suggestion")).to_have_text("Suggestion")
    expect(first.locator(".comment__body strong")).to_have_text("design sprints")
    expect(first.locator(".comment__body li")).to_have_count(2)
    check(browse, "comment-posted")

    # -- the reply page (what the Reply link opens without JavaScript) -------------------------
    reply_link = first.get_by_role("link", name="Reply to Mihai Popa")
    expect(reply_link).to_have_attribute("href", f"/comments/{first_id}/reply")
    browse.goto(f"/comments/{first_id}/reply")
    expect(page.get_by_role("heading", name="Reply to Mihai Popa")).to_be_visible()
    expect(page.locator("article.comment--quoted")).to_contain_text("design sprints")
    check(browse, "reply-page")
    page.get_by_role("textbox", name="Your reply").fill(REPLY)
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Your reply is published.")).to_be_visible()
    reply_id = comment_id_from_url(page.url)
    reply = page.locator(f"article#c{reply_id}")
    expect(reply).to_have_class(re.compile(r"comment--indent-1"))
    expect(reply.locator(".comment__body em")).to_have_text("two-week")
    check(browse, "reply-posted")

    # -- with JavaScript, Reply opens a form under the comment ---------------------------------
    reply_link = page.locator(f"article#c{first_id}").get_by_role("link", name="Reply to Mihai Popa")
    expect(reply_link).to_have_attribute("aria-expanded", "false")
    reply_link.click()
    expect(page).to_have_url(re.compile(re.escape(A2)))  # no navigation
    inline = page.get_by_role("form", name="Reply to Mihai Popa")
    expect(inline).to_be_visible()
    textarea = inline.get_by_role("textbox", name="Your reply")
    expect(textarea).to_be_focused()
    expect(reply_link).to_have_attribute("aria-expanded", "true")
    expect(inline.locator("input[name=parent_id]")).to_have_value(str(first_id))
    expect(inline).to_have_attribute("action", page.locator("form.comment-form").get_attribute("action"))
    # Escape closes it and gives the focus back to the link
    textarea.press("Escape")
    expect(page.locator("form.inline-reply")).to_have_count(0)
    expect(reply_link).to_be_focused()
    expect(reply_link).to_have_attribute("aria-expanded", "false")
    # so does Cancel; and only one inline form is open at a time
    reply_link.click()
    page.locator(f"article#c{reply_id}").get_by_role("link", name="Reply to Mihai Popa").click()
    expect(page.locator("form.inline-reply")).to_have_count(1)
    expect(page.locator(f"article#c{reply_id} form.inline-reply")).to_have_count(1)
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("form.inline-reply")).to_have_count(0)
    reply_link.click()
    textarea = page.get_by_role("form", name="Reply to Mihai Popa").get_by_role("textbox", name="Your reply")
    textarea.fill(INLINE_REPLY)
    inline_preview = page.get_by_role("region", name="Preview of Your reply")
    expect(inline_preview.locator("strong")).to_have_text("visitor experiences")
    check(browse, "inline-reply")
    fits_a_phone(browse, "inline-reply-phone")
    page.get_by_role("form", name="Reply to Mihai Popa").get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Your reply is published.")).to_be_visible()
    inline_id = comment_id_from_url(page.url)
    assert inline_id not in (first_id, reply_id)
    inline_reply = page.locator(f"article#c{inline_id}")
    expect(inline_reply).to_have_class(re.compile(r"comment--indent-1"))
    expect(inline_reply.locator(".comment__body strong")).to_have_text("visitor experiences")
    expect(page.locator("form.comment-form textarea")).to_have_value("")  # the main form was not used
    check(browse, "inline-reply-posted")

    # -- edit the first comment: readers see that it was edited ------------------------------
    first = page.locator(f"article#c{first_id}")
    expect(first.locator(".comment__edited")).to_have_count(0)
    first.get_by_role("link", name="Edit", exact=True).click()
    expect(page).to_have_url(browse.url(f"/comments/{first_id}/edit"))
    expect(page.get_by_role("heading", name="Edit your comment")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your comment")).to_have_value(COMMENT)
    check(browse, "edit")
    page.get_by_role("textbox", name="Your comment").fill(EDITED)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Your comment is updated.")).to_be_visible()
    first = page.locator(f"article#c{first_id}")
    expect(first.locator(".comment__edited")).to_have_text("edited")
    expect(first.locator(".comment__body")).to_contain_text("jury's scores")
    check(browse, "edited")
    fits_a_phone(browse, "action-phone")

    # -- a closed consultation: readable, no form ----------------------------------------------
    browse.goto(A2_CLOSED)
    expect(page.get_by_text(re.compile(r"^The consultation closed on .+ The discussion stays readable\.$"))) \
        .to_be_visible()
    expect(page.locator(".badge--closed")).to_contain_text("Consultation closed on")
    expect(page.locator("form.comment-form")).to_have_count(0)
    expect(page.get_by_role("textbox")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^Reply"))).to_have_count(0)
    check(browse, "closed-version")

    # -- a personal API token; a script posts a comment with it --------------------------------
    browse.goto("/account")
    page.get_by_role("textbox", name="What is the token for?").fill("survey import script")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("Copy it now")).to_be_visible()
    token = page.get_by_role("textbox", name="Your new token").input_value()
    assert token.startswith("cst_")
    expect(page.get_by_role("cell", name="survey import script", exact=True)).to_be_visible()
    check(browse, "account-token")

    status, _body = api_post(browse.base_url, {"body": API_COMMENT, "stance": "question"}, None)
    assert status == 401
    status, created = api_post(browse.base_url, {"body": API_COMMENT, "stance": "question"}, token)
    assert status == 201, created
    assert created["stance"] == "question" and created["author"] == "Mihai Popa"
    assert "<strong>jury</strong>" in created["body_html"]
    browse.goto(A2)
    from_api = page.locator(f"article#c{created['id']}")
    expect(from_api.locator(".stance--question")).to_have_text("Question")
    expect(from_api.locator(".comment__body strong")).to_have_text("jury")
    check(browse, "api-comment")

    # -- the same person without JavaScript: the forms still work -------------------------------
    # axe itself needs JavaScript (its run never settles in a context without it), so these pages
    # get a screenshot here; their server-rendered states were checked with axe above.
    def snapshot(name):
        no_js.screenshot(path=str(screenshot_dir / f"comments-nojs-{name}.png"), full_page=True)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                                  java_script_enabled=False, storage_state=page.context.storage_state())
    context.set_default_timeout(10_000)
    try:
        no_js = context.new_page()
        no_js.goto(browse.url(A2))
        snapshot("1-action")
        no_js_form = no_js.locator("form.comment-form")
        no_js_form.get_by_role("radio", name=re.compile(r"^Question\b")).check()
        no_js_form.get_by_role("textbox", name="Your comment").fill(NO_JS_COMMENT)
        no_js_preview = no_js.get_by_role("region", name="Preview of Your comment")
        expect(no_js_preview).to_be_hidden()  # no live preview without JavaScript …
        no_js_form.get_by_role("button", name="Preview").click()  # … the server renders it
        expect(no_js_preview.locator("strong")).to_have_text("English")
        expect(no_js.locator("form.comment-form textarea")).to_have_value(NO_JS_COMMENT)
        expect(no_js.locator("form.comment-form").get_by_role("radio", name=re.compile(r"^Question\b"))) \
            .to_be_checked()
        snapshot("2-preview")
        no_js.locator("form.comment-form").get_by_role("button", name="Send comment").click()
        expect(no_js.get_by_text("Your comment is published.")).to_be_visible()
        no_js_id = comment_id_from_url(no_js.url)
        expect(no_js.locator(f"article#c{no_js_id} .stance--question")).to_have_text("Question")
        snapshot("3-posted")
        # the Reply link is a plain link to the reply page
        no_js.locator(f"article#c{no_js_id}").get_by_role("link", name="Reply to Mihai Popa").click()
        expect(no_js).to_have_url(browse.url(f"/comments/{no_js_id}/reply"))
        expect(no_js.get_by_role("heading", name="Reply to Mihai Popa")).to_be_visible()
        snapshot("4-reply-page")
    finally:
        context.close()
    browse.goto(A2)
    expect(page.locator(f"article#c{no_js_id} .comment__body strong")).to_have_text("English")
    check(browse, "nojs-comment-seen")

    # -- another stakeholder reports the first comment -----------------------------------------
    log_out(browse)
    log_in(browse, ANA, STAKEHOLDER_PASSWORD)
    browse.goto(A2)
    first = page.locator(f"article#c{first_id}")
    expect(first.get_by_role("link", name="Edit", exact=True)).to_have_count(0)  # not hers
    first.get_by_role("link", name="Report").click()
    expect(page).to_have_url(browse.url(f"/comments/{first_id}/report"))
    expect(page.get_by_role("heading", name="Report a comment")).to_be_visible()
    check(browse, "report")
    page.get_by_role("button", name="Send report").click()  # without a reason: refused, and said so
    expect(page.get_by_text("Choose a reason.")).to_be_visible()
    check(browse, "report-error")
    page.get_by_role("radio", name="Off topic").check()
    page.get_by_role("textbox", name="Anything to add (optional)").fill("Sprints are a separate action.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you. The moderators will look at this comment.")).to_be_visible()
    check(browse, "reported")

    # -- the moderator reads the edit history --------------------------------------------------
    log_out(browse)
    log_in(browse, MODERATOR, MODERATOR_PASSWORD)
    browse.goto(A2)
    page.locator(f"article#c{first_id}").get_by_role("link", name="Edit history").click()
    expect(page).to_have_url(browse.url(f"/comments/{first_id}/history"))
    expect(page.get_by_role("heading", name="Edit history", level=1)).to_be_visible()
    expect(page.locator("article.comment--quoted")).to_contain_text("jury's scores")
    earlier = page.locator("ol.history > li")
    expect(earlier).to_have_count(1)
    expect(earlier.locator(".comment__body strong")).to_have_text("design sprints")
    expect(earlier).not_to_contain_text("jury's scores")
    check(browse, "history")
