"""A uniqueness rule broken by a request that committed first is a rolled-back 409, never a 500."""
from sqlalchemy import func, select

from consult.accounts.operations import issue_token
from consult.comments.models import Comment
from consult.plans.models import PlanFollow

RACE = "Someone else made a clashing change at the same moment"


def _follow_without_flushing(plan, user):
    """What a request does when the other one's row is not there yet: the clash shows at commit."""
    from consult.extensions import db

    db.session.add(PlanFollow(plan_id=plan.id, user_id=user.id))
    return True


def _follows(db, plan):
    return db.session.scalar(select(func.count()).select_from(PlanFollow).where(PlanFollow.plan_id == plan.id))


def test_a_clash_at_commit_is_a_409_page(client, plan, stakeholder, monkeypatch, db):
    from consult.plans import routes

    db.session.add(PlanFollow(plan_id=plan.id, user_id=stakeholder.id))  # the request that committed first
    db.session.commit()
    monkeypatch.setattr(routes.ops, "toggle_follow", _follow_without_flushing)
    client.login(stakeholder)
    response = client.post("/plans/test-plan/follow")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert RACE in page and "<html" in page
    assert response.headers["X-Frame-Options"] == "DENY"  # still a complete response
    assert _follows(db, plan) == 1


def test_a_clash_at_commit_is_a_409_in_json_on_the_api(client, plan, stakeholder, monkeypatch, db):
    from consult.api import routes

    token, _record = issue_token(stakeholder, "test")
    db.session.add(PlanFollow(plan_id=plan.id, user_id=stakeholder.id))
    db.session.commit()
    original = routes.comment_ops.post_comment

    def post_then_clash(plan_, version, revision, user, *args, **kwargs):
        comment = original(plan_, version, revision, user, *args, **kwargs)
        _follow_without_flushing(plan_, user)
        return comment

    monkeypatch.setattr(routes.comment_ops, "post_comment", post_then_clash)
    response = client.request("POST", "/api/v1/plans/test-plan/versions/1/actions/A1/comments",
                              json={"body": "raced", "stance": "support"},
                              headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 409
    assert RACE in response.json["error"]["message"] and response.json["error"]["code"] == 409
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0  # the comment rolled back too
