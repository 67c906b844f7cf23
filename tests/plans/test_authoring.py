"""The team writes drafts, reorders actions, publishes, and starts the next draft."""
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

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


def _plan_row(db, plan_id):
    return db.session.execute(select(Plan.slug, Plan.title, Plan.summary, Plan.organisation, Plan.project,
                                     Plan.visibility).where(Plan.id == plan_id)).one()


@pytest.mark.parametrize("field, limit", [("summary", 500), ("organisation", 200), ("project", 200),
                                          ("policy_instrument", 300)])
def test_oversized_plan_fields_are_refused_and_change_nothing(client, plan, team_member, db, field, limit):
    client.login(team_member)
    before = _plan_row(db, plan.id)
    message = f"Field cannot be longer than {limit} characters."
    response = client.post("/plans/new", _plan_form(**{field: "x" * (limit + 1)}))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    response = client.post("/plans/test-plan/settings", _plan_form(slug="test-plan", title="Changed",
                                                                  **{field: "x" * (limit + 1)}))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Plan.id))) == 1
    assert _plan_row(db, plan.id) == before
    assert client.post("/plans/test-plan/settings", _plan_form(slug="test-plan", **{field: "x" * limit})) \
        .status_code == 302  # the limit itself is accepted


def test_settings_cannot_take_another_plans_address(client, plan, team_member, db):
    factories.make_plan(team_member, slug="taken-plan")
    client.login(team_member)
    before = _plan_row(db, plan.id)
    response = client.post("/plans/test-plan/settings", _plan_form(slug="taken-plan", title="Changed"))
    assert response.status_code == 409
    assert "The address “taken-plan” is already used by another plan." in response.get_data(as_text=True)
    assert _plan_row(db, plan.id) == before


def test_plan_settings_can_change_slug_and_visibility(client, plan, team_member, db):
    client.login(team_member)
    response = client.post("/plans/test-plan/settings", _plan_form(slug="renamed-plan", visibility="invite"))
    assert response.status_code == 302
    db.session.refresh(plan)
    assert plan.slug == "renamed-plan" and plan.visibility == "invite"
    assert client.get("/plans/test-plan").status_code == 404


def test_editors_name_the_preview_address_from_the_app(client, plan, team_member, stakeholder):
    """The live preview posts where the app says, so the site also works under a path prefix."""
    client.login(team_member)
    page = client.get("/plans/test-plan/draft/actions/A1").get_data(as_text=True)
    assert 'data-preview-url="/preview"' in page
    prefixed = client.get("/plans/test-plan/draft/actions/A1", base_url="http://localhost/consult")
    assert 'data-preview-url="/consult/preview"' in prefixed.get_data(as_text=True)
    script = (Path(__file__).resolve().parents[2] / "static" / "js" / "app.js").read_text()
    assert '"/preview"' not in script and 'getAttribute("data-preview-url")' in script


def test_previewing_too_often_is_a_429(app, client, team_member, monkeypatch, db):
    from consult.extensions import limiter

    monkeypatch.setitem(app.config, "RATELIMIT_PREVIEW", "3 per minute")
    limiter.reset()
    client.login(team_member)
    try:
        statuses = [client.post("/preview", {"text": f"n{n}"}).status_code for n in range(4)]
        assert statuses == [200, 200, 200, 429]
    finally:
        limiter.reset()


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


def test_a_revised_version_needs_a_change_summary_the_first_does_not(client, plan, team_member, db):
    client.login(team_member)
    response = client.post("/plans/test-plan/draft/publish", {"change_summary": "  "})
    assert response.status_code == 422 and "Say what changed since the previous version" in response.get_data(
        as_text=True)
    assert ops.current_draft(plan).number == 2  # still a draft
    factories.make_plan(team_member, slug="fresh", publish=False)
    assert client.post("/plans/fresh/draft/publish", {"change_summary": ""}).status_code == 302  # version 1


def _loaded_publish_form(client, **fields) -> dict:
    """The publish form as a browser sends it: with the hidden number of the draft it was loaded for."""
    page = client.get("/plans/test-plan/draft/publish").get_data(as_text=True)
    number = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    return {"version": number, **fields}


