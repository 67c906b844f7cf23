"""The main journeys in a real browser, with an axe (WCAG 2.1 A/AA) check on every page visited.

The tests share one live server holding the demo; only the first one changes its data (it publishes
version 3), and none of the others depends on what it did.
"""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails under REQUIRE_BROWSER=1
    expect = None

PLAN = "/plans/ecoc-sme-timisoara"
TEAM_EMAIL = "ioana.marinescu@consult.example"
TEAM_PASSWORD = "team-demo-2021"
ADMIN_EMAIL = "admin@consult.example"
ADMIN_PASSWORD = "admin-demo-2021"

EDITED_A2 = ("Offer **innovation vouchers** of up to 7,500 EUR that an SME spends on a service "
             "from a cultural or creative business.\n\n- two calls a year\n- a jury of five")
NEW_ACTION = "Creative districts around the ECoC venues"


def action_keys(page, selector: str) -> list[str]:
    return [text.strip() for text in page.locator(selector).all_inner_texts()]


def log_in(browse, email: str, password: str) -> None:
    browse.goto("/login")
    browse.page.get_by_label("E-mail address").fill(email)
    browse.page.get_by_label("Password").fill(password)
    browse.page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(browse.page.get_by_text("Welcome back")).to_be_visible()


def local_input(moment: datetime) -> str:
    """A datetime-local value in the demo plan's time zone."""
    return moment.astimezone(ZoneInfo("Europe/Bucharest")).strftime("%Y-%m-%dT%H:%M")


