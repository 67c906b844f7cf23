"""Every UI string is translated into Romanian, and the UI speaks the reader's language."""
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "consult" / "translations" / "ro" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
METHODS = [("consult/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def _source_messages() -> set[str]:
    found = set()
    for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=METHODS, keywords=KEYWORDS):
        if filename.startswith(("consult", "templates")):
            found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.fixture(scope="module")
def catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="ro")


def test_every_ui_string_has_a_romanian_translation(catalogue):
    missing = []
    for msgid in sorted(_source_messages()):
        message = catalogue.get(msgid)
        if message is None or not message.string or message.fuzzy or \
                (isinstance(message.string, tuple) and not all(message.string)):
            missing.append(msgid)
    assert not missing, f"{len(missing)} strings lack a Romanian translation (make extract-messages): {missing[:20]}"


def test_translations_keep_their_placeholders(catalogue):
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == expected, f"{message.id!r} → {string!r}"


def test_romanian_uses_comma_below_diacritics(catalogue):
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            assert not re.search("[şţŞŢ]", string or ""), f"cedilla instead of comma below in {string!r}"


def test_language_switch_changes_the_ui(client, plan, catalogue):
    english = client.get("/plans/test-plan").get_data(as_text=True)
    assert '<html lang="en">' in english and "Versions" in english
    response = client.post("/language", {"lang": "ro", "next": "/plans/test-plan"})
    assert response.status_code == 302 and response.headers["Location"] == "/plans/test-plan"
    romanian = client.get("/plans/test-plan").get_data(as_text=True)
    assert '<html lang="ro">' in romanian
    assert catalogue.get("Versions").string in romanian
    assert catalogue.get("Log in").string in romanian
    # the plan's own content keeps its language
    assert 'lang="en"' in romanian and "Action number 1" in romanian


def test_browser_language_is_followed_without_a_choice(client, plan):
    page = client.get("/", headers={"Accept-Language": "ro-RO,ro;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="ro">' in page


def test_an_unknown_language_is_refused(client):
    assert client.post("/language", {"lang": "xx"}).status_code == 400


def test_dates_follow_the_reader_locale(client, team_member, catalogue, db):
    from datetime import UTC, datetime

    from consult.plans import operations as ops
    from tests import factories

    plan = factories.make_plan(team_member, slug="dated", publish=False)
    # 07:30 UTC is 09:30 in Bucharest (UTC+2 in early March)
    ops.publish_version(ops.current_draft(plan), team_member, "", None, None,
                        now=datetime(2031, 3, 5, 7, 30, tzinfo=UTC))
    db.session.commit()
    english = client.get("/plans/dated").get_data(as_text=True)
    assert "Mar 5, 2031, 9:30\u202fAM GMT+02:00" in english
    client.post("/language", {"lang": "ro"})
    romanian = client.get("/plans/dated").get_data(as_text=True)
    published = catalogue.get("published %(date)s").string
    assert published % {"date": "5 mar. 2031, 09:30 GMT+02:00"} in romanian
    assert "Mar 5, 2031" not in romanian
