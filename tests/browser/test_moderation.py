"""Moderation, comparing versions and comments on a passage in a real browser, with an axe (WCAG 2.1 A/AA)
check on every page visited.

The moderation journey adds to version 2 of the demo (a comment it hides, meeting feedback, a tag, an
answer) and compares the API's tally before and after, so it does not depend on what the other browser
tests posted. The comparison expects the demo's two versions: this module runs before test_smoke.py,
which publishes version 3.
"""
import csv
import io
import json
import re
import urllib.error
import urllib.request

import pytest

from tests.browser.test_comments import check, comment_id_from_url, fits_a_phone, log_in, log_out

pytestmark = pytest.mark.browser

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails under REQUIRE_BROWSER=1
    expect = None

PLAN = "/plans/ecoc-sme-timisoara"
V2 = f"{PLAN}/versions/2"
API_TALLY = "/api/v1/plans/ecoc-sme-timisoara/versions/2/tally"
API_COMPARE = "/api/v1/plans/ecoc-sme-timisoara/compare/1/2"
TEAM = "ioana.marinescu@consult.example"
TEAM_PASSWORD = "team-demo-2021"
MODERATOR = "radu.petrescu@consult.example"
MODERATOR_PASSWORD = "moderator-demo-2021"
STAKEHOLDER_PASSWORD = "stakeholder-demo-2021"
SORIN = "sorin.ilie@consult.example"
VICTOR = "victor.nagy@consult.example"
CRISTINA = "cristina.lupu@consult.example"
DARIA = "daria.stan@consult.example"

SPAM = "Buy cheap **festival tickets** at our shop, best prices in town!"
MEETING = "Table 3 asked for a **shared equipment library** run with the youth centres."
MEETING_TABLE = "World café, table 3"
ANSWER = "We will add an equipment library to A3 in the next version."
DARIA_V2 = "Add a shared equipment library that small venues and youth groups can borrow from."


