"""The links under an author's own pending or hidden comment lead only where the action is allowed."""
import re

import pytest
from sqlalchemy import select

from consult.comments.models import Comment
from consult.moderation import operations as mod_ops
from tests import factories

URL = "/plans/test-plan/versions/1/actions/A1"


def _tools(page: str, comment_id: int) -> str:
    """One comment's article on the action page: its header, text and links."""
    return re.search(rf'<article[^>]*id="c{comment_id}".*?</article>', page, re.S).group(0)


@pytest.fixture
def waiting(plan, stakeholder, db):
    plan.premoderation = True
    db.session.commit()
    comment = factories.make_comment(plan, stakeholder, body="Held text.")
    assert comment.status == "pending"
    return comment


def test_the_author_edits_a_waiting_comment_and_it_keeps_waiting(client, waiting, stakeholder, db):
    client.login(stakeholder)
    tools = _tools(client.get(URL).get_data(as_text=True), waiting.id)
    assert f"/comments/{waiting.id}/edit" in tools
    assert f"/comments/{waiting.id}/reply" not in tools  # a waiting comment is not answered yet
    assert f"/comments/{waiting.id}/delete" in tools
    assert client.get(f"/comments/{waiting.id}/edit").status_code == 200
    assert client.post(f"/comments/{waiting.id}/edit", {"body": "Held, corrected."}).status_code == 302
    db.session.expire_all()
    comment = db.session.get(Comment, waiting.id)
    assert comment.body_md == "Held, corrected." and comment.status == "pending"


def test_a_moderator_sees_no_reply_or_report_link_on_someone_elses_waiting_comment(client, waiting, moderator):
    client.login(moderator)
    tools = _tools(client.get(URL).get_data(as_text=True), waiting.id)
    assert f"/comments/{waiting.id}/reply" not in tools and f"/comments/{waiting.id}/report" not in tools
    assert f"/comments/{waiting.id}/edit" not in tools


def test_the_author_of_a_hidden_comment_gets_no_edit_link_and_a_truthful_409(client, plan, stakeholder,
                                                                            moderator, db):
    comment = factories.make_comment(plan, stakeholder, body="Soon hidden.")
    mod_ops.hide_comments(plan, moderator, [comment], "spam")
    db.session.commit()
    client.login(stakeholder)
    tools = _tools(client.get(URL).get_data(as_text=True), comment.id)
    assert "Soon hidden." in tools  # its author still reads it
    assert f"/comments/{comment.id}/edit" not in tools and f"/comments/{comment.id}/reply" not in tools
    assert f"/comments/{comment.id}/delete" in tools
    for response in (client.get(f"/comments/{comment.id}/edit"),
                     client.post(f"/comments/{comment.id}/edit", {"body": "Sneaked in."})):
        assert response.status_code == 409
        assert "A moderator hid this comment; it can no longer be edited." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Comment.body_md).where(Comment.id == comment.id)) == "Soon hidden."


def test_a_published_comment_keeps_its_links(client, plan, stakeholder, outsider, db):
    comment = factories.make_comment(plan, stakeholder)
    client.login(stakeholder)
    tools = _tools(client.get(URL).get_data(as_text=True), comment.id)
    assert f"/comments/{comment.id}/edit" in tools and f"/comments/{comment.id}/reply" in tools
    client.logout()
    client.login(outsider)
    tools = _tools(client.get(URL).get_data(as_text=True), comment.id)
    assert f"/comments/{comment.id}/report" in tools and f"/comments/{comment.id}/edit" not in tools
