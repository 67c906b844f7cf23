"""Moderation operations. Each act writes a ModerationEvent; they flush, never commit."""
from flask_babel import gettext as _
from sqlalchemy import delete, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from consult.accounts.models import StakeholderGroup, User
from consult.comments.models import (
    STANCES,
    STATUS_DELETED,
    STATUS_HIDDEN,
    STATUS_PENDING,
    STATUS_VISIBLE,
    Comment,
    Report,
)
from consult.comments.operations import count_reply, notify_reply, prepare_body
from consult.core import mail
from consult.core.errors import Conflict, Forbidden, Invalid
from consult.core.models import UTCDateTime, utcnow
from consult.core.rendering import clean_source, render_markdown
from consult.extensions import db
from consult.moderation import queries
from consult.moderation.forms import DISPOSITION_LABELS
from consult.moderation.models import (
    DISPOSITIONS,
    HIDE_REASONS,
    RESPONSE_MAX,
    ModerationEvent,
    PublishedReport,
    Response,
    Tag,
    comment_tags,
)
from consult.plans.models import ActionRevision, Plan, PlanVersion


def _record(plan_id: int, comment_id: int | None, actor: User, action: str, reason: str = "") -> None:
    db.session.add(ModerationEvent(plan_id=plan_id, comment_id=comment_id, actor_id=actor.id, action=action,
                                   reason=reason[:300]))


def _require_moderator(plan: Plan, actor: User) -> None:
    if not plan.can_moderate(actor):
        raise Forbidden(_("Only the plan's moderators and team can do this."))


def _require_team(plan: Plan, actor: User) -> None:
    if not plan.can_author(actor):
        raise Forbidden(_("Only the plan's team can do this."))


def _same_plan(plan: Plan, comments: list[Comment]) -> None:
    if any(c.plan_id != plan.id for c in comments):
        raise Invalid(_("Some of these comments belong to another plan."))


# -- the queue -----------------------------------------------------------------------------

def approve_comments(plan: Plan, actor: User, comments: list[Comment]) -> int:
    """Publish comments waiting for pre-moderation; a reply's parent author is told then.

    The status changes in one conditional UPDATE (… WHERE status = 'pending'), so of two moderators
    approving the same comment at once only one approves it: the reply is counted, logged and
    announced once, by whoever the database let change it."""
    _require_moderator(plan, actor)
    _same_plan(plan, comments)
    if not comments:
        return 0
    approved = set(db.session.scalars(
        update(Comment).where(Comment.id.in_([c.id for c in comments]), Comment.status == STATUS_PENDING)
        .values(status=STATUS_VISIBLE).returning(Comment.id).execution_options(synchronize_session="fetch")))
    done = 0
    for comment in comments:
        if comment.id not in approved:
            continue
        approved.discard(comment.id)  # once, even if listed twice
        _record(plan.id, comment.id, actor, "approve")
        if comment.parent_id is not None:
            count_reply(comment)
            parent = db.session.get(Comment, comment.parent_id)
            revision = db.session.get(ActionRevision, comment.revision_id)
            if comment.author is not None:
                notify_reply(parent.author, comment, comment.author, plan, comment.version, revision)
        done += 1
    db.session.flush()
    return done


def hide_comments(plan: Plan, actor: User, comments: list[Comment], reason: str, note: str = "") -> int:
    """Hide with a reason shown in place; the author still sees the text. Resolves open reports."""
    _require_moderator(plan, actor)
    _same_plan(plan, comments)
    if reason not in HIDE_REASONS:
        raise Invalid(_("Choose why the comment is hidden."), {"reason": _("Choose a reason.")})
    done = 0
    for comment in comments:
        if comment.status not in (STATUS_VISIBLE, STATUS_PENDING):
            continue
        if comment.status == STATUS_PENDING and comment.parent_id is not None:
            count_reply(comment)  # its placeholder joins the thread
        comment.status = STATUS_HIDDEN
        comment.hidden_reason = reason
        _record(plan.id, comment.id, actor, "hide", f"{reason}: {note}".strip(": ") if note else reason)
        done += 1
    _resolve_reports([c.id for c in comments])
    db.session.flush()
    return done


