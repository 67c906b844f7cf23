"""The team manages a plan's members and its stakeholder groups."""
from sqlalchemy import select

from consult.accounts.models import Membership, StakeholderGroup


def _membership(db, plan, user):
    return db.session.scalar(select(Membership).where(Membership.plan_id == plan.id, Membership.user_id == user.id))


def _group(db, plan, name):
    return db.session.scalar(select(StakeholderGroup).where(StakeholderGroup.plan_id == plan.id,
                                                            StakeholderGroup.name == name))


def test_team_adds_a_registered_user_with_role_and_group(client, plan, team_member, outsider, db):
    client.login(team_member)
    group = _group(db, plan, "Business: tourism")
    response = client.post("/plans/test-plan/members", {"email": "OUTSIDER@example.org", "role": "stakeholder",
                                                        "group_id": str(group.id)})
    assert response.status_code == 302
    membership = _membership(db, plan, outsider)
    assert membership.role == "stakeholder" and membership.group_id == group.id
    page = client.get("/plans/test-plan/members").get_data(as_text=True)
    assert "Otto Side" in page


def test_adding_an_unknown_or_existing_member_is_refused(client, plan, team_member, stakeholder, db):
    client.login(team_member)
    response = client.post("/plans/test-plan/members", {"email": "nobody@example.org", "role": "stakeholder",
                                                        "group_id": ""})
    assert response.status_code == 422
    assert "No one has registered with this e-mail address yet." in response.get_data(as_text=True)
    response = client.post("/plans/test-plan/members", {"email": stakeholder.email, "role": "team", "group_id": ""})
    assert response.status_code == 409
    assert _membership(db, plan, stakeholder).role == "stakeholder"


def test_a_group_of_another_plan_cannot_be_assigned(client, plan, team_member, stakeholder, db):
    from tests import factories

    other = factories.make_plan(team_member, slug="other-plan")
    foreign = other.groups[0]
    client.login(team_member)
    membership = _membership(db, plan, stakeholder)
    before = membership.group_id
    response = client.post(f"/plans/test-plan/members/{membership.id}", {"role": "stakeholder",
                                                                        "group_id": str(foreign.id)})
    assert response.status_code == 422
    db.session.refresh(membership)
    assert membership.group_id == before


def test_team_changes_a_role_and_removes_a_member(client, plan, team_member, stakeholder, db):
    client.login(team_member)
    membership = _membership(db, plan, stakeholder)
    assert client.post(f"/plans/test-plan/members/{membership.id}", {"role": "moderator", "group_id": ""}) \
        .status_code == 302
    db.session.refresh(membership)
    assert membership.role == "moderator" and membership.group_id is None
    assert client.post(f"/plans/test-plan/members/{membership.id}/remove").status_code == 302
    assert _membership(db, plan, stakeholder) is None


def test_the_last_team_member_stays(client, plan, team_member, db):
    client.login(team_member)
    membership = _membership(db, plan, team_member)
    response = client.post(f"/plans/test-plan/members/{membership.id}", {"role": "stakeholder", "group_id": ""})
    assert response.status_code == 409
    assert "at least one team member" in response.get_data(as_text=True)
    assert client.post(f"/plans/test-plan/members/{membership.id}/remove").status_code == 409
    db.session.refresh(membership)
    assert membership.role == "team"


def test_team_edits_the_stakeholder_groups(client, plan, team_member, stakeholder, db):
    client.login(team_member)
    assert client.post("/plans/test-plan/groups", {"name": "Cultural NGOs"}).status_code == 302
    assert _group(db, plan, "Cultural NGOs") is not None
    response = client.post("/plans/test-plan/groups", {"name": "Cultural NGOs"})
    assert response.status_code == 409
    citizen = _group(db, plan, "Citizen")
    assert client.post(f"/plans/test-plan/groups/{citizen.id}", {"name": "Residents"}).status_code == 302
    assert _group(db, plan, "Residents").id == citizen.id
    assert client.post(f"/plans/test-plan/groups/{citizen.id}", {"name": ""}).status_code == 422
    assert client.post(f"/plans/test-plan/groups/{citizen.id}", {"name": "Other"}).status_code == 409
    assert client.post(f"/plans/test-plan/groups/{citizen.id}", {"name": "OTHER"}).status_code == 409
    assert client.post("/plans/test-plan/groups", {"name": "cultural ngos"}).status_code == 409
    # removing the group keeps the member, without a group
    assert client.post(f"/plans/test-plan/groups/{citizen.id}/remove").status_code == 302
    membership = _membership(db, plan, stakeholder)
    assert membership is not None and membership.group_id is None
