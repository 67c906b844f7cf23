"""Read-side queries for moderation: the queue, filtered comment lists, responses, tags, the log."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import false, func, select

from consult.accounts.models import StakeholderGroup, User
from consult.comments.models import STATUS_PENDING, STATUS_VISIBLE, Comment, Report
from consult.extensions import db
from consult.moderation.models import ModerationEvent, PublishedReport, Response, Tag, comment_tags
from consult.plans.models import Action, ActionRevision, PlanVersion

PER_PAGE = 50


def plan_tags(plan_id: int) -> list[Tag]:
    return list(db.session.scalars(select(Tag).where(Tag.plan_id == plan_id).order_by(Tag.position, Tag.id)))


def actions_in(plan_id: int, version_ids: list[int]) -> list[tuple[int, str, str]]:
    """(id, key, title) of the plan's actions that have a revision in one of these versions, in key
    order, each with its title in the newest of them: one query (an action added to a draft and
    removed again, or not yet published, is not listed)."""
    in_versions = (select(ActionRevision.title).join(PlanVersion, PlanVersion.id == ActionRevision.version_id)
                   .where(ActionRevision.action_id == Action.id, ActionRevision.version_id.in_(version_ids))
                   .order_by(PlanVersion.number.desc()).limit(1).correlate(Action).scalar_subquery())
    rows = db.session.execute(select(Action.id, Action.key, in_versions).where(Action.plan_id == plan_id)
                              .where(in_versions.is_not(None)).order_by(Action.number)).all()
    return [tuple(row) for row in rows]


def published_report_versions(version_ids: list[int]) -> set[int]:
    """Which of these versions have a published report (one query)."""
    if not version_ids:
        return set()
    return set(db.session.scalars(select(PublishedReport.version_id)
                                  .where(PublishedReport.version_id.in_(version_ids))))


def responses_for(comment_ids: list[int]) -> dict[int, Response]:
    """comment id → its response (with the addressing version), in one query."""
    if not comment_ids:
        return {}
    rows = db.session.scalars(select(Response).where(Response.comment_id.in_(comment_ids))
                              .options(db.joinedload(Response.addressed_in)))
    return {r.comment_id: r for r in rows}


def tags_for(comment_ids: list[int]) -> dict[int, list[Tag]]:
    """comment id → its tags, in one query."""
    if not comment_ids:
        return {}
    result: dict[int, list[Tag]] = {}
    rows = db.session.execute(select(comment_tags.c.comment_id, Tag).join(Tag, Tag.id == comment_tags.c.tag_id)
                              .where(comment_tags.c.comment_id.in_(comment_ids)).order_by(Tag.position, Tag.id))
    for comment_id, tag in rows:
        result.setdefault(comment_id, []).append(tag)
    return result


@dataclass
class OpenReport:
    """One open report as the queue shows it; the reporter's name is for moderators' eyes only."""

    reason: str
    note: str
    created_at: datetime
    reporter_name: str


@dataclass
class QueueItem:
    comment: Comment
    author_name: str
    action_key: str
    version_number: int
    reports: int = 0
    #: The open reports, oldest first (filled for the reported list only).
    open_reports: list[OpenReport] = field(default_factory=list)


def _items(query) -> list[QueueItem]:
    rows = db.session.execute(query).all()
    return [QueueItem(comment=row[0], author_name=row[1] or row[0].attribution or "", action_key=row[2],
                      version_number=row[3], reports=row[4] if len(row) > 4 else 0) for row in rows]


def open_reports_for(comment_ids: list[int]) -> dict[int, list[OpenReport]]:
    """comment id → its open reports with the reporters' names, oldest first, in one query."""
    if not comment_ids:
        return {}
    rows = db.session.execute(
        select(Report.comment_id, Report.reason, Report.note, Report.created_at, User.name)
        .join(User, User.id == Report.reporter_id)
        .where(Report.comment_id.in_(comment_ids), Report.resolved_at.is_(None))
        .order_by(Report.created_at, Report.id))
    result: dict[int, list[OpenReport]] = {}
    for comment_id, reason, note, created_at, name in rows:
        result.setdefault(comment_id, []).append(OpenReport(reason, note or "", created_at, name))
    return result


