"""Hidden and waiting comments: their text reaches only the author and the moderators, on every page."""
import pytest
from flask import render_template
from flask_login import login_user
from sqlalchemy import func, select

from consult.comments.models import Comment, Report
from consult.moderation import operations as mod_ops
from tests import factories

URL = "/plans/test-plan/versions/1/actions/A1"
SECRET = "Call me on 0712 345 678"


@pytest.fixture
def hidden(plan, stakeholder, moderator, db):
    comment = factories.make_comment(plan, stakeholder, body=SECRET)
    mod_ops.hide_comments(plan, moderator, [comment], "personal_data")
    db.session.commit()
    return comment


@pytest.fixture
def pending(plan, stakeholder, db):
    plan.premoderation = True
    db.session.commit()
    comment = factories.make_comment(plan, stakeholder, body=SECRET)
    plan.premoderation = False
    db.session.commit()
    return comment


def test_the_report_page_of_a_hidden_comment_is_refused_and_quotes_nothing(client, hidden, outsider, db):
    client.login(outsider)
    for response in (client.get(f"/comments/{hidden.id}/report"),
                     client.post(f"/comments/{hidden.id}/report", {"reason": "spam"})):
        assert response.status_code == 409
        text = response.get_data(as_text=True)
        assert "0712" not in text and "This comment cannot be reported." in text
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


@pytest.mark.parametrize("extra", [{"body": ""}, {"body": "hm", "preview": "1"}, {"body": "hm"}])
def test_replying_to_a_hidden_comment_quotes_nothing(client, hidden, outsider, db, extra):
    client.login(outsider)
    response = client.post(f"{URL}/comments", {"parent_id": hidden.id, **extra})
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "0712" not in text and "Stella Holder" not in text
    assert "cannot be answered" in text
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 1


@pytest.mark.parametrize("extra", [{"body": ""}, {"body": "hm", "preview": "1"}])
def test_a_waiting_comment_is_not_found_by_others_and_not_answered_by_its_author(client, pending, outsider,
                                                                                 stakeholder, db, extra):
    client.login(outsider)
    for response in (client.post(f"{URL}/comments", {"parent_id": pending.id, **extra}),
                     client.get(f"/comments/{pending.id}/report")):
        assert response.status_code == 404
        assert "0712" not in response.get_data(as_text=True)
    client.logout()
    client.login(stakeholder)
    assert client.post(f"{URL}/comments", {"parent_id": pending.id, **extra}).status_code == 409


def test_who_reads_the_text(hidden, pending, plan, stakeholder, outsider, moderator, team_member, db):
    visible = factories.make_comment(plan, stakeholder, body="open")
    for comment in (hidden, pending):
        assert comment.can_read_text(stakeholder) and comment.can_read_text(moderator)
        assert comment.can_read_text(team_member)
        assert not comment.can_read_text(outsider) and not comment.can_read_text(None)
    assert visible.can_read_text(outsider) and visible.can_read_text(None)
    visible.status = "deleted"
    assert not visible.can_read_text(stakeholder)


def test_the_quoted_comment_shows_a_placeholder_to_other_readers(app, hidden, pending, plan, stakeholder, outsider,
                                                                db):
    def quoted(comment, user):
        with app.test_request_context("/"):
            login_user(user)
            return render_template("comments/_quoted.html", comment=comment, plan=plan)

    assert SECRET in quoted(hidden, stakeholder) and SECRET in quoted(pending, stakeholder)
    other = quoted(hidden, outsider)
    assert "0712" not in other and "Stella Holder" not in other
    assert "Hidden by the moderators: personal data" in other
    other = quoted(pending, outsider)
    assert "0712" not in other and "Stella Holder" not in other and "Waiting for a moderator" in other