def test_publishing_twice_is_a_conflict(client, make_client, plan, team_member, stakeholder, smtp_server, db):
    factories.make_comment(plan, stakeholder, body="told once")
    other = make_client()
    client.login(team_member)
    other.login(team_member)
    first = _loaded_publish_form(client, change_summary="first")
    second = _loaded_publish_form(other, change_summary="second")
    assert client.post("/plans/test-plan/draft/publish", first).status_code == 302
    assert len(smtp_server) == 1
    before = _snapshot(db, plan.id)
    for session, form in ((other, second), (client, first)):  # the other session, and the same form again
        response = session.post("/plans/test-plan/draft/publish", form)
        assert response.status_code == 409
        assert "This version has already been published" in response.get_data(as_text=True)
    assert _snapshot(db, plan.id) == before
    assert ops.latest_published(plan).change_summary_md == "first"
    assert len(smtp_server) == 1  # no second round of e-mails
    with pytest.raises(Conflict):
        ops.publish_version(db.session.get(PlanVersion, ops.latest_published(plan).id), team_member, "", None, None)


def test_a_stale_publish_form_does_not_publish_the_next_draft(client, plan, team_member, db):
    client.login(team_member)
    stale = _loaded_publish_form(client, change_summary="for version 2")
    assert client.post("/plans/test-plan/draft/publish", stale).status_code == 302
    assert client.post("/plans/test-plan/draft/start").status_code == 302
    response = client.post("/plans/test-plan/draft/publish", stale)
    assert response.status_code == 409
    assert ops.current_draft(plan).number == 3


def test_publishing_at_the_same_moment_publishes_once(client, plan, team_member, smtp_server, monkeypatch, db):
    """Both requests loaded the draft; the other one commits its publish before this one writes."""
    from consult.plans import queries

    original = queries.load_version

    def load_then_lose_the_race(plan_, number):
        version = original(plan_, number)
        db.session.connection().execute(
            update(PlanVersion.__table__).where(PlanVersion.__table__.c.id == version.id).values(
                status="published", published_at=datetime(2030, 1, 1, tzinfo=UTC), change_summary_md="the other one"))
        return version

    client.login(team_member)
    form = _loaded_publish_form(client, change_summary="this one")
    monkeypatch.setattr(queries, "load_version", load_then_lose_the_race)
    response = client.post("/plans/test-plan/draft/publish", form)
    assert response.status_code == 409
    assert "This version has already been published" in response.get_data(as_text=True)
    monkeypatch.undo()
    v2 = db.session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == 2))
    assert v2.is_draft and v2.change_summary_md == ""  # the losing request rolled back
    assert smtp_server == []


def test_publish_refuses_a_version_published_underneath_it(plan, team_member, db):
    draft = ops.current_draft(plan)  # loaded while still a draft …
    db.session.connection().execute(  # … then published by someone else, behind this session's back
        update(PlanVersion.__table__).where(PlanVersion.__table__.c.id == draft.id).values(
            status="published", published_at=datetime(2030, 1, 1, tzinfo=UTC), change_summary_md="theirs"))
    assert draft.is_draft
    with pytest.raises(Conflict):
        ops.publish_version(draft, team_member, "mine", None, None)
    assert db.session.scalar(select(PlanVersion.change_summary_md).where(PlanVersion.id == draft.id)) == "theirs"
    db.session.rollback()


def test_oversized_general_part_and_change_summary_change_nothing(client, plan, team_member, db):
    client.login(team_member)
    before = _snapshot(db, plan.id)
    message = "Field cannot be longer than 20000 characters."
    for field in ("summary", "policy_context"):
        response = client.post("/plans/test-plan/draft/general",
                               {"summary": "s", "policy_context": "p", field: "x" * 20_001})
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    response = client.post("/plans/test-plan/draft/publish", {"change_summary": "x" * 20_001})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert _snapshot(db, plan.id) == before
    assert ops.current_draft(plan).is_draft


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


