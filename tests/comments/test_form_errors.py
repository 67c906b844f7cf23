"""A refused comment form comes back as its page, with what was typed and each problem marked,
rather than a dead-end error page that loses the text (works without JavaScript)."""
from sqlalchemy import func, select

from consult.comments.models import Comment, Report
from tests import factories

URL = "/plans/test-plan/versions/1/actions/A1"
NO_STANCE = "Choose whether you support the action, have a concern, a suggestion or a question."


def _count(db, model=Comment):
    return db.session.scalar(select(func.count()).select_from(model))


def _field_block(page: str, marker: str) -> str:
    """The form's part from `marker` to the end of its field."""
    return page.split(marker, 1)[1].split("</div>", 1)[0]


def test_a_comment_without_a_stance_comes_back_on_the_action_page(client, plan, stakeholder, db):
    client.login(stakeholder)
    response = client.post(f"{URL}/comments", {"body": "My **long** thoughts on the budget.",
                                               "quote_paragraph": "description:0"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Add your comment on A1" in page and "Cannot accept this" not in page
    assert "My **long** thoughts on the budget.</textarea>" in page  # the text is kept
    assert 'value="description:0" selected' in page or 'selected value="description:0"' in page
    stances = page.split('class="stances', 1)[1].split("</fieldset>", 1)[0]
    assert "field--error" in stances.split(">", 1)[0] and NO_STANCE in stances
    assert _count(db) == 0


def test_a_comment_missing_stance_and_text_marks_both(client, plan, stakeholder, db):
    client.login(stakeholder)
    response = client.post(f"{URL}/comments", {"body": "  "})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert NO_STANCE in page.split('class="stances', 1)[1].split("</fieldset>", 1)[0]
    assert 'id="body-error"' in page and "This field is required." in page
    assert _count(db) == 0


def test_a_passage_not_in_the_action_comes_back_marked_with_the_text_kept(client, plan, stakeholder, db):
    client.login(stakeholder)
    for data in ({"quote_paragraph": "description:99"},
                 {"anchor_field": "background", "anchor_quote": "words nobody wrote"}):
        response = client.post(f"{URL}/comments", {"stance": "concern", "body": "Kept text", **data})
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "Add your comment on A1" in page and "Kept text</textarea>" in page
        assert 'id="quote-error"' in page
    assert _count(db) == 0


def test_a_refused_reply_comes_back_on_the_reply_page(client, plan, stakeholder, outsider, db):
    root = factories.make_comment(plan, stakeholder, body="Root text")
    other = factories.make_comment(plan, stakeholder, key="A2")
    client.login(outsider)
    response = client.post(f"{URL}/comments", {"body": "my reply", "parent_id": root.id, "stance": "concern"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Reply to Stella Holder" in page and "my reply</textarea>" in page
    assert "A reply has no stance of its own" in page
    response = client.post(f"{URL}/comments", {"body": "elsewhere", "parent_id": other.id})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Reply to Stella Holder" in page and "elsewhere</textarea>" in page and "same action and version" in page
    assert _count(db) == 2


def test_a_second_report_shows_the_first_instead_of_a_form(client, plan, stakeholder, outsider, db):
    comment = factories.make_comment(plan, stakeholder)
    client.login(outsider)
    assert client.post(f"/comments/{comment.id}/report", {"reason": "spam"}).status_code == 302
    page = client.get(f"/comments/{comment.id}/report")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "You reported this comment on" in text and "Send report" not in text
    again = client.post(f"/comments/{comment.id}/report", {"reason": "offensive"})
    assert again.status_code == 409
    text = again.get_data(as_text=True)
    assert "Report a comment" in text and "You have already reported this comment" in text
    assert "You reported this comment on" in text and "Send report" not in text
    assert _count(db, Report) == 1
