"""Read-side queries and loaders for plans: each answers 404 before any 403."""
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from consult.accounts.models import Membership
from consult.extensions import db, login_manager
from consult.plans.models import (
    STATUS_PUBLISHED,
    VISIBILITY_PUBLIC,
    Action,
    ActionRevision,
    Plan,
    PlanFollow,
    PlanVersion,
)


def require_login():
    """Send an anonymous visitor to the login page (after 404 checks have passed)."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())


def load_plan(slug: str, *, author: bool = False, moderate: bool = False) -> Plan:
    """The plan at `slug` if the current user may see it (404 otherwise), checked for a role (403).

    A route that also loads a child object (a version, an action, a membership …) loads the
    plan without a role, then the child (404), and only then calls `authorise`."""
    plan = db.session.scalar(db.select(Plan).where(Plan.slug == slug))
    if plan is None or not plan.can_view(current_user):
        abort(404)
    authorise(plan, author=author, moderate=moderate)
    return plan


def authorise(plan: Plan, *, author: bool = False, moderate: bool = False) -> None:
    """Log-in, then 403, for the plan's team (`author`) or its moderators and team (`moderate`)."""
    if author or moderate:
        require_login()
        allowed = plan.can_author(current_user) if author else plan.can_moderate(current_user)
        if not allowed:
            abort(403)


def load_version(plan: Plan, number: int) -> PlanVersion:
    return load_versions(plan, number)[0]


def load_versions(plan: Plan, *numbers: int, user=None, explain: bool = False) -> list[PlanVersion]:
    """The plan's versions with these numbers, in that order: 404 if any is missing, then 403
    for a draft the user may not see (one query for all of them).

    `user` is the reader (the logged-in one unless given: the API passes its token's); with
    `explain` the 404 names the missing version and the 403 says why (the API's JSON errors)."""
    found = {v.number: v for v in db.session.scalars(db.select(PlanVersion).where(
        PlanVersion.plan_id == plan.id, PlanVersion.number.in_(numbers)))}
    missing = next((number for number in numbers if number not in found), None)
    if missing is not None:
        abort(404, _("This plan has no version %(number)s.", number=missing) if explain else None)
    versions = [found[number] for number in numbers]
    user = current_user if user is None else user
    if not all(plan.can_view_version(version, user) for version in versions):
        abort(403, _("Drafts are visible to the plan's team only.") if explain else None)
    return versions


def load_publishable_draft(plan: Plan, number: int | None) -> PlanVersion:
    """The draft a publish form is for: the version it names once sent (404, 403 for a draft the user
    may not see, then a Conflict if it is published already: sent twice, or published by someone
    else meanwhile, it is not the next draft published by mistake), else the plan's current draft
    (404, with a hint for the team, when there is none). Then 403 for anyone not on the team."""
    from consult.plans.operations import current_draft, require_publishable

    draft = load_version(plan, number) if number else current_draft(plan)
    if draft is None:
        abort(404, _("This plan has no draft at the moment. Start one from the latest published version.")
              if plan.can_author(current_user) else None)
    authorise(plan, author=True)
    if number:
        require_publishable(draft)
    return draft


def load_version_among(plan: Plan, number: int) -> tuple[PlanVersion, list[PlanVersion]]:
    """The version numbered `number` (404, then 403 for a draft the user may not see), with all
    of the plan's versions, newest first, from the same query (they feed the version list)."""
    versions = plan_versions(plan, include_drafts=True)
    version = next((v for v in versions if v.number == number), None)
    if version is None:
        abort(404)
    if not plan.can_view_version(version, current_user):
        abort(403)
    return version, versions


def load_revision(version: PlanVersion, key: str) -> ActionRevision:
    revision = db.session.scalar(db.select(ActionRevision).join(Action).where(
        ActionRevision.version_id == version.id, Action.key == key))
    if revision is None:
        abort(404)
    return revision


def version_revisions(version: PlanVersion) -> list[ActionRevision]:
    """All of a version's actions in order, with their identities, in one query."""
    return list(db.session.scalars(db.select(ActionRevision).where(
        ActionRevision.version_id == version.id).order_by(ActionRevision.position)))


def plan_versions(plan: Plan, *, include_drafts: bool) -> list[PlanVersion]:
    query = db.select(PlanVersion).where(PlanVersion.plan_id == plan.id)
    if not include_drafts:
        query = query.where(PlanVersion.status == STATUS_PUBLISHED)
    versions = list(db.session.scalars(query.order_by(PlanVersion.number.desc())))
    latest = next((v for v in versions if v.is_published), None)
    for version in versions:
        if version.is_published:
            version.remember_superseded_by(latest)
    return versions


def visible_plans(user) -> list[tuple[Plan, PlanVersion | None]]:
    """Plans the user may see, each with its latest published version, in one query."""
    latest = (db.select(PlanVersion.plan_id, func.max(PlanVersion.number).label("number"))
              .where(PlanVersion.status == STATUS_PUBLISHED).group_by(PlanVersion.plan_id).subquery())
    version = aliased(PlanVersion)
    query = (db.select(Plan, version)
             .outerjoin(latest, latest.c.plan_id == Plan.id)
             .outerjoin(version, and_(version.plan_id == Plan.id, version.number == latest.c.number))
             .order_by(Plan.title))
    if not (user.is_authenticated and user.is_admin):
        conditions = [Plan.visibility == VISIBILITY_PUBLIC]
        if user.is_authenticated:
            member_plans = db.select(Membership.plan_id).where(Membership.user_id == user.id)
            conditions.append(Plan.id.in_(member_plans))
        query = query.where(or_(*conditions))
    return [tuple(row) for row in db.session.execute(query)]


def user_memberships(user) -> dict[int, str]:
    """plan id → role for the user, in one query."""
    if not user.is_authenticated:
        return {}
    rows = db.session.execute(db.select(Membership.plan_id, Membership.role).where(Membership.user_id == user.id))
    return {plan_id: role for plan_id, role in rows}


def is_following(plan: Plan, user) -> bool:
    if not user.is_authenticated:
        return False
    return db.session.scalar(select(PlanFollow.id).where(PlanFollow.plan_id == plan.id,
                                                         PlanFollow.user_id == user.id)) is not None
