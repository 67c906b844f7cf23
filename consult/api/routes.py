"""/api/v1: JSON mirrors of the plan, version and thread pages; comments posted with a personal token.

Authentication is `Authorization: Bearer <token>` only: session cookies are ignored, so no
CSRF token is needed and a browser session can never write through the API.
"""
import hashlib

from flask import Blueprint, abort, current_app, g, jsonify, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from sqlalchemy import select

from consult.accounts.models import Membership, StakeholderGroup
from consult.accounts.operations import user_for_token
from consult.api.openapi import openapi_document
from consult.comments import operations as comment_ops
from consult.comments.models import STANCES, Comment
from consult.comments.queries import CommentView, comment_counts, version_thread
from consult.core.errors import Invalid
from consult.core.routing import parse_id
from consult.extensions import csrf, db, limiter
from consult.moderation.models import DISPOSITIONS, PublishedReport
from consult.moderation.queries import plan_tags
from consult.moderation.tally import STANCE_ORDER, Filters, tally
from consult.plans.comparison import compare_versions
from consult.plans.models import ACTION_FIELDS, GENERAL_FIELDS, Action, ActionRevision, Plan, PlanVersion
from consult.plans.queries import load_versions, version_revisions, visible_plans

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class _Anonymous:
    is_authenticated = False
    is_admin = False
    id = None


ANONYMOUS = _Anonymous()


def api_user():
    """The token's user (401 for a bad token), or an anonymous visitor when no token is sent."""
    if "api_user" in g:
        return g.api_user
    header = request.headers.get("Authorization", "")
    if not header:
        g.api_user = ANONYMOUS
        return g.api_user
    scheme, _sep, token = header.partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if user is None:
        abort(401, _("The API token is missing, unknown or revoked."))
    g.api_user = user
    return user


def _require_token():
    user = api_user()
    if not user.is_authenticated:
        abort(401, _("Send a personal API token: Authorization: Bearer <token>."))
    return user


