"""The team writes drafts, reorders actions, publishes, and starts the next draft."""
from datetime import datetime

import pytest
from sqlalchemy import func, select

from consult.core.errors import Conflict, Invalid
from consult.plans import operations as ops
from consult.plans.models import Action, ActionRevision, ImmutableVersionError, Plan, PlanVersion
from tests import factories


def _snapshot(db, plan_id):
    """Everything a failed request must leave as it was."""
    versions = db.session.execute(select(PlanVersion.number, PlanVersion.status, PlanVersion.summary_md,
                                         PlanVersion.change_summary_md)
                                  .where(PlanVersion.plan_id == plan_id).order_by(PlanVersion.number)).all()
    revisions = db.session.execute(select(ActionRevision.version_id, ActionRevision.action_id,
                                          ActionRevision.position, ActionRevision.title,
                                          ActionRevision.description_md)
                                   .join(PlanVersion).where(PlanVersion.plan_id == plan_id)
                                   .order_by(ActionRevision.id)).all()
    return versions, revisions


def _action_form(**overrides):
    data = factories.action_fields(9)
    data.update(overrides)
    return data


def _plan_form(**overrides):
    data = {"title": "Kaunas action plan", "slug": "kaunas-plan", "summary": "Short.", "organisation": "Kaunas",
            "project": "ECoC-SME", "policy_instrument": "Kaunas 2030", "language": "en",
            "timezone": "Europe/Vilnius", "visibility": "public"}
    data.update(overrides)
    return data


# -- creating a plan ----------------------------------------------------------------------

def test_team_member_creates_a_plan_and_joins_its_team(client, plan, team_member, db):
    client.login(team_member)
    response = client.post("/plans/new", _plan_form())
    assert response.status_code == 302
    created = db.session.scalar(select(Plan).where(Plan.slug == "kaunas-plan"))
    assert created.timezone == "Europe/Vilnius"
    assert created.role_of(team_member) == "team"
    assert [v.number for v in created.versions] == [1] and created.versions[0].is_draft
    assert len(created.groups) == 10  # the default stakeholder groups


def test_a_stakeholder_cannot_start_a_plan(client, plan, stakeholder, db):
    client.login(stakeholder)
    assert client.get("/plans/new").status_code == 403
    assert client.post("/plans/new", _plan_form()).status_code == 403
    assert db.session.scalar(select(Plan).where(Plan.slug == "kaunas-plan")) is None


def test_slug_clash_is_refused_with_a_message(client, plan, team_member, db):
    client.login(team_member)
    response = client.post("/plans/new", _plan_form(slug="test-plan"))
    assert response.status_code == 409
    assert "already used by another plan" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Plan.id))) == 1


@pytest.mark.parametrize("field, value, message", [
    ("title", "", "This field is required."),
    ("title", "x" * 201, "Field cannot be longer than 200 characters."),
    ("slug", "Bad Slug!", "Use lower-case letters"),
    ("slug", "ab", "Field must be between 3 and 80 characters long."),
    ("slug", "new", "This address is reserved"),
    ("timezone", "Mars/Olympus", "Not a valid choice."),
    ("visibility", "secret", "Not a valid choice."),
    ("language", "xx", "Not a valid choice."),
])
def test_bad_plan_fields_are_refused(client, plan, team_member, db, field, value, message):
    client.login(team_member)
    response = client.post("/plans/new", _plan_form(**{field: value}))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Plan.id))) == 1


def test_plan_settings_can_change_slug_and_visibility(client, plan, team_member, db):
    client.login(team_member)
    response = client.post("/plans/test-plan/settings", _plan_form(slug="renamed-plan", visibility="invite"))
    assert response.status_code == 302
    db.session.refresh(plan)
    assert plan.slug == "renamed-plan" and plan.visibility == "invite"
    assert client.get("/plans/test-plan").status_code == 404


# -- the draft ----------------------------------------------------------------------------

def test_team_edits_the_general_part(client, plan, team_member, db):
    client.login(team_member)
    response = client.post("/plans/test-plan/draft/general",
                           {"summary": "New **summary**", "policy_context": "SIDU", "submit": "1"})
    assert response.status_code == 302
    draft = ops.current_draft(plan)
    db.session.refresh(draft)
    assert draft.summary_md == "New **summary**"
    assert draft.summary_html == "<p>New <strong>summary</strong></p>"


