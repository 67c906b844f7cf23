"""Tag (a plan's feedback taxonomy), Response (the team's answer), ModerationEvent (the audit log)."""
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User
from consult.comments.models import Comment
from consult.core.models import AppendOnly, TimestampMixin, UTCDateTime
from consult.extensions import db
from consult.plans.models import Plan, PlanVersion

DISPOSITIONS = ("accepted", "partly_accepted", "not_accepted", "noted")
#: The most characters a team's answer may have.
RESPONSE_MAX = 3000
HIDE_REASONS = ("spam", "offensive", "off_topic", "personal_data", "other")
#: What an audit row can record.
EVENTS = ("approve", "hide", "restore", "dismiss_reports", "tag", "untag", "respond", "edit_response",
          "record_meeting_feedback", "delete_response", "publish_report", "withdraw_report")

comment_tags = Table(
    "comment_tags", db.metadata,
    Column("comment_id", ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(db.Model):
    """One category of the plan's feedback taxonomy (funding, governance, partners …)."""

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("plan_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)

    comments: Mapped[list[Comment]] = relationship(secondary=comment_tags, viewonly=True)


class Response(TimestampMixin, db.Model):
    """The team's public answer to a top-level comment, with what it did about it."""

    __tablename__ = "responses"
    __table_args__ = (CheckConstraint(f"disposition IN {DISPOSITIONS!r}", name="disposition_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), unique=True)
    responder_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    disposition: Mapped[str] = mapped_column(String(20))
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    #: The version whose text addresses the comment, if any.
    addressed_in_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id", ondelete="SET NULL"),
                                                        index=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    comment: Mapped[Comment] = relationship()
    responder: Mapped[User | None] = relationship()
    addressed_in: Mapped[PlanVersion | None] = relationship()


class ModerationEvent(AppendOnly, TimestampMixin, db.Model):
    """One moderation or follow-up act: who did what to which comment, why and when. Never changed."""

    __tablename__ = "moderation_events"
    __table_args__ = (
        CheckConstraint(f"action IN {EVENTS!r}", name="action_known"),
        Index("ix_moderation_events_plan_created", "plan_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    #: The reason given (hide), the tag name (tag/untag), the disposition (respond) …
    reason: Mapped[str] = mapped_column(String(300), default="")

    actor: Mapped[User | None] = relationship()


class PublishedReport(db.Model):
    """A version's consultation report, once the team has published it for everyone to read."""

    __tablename__ = "published_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), unique=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)


    @classmethod
    def of(cls, version: PlanVersion) -> "PublishedReport | None":
        """The version's published report, if the team has published one."""
        return db.session.scalar(select(cls).where(cls.version_id == version.id))

    @classmethod
    def can_view(cls, plan: Plan, version: PlanVersion, user: User | None) -> bool:
        """Who may read a version's report and its tallies (the page and the API alike): the plan's
        moderators and team always; everyone who can read the version once the report is published."""
        if not plan.can_view_version(version, user):
            return False
        return plan.can_moderate(user) or (version.is_published and cls.of(version) is not None)
