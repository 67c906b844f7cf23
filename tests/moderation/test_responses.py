"""The team's answer ("you said, we did") has a text, and its e-mail says what was done, where and why."""
import pytest
from sqlalchemy import func, select

from consult.core.errors import Invalid
from consult.moderation import operations as ops
from consult.moderation.models import Response
from consult.plans import operations as plan_ops
from tests import factories


def _responses(db):
    return db.session.scalar(select(func.count()).select_from(Response))


@pytest.mark.parametrize("body", ["", "  \r\n  "])
def test_an_answer_without_text_comes_back_on_its_form(client, plan, team_member, stakeholder, smtp_server, db,
                                                       body):
    comment = factories.make_comment(plan, stakeholder)
    client.login(team_member)
    response = client.post(f"/comments/{comment.id}/respond", {"disposition": "partly_accepted", "body": body})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Answer a comment" in page and 'id="body-error"' in page
    assert "Write the answer: what was done, and why." in page
    assert '<input checked id="disposition-1" name="disposition" required type="radio" value="partly_accepted">' in page
    assert _responses(db) == 0 and smtp_server == []


def test_the_operation_refuses_an_answer_without_text(plan, team_member, stakeholder, db):
    comment = factories.make_comment(plan, stakeholder)
    with pytest.raises(Invalid) as refused:
        ops.record_response(plan, team_member, comment, "noted", " \n ", None)
    assert refused.value.fields == {"body": "Write the answer: what was done, and why."}
    assert _responses(db) == 0


def test_the_answer_email_says_what_was_done_on_which_action_and_where(client, plan, team_member, stakeholder,
                                                                       smtp_server, db):
    comment = factories.make_comment(plan, stakeholder, key="A2", body="Add mentors.")
    draft = plan_ops.current_draft(plan)
    client.login(team_member)
    response = client.post(f"/comments/{comment.id}/respond", {
        "disposition": "partly_accepted", "body": "Mentors for **IT&C** only.", "addressed_in": draft.id})
    assert response.status_code == 302
    assert len(smtp_server) == 1 and smtp_server[0]["To"] == stakeholder.email
    body = smtp_server[0].get_content()
    assert "answered your comment on action A2 “Action number 2” (version 1)" in body
    assert "What was done: Partly accepted" in body and "partly_accepted" not in body
    assert "To be addressed in version 2, in preparation." in body
    assert "Mentors for **IT&C** only." in body
    assert f"/comments/{comment.id}" in body and "Read it: http" in body


def test_the_answer_email_names_a_published_version_and_speaks_the_authors_language(
        client, plan, team_member, stakeholder, smtp_server, db):
    comment = factories.make_comment(plan, stakeholder)
    v1 = comment.version
    stakeholder.locale = "ro"
    db.session.commit()
    client.login(team_member)
    client.post(f"/comments/{comment.id}/respond", {"disposition": "partly_accepted", "body": "Da.",
                                                    "addressed_in": v1.id})
    body = smtp_server[0].get_content()
    assert "Acceptat parțial" in body and "Partly accepted" not in body
    assert "acțiunea A1 „Action number 1” (versiunea 1)" in body and "Tratat în versiunea 1." in body