def restore_comments(plan: Plan, actor: User, comments: list[Comment]) -> int:
    _require_moderator(plan, actor)
    _same_plan(plan, comments)
    done = 0
    for comment in comments:
        if comment.status != STATUS_HIDDEN:
            continue
        comment.status = STATUS_VISIBLE
        comment.hidden_reason = None
        _record(plan.id, comment.id, actor, "restore")
        done += 1
    db.session.flush()
    return done


def _resolve_reports(comment_ids: list[int]) -> int:
    if not comment_ids:
        return 0
    result = db.session.execute(update(Report).where(Report.comment_id.in_(comment_ids), Report.resolved_at.is_(None))
                                .values(resolved_at=utcnow()))
    return result.rowcount or 0


def dismiss_reports(plan: Plan, actor: User, comments: list[Comment]) -> int:
    """The reports were looked at and the comment stays as it is."""
    _require_moderator(plan, actor)
    _same_plan(plan, comments)
    ids = [c.id for c in comments]
    open_ids = set(db.session.scalars(select(Report.comment_id).where(Report.comment_id.in_(ids),
                                                                      Report.resolved_at.is_(None))))
    _resolve_reports(ids)
    for comment_id in open_ids:
        _record(plan.id, comment_id, actor, "dismiss_reports")
    db.session.flush()
    return len(open_ids)


# -- tags ----------------------------------------------------------------------------------

def _refuse_taken_tag_name(plan: Plan, name: str, except_id: int | None = None) -> None:
    """"Funding" and "funding" would split the tallies: names are compared without case (a plan has
    a handful of tags, compared in Python, which folds ș and Ș as SQLite's lower() does not)."""
    taken = db.session.scalars(select(Tag.name).where(Tag.plan_id == plan.id, Tag.id != (except_id or 0)))
    if name.casefold() in {other.casefold() for other in taken}:
        raise Conflict(_("This plan already has a tag with that name."))


def add_tag(plan: Plan, actor: User, name: str) -> Tag:
    _require_team(plan, actor)
    name = name.strip()
    _refuse_taken_tag_name(plan, name)
    position = db.session.scalar(select(db.func.coalesce(db.func.max(Tag.position), -1))
                                 .where(Tag.plan_id == plan.id)) + 1
    tag = Tag(plan_id=plan.id, name=name, position=position)
    db.session.add(tag)
    db.session.flush()
    return tag


def rename_tag(plan: Plan, actor: User, tag: Tag, name: str) -> None:
    _require_team(plan, actor)
    name = name.strip()
    _refuse_taken_tag_name(plan, name, tag.id)
    tag.name = name
    db.session.flush()


def remove_tag(plan: Plan, actor: User, tag: Tag) -> None:
    """Remove a tag from the plan and from every comment: each tagged comment's log records the untagging,
    and the plan's log the removal itself (an "untag" row naming no comment). A few statements,
    however many comments had it."""
    _require_team(plan, actor)
    _record_each(plan, actor, "untag", tag.name,
                 select(comment_tags.c.comment_id.label("id")).where(comment_tags.c.tag_id == tag.id))
    _record(plan.id, None, actor, "untag", tag.name)
    db.session.delete(tag)
    db.session.flush()


def tag_comments(plan: Plan, actor: User, comments: list[Comment], tag: Tag) -> int:
    _require_moderator(plan, actor)
    _same_plan(plan, comments)
    if tag.plan_id != plan.id:
        raise Invalid(_("This tag belongs to another plan."), {"tag_id": _("Unknown tag.")})
    existing = set(db.session.scalars(select(comment_tags.c.comment_id).where(
        comment_tags.c.tag_id == tag.id, comment_tags.c.comment_id.in_([c.id for c in comments]))))
    new = [c for c in comments if c.id not in existing and c.status != STATUS_DELETED]
    if new:
        db.session.execute(insert(comment_tags), [{"comment_id": c.id, "tag_id": tag.id} for c in new])
    for comment in new:
        _record(plan.id, comment.id, actor, "tag", tag.name)
    db.session.flush()
    return len(new)


