"""Read-side queries for comments: a page of threads in two queries, counts in one."""
from dataclasses import dataclass, field
from datetime import datetime

from flask import abort
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from consult.accounts.models import StakeholderGroup, User
from consult.comments.models import (
    MAX_INDENT,
    STATUS_DELETED,
    STATUS_HIDDEN,
    STATUS_PENDING,
    STATUS_VISIBLE,
    Comment,
    CommentRules,
    Report,
)
from consult.extensions import db
from consult.plans.models import PlanVersion

PER_PAGE = 50
SORTS = ("oldest", "newest", "replies")
#: Statuses anyone may see: hidden and deleted ones as placeholders that keep their replies.
SHOWN = (STATUS_VISIBLE, STATUS_HIDDEN, STATUS_DELETED)


@dataclass(slots=True)
class CommentView(CommentRules):
    """What a page or the API needs to show one comment; built from one row, no lazy loads."""

    id: int
    parent_id: int | None
    root_id: int | None
    depth: int
    version_id: int
    author_id: int | None
    author_name: str
    group_name: str | None
    stance: str | None
    body_html: str
    status: str
    source: str
    reply_count: int
    created_at: datetime
    edited_at: datetime | None
    hidden_reason: str | None = None
    revision_id: int | None = None
    anchor_field: str | None = None
    anchor_quote: str | None = None
    anchor_prefix: str | None = None
    anchor_suffix: str | None = None
    version_number: int = 0
    #: On a later version: "exact", "edited" or "lost" (see consult.diffing.anchors).
    anchor_status: str | None = None
    #: On a later version: the passage as it reads there (when not lost).
    anchor_found: str | None = None
    indent: int = 0
    in_reply_to: str | None = None
    #: Instead of `in_reply_to`, when the comment answered is a placeholder for this reader:
    #: "deleted" or "hidden" (its author is not named then).
    in_reply_to_gone: str | None = None
    replies: list = field(default_factory=list)

    @property
    def is_placeholder(self) -> bool:
        """Shown without its text: deleted, or hidden from this reader."""
        return self.status == STATUS_DELETED or (self.status == STATUS_HIDDEN and not self.body_html)


def _columns():
    return (Comment.id, Comment.parent_id, Comment.root_id, Comment.depth, Comment.version_id, Comment.author_id,
            func.coalesce(Comment.attribution, User.name, "").label("author_name"),
            StakeholderGroup.name.label("group_name"), Comment.stance, Comment.body_html, Comment.status,
            Comment.source, Comment.reply_count, Comment.created_at, Comment.edited_at, Comment.hidden_reason,
            Comment.revision_id, Comment.anchor_field, Comment.anchor_quote, Comment.anchor_prefix,
            Comment.anchor_suffix)


def _with_authors(query):
    return (query.outerjoin(User, User.id == Comment.author_id)
            .outerjoin(StakeholderGroup, StakeholderGroup.id == Comment.group_id))


def _view(row, numbers: dict[int, int], viewer_id: int | None = None, moderator: bool = False) -> CommentView:
    view = CommentView(*row)
    view.version_number = numbers.get(view.version_id, 0)
    if view.status == STATUS_DELETED or (view.status == STATUS_HIDDEN and not moderator
                                         and (viewer_id is None or view.author_id != viewer_id)):
        view.body_html = ""
    return view


def _status_filter(viewer_id: int | None, moderator: bool, roots: bool):
    """Which comments a reader sees: visible and hidden ones (hidden as a placeholder), deleted
    ones that still hold replies, and pending ones if they wrote them or moderate.

    A deleted top-level comment stays while its thread holds a reply this reader sees: one counted
    in `reply_count`, or one still waiting (which it leaves out) that they wrote or moderate. The
    waiting ones are looked up only for a deleted root whose count is 0, in the same query."""
    deleted = Comment.status == STATUS_DELETED
    if roots:
        kept = Comment.reply_count > 0
        if moderator or viewer_id is not None:
            reply = aliased(Comment)
            waiting = select(reply.id).where(reply.root_id == Comment.id, reply.status == STATUS_PENDING)
            if not moderator:
                waiting = waiting.where(reply.author_id == viewer_id)
            kept = kept | waiting.exists()
        deleted = deleted & kept
    shown = [Comment.status.in_((STATUS_VISIBLE, STATUS_HIDDEN)), deleted]
    if moderator:
        shown.append(Comment.status == STATUS_PENDING)
    elif viewer_id is not None:
        shown.append((Comment.status == STATUS_PENDING) & (Comment.author_id == viewer_id))
    return or_(*shown)


def _order(sort: str):
    if sort == "newest":
        return (Comment.created_at.desc(), Comment.id.desc())
    if sort == "replies":
        return (Comment.reply_count.desc(), Comment.created_at, Comment.id)
    return (Comment.created_at, Comment.id)


@dataclass
class ThreadPage:
    threads: list[CommentView]
    total_threads: int
    page: int
    pages: int
    sort: str


