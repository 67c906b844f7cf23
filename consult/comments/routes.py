"""Comment pages: the thread under an action, posting, replying, editing, deleting, reporting."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlalchemy import select

from consult.accounts.forms import EmptyForm
from consult.comments import operations as ops
from consult.comments.forms import STANCE_HINTS, STANCE_LABELS, CommentForm, EditForm, ReportForm
from consult.comments.models import STATUS_PENDING, Comment, CommentEdit
from consult.comments.queries import SORTS, load_comment, load_live_comment, report_by, root_page, thread_page
from consult.core.errors import Conflict, Invalid
from consult.core.forms import add_errors, choices
from consult.core.rendering import html_blocks, html_to_text, render_markdown
from consult.core.routing import parse_id
from consult.diffing.anchors import Anchor, reanchor
from consult.extensions import db, limiter
from consult.moderation import queries as moderation_queries
from consult.moderation.queries import responses_for, tags_for
from consult.plans.forms import ACTION_FIELD_LABELS
from consult.plans.models import ACTION_FIELDS, Action, ActionRevision
from consult.plans.queries import load_plan, load_revision, load_version_among, plan_versions, require_login

bp = Blueprint("comments", __name__)


def posting_limit() -> str:
    return current_app.config["RATELIMIT_POSTING"]


def editing_limit() -> str:
    return current_app.config["RATELIMIT_EDITING"]


def reporting_limit() -> str:
    return current_app.config["RATELIMIT_REPORTING"]


def poster_key() -> str:
    """Limits count per person when logged in, per address otherwise."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


@bp.app_context_processor
def _labels():
    return {"stance_labels": STANCE_LABELS, "stance_hints": STANCE_HINTS}


def _page_number() -> int:
    page = parse_id(request.args.get("page", "1"))
    return page if page is not None and page < 100_000 else 1


def render_action_page(plan, versions, version, revision, form=None, status=200, previews=None):
    """The action page: its text and its threads (comments on this and earlier versions)."""
    shown = [v for v in versions if v.is_published and v.number <= version.number]
    sort = request.args.get("sort", "oldest")
    moderator = plan.can_moderate(current_user)
    viewer_id = current_user.id if current_user.is_authenticated else None
    threads = thread_page(revision.action_id, shown, sort if sort in SORTS else "oldest", _page_number(),
                          viewer_id=viewer_id, moderator=moderator) if version.is_published else None
    if not plan.can_author(current_user):
        versions = [v for v in versions if v.is_published]
    latest = next((v for v in versions if v.is_published), None)
    can_comment = plan.can_comment(current_user, version)
    # Superseded: point to the same action in the version that takes comments now (if it kept it).
    successor = version.superseded_by
    comment_there = None
    if successor is not None:
        kept = db.session.scalar(select(ActionRevision.id).where(
            ActionRevision.version_id == successor.id, ActionRevision.action_id == revision.action_id))
        comment_there = (url_for("plans.show_action", slug=plan.slug, number=successor.number, key=revision.key,
                                 _anchor="discussion") if kept else
                         url_for("plans.show_version", slug=plan.slug, number=successor.number))
    if form is None and can_comment:
        form = CommentForm()
    shown = [c for thread in (threads.threads if threads else []) for c in [thread, *thread.replies]]
    shown_ids = [c.id for c in shown]
    _follow_anchors(shown, version, revision)
    if form is not None:
        form.quote_paragraph.choices = choices([("", _("— the whole action —"))] + paragraph_choices(revision))
    return render_template("plans/action.html", plan=plan, version=version, revision=revision, versions=versions,
                           latest=latest, threads=threads, form=form, can_comment=can_comment,
                           comment_there=comment_there,
                           previews=previews or {}, action_form=EmptyForm(),
                           responses=responses_for(shown_ids), tags_by_comment=tags_for(shown_ids)), status


def paragraphs(revision) -> list[tuple[str, int, str]]:
    """(field, index, text) for every paragraph or list item of the action, as readers see it."""
    found = []
    for name in ACTION_FIELDS:
        for index, block in enumerate(html_blocks(getattr(revision, f"{name}_html"))):
            found.append((name, index, block))
    return found


