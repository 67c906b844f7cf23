"""Held comments under pre-moderation: the author is told it waits, and the thread counts it only once out."""
import pytest
from sqlalchemy import select

from consult.accounts.operations import issue_token
from consult.comments.models import Comment
from consult.comments.operations import delete_comment
from consult.moderation import operations as mod_ops
from tests import factories

URL = "/plans/test-plan/versions/1/actions/A1"
API = "/api/v1/plans/test-plan/versions/1/actions/A1/comments"


@pytest.fixture
def held(plan, db):
    plan.premoderation = True
    db.session.commit()
    return plan


def test_the_author_is_told_the_comment_waits(client, held, stakeholder, db):
    client.login(stakeholder)
    page = client.post(f"{URL}/comments", {"stance": "support", "body": "held"}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Your comment is waiting for a moderator&#39;s approval" in text and "is published" not in text
    root = db.session.scalar(select(Comment))
    root.status = "visible"
    db.session.commit()
    text = client.post(f"{URL}/comments", {"body": "held reply", "parent_id": root.id},
                       follow_redirects=True).get_data(as_text=True)
    assert "Your reply is waiting for a moderator&#39;s approval" in text and "is published" not in text


def test_a_published_comment_says_so(client, plan, stakeholder, db):
    client.login(stakeholder)
    text = client.post(f"{URL}/comments", {"stance": "support", "body": "open"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Your comment is published." in text and "waiting" not in text


def test_the_api_says_whether_the_comment_waits(client, plan, stakeholder, db):
    from tests.api.test_api import validate

    token, _record = issue_token(stakeholder, "test")
    db.session.commit()
    auth = {"Authorization": f"Bearer {token}"}
    response = client.request("POST", API, json={"body": "open", "stance": "support"}, headers=auth)
    assert response.status_code == 201 and response.json["status"] == "visible"
    plan.premoderation = True
    db.session.commit()
    response = client.request("POST", API, json={"body": "held", "stance": "support"}, headers=auth)
    assert response.status_code == 201 and response.json["status"] == "pending"
    assert response.json["body_html"] == "<p>held</p>"  # its author sees what they sent
    validate("Comment", response.json)


def test_held_replies_count_only_once_out_of_the_queue(client, plan, stakeholder, outsider, moderator, db):
    root = factories.make_comment(plan, stakeholder)
    plan.premoderation = True
    db.session.commit()
    approved, hidden, deleted, waiting = (factories.make_comment(plan, outsider, parent=root, body=f"r{n}")
                                          for n in range(4))
    assert {c.status for c in (approved, hidden, deleted, waiting)} == {"pending"}
    db.session.refresh(root)
    assert root.reply_count == 0
    mod_ops.approve_comments(plan, moderator, [approved])
    mod_ops.approve_comments(plan, moderator, [approved])  # a second approval changes nothing
    db.session.refresh(root)
    assert root.reply_count == 1
    mod_ops.hide_comments(plan, moderator, [hidden], "spam")
    db.session.refresh(root)
    assert root.reply_count == 2
    mod_ops.restore_comments(plan, moderator, [hidden])
    mod_ops.hide_comments(plan, moderator, [hidden], "spam")  # visible ↔ hidden keeps the count
    delete_comment(deleted, outsider)
    db.session.commit()
    db.session.refresh(root)
    assert root.reply_count == 3
    # the moderators' own replies are not held and count at once
    factories.make_comment(plan, moderator, parent=root, body="from the moderator")
    db.session.refresh(root)
    assert root.reply_count == 4


def test_a_deleted_comment_keeps_its_held_reply_in_sight(client, plan, stakeholder, outsider, moderator, db):
    """A held reply is not in its thread's count yet; its deleted root stays for those who see it."""
    root = factories.make_comment(plan, stakeholder, body="the root")
    plan.premoderation = True
    db.session.commit()
    factories.make_comment(plan, outsider, parent=root, body="a held answer")
    delete_comment(root, stakeholder)
    db.session.commit()
    for reader, sees in ((outsider, True), (moderator, True), (stakeholder, False), (None, False)):
        client.logout()
        if reader is not None:
            client.login(reader)
        text = client.get(URL).get_data(as_text=True)
        assert ("a held answer" in text) is sees, reader
        assert ("Deleted by its author" in text) is sees, reader
