"""The action page and the API thread cost the same number of queries for 10 and 1,000 comments."""
from sqlalchemy import insert, select

from consult.comments.models import Comment
from consult.core.models import utcnow
from consult.plans.models import Action, ActionRevision, PlanVersion

PAGE = "/plans/test-plan/versions/1/actions/A1"
API = "/api/v1/plans/test-plan/versions/1/actions/A1/comments"


def _bulk_threads(db, plan, authors, roots: int, replies_per_root: int):
    """Insert threads straight into the table (fast); the shape matches what posting produces."""
    version = db.session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == 1))
    revision = db.session.scalar(select(ActionRevision).join(Action).where(
        ActionRevision.version_id == version.id, Action.key == "A1"))
    base = {"plan_id": plan.id, "version_id": version.id, "action_id": revision.action_id,
            "revision_id": revision.id, "status": "visible", "source": "online"}
    now = utcnow()
    root_rows = [{**base, "author_id": authors[n % len(authors)].id, "stance": "support", "depth": 0,
                  "body_md": f"root {n}", "body_html": f"<p>root {n}</p>", "reply_count": replies_per_root,
                  "created_at": now} for n in range(roots)]
    db.session.execute(insert(Comment), root_rows)
    root_ids = db.session.scalars(select(Comment.id).where(Comment.parent_id.is_(None))
                                  .order_by(Comment.id)).all()
    reply_rows = []
    for root_id in root_ids[-roots:]:
        for n in range(replies_per_root):
            reply_rows.append({**base, "author_id": authors[n % len(authors)].id, "stance": None, "depth": 1,
                               "parent_id": root_id, "root_id": root_id, "body_md": "reply",
                               "body_html": "<p>reply</p>", "reply_count": 0, "created_at": now})
    if reply_rows:
        db.session.execute(insert(Comment), reply_rows)
    db.session.commit()


def _queries(client, count_queries, url):
    with count_queries() as statements:
        response = client.get(url)
        assert response.status_code == 200
    return len(statements), response


def test_page_and_api_queries_do_not_grow_from_10_to_1000_comments(client, plan, stakeholder, outsider,
                                                                    count_queries, db):
    _bulk_threads(db, plan, [stakeholder, outsider], roots=2, replies_per_root=4)  # 10 comments
    page_small, _ = _queries(client, count_queries, PAGE)
    api_small, response = _queries(client, count_queries, API)
    assert response.json["total"] == 10

    _bulk_threads(db, plan, [stakeholder, outsider], roots=198, replies_per_root=4)  # 1,000 in all
    page_large, page = _queries(client, count_queries, PAGE)
    api_large, response = _queries(client, count_queries, API)
    assert response.json["total"] == 1000
    assert page.get_data(as_text=True).count('class="comment ') == 250  # 50 threads of 5
    assert page_large == page_small, "the action page's query count grew with the comments"
    assert api_large == api_small, "the API thread's query count grew with the comments"
    assert page_small <= 7 and api_small <= 5

    client.login(stakeholder)
    logged_small, _ = _queries(client, count_queries, PAGE)
    assert logged_small <= page_small + 2
