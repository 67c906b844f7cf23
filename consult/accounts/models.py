"""User accounts, per-plan memberships (role + stakeholder group) and stakeholder groups."""
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from consult.core.models import TimestampMixin, UTCDateTime
from consult.extensions import db

ROLE_TEAM = "team"
ROLE_MODERATOR = "moderator"
ROLE_STAKEHOLDER = "stakeholder"
ROLES = (ROLE_TEAM, ROLE_MODERATOR, ROLE_STAKEHOLDER)

#: The stakeholder groups a new plan starts with (the team can edit the list).
DEFAULT_GROUPS = (
    "Local authority",
    "Education and research",
    "Youth organisation",
    "Business: cultural and creative",
    "Business: IT&C",
    "Business: social economy",
    "Business: tourism",
    "ECoC association",
    "Citizen",
    "Other",
)

PASSWORD_MIN_LENGTH = 10


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-cased; unique.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: The name shown next to what the person writes.
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    #: A disabled account cannot log in and its sessions end.
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Bumped to end every session of this user (password change, log out everywhere).
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    #: Preferred UI language; None follows the browser.
    locale: Mapped[str | None] = mapped_column(String(5))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: E-mail me when someone replies to my comments.
    notify_replies: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    memberships: Mapped[list["Membership"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    # Flask-Login: the session stores id and session version, so bumping it logs out.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return not self.disabled

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        self.session_version = (self.session_version or 1) + 1

    def can_create_plan(self) -> bool:
        """Site admins and members of some plan's team may start a new plan."""
        if self.is_admin:
            return True
        return db.session.scalar(
            db.select(Membership.id).where(Membership.user_id == self.id, Membership.role == ROLE_TEAM).limit(1)
        ) is not None


class StakeholderGroup(db.Model):
    """One entry of a plan's list of stakeholder groups, what tallies are split by."""

    __tablename__ = "stakeholder_groups"
    __table_args__ = (UniqueConstraint("plan_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<StakeholderGroup {self.name}>"


class Membership(TimestampMixin, db.Model):
    """A person's role on one plan, and the stakeholder group they speak for."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("plan_id", "user_id"),
        CheckConstraint(f"role IN {ROLES!r}", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("stakeholder_groups.id", ondelete="SET NULL"), index=True)

    user: Mapped[User] = relationship(back_populates="memberships")
    group: Mapped[StakeholderGroup | None] = relationship()

    def __repr__(self) -> str:
        return f"<Membership plan={self.plan_id} user={self.user_id} {self.role}>"


class ApiToken(TimestampMixin, db.Model):
    """A personal token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the token, to tell tokens apart on the profile page.
    prefix: Mapped[str] = mapped_column(String(12))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
