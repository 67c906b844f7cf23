"""Editing and reporting comments are rate limited per person, with the same clear 429 as posting."""
import pytest
from sqlalchemy import func, select

from consult.comments.models import CommentEdit, Report
from consult.extensions import limiter
from tests import factories

TOO_OFTEN = "You are doing this too often"


@pytest.fixture
def fresh_limits():
    limiter.reset()
    yield
    limiter.reset()


def test_editing_too_often_gets_a_clear_429_and_changes_nothing(app, client, plan, stakeholder, outsider, db,
                                                                monkeypatch, fresh_limits):
    monkeypatch.setitem(app.config, "RATELIMIT_EDITING", "2 per minute")
    comment = factories.make_comment(plan, stakeholder, body="first")
    client.login(stakeholder)
    statuses = [client.post(f"/comments/{comment.id}/edit", {"body": f"edit {n}"}).status_code for n in range(2)]
    assert statuses == [302, 302]
    response = client.post(f"/comments/{comment.id}/edit", {"body": "one too many"})
    assert response.status_code == 429 and TOO_OFTEN in response.get_data(as_text=True)
    db.session.refresh(comment)
    assert comment.body_md == "edit 1"
    assert db.session.scalar(select(func.count()).select_from(CommentEdit)) == 2
    assert client.get(f"/comments/{comment.id}/edit").status_code == 200  # the form itself still opens
    # the limit is the person's: another author edits freely
    other = factories.make_comment(plan, outsider, body="theirs")
    client.logout()
    client.login(outsider)
    assert client.post(f"/comments/{other.id}/edit", {"body": "theirs, edited"}).status_code == 302


def test_reporting_too_often_gets_a_clear_429_and_changes_nothing(app, client, plan, stakeholder, outsider, db,
                                                                  monkeypatch, fresh_limits):
    monkeypatch.setitem(app.config, "RATELIMIT_REPORTING", "2 per minute")
    comments = [factories.make_comment(plan, stakeholder, body=f"text {n}") for n in range(3)]
    client.login(outsider)
    statuses = [client.post(f"/comments/{c.id}/report", {"reason": "spam"}).status_code for c in comments[:2]]
    assert statuses == [302, 302]
    response = client.post(f"/comments/{comments[2].id}/report", {"reason": "spam", "note": "third"})
    assert response.status_code == 429 and TOO_OFTEN in response.get_data(as_text=True)
    reported = set(db.session.scalars(select(Report.comment_id)))
    assert reported == {comments[0].id, comments[1].id}
    assert client.get(f"/comments/{comments[2].id}/report").status_code == 200
