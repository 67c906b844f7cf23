"""Form fields state their length limit in their hint, so it is known without JavaScript."""
import re

from wtforms import StringField
from wtforms.form import BaseForm
from wtforms.validators import Length, Optional

from consult.core.forms import max_length


def _hint(html, field_id):
    match = re.search(rf'<p class="hint" id="{field_id}-hint">(.*?)</p>', html, re.S)
    return match and " ".join(match.group(1).split())


def test_the_report_note_states_its_limit(client, plan, stakeholder, outsider, db):
    from tests import factories

    comment = factories.make_comment(plan, stakeholder)
    client.login(outsider)
    html = client.get(f"/comments/{comment.id}/report").get_data(as_text=True)
    assert _hint(html, "note") == "At most 500 characters."
    assert re.search(r'<textarea[^>]*aria-describedby="note-hint"', html)


def test_a_description_and_the_limit_are_stated_together(client, plan, team_member):
    client.login(team_member)
    html = client.get("/plans/new").get_data(as_text=True)
    assert _hint(html, "slug") == "Part of the plan&#39;s web address: /plans/&lt;address&gt;. At most 80 characters."
    assert _hint(html, "organisation") == "At most 200 characters."
    client.post("/language", {"lang": "ro"})
    html = client.get("/plans/new").get_data(as_text=True)
    assert "Cel mult 80 de caractere." in _hint(html, "slug")


def test_fields_without_a_cap_get_no_limit_hint(client, plan, team_member):
    client.login(team_member)
    html = client.get("/plans/new").get_data(as_text=True)
    assert _hint(html, "language") is None  # a select: no Length validator


def test_max_length_reads_the_tightest_length_validator():
    def field(*validators):
        return BaseForm([("f", StringField(validators=list(validators)))])["f"]

    assert max_length(field(Optional(), Length(max=300))) == 300
    assert max_length(field(Length(min=3, max=80), Length(max=50))) == 50
    assert max_length(field(Length(min=8))) is None
    assert max_length(field()) is None


def test_every_form_drops_nul_characters(app):
    """No database stores NUL (PostgreSQL refuses it): every form of ours drops it from every field."""
    from consult.comments.forms import ReportForm
    from consult.core.forms import Form

    with app.test_request_context(method="POST", data={"reason": "other", "note": "a\x00b"}):
        form = ReportForm(meta={"csrf": False})
        assert isinstance(form, Form)
        assert form.note.data == "ab"