def _poster_key() -> str:
    """Limit per token (by its hash, without a database read) or per address."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "token:" + hashlib.sha256(token.strip().encode()).hexdigest()[:24]
    return get_remote_address()


def _posting_limit() -> str:
    return current_app.config["RATELIMIT_POSTING"]


def _iso(value):
    return value.isoformat() if value else None


def _load_plan(slug: str) -> Plan:
    plan = db.session.scalar(select(Plan).where(Plan.slug == slug))
    if plan is None or not plan.can_view(api_user()):
        abort(404, _("There is no plan at this address."))
    return plan


def _load_version(plan: Plan, number: int) -> PlanVersion:
    return _load_versions(plan, number)[0]


def _load_versions(plan: Plan, *numbers: int) -> list[PlanVersion]:
    """404 for any of them missing, before a 403 for any draft, saying which and why."""
    return load_versions(plan, *numbers, user=api_user(), explain=True)


def _load_revision(version, key: str) -> ActionRevision:
    revision = db.session.scalar(select(ActionRevision).join(Action).where(
        ActionRevision.version_id == version.id, Action.key == key))
    if revision is None:
        abort(404, _("This version has no action %(key)s.", key=key))
    return revision


def _text(target, name: str) -> dict:
    return {"markdown": getattr(target, f"{name}_md"), "html": getattr(target, f"{name}_html")}


def _comment_json(node) -> dict:
    """One comment as the thread page shows it: a hidden or deleted one is a placeholder without
    text, author, group, stance or passage, saying why."""
    deleted = node.status == "deleted"
    placeholder = deleted or node.status == "hidden"
    return {
        "id": node.id,
        "parent_id": node.parent_id,
        "version": node.version_number,
        "status": node.status,
        "hidden_reason": node.hidden_reason if node.status == "hidden" else None,
        "author": None if placeholder else (node.author_name or None),
        "stakeholder_group": None if placeholder else node.group_name,
        "stance": None if placeholder else node.stance,
        "body_html": None if placeholder else node.body_html,
        "created_at": _iso(node.created_at),
        "edited": node.edited_at is not None,
        "edited_at": _iso(node.edited_at),
        "deleted": deleted,
        "url": url_for("comments.permalink", comment_id=node.id, _external=True),
        "anchor": {"field": node.anchor_field, "quote": node.anchor_quote} if node.anchor_quote and not placeholder
        else None,
        "replies": [_comment_json(child) for child in node.replies],
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/plans")
def list_plans():
    user = api_user()
    rows = visible_plans(user)
    return jsonify(plans=[{
        "slug": plan.slug, "title": plan.title, "summary": plan.summary, "organisation": plan.organisation,
        "project": plan.project, "policy_instrument": plan.policy_instrument, "language": plan.language,
        "timezone": plan.timezone, "visibility": plan.visibility,
        "latest_version": version.number if version else None,
        "url": url_for("plans.show_plan", slug=plan.slug, _external=True),
    } for plan, version in rows if version is not None])


@bp.get("/plans/<slug>/versions/<int:number>")
def get_version(slug, number):
    plan = _load_plan(slug)
    version = _load_version(plan, number)
    revisions = version_revisions(version)
    counts = comment_counts([version.id], plan.id)
    return jsonify({
        "plan": plan.slug,
        "number": version.number,
        "status": version.status,
        "published_at": _iso(version.published_at),
        "window": {"opens_at": _iso(version.opens_at), "closes_at": _iso(version.closes_at),
                   "state": version.window_state(), "accepts_comments": version.accepts_comments()},
        "general": {name: _text(version, name) for name in GENERAL_FIELDS},
        "change_summary": _text(version, "change_summary"),
        "actions": [{
            "key": r.key, "position": r.position, "title": r.title,
            "fields": {name: _text(r, name) for name in ACTION_FIELDS},
            "comment_count": counts.get(r.action_id, 0),
        } for r in revisions],
    })


@bp.get("/plans/<slug>/compare/<int:old>/<int:new>")
def get_comparison(slug, old, new):
    """Every action by key with its change and word-level ops per field."""
    plan = _load_plan(slug)
    old_version, new_version = _load_versions(plan, old, new)
    if old == new:
        abort(400, _("Choose two different versions to compare."))
    comparison = compare_versions(old_version, new_version)
    return jsonify({"from": old, "to": new, "actions": [{
        "key": a.key, "change": a.change, "from_position": a.from_position, "to_position": a.to_position,
        "words_added": a.words_added, "words_removed": a.words_removed,
        "fields": [{"name": f.name, "ops": [list(op) for op in f.ops]} for f in a.fields],
    } for a in comparison.actions], "general": [
        {"name": f.name, "ops": [list(op) for op in f.ops]} for f in comparison.general]})


@bp.get("/plans/<slug>/versions/<int:number>/tally")
def get_tally(slug, number):
    """Per action: visible comments split by stance, group, tag and answer; hidden and pending apart.
    Public once the version's report is published (the report page shows the same counts)."""
    plan = _load_plan(slug)
    version = _load_version(plan, number)
    if not PublishedReport.can_view(plan, version, api_user()):
        abort(403, _("The tally is published with the version's consultation report; until then only the "
                     "plan's moderators and team can read it."))
    revisions = version_revisions(version)
    tallies = tally(plan.id, [r.action_id for r in revisions], Filters(version_ids=(version.id,)))
    groups = {g.id: g.name for g in plan.groups}
    tags = {t.id: t.name for t in plan_tags(plan.id)}
    return jsonify(plan=plan.slug, version=version.number, actions=[{
        "key": r.key,
        "total": t.total,
        "participants": t.participants,
        "hidden": t.hidden,
        "pending": t.pending,
        "answered": t.answered,
        "by_stance": {key: t.by_stance.get(key, 0) for key in STANCE_ORDER},
        "by_group": {groups.get(group_id, "") if group_id else "": count for group_id, count in t.by_group.items()},
        "by_tag": {tags.get(tag_id, str(tag_id)): count for tag_id, count in t.by_tag.items()},
        "by_disposition": {key: t.by_disposition.get(key, 0) for key in DISPOSITIONS},
    } for r in revisions for t in [tallies[r.action_id]]])


@bp.get("/plans/<slug>/versions/<int:number>/actions/<key>/comments")
def get_comments(slug, number, key):
    plan = _load_plan(slug)
    version = _load_version(plan, number)
    revision = _load_revision(version, key)
    roots, total = version_thread(version, revision.action_id)
    return jsonify(plan=plan.slug, version=version.number, action=revision.key, total=total,
                   comments=[_comment_json(node) for node in roots])


