"""Tallies: SQL aggregates (one GROUP BY per split) assembled by pure functions.

`count_rows` runs the queries and returns plain rows; `assemble` turns them into per-action
tallies without touching the database, so the arithmetic is tested on plain values.
"""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, literal, literal_column, select

from consult.comments.models import STANCES, STATUS_HIDDEN, STATUS_PENDING, STATUS_VISIBLE, Comment
from consult.extensions import db
from consult.moderation.models import DISPOSITIONS, Response, comment_tags


@dataclass(frozen=True)
class Filters:
    """What to count: all of a plan's versions or some, optionally narrowed."""

    version_ids: tuple[int, ...]
    group_id: int | None = None
    tag_id: int | None = None
    source: str | None = None  # "online" | "meeting"
    since: datetime | None = None
    until: datetime | None = None


@dataclass
class ActionTally:
    action_id: int
    total: int = 0
    top_level: int = 0
    participants: int = 0
    answered: int = 0
    hidden: int = 0
    pending: int = 0
    by_stance: dict[str, int] = field(default_factory=dict)
    by_group: dict[int | None, int] = field(default_factory=dict)
    by_tag: dict[int, int] = field(default_factory=dict)
    by_disposition: dict[str, int] = field(default_factory=dict)

    @property
    def share_answered(self) -> float:
        """Answered top-level comments as a share of all visible top-level comments (0–1)."""
        return self.answered / self.top_level if self.top_level else 0.0


def _conditions(plan_id: int, filters: Filters) -> list:
    # The versions name the plan already; leaving plan_id out lets one covering index serve every split.
    del plan_id
    conditions = [Comment.version_id.in_(filters.version_ids)]
    if filters.group_id is not None:
        conditions.append(Comment.group_id == filters.group_id)
    if filters.source is not None:
        conditions.append(Comment.source == filters.source)
    if filters.since is not None:
        conditions.append(Comment.created_at >= filters.since)
    if filters.until is not None:
        conditions.append(Comment.created_at < filters.until)
    if filters.tag_id is not None:
        tagged = select(comment_tags.c.comment_id).where(comment_tags.c.tag_id == filters.tag_id)
        conditions.append(Comment.id.in_(tagged))
    return conditions


def count_rows(plan_id: int, filters: Filters) -> dict[str, list[tuple]]:
    """Every split as plain (action_id, key, count) rows: one SQL query each."""
    where = _conditions(plan_id, filters)
    visible = and_(*where, Comment.status == STATUS_VISIBLE)
    # People online, plus meeting tables (counted once each).
    participants = func.count(func.distinct(Comment.author_id)) + func.count(func.distinct(Comment.attribution))

    # Grouped by `action_id + 0`, not the bare column: given every version of a plan, SQLite's planner
    # otherwise walks the thread index in action order instead of searching the covering tally
    # index and sorting, which is four times slower at 100,000 comments. PostgreSQL is indifferent.
    action = Comment.action_id + literal_column("0")

    def run(statement):
        return [tuple(row) for row in db.session.execute(statement)]

    return {
        "status": run(select(action, Comment.status, func.count())
                      .where(*where).group_by(action, Comment.status)),
        "stance": run(select(action, Comment.stance, func.count())
                      .where(visible).group_by(action, Comment.stance)),
        "group": run(select(action, Comment.group_id, func.count())
                     .where(visible).group_by(action, Comment.group_id)),
        "tag": run(select(action, comment_tags.c.tag_id, func.count())
                   .join(comment_tags, comment_tags.c.comment_id == Comment.id)
                   .where(visible).group_by(action, comment_tags.c.tag_id)),
        "disposition": run(select(action, Response.disposition, func.count())
                           .join(Response, Response.comment_id == Comment.id)
                           .where(visible, Comment.parent_id.is_(None))
                           .group_by(action, Response.disposition)),
        "participants": run(select(action, literal("all"), participants)
                            .where(visible).group_by(action)),
        "top_level": run(select(action, literal("all"), func.count())
                         .where(visible, Comment.parent_id.is_(None)).group_by(action)),
    }


def assemble(action_ids: list[int], rows: dict[str, list[tuple]]) -> dict[int, ActionTally]:
    """Per-action tallies from the rows of `count_rows` (pure: plain values in, plain values out)."""
    tallies = {action_id: ActionTally(action_id) for action_id in action_ids}

    def target(action_id):
        return tallies.setdefault(action_id, ActionTally(action_id))

    for action_id, status, count in rows.get("status", []):
        tally = target(action_id)
        if status == STATUS_VISIBLE:
            tally.total += count
        elif status == STATUS_HIDDEN:
            tally.hidden += count
        elif status == STATUS_PENDING:
            tally.pending += count
    for action_id, stance, count in rows.get("stance", []):
        target(action_id).by_stance[stance or "reply"] = count
    for action_id, group_id, count in rows.get("group", []):
        target(action_id).by_group[group_id] = count
    for action_id, tag_id, count in rows.get("tag", []):
        target(action_id).by_tag[tag_id] = count
    for action_id, disposition, count in rows.get("disposition", []):
        tally = target(action_id)
        tally.by_disposition[disposition] = count
        tally.answered += count
    for action_id, _all, count in rows.get("participants", []):
        target(action_id).participants = count
    for action_id, _all, count in rows.get("top_level", []):
        target(action_id).top_level = count
    return tallies


def totals(tallies: dict[int, ActionTally]) -> ActionTally:
    """The whole plan (or version) as one tally; participants are not additive and stay per action."""
    whole = ActionTally(action_id=0)
    for tally in tallies.values():
        whole.total += tally.total
        whole.top_level += tally.top_level
        whole.answered += tally.answered
        whole.hidden += tally.hidden
        whole.pending += tally.pending
        for source, into in ((tally.by_stance, whole.by_stance), (tally.by_group, whole.by_group),
                             (tally.by_tag, whole.by_tag), (tally.by_disposition, whole.by_disposition)):
            for key, count in source.items():
                into[key] = into.get(key, 0) + count
    return whole


def tally(plan_id: int, action_ids: list[int], filters: Filters) -> dict[int, ActionTally]:
    return assemble(action_ids, count_rows(plan_id, filters))


STANCE_ORDER = STANCES + ("reply",)
DISPOSITION_ORDER = DISPOSITIONS
