"""The demo consultation: built from the seeds' public facts, loaded once."""
from sqlalchemy import func, select

from consult.accounts.models import Membership, User
from consult.demo import DEMO_SLUG, seed_demo
from consult.plans import operations as ops
from consult.plans.models import Action, ActionRevision, Plan, PlanVersion


def _counts(db):
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (User, Plan, PlanVersion, Action, ActionRevision, Membership))


def test_demo_loads_the_timisoara_plan_with_two_published_versions(db):
    report = seed_demo()
    db.session.commit()
    assert "team-demo-2021" in report  # people are printed with their passwords
    plan = db.session.scalar(select(Plan).where(Plan.slug == DEMO_SLUG))
    assert plan.title == "ECoC-SME action plan — Timișoara"
    assert "Timișoara Growth Pole" in plan.policy_instrument
    v1, v2 = plan.versions
    assert v1.is_published and v2.is_published
    assert [r.key for r in v1.revisions] == ["A1", "A2"]
    assert [r.key for r in v2.revisions] == ["A1", "A2", "A3"]
    assert v1.revisions[0].description_md == v2.revisions[0].description_md  # A1 kept
    assert v1.revisions[1].title != v2.revisions[1].title  # A2 rewritten
    assert v2.window_state() == "open" and v1.window_state() == "closed"
    assert (v2.closes_at - v2.published_at).days > 60
    roles = {m.role for m in plan.memberships}
    assert roles == {"team", "moderator", "stakeholder"}
    assert all(m.group_id for m in plan.memberships if m.role == "stakeholder")
    assert ops.current_draft(plan) is None


def test_running_the_demo_twice_changes_nothing(db):
    seed_demo()
    db.session.commit()
    before = _counts(db)
    report = seed_demo()
    db.session.commit()
    assert "nothing changed" in report
    assert _counts(db) == before


def test_if_empty_leaves_a_database_with_plans_alone(db, plan):
    before = _counts(db)
    assert "not loaded" in seed_demo(only_if_empty=True)
    assert _counts(db) == before


def test_seed_demo_command(app, db):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "ioana.marinescu@consult.example" in result.output


def test_demo_plan_reads_well(client, db):
    seed_demo()
    db.session.commit()
    page = client.get(f"/plans/{DEMO_SLUG}").get_data(as_text=True)
    assert "Cross-sector innovation vouchers" in page and "Resilience support" in page
    assert "What changed in this version" in page


def test_demo_has_a_consultation_to_look_at(client, db):
    from consult.comments.models import Comment
    from consult.moderation.models import PublishedReport, Response

    seed_demo()
    db.session.commit()
    plan = db.session.scalar(select(Plan).where(Plan.slug == DEMO_SLUG))
    v1, v2 = plan.versions
    assert db.session.scalar(select(func.count()).select_from(Comment).where(Comment.version_id == v1.id)) == 8
    assert db.session.scalar(select(func.count()).select_from(Comment).where(Comment.version_id == v2.id)) == 2
    assert db.session.scalar(select(func.count()).select_from(Comment).where(Comment.source == "meeting")) == 1
    addressed = db.session.scalars(select(Response).where(Response.addressed_in_id == v2.id)).all()
    assert len(addressed) == 3
    assert db.session.scalar(select(PublishedReport.version_id)) == v1.id
    page = client.get(f"/plans/{DEMO_SLUG}/versions/1/actions/A2").get_data(as_text=True)
    assert "Matchmaking events alone rarely lead to contracts" in page and "addressed in version 2" in page
    assert client.get(f"/plans/{DEMO_SLUG}/versions/1/report").status_code == 200


def test_loading_the_demo_emails_nobody(db, smtp_server):
    """The demo records answers that would notify their authors; its people are invented."""
    seed_demo()
    db.session.commit()
    assert smtp_server == []
