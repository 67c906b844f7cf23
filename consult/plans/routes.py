"""Plan pages: list and read published versions; the team writes drafts and publishes them."""
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from consult.accounts.forms import ROLE_LABELS, EmptyForm
from consult.comments.operations import notify_new_version
from consult.comments.queries import comment_counts
from consult.comments.routes import poster_key, render_action_page
from consult.core.rendering import render_markdown
from consult.core.routing import parse_id
from consult.core.time import local_to_utc
from consult.diffing import display
from consult.extensions import limiter
from consult.moderation.queries import prompted_by_feedback, published_report_versions
from consult.plans import operations as ops
from consult.plans.comparison import compare_versions
from consult.plans.forms import (
    ACTION_FIELD_LABELS,
    CHANGE_LABELS,
    GENERAL_FIELD_LABELS,
    ActionForm,
    GeneralPartForm,
    MoveForm,
    PlanForm,
    PublishForm,
)
from consult.plans.models import ACTION_FIELDS, GENERAL_FIELDS
from consult.plans.queries import (
    authorise,
    is_following,
    load_plan,
    load_publishable_draft,
    load_revision,
    load_version_among,
    load_versions,
    plan_versions,
    require_login,
    user_memberships,
    version_revisions,
    visible_plans,
)

bp = Blueprint("plans", __name__)

PREVIEW_MAX = 20_000


@bp.app_context_processor
def _labels():
    return {"action_fields": ACTION_FIELDS, "action_field_labels": ACTION_FIELD_LABELS,
            "general_fields": GENERAL_FIELDS, "general_field_labels": GENERAL_FIELD_LABELS,
            "role_labels": ROLE_LABELS, "change_labels": CHANGE_LABELS}


def _form_markdown(form, names) -> dict[str, str]:
    return {name: getattr(form, name).data or "" for name in names}


# -- reading -----------------------------------------------------------------------------

@bp.get("/")
def index():
    rows = visible_plans(current_user)
    roles = user_memberships(current_user)
    admin = current_user.is_authenticated and current_user.is_admin
    rows = [(plan, version) for plan, version in rows if version is not None or plan.id in roles or admin]
    can_create = current_user.is_authenticated and current_user.can_create_plan()
    return render_template("plans/index.html", rows=rows, roles=roles, can_create=can_create)


@bp.get("/plans/<slug>")
def show_plan(slug):
    plan = load_plan(slug)
    versions = plan_versions(plan, include_drafts=plan.can_author(current_user))
    latest = next((v for v in versions if v.is_published), None)
    if latest is None:
        if plan.can_author(current_user):
            return redirect(url_for("plans.edit_draft", slug=plan.slug))
        abort(404, _("This plan has no published version yet."))
    return _render_version(plan, versions, latest)


@bp.get("/plans/<slug>/versions/<int:number>")
def show_version(slug, number):
    plan = load_plan(slug)
    version, versions = load_version_among(plan, number)
    return _render_version(plan, versions, version)


