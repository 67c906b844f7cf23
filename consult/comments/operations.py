"""Comment operations: post, reply, edit, delete, report. They flush, never commit."""
from flask_babel import gettext as _
from sqlalchemy import select, update

from consult.accounts.models import User
from consult.comments.models import (
    BODY_MAX,
    QUOTE_MAX,
    REPORT_REASONS,
    STANCES,
    STATUS_DELETED,
    STATUS_PENDING,
    STATUS_VISIBLE,
    Comment,
    CommentEdit,
    Report,
)
from consult.core import mail
from consult.core.errors import Conflict, Forbidden, Invalid
from consult.core.models import utcnow
from consult.core.rendering import clean_source, html_to_text, render_markdown
from consult.diffing.anchors import CONTEXT, Anchor, find
from consult.extensions import db
from consult.plans.models import ActionRevision, Plan, PlanVersion


def clean_body(body: str | None) -> str:
    """The body as stored: line endings normalised, outer whitespace trimmed, length checked."""
    body = clean_source(body).strip()
    if not body:
        raise Invalid(_("Write something before sending."), {"body": _("This field is required.")})
    if len(body) > BODY_MAX:
        message = _("A comment can have at most %(max)s characters.", max=BODY_MAX)
        raise Invalid(message, {"body": message})
    return body


def prepare_body(body: str | None) -> tuple[str, str]:
    """The cleaned Markdown and its sanitised HTML. Pure: call it before the write
    transaction begins, so SQLite's write lock is held for the insert only."""
    clean = clean_body(body)
    return clean, render_markdown(clean)


def check_can_comment(plan: Plan, version: PlanVersion, user: User) -> None:
    """Refuse with the reason: not allowed (403) or consultation not open (409)."""
    if not version.is_published:
        raise Conflict(_("Comments open once a version is published."))
    if version.superseded_by is not None:
        raise Conflict(_("This version has been superseded by version %(number)s — comment there.",
                         number=version.superseded_by.number))
    if not version.accepts_comments():
        if version.window_state() == "upcoming":
            raise Conflict(_("The consultation on this version has not opened yet."))
        raise Conflict(_("The consultation on this version is closed."))
    if not plan.can_comment(user, version):
        raise Forbidden(_("Only members of this plan can comment on it."))


def passage_anchor(revision: ActionRevision, field: str | None, quote: str | None, prefix: str = "",
                   suffix: str = "") -> tuple[str, str, str, str] | None:
    """A validated anchor (field, quote, prefix, suffix) on the revision's text, or None for none."""
    from consult.plans.models import ACTION_FIELDS

    quote = " ".join((quote or "").split())
    if not field and not quote:
        return None
    if field not in ACTION_FIELDS or not quote or len(quote) > QUOTE_MAX:
        raise Invalid(_("The quoted passage must be part of one of the action's fields (at most %(max)s "
                        "characters).", max=QUOTE_MAX), {"anchor": _("Not a passage of this action.")})
    text = " ".join(html_to_text(getattr(revision, f"{field}_html")).split())
    at = find(text, Anchor(quote, " ".join((prefix or "").split()), " ".join((suffix or "").split())))
    if at == -1:
        raise Invalid(_("The quoted passage is not in this action's text."),
                      {"anchor": _("Not a passage of this action.")})
    return field, quote, text[max(0, at - CONTEXT):at], text[at + len(quote):at + len(quote) + CONTEXT]


