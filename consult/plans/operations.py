"""Plan operations: create plans, edit drafts, publish, start the next draft. They flush, never commit."""
from datetime import datetime

from flask_babel import gettext as _

from consult.accounts.models import ROLE_TEAM, Membership, User
from consult.accounts.operations import add_default_groups
from consult.core.errors import Conflict, Invalid
from consult.core.models import utcnow
from consult.core.rendering import clean_source, render_markdown
from consult.extensions import db
from consult.plans.models import (
    ACTION_FIELDS,
    GENERAL_FIELDS,
    STATUS_DRAFT,
    STATUS_PUBLISHED,
    Action,
    ActionRevision,
    Plan,
    PlanVersion,
)

PLAN_ATTRIBUTES = ("title", "summary", "organisation", "project", "policy_instrument", "language",
                   "timezone", "visibility", "premoderation")


def slug_taken(slug: str, *, except_plan_id: int | None = None) -> bool:
    query = db.select(Plan.id).where(Plan.slug == slug)
    if except_plan_id is not None:
        query = query.where(Plan.id != except_plan_id)
    return db.session.scalar(query) is not None


def create_plan(creator: User, slug: str, **attributes) -> Plan:
    """A new plan with its creator on the team, the default stakeholder groups and an empty draft."""
    if slug_taken(slug):
        raise Conflict(_("The address “%(slug)s” is already used by another plan.", slug=slug))
    plan = Plan(slug=slug, created_by_id=creator.id, **{k: attributes[k] for k in PLAN_ATTRIBUTES if k in attributes})
    db.session.add(plan)
    db.session.flush()
    db.session.add(Membership(plan_id=plan.id, user_id=creator.id, role=ROLE_TEAM))
    add_default_groups(plan.id)
    db.session.add(PlanVersion(plan_id=plan.id, number=1, status=STATUS_DRAFT, created_by_id=creator.id))
    db.session.flush()
    return plan


def update_plan(plan: Plan, slug: str, **attributes) -> None:
    if slug != plan.slug and slug_taken(slug, except_plan_id=plan.id):
        raise Conflict(_("The address “%(slug)s” is already used by another plan.", slug=slug))
    plan.slug = slug
    for name in PLAN_ATTRIBUTES:
        if name in attributes:
            setattr(plan, name, attributes[name])
    db.session.flush()


def _require_draft(version: PlanVersion) -> None:
    if not version.is_draft:
        raise Conflict(_("Version %(number)s is published and can no longer be changed.", number=version.number))


def prepare_markdown(source: str | None) -> tuple[str, str]:
    """A text as stored (line endings normalised, NUL characters dropped) and its sanitised HTML.
    Pure: call it before the write transaction begins, so SQLite's write lock is held for the write only."""
    source = clean_source(source)
    return source, render_markdown(source)


def _set_markdown(target, name: str, source: str) -> None:
    markdown, html = prepare_markdown(source)
    setattr(target, f"{name}_md", markdown)
    setattr(target, f"{name}_html", html)


def update_general_part(version: PlanVersion, **fields: str) -> None:
    """Save the draft's general part (summary, policy context)."""
    _require_draft(version)
    for name in GENERAL_FIELDS:
        if name in fields:
            _set_markdown(version, name, fields[name])
    db.session.flush()


def _next_action(plan: Plan) -> Action:
    number = db.session.scalar(
        db.select(db.func.coalesce(db.func.max(Action.number), 0)).where(Action.plan_id == plan.id)) + 1
    action = Action(plan_id=plan.id, number=number, key=f"A{number}")
    db.session.add(action)
    db.session.flush()
    return action


def add_action(version: PlanVersion, title: str, **fields: str) -> ActionRevision:
    """A new action (next free key) at the end of the draft."""
    _require_draft(version)
    action = _next_action(version.plan)
    position = db.session.scalar(db.select(db.func.coalesce(db.func.max(ActionRevision.position), 0)).where(
        ActionRevision.version_id == version.id)) + 1
    revision = ActionRevision(version_id=version.id, action_id=action.id, position=position, title=title.strip())
    for name in ACTION_FIELDS:
        _set_markdown(revision, name, fields.get(name, ""))
    db.session.add(revision)
    db.session.flush()
    return revision


def update_action(revision: ActionRevision, title: str, **fields: str) -> None:
    _require_draft(revision.version)
    revision.title = title.strip()
    for name in ACTION_FIELDS:
        if name in fields:
            _set_markdown(revision, name, fields[name])
    db.session.flush()


def _renumber(version: PlanVersion) -> None:
    for position, revision in enumerate(sorted(version.revisions, key=lambda r: r.position), start=1):
        revision.position = position