def _render_version(plan, versions, version):
    """One version with every action; `versions` (newest first) feeds the version list."""
    if not plan.can_author(current_user):
        versions = [v for v in versions if v.is_published]
    latest = next((v for v in versions if v.is_published), None)
    shown = [v.id for v in versions if v.is_published and v.number <= version.number]
    counts = comment_counts(shown, plan.id) if version.is_published else {}
    previous = next((v for v in versions if v.is_published and v.number < version.number), None)
    cookie = f"seen_plan_{plan.id}"
    seen = request.cookies.get(cookie, "")
    seen_number = parse_id(seen)
    new_since = seen_number if latest and seen_number and seen_number < latest.number else None
    published_reports = published_report_versions([v.id for v in versions if v.is_published])
    reports = [(v, v.id in published_reports) for v in versions
               if v.id in published_reports or (v.is_published and plan.can_moderate(current_user))]
    response = make_response(render_template(
        "plans/version.html", plan=plan, version=version, versions=versions, latest=latest,
        revisions=version_revisions(version), counts=counts, previous=previous, new_since=new_since,
        following=is_following(plan, current_user), reports=reports))
    if latest and version.id == latest.id and seen_number != latest.number:  # seen once the latest is read
        response.set_cookie(cookie, str(latest.number), max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


@bp.post("/plans/<slug>/follow")
def follow(slug):
    plan = load_plan(slug)
    require_login()
    if not EmptyForm().validate_on_submit():
        abort(400)
    following = ops.toggle_follow(plan, current_user)
    flash(_("You will get an e-mail when a new version is published.") if following
          else _("You no longer follow this plan."), "success")
    return redirect(url_for("plans.show_plan", slug=plan.slug))


@bp.get("/plans/<slug>/versions/<int:number>/actions/<key>")
def show_action(slug, number, key):
    plan = load_plan(slug)
    version, versions = load_version_among(plan, number)
    return render_action_page(plan, versions, version, load_revision(version, key))


# -- creating and editing a plan ---------------------------------------------------------

@bp.route("/plans/new", methods=["GET", "POST"])
@login_required
def new_plan():
    if not current_user.can_create_plan():
        abort(403, _("Only site admins and members of a project team can start a plan."))
    form = PlanForm()
    if not form.validate_on_submit():
        return _plan_form(form, None)
    data = {k: v for k, v in form.data.items() if k not in ("submit", "csrf_token", "slug")}
    plan = ops.create_plan(current_user, form.slug.data, **data)
    flash(_("Plan created. Write its first draft below."), "success")
    return redirect(url_for("plans.edit_draft", slug=plan.slug))


@bp.route("/plans/<slug>/settings", methods=["GET", "POST"])
def plan_settings(slug):
    plan = load_plan(slug, author=True)
    form = PlanForm(obj=plan)
    if not form.validate_on_submit():
        return _plan_form(form, plan)
    data = {k: v for k, v in form.data.items() if k not in ("submit", "csrf_token", "slug")}
    ops.update_plan(plan, form.slug.data, **data)
    flash(_("Plan settings saved."), "success")
    return redirect(url_for("plans.plan_settings", slug=plan.slug))


def _plan_form(form, plan):
    status = 422 if form.is_submitted() else 200
    return render_template("plans/plan_form.html", form=form, plan=plan), status


# -- the draft ---------------------------------------------------------------------------

def _load_draft(slug, key=None):
    """The plan's draft and, given a key, one of its actions: 404 for any of them missing, then 403."""
    plan = load_plan(slug)
    draft = ops.current_draft(plan)
    if draft is None:
        abort(404, _("This plan has no draft at the moment. Start one from the latest published version.")
              if plan.can_author(current_user) else None)
    revision = load_revision(draft, key) if key is not None else None
    authorise(plan, author=True)
    return plan, draft, revision


@bp.get("/plans/<slug>/draft")
def edit_draft(slug):
    plan = load_plan(slug, author=True)
    draft = ops.current_draft(plan)
    general = GeneralPartForm(data=_stored_markdown(draft, GENERAL_FIELDS)) if draft else None
    return render_template("plans/draft.html", plan=plan, draft=draft, general=general,
                           revisions=version_revisions(draft) if draft else [],
                           latest=ops.latest_published(plan), action_form=EmptyForm())


def _stored_markdown(target, names) -> dict[str, str]:
    return {name: getattr(target, f"{name}_md") for name in names}


@bp.post("/plans/<slug>/draft/general")
def save_general(slug):
    plan, draft, _revision = _load_draft(slug)
    form = GeneralPartForm()
    if not form.validate_on_submit() or form.preview.data:
        previews = {n: render_markdown(getattr(form, n).data) for n in GENERAL_FIELDS} if form.preview.data else None
        status = 200 if form.preview.data and not form.errors else 422
        return render_template("plans/draft.html", plan=plan, draft=draft, general=form, previews=previews,
                               revisions=version_revisions(draft), latest=ops.latest_published(plan),
                               action_form=EmptyForm()), status
    ops.update_general_part(draft, **_form_markdown(form, GENERAL_FIELDS))
    flash(_("General part saved."), "success")
    return redirect(url_for("plans.edit_draft", slug=plan.slug))


@bp.route("/plans/<slug>/draft/actions/new", methods=["GET", "POST"])
def new_action(slug):
    plan, draft, _revision = _load_draft(slug)
    form = ActionForm()
    if not form.validate_on_submit() or form.preview.data:
        return _action_form(form, plan, draft, None)
    revision = ops.add_action(draft, form.title.data, **_form_markdown(form, ACTION_FIELDS))
    flash(_("Action %(key)s added.", key=revision.key), "success")
    return redirect(url_for("plans.edit_draft", slug=plan.slug, _anchor=revision.key))


@bp.route("/plans/<slug>/draft/actions/<key>", methods=["GET", "POST"])
def edit_action(slug, key):
    plan, draft, revision = _load_draft(slug, key)
    form = ActionForm(data={"title": revision.title, **_stored_markdown(revision, ACTION_FIELDS)})
    if not form.validate_on_submit() or form.preview.data:
        return _action_form(form, plan, draft, revision)
    ops.update_action(revision, form.title.data, **_form_markdown(form, ACTION_FIELDS))
    flash(_("Action %(key)s saved.", key=revision.key), "success")
    return redirect(url_for("plans.edit_draft", slug=plan.slug, _anchor=revision.key))


def _action_form(form, plan, draft, revision):
    previews = None
    status = 200
    if form.is_submitted():
        if form.preview.data:
            previews = {n: render_markdown(getattr(form, n).data) for n in ACTION_FIELDS}
        status = 422 if form.errors else 200
    return render_template("plans/action_form.html", form=form, plan=plan, draft=draft, revision=revision,
                           previews=previews), status


@bp.post("/plans/<slug>/draft/actions/<key>/move")
def move_action(slug, key):
    plan, draft, revision = _load_draft(slug, key)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400, _("Say whether to move the action up or down."))
    ops.move_action(revision, -1 if form.direction.data == "up" else 1)
    return redirect(url_for("plans.edit_draft", slug=plan.slug, _anchor=revision.key))