def post_comment(plan: Plan, version: PlanVersion, revision: ActionRevision, author: User, body: str,
                 stance: str | None = None, parent: Comment | None = None,
                 prepared: tuple[str, str] | None = None,
                 anchor: tuple[str, str, str, str] | None = None) -> Comment:
    """A new top-level comment (with a stance) or a reply in a thread of the same action and version.

    `prepared` is `prepare_body(body)` computed ahead, outside the transaction."""
    check_can_comment(plan, version, author)
    body, html = prepared or prepare_body(body)
    if parent is None:
        if stance not in STANCES:
            message = _("Choose whether you support the action, have a concern, a suggestion or a question.")
            raise Invalid(message, {"stance": message})
    else:
        if parent.action_id != revision.action_id or parent.version_id != version.id:
            raise Invalid(_("You can only reply to a comment on the same action and version."),
                          {"parent_id": _("Unknown comment.")})
        if not parent.is_visible:
            raise Conflict(_("This comment cannot be answered: it was deleted or hidden."))
        if stance:
            message = _("A reply has no stance of its own; it joins its thread.")
            raise Invalid(message, {"stance": message})
    recipient = parent.author if parent is not None else None  # read before the write lock is taken
    membership = plan.membership_of(author)
    waits = plan.premoderation and not plan.can_moderate(author)
    if anchor is not None and parent is not None:
        raise Invalid(_("A reply answers its comment; only a top-level comment quotes a passage."))
    comment = Comment(plan_id=plan.id, version_id=version.id, action_id=revision.action_id, revision_id=revision.id,
                      author_id=author.id, stance=stance if parent is None else None, body_md=body, body_html=html,
                      group_id=membership.group_id if membership else None,
                      status=STATUS_PENDING if waits else STATUS_VISIBLE)
    if anchor is not None:
        comment.anchor_field, comment.anchor_quote, comment.anchor_prefix, comment.anchor_suffix = anchor
    if parent is not None:
        comment.parent_id = parent.id
        comment.root_id = parent.root_id or parent.id
        comment.depth = parent.depth + 1
        if not waits:
            count_reply(comment)
    db.session.add(comment)
    db.session.flush()
    if parent is not None and not waits:
        notify_reply(recipient, comment, author, plan, version, revision)
    return comment


def count_reply(reply: Comment) -> None:
    """Add a reply to its thread's count: when posted, or for a held one when it leaves the
    moderators' queue (approved, hidden or deleted), so waiting replies never show in the count."""
    db.session.execute(update(Comment).where(Comment.id == reply.root_id)
                       .values(reply_count=Comment.reply_count + 1))


def notify_reply(recipient: User | None, reply: Comment, author: User, plan: Plan, version: PlanVersion,
                 revision: ActionRevision) -> None:
    """E-mail the author of the comment answered (unless it is themselves or they opted out)."""
    if recipient is None or recipient.id == author.id or not recipient.notify_replies or recipient.disabled:
        return
    link = mail.absolute_url("comments.permalink", comment_id=reply.id)
    with mail.in_language(recipient, plan):
        subject = _("%(name)s replied to your comment on %(key)s", name=author.name, key=revision.key)
        body = _(
            "%(name)s replied to your comment on action %(key)s “%(title)s” of “%(plan)s” (version %(number)s):\n\n"
            "%(text)s\n\nRead and answer: %(link)s\n\n"
            "You get this e-mail because you commented there. To stop these e-mails, untick the e-mail "
            "option on your account page.",
            name=author.name, key=revision.key, title=revision.title, plan=plan.title, number=version.number,
            text=reply.body_md, link=link)
    mail.queue_mail(recipient.email, subject, body)


def edit_comment(comment: Comment, user: User, body: str) -> None:
    """Replace the text, keeping the previous one in the edit history."""
    if not comment.can_edit(user):
        if comment.is_author(user) and comment.is_hidden:
            raise Conflict(_("A moderator hid this comment; it can no longer be edited."))
        if comment.editable_by(user):
            raise Conflict(_("The consultation is closed; comments can no longer be edited."))
        raise Forbidden(_("You can only edit your own comments."))
    body = clean_body(body)
    if body == comment.body_md:
        return
    now = utcnow()
    db.session.add(CommentEdit(comment_id=comment.id, editor_id=user.id, body_md=comment.body_md,
                               body_html=comment.body_html, replaced_at=now,
                               written_at=comment.edited_at or comment.created_at))
    comment.body_md = body
    comment.body_html = render_markdown(body)
    comment.edited_at = now
    db.session.flush()