def untag_comments(plan: Plan, actor: User, comments: list[Comment], tag: Tag) -> int:
    _require_moderator(plan, actor)
    _same_plan(plan, comments)
    if tag.plan_id != plan.id:
        raise Invalid(_("This tag belongs to another plan."), {"tag_id": _("Unknown tag.")})
    ids = [c.id for c in comments]
    tagged = list(db.session.scalars(select(comment_tags.c.comment_id).where(
        comment_tags.c.tag_id == tag.id, comment_tags.c.comment_id.in_(ids))))
    db.session.execute(delete(comment_tags).where(comment_tags.c.tag_id == tag.id,
                                                  comment_tags.c.comment_id.in_(ids)))
    for comment_id in tagged:
        _record(plan.id, comment_id, actor, "untag", tag.name)
    db.session.flush()
    return len(tagged)


def _record_each(plan: Plan, actor: User, action: str, reason: str, comment_ids) -> None:
    """One audit row per comment among `comment_ids` (a SELECT of ids), in one INSERT … SELECT."""
    ids = comment_ids.subquery()
    columns = select(literal(plan.id), ids.c.id, literal(actor.id), literal(action), literal(reason[:300]),
                     literal(utcnow(), UTCDateTime()))
    db.session.execute(insert(ModerationEvent.__table__).from_select(
        ["plan_id", "comment_id", "actor_id", "action", "reason", "created_at"], columns))


def tag_matching(plan: Plan, actor: User, f: "queries.CommentFilter", tag_id: int | None, operation: str,
                 expected: int | None) -> tuple[Tag, int, int]:
    """Add (`operation` "tag") or remove ("untag") one of the plan's tags on every comment of the plan the
    filter matches, on all its pages: a few statements whatever their number, one audit row per comment
    that gains or loses the tag.

    `expected` is how many comments the list showed for this filter: if it matches another number now,
    nothing changes (a Conflict), so nobody tags comments they have not seen. Returns the tag, how many
    comments gained or lost it, and how many the filter matches."""
    _require_moderator(plan, actor)
    if operation not in ("tag", "untag"):
        raise Invalid(_("Choose a known action."))
    if f.matches_nothing:
        raise Invalid(_("This filter names a version, action, tag or group this plan does not have: nothing "
                        "changed."))
    tag = db.session.get(Tag, tag_id) if tag_id else None
    if tag is None or tag.plan_id != plan.id:
        raise Invalid(_("Choose one of this plan's tags."), {"apply_tag": _("Unknown tag.")})
    total = queries.count_matching(plan.id, f)
    if total != expected:
        raise Conflict(_("The comments matching this filter changed since the list was shown (%(then)s then, "
                         "%(now)s now): nothing changed; look at the list again.", then=expected, now=total))
    done = _add_tag_matching(plan, actor, f, tag) if operation == "tag" else _remove_tag_matching(plan, actor, f, tag)
    db.session.flush()
    return tag, done, total


def _add_tag_matching(plan: Plan, actor: User, f: "queries.CommentFilter", tag: Tag) -> int:
    """The tag on every matching comment not deleted and without it; how many gained it."""
    gaining = queries.matching(plan.id, f).where(Comment.status != STATUS_DELETED, ~Comment.id.in_(
        select(comment_tags.c.comment_id).where(comment_tags.c.tag_id == tag.id)))
    _record_each(plan, actor, "tag", tag.name, gaining)
    ids = gaining.subquery()
    # Counted through RETURNING: a driver may report -1 as the rowcount of INSERT … SELECT.
    return len(db.session.execute(insert(comment_tags).from_select(
        ["comment_id", "tag_id"], select(ids.c.id, literal(tag.id))).returning(comment_tags.c.comment_id)).all())


