"""A soft-deleted comment: nothing more can be done to it, yet its address and history still open."""
from sqlalchemy import func, select

from consult.comments.models import Comment
from tests import factories

URL = "/plans/test-plan/versions/1/actions/A1"


def test_a_deleted_comment_is_404_to_act_on_but_its_permalink_and_history_open(client, plan, stakeholder,
                                                                              outsider, moderator, db):
    root = factories.make_comment(plan, stakeholder, body="Gone soon.")
    factories.make_comment(plan, outsider, parent=root, body="A reply that stays.")
    client.login(stakeholder)
    assert client.post(f"/comments/{root.id}/delete").status_code == 302
    assert client.get(f"/comments/{root.id}/edit").status_code == 404
    assert client.post(f"/comments/{root.id}/edit", {"body": "Back again."}).status_code == 404
    client.logout()
    client.login(outsider)
    before = db.session.scalar(select(func.count()).select_from(Comment))
    assert client.post(f"{URL}/comments", {"body": "to nobody", "parent_id": root.id}).status_code == 404
    assert client.get(f"/comments/{root.id}/reply").status_code == 404
    assert client.post(f"/comments/{root.id}/report", {"reason": "spam"}).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Comment)) == before
    permalink = client.get(f"/comments/{root.id}", follow_redirects=True)
    assert permalink.status_code == 200
    text = permalink.get_data(as_text=True)
    assert "Deleted by its author" in text and "A reply that stays." in text and "Gone soon." not in text
    client.logout()
    client.login(moderator)
    assert client.get(f"/comments/{root.id}/history").status_code == 200
    db.session.expire_all()
    assert db.session.get(Comment, root.id).body_md == "Gone soon."
