"""Factory functions that build realistic objects through the real operations."""
from datetime import timedelta

from consult.accounts.models import ROLE_MODERATOR, ROLE_STAKEHOLDER
from consult.accounts.operations import add_member, create_user
from consult.core.models import utcnow
from consult.extensions import db
from consult.plans import operations as ops

PASSWORD = "correct horse battery"


def make_user(email, name, *, password=PASSWORD, is_admin=False):
    user = create_user(email, name, password, is_admin=is_admin)
    db.session.commit()
    return user


def action_fields(n: int) -> dict:
    return {
        "title": f"Action number {n}",
        "background": f"Lessons learnt for action {n}.",
        "description": f"Do **thing {n}** in the city.\n\n- step one\n- step two",
        "players": "The municipality; local SMEs.",
        "timeframe": "01.08.2021 – 31.07.2022",
        "costs": "10,000 EUR",
        "funding": "Municipal budget",
    }


def make_plan(team, *, slug="test-plan", moderator=None, stakeholder=None, actions=2, visibility="public",
              publish=True, next_draft=True, window_open=True):
    """A plan whose version 1 is published with `actions` actions; version 2 a draft copy."""
    plan = ops.create_plan(team, slug, title=f"Plan {slug}", summary="A test plan.", organisation="Town hall",
                           project="ECoC-SME", policy_instrument="SIDU", language="en",
                           timezone="Europe/Bucharest", visibility=visibility)
    groups = {g.name: g.id for g in plan.groups}
    if moderator is not None:
        add_member(plan.id, moderator, ROLE_MODERATOR, None)
    if stakeholder is not None:
        add_member(plan.id, stakeholder, ROLE_STAKEHOLDER, groups.get("Citizen"))
    draft = ops.current_draft(plan)
    ops.update_general_part(draft, summary="The plan's *summary*.", policy_context="The SIDU strategy.")
    for n in range(1, actions + 1):
        ops.add_action(draft, **action_fields(n))
    if publish:
        now = utcnow()
        opens, closes = (now - timedelta(days=1), now + timedelta(days=30)) if window_open else (None, None)
        ops.publish_version(draft, team, "First version.", opens, closes)
        if next_draft:
            ops.start_draft(plan, team)
    db.session.commit()
    return plan


def make_comment(plan, author, *, number=1, key="A1", body="A comment.", stance="support", parent=None,
                 commit=True):
    """A comment through the real operation (window and permission checks included)."""
    from consult.comments.operations import post_comment
    from consult.plans.models import Action, ActionRevision, PlanVersion

    version = db.session.scalar(db.select(PlanVersion).where(PlanVersion.plan_id == plan.id,
                                                             PlanVersion.number == number))
    revision = db.session.scalar(db.select(ActionRevision).join(Action).where(
        ActionRevision.version_id == version.id, Action.key == key))
    comment = post_comment(plan, version, revision, author, body, None if parent else stance, parent)
    if commit:
        db.session.commit()
    return comment
