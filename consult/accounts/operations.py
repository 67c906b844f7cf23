"""Account operations: create users, change passwords, manage memberships. They flush, never commit."""
import hashlib
import hmac
import secrets

from flask_babel import gettext as _

from consult.accounts.models import DEFAULT_GROUPS, ROLES, ApiToken, Membership, StakeholderGroup, User
from consult.core.errors import Conflict, Invalid
from consult.core.models import utcnow
from consult.extensions import db


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


def create_user(email: str, name: str, password: str, *, is_admin: bool = False) -> User:
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise Conflict(_("An account with this e-mail address already exists."))
    user = User(email=email, name=name.strip(), is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


class AccountDisabled(Exception):
    """The e-mail address and the password match, but an admin has disabled the account."""


def authenticate(email: str, password: str) -> User | None:
    """The user whose e-mail and password match, if active; None otherwise.

    A disabled account raises AccountDisabled, but only once its password checked out, so the
    answer tells nothing about an address to someone who does not know its password."""
    user = find_user_by_email(email)
    if user is None or not user.check_password(password):
        return None
    if user.disabled:
        raise AccountDisabled(user.email)
    user.last_login_at = utcnow()
    return user


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end every other session of this user."""
    user.set_password(new_password)
    user.end_sessions()
    db.session.flush()


def update_profile(user: User, name: str, locale: str | None, notify_replies: bool) -> None:
    user.name = name.strip()
    user.locale = locale or None
    user.notify_replies = notify_replies
    db.session.flush()


def add_default_groups(plan_id: int) -> None:
    for position, name in enumerate(DEFAULT_GROUPS):
        db.session.add(StakeholderGroup(plan_id=plan_id, name=name, position=position))
    db.session.flush()


def _refuse_taken_group_name(plan_id: int, name: str, except_id: int | None = None) -> None:
    """"Citizen" and "citizen" would split the tallies: names are compared without case (in Python,
    which folds ș and Ș as SQLite's lower() does not; a plan has a dozen groups)."""
    taken = db.session.scalars(db.select(StakeholderGroup.name).where(
        StakeholderGroup.plan_id == plan_id, StakeholderGroup.id != (except_id or 0)))
    if name.casefold() in {other.casefold() for other in taken}:
        raise Conflict(_("This plan already has a stakeholder group with that name."))


def add_group(plan_id: int, name: str) -> StakeholderGroup:
    name = name.strip()
    _refuse_taken_group_name(plan_id, name)
    position = db.session.scalar(db.select(db.func.coalesce(db.func.max(StakeholderGroup.position), -1)).where(
        StakeholderGroup.plan_id == plan_id)) + 1
    group = StakeholderGroup(plan_id=plan_id, name=name, position=position)
    db.session.add(group)
    db.session.flush()
    return group


def rename_group(group: StakeholderGroup, name: str) -> None:
    name = name.strip()
    _refuse_taken_group_name(group.plan_id, name, group.id)
    group.name = name
    db.session.flush()


def remove_group(group: StakeholderGroup) -> None:
    """Remove a group; members in it keep their membership without a group."""
    db.session.delete(group)
    db.session.flush()


def _check_group(plan_id: int, group_id: int | None) -> None:
    if group_id is None:
        return
    ok = db.session.scalar(db.select(StakeholderGroup.id).where(
        StakeholderGroup.id == group_id, StakeholderGroup.plan_id == plan_id))
    if not ok:
        raise Invalid(_("That stakeholder group does not belong to this plan."))


def add_member(plan_id: int, user: User, role: str, group_id: int | None) -> Membership:
    if role not in ROLES:
        raise Invalid(_("Unknown role."))
    _check_group(plan_id, group_id)
    exists = db.session.scalar(db.select(Membership.id).where(
        Membership.plan_id == plan_id, Membership.user_id == user.id))
    if exists:
        raise Conflict(_("This person is already a member of the plan."))
    membership = Membership(plan_id=plan_id, user_id=user.id, role=role, group_id=group_id)
    db.session.add(membership)
    db.session.flush()
    return membership


def _team_count(plan_id: int) -> int:
    return db.session.scalar(db.select(db.func.count(Membership.id)).where(
        Membership.plan_id == plan_id, Membership.role == "team"))


def update_member(membership: Membership, role: str, group_id: int | None) -> None:
    if role not in ROLES:
        raise Invalid(_("Unknown role."))
    _check_group(membership.plan_id, group_id)
    if membership.role == "team" and role != "team" and _team_count(membership.plan_id) <= 1:
        raise Conflict(_("A plan needs at least one team member."))
    membership.role = role
    membership.group_id = group_id
    db.session.flush()


def remove_member(membership: Membership) -> None:
    if membership.role == "team" and _team_count(membership.plan_id) <= 1:
        raise Conflict(_("A plan needs at least one team member."))
    db.session.delete(membership)
    db.session.flush()


def set_user_access(actor: User, user: User, *, is_admin: bool, disabled: bool) -> None:
    """A site admin grants or removes admin rights, or disables an account (ending its sessions)."""
    if user.id == actor.id and (not is_admin or disabled):
        raise Conflict(_("You cannot remove your own admin rights or disable your own account."))
    if disabled and not user.disabled:
        user.end_sessions()
    user.is_admin = is_admin
    user.disabled = disabled
    db.session.flush()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, name: str) -> tuple[str, ApiToken]:
    """A new personal API token: the clear text is returned once and never stored."""
    token = "cst_" + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, name=name.strip()[:80] or "API", token_hash=_hash_token(token),
                      prefix=token[:12])
    db.session.add(record)
    db.session.flush()
    return token, record


def revoke_token(record: ApiToken) -> None:
    if record.revoked_at is None:
        record.revoked_at = utcnow()
    db.session.flush()


def user_for_token(token: str) -> User | None:
    """The active user holding this active token, or None. The lookup is by hash (no timing leak
    of the token itself); the stored hash is compared in constant time as well."""
    digest = _hash_token(token)
    row = db.session.execute(db.select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                             .where(ApiToken.token_hash == digest)).first()
    if row is None:
        return None
    record, user = row
    if record.revoked_at is not None or not hmac.compare_digest(record.token_hash, digest) or user.disabled:
        return None
    now = utcnow()
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 3600:
        record.last_used_at = now  # at most one write an hour, so reads stay reads
    return user