def get_json(base_url: str, path: str, token: str | None = None) -> tuple[int, dict]:
    """GET JSON with urllib: no browser, no cookies (a personal token if given)."""
    headers = {"Accept": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(base_url + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def api_tally(base_url: str, token: str) -> dict[str, dict]:
    status, body = get_json(base_url, API_TALLY, token)
    assert status == 200, body
    return {action["key"]: action for action in body["actions"]}


def new_token(browse, name: str) -> str:
    """A personal API token, made on the account page by whoever is logged in."""
    browse.goto("/account")
    browse.page.get_by_label("What is the token for?").fill(name)
    browse.page.get_by_role("button", name="Create token").click()
    return browse.page.get_by_label("Your new token").input_value()


def download(page, link) -> bytes:
    """Click a link that answers with an attachment and return the file's bytes."""
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as file:
        return file.read()


def test_moderator_and_team_follow_up_the_feedback(browse):
    page = browse.page
    browse.prefix = "moderation-"
    # Version 2's report is not published: its tally is the moderators' (and the team's) until it is.
    assert get_json(browse.base_url, API_TALLY)[0] == 403
    log_in(browse, MODERATOR, MODERATOR_PASSWORD)
    token = new_token(browse, "tally checks")
    log_out(browse)
    before = api_tally(browse.base_url, token)

    # -- a stakeholder posts a comment on A3 of version 2; another one reports it ----------------
    log_in(browse, SORIN, STAKEHOLDER_PASSWORD)
    browse.goto(f"{V2}/actions/A3")
    form = page.locator("form.comment-form")
    form.get_by_role("radio", name=re.compile(r"^Concern\b")).check()
    form.get_by_role("textbox", name="Your comment").fill(SPAM)
    form.get_by_role("button", name="Send comment").click()
    expect(page.get_by_text("Your comment is published.")).to_be_visible()
    spam_id = comment_id_from_url(page.url)
    log_out(browse)

    log_in(browse, VICTOR, STAKEHOLDER_PASSWORD)
    browse.goto(f"{V2}/actions/A3")
    page.locator(f"article#c{spam_id}").get_by_role("link", name="Report").click()
    expect(page).to_have_url(browse.url(f"/comments/{spam_id}/report"))
    page.get_by_role("radio", name="Spam or advertising").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you. The moderators will look at this comment.")).to_be_visible()
    check(browse, "reported")
    log_out(browse)

    # -- the moderator hides it from the queue, with a reason ------------------------------------
    log_in(browse, MODERATOR, MODERATOR_PASSWORD)
    browse.goto(f"{PLAN}/moderation")
    expect(page.get_by_role("heading", name="Moderation queue", level=1)).to_be_visible()
    reported = page.get_by_role("region", name=re.compile(r"^Reported"))
    item = reported.locator("li.mod-item", has=page.locator(f"input[value='{spam_id}']"))
    expect(item).to_contain_text("festival tickets")
    expect(item.locator(".badge--closed")).to_contain_text("1 report")
    check(browse, "queue")
    fits_a_phone(browse, "queue-phone")
    item.get_by_role("checkbox", name=f"Select comment {spam_id}").check()
    controls = reported.get_by_role("group", name="With the selected comments")
    controls.get_by_label("Action").select_option("hide")
    controls.get_by_label("Reason for hiding").select_option("spam")
    controls.get_by_label("Note for the log (optional)").fill("advertising a shop")
    controls.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Hide: 1 of 1 comments changed.")).to_be_visible()
    expect(page.locator(f"input[name=comment_ids][value='{spam_id}']")).to_have_count(0)  # no longer open
    check(browse, "queue-after-hide")

    # -- a visitor sees a placeholder; the author still sees the text ------------------------------
    log_out(browse)
    browse.goto(f"{V2}/actions/A3")
    hidden = page.locator(f"article#c{spam_id}")
    expect(hidden.locator(".comment__author")).to_have_text("Hidden by the moderators: spam or advertising")
    expect(hidden).not_to_contain_text("festival tickets")
    check(browse, "hidden-visitor")
    log_in(browse, SORIN, STAKEHOLDER_PASSWORD)
    browse.goto(f"{V2}/actions/A3")
    hidden = page.locator(f"article#c{spam_id}")
    expect(hidden.locator(".comment__body strong")).to_have_text("festival tickets")
    expect(hidden.locator(".comment__notice")).to_have_text(
        "Hidden by the moderators: spam or advertising. Only its author and the moderators see this text.")
    check(browse, "hidden-author")
    log_out(browse)

    # -- all comments: filter by a tag, tag in bulk --------------------------------------------
    log_in(browse, MODERATOR, MODERATOR_PASSWORD)
    page.get_by_role("link", name="ECoC-SME action plan — Timișoara").click()
    page.get_by_role("navigation", name="Team tools").get_by_role("link", name="All comments").click()
    expect(page.get_by_role("heading", name=re.compile(r"^All comments"), level=1)).to_be_visible()
    filters = page.get_by_role("form", name="Filter the comments")
    filters.get_by_label("Tag", exact=True).select_option(label="partners")
    filters.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"tag=\d+"))
    items = page.locator("li.mod-item")
    expect(items).to_have_count(3)  # the demo tagged three comments on version 1 "partners"
    for tags in items.locator(".tags").all():
        expect(tags).to_contain_text("partners")
    check(browse, "comments-by-tag")

    filters = page.get_by_role("form", name="Filter the comments")
    filters.get_by_label("Tag", exact=True).select_option("")
    filters.get_by_label("Version").select_option("2")
    filters.get_by_label("Action").select_option("A3")
    filters.get_by_role("button", name="Filter").click()
    daria = page.locator("li.mod-item", has_text=DARIA_V2)
    expect(daria).to_have_count(1)
    daria_id = int(daria.locator("input[name=comment_ids]").get_attribute("value"))
    expect(daria.locator(".tags")).to_have_count(0)
    daria.get_by_role("checkbox").check()
    controls = page.get_by_role("group", name="With the selected comments")
    controls.get_by_label("Action").select_option("tag")
    controls.get_by_label("Tag", exact=True).select_option(label="partners")
    controls.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Add tag: 1 of 1 comments changed.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"version=2"))  # back on the filtered list
    expect(page.locator("li.mod-item", has_text=DARIA_V2).locator(".tag")).to_have_text(["partners"])
    check(browse, "comments-tagged")

    # -- the exports hold the comments ------------------------------------------------------------
    browse.goto(f"{PLAN}/moderation/comments")
    csv_bytes = download(page, page.get_by_role("link", name="CSV (all comments)", exact=True))
    rows = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    by_id = {int(row["id"]): row for row in rows}
    assert by_id[spam_id]["status"] == "hidden" and by_id[spam_id]["hidden_reason"] == "spam"
    assert "festival tickets" in by_id[spam_id]["body"]
    assert by_id[daria_id]["tags"] == "partners" and by_id[daria_id]["body"] == DARIA_V2
    assert "author_email" not in rows[0]  # a moderator's export has no e-mail addresses
    xlsx_bytes = download(page, page.get_by_role("link", name="XLSX (all comments)", exact=True))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx_bytes), read_only=True).active
    cells = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    header = cells[0]
    xlsx_rows = {row[header.index("id")]: dict(zip(header, row, strict=False)) for row in cells[1:]}
    assert len(xlsx_rows) == len(rows)
    assert xlsx_rows[daria_id]["body"] == DARIA_V2 and xlsx_rows[spam_id]["status"] == "hidden"

    # -- meeting feedback on A3 ---------------------------------------------------------------------
    browse.goto(f"{V2}/actions/A3")
    page.get_by_role("link", name="Record meeting feedback").click()
    expect(page).to_have_url(browse.url(f"{V2}/actions/A3/meeting-feedback"))
    expect(page.get_by_role("heading", name="Record meeting feedback on A3")).to_be_visible()
    check(browse, "meeting")
    page.get_by_role("textbox", name="Who said it").fill(MEETING_TABLE)
    page.get_by_label("Stakeholder group (if one)").select_option(label="Youth organisation")
    page.get_by_role("radio", name="Suggestion").check()
    page.get_by_role("textbox", name="What was said").fill(MEETING)
    page.get_by_role("checkbox", name="partners").check()
    page.get_by_role("button", name="Record feedback", exact=True).click()
    expect(page.get_by_text("Meeting feedback recorded.")).to_be_visible()
    meeting_id = comment_id_from_url(page.url)
    meeting = page.locator(f"article#c{meeting_id}")
    expect(meeting.locator(".comment__author")).to_have_text(MEETING_TABLE)
    expect(meeting.locator(".badge", has_text="meeting input")).to_be_visible()
    expect(meeting.locator(".comment__group")).to_have_text("Youth organisation")
    expect(meeting.locator(".comment__body strong")).to_have_text("shared equipment library")
    expect(meeting.locator(".tag")).to_have_text(["partners"])
    check(browse, "meeting-recorded")

    # -- the tallies: a chart and its tables -------------------------------------------------------
    browse.goto(f"{PLAN}/versions/1/tally")
    expect(page.get_by_role("heading", name="Tallies of version 1", level=1)).to_be_visible()
    chart = page.get_by_role("img", name=re.compile(r"^Comments per action by stance"))
    expect(chart).to_be_visible()
    expect(chart.locator("rect.seg")).not_to_have_count(0)
    for table in ("stances-table", "groups-table", "tags-table", "answers-table"):
        expect(page.locator(f"table#{table} tbody tr")).to_have_count(2)  # A1 and A2
    stances = page.locator("table#stances-table")
    expect(stances.get_by_role("row", name=re.compile(r"^A2 "))).to_contain_text("Matchmaking")
    check(browse, "tally-v1")
    fits_a_phone(browse, "tally-v1-phone")
    browse.goto(f"{PLAN}/tally")
    expect(page.get_by_role("heading", name="Tallies across all versions", level=1)).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Comments per action by stance"))).to_be_visible()
    for table in ("stances-table", "groups-table", "tags-table", "answers-table"):
        expect(page.locator(f"table#{table} tbody tr")).to_have_count(3)
    check(browse, "tally-all")
    fits_a_phone(browse, "tally-all-phone")

    # -- the moderation log ---------------------------------------------------------------------------
    page.get_by_role("navigation", name="Team tools").get_by_role("link", name="Moderation").click()
    page.get_by_role("link", name="Moderation log").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Moderation log"), level=1)).to_be_visible()
    log = page.locator("table tbody")
    expect(log.get_by_role("row").filter(has_text=f"#{spam_id}").filter(has_text="hid")).to_contain_text(
        "advertising a shop")
    expect(log.get_by_role("row").filter(has_text=f"#{daria_id}").filter(has_text="tagged")).to_contain_text(
        "Radu Petrescu")
    expect(log.get_by_role("row").filter(has_text=f"#{meeting_id}")).to_contain_text("recorded meeting feedback")
    check(browse, "log")
    log_out(browse)

    # -- the team answers an unanswered comment -------------------------------------------------------
    log_in(browse, TEAM, TEAM_PASSWORD)
    browse.goto(f"{V2}/unanswered")
    expect(page.get_by_role("heading", name=re.compile(r"^Unanswered comments on version 2"))).to_be_visible()
    entry = page.locator("li.comment", has_text=DARIA_V2)
    check(browse, "unanswered")
    entry.get_by_role("link", name="Answer").click()
    expect(page).to_have_url(browse.url(f"/comments/{daria_id}/respond"))
    expect(page.get_by_role("heading", name="Answer a comment")).to_be_visible()
    check(browse, "respond")
    fits_a_phone(browse, "respond-phone")
    page.get_by_role("radio", name="Partly accepted").check()
    page.get_by_role("textbox", name="Your answer (public)").fill(ANSWER)
    expect(page.get_by_label("Addressed in version")).to_have_value("")  # left empty: "not yet"
    page.get_by_role("button", name="Publish the answer").click()
    expect(page.get_by_text("The answer is published under the comment.")).to_be_visible()
    answer = page.locator(f"article#c{daria_id}").get_by_role("note", name="The team's answer")
    expect(answer.locator(".disposition")).to_have_text("Partly accepted")
    expect(answer).to_contain_text(ANSWER)
    expect(answer.get_by_role("link")).to_have_count(0)  # not "addressed in version …"
    check(browse, "answered")
    browse.goto(f"{V2}/unanswered")
    expect(page.locator("li.comment", has_text=DARIA_V2)).to_have_count(0)

    # -- the report of version 1, printed ---------------------------------------------------------------
    browse.goto(f"{PLAN}/versions/1/report")
    expect(page.get_by_role("heading", name=re.compile(r"^Consultation report"), level=1)).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Comments per action by stance"))).to_be_visible()
    expect(page.locator(".yswd")).not_to_have_count(0)
    check(browse, "report")
    fits_a_phone(browse, "report-phone")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Team tools")).to_be_hidden()
    expect(page.get_by_role("button", name="Withdraw the report")).to_be_hidden()
    expect(page.get_by_role("img", name=re.compile(r"^Comments per action by stance"))).to_be_visible()
    browse.count += 1
    page.screenshot(path=str(browse.screenshots / f"{browse.prefix}{browse.count:02d}-report-print.png"),
                    full_page=True)
    page.emulate_media(media="screen")

    # -- the API's tally counts what was posted --------------------------------------------------------
    after = api_tally(browse.base_url, token)
    a3_before, a3 = before["A3"], after["A3"]
    assert a3["hidden"] == a3_before["hidden"] + 1  # the spam
    assert a3["total"] == a3_before["total"] + 1  # the meeting feedback (the spam is hidden)
    assert a3["by_stance"]["suggestion"] == a3_before["by_stance"]["suggestion"] + 1
    assert a3["by_stance"]["concern"] == a3_before["by_stance"]["concern"]
    assert a3["by_tag"].get("partners", 0) == a3_before["by_tag"].get("partners", 0) + 2  # Daria's, the meeting's
    assert a3["by_group"]["Youth organisation"] == a3_before["by_group"].get("Youth organisation", 0) + 1
    assert a3["answered"] == a3_before["answered"] + 1
    assert a3["by_disposition"]["partly_accepted"] == a3_before["by_disposition"]["partly_accepted"] + 1
    assert after["A1"] == before["A1"] and after["A2"] == before["A2"]