def delete_comment(comment: Comment, user: User) -> None:
    """Soft delete: a placeholder keeps the replies in place."""
    if not comment.can_delete(user):
        if comment.is_deleted:
            raise Conflict(_("This comment is already deleted."))
        raise Forbidden(_("You can only delete your own comments."))
    if comment.status == STATUS_PENDING and comment.parent_id is not None:
        count_reply(comment)
    comment.status = STATUS_DELETED
    comment.deleted_at = utcnow()
    db.session.flush()


def report_comment(comment: Comment, user: User, reason: str, note: str = "") -> Report:
    if not comment.can_report(user):
        if comment.is_author(user):
            raise Forbidden(_("You cannot report your own comment."))
        raise Conflict(_("This comment cannot be reported."))
    if reason not in REPORT_REASONS:
        raise Invalid(_("Choose a reason."), {"reason": _("Choose a reason.")})
    exists = db.session.scalar(db.select(Report.id).where(Report.comment_id == comment.id,
                                                          Report.reporter_id == user.id))
    if exists:
        raise Conflict(_("You have already reported this comment. The moderators will look at it."))
    # The same report sent twice at once passes the check above in both requests: the second
    # insert is skipped by the database (no savepoint, so SQLite's write lock is taken as usual).
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    report_id = db.session.scalar(
        dialect_insert(Report).values(comment_id=comment.id, reporter_id=user.id, reason=reason,
                                      note=(note or "").strip()[:500])
        .on_conflict_do_nothing(index_elements=["comment_id", "reporter_id"]).returning(Report.id))
    if report_id is None:
        raise Conflict(_("You have already reported this comment. The moderators will look at it."))
    return db.session.get(Report, report_id)


def notify_new_version(plan: Plan, version: PlanVersion, previous: PlanVersion | None) -> int:
    """One e-mail to each follower of the plan (following is the opt-in, unfollowing the opt-out) and
    to each commenter who kept the e-mail option on, with the change summary and a link to what
    changed, written in the reader's language (their choice, else the plan's). Only people who can
    see the plan are written to; returns how many e-mails were sent."""
    from consult.accounts.models import Membership
    from consult.plans.models import PlanFollow

    commenters = select(Comment.author_id).where(Comment.plan_id == plan.id, Comment.author_id.is_not(None))
    followers = select(PlanFollow.user_id).where(PlanFollow.plan_id == plan.id)
    people = db.session.execute(select(User, User.id.in_(followers)).where(
        User.id.in_(followers) | (User.id.in_(commenters) & User.notify_replies.is_(True)),
        User.disabled.is_(False)).order_by(User.id)).all()
    if not plan.is_public:  # who may still see it, in one query rather than one per person
        members = {m.user_id: m for m in db.session.scalars(select(Membership).where(
            Membership.plan_id == plan.id, Membership.user_id.in_([p.id for p, _f in people])))}
        for person, _follows in people:
            plan.remember_membership(person, members.get(person.id))
    if previous is not None:
        link = mail.absolute_url("plans.compare", slug=plan.slug, old=previous.number, new=version.number)
    else:
        link = mail.absolute_url("plans.show_version", slug=plan.slug, number=version.number)
    plan_link = mail.absolute_url("plans.show_plan", slug=plan.slug)
    sent = 0
    for person, follows in people:
        if not plan.can_view(person):
            continue
        with mail.in_language(person, plan):
            subject = _("Version %(number)s of “%(plan)s” is published", number=version.number, plan=plan.title)
            body = _("A new version of “%(plan)s” is published.\n\n%(summary)s\n\nSee what changed: %(link)s",
                     plan=plan.title, summary=version.change_summary_md or "", link=link)
            if follows:
                why = _("You get this e-mail because you follow this plan. To stop these e-mails, unfollow it on "
                        "its page: %(link)s", link=plan_link)
            else:
                why = _("You get this e-mail because you commented on this plan. To stop these e-mails, untick "
                        "the e-mail option on your account page.")
        mail.queue_mail(person.email, subject, f"{body}\n\n{why}")
        sent += 1
    return sent
