"""Comment (threaded, on one action of one version), its edit history, and reports."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.accounts.models import User
from consult.core.models import AppendOnly, TimestampMixin, UTCDateTime, utcnow
from consult.extensions import db
from consult.plans.models import Plan, PlanVersion

STANCES = ("support", "concern", "suggestion", "question")
STATUS_VISIBLE = "visible"
STATUS_HIDDEN = "hidden"
STATUS_PENDING = "pending"
STATUS_DELETED = "deleted"
STATUSES = (STATUS_VISIBLE, STATUS_HIDDEN, STATUS_PENDING, STATUS_DELETED)
SOURCES = ("online", "meeting")
REPORT_REASONS = ("spam", "offensive", "off_topic", "personal_data", "other")

BODY_MAX = 5000
QUOTE_MAX = 1000
#: Replies deeper than this are shown flat, with "in reply to …".
MAX_INDENT = 4


class CommentRules:
    """Permission rules that need only a comment's own columns (`status`, `author_id`), shared by the
    model and the read side's `CommentView`, so pages ask the same questions as the routes."""

    __slots__ = ()

    @property
    def is_visible(self) -> bool:
        return self.status == STATUS_VISIBLE

    @property
    def is_deleted(self) -> bool:
        return self.status == STATUS_DELETED

    @property
    def is_hidden(self) -> bool:
        return self.status == STATUS_HIDDEN

    @property
    def is_pending(self) -> bool:
        return self.status == STATUS_PENDING

    @property
    def takes_replies(self) -> bool:
        """Only a published comment is answered (not one waiting, hidden or deleted)."""
        return self.is_visible

    def is_author(self, user) -> bool:
        return bool(user is not None and getattr(user, "is_authenticated", False) and self.author_id == user.id)

    def editable_by(self, user) -> bool:
        """Its author edits it while it is published or still waiting for approval (the edit keeps
        it waiting), not once a moderator hid it; the consultation window is checked by `can_edit`."""
        return self.is_author(user) and self.status in (STATUS_VISIBLE, STATUS_PENDING)

    def can_delete(self, user) -> bool:
        return self.is_author(user) and self.status in (STATUS_VISIBLE, STATUS_HIDDEN, STATUS_PENDING)

    def can_report(self, user) -> bool:
        return bool(user is not None and getattr(user, "is_authenticated", False)) and self.is_visible \
            and not self.is_author(user)


class Comment(CommentRules, TimestampMixin, db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint(f"stance IS NULL OR stance IN {STANCES!r}", name="stance_known"),
        CheckConstraint(f"status IN {STATUSES!r}", name="status_known"),
        CheckConstraint(f"source IN {SOURCES!r}", name="source_known"),
        CheckConstraint("(parent_id IS NULL) = (root_id IS NULL)", name="reply_has_root"),
        CheckConstraint("parent_id IS NULL OR stance IS NULL", name="stance_on_top_level_only"),
        # A page of top-level comments of one action, in time order.
        Index("ix_comments_thread_roots", "action_id", "parent_id", "created_at"),
        # All replies of a set of threads.
        Index("ix_comments_root_created", "root_id", "created_at"),
        # Tallies: every split of a version's comments is read from this index alone.
        Index("ix_comments_tally", "version_id", "status", "action_id", "stance", "group_id", "parent_id",
              "author_id", "attribution"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    #: The exact text the comment was written on.
    revision_id: Mapped[int] = mapped_column(ForeignKey("action_revisions.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    #: The top-level comment of the thread (None for a top-level comment itself).
    root_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    depth: Mapped[int] = mapped_column(Integer, default=0)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    stance: Mapped[str | None] = mapped_column(String(12))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=STATUS_VISIBLE)
    source: Mapped[str] = mapped_column(String(10), default="online")
    #: The stakeholder group the comment speaks for: the author's when posted, or the one a
    #: moderator chose for meeting feedback. Kept on the row so tallies need no join.
    group_id: Mapped[int | None] = mapped_column(ForeignKey("stakeholder_groups.id", ondelete="SET NULL"),
                                                 index=True)
    #: For meeting feedback: who said it ("World café, table 2"), instead of a person.
    attribution: Mapped[str | None] = mapped_column(String(120))
    #: Why a moderator hid it (one of the report reasons), shown in its place.
    hidden_reason: Mapped[str | None] = mapped_column(String(20))
    #: A comment on a passage: the action field, the quoted text (plain, as readers see it) and a few
    #: characters around it, so the passage can be found again in later versions.
    anchor_field: Mapped[str | None] = mapped_column(String(20))
    anchor_quote: Mapped[str | None] = mapped_column(Text)
    anchor_prefix: Mapped[str | None] = mapped_column(String(80))
    anchor_suffix: Mapped[str | None] = mapped_column(String(80))
    #: On a top-level comment: how many replies its thread holds, not counting those waiting for
    #: approval (kept on write: posting, and leaving the moderators' queue).
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship()
    plan: Mapped[Plan] = relationship()
    version: Mapped[PlanVersion] = relationship()

    def __repr__(self) -> str:
        return f"<Comment {self.id} on action {self.action_id}>"

    def can_edit(self, user) -> bool:
        """Authors edit their own published or waiting comments while the consultation is open."""
        return self.editable_by(user) and self.version.accepts_comments()

    def can_read_text(self, user) -> bool:
        """Anyone reads a visible comment; a hidden or waiting one only its author and the moderators;
        a deleted one nobody."""
        if self.is_deleted:
            return False
        return self.is_visible or self.is_author(user) or self.plan.can_moderate(user)

    def can_see_history(self, user) -> bool:
        return self.plan.can_moderate(user)


class CommentEdit(AppendOnly, db.Model):
    """The text a comment had before one of its edits (append-only)."""

    __tablename__ = "comment_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    #: When this text was replaced.
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When this text was first written (the comment's creation or the previous edit).
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Report(TimestampMixin, db.Model):
    """A person's flag on a comment; one per person per comment."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("comment_id", "reporter_id"),
        CheckConstraint(f"reason IN {REPORT_REASONS!r}", name="reason_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(500), default="")
    #: Set when a moderator has dealt with the report.
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