def _base(plan_id: int):
    return (select(Comment, User.name, Action.key, PlanVersion.number)
            .outerjoin(User, User.id == Comment.author_id)
            .join(Action, Action.id == Comment.action_id)
            .join(PlanVersion, PlanVersion.id == Comment.version_id)
            .where(Comment.plan_id == plan_id))


def reported(plan_id: int) -> list[QueueItem]:
    """Comments with open reports, most reported first, each with its open reports (two queries)."""
    open_reports = (select(Report.comment_id, func.count().label("n"))
                    .where(Report.resolved_at.is_(None)).group_by(Report.comment_id).subquery())
    query = (_base(plan_id).add_columns(open_reports.c.n)
             .join(open_reports, open_reports.c.comment_id == Comment.id)
             .order_by(open_reports.c.n.desc(), Comment.created_at))
    items = _items(query)
    by_comment = open_reports_for([item.comment.id for item in items])
    for item in items:
        item.open_reports = by_comment.get(item.comment.id, [])
    return items


def pending(plan_id: int) -> list[QueueItem]:
    return _items(_base(plan_id).where(Comment.status == STATUS_PENDING).order_by(Comment.created_at))


@dataclass
class CommentFilter:
    version_id: int | None = None
    action_id: int | None = None
    stance: str | None = None
    status: str | None = None
    tag_id: int | None = None
    source: str | None = None
    group_id: int | None = None
    untagged: bool = False
    page: int = 1
    #: The filter names something that is not this plan's (a version, an action, a tag …): nothing matches.
    matches_nothing: bool = False


def _narrowed(query, f: CommentFilter):
    """`query` (over comments of one plan) narrowed by the filter."""
    if f.matches_nothing:
        return query.where(false())
    for column, value in ((Comment.version_id, f.version_id), (Comment.action_id, f.action_id),
                          (Comment.stance, f.stance), (Comment.status, f.status), (Comment.source, f.source),
                          (Comment.group_id, f.group_id)):
        if value is not None:
            query = query.where(column == value)
    if f.tag_id is not None:
        query = query.where(Comment.id.in_(select(comment_tags.c.comment_id).where(comment_tags.c.tag_id == f.tag_id)))
    if f.untagged:
        query = query.where(~Comment.id.in_(select(comment_tags.c.comment_id)))
    return query


def filtered(plan_id: int, f: CommentFilter) -> tuple[list[QueueItem], int]:
    """A page of a plan's comments narrowed by the filter, and how many match (two queries)."""
    query = _narrowed(_base(plan_id), f)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = _items(query.order_by(Comment.created_at.desc(), Comment.id.desc())
                   .limit(PER_PAGE).offset((max(f.page, 1) - 1) * PER_PAGE))
    return items, total


def matching(plan_id: int, f: CommentFilter):
    """A SELECT of the ids of every comment of the plan the filter matches, on every page (for set-based acts)."""
    return _narrowed(select(Comment.id).where(Comment.plan_id == plan_id), f)


def count_matching(plan_id: int, f: CommentFilter) -> int:
    return db.session.scalar(select(func.count()).select_from(matching(plan_id, f).subquery()))


def events(plan_id: int, *, comment_id: int | None = None, page: int = 1) -> tuple[list[tuple], int]:
    """The audit log, newest first: (event, actor name) rows and the total."""
    query = select(ModerationEvent, User.name).outerjoin(User, User.id == ModerationEvent.actor_id) \
        .where(ModerationEvent.plan_id == plan_id)
    if comment_id is not None:
        query = query.where(ModerationEvent.comment_id == comment_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.order_by(ModerationEvent.created_at.desc(), ModerationEvent.id.desc())
                              .limit(PER_PAGE).offset((max(page, 1) - 1) * PER_PAGE)).all()
    return [tuple(r) for r in rows], total