def test_visitor_team_publishes_a_version_and_visitor_reads_it(browse):
    page = browse.page
    browse.prefix = "flow-"

    # -- a visitor reads the demo plan -------------------------------------------------------
    browse.goto("/")
    expect(page).to_have_title(re.compile("Action plans"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    browse.check("index")

    page.get_by_role("link", name="ECoC-SME action plan — Timișoara").click()
    expect(page).to_have_url(browse.url(PLAN))
    expect(page.locator(".version-bar__status strong")).to_have_text("Version 2")
    assert action_keys(page, "article.action h2 .key") == ["A1", "A2", "A3"]
    expect(page.locator(".badge--open")).to_be_visible()
    browse.check("plan-latest")

    page.get_by_role("navigation", name="Versions of this plan").get_by_role("link", name="Version 1").click()
    expect(page).to_have_url(browse.url(f"{PLAN}/versions/1"))
    expect(page.get_by_text("This is an earlier version.")).to_be_visible()
    assert action_keys(page, "article.action h2 .key") == ["A1", "A2"]
    browse.check("plan-version-1")

    page.get_by_role("link", name="Open action A2 on its own page").click()
    expect(page).to_have_url(browse.url(f"{PLAN}/versions/1/actions/A2"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Matchmaking between the creative sector")
    browse.check("action-page")

    # -- the team member logs in through the form --------------------------------------------
    page.get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login\?next=[^?]*A2$"))
    browse.check("login")
    page.get_by_label("E-mail address").fill(TEAM_EMAIL)
    page.get_by_label("Password").fill(TEAM_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back, Ioana Marinescu.")).to_be_visible()
    # back where the visitor was before logging in
    expect(page).to_have_url(browse.url(f"{PLAN}/versions/1/actions/A2"))

    # -- start the next draft ----------------------------------------------------------------
    browse.goto(f"{PLAN}/draft")
    expect(page.get_by_role("heading", name="No draft at the moment")).to_be_visible()
    browse.check("draft-none")
    page.get_by_role("button", name="Start draft version 3").click()
    expect(page.get_by_role("heading", name="Draft version 3")).to_be_visible()
    assert action_keys(page, ".action-list__item .key") == ["A1", "A2", "A3"]
    browse.check("draft-started")

    # -- edit an action; the live preview renders the Markdown -------------------------------
    page.get_by_role("link", name="Edit A2").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit action A2")
    preview = page.get_by_role("region", name="Preview of The action")
    expect(preview).to_be_hidden()
    browse.check("action-edit")
    page.get_by_role("textbox", name="The action", exact=True).fill(EDITED_A2)
    expect(preview).to_be_visible()
    expect(preview.locator("strong")).to_have_text("innovation vouchers")
    expect(preview.locator("li")).to_have_count(2)
    browse.check("action-edit-preview")
    page.get_by_role("button", name="Save action").click()
    expect(page.get_by_text("Action A2 saved.")).to_be_visible()

    # -- add an action, then move it up ------------------------------------------------------
    page.get_by_role("link", name="Add an action").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("New action")
    browse.check("action-new")
    page.get_by_role("textbox", name="Title", exact=True).fill(NEW_ACTION)
    page.get_by_role("textbox", name="The action", exact=True).fill(
        "Map the venues and invite *creative SMEs* to open studios.")
    page.get_by_role("textbox", name="Timeframe", exact=True).fill("From 01.03.2022 to 31.07.2022.")
    page.get_by_role("button", name="Save action").click()
    expect(page.get_by_text("Action A4 added.")).to_be_visible()
    assert action_keys(page, ".action-list__item .key") == ["A1", "A2", "A3", "A4"]

    page.get_by_role("button", name="Move up A4").click()
    expect(page.locator(".action-list__item .key")).to_have_text(["A1", "A2", "A4", "A3"])
    browse.check("draft-reordered")

    # -- publish with a change summary and a consultation window ----------------------------
    page.get_by_role("link", name="Publish…").click()
    expect(page.get_by_role("heading", name="Publish version 3")).to_be_visible()
    browse.check("publish")
    now = datetime.now(ZoneInfo("UTC"))
    page.get_by_role("textbox", name="Change summary", exact=True).fill(
        "- **A2**: vouchers up to 7,500 EUR.\n- **A4** is new.")
    page.get_by_label("Consultation opens").fill(local_input(now - timedelta(days=1)))
    page.get_by_label("Consultation closes").fill(local_input(now + timedelta(days=30)))
    page.get_by_role("button", name="Publish this version").click()
    expect(page).to_have_url(browse.url(f"{PLAN}/versions/3"))
    expect(page.get_by_text("Version 3 is published.")).to_be_visible()
    expect(page.locator(".version-bar__status strong")).to_have_text("Version 3")
    expect(page.locator(".version-bar .badge--open")).to_contain_text("Consultation open until")
    expect(page.get_by_role("region", name="What changed in this version")).to_contain_text("A4 is new.")
    browse.check("published-v3")

    # -- the team's other pages ---------------------------------------------------------------
    page.get_by_role("navigation", name="Team tools").get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", name="Members and stakeholder groups")).to_be_visible()
    browse.check("members")
    page.get_by_role("navigation", name="Team tools").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Plan settings")).to_be_visible()
    browse.check("settings")
    page.get_by_role("link", name=re.compile(r"^Account")).click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    browse.check("account")

    # -- log out; a visitor reads version 3 ---------------------------------------------------
    page.get_by_role("button", name="Log out", exact=True).click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    browse.goto(PLAN)
    expect(page.locator(".version-bar__status strong")).to_have_text("Version 3")
    expect(page.get_by_role("navigation", name="Team tools")).to_have_count(0)
    assert action_keys(page, "article.action h2 .key") == ["A1", "A2", "A4", "A3"]
    a2 = page.locator("article#A2")
    expect(a2).to_contain_text("up to 7,500 EUR")
    expect(a2.locator("strong", has_text="innovation vouchers")).to_be_visible()
    expect(page.locator("article#A4 h2")).to_contain_text(NEW_ACTION)
    browse.check("visitor-v3")

    # Version 2 is unchanged: publishing froze it.
    browse.goto(f"{PLAN}/versions/2")
    expect(page.locator("article#A2")).not_to_contain_text("7,500 EUR")

    browse.goto("/register")
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    browse.check("register")

    browse.goto("/plans/no-such-plan", status=404)
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    browse.check("not-found")


def test_language_switch_changes_the_interface_language(browse):
    page = browse.page
    browse.prefix = "lang-"
    browse.goto(PLAN)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Română").click()
    expect(html).to_have_attribute("lang", "ro")
    expect(page).to_have_url(browse.url(PLAN))  # back on the same page
    expect(page.get_by_role("button", name="Română")).to_have_attribute("aria-current", "true")
    browse.check("plan-ro")
    # The plan's own content keeps its language.
    expect(page.locator(".plan-header h1")).to_have_attribute("lang", "en")

    browse.goto("/login")
    expect(html).to_have_attribute("lang", "ro")  # the choice lasts for the session
    browse.check("login-ro")

    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")


def test_site_admin_lists_users(browse):
    page = browse.page
    browse.prefix = "admin-"
    log_in(browse, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name=TEAM_EMAIL)).to_be_visible()
    browse.check("users")
    page.get_by_label("Find by name or e-mail address").fill("marinescu")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    browse.check("users-search")


def test_pages_fit_a_phone_screen(browse):
    """Nothing makes the page scroll sideways on a narrow screen (WCAG 1.4.10 reflow)."""
    page = browse.page
    browse.prefix = "phone-"
    width = 390
    page.set_viewport_size({"width": width, "height": 844})

    def fits(name):
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} ({browse.path()}) is {overflow}px wider than a {width}px screen"
        browse.check(name)

    for name, path in (("index", "/"), ("plan", PLAN), ("action", f"{PLAN}/versions/2/actions/A2"),
                       ("login", "/login"), ("register", "/register")):
        browse.goto(path)
        fits(name)
    log_in(browse, TEAM_EMAIL, TEAM_PASSWORD)
    for name, path in (("draft", f"{PLAN}/draft"), ("members", f"{PLAN}/members"),
                       ("settings", f"{PLAN}/settings"), ("account", "/account")):
        browse.goto(path)
        fits(name)