def test_preview_shows_rendered_markdown_without_saving(client, plan, team_member, db):
    client.login(team_member)
    before = _snapshot(db, plan.id)
    response = client.post("/plans/test-plan/draft/actions/A1",
                           _action_form(description="A *preview* <script>x</script>", preview="1"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A <em>preview</em> &lt;script&gt;x&lt;/script&gt;" in page
    assert _snapshot(db, plan.id) == before


def test_preview_endpoint_renders_with_the_one_function(client, team_member, db):
    client.login(team_member)
    response = client.post("/preview", {"text": "**hi** [x](javascript:alert(1))"})
    assert response.status_code == 200
    assert response.json["html"] == "<p><strong>hi</strong> <a>x</a></p>"
    assert client.post("/preview", {"text": "x" * 20_001}).status_code == 413


def test_team_adds_an_action_with_the_next_key(client, plan, team_member, db):
    client.login(team_member)
    response = client.post("/plans/test-plan/draft/actions/new", _action_form(title="Vouchers", submit="1"))
    assert response.status_code == 302
    draft = ops.current_draft(plan)
    db.session.refresh(draft)
    assert [(r.key, r.position) for r in draft.revisions] == [("A1", 1), ("A2", 2), ("A3", 3)]
    assert draft.revisions[-1].title == "Vouchers"


def test_removed_action_keys_are_never_reused(client, plan, team_member, db):
    client.login(team_member)
    assert client.post("/plans/test-plan/draft/actions/A2/remove").status_code == 302
    client.post("/plans/test-plan/draft/actions/new", _action_form(title="Replacement"))
    draft = ops.current_draft(plan)
    db.session.refresh(draft)
    assert [r.key for r in draft.revisions] == ["A1", "A3"]
    # the published version still has A2
    v1 = db.session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == 1))
    assert [r.key for r in v1.revisions] == ["A1", "A2"]


def test_team_reorders_actions(client, plan, team_member, db):
    client.login(team_member)
    assert client.post("/plans/test-plan/draft/actions/A2/move", {"direction": "up"}).status_code == 302
    draft = ops.current_draft(plan)
    db.session.refresh(draft)
    assert [r.key for r in draft.revisions] == ["A2", "A1"]
    response = client.post("/plans/test-plan/draft/actions/A2/move", {"direction": "up"})
    assert response.status_code == 422
    assert client.post("/plans/test-plan/draft/actions/A2/move", {"direction": "sideways"}).status_code == 400
    db.session.refresh(draft)
    assert [r.key for r in draft.revisions] == ["A2", "A1"]


