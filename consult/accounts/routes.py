"""Log in and out, register, the profile, the language switch, and a plan's members and groups."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from consult.accounts import operations as ops
from consult.accounts.forms import (
    EmptyForm,
    GroupForm,
    GroupRenameForm,
    LanguageForm,
    LoginForm,
    MemberForm,
    MemberUpdateForm,
    PasswordForm,
    ProfileForm,
    RegisterForm,
    TokenForm,
    UserAccessForm,
)
from consult.accounts.models import ApiToken, Membership, StakeholderGroup, User
from consult.core.errors import Conflict
from consult.core.forms import choices
from consult.extensions import db, limiter, login_manager
from consult.plans.models import Plan
from consult.plans.queries import authorise, load_plan

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(alternative_id: str) -> User | None:
    """Session ids are "<user id>:<session version>": a bumped version ends old sessions."""
    user_id, _sep, version = alternative_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.disabled or user.session_version != int(version):
        return None
    return user


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths are followed after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@login_manager.unauthorized_handler
def _log_in_first():
    """To the login page, and back afterwards. A form sent while logged out goes back to the page it
    was sent from, not to its POST-only address (which a browser would then ask for with GET)."""
    if request.method == "GET":
        back = request.full_path.rstrip("?")
    else:
        referrer = urlsplit(request.referrer or "")
        same_site = referrer.netloc == request.host
        back = (referrer.path + (f"?{referrer.query}" if referrer.query else "")) if same_site else None
    flash(_("Please log in to access this page."), "info")
    return redirect(url_for("accounts.login", next=_safe_next(back)))


def _login_limit():
    return current_app.config["RATELIMIT_LOGIN"]


def _register_limit():
    return current_app.config["RATELIMIT_REGISTER"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("plans.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = ops.authenticate(form.email.data, form.password.data)
        except ops.AccountDisabled:
            form.email.errors.append(_("This account is disabled. Ask the site's administrators if you think "
                                       "this is a mistake."))
        else:
            if user is not None:
                login_user(user, remember=form.remember.data)
                flash(_("Welcome back, %(name)s.", name=user.name), "success")
                return redirect(_safe_next(request.args.get("next")) or url_for("plans.index"))
            form.password.errors.append(_("The e-mail address or the password is not right."))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout():
    if not EmptyForm().validate_on_submit():
        abort(400)
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("plans.index"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("plans.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        if ops.find_user_by_email(form.email.data) is not None:
            form.email.errors.append(_("An account with this e-mail address already exists. Log in instead."))
        else:
            user = ops.create_user(form.email.data, form.name.data, form.password.data)
            login_user(user)
            flash(_("Your account is ready."), "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("plans.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/register.html", form=form), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        ops.update_profile(current_user, form.name.data, form.locale.data, form.notify_replies.data)
        session.pop("lang", None)
        flash(_("Profile saved."), "success")
        return redirect(url_for("accounts.account"))
    if not form.is_submitted():
        form.locale.data = current_user.locale or ""
    status = 422 if form.is_submitted() else 200
    return _account_page(form=form, status=status)


def _account_page(form=None, password_form=None, token_form=None, new_token=None, status=200):
    tokens = list(db.session.scalars(db.select(ApiToken).where(ApiToken.user_id == current_user.id)
                                     .order_by(ApiToken.created_at.desc())))
    # Forms not being answered here must not pick up another form's posted fields ("name"…).
    if form is None:
        form = ProfileForm(formdata=None, obj=current_user)
        form.locale.data = current_user.locale or ""
    return render_template("accounts/account.html", form=form,
                           password_form=password_form or PasswordForm(formdata=None),
                           token_form=token_form or TokenForm(formdata=None), tokens=tokens, new_token=new_token,
                           memberships=_memberships(current_user)), status


def _memberships(user):
    return list(db.session.execute(db.select(Membership, Plan).join(Plan, Plan.id == Membership.plan_id)
                                   .where(Membership.user_id == user.id).order_by(Plan.title)).all())


@bp.post("/account/password")
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("The current password is not right."))
        else:
            ops.change_password(current_user, form.password.data)
            login_user(current_user._get_current_object())  # keep this session; every other one ends
            flash(_("Password changed. You were logged out everywhere else."), "success")
            return redirect(url_for("accounts.account"))
    return _account_page(password_form=form, status=422)


@bp.post("/account/tokens")
@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return _account_page(token_form=form, status=422)
    token, _record = ops.issue_token(current_user, form.name.data)
    # Shown once, on this response only; never stored or logged in clear.
    return _account_page(new_token=token, status=201)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id):
    record = db.session.get(ApiToken, token_id)
    if record is None or record.user_id != current_user.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    ops.revoke_token(record)
    flash(_("The token “%(name)s” is revoked.", name=record.name), "success")
    return redirect(url_for("accounts.account", _anchor="tokens"))


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    if not EmptyForm().validate_on_submit():
        abort(400)
    current_user.end_sessions()
    db.session.flush()
    logout_user()
    flash(_("You are logged out on every device."), "success")
    return redirect(url_for("accounts.login"))


@bp.post("/language")
def set_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400, _("Unknown language."))
    session["lang"] = form.lang.data
    return redirect(_safe_next(request.form.get("next")) or url_for("plans.index"))


# -- a plan's members and stakeholder groups (the team's) ---------------------------------

def _group_choices(plan):
    return choices([("", _("No group"))] + [(str(g.id), g.name) for g in plan.groups])


_ROLE_ORDER = db.case({"team": 0, "moderator": 1}, value=Membership.role, else_=2)


def _members(plan):
    return list(db.session.scalars(db.select(Membership).join(User).where(Membership.plan_id == plan.id)
                                   .options(db.joinedload(Membership.user), db.joinedload(Membership.group))
                                   .order_by(_ROLE_ORDER, User.name)))


def _members_page(plan, form=None, group_form=None, status=200):
    form = form or MemberForm()
    form.group_id.choices = _group_choices(plan)
    return render_template("accounts/members.html", plan=plan, form=form, members=_members(plan),
                           group_form=group_form or GroupForm(), group_choices=_group_choices(plan),
                           empty_form=EmptyForm()), status


@bp.get("/plans/<slug>/members")
def members(slug):
    return _members_page(load_plan(slug, author=True))


@bp.post("/plans/<slug>/members")
def add_member(slug):
    plan = load_plan(slug, author=True)
    form = MemberForm()
    form.group_id.choices = _group_choices(plan)
    if form.validate_on_submit():
        user = ops.find_user_by_email(form.email.data)
        if user is None:
            form.email.errors.append(_("No one has registered with this e-mail address yet."))
        else:
            ops.add_member(plan.id, user, form.role.data, form.group_id.data)
            flash(_("%(name)s is now a member of this plan.", name=user.name), "success")
            return redirect(url_for("accounts.members", slug=plan.slug))
    return _members_page(plan, form=form, status=422)


def _load_membership(slug, membership_id) -> tuple[Plan, Membership]:
    """The plan and one of its memberships: 404 for either missing, then 403 for non-authors."""
    plan = load_plan(slug)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.plan_id != plan.id:
        abort(404)
    authorise(plan, author=True)
    return plan, membership


@bp.post("/plans/<slug>/members/<int:membership_id>")
def update_member(slug, membership_id):
    plan, membership = _load_membership(slug, membership_id)
    form = MemberUpdateForm()
    form.group_id.choices = _group_choices(plan)
    if not form.validate_on_submit():
        abort(422, _("Choose a known role and group."))
    ops.update_member(membership, form.role.data, form.group_id.data)
    flash(_("Membership of %(name)s saved.", name=membership.user.name), "success")
    return redirect(url_for("accounts.members", slug=plan.slug))


@bp.post("/plans/<slug>/members/<int:membership_id>/remove")
def remove_member(slug, membership_id):
    plan, membership = _load_membership(slug, membership_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    name = membership.user.name
    ops.remove_member(membership)
    flash(_("%(name)s is no longer a member of this plan.", name=name), "success")
    return redirect(url_for("accounts.members", slug=plan.slug))


def _load_group(slug, group_id) -> tuple[Plan, StakeholderGroup]:
    """The plan and one of its stakeholder groups: 404 for either missing, then 403 for non-authors."""
    plan = load_plan(slug)
    group = db.session.get(StakeholderGroup, group_id)
    if group is None or group.plan_id != plan.id:
        abort(404)
    authorise(plan, author=True)
    return plan, group


@bp.post("/plans/<slug>/groups")
def add_group(slug):
    plan = load_plan(slug, author=True)
    form = GroupForm()
    if not form.validate_on_submit():
        return _members_page(plan, group_form=form, status=422)
    ops.add_group(plan.id, form.name.data)
    flash(_("Stakeholder group added."), "success")
    return redirect(url_for("accounts.members", slug=plan.slug, _anchor="groups"))


@bp.post("/plans/<slug>/groups/<int:group_id>")
def rename_group(slug, group_id):
    plan, group = _load_group(slug, group_id)
    form = GroupRenameForm()
    if not form.validate_on_submit():
        abort(422, _("A group needs a name of at most 80 characters."))
    ops.rename_group(group, form.name.data)
    flash(_("Stakeholder group renamed."), "success")
    return redirect(url_for("accounts.members", slug=plan.slug, _anchor="groups"))


@bp.post("/plans/<slug>/groups/<int:group_id>/remove")
def remove_group(slug, group_id):
    plan, group = _load_group(slug, group_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    ops.remove_group(group)
    flash(_("Stakeholder group removed."), "success")
    return redirect(url_for("accounts.members", slug=plan.slug, _anchor="groups"))


# -- site administration ------------------------------------------------------------------

def _require_admin():
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not current_user.is_admin:
        abort(403)


@bp.get("/admin/users")
def admin_users():
    _require_admin()
    query = request.args.get("q", "").strip()[:100]
    statement = db.select(User).order_by(User.name).limit(200)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(db.or_(db.func.lower(User.name).like(pattern), User.email.like(pattern)))
    users = list(db.session.scalars(statement))
    return render_template("accounts/admin_users.html", users=users, query=query)

@bp.post("/admin/users/<int:user_id>")
def admin_update_user(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    _require_admin()
    form = UserAccessForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        ops.set_user_access(current_user, user, is_admin=form.is_admin.data, disabled=form.disabled.data)
    except Conflict as refused:  # the admin's own account: say so on the page they were on
        db.session.rollback()
        flash(refused.message, "error")
        return admin_users(), 409  # the list again, the message flashed above it
    flash(_("Access of %(name)s saved.", name=user.name), "success")
    return redirect(url_for("accounts.admin_users", q=request.args.get("q") or None))