@bp.post("/plans/<slug>/draft/actions/<key>/remove")
def remove_action(slug, key):
    plan, draft, revision = _load_draft(slug, key)
    if not EmptyForm().validate_on_submit():
        abort(400)
    ops.remove_action(revision)
    flash(_("Action %(key)s removed from this draft.", key=key), "success")
    return redirect(url_for("plans.edit_draft", slug=plan.slug))


@bp.route("/plans/<slug>/draft/publish", methods=["GET", "POST"])
def publish(slug):
    plan = load_plan(slug)
    form = PublishForm(zone=plan.timezone, first=ops.latest_published(plan) is None)
    if form.is_submitted() and not form.version.validate(form):  # a number no version can have
        abort(400, _("This form does not name a draft of this plan. Open the publish page again."))
    draft = load_publishable_draft(plan, form.version.data if form.is_submitted() else None)
    if not form.is_submitted():
        form.version.data = draft.number  # the form names the draft it was loaded for
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("plans/publish.html", plan=plan, draft=draft, form=form,
                               revisions=version_revisions(draft)), status
    opens = local_to_utc(form.opens_at.data, plan.timezone) if form.opens_at.data else None
    closes = local_to_utc(form.closes_at.data, plan.timezone) if form.closes_at.data else None
    summary = ops.prepare_markdown(form.change_summary.data)  # rendered before any write
    previous = ops.latest_published(plan)
    ops.publish_version(draft, current_user, summary[0], opens, closes, prepared=summary)
    if previous is not None:
        compare_versions(previous, draft)  # store the diffs now, so the first reader waits for nothing
    told = notify_new_version(plan, draft, previous)
    flash(_("Version %(number)s is published.", number=draft.number) + " " +
          ngettext("%(num)s person is told by e-mail.", "%(num)s people are told by e-mail.", told), "success")
    return redirect(url_for("plans.show_version", slug=plan.slug, number=draft.number))


@bp.post("/plans/<slug>/draft/start")
def start_draft(slug):
    plan = load_plan(slug, author=True)
    if not EmptyForm().validate_on_submit():
        abort(400)
    draft = ops.start_draft(plan, current_user)
    flash(_("Draft version %(number)s started as a copy of the latest published version.",
            number=draft.number), "success")
    return redirect(url_for("plans.edit_draft", slug=plan.slug))


@bp.post("/plans/<slug>/draft/discard")
def discard_draft(slug):
    plan, draft, _revision = _load_draft(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    ops.discard_draft(draft)
    flash(_("The draft was discarded."), "success")
    return redirect(url_for("plans.show_plan", slug=plan.slug))


def _preview_limit() -> str:
    return current_app.config["RATELIMIT_PREVIEW"]


@bp.post("/preview")
@login_required
@limiter.limit(_preview_limit, key_func=poster_key)
def preview():
    """Render Markdown for the editor's live preview (the same function that stores it)."""
    source = request.form.get("text", "")
    if len(source) > PREVIEW_MAX:
        return jsonify(error={"code": 413, "message": _("The text is too long to preview."), "fields": {}}), 413
    return jsonify(html=render_markdown(source))


# -- comparing versions --------------------------------------------------------------------

@bp.get("/plans/<slug>/compare")
def compare_default(slug):
    """The latest published version against the one before it (the team: the draft against the latest)."""
    plan = load_plan(slug)
    versions = plan_versions(plan, include_drafts=plan.can_author(current_user))
    newest = versions[0] if versions else None
    older = next((v for v in versions[1:] if v.is_published), None)
    if newest is None or older is None:
        abort(404, _("There is only one version: nothing to compare yet."))
    return redirect(url_for("plans.compare", slug=plan.slug, old=older.number, new=newest.number))


@bp.get("/plans/<slug>/compare/<int:old>/<int:new>")
def compare(slug, old, new):
    plan = load_plan(slug)
    old_version, new_version = load_versions(plan, old, new)
    if old == new:
        abort(400, _("Choose two different versions to compare."))
    comparison = compare_versions(old_version, new_version)
    view = "side" if request.args.get("view") == "side" else "inline"
    versions = plan_versions(plan, include_drafts=plan.can_author(current_user))
    prompted = prompted_by_feedback(plan.id, old_version, new_version)
    return render_template("plans/compare.html", plan=plan, old=old_version, new=new_version,
                           comparison=comparison, view=view, versions=versions, prompted=prompted,
                           diff_display=display.present, diff_groups=display.groups)
