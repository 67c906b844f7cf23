"""Moderation pages: the queue, bulk acts, tags, responses, meeting feedback, tallies, exports, the report."""
from datetime import datetime, time, timedelta
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask import Response as HttpResponse
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from consult.accounts.forms import EmptyForm
from consult.accounts.models import StakeholderGroup
from consult.comments.forms import REASON_LABELS
from consult.comments.models import SOURCES, STANCES, STATUSES, Comment
from consult.comments.queries import load_live_comment
from consult.core.errors import Invalid
from consult.core.forms import add_errors, choices
from consult.core.routing import parse_id
from consult.extensions import db
from consult.moderation import exports, queries
from consult.moderation import operations as ops
from consult.moderation.charts import heat_levels, heat_map, stacked_bars
from consult.moderation.forms import (
    BULK_ACTIONS,
    DISPOSITION_LABELS,
    EVENT_LABELS,
    HIDE_REASON_LABELS,
    STATUS_LABELS,
    BulkForm,
    FilterTagForm,
    MeetingFeedbackForm,
    ResponseForm,
    TagForm,
    TallyFilterForm,
    event_details,
    event_label,
)
from consult.moderation.models import PublishedReport, Response, Tag
from consult.moderation.tally import STANCE_ORDER, Filters, tally, totals
from consult.plans.models import Action, ActionRevision
from consult.plans.queries import (
    authorise,
    load_plan,
    load_revision,
    plan_versions,
    require_login,
    version_revisions,
)

bp = Blueprint("moderation", __name__)


@bp.app_context_processor
def _labels():
    return {"hide_reason_labels": HIDE_REASON_LABELS, "disposition_labels": DISPOSITION_LABELS,
            "bulk_actions": BULK_ACTIONS, "status_labels": STATUS_LABELS, "report_reason_labels": REASON_LABELS,
            "event_labels": EVENT_LABELS, "event_label": event_label, "event_details": event_details}


def _page(args=None) -> int:
    page = parse_id((request.args if args is None else args).get("page", "1"))
    return page if page is not None and page < 100_000 else 1


def _int_arg(name: str) -> int | None:
    return parse_id(request.args.get(name, ""))


def _safe_next(target: str | None, default: str) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return default


def _bulk_form(plan, **defaults) -> BulkForm:
    form = BulkForm(**defaults)
    form.tag_id.choices = choices([("", "—")] + [(str(t.id), t.name) for t in queries.plan_tags(plan.id)])
    return form


# -- the queue and bulk acts -------------------------------------------------------------

@bp.get("/plans/<slug>/moderation")
def queue(slug):
    plan = load_plan(slug, moderate=True)
    return _queue_page(plan, _bulk_form(plan))


def _queue_page(plan, form, status=200):
    return render_template("moderation/queue.html", plan=plan, reported=queries.reported(plan.id),
                           pending=queries.pending(plan.id), form=form), status


@bp.post("/plans/<slug>/moderation")
def bulk(slug):
    plan = load_plan(slug, moderate=True)
    form = _bulk_form(plan)
    back = _safe_next(form.next.data, url_for("moderation.queue", slug=plan.slug))
    if not form.validate_on_submit():
        if form.comment_ids.process_errors:  # not an id: no such comment
            abort(422, _("Some of the selected comments do not exist in this plan."))
        return _bulk_refused(plan, form, back)
    comments = queries.load_comments(plan.id, form.comment_ids.data)
    if len(comments) != len(set(form.comment_ids.data)):
        abort(404, _("Some of the selected comments do not exist in this plan."))
    action = form.action.data
    try:
        done = _bulk_act(plan, action, comments, form)
    except Invalid as error:
        add_errors(form, error)
        return _bulk_refused(plan, form, back)
    flash(_("%(action)s: %(count)s of %(total)s comments changed.", action=BULK_ACTIONS[action], count=done,
            total=len(comments)), "success")
    return redirect(back)


def _bulk_act(plan, action, comments, form) -> int:
    if action == "approve":
        return ops.approve_comments(plan, current_user, comments)
    if action == "hide":
        return ops.hide_comments(plan, current_user, comments, form.reason.data or "", form.note.data or "")
    if action == "restore":
        return ops.restore_comments(plan, current_user, comments)
    if action == "dismiss":
        return ops.dismiss_reports(plan, current_user, comments)
    tag = db.session.get(Tag, form.tag_id.data)  # one of the plan's tags: the form checked it
    return (ops.tag_comments if action == "tag" else ops.untag_comments)(plan, current_user, comments, tag)


