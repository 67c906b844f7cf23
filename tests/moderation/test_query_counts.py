"""The moderation queue, the comment list and the tally pages run as many queries for 60 comments as for 5."""
import pytest
from sqlalchemy import select

from consult.comments.models import Comment, Report
from consult.extensions import db as _db
from consult.moderation import operations as ops
from consult.moderation.models import Tag, comment_tags
from tests import factories

PAGES = [
    "/plans/test-plan/moderation",
    "/plans/test-plan/moderation/comments",
    "/plans/test-plan/moderation/comments?action=A2&stance=concern",
    "/plans/test-plan/tally",
    "/plans/test-plan/versions/1/tally",
    "/plans/test-plan/versions/1/report",
]


def _add_feedback(plan, team_member, moderator, start, n):
    """`n` comments by as many people, of every kind a moderator sees: tagged, answered, reported, waiting
    for approval, hidden, replies and meeting feedback, across actions, stances and groups."""
    tag = _db.session.scalar(select(Tag).where(Tag.plan_id == plan.id))
    group = plan.groups[0]
    for i in range(start, start + n):
        author = factories.make_user(f"person{i}@example.org", f"Person {i}")
        key, stance = ("A1", "A2")[i % 2], ("support", "concern", "suggestion", "question")[i % 4]
        comment = factories.make_comment(plan, author, key=key, stance=stance, body=f"Comment {i}", commit=False)
        kind = i % 6
        if kind == 0:
            _db.session.execute(comment_tags.insert().values(comment_id=comment.id, tag_id=tag.id))
            ops.record_response(plan, team_member, comment, "accepted", f"Answer {i}", None)
        elif kind == 1:
            _db.session.add(Report(comment_id=comment.id, reporter_id=moderator.id, reason="spam"))
        elif kind == 2:
            comment.status = "pending"
        elif kind == 3:
            ops.hide_comments(plan, moderator, [comment], "off_topic")
        elif kind == 4:
            factories.make_comment(plan, author, key=key, parent=comment, body=f"Reply {i}", commit=False)
        else:
            revision = comment.version.revisions[0]
            ops.record_meeting_feedback(plan, moderator, comment.version, revision, f"Heard {i}", stance,
                                        f"Table {i}", group, [tag])
    _db.session.commit()


def _statements(client, count_queries, url):
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


@pytest.mark.parametrize("url", PAGES)
def test_moderation_pages_do_not_grow_in_queries_with_more_comments(client, db, plan, team_member, moderator,
                                                                    count_queries, url):
    db.session.add(Tag(plan_id=plan.id, name="funding"))
    db.session.commit()
    _add_feedback(plan, team_member, moderator, 0, 5)
    client.login(moderator)
    few = _statements(client, count_queries, url)
    _add_feedback(plan, team_member, moderator, 5, 55)
    assert db.session.query(Comment).count() > 60
    many = _statements(client, count_queries, url)
    assert many == few, url