def paragraph_choices(revision) -> list[tuple[str, str]]:
    return [(f"{name}:{index}", f"{ACTION_FIELD_LABELS[name]} — {text[:70]}{'…' if len(text) > 70 else ''}")
            for name, index, text in paragraphs(revision)]


def _anchor_from_form(form, revision):
    choice = form.quote_paragraph.data or ""
    if choice:
        name, _sep, index = choice.partition(":")
        match = next((text for field, i, text in paragraphs(revision) if field == name and str(i) == index), None)
        if match is None:
            message = _("The chosen paragraph is not part of this action.")
            raise Invalid(message, {"anchor": message})
        return ops.passage_anchor(revision, name, match)
    return ops.passage_anchor(revision, form.anchor_field.data, form.anchor_quote.data, form.anchor_prefix.data or "",
                              form.anchor_suffix.data or "")


def _follow_anchors(comments, version, revision) -> None:
    """Re-anchor the passages quoted by comments of earlier versions in this version's text."""
    earlier = [c for c in comments if c.anchor_quote and c.revision_id != revision.id and not c.is_placeholder]
    if not earlier:
        return
    old_revisions = {r.id: r for r in db.session.scalars(
        select(ActionRevision).where(ActionRevision.id.in_({c.revision_id for c in earlier})))}
    for c in earlier:
        old = old_revisions.get(c.revision_id)
        if old is None or c.anchor_field not in ACTION_FIELDS:
            continue
        old_text = " ".join(html_to_text(getattr(old, f"{c.anchor_field}_html")).split())
        new_text = " ".join(html_to_text(getattr(revision, f"{c.anchor_field}_html")).split())
        located = reanchor(old_text, new_text, Anchor(c.anchor_quote, c.anchor_prefix or "", c.anchor_suffix or ""))
        c.anchor_status, c.anchor_found = located.status, located.text or None


def _load_context(slug, number, key):
    plan = load_plan(slug)
    version, versions = load_version_among(plan, number)
    return plan, versions, version, load_revision(version, key)


@bp.post("/plans/<slug>/versions/<int:number>/actions/<key>/comments")
@limiter.limit(posting_limit, key_func=poster_key, methods=["POST"])
def post_comment(slug, number, key):
    plan, versions, version, revision = _load_context(slug, number, key)
    require_login()
    form = CommentForm()
    parent = _load_parent(form.parent_id.data)
    if parent is not None and not parent.is_visible:  # before anything quotes it back
        abort(409, _("This comment cannot be answered: it was deleted or hidden."))
    if form.validate_on_submit() and not form.preview.data:
        try:
            anchor = _anchor_from_form(form, revision) if parent is None else None
            comment = ops.post_comment(plan, version, revision, current_user, form.body.data,
                                       form.stance.data or None, parent, anchor=anchor)
        except Invalid as error:  # shown on the form again, with what was typed
            add_errors(form, error, {"anchor": "quote_paragraph"})
        else:
            flash(_posted_message(comment, parent), "success")
            return redirect(_comment_url(comment, versions))
    previews = {"body": render_markdown(form.body.data)} if form.preview.data else None
    status = 422 if form.errors else 200
    if parent is not None:
        return _reply_page(parent, form, previews, status)
    return render_action_page(plan, versions, version, revision, form, status, previews)


def _posted_message(comment: Comment, parent: Comment | None) -> str:
    if comment.status == STATUS_PENDING:
        return (_("Thank you. Your reply is waiting for a moderator's approval; others will see it once it is "
                  "approved.") if parent else
                _("Thank you. Your comment is waiting for a moderator's approval; others will see it once it is "
                  "approved."))
    return _("Your reply is published.") if parent else _("Your comment is published.")


def _load_parent(raw) -> Comment | None:
    if not raw:
        return None
    comment_id = parse_id(raw)
    if comment_id is None:
        abort(422, _("Unknown comment to reply to."))
    return load_live_comment(comment_id)


def _comment_url(comment: Comment, versions) -> str:
    number = next(v.number for v in versions if v.id == comment.version_id)
    shown = [v.id for v in versions if v.is_published and v.number <= number]
    page = root_page(comment, shown, current_user.id if current_user.is_authenticated else None,
                     comment.plan.can_moderate(current_user))
    key = db.session.scalar(select(Action.key).where(Action.id == comment.action_id))
    return url_for("plans.show_action", slug=comment.plan.slug, number=number, key=key,
                   page=page if page > 1 else None, _anchor=f"c{comment.id}")