def _remove_tag_matching(plan: Plan, actor: User, f: "queries.CommentFilter", tag: Tag) -> int:
    """The tag off every matching comment that has it; how many lost it."""
    losing = queries.matching(plan.id, f).where(Comment.id.in_(
        select(comment_tags.c.comment_id).where(comment_tags.c.tag_id == tag.id)))
    _record_each(plan, actor, "untag", tag.name, losing)
    return len(db.session.execute(delete(comment_tags).where(
        comment_tags.c.tag_id == tag.id, comment_tags.c.comment_id.in_(losing.subquery().select()))
        .returning(comment_tags.c.comment_id)).all())


# -- "you said, we did" -----------------------------------------------------------------------

def check_answerable(comment: Comment) -> None:
    """Only a visible top-level comment gets the team's answer (the form and the answer alike)."""
    if comment.parent_id is not None:
        raise Invalid(_("Responses answer top-level comments, not replies."))
    if comment.status not in (STATUS_VISIBLE,):
        raise Conflict(_("Only visible comments can be answered."))


def record_response(plan: Plan, actor: User, comment: Comment, disposition: str, body: str,
                    addressed_in: PlanVersion | None) -> Response:
    """The team's public answer to a top-level comment; its author is told by e-mail."""
    _require_team(plan, actor)
    _same_plan(plan, [comment])
    check_answerable(comment)
    if disposition not in DISPOSITIONS:
        raise Invalid(_("Choose what was done with this comment."), {"disposition": _("Not a valid choice.")})
    body = clean_source(body).strip()
    if not body:
        message = _("Write the answer: what was done, and why.")
        raise Invalid(message, {"body": message})
    if len(body) > RESPONSE_MAX:
        message = _("A response can have at most %(max)s characters.", max=RESPONSE_MAX)
        raise Invalid(message, {"body": message})
    if addressed_in is not None and (addressed_in.plan_id != plan.id or addressed_in.number < comment.version.number):
        raise Invalid(_("The version that addresses a comment must be this plan's, and not older than the comment."),
                      {"addressed_in": _("Not a valid choice.")})
    response = db.session.scalar(select(Response).where(Response.comment_id == comment.id))
    created = response is None
    if created:
        response = Response(plan_id=plan.id, comment_id=comment.id)
        db.session.add(response)
    else:
        response.updated_at = utcnow()
    response.responder_id = actor.id
    response.disposition = disposition
    response.body_md = body
    response.body_html = render_markdown(body)
    response.addressed_in_id = addressed_in.id if addressed_in else None
    _record(plan.id, comment.id, actor, "respond" if created else "edit_response", disposition)
    db.session.flush()
    author = comment.author
    if created and author is not None and author.notify_replies and not author.disabled:
        notify_response(author, plan, comment, response, addressed_in)
    return response


def notify_response(author: User, plan: Plan, comment: Comment, response: Response,
                    addressed_in: PlanVersion | None) -> None:
    """E-mail a comment's author the team's answer: what was done, on which action and version, where it
    is addressed, and the link, in the author's language (their choice, else the plan's)."""
    revision = db.session.get(ActionRevision, comment.revision_id)
    link = mail.absolute_url("comments.permalink", comment_id=comment.id)
    with mail.in_language(author, plan):
        subject = _("The team answered your comment on “%(plan)s”", plan=plan.title)
        lines = [_("The team of “%(plan)s” answered your comment on action %(key)s “%(title)s” (version "
                   "%(number)s).", plan=plan.title, key=revision.key, title=revision.title,
                   number=comment.version.number),
                 _("What was done: %(disposition)s", disposition=DISPOSITION_LABELS[response.disposition])]
        if addressed_in is not None and addressed_in.is_published:
            lines.append(_("Addressed in version %(number)s.", number=addressed_in.number))
        elif addressed_in is not None:
            lines.append(_("To be addressed in version %(number)s, in preparation.", number=addressed_in.number))
        why = _("You get this e-mail because you commented on this plan. To stop these e-mails, untick the e-mail "
                "option on your account page.")
        body = "\n".join(lines) + f"\n\n{response.body_md}\n\n" + _("Read it: %(link)s", link=link) + f"\n\n{why}"
    mail.queue_mail(author.email, subject, body)


