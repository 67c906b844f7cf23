"""Permalinks open the page their thread is on for this reader; a page past the end shows the last one."""
from sqlalchemy import select

from consult.comments.models import Comment
from consult.comments.queries import PER_PAGE
from tests import factories

URL = "/plans/test-plan/versions/1/actions/A1"


def test_a_permalink_counts_only_the_threads_its_reader_sees(client, plan, stakeholder, outsider, moderator, db):
    plan.premoderation = True
    db.session.commit()
    for n in range(PER_PAGE):
        factories.make_comment(plan, outsider, body=f"held {n}", commit=False)
    db.session.commit()
    plan.premoderation = False
    db.session.commit()
    shown = factories.make_comment(plan, stakeholder, body="the one linked to")
    assert db.session.scalar(select(Comment.status).where(Comment.body_md == "held 0")) == "pending"
    for who, page in ((None, ""), (stakeholder, ""), (moderator, "?page=2"), (outsider, "?page=2")):
        if who is not None:
            client.login(who)
        location = client.get(f"/comments/{shown.id}").headers["Location"]
        assert location.endswith(f"{URL}{page}#c{shown.id}"), (who, location)
        assert f'id="c{shown.id}"' in client.get(location.split("#")[0]).get_data(as_text=True)
        if who is not None:
            client.logout()


def test_a_page_past_the_end_shows_the_last_page(client, plan, stakeholder, db):
    for n in range(PER_PAGE + 1):
        factories.make_comment(plan, stakeholder, body=f"comment number {n}", commit=False)
    db.session.commit()
    page = client.get(f"{URL}?page=7").get_data(as_text=True)
    assert "No comments yet." not in page
    assert f"comment number {PER_PAGE}" in page and "Page 2 of 2" in page
