"""Reading plans: the list, a version with every action, one action, earlier versions, drafts."""
from datetime import UTC

import pytest

from consult.plans import operations as ops
from tests import factories


def test_index_lists_public_plans_with_their_latest_version(client, plan):
    page = client.get("/").get_data(as_text=True)
    assert "Plan test-plan" in page
    assert "Version 1, published" in page


def test_index_hides_invite_only_plans_from_visitors(client, plan, team_member, outsider, db):
    factories.make_plan(team_member, slug="secret-plan", visibility="invite")
    assert "Plan secret-plan" not in client.get("/").get_data(as_text=True)
    client.login(outsider)
    assert "Plan secret-plan" not in client.get("/").get_data(as_text=True)


def test_index_hides_unpublished_plans_except_from_their_team(client, team_member, outsider, db):
    factories.make_plan(team_member, slug="unpublished", publish=False)
    assert "Plan unpublished" not in client.get("/").get_data(as_text=True)
    client.login(team_member)
    page = client.get("/").get_data(as_text=True)
    assert "Plan unpublished" in page and "Not published yet" in page


def test_plan_page_shows_latest_published_version_with_every_action(client, plan):
    response = client.get("/plans/test-plan")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="A1"' in page and 'id="A2"' in page
    assert 'href="#A1"' in page and 'href="#A2"' in page  # table of contents
    assert "<strong>thing 1</strong>" in page  # stored HTML, rendered
    assert "Consultation open until" in page
    assert "draft" not in page.lower().split("<main")[1].split("versions")[0]


def test_draft_is_not_shown_to_visitors_but_to_the_team(client, plan, team_member, stakeholder):
    assert client.get("/plans/test-plan/versions/2").status_code == 403
    client.login(stakeholder)
    assert client.get("/plans/test-plan/versions/2").status_code == 403
    client.logout()
    client.login(team_member)
    response = client.get("/plans/test-plan/versions/2")
    assert response.status_code == 200
    assert "Draft — visible to the team only" in response.get_data(as_text=True)


def test_earlier_versions_stay_readable_and_point_to_the_latest(client, plan, team_member, db):
    draft = ops.current_draft(plan)
    ops.update_action(draft.revisions[0], "Renamed first action")
    ops.publish_version(draft, team_member, "Renamed A1.", None, None)
    db.session.commit()
    latest = client.get("/plans/test-plan").get_data(as_text=True)
    assert "Renamed first action" in latest
    old = client.get("/plans/test-plan/versions/1").get_data(as_text=True)
    assert "Action number 1" in old and "Renamed first action" not in old
    assert "This is an earlier version." in old
    assert "/plans/test-plan/versions/2" in old


def test_action_has_its_own_page(client, plan):
    response = client.get("/plans/test-plan/versions/1/actions/A2")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Action number 2" in page and "Lessons learnt for action 2." in page
    assert "Action number 1" not in page


@pytest.mark.parametrize("url", [
    "/plans/nope",
    "/plans/test-plan/versions/9",
    "/plans/test-plan/versions/1/actions/A9",
    "/plans/test-plan/versions/1/actions/../../etc",
    "/plans/test-plan/versions/x",
])
def test_unknown_things_are_404(client, plan, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "There is nothing at this address." in response.get_data(as_text=True) or \
        "no published version" in response.get_data(as_text=True)


def test_invite_only_plan_is_404_for_non_members_and_readable_for_members(client, team_member, stakeholder,
                                                                          outsider, db):
    factories.make_plan(team_member, slug="closed-plan", visibility="invite", stakeholder=stakeholder)
    assert client.get("/plans/closed-plan").status_code == 404
    client.login(outsider)
    assert client.get("/plans/closed-plan").status_code == 404
    client.logout()
    client.login(stakeholder)
    assert client.get("/plans/closed-plan").status_code == 200


def test_plan_without_published_version_sends_the_team_to_the_draft(client, team_member, db):
    factories.make_plan(team_member, slug="fresh", publish=False)
    assert client.get("/plans/fresh").status_code == 404
    client.login(team_member)
    response = client.get("/plans/fresh")
    assert response.status_code == 302 and response.headers["Location"].endswith("/plans/fresh/draft")


def test_dates_are_shown_in_the_plan_time_zone(client, team_member, db):
    from datetime import datetime

    plan = factories.make_plan(team_member, slug="tz-plan", publish=False)
    draft = ops.current_draft(plan)
    closes = datetime(2031, 1, 20, 22, 30, tzinfo=UTC)  # 00:30 on 21 Jan in Bucharest
    ops.publish_version(draft, team_member, "", datetime(2021, 1, 1, tzinfo=UTC), closes)
    db.session.commit()
    page = client.get("/plans/tz-plan").get_data(as_text=True)
    assert "Jan 21, 2031" in page and "12:30" in page


def _plan_page_queries(client, count_queries, slug):
    with count_queries() as statements:
        assert client.get(f"/plans/{slug}").status_code == 200
    return len(statements)


def test_plan_page_query_count_does_not_grow_with_actions(client, team_member, count_queries, db):
    factories.make_plan(team_member, slug="small", actions=2)
    factories.make_plan(team_member, slug="large", actions=40)
    small = _plan_page_queries(client, count_queries, "small")
    large = _plan_page_queries(client, count_queries, "large")
    assert small == large
    assert small <= 5  # plan, versions, actions, comment counts, published reports


def test_plan_page_query_count_for_the_team_is_bounded(client, team_member, count_queries, db):
    factories.make_plan(team_member, slug="small", actions=2)
    factories.make_plan(team_member, slug="large", actions=40)
    client.login(team_member)
    small = _plan_page_queries(client, count_queries, "small")
    assert small == _plan_page_queries(client, count_queries, "large")
    assert small <= 8  # plus the user, their membership and whether they follow the plan
