"""Browser fixtures: a live server on a migrated SQLite file holding the demo, Chromium, and an axe check."""
import logging
import os
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from config import TestConfig
from consult import create_app
from consult.extensions import db as _db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
#: axe rules for WCAG 2.1 level A and AA, nothing else (no "best practice" rules).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(session, config, items):
    """Run the browser tests last.

    The live server shares the `db` extension object with the unit tests, whose `db`
    fixture swaps `db.session` for one bound to the in-memory database while a test
    runs. Running the browser tests after every other test means the server never
    handles a request while that swap is in place.
    """
    browser_dir = Path(__file__).resolve().parent
    browser = [item for item in items if browser_dir in Path(str(item.path)).resolve().parents]
    if browser:
        rest = [item for item in items if item not in browser]
        items[:] = rest + browser


# -- the live server ----------------------------------------------------------------------

@contextmanager
def _logging_preserved():
    """Alembic's env.py calls `logging.config.fileConfig`, which disables every existing logger
    and replaces the root handlers; undo that so later tests still see their logs."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    disabled = {name: logger.disabled for name, logger in logging.root.manager.loggerDict.items()
                if isinstance(logger, logging.Logger)}
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, logger in logging.root.manager.loggerDict.items():
            if isinstance(logger, logging.Logger):
                logger.disabled = disabled.get(name, False)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app served over HTTP from a thread, on a fresh SQLite file migrated by Alembic and
    holding the demo consultation. Yields the base URL ("http://127.0.0.1:<port>").

    SQLite even when the unit tests run on PostgreSQL: this checks pages, not the database.
    """
    from flask_migrate import upgrade

    from consult.demo import seed_demo

    root = tmp_path_factory.mktemp("browser")

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{root / 'browser.db'}"
        INSTANCE_DIR = str(root / "instance")
        WTF_CSRF_ENABLED = True

    app = create_app(Config)
    with app.app_context():
        with _logging_preserved():
            upgrade()
        seed_demo()
        _db.session.commit()
        _db.session.remove()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            _db.engine.dispose()


# -- Chromium -----------------------------------------------------------------------------

def _unavailable(reason: str):
    """Skip, unless the run says a browser is required (CI sets REQUIRE_BROWSER=1)."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        _unavailable(f"the playwright package is not installed ({error})")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Exception as error:  # noqa: BLE001 — any launch failure means "no browser here"
        playwright.stop()
        _unavailable(f"Chromium did not start: {error}")
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@pytest.fixture(scope="session")
def screenshot_dir():
    """test-artifacts/screenshots/, emptied at the start of the run."""
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


class Browsing:
    """One visitor's tab: goes to paths on the live server and checks each page it lands on."""

    def __init__(self, page, base_url: str, screenshots: Path, prefix: str):
        self.page = page
        self.base_url = base_url
        self.screenshots = screenshots
        self.prefix = prefix
        self.count = 0
        self.script_errors: list[str] = []
        page.on("pageerror", lambda error: self.script_errors.append(f"uncaught: {error}"))
        page.on("console", self._console)

    def _console(self, message):
        # A 404 page logs "Failed to load resource"; that is the page working, not a script error.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.script_errors.append(message.text)

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def goto(self, path: str, status: int = 200):
        response = self.page.goto(self.url(path))
        assert response is not None and response.status == status, \
            f"GET {path}: expected {status}, got {response and response.status}"
        return response

    def path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.page.url)

    def check(self, name: str) -> None:
        """Save a full-page screenshot, then require zero WCAG 2.1 A/AA violations and no script errors."""
        from axe_playwright_python.sync_playwright import Axe

        self.count += 1
        self.page.screenshot(path=str(self.screenshots / f"{self.prefix}{self.count:02d}-{name}.png"),
                             full_page=True)
        results = Axe().run(self.page, options=AXE_OPTIONS)
        violations = results.response["violations"]
        assert not violations, f"axe on {name} ({self.path()}):\n" + format_violations(violations)
        assert not self.script_errors, f"script errors on {name} ({self.path()}): {self.script_errors}"


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']}  <{v.get('helpUrl', '')}>")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {target}: {node.get('html', '')[:160]}")
            lines.append(f"      {summary}")
    return "\n".join(lines)


@pytest.fixture
def browse(browser, live_server, screenshot_dir, request):
    """A fresh browser context (no cookies) on the live server; `browse.check(name)` runs axe."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    prefix = request.node.name.removeprefix("test_") + "-"
    try:
        yield Browsing(page, live_server, screenshot_dir, prefix)
    finally:
        context.close()
