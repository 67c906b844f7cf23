"""A moderator's bulk act with input missing comes back as the page it was sent from: the selection
ticked, the note kept, the problem beside its field, nothing changed (no JavaScript needed)."""
import re

from sqlalchemy import func, select

from consult.comments.models import Comment
from consult.extensions import db as _db
from consult.moderation.models import ModerationEvent, Tag, comment_tags
from tests import factories

QUEUE = "/plans/test-plan/moderation"
LIST = "/plans/test-plan/moderation/comments"


def _events(db):
    return db.session.scalar(select(func.count()).select_from(ModerationEvent))


def _checked(page: str) -> set[int]:
    return {int(i) for i in re.findall(r'name="comment_ids" value="(\d+)" checked', page)}


def _pending(db, plan, author, n):
    plan.premoderation = True
    db.session.commit()
    return [factories.make_comment(plan, author, body=f"Waiting {i}") for i in range(n)]


def test_hiding_without_a_reason_shows_the_queue_again_with_the_selection(client, plan, stakeholder,
                                                                         outsider, moderator, db):
    first, second, left = _pending(db, plan, stakeholder, 3)
    client.login(moderator)
    response = client.post(QUEUE, {"action": "hide", "comment_ids": [first.id, second.id], "reason": "",
                                   "note": "duplicate posts", "next": QUEUE, "list": "pending"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Moderation queue" in page and "Cannot accept this" not in page
    assert _checked(page) == {first.id, second.id}
    assert 'id="pending-note"' in page and 'value="duplicate posts"' in page
    error = page.split('id="pending-reason-error">', 1)[1].split("<", 1)[0]
    assert error == "Choose why the comment is hidden."
    assert 'id="pending-reason"' in page.split('id="pending-reason-error"')[0].rsplit("<select", 1)[1]
    assert {c.status for c in db.session.scalars(select(Comment))} == {"pending"} and _events(db) == 0


def test_an_act_on_no_comment_says_so_beside_the_list(client, plan, stakeholder, moderator, db):
    _pending(db, plan, stakeholder, 1)
    client.login(moderator)
    response = client.post(QUEUE, {"action": "approve", "note": "keep me", "next": QUEUE, "list": "pending"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Select at least one comment." in page and 'value="keep me"' in page
    assert _events(db) == 0


def test_tagging_without_a_tag_shows_the_filtered_list_again(client, plan, stakeholder, moderator, db):
    _db.session.add(Tag(plan_id=plan.id, name="funding"))
    concern = factories.make_comment(plan, stakeholder, stance="concern", body="A concern")
    factories.make_comment(plan, stakeholder, stance="support", body="A support")
    client.login(moderator)
    here = f"{LIST}?stance=concern"
    response = client.post(QUEUE, {"action": "tag", "comment_ids": [concern.id], "tag_id": "", "note": "n",
                                   "next": here})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "All comments" in page and "A concern" in page and "A support" not in page  # the filter still applies
    assert '<option value="concern" selected>' in page
    assert _checked(page) == {concern.id}
    assert "Choose one of this plan's tags." in page.split('id="bulk-tag_id-error">', 1)[1].split("</span>")[0]
    assert f'name="next" value="{here}"' in page  # sending it again still comes back here
    assert db.session.scalar(select(func.count()).select_from(comment_tags)) == 0 and _events(db) == 0


def test_applying_to_all_matching_without_a_tag_shows_the_list_again(client, plan, stakeholder, moderator, db):
    _db.session.add(Tag(plan_id=plan.id, name="funding"))
    factories.make_comment(plan, stakeholder, stance="concern", body="A concern")
    factories.make_comment(plan, stakeholder, stance="support", body="A support")
    client.login(moderator)
    response = client.post(f"{LIST}/tag", {"stance": "concern", "operation": "untag", "apply_tag": "",
                                           "expected": "1"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "A concern" in page and "A support" not in page
    form = page.split('class="bulk bulk--matching"')[1].split("</form>")[0]
    assert '<input type="hidden" name="stance" value="concern">' in form and "csrf_token=" not in page
    assert '<option selected value="untag">' in form or '<option value="untag" selected>' in form
    assert "Choose one of this plan's tags." in form.split('id="matching-apply_tag-error">', 1)[1]
    assert _events(db) == 0


def test_a_refused_act_from_a_thread_says_why_back_on_the_thread(client, plan, stakeholder, moderator, db):
    comment = factories.make_comment(plan, stakeholder)
    client.login(moderator)
    thread = "/plans/test-plan/versions/1/actions/A1"
    response = client.post(QUEUE, {"action": "hide", "comment_ids": [comment.id], "next": thread})
    assert response.status_code == 302 and response.headers["Location"].endswith(thread)
    page = client.get(thread).get_data(as_text=True)
    assert "Nothing changed." in page and "Choose why the comment is hidden." in page
    db.session.refresh(comment)
    assert comment.status == "visible" and _events(db) == 0