# -- meeting feedback ------------------------------------------------------------------------

def record_meeting_feedback(plan: Plan, actor: User, version: PlanVersion, revision: ActionRevision, body: str,
                            stance: str, attribution: str, group: StakeholderGroup | None,
                            tags: list[Tag]) -> Comment:
    """Feedback heard at a meeting, attributed to a table or group rather than a person."""
    _require_moderator(plan, actor)
    if not version.is_published:
        raise Conflict(_("Meeting feedback is recorded on a published version."))
    if stance not in STANCES:
        raise Invalid(_("Choose a stance."), {"stance": _("Choose a stance.")})
    attribution = (attribution or "").strip()
    if not attribution or len(attribution) > 120:
        raise Invalid(_("Say who said it, e.g. “World café, table 2”."), {"attribution": _("Required.")})
    if group is not None and group.plan_id != plan.id:
        raise Invalid(_("That stakeholder group does not belong to this plan."), {"group_id": _("Unknown group.")})
    if any(t.plan_id != plan.id for t in tags):
        raise Invalid(_("This tag belongs to another plan."), {"tag_id": _("Unknown tag.")})
    clean, html = prepare_body(body)
    comment = Comment(plan_id=plan.id, version_id=version.id, action_id=revision.action_id, revision_id=revision.id,
                      author_id=None, stance=stance, body_md=clean, body_html=html, source="meeting",
                      attribution=attribution, group_id=group.id if group else None, status=STATUS_VISIBLE)
    db.session.add(comment)
    db.session.flush()
    _record(plan.id, comment.id, actor, "record_meeting_feedback", attribution)
    if tags:
        db.session.execute(insert(comment_tags), [{"comment_id": comment.id, "tag_id": t.id} for t in tags])
    db.session.flush()
    return comment


# -- the consultation report ------------------------------------------------------------------

def publish_report(plan: Plan, actor: User, version: PlanVersion) -> PublishedReport:
    """Open a published version's report (and its tally) to everyone who can read the plan."""
    _require_team(plan, actor)
    if version.plan_id != plan.id or not version.is_published:
        raise Conflict(_("A report is published on a published version of this plan."))
    if PublishedReport.of(version) is not None:
        raise Conflict(_("The report on version %(number)s is already published.", number=version.number))
    report = PublishedReport(version_id=version.id, published_by_id=actor.id, published_at=utcnow())
    try:
        with db.session.begin_nested():  # a second click that raced the first one
            db.session.add(report)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("The report on version %(number)s is already published.", number=version.number)) from None
    _record(plan.id, None, actor, "publish_report", f"version {version.number}")
    db.session.flush()
    return report


def withdraw_report(plan: Plan, actor: User, version: PlanVersion) -> None:
    """Make a version's report the team's and the moderators' again.

    One DELETE whose row count tells whether this request withdrew it: of two withdrawals at
    once, the second finds nothing left and is a Conflict, as a withdrawal of an unpublished one."""
    _require_team(plan, actor)
    withdrawn = version.plan_id == plan.id and db.session.execute(
        delete(PublishedReport).where(PublishedReport.version_id == version.id)
        .execution_options(synchronize_session="fetch")).rowcount == 1
    if not withdrawn:
        raise Conflict(_("The report on version %(number)s is not published.", number=version.number))
    _record(plan.id, None, actor, "withdraw_report", f"version {version.number}")
    db.session.flush()