@bp.get("/comments/<int:comment_id>")
def permalink(comment_id):
    """A comment's lasting address: opens its thread on the version it was written on."""
    comment = load_comment(comment_id)
    return redirect(_comment_url(comment, plan_versions(comment.plan, include_drafts=False)))


def _reply_page(parent: Comment, form, previews=None, status=200):
    plan = parent.plan
    form.body.label.text = _("Your reply")
    revision = db.session.get(ActionRevision, parent.revision_id)
    return render_template("comments/reply.html", plan=plan, parent=parent, revision=revision, form=form,
                           previews=previews or {}, version=parent.version), status


@bp.get("/comments/<int:comment_id>/reply")
def reply(comment_id):
    parent = load_live_comment(comment_id)
    require_login()
    ops.check_can_comment(parent.plan, parent.version, current_user)
    if not parent.takes_replies:
        abort(409, _("This comment cannot be answered: it was deleted or hidden."))
    form = CommentForm(data={"parent_id": parent.id})
    return _reply_page(parent, form)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@limiter.limit(editing_limit, key_func=poster_key, methods=["POST"])
def edit(comment_id):
    comment = load_live_comment(comment_id)
    require_login()
    if not comment.can_edit(current_user):
        if comment.is_author(current_user) and comment.is_hidden:
            abort(409, _("A moderator hid this comment; it can no longer be edited."))
        if comment.editable_by(current_user):
            abort(409, _("The consultation is closed; comments can no longer be edited."))
        abort(403, _("You can only edit your own comments."))
    form = EditForm(data={"body": comment.body_md})
    if not form.validate_on_submit() or form.preview.data:
        previews = {"body": render_markdown(form.body.data)} if form.preview.data else {}
        status = 422 if form.errors else 200
        return render_template("comments/edit.html", comment=comment, plan=comment.plan, form=form,
                               previews=previews), status
    ops.edit_comment(comment, current_user, form.body.data)
    flash(_("Your comment is updated."), "success")
    return redirect(url_for("comments.permalink", comment_id=comment.id))


@bp.post("/comments/<int:comment_id>/delete")
def delete(comment_id):
    comment = load_live_comment(comment_id)
    require_login()
    if not EmptyForm().validate_on_submit():
        abort(400)
    ops.delete_comment(comment, current_user)
    flash(_("Your comment is deleted."), "success")
    return redirect(url_for("comments.permalink", comment_id=comment.id))


@bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@limiter.limit(reporting_limit, key_func=poster_key, methods=["POST"])
def report(comment_id):
    comment = load_live_comment(comment_id)
    require_login()
    if comment.is_author(current_user):
        abort(403, _("You cannot report your own comment."))
    if not comment.can_report(current_user):
        abort(409, _("This comment cannot be reported."))
    form = ReportForm()
    sent = report_by(comment.id, current_user.id)  # a second report gets its page again, with the first one's date
    if sent is None and form.validate_on_submit():
        try:
            ops.report_comment(comment, current_user, form.reason.data, form.note.data or "")
        except Conflict:
            sent = report_by(comment.id, current_user.id)  # the same report, sent at the same moment
            if sent is None:
                raise
        else:
            flash(_("Thank you. The moderators will look at this comment."), "success")
            return redirect(url_for("comments.permalink", comment_id=comment.id))
    status = (409 if sent else 422) if form.is_submitted() else 200
    return render_template("comments/report.html", comment=comment, plan=comment.plan, form=form, sent=sent,
                           again=form.is_submitted()), status


@bp.get("/comments/<int:comment_id>/history")
def history(comment_id):
    comment = load_comment(comment_id)
    require_login()
    if not comment.can_see_history(current_user):
        abort(403)
    edits = list(db.session.scalars(select(CommentEdit).where(CommentEdit.comment_id == comment.id)
                                    .order_by(CommentEdit.replaced_at)))
    events, event_total = moderation_queries.events(comment.plan_id, comment_id=comment.id)
    return render_template("comments/history.html", comment=comment, plan=comment.plan, edits=edits,
                           events=events, event_total=event_total)