def _bulk_refused(plan, form, back):
    """The page the bulk form came from, again (422), with the selection ticked, the note kept and each
    problem beside its field. A page that cannot be shown from here (an action's thread) gets the
    problems as a message on the way back."""
    parts = urlsplit(back)
    if parts.path == url_for("moderation.queue", slug=plan.slug):
        return _queue_page(plan, form, 422)
    if parts.path == url_for("moderation.comment_list", slug=plan.slug):
        return _comment_list_page(plan, MultiDict(parse_qsl(parts.query)), form=form, status=422)
    problems = "; ".join(f"{form[name].label.text}: {' '.join(map(str, errors))}" if name else " ".join(errors)
                         for name, errors in form.errors.items())
    flash(_("Nothing changed. %(problems)s", problems=problems), "error")
    return redirect(back)


#: The comment list's filter, as query arguments (and as the hidden fields of "tag all matching").
FILTER_ARGS = ("version", "action", "stance", "status", "tag", "group", "source", "untagged")


def _comment_filter(plan, values, versions, actions, tags_available) -> queries.CommentFilter:
    """The list's filter from `values` (query arguments or form fields). A value naming nothing of this
    plan (another plan's tag, an unknown version …) makes the filter match nothing, rather than be
    dropped and widen it."""
    known = {"version": {str(v.number): v.id for v in versions}, "action": {a.key: a.id for a in actions},
             "stance": {s: s for s in STANCES}, "status": {s: s for s in STATUSES},
             "source": {s: s for s in SOURCES}, "tag": {str(t.id): t.id for t in tags_available},
             "group": {str(g.id): g.id for g in plan.groups}}
    chosen = {name: known[name].get(values[name], False) for name in known if values.get(name)}
    return queries.CommentFilter(
        version_id=chosen.get("version"), action_id=chosen.get("action"), stance=chosen.get("stance"),
        status=chosen.get("status"), tag_id=chosen.get("tag"), source=chosen.get("source"),
        group_id=chosen.get("group"), untagged=values.get("untagged") == "1", page=_page(values),
        matches_nothing=False in chosen.values())


def _filter_form(tags_available, **defaults) -> FilterTagForm:
    form = FilterTagForm(**defaults)
    form.apply_tag.choices = choices([("", "—")] + [(str(t.id), t.name) for t in tags_available])
    return form


def _plan_actions(plan, versions) -> list[Action]:
    """The actions of the plan's published versions (not one only ever in a draft), for the filter."""
    revised = select(ActionRevision.id).where(ActionRevision.action_id == Action.id,
                                              ActionRevision.version_id.in_([v.id for v in versions]))
    return list(db.session.scalars(select(Action).where(Action.plan_id == plan.id, revised.exists())
                                   .order_by(Action.number)))


@bp.get("/plans/<slug>/moderation/comments")
def comment_list(slug):
    plan = load_plan(slug, moderate=True)
    return _comment_list_page(plan, request.args)


