"""Plan, PlanVersion (append-only; published = immutable), Action and ActionRevision."""
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    inspect,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from consult.accounts.models import ROLE_MODERATOR, ROLE_TEAM, Membership, StakeholderGroup, User
from consult.core.models import TimestampMixin, UTCDateTime, utcnow
from consult.extensions import db

VISIBILITY_PUBLIC = "public"
VISIBILITY_INVITE = "invite"
VISIBILITIES = (VISIBILITY_PUBLIC, VISIBILITY_INVITE)

STATUS_DRAFT = "draft"
STATUS_PUBLISHED = "published"
STATUSES = (STATUS_DRAFT, STATUS_PUBLISHED)

#: Markdown fields of a version's general part, in display order.
GENERAL_FIELDS = ("summary", "policy_context")
#: Markdown fields of an action (Interreg Europe action-plan template), in display order.
ACTION_FIELDS = ("background", "description", "players", "timeframe", "costs", "funding")


class ImmutableVersionError(Exception):
    """Raised at flush when something tries to change a published version."""


class Plan(TimestampMixin, db.Model):
    __tablename__ = "plans"
    __table_args__ = (
        CheckConstraint(f"visibility IN {VISIBILITIES!r}", name="visibility_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    #: One or two plain-text sentences for the list of plans.
    summary: Mapped[str] = mapped_column(String(500), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    project: Mapped[str] = mapped_column(String(200), default="")
    #: The policy instrument the plan sets out to improve.
    policy_instrument: Mapped[str] = mapped_column(String(300), default="")
    #: Language of the plan's content (the UI language is the reader's).
    language: Mapped[str] = mapped_column(String(5), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Bucharest")
    visibility: Mapped[str] = mapped_column(String(10), default=VISIBILITY_PUBLIC)
    #: Stakeholders' new comments wait for a moderator's approval before others see them.
    premoderation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    versions: Mapped[list["PlanVersion"]] = relationship(
        back_populates="plan", order_by="PlanVersion.number", cascade="all, delete-orphan")
    actions: Mapped[list["Action"]] = relationship(back_populates="plan", cascade="all, delete-orphan")
    memberships: Mapped[list[Membership]] = relationship(cascade="all, delete-orphan")
    groups: Mapped[list[StakeholderGroup]] = relationship(
        order_by="StakeholderGroup.position, StakeholderGroup.id", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Plan {self.slug}>"

    @property
    def is_public(self) -> bool:
        return self.visibility == VISIBILITY_PUBLIC

    # -- who may do what (one place, used by routes and templates alike) ---------------

    def membership_of(self, user: User | None) -> Membership | None:
        """The user's membership of this plan, looked up once per plan object."""
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        cache = self.__dict__.setdefault("_membership_cache", {})
        if user.id not in cache:
            cache[user.id] = db.session.scalar(
                db.select(Membership).where(Membership.plan_id == self.id, Membership.user_id == user.id))
        return cache[user.id]

    def remember_membership(self, user: User, membership: Membership | None) -> None:
        """Prime `membership_of` with a membership the caller has already read."""
        self.__dict__.setdefault("_membership_cache", {})[user.id] = membership

    def role_of(self, user: User | None) -> str | None:
        membership = self.membership_of(user)
        return membership.role if membership else None

    def _is_admin(self, user: User | None) -> bool:
        return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_admin)

    def can_view(self, user: User | None) -> bool:
        """Public plans are open to all; invite-only plans to their members."""
        return self.is_public or self._is_admin(user) or self.membership_of(user) is not None

    def can_author(self, user: User | None) -> bool:
        """Write drafts, publish, manage members: the plan's team (and site admins)."""
        return self._is_admin(user) or self.role_of(user) == ROLE_TEAM

    def can_moderate(self, user: User | None) -> bool:
        return self.can_author(user) or self.role_of(user) == ROLE_MODERATOR

    def can_view_version(self, version: "PlanVersion", user: User | None) -> bool:
        return self.can_view(user) and (version.is_published or self.can_author(user))

    def can_comment(self, user: User | None, version: "PlanVersion") -> bool:
        """Registered users on a public plan, members on an invite-only one, while the window is open."""
        if user is None or not getattr(user, "is_authenticated", False) or not version.accepts_comments():
            return False
        return self.is_public or self._is_admin(user) or self.membership_of(user) is not None


class PlanVersion(TimestampMixin, db.Model):
    """One numbered version of a plan: a draft the team edits, or a frozen published text."""

    __tablename__ = "plan_versions"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        CheckConstraint(f"status IN {STATUSES!r}", name="status_known"),
        CheckConstraint("(status = 'published') = (published_at IS NOT NULL)", name="published_has_time"),
        CheckConstraint("opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at", name="window_order"),
        # At most one draft per plan.
        Index("uq_plan_versions_one_draft", "plan_id", unique=True,
              sqlite_where=text("status = 'draft'"), postgresql_where=text("status = 'draft'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default=STATUS_DRAFT)
    summary_md: Mapped[str] = mapped_column(Text, default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")
    policy_context_md: Mapped[str] = mapped_column(Text, default="")
    policy_context_html: Mapped[str] = mapped_column(Text, default="")
    #: What changed since the previous version, written when publishing.
    change_summary_md: Mapped[str] = mapped_column(Text, default="")
    change_summary_html: Mapped[str] = mapped_column(Text, default="")
    #: The consultation window (UTC); comments are accepted between them.
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: Set when the draft was started from a published version.
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id", ondelete="SET NULL"))

    plan: Mapped[Plan] = relationship(back_populates="versions")
    revisions: Mapped[list["ActionRevision"]] = relationship(
        back_populates="version", order_by="ActionRevision.position", cascade="all, delete-orphan")
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    def __repr__(self) -> str:
        return f"<PlanVersion {self.plan_id} v{self.number} {self.status}>"

    @property
    def is_draft(self) -> bool:
        return self.status == STATUS_DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == STATUS_PUBLISHED

    def accepts_comments(self, now: datetime | None = None) -> bool:
        """Published, not superseded, and inside its consultation window (a version without one stays open).

        Only the latest published version takes new comments, replies and edits: the discussion
        moves on with the text, and an older version's threads stay readable."""
        return self.is_published and self.window_state(now) in ("open", "none") and self.superseded_by is None

    @property
    def superseded_by(self) -> "PlanVersion | None":
        """The plan's latest published version when it is newer than this one, else None.

        Read once per object (`plan_versions` primes it from the list it loads); a commit or an
        expiry forgets it."""
        if not self.is_published:
            return None
        if "_superseded_by" not in self.__dict__:
            latest = db.session.scalar(db.select(PlanVersion).where(
                PlanVersion.plan_id == self.plan_id, PlanVersion.status == STATUS_PUBLISHED,
                PlanVersion.number > self.number).order_by(PlanVersion.number.desc()).limit(1))
            self.__dict__["_superseded_by"] = latest
        return self.__dict__["_superseded_by"]

    def remember_superseded_by(self, latest: "PlanVersion | None") -> None:
        """Prime `superseded_by` with the plan's latest published version, already read by the caller."""
        self.__dict__["_superseded_by"] = latest if latest is not None and latest.number > self.number else None

    def window_state(self, now: datetime | None = None) -> str:
        """'none' (no window set), 'upcoming', 'open' or 'closed'."""
        if not self.is_published or (self.opens_at is None and self.closes_at is None):
            return "none"
        now = now or utcnow()
        if self.opens_at and now < self.opens_at:
            return "upcoming"
        if self.closes_at and now >= self.closes_at:
            return "closed"
        return "open"


@event.listens_for(PlanVersion, "expire")
@event.listens_for(PlanVersion, "refresh")
def _forget_superseded_by(version, *args):
    if version is not None:  # None: the object is already gone
        version.__dict__.pop("_superseded_by", None)


class Action(TimestampMixin, db.Model):
    """An action's identity across versions: its key (A1, A2 …) never changes or repeats."""

    __tablename__ = "actions"
    __table_args__ = (UniqueConstraint("plan_id", "number"), UniqueConstraint("plan_id", "key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(10))

    plan: Mapped[Plan] = relationship(back_populates="actions")

    def __repr__(self) -> str:
        return f"<Action {self.key}>"


class ActionRevision(db.Model):
    """The text of one action in one version, and its position there."""

    __tablename__ = "action_revisions"
    __table_args__ = (UniqueConstraint("version_id", "action_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    #: Lessons learnt that inspired the action.
    background_md: Mapped[str] = mapped_column(Text, default="")
    background_html: Mapped[str] = mapped_column(Text, default="")
    #: The action itself.
    description_md: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    players_md: Mapped[str] = mapped_column(Text, default="")
    players_html: Mapped[str] = mapped_column(Text, default="")
    timeframe_md: Mapped[str] = mapped_column(Text, default="")
    timeframe_html: Mapped[str] = mapped_column(Text, default="")
    costs_md: Mapped[str] = mapped_column(Text, default="")
    costs_html: Mapped[str] = mapped_column(Text, default="")
    funding_md: Mapped[str] = mapped_column(Text, default="")
    funding_html: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[PlanVersion] = relationship(back_populates="revisions")
    action: Mapped[Action] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"<ActionRevision v{self.version_id} {self.action_id}>"

    @property
    def key(self) -> str:
        return self.action.key

    def field_html(self, name: str) -> str:
        return getattr(self, f"{name}_html")

    def field_md(self, name: str) -> str:
        return getattr(self, f"{name}_md")


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_published(session, flush_context, instances):
    """Published versions are frozen: refuse any change that reaches the database."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, ActionRevision):
            state = inspect(obj)
            version_id = obj.version_id
            if state.attrs.version_id.history.deleted:
                version_id = state.attrs.version_id.history.deleted[0]
            status = session.scalar(db.select(PlanVersion.status).where(PlanVersion.id == version_id))
            if status == STATUS_PUBLISHED and (session.is_modified(obj) or obj in session.deleted):
                raise ImmutableVersionError("a published version's actions cannot change")
        elif isinstance(obj, PlanVersion):
            history = inspect(obj).attrs.status.history
            was = history.deleted[0] if history.deleted else (history.unchanged[0] if history.unchanged else None)
            if was == STATUS_PUBLISHED and (session.is_modified(obj) or obj in session.deleted):
                raise ImmutableVersionError("a published version cannot change")
    for obj in session.new:
        if isinstance(obj, ActionRevision) and obj.version is not None and obj.version.is_published \
                and inspect(obj.version).persistent and not inspect(obj.version).attrs.status.history.added:
            raise ImmutableVersionError("a published version cannot gain actions")


class StoredDiff(db.Model):
    """A computed diff of two texts, stored once: keyed by both texts' hashes and the algorithm's
    version, so a better algorithm recomputes instead of serving a stale result."""

    __tablename__ = "stored_diffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: sha256 of (algorithm version, old text, new text).
    key: Mapped[str] = mapped_column(String(64), unique=True)
    algorithm: Mapped[int] = mapped_column(Integer)
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlanFollow(TimestampMixin, db.Model):
    """Someone who wants an e-mail when the plan publishes a new version."""

    __tablename__ = "plan_follows"
    __table_args__ = (UniqueConstraint("plan_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