def thread_page(action_id: int, versions: list[PlanVersion], sort: str = "oldest", page: int = 1,
                viewer_id: int | None = None, moderator: bool = False) -> ThreadPage:
    """One page of top-level comments of an action (on the given versions), each with its whole thread.

    Two queries whatever the number of comments: the page of roots (with the total, by
    a window function), then every reply of those roots.
    """
    sort = sort if sort in SORTS else "oldest"
    page = max(page, 1)
    numbers = {v.id: v.number for v in versions}
    shown = (Comment.action_id == action_id, Comment.version_id.in_(numbers), Comment.parent_id.is_(None),
             _status_filter(viewer_id, moderator, roots=True))
    roots_query = _with_authors(
        select(*_columns(), func.count().over().label("total")).where(*shown)
    ).order_by(*_order(sort)).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    rows = db.session.execute(roots_query).all()
    if not rows and page > 1:  # past the last page (an old link): show the last one
        last = max(1, -(-db.session.scalar(select(func.count()).where(*shown)) // PER_PAGE))
        if last < page:
            return thread_page(action_id, versions, sort, last, viewer_id, moderator)
    total = rows[0].total if rows else 0
    roots = [_view(tuple(row)[:-1], numbers, viewer_id, moderator) for row in rows]
    if roots:
        reply_rows = db.session.execute(_with_authors(
            select(*_columns()).where(Comment.root_id.in_([r.id for r in roots]),
                                      _status_filter(viewer_id, moderator, roots=False))
        ).order_by(Comment.created_at, Comment.id)).all()
        _attach_replies(roots, [_view(row, numbers, viewer_id, moderator) for row in reply_rows])
    pages = max(1, -(-total // PER_PAGE))
    return ThreadPage(threads=roots, total_threads=total, page=page, pages=pages, sort=sort)


def _attach_replies(roots: list[CommentView], replies: list[CommentView]) -> None:
    """Give each root its replies in reading order (depth first), with indent and "in reply to"."""
    children: dict[int, list[CommentView]] = {}
    by_id = {r.id: r for r in roots}
    for reply in replies:
        by_id[reply.id] = reply
        children.setdefault(reply.parent_id, []).append(reply)
    for root in roots:
        ordered = []
        stack = list(reversed(children.get(root.id, [])))
        while stack:
            node = stack.pop()
            node.indent = min(node.depth, MAX_INDENT)
            if node.depth > MAX_INDENT:
                parent = by_id.get(node.parent_id)
                if parent is not None and parent.is_placeholder:
                    node.in_reply_to_gone = "deleted" if parent.is_deleted else "hidden"
                else:
                    node.in_reply_to = parent.author_name if parent else None
            ordered.append(node)
            stack.extend(reversed(children.get(node.id, [])))
        root.replies = ordered


def version_thread(version: PlanVersion, action_id: int) -> tuple[list[CommentView], int]:
    """Every shown comment of one action on one version, as a tree (roots with nested `replies`),
    and the number of visible comments. One query.

    The same comments as the action page shows a reader who is not logged in (`thread_page`):
    a deleted reply stays as a placeholder wherever it is, even with no reply of its own, so
    the conversation keeps its shape; a deleted top-level comment is left out once nothing was
    ever answered to it (`reply_count` is 0), as on the page.
    """
    numbers = {version.id: version.number}
    rows = db.session.execute(_with_authors(
        select(*_columns()).where(Comment.action_id == action_id, Comment.version_id == version.id,
                                  Comment.status.in_(SHOWN))
    ).order_by(Comment.created_at, Comment.id)).all()
    nodes = [_view(row, numbers) for row in rows]
    by_id = {n.id: n for n in nodes}
    roots = []
    for node in nodes:
        if node.parent_id is None:
            if node.status != STATUS_DELETED or node.reply_count > 0:
                roots.append(node)
        elif node.parent_id in by_id:
            by_id[node.parent_id].replies.append(node)
    visible = sum(1 for n in nodes if n.status == STATUS_VISIBLE)
    return roots, visible


def comment_counts(version_ids: list[int], plan_id: int) -> dict[int, int]:
    """action id → number of visible comments on the given versions, in one GROUP BY."""
    if not version_ids:
        return {}
    rows = db.session.execute(select(Comment.action_id, func.count()).where(
        Comment.plan_id == plan_id, Comment.version_id.in_(version_ids), Comment.status == STATUS_VISIBLE)
        .group_by(Comment.action_id))
    return {action_id: count for action_id, count in rows}


def root_page(comment: Comment, version_ids: list[int], viewer_id: int | None = None, moderator: bool = False) -> int:
    """The 1-based page on which the comment's thread appears in the default (oldest) order, counting
    the threads this reader sees (as `thread_page` does)."""
    root_id = comment.root_id or comment.id
    root_created = db.session.scalar(select(Comment.created_at).where(Comment.id == root_id))
    before = db.session.scalar(select(func.count()).where(
        Comment.action_id == comment.action_id, Comment.parent_id.is_(None), Comment.version_id.in_(version_ids),
        _status_filter(viewer_id, moderator, roots=True),
        or_(Comment.created_at < root_created, (Comment.created_at == root_created) & (Comment.id < root_id))))
    return before // PER_PAGE + 1


def load_comment(comment_id: int) -> Comment:
    """The comment if the current user may see it: 404 for missing, unseen or hidden ones."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    plan = comment.plan
    if not plan.can_view(current_user) or not plan.can_view_version(comment.version, current_user):
        abort(404)
    if comment.status not in SHOWN and not (comment.is_author(current_user) or plan.can_moderate(current_user)):
        abort(404)
    return comment


def load_live_comment(comment_id: int) -> Comment:
    """As `load_comment`, and 404 for a soft-deleted one too: nothing can be done to it any more
    (its permalink and its history still open, with `load_comment`)."""
    comment = load_comment(comment_id)
    if comment.is_deleted:
        abort(404)
    return comment


def report_by(comment_id: int, user_id: int):
    """The report this person sent on this comment, or None: a comment is reported once per person."""
    return db.session.scalar(select(Report).where(Report.comment_id == comment_id, Report.reporter_id == user_id))