def unanswered(plan_id: int, version_id: int) -> list[tuple]:
    """Visible top-level comments of a version with no response yet: (comment, author, key, title)."""
    answered = select(Response.comment_id)
    query = (select(Comment, func.coalesce(Comment.attribution, User.name), Action.key, ActionRevision.title)
             .outerjoin(User, User.id == Comment.author_id)
             .join(Action, Action.id == Comment.action_id)
             .join(ActionRevision, ActionRevision.id == Comment.revision_id)
             .where(Comment.plan_id == plan_id, Comment.version_id == version_id, Comment.parent_id.is_(None),
                    Comment.status == STATUS_VISIBLE, ~Comment.id.in_(answered))
             .order_by(ActionRevision.position, Comment.created_at))
    return [tuple(r) for r in db.session.execute(query)]


def load_comments(plan_id: int, ids: list[int]) -> list[Comment]:
    """The plan's comments among `ids` (others are simply not returned)."""
    if not ids:
        return []
    return list(db.session.scalars(select(Comment).where(Comment.id.in_(ids), Comment.plan_id == plan_id)))


def group_names(plan_id: int) -> dict[int, str]:
    return dict(db.session.execute(select(StakeholderGroup.id, StakeholderGroup.name)
                                   .where(StakeholderGroup.plan_id == plan_id)).all())


def prompted_by_feedback(plan_id: int, old: PlanVersion, new: PlanVersion) -> dict[str, list[tuple]]:
    """action key → (comment, response, author) whose response names a version after `old` up to
    `new` as addressing it: the feedback that prompted the changes between the two."""
    low, high = sorted((old.number, new.number))
    rows = db.session.execute(
        select(Comment, Response, func.coalesce(Comment.attribution, User.name), Action.key)
        .join(Response, Response.comment_id == Comment.id)
        .join(PlanVersion, PlanVersion.id == Response.addressed_in_id)
        .join(Action, Action.id == Comment.action_id)
        .outerjoin(User, User.id == Comment.author_id)
        .where(Comment.plan_id == plan_id, Comment.status == STATUS_VISIBLE,
               PlanVersion.number > low, PlanVersion.number <= high)
        .order_by(Comment.created_at))
    prompted: dict[str, list[tuple]] = {}
    for comment, response, author, key in rows:
        prompted.setdefault(key, []).append((comment, response, author))
    return prompted


def anchored_before(plan_id: int, version: PlanVersion) -> list[tuple]:
    """(comment, key, status, found text) for every visible comment on a passage of an earlier
    version, re-anchored in `version`'s text; lost ones first. Three queries."""
    from consult.core.rendering import html_to_text
    from consult.diffing.anchors import LOST, Anchor, reanchor

    comments = db.session.execute(
        select(Comment, Action.key).join(Action, Action.id == Comment.action_id)
        .join(PlanVersion, PlanVersion.id == Comment.version_id)
        .where(Comment.plan_id == plan_id, Comment.anchor_quote.is_not(None), Comment.status == STATUS_VISIBLE,
               PlanVersion.number < version.number).order_by(Comment.created_at)).all()
    if not comments:
        return []
    old = {r.id: r for r in db.session.scalars(select(ActionRevision).where(
        ActionRevision.id.in_({c.revision_id for c, _k in comments})))}
    current = {r.action_id: r for r in db.session.scalars(select(ActionRevision).where(
        ActionRevision.version_id == version.id))}

    def text(revision, field):
        return " ".join(html_to_text(getattr(revision, f"{field}_html", "") or "").split())

    rows = []
    for comment, key in comments:
        now = current.get(comment.action_id)
        if now is None:
            rows.append((comment, key, LOST, ""))
            continue
        located = reanchor(text(old[comment.revision_id], comment.anchor_field), text(now, comment.anchor_field),
                           Anchor(comment.anchor_quote, comment.anchor_prefix or "", comment.anchor_suffix or ""))
        rows.append((comment, key, located.status, located.text))
    order = {LOST: 0, "edited": 1, "exact": 2}
    return sorted(rows, key=lambda row: order.get(row[2], 3))