def test_a_window_closing_in_the_past_is_refused_but_one_opening_in_the_past_is_fine(client, plan, team_member,
                                                                                     db):
    client.login(team_member)
    before = _snapshot(db, plan.id)
    response = client.post("/plans/test-plan/draft/publish", {
        "change_summary": "x", "opens_at": "2020-03-01T09:00", "closes_at": "2020-03-31T18:00"})
    assert response.status_code == 422
    assert "The consultation cannot close in the past." in response.get_data(as_text=True)
    assert _snapshot(db, plan.id) == before
    with pytest.raises(Invalid):
        ops.publish_version(ops.current_draft(plan), team_member, "x", None,
                            datetime(2020, 3, 31, 15, 0, tzinfo=UTC))
    db.session.rollback()
    assert _snapshot(db, plan.id) == before
    response = client.post("/plans/test-plan/draft/publish", {
        "change_summary": "x", "opens_at": "2020-03-01T09:00", "closes_at": "2031-03-31T18:00"})
    assert response.status_code == 302
    assert db.session.scalar(select(PlanVersion.status).where(
        PlanVersion.plan_id == plan.id, PlanVersion.number == 2)) == "published"


@pytest.mark.parametrize("field", ["opens_at", "closes_at"])
def test_a_time_skipped_by_the_clock_change_is_refused(client, plan, team_member, db, field):
    client.login(team_member)
    before = _snapshot(db, plan.id)
    window = {"opens_at": "2031-03-29T09:00", "closes_at": "2031-04-30T18:00"}
    window[field] = "2031-03-30T03:30"  # Bucharest jumps from 03:00 to 04:00 that night
    response = client.post("/plans/test-plan/draft/publish", {"change_summary": "x", **window})
    assert response.status_code == 422
    assert "This time does not exist in Europe/Bucharest (clocks change)." in response.get_data(as_text=True)
    assert _snapshot(db, plan.id) == before


def test_local_times_around_the_clock_changes():
    from consult.core.time import NonexistentTime, local_to_utc

    with pytest.raises(NonexistentTime):
        local_to_utc(datetime(2031, 3, 30, 3, 30), "Europe/Bucharest")
    assert local_to_utc(datetime(2031, 3, 30, 2, 59), "Europe/Bucharest") == datetime(2031, 3, 30, 0, 59, tzinfo=UTC)
    assert local_to_utc(datetime(2031, 3, 30, 4, 0), "Europe/Bucharest") == datetime(2031, 3, 30, 1, 0, tzinfo=UTC)
    # 03:30 happens twice when the clocks go back: the first one (summer time, UTC+3) is taken
    assert local_to_utc(datetime(2031, 10, 26, 3, 30), "Europe/Bucharest") == \
        datetime(2031, 10, 26, 0, 30, tzinfo=UTC)


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


def test_two_plans_created_with_one_address_at_once(client, plan, team_member, monkeypatch, db):
    """Both requests checked the address before either committed: the second one breaks the unique slug."""
    monkeypatch.setattr(ops, "slug_taken", lambda slug, **kwargs: False)
    client.login(team_member)
    response = client.post("/plans/new", _plan_form(slug="test-plan"))
    assert response.status_code == 409
    assert "Someone else made a clashing change at the same moment" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 1


def test_two_next_drafts_started_at_once(client, plan, team_member, monkeypatch, db):
    """Both requests saw no draft: the second one breaks "one draft per plan"."""
    client.login(team_member)
    client.post("/plans/test-plan/draft/publish", {"change_summary": "v2"})
    assert client.post("/plans/test-plan/draft/start").status_code == 302
    before = _snapshot(db, plan.id)
    monkeypatch.setattr(ops, "current_draft", lambda plan_: None)
    monkeypatch.setattr(ops, "latest_published", lambda plan_: db.session.scalar(
        select(PlanVersion).where(PlanVersion.plan_id == plan_.id, PlanVersion.number == 1)))
    response = client.post("/plans/test-plan/draft/start")
    assert response.status_code == 409
    assert "Someone else made a clashing change at the same moment" in response.get_data(as_text=True)
    monkeypatch.undo()
    assert _snapshot(db, plan.id) == before