def remove_action(revision: ActionRevision) -> None:
    """Take the action out of this draft; its key stays reserved for it."""
    version = revision.version
    _require_draft(version)
    version.revisions.remove(revision)
    db.session.delete(revision)
    db.session.flush()
    _renumber(version)
    db.session.flush()


def move_action(revision: ActionRevision, offset: int) -> None:
    """Move an action up (offset -1) or down (+1) in the draft's order."""
    version = revision.version
    _require_draft(version)
    ordered = sorted(version.revisions, key=lambda r: r.position)
    index = ordered.index(revision)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(ordered):
        raise Invalid(_("This action cannot move further in that direction."))
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    db.session.flush()


def publish_version(version: PlanVersion, user: User, change_summary: str,
                    opens_at: datetime | None, closes_at: datetime | None, *, now: datetime | None = None,
                    prepared: tuple[str, str] | None = None) -> None:
    """Freeze the draft: it becomes the plan's latest published version.

    The status changes in one conditional UPDATE (… WHERE status = 'draft'), so of two people
    publishing the same draft at once exactly one succeeds; the other gets a Conflict and
    nothing of theirs is written (their change summary does not overwrite the first).
    `prepared` is `prepare_markdown(change_summary)` computed ahead, outside the transaction.
    """
    require_publishable(version)
    if not version.revisions:
        raise Invalid(_("A version needs at least one action before it can be published."))
    if opens_at and closes_at and closes_at <= opens_at:
        raise Invalid(_("The consultation must close after it opens."))
    if closes_at and closes_at <= (now or utcnow()):
        raise Invalid(_("The consultation cannot close in the past."))
    summary_md, summary_html = prepared or prepare_markdown(change_summary)
    result = db.session.execute(
        db.update(PlanVersion)
        .where(PlanVersion.id == version.id, PlanVersion.status == STATUS_DRAFT)
        .values(status=STATUS_PUBLISHED, published_at=now or utcnow(), published_by_id=user.id,
                opens_at=opens_at, closes_at=closes_at,
                change_summary_md=summary_md, change_summary_html=summary_html)
        .execution_options(synchronize_session="fetch"))
    if result.rowcount != 1:
        raise Conflict(_("This version has already been published."))


def require_publishable(version: PlanVersion) -> None:
    """A version still to publish: a published one (a second publish, a stale form) is a Conflict."""
    if not version.is_draft:
        raise Conflict(_("This version has already been published."))


def latest_published(plan: Plan) -> PlanVersion | None:
    return db.session.scalar(db.select(PlanVersion).where(
        PlanVersion.plan_id == plan.id, PlanVersion.status == STATUS_PUBLISHED).order_by(
        PlanVersion.number.desc()).limit(1))


def current_draft(plan: Plan) -> PlanVersion | None:
    return db.session.scalar(db.select(PlanVersion).where(
        PlanVersion.plan_id == plan.id, PlanVersion.status == STATUS_DRAFT))


def start_draft(plan: Plan, user: User) -> PlanVersion:
    """The next draft, a copy of the latest published version (text and stored HTML)."""
    if current_draft(plan) is not None:
        raise Conflict(_("This plan already has a draft; finish or publish it first."))
    source = latest_published(plan)
    if source is None:
        raise Conflict(_("There is no published version to start from."))
    draft = PlanVersion(plan_id=plan.id, number=source.number + 1, status=STATUS_DRAFT,
                        created_by_id=user.id, based_on_id=source.id)
    for name in GENERAL_FIELDS:
        setattr(draft, f"{name}_md", getattr(source, f"{name}_md"))
        setattr(draft, f"{name}_html", getattr(source, f"{name}_html"))
    db.session.add(draft)
    db.session.flush()
    for revision in source.revisions:
        copy = ActionRevision(version_id=draft.id, action_id=revision.action_id, position=revision.position,
                              title=revision.title)
        for name in ACTION_FIELDS:
            setattr(copy, f"{name}_md", getattr(revision, f"{name}_md"))
            setattr(copy, f"{name}_html", getattr(revision, f"{name}_html"))
        db.session.add(copy)
    db.session.flush()
    return draft


def discard_draft(version: PlanVersion) -> None:
    """Throw away a later draft; the plan's first draft is its only text, so it stays."""
    _require_draft(version)
    if version.number == 1:
        raise Conflict(_("The first draft of a plan cannot be discarded."))
    db.session.delete(version)
    db.session.flush()


def toggle_follow(plan: Plan, user: User) -> bool:
    """Follow the plan, or stop following it; returns whether the user follows it now."""
    from consult.plans.models import PlanFollow

    existing = db.session.scalar(db.select(PlanFollow).where(PlanFollow.plan_id == plan.id,
                                                             PlanFollow.user_id == user.id))
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
        return False
    db.session.add(PlanFollow(plan_id=plan.id, user_id=user.id))
    db.session.flush()
    return True