@pytest.mark.parametrize("overrides, message", [
    ({"title": ""}, "This field is required."),
    ({"title": "t" * 201}, "Field cannot be longer than 200 characters."),
    ({"description": "d" * 20_001}, "Field cannot be longer than 20000 characters."),
])
def test_bad_action_input_changes_nothing(client, plan, team_member, db, overrides, message):
    client.login(team_member)
    before = _snapshot(db, plan.id)
    response = client.post("/plans/test-plan/draft/actions/A1", _action_form(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _snapshot(db, plan.id) == before


def test_publishing_freezes_the_draft_and_keeps_the_window(client, plan, team_member, db):
    client.login(team_member)
    response = client.post("/plans/test-plan/draft/publish", {
        "change_summary": "Reworded A1.", "opens_at": "2031-03-01T09:00", "closes_at": "2031-03-31T18:00"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/plans/test-plan/versions/2")
    v2 = db.session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == 2))
    assert v2.is_published and v2.published_by_id == team_member.id
    # 09:00 in Bucharest (UTC+2 in March before DST) is 07:00 UTC
    assert v2.opens_at.replace(tzinfo=None) == datetime(2031, 3, 1, 7, 0)
    assert v2.closes_at.replace(tzinfo=None) == datetime(2031, 3, 31, 15, 0)  # UTC+3 after DST
    assert v2.change_summary_html == "<p>Reworded A1.</p>"


def test_publishing_twice_is_a_conflict(client, plan, team_member, db):
    client.login(team_member)
    assert client.post("/plans/test-plan/draft/publish", {"change_summary": "x"}).status_code == 302
    before = _snapshot(db, plan.id)
    response = client.post("/plans/test-plan/draft/publish", {"change_summary": "again"})
    assert response.status_code == 404  # there is no draft left to publish
    assert "no draft" in response.get_data(as_text=True)
    assert _snapshot(db, plan.id) == before
    with pytest.raises(Conflict):
        ops.publish_version(db.session.get(PlanVersion, ops.latest_published(plan).id), team_member, "", None, None)


def test_window_must_close_after_it_opens(client, plan, team_member, db):
    client.login(team_member)
    before = _snapshot(db, plan.id)
    response = client.post("/plans/test-plan/draft/publish", {
        "change_summary": "x", "opens_at": "2031-03-01T09:00", "closes_at": "2031-02-01T09:00"})
    assert response.status_code == 422
    assert "must close after it opens" in response.get_data(as_text=True)
    response = client.post("/plans/test-plan/draft/publish", {"opens_at": "not a date"})
    assert response.status_code == 422
    assert _snapshot(db, plan.id) == before


def test_an_empty_draft_cannot_be_published(client, team_member, db):
    factories.make_plan(team_member, slug="empty", actions=0, publish=False)
    client.login(team_member)
    response = client.post("/plans/empty/draft/publish", {"change_summary": ""})
    assert response.status_code == 422
    assert "at least one action" in response.get_data(as_text=True)


def test_published_versions_cannot_be_edited(client, plan, team_member, db):
    client.login(team_member)
    client.post("/plans/test-plan/draft/publish", {"change_summary": "v2"})
    before = _snapshot(db, plan.id)
    # every editing URL now answers "no draft"
    assert client.post("/plans/test-plan/draft/actions/A1", _action_form()).status_code == 404
    assert client.post("/plans/test-plan/draft/general", {"summary": "x"}).status_code == 404
    assert _snapshot(db, plan.id) == before
    # the operations refuse as well
    v2 = ops.latest_published(plan)
    with pytest.raises(Conflict):
        ops.update_action(v2.revisions[0], "Changed")
    with pytest.raises(Conflict):
        ops.update_general_part(v2, summary="Changed")
    with pytest.raises(Conflict):
        ops.add_action(v2, "New")
    db.session.rollback()


def test_the_database_guard_refuses_changes_to_published_text(plan, db):
    v1 = ops.latest_published(plan)
    v1.revisions[0].description_md = "sneaky"
    with pytest.raises(ImmutableVersionError):
        db.session.flush()
    db.session.rollback()
    v1 = ops.latest_published(plan)
    v1.summary_md = "sneaky"
    with pytest.raises(ImmutableVersionError):
        db.session.flush()
    db.session.rollback()


def test_next_draft_is_a_copy_of_the_latest_published_version(client, plan, team_member, db):
    client.login(team_member)
    client.post("/plans/test-plan/draft/publish", {"change_summary": "v2"})
    assert client.post("/plans/test-plan/draft/start").status_code == 302
    v2, v3 = (db.session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == n))
              for n in (2, 3))
    assert v3.is_draft and v3.based_on_id == v2.id
    assert [(r.action_id, r.position, r.title, r.description_html) for r in v3.revisions] == \
        [(r.action_id, r.position, r.title, r.description_html) for r in v2.revisions]
    assert v3.summary_html == v2.summary_html
    # a second draft is a conflict
    response = client.post("/plans/test-plan/draft/start")
    assert response.status_code == 409
    assert "already has a draft" in response.get_data(as_text=True)


def test_action_identity_is_stable_across_versions(plan, team_member, db):
    v2 = ops.current_draft(plan)
    ops.move_action(v2.revisions[1], -1)
    ops.publish_version(v2, team_member, "", None, None)
    db.session.commit()
    keys = db.session.execute(select(Action.key, Action.id).where(Action.plan_id == plan.id)).all()
    assert sorted(k for k, _ in keys) == ["A1", "A2"]
    v1 = db.session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == 1))
    assert {r.key: r.action_id for r in v1.revisions} == {r.key: r.action_id for r in v2.revisions}


def test_discarding_a_later_draft(client, plan, team_member, db):
    client.login(team_member)
    assert client.post("/plans/test-plan/draft/discard").status_code == 302
    assert ops.current_draft(plan) is None
    assert client.get("/plans/test-plan/draft").status_code == 200  # offers to start one
    assert client.post("/plans/test-plan/draft/discard").status_code == 404


def test_first_draft_cannot_be_discarded(team_member, db):
    plan = factories.make_plan(team_member, slug="first", publish=False)
    with pytest.raises(Conflict):
        ops.discard_draft(ops.current_draft(plan))


def test_move_refuses_unknown_offsets(plan, db):
    draft = ops.current_draft(plan)
    with pytest.raises(Invalid):
        ops.move_action(draft.revisions[0], 5)