def test_visitor_compares_versions(browse):
    page = browse.page
    browse.prefix = "compare-"
    browse.goto(f"{PLAN}/compare")
    expect(page).to_have_url(browse.url(f"{PLAN}/compare/1/2"))
    expect(page.get_by_role("heading", name="What changed from version 1 to version 2")).to_be_visible()
    toc = page.get_by_role("navigation", name="Actions compared")
    expect(toc.get_by_role("listitem")).to_have_count(4)  # the general part, then the three actions
    expect(toc.get_by_role("listitem").first).to_contain_text("General part")
    expect(toc.get_by_role("listitem").first).to_contain_text("unchanged")
    expect(toc.get_by_role("listitem").filter(has_text="A1")).to_contain_text("unchanged")
    expect(toc.get_by_role("listitem").filter(has_text="A2")).to_contain_text("changed")
    expect(toc.get_by_role("listitem").filter(has_text="A3")).to_contain_text("added")
    a1, a2, a3 = (page.locator(f"section#{key}") for key in ("A1", "A2", "A3"))
    expect(a1).to_contain_text("No change.")
    expect(a1.locator("del, ins")).to_have_count(0)
    expect(a2.locator(".change--changed")).to_be_visible()
    expect(a2.locator("del").first).to_be_visible()
    expect(a2.locator("ins").first).to_be_visible()
    expect(a2.locator("ins", has_text="innovation vouchers")).not_to_have_count(0)
    expect(a2.locator("del .visually-hidden").first).to_have_text("deleted:")
    expect(a3.locator(".change--added")).to_be_visible()
    expect(a3.locator("del")).to_have_count(0)
    expect(a3.locator("ins").first).to_be_visible()
    prompted = a2.locator(".prompted")
    expect(prompted.get_by_role("heading", name="Changes prompted by feedback")).to_be_visible()
    expect(prompted).to_contain_text("Companies need a small incentive")
    expect(prompted.locator(".disposition").first).to_have_text("Accepted")
    check(browse, "inline")
    fits_a_phone(browse, "inline-phone")

    page.get_by_role("link", name="Side by side").click()
    expect(page).to_have_url(browse.url(f"{PLAN}/compare/1/2?view=side"))
    expect(page.get_by_role("link", name="Side by side")).to_have_attribute("aria-current", "true")
    side = page.locator("section#A2 table.diff--side").first
    expect(side.get_by_role("columnheader")).to_have_text(["Version 1", "Version 2"])
    expect(side.locator("td:first-child del").first).to_be_visible()
    expect(side.locator("td:last-child ins").first).to_be_visible()
    expect(side.locator("td:first-child ins")).to_have_count(0)
    expect(side.locator("td:last-child del")).to_have_count(0)
    check(browse, "side")
    fits_a_phone(browse, "side-phone")

    status, body = get_json(browse.base_url, API_COMPARE)
    assert status == 200, body
    changes = {a["key"]: a["change"] for a in body["actions"]}
    assert changes == {"A1": "unchanged", "A2": "changed", "A3": "added"}
    a2_ops = next(a for a in body["actions"] if a["key"] == "A2")["fields"]
    assert any(op == "insert" and "vouchers" in text for f in a2_ops for op, text in f["ops"])

    browse.goto(f"{PLAN}/compare/2/2", status=400)
    expect(page.get_by_text("Choose two different versions to compare.")).to_be_visible()
    check(browse, "same-version")
    status, _body = get_json(browse.base_url, "/api/v1/plans/ecoc-sme-timisoara/compare/2/2")
    assert status == 400


