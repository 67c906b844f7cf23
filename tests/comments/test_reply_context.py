"""Deep replies say whom they answer, but never name the author of a deleted or hidden comment."""
import pytest

from consult.comments.models import MAX_INDENT, Comment
from consult.comments.operations import delete_comment
from consult.moderation import operations as mod_ops
from tests import factories

URL = "/plans/test-plan/versions/1/actions/A1"


@pytest.fixture
def deep(plan, stakeholder, outsider, db):
    """A chain of replies one deeper than the indent shows; the last answers a comment of the outsider."""
    outsider.name = "Octavia Outsider"
    db.session.commit()
    parent = factories.make_comment(plan, stakeholder, body="root")
    for depth in range(1, MAX_INDENT + 2):
        author = outsider if depth == MAX_INDENT else stakeholder
        parent = factories.make_comment(plan, author, parent=parent, body=f"depth {depth}")
    answered = parent.parent_id
    return {"answered": answered, "last": parent}


def _context(client, comment_id):
    page = client.get(URL).get_data(as_text=True)
    article = page[page.index(f'id="c{comment_id}"'):]
    return article[:article.index("</header>")]


def test_the_deep_reply_names_the_author_it_answers(client, deep):
    assert "in reply to Octavia Outsider" in _context(client, deep["last"].id)


def test_the_author_of_a_deleted_comment_is_not_named(client, plan, deep, outsider, stakeholder, db):
    delete_comment(db.session.get(Comment, deep["answered"]), outsider)
    db.session.commit()
    for reader in (None, stakeholder):
        if reader:
            client.login(reader)
        context = _context(client, deep["last"].id)
        assert "Octavia" not in context and "in reply to a deleted comment" in context


def test_the_author_of_a_hidden_comment_is_named_only_to_those_who_read_it(client, plan, deep, moderator,
                                                                          stakeholder, outsider, db):
    mod_ops.hide_comments(plan, moderator, [db.session.get(Comment, deep["answered"])], "spam")
    db.session.commit()
    context = _context(client, deep["last"].id)
    assert "Octavia" not in context and "in reply to a hidden comment" in context
    client.login(stakeholder)
    assert "Octavia" not in _context(client, deep["last"].id)
    client.logout()
    for reader in (moderator, outsider):  # they read its text, and its author
        client.login(reader)
        assert "in reply to Octavia Outsider" in _context(client, deep["last"].id)
        client.logout()