def _comment_list_page(plan, values, form=None, filter_form=None, status=200):
    """The filtered list; a refused form (`form`, `filter_form`) is shown again in it as it was sent."""
    args = MultiDict([(name, values[name]) for name in (*FILTER_ARGS, "page") if values.get(name)])
    versions = plan_versions(plan, include_drafts=False)
    actions, tags_available = _plan_actions(plan, versions), queries.plan_tags(plan.id)
    f = _comment_filter(plan, args, versions, actions, tags_available)
    items, total = queries.filtered(plan.id, f)
    ids = [i.comment.id for i in items]
    if filter_form is None:
        filter_form = _filter_form(tags_available)
    filter_form.expected.data = total
    return render_template("moderation/comments.html", plan=plan, items=items, total=total, versions=versions,
                           tags=tags_available, tags_by_comment=queries.tags_for(ids),
                           responses=queries.responses_for(ids), groups=plan.groups, actions=actions,
                           form=form or _bulk_form(plan), filter_form=filter_form,
                           filter_args=FILTER_ARGS, args=args, page=f.page,
                           here=url_for("moderation.comment_list", slug=plan.slug, **args),
                           pages=max(1, -(-total // queries.PER_PAGE))), status


@bp.post("/plans/<slug>/moderation/comments/tag")
def tag_matching(slug):
    """Add (or remove) a tag on all the comments the list's filter matches, not just one page's ticked rows."""
    plan = load_plan(slug, moderate=True)
    tags_available = queries.plan_tags(plan.id)
    form = _filter_form(tags_available)
    versions = plan_versions(plan, include_drafts=False)
    f = _comment_filter(plan, request.form, versions, _plan_actions(plan, versions), tags_available)
    if not form.validate_on_submit():
        if form.expected.errors:
            abort(422, _("Show the list again and apply from there: the form must say how many comments it was for."))
        return _comment_list_page(plan, request.form, filter_form=form, status=422)
    tag, done, total = ops.tag_matching(plan, current_user, f, form.apply_tag.data, form.operation.data,
                                        form.expected.data)
    if form.operation.data == "tag":
        flash(_("Tag “%(tag)s” added to %(count)s of the %(total)s comments matching the filter.", tag=tag.name,
                count=done, total=total), "success")
    else:
        flash(_("Tag “%(tag)s” removed from %(count)s of the %(total)s comments matching the filter.",
                tag=tag.name, count=done, total=total), "success")
    kept = {name: request.form[name] for name in FILTER_ARGS if request.form.get(name)}
    return redirect(url_for("moderation.comment_list", slug=plan.slug, **kept))


@bp.get("/plans/<slug>/moderation/log")
def log(slug):
    plan = load_plan(slug, moderate=True)
    page, comment_id = _page(), _int_arg("comment")
    rows, total = queries.events(plan.id, comment_id=comment_id, page=page)
    return render_template("moderation/log.html", plan=plan, rows=rows, total=total, page=page,
                           comment_id=comment_id, pages=max(1, -(-total // queries.PER_PAGE)))


# -- the tag taxonomy (the team's) --------------------------------------------------------

@bp.route("/plans/<slug>/tags", methods=["GET", "POST"])
def tags(slug):
    plan = load_plan(slug, author=True)
    form = TagForm()
    if form.validate_on_submit():
        ops.add_tag(plan, current_user, form.name.data)
        flash(_("Tag added."), "success")
        return redirect(url_for("moderation.tags", slug=plan.slug))
    status = 422 if form.is_submitted() else 200
    return render_template("moderation/tags.html", plan=plan, form=form, tags=queries.plan_tags(plan.id)), status


def _load_tag(plan, tag_id) -> Tag:
    tag = db.session.get(Tag, tag_id)
    if tag is None or tag.plan_id != plan.id:
        abort(404)
    return tag


@bp.post("/plans/<slug>/tags/<int:tag_id>")
def rename_tag(slug, tag_id):
    plan = load_plan(slug)
    tag = _load_tag(plan, tag_id)
    authorise(plan, author=True)
    form = TagForm()
    if not form.validate_on_submit():
        abort(422, _("A tag needs a name of at most 60 characters."))
    ops.rename_tag(plan, current_user, tag, form.name.data)
    flash(_("Tag renamed."), "success")
    return redirect(url_for("moderation.tags", slug=plan.slug))


@bp.post("/plans/<slug>/tags/<int:tag_id>/remove")
def remove_tag(slug, tag_id):
    plan = load_plan(slug)
    tag = _load_tag(plan, tag_id)
    authorise(plan, author=True)
    if not EmptyForm().validate_on_submit():
        abort(400)
    ops.remove_tag(plan, current_user, tag)
    flash(_("Tag removed."), "success")
    return redirect(url_for("moderation.tags", slug=plan.slug))


# -- responses ("you said, we did") --------------------------------------------------------

@bp.route("/comments/<int:comment_id>/respond", methods=["GET", "POST"])
def respond(comment_id):
    comment = load_live_comment(comment_id)
    plan = comment.plan
    require_login()
    if not plan.can_author(current_user):
        abort(403)
    ops.check_answerable(comment)
    existing = db.session.scalar(select(Response).where(Response.comment_id == comment.id))
    versions = [v for v in plan_versions(plan, include_drafts=True) if v.number >= comment.version.number]
    form = ResponseForm(obj=existing) if existing and request.method == "GET" else ResponseForm()
    form.addressed_in.choices = choices([("", _("Not yet / no change"))] + [
        (str(v.id), _("Version %(number)s", number=v.number) + (" " + _("(draft)") if v.is_draft else ""))
        for v in versions])
    if request.method == "GET" and existing:
        form.addressed_in.data = existing.addressed_in_id
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("moderation/respond.html", plan=plan, comment=comment, form=form,
                               existing=existing), status
    version = next((v for v in versions if v.id == form.addressed_in.data), None)
    ops.record_response(plan, current_user, comment, form.disposition.data, form.body.data or "", version)
    flash(_("The answer is published under the comment."), "success")
    return redirect(url_for("comments.permalink", comment_id=comment.id))


@bp.get("/plans/<slug>/versions/<int:number>/unanswered")
def unanswered(slug, number):
    plan = load_plan(slug)
    version = _published_version(plan, number)
    authorise(plan, moderate=True)
    return render_template("moderation/unanswered.html", plan=plan, version=version,
                           rows=queries.unanswered(plan.id, version.id))


def _published_version(plan, number):
    version = next((v for v in plan_versions(plan, include_drafts=False) if v.number == number), None)
    if version is None:
        abort(404)
    return version


# -- meeting feedback ----------------------------------------------------------------------

@bp.route("/plans/<slug>/versions/<int:number>/actions/<key>/meeting-feedback", methods=["GET", "POST"])
def meeting_feedback(slug, number, key):
    plan = load_plan(slug)
    version = _published_version(plan, number)
    revision = load_revision(version, key)
    authorise(plan, moderate=True)
    tags_available = queries.plan_tags(plan.id)
    form = MeetingFeedbackForm()
    form.group_id.choices = choices([("", "—")] + [(str(g.id), g.name) for g in plan.groups])
    form.tag_ids.choices = choices((t.id, t.name) for t in tags_available)
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("moderation/meeting.html", plan=plan, version=version, revision=revision,
                               form=form), status
    group = db.session.get(StakeholderGroup, form.group_id.data) if form.group_id.data else None
    chosen = [t for t in tags_available if t.id in (form.tag_ids.data or [])]
    comment = ops.record_meeting_feedback(plan, current_user, version, revision, form.body.data, form.stance.data,
                                          form.attribution.data, group, chosen)
    flash(_("Meeting feedback recorded."), "success")
    if request.form.get("another"):
        return redirect(url_for("moderation.meeting_feedback", slug=plan.slug, number=number, key=key))
    return redirect(url_for("comments.permalink", comment_id=comment.id))


# -- tallies, the report, exports -----------------------------------------------------------

def _filters(plan, version_ids):
    form = TallyFilterForm(request.args)
    form.group.choices = choices([("", _("All groups"))] + [(str(g.id), g.name) for g in plan.groups])
    form.tag.choices = choices([("", _("All tags"))] + [(str(t.id), t.name) for t in queries.plan_tags(plan.id)])
    if request.args:
        form.validate()
    zone = ZoneInfo(plan.timezone)

    def value(field):
        """A field's value, or None when it was invalid: the other filters still apply."""
        return None if field.errors else (field.data or None)

    def start_of(day):
        return datetime.combine(day, time.min, tzinfo=zone) if day else None

    until = value(form.until)
    filters = Filters(version_ids=tuple(version_ids), group_id=value(form.group), tag_id=value(form.tag),
                      source=value(form.source), since=start_of(value(form.since)),
                      until=start_of(until + timedelta(days=1)) if until else None)
    return form, filters


def tally_context(plan, versions, version=None, filters=None):
    """Everything the tally and report pages show, from one query per split."""
    shown = [version] if version else versions
    revisions = version_revisions(version or versions[0])
    action_ids = [r.action_id for r in revisions]
    if version is None:
        action_rows = queries.actions_in(plan.id, [v.id for v in versions])
        action_ids = [a for a, _k, _t in action_rows]
        labels = {a: (k, title) for a, k, title in action_rows}
    else:
        labels = {r.action_id: (r.key, r.title) for r in revisions}
    filters = filters or Filters(version_ids=tuple(v.id for v in shown))
    tallies = tally(plan.id, action_ids, filters)
    groups = plan.groups
    tags_list = queries.plan_tags(plan.id)
    bars = stacked_bars([(f"{labels[a][0]} {labels[a][1]}", tallies[a].by_stance) for a in action_ids],
                        STANCE_ORDER)
    matrix = {(a, g.id): tallies[a].by_group.get(g.id, 0) for a in action_ids for g in groups}
    matrix.update({(a, None): tallies[a].by_group.get(None, 0) for a in action_ids})
    grid = heat_map([(a, labels[a][0]) for a in action_ids],
                    [(g.id, g.name) for g in groups] + [(None, _("No group"))], matrix)
    return {"tallies": tallies, "whole": totals(tallies), "action_ids": action_ids, "labels": labels,
            "groups": groups, "tags": tags_list, "tag_columns": [(t.id, t.name) for t in tags_list],
            "bars": bars, "heat": heat_levels(matrix), "matrix": matrix, "heat_map": grid,
            "stance_order": STANCE_ORDER}


@bp.get("/plans/<slug>/tally")
@bp.get("/plans/<slug>/versions/<int:number>/tally")
def tally_page(slug, number=None):
    plan = load_plan(slug)
    versions = plan_versions(plan, include_drafts=False)
    if not versions:
        abort(404, _("This plan has no published version yet."))
    version = None
    if number is not None:
        version = next((v for v in versions if v.number == number), None)
        if version is None:
            abort(404)
    authorise(plan, moderate=True)
    form, filters = _filters(plan, [v.id for v in ([version] if version else versions)])
    context = tally_context(plan, versions, version, filters)
    return render_template("moderation/tally.html", plan=plan, version=version, versions=versions, form=form,
                           **context), 422 if form.errors else 200


@bp.get("/plans/<slug>/versions/<int:number>/report")
def report(slug, number):
    plan = load_plan(slug)
    version = _published_version(plan, number)
    if not PublishedReport.can_view(plan, version, current_user):
        require_login()
        abort(403, _("This report is not published yet."))
    published = PublishedReport.of(version)
    versions = plan_versions(plan, include_drafts=False)
    context = tally_context(plan, versions, version)
    top = list(db.session.execute(
        select(Comment, Response).join(Response, Response.comment_id == Comment.id)
        .where(Comment.version_id == version.id, Comment.status == "visible")
        .order_by(Comment.created_at)).all())
    answered = {}
    for comment, response in top:
        answered.setdefault(comment.action_id, []).append((comment, response))
    return render_template("moderation/report.html", plan=plan, version=version, published=published,
                           answered=answered, revisions=version_revisions(version), form=EmptyForm(), **context)


@bp.post("/plans/<slug>/versions/<int:number>/report/publish")
def publish_report(slug, number):
    plan = load_plan(slug)
    version = _published_version(plan, number)
    authorise(plan, author=True)
    if not EmptyForm().validate_on_submit():
        abort(400)
    ops.publish_report(plan, current_user, version)
    flash(_("The report is published: everyone who can read the plan can read it."), "success")
    return redirect(url_for("moderation.report", slug=plan.slug, number=number))


@bp.post("/plans/<slug>/versions/<int:number>/report/withdraw")
def withdraw_report(slug, number):
    plan = load_plan(slug)
    version = _published_version(plan, number)
    authorise(plan, author=True)
    if not EmptyForm().validate_on_submit():
        abort(400)
    ops.withdraw_report(plan, current_user, version)
    flash(_("The report is withdrawn: only the team and the moderators can read it."), "success")
    return redirect(url_for("moderation.report", slug=plan.slug, number=number))


EXPORT_TYPES = {"csv": "text/csv; charset=utf-8",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "json": "application/json"}


@bp.get("/plans/<slug>/export.<fmt>")
def export(slug, fmt):
    """The plan's comments (or one published version's) as a file; an unknown format or version is 404
    for everyone, before the moderators-only 403."""
    plan = load_plan(slug)
    if fmt not in EXPORT_TYPES:
        abort(404)
    version = None
    if request.args.get("version"):
        number = _int_arg("version")
        if number is None:
            abort(400, _("The version must be a number."))
        version = _published_version(plan, number)
    authorise(plan, moderate=True)
    with_emails = plan.can_author(current_user)
    rows = exports.export_rows(plan.id, version.id if version else None, with_emails=with_emails)
    writer = {"csv": exports.to_csv, "xlsx": exports.to_xlsx, "json": exports.to_json}[fmt]
    name = f"{plan.slug}-comments" + (f"-v{version.number}" if version else "") + f".{fmt}"
    return HttpResponse(writer(rows, with_emails), mimetype=EXPORT_TYPES[fmt],
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/plans/<slug>/versions/<int:number>/anchors")
def anchors(slug, number):
    """Passages quoted on earlier versions, as found in this one: the team checks the lost ones."""
    plan = load_plan(slug)
    version = _published_version(plan, number)
    authorise(plan, moderate=True)
    rows = queries.anchored_before(plan.id, version)
    return render_template("moderation/anchors.html", plan=plan, version=version, rows=rows)