PASSAGE_WORDS = "two matchmaking events a year"


def select_words(page, field: str, words: str) -> None:
    """Select `words` in the action's field as a mouse would: a DOM range, then a mouseup."""
    page.evaluate("""([field, words]) => {
        const dd = document.querySelector(`dl.action-fields dd[data-field="${field}"]`);
        const walker = document.createTreeWalker(dd, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(words);
            if (at === -1) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + words.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            const box = range.getBoundingClientRect();
            node.parentElement.dispatchEvent(new MouseEvent("mouseup", {
                bubbles: true, clientX: box.right, clientY: box.bottom}));
            return;
        }
        throw new Error(`"${words}" is not in one text node of ${field}`);
    }""", [field, words])


def test_stakeholder_comments_on_a_passage(browse):
    page = browse.page
    browse.prefix = "passage-"
    log_in(browse, CRISTINA, STAKEHOLDER_PASSWORD)
    browse.goto(f"{V2}/actions/A2")
    form = page.locator("form.comment-form")
    shown = form.locator(".selected-passage")
    expect(shown).to_be_hidden()
    # Each paragraph and list item of the action's text has a "Quote" button (5 in The action: a
    # paragraph and four list items; none on the field labels).
    description = page.locator("dl.action-fields dd[data-field=description]")
    expect(description.get_by_role("button", name="Quote this paragraph")).to_have_count(5)
    # each button also names its paragraph (visually hidden), so they can be told apart by ear
    names = [b.evaluate("b => b.textContent") for b in description.get_by_role("button").all()]
    assert len(set(names)) == 5 and all(n.startswith("Quote this paragraph: ") for n in names)
    expect(page.locator("dl.action-fields dt button")).to_have_count(0)

    # -- select words with the mouse -------------------------------------------------------------
    passage_button = page.get_by_role("button", name="Comment on this passage")
    expect(passage_button).to_be_hidden()
    select_words(page, "description", PASSAGE_WORDS)
    expect(passage_button).to_be_visible()
    check(browse, "selection")
    passage_button.click()
    expect(passage_button).to_be_hidden()
    expect(form.locator("input[name=anchor_field]")).to_have_value("description")
    expect(form.locator("input[name=anchor_quote]")).to_have_value(PASSAGE_WORDS)
    # up to 40 characters on each side, whitespace collapsed (the list items' ends are spaces)
    prefix = form.locator("input[name=anchor_prefix]").input_value()
    suffix = form.locator("input[name=anchor_suffix]").input_value()
    assert len(prefix) == 40 and prefix.endswith(" and business associations; "), prefix
    assert len(suffix) == 40 and suffix.startswith(" to help applicants find partners; every"), suffix
    expect(form.get_by_label("Comment on a passage (optional)")).to_have_value("")
    expect(shown).to_be_visible()
    expect(shown).to_contain_text("Selected passage:")
    expect(shown.locator("q")).to_have_text(PASSAGE_WORDS)
    expect(form.get_by_role("textbox", name="Your comment")).to_be_focused()
    check(browse, "passage-chosen")

    form.get_by_role("radio", name=re.compile(r"^Question\b")).check()
    form.get_by_role("textbox", name="Your comment").fill("Are **two events** enough for ten vouchers?")
    form.get_by_role("button", name="Send comment").click()
    expect(page.get_by_text("Your comment is published.")).to_be_visible()
    first_id = comment_id_from_url(page.url)
    quote = page.locator(f"article#c{first_id} figure.quote")
    expect(quote.locator("blockquote")).to_have_text(PASSAGE_WORDS)
    expect(quote.locator("figcaption")).to_contain_text("On a passage of “The action”")
    expect(description.locator("mark.passage")).to_have_text([PASSAGE_WORDS])
    check(browse, "passage-posted")
    fits_a_phone(browse, "passage-phone")

    # -- the keyboard path: "Quote this paragraph"; a passage can be removed again ------------------
    players = page.locator("dl.action-fields dd[data-field=players] li").nth(1)
    expect(players).to_contain_text("Business associations")
    quote_button = players.get_by_role("button", name="Quote this paragraph")
    quote_button.focus()
    page.keyboard.press("Enter")
    form = page.locator("form.comment-form")
    shown = form.locator(".selected-passage")
    paragraph = "Business associations (IT&C, tourism, social economy) — spreading the calls"
    expect(shown.locator("q")).to_have_text(paragraph)
    expect(form.locator("input[name=anchor_field]")).to_have_value("players")
    expect(form.get_by_role("textbox", name="Your comment")).to_be_focused()
    shown.get_by_role("button", name="Remove the passage").click()
    expect(shown).to_be_hidden()
    expect(form.locator("input[name=anchor_quote]")).to_have_value("")
    expect(form.get_by_label("Comment on a passage (optional)")).to_be_focused()
    quote_button.click()
    expect(shown.locator("q")).to_have_text(paragraph)
    form.get_by_role("radio", name=re.compile(r"^Suggestion\b")).check()
    form.get_by_role("textbox", name="Your comment").fill("Add the creative industries' cluster.")
    check(browse, "paragraph-chosen")
    form.get_by_role("button", name="Send comment").click()
    expect(page.get_by_text("Your comment is published.")).to_be_visible()
    second_id = comment_id_from_url(page.url)
    expect(page.locator(f"article#c{second_id} figure.quote blockquote")).to_have_text(paragraph)
    expect(page.locator("dl.action-fields dd[data-field=players] mark.passage")).to_have_text([paragraph])
    check(browse, "paragraph-posted")

    # -- a visitor sees the highlights, and no buttons ----------------------------------------------
    log_out(browse)
    browse.goto(f"{V2}/actions/A2")
    expect(page.locator("mark.passage")).to_have_count(2)
    expect(page.get_by_role("button", name="Quote this paragraph")).to_have_count(0)
    check(browse, "visitor")
