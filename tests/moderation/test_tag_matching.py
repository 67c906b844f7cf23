"""A moderator tags every comment a filter matches, on all its pages, in one act (no JavaScript needed)."""
import pytest
from sqlalchemy import func, select

from consult.extensions import db as _db
from consult.moderation.models import ModerationEvent, Tag, comment_tags
from consult.moderation.queries import PER_PAGE
from tests import factories

LIST = "/plans/test-plan/moderation/comments"
TAG_ALL = "/plans/test-plan/moderation/comments/tag"
FILTER = {"action": "A2", "stance": "concern", "untagged": "1"}


def _tag(plan, name):
    tag = Tag(plan_id=plan.id, name=name)
    _db.session.add(tag)
    _db.session.commit()
    return tag


def _comments(plan, author, n, **kwargs):
    made = [factories.make_comment(plan, author, commit=False, **kwargs) for _ in range(n)]
    _db.session.commit()
    return made


@pytest.fixture
def feedback(db, plan, stakeholder):
    """More than a page of A2 concerns without a tag, and comments just outside that filter."""
    funding = _tag(plan, "funding")
    governance = _tag(plan, "governance")
    targets = _comments(plan, stakeholder, PER_PAGE + 5, key="A2", stance="concern")
    tagged_already = _comments(plan, stakeholder, 1, key="A2", stance="concern")[0]
    db.session.execute(comment_tags.insert().values(comment_id=tagged_already.id, tag_id=governance.id))
    outside = [tagged_already, *_comments(plan, stakeholder, 2, key="A2", stance="support"),
               *_comments(plan, stakeholder, 2, key="A1", stance="concern")]
    db.session.commit()
    return {"funding": funding, "governance": governance, "targets": targets, "outside": outside}


def _tags_of(db, tag):
    return set(db.session.scalars(select(comment_tags.c.comment_id).where(comment_tags.c.tag_id == tag.id)))


def _events(db):
    return db.session.execute(select(ModerationEvent.comment_id, ModerationEvent.action, ModerationEvent.reason,
                                     ModerationEvent.actor_id)).all()


def test_the_list_offers_every_matching_comment_with_its_count(client, feedback, moderator):
    client.login(moderator)
    page = client.get(LIST, query_string=FILTER).get_data(as_text=True)
    count = PER_PAGE + 5
    assert f"Apply to all {count} comments" in page and f"All {count} comments matching this filter" in page
    form = page.split('class="bulk bulk--matching"')[1].split("</form>")[0]
    for name, value in FILTER.items():
        assert f'<input type="hidden" name="{name}" value="{value}">' in form
    assert f'name="expected" type="hidden" value="{count}"' in form
    assert 'name="version"' not in form  # only the filter in use travels


def test_tagging_all_matching_comments_tags_them_and_nothing_else(client, feedback, moderator, db):
    client.login(moderator)
    funding = feedback["funding"]
    count = PER_PAGE + 5
    response = client.post(TAG_ALL, {**FILTER, "operation": "tag", "apply_tag": funding.id, "expected": count})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(LIST) and "action=A2" in response.headers["Location"]
    target_ids = {c.id for c in feedback["targets"]}
    assert _tags_of(db, funding) == target_ids
    assert _tags_of(db, feedback["governance"]) == {feedback["outside"][0].id}  # untouched
    assert sorted(_events(db)) == sorted((i, "tag", "funding", moderator.id) for i in target_ids)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Tag “funding” added to {count} of the {count} comments matching the filter." in page
    assert "No comment matches." in page  # they are tagged now, so the "untagged" filter is empty


def test_removing_a_tag_from_all_matching_comments(client, feedback, moderator, db):
    client.login(moderator)
    funding, governance = feedback["funding"], feedback["governance"]
    everything = {c.id for c in feedback["targets"] + feedback["outside"]}
    db.session.execute(comment_tags.insert(), [{"comment_id": i, "tag_id": funding.id} for i in everything])
    db.session.commit()
    response = client.post(TAG_ALL, {"action": "A2", "stance": "concern", "operation": "untag",
                                     "apply_tag": funding.id, "expected": PER_PAGE + 6})
    assert response.status_code == 302
    lost = {c.id for c in feedback["targets"]} | {feedback["outside"][0].id}
    assert _tags_of(db, funding) == everything - lost
    assert _tags_of(db, governance) == {feedback["outside"][0].id}
    assert {(i, a) for i, a, _r, _u in _events(db)} == {(i, "untag") for i in lost}


def test_the_act_takes_as_many_queries_for_five_comments_as_for_sixty(client, db, plan, stakeholder, moderator,
                                                                     count_queries):
    funding = _tag(plan, "funding")
    client.login(moderator)

    def tag_all(key, n):
        _comments(plan, stakeholder, n, key=key, stance="question")
        with count_queries() as statements:
            response = client.post(TAG_ALL, {"action": key, "operation": "tag", "apply_tag": funding.id,
                                              "expected": n})
        assert response.status_code == 302
        return len(statements)

    assert tag_all("A1", 5) == tag_all("A2", 60)
    assert len(_tags_of(db, funding)) == 65


@pytest.mark.parametrize("change", [
    {"tag": "{other_tag}"},  # another plan's tag as the filter
    {"group": "{other_group}"},
    {"action": "A3"},  # only the other plan has an action A3
    {"version": "7"},
    {"stance": "enthusiasm"},
    {"apply_tag": "{other_tag}"},  # another plan's tag to apply
    {"apply_tag": ""},
    {"operation": "hide"},
    {"expected": ""},
], ids=lambda change: next(iter(change)) + "=" + next(iter(change.values())))
def test_a_filter_or_tag_not_of_this_plan_changes_nothing(client, feedback, team_member, moderator, db, change):
    other = factories.make_plan(team_member, slug="other-plan", actions=3)
    other_tag = _tag(other, "funding")
    ids = {"other_tag": other_tag.id, "other_group": other.groups[0].id}
    client.login(moderator)
    data = {**FILTER, "operation": "tag", "apply_tag": feedback["funding"].id, "expected": PER_PAGE + 5}
    data.update({k: v.format(**ids) for k, v in change.items()})
    response = client.post(TAG_ALL, data)
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(comment_tags)) == 1  # the one "governance" link
    assert _events(db) == []


def test_a_filter_naming_another_plans_tag_lists_nothing(client, feedback, team_member, moderator):
    other = factories.make_plan(team_member, slug="other-plan")
    other_tag = _tag(other, "funding")
    client.login(moderator)
    page = client.get(LIST, query_string={"tag": other_tag.id}).get_data(as_text=True)
    assert "No comment matches." in page and "Apply to all" not in page


def test_a_count_that_changed_since_the_list_was_shown_changes_nothing(client, feedback, moderator, stakeholder,
                                                                       plan, db):
    client.login(moderator)
    page = client.get(LIST, query_string=FILTER).get_data(as_text=True)
    assert f"Apply to all {PER_PAGE + 5} comments" in page
    factories.make_comment(plan, stakeholder, key="A2", stance="concern")  # arrives meanwhile
    response = client.post(TAG_ALL, {**FILTER, "operation": "tag", "apply_tag": feedback["funding"].id,
                                     "expected": PER_PAGE + 5})
    assert response.status_code == 409
    assert f"({PER_PAGE + 5} then, {PER_PAGE + 6} now)" in response.get_data(as_text=True)
    assert _tags_of(db, feedback["funding"]) == set() and _events(db) == []