NEW_COMMENT_KEYS = {"body", "stance", "parent_id", "anchor"}
ANCHOR_KEYS = {"field", "quote", "prefix", "suffix"}


def _is_text(value: str) -> bool:
    """JSON may escape half a surrogate pair (\\ud800), which no database stores as text."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@bp.post("/plans/<slug>/versions/<int:number>/actions/<key>/comments")
@limiter.limit(_posting_limit, key_func=_poster_key)
def post_comment(slug, number, key):
    # Who is asking comes first (a bad token is 401 whatever the body); then everything that needs
    # no database: parsing, validating and rendering the Markdown happen before the write
    # transaction takes SQLite's lock.
    user = _require_token()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, _("Send a JSON object: {\"body\": …, \"stance\": …, \"parent_id\": …}."))
    body, stance, parent_id = data.get("body"), data.get("stance"), data.get("parent_id")
    # As the OpenAPI document says (additionalProperties: false): a misspelt key is named, not dropped.
    fields = {name: _("Unknown field.") for name in sorted(set(data) - NEW_COMMENT_KEYS)}
    if not isinstance(body, str):
        fields["body"] = _("A text is required.")
    if stance is not None and stance not in STANCES:
        fields["stance"] = _("One of: %(choices)s.", choices=", ".join(STANCES))
    if parent_id is not None and (not isinstance(parent_id, int) or isinstance(parent_id, bool)):
        fields["parent_id"] = _("A comment id (a number) or null.")
    elif parent_id is not None and parse_id(parent_id) != parent_id:  # beyond any id the database holds
        fields["parent_id"] = _("Unknown comment.")
    anchor_data = data.get("anchor")
    if anchor_data is not None and not (isinstance(anchor_data, dict) and isinstance(anchor_data.get("field"), str)
                                        and isinstance(anchor_data.get("quote"), str)):
        fields["anchor"] = _("An object with the action field and the quoted text: {\"field\", \"quote\"}.")
    elif anchor_data is not None and set(anchor_data) - ANCHOR_KEYS:
        fields["anchor"] = _("Unknown field.")
    texts = [("body", body)] + [("anchor", anchor_data.get(k)) for k in ANCHOR_KEYS if isinstance(anchor_data, dict)]
    for name, value in texts:
        if isinstance(value, str) and not _is_text(value):
            fields[name] = _("This holds characters that are not text (an unpaired surrogate).")
    if fields:
        raise Invalid(_("Some fields are not valid."), fields)
    prepared = comment_ops.prepare_body(body)
    plan = _load_plan(slug)
    version = _load_version(plan, number)
    revision = _load_revision(version, key)
    parent = None
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        if parent is None or parent.plan_id != plan.id:
            raise Invalid(_("You can only reply to a comment on the same action and version."),
                          {"parent_id": _("Unknown comment.")})
    # One read for the membership and its group's name; it also serves post_comment's checks.
    row = db.session.execute(select(Membership, StakeholderGroup.name)
                             .outerjoin(StakeholderGroup, StakeholderGroup.id == Membership.group_id)
                             .where(Membership.plan_id == plan.id, Membership.user_id == user.id)).first()
    plan.remember_membership(user, row[0] if row else None)
    group = row[1] if row else None
    anchor = None
    if anchor_data is not None:
        anchor = comment_ops.passage_anchor(revision, anchor_data["field"], anchor_data["quote"],
                                            str(anchor_data.get("prefix") or ""), str(anchor_data.get("suffix") or ""))
    comment = comment_ops.post_comment(plan, version, revision, user, body, stance, parent, prepared, anchor)
    node = CommentView(
        id=comment.id, parent_id=comment.parent_id, root_id=comment.root_id, depth=comment.depth,
        version_id=comment.version_id, author_id=user.id, author_name=user.name,
        group_name=group, stance=comment.stance,
        body_html=comment.body_html, status=comment.status, source=comment.source, reply_count=0,
        created_at=comment.created_at, edited_at=None, version_number=version.number,
        anchor_field=comment.anchor_field, anchor_quote=comment.anchor_quote)
    response = jsonify(_comment_json(node))
    response.status_code = 201
    response.headers["Location"] = url_for("comments.permalink", comment_id=comment.id, _external=True)
    return response
