"""Moderators hide, restore, approve and dismiss; every act is in the log; pre-moderation works."""
import pytest
from sqlalchemy import select

from consult.comments.models import Comment, Report
from consult.moderation.models import ModerationEvent
from tests import factories

URL = "/plans/test-plan/versions/1/actions/A1"
API = "/api/v1/plans/test-plan/versions/1/actions/A1/comments"


def _bulk(client, action, ids, **extra):
    return client.post("/plans/test-plan/moderation", {"action": action, "comment_ids": ids, **extra})


def _events(db, action=None):
    query = select(ModerationEvent)
    if action:
        query = query.where(ModerationEvent.action == action)
    return db.session.scalars(query.order_by(ModerationEvent.id)).all()


def test_reported_comments_reach_the_queue_and_can_be_hidden_with_a_reason(client, plan, stakeholder, outsider,
                                                                        moderator, db):
    comment = factories.make_comment(plan, stakeholder, body="Call me on 0712 345 678")
    client.login(outsider)
    client.post(f"/comments/{comment.id}/report", {"reason": "personal_data"})
    client.logout()
    client.login(moderator)
    queue = client.get("/plans/test-plan/moderation").get_data(as_text=True)
    assert "Call me on 0712 345 678" in queue and "1 report" in queue
    response = _bulk(client, "hide", [comment.id], reason="personal_data", note="phone number")
    assert response.status_code == 302
    db.session.refresh(comment)
    assert comment.status == "hidden" and comment.hidden_reason == "personal_data"
    assert db.session.scalar(select(Report.resolved_at)) is not None
    event = _events(db, "hide")[0]
    assert event.actor_id == moderator.id and event.comment_id == comment.id
    assert event.reason == "personal_data: phone number"
    # others see the reason in place, not the text; the author still sees the text
    client.logout()
    page = client.get(URL).get_data(as_text=True)
    assert "0712 345 678" not in page and "Hidden by the moderators: personal data" in page
    client.login(stakeholder)
    own = client.get(URL).get_data(as_text=True)
    assert "0712 345 678" in own and "Hidden by the moderators: personal data" in own
    # the API and the counts do not leak it
    assert "0712" not in client.get(API).get_data(as_text=True)
    assert client.get(API).json["total"] == 0
    assert "0 comments" in client.get("/plans/test-plan/versions/1").get_data(as_text=True)


def test_restore_and_dismiss(client, plan, stakeholder, outsider, moderator, db):
    hidden = factories.make_comment(plan, stakeholder, body="fine after all")
    reported = factories.make_comment(plan, stakeholder, body="harmless")
    client.login(outsider)
    client.post(f"/comments/{reported.id}/report", {"reason": "spam"})
    client.logout()
    client.login(moderator)
    _bulk(client, "hide", [hidden.id], reason="spam")
    assert _bulk(client, "restore", [hidden.id]).status_code == 302
    assert _bulk(client, "dismiss", [reported.id]).status_code == 302
    db.session.refresh(hidden)
    assert hidden.status == "visible" and hidden.hidden_reason is None
    assert "harmless" not in client.get("/plans/test-plan/moderation").get_data(as_text=True)
    assert [e.action for e in _events(db)] == ["hide", "restore", "dismiss_reports"]
    log = client.get("/plans/test-plan/moderation/log").get_data(as_text=True)
    assert "restored" in log and "dismissed the reports" in log and "Mo Derator" in log


def test_pre_moderation_holds_stakeholders_comments(client, plan, stakeholder, outsider, moderator, team_member,
                                                     db):
    plan.premoderation = True
    db.session.commit()
    client.login(stakeholder)
    client.post(f"{URL}/comments", {"stance": "support", "body": "waiting text"})
    comment = db.session.scalar(select(Comment))
    assert comment.status == "pending"
    own = client.get(URL).get_data(as_text=True)
    assert "waiting text" in own and "Waiting for a moderator" in own
    client.logout()
    assert "waiting text" not in client.get(URL).get_data(as_text=True)
    assert client.get(API).json["total"] == 0
    client.login(outsider)
    assert "waiting text" not in client.get(URL).get_data(as_text=True)
    client.logout()
    # the team's own comments are not held
    client.login(team_member)
    client.post(f"{URL}/comments", {"stance": "question", "body": "team text"})
    assert db.session.scalar(select(Comment.status).where(Comment.body_md == "team text")) == "visible"
    client.logout()
    client.login(moderator)
    assert "waiting text" in client.get("/plans/test-plan/moderation").get_data(as_text=True)
    assert _bulk(client, "approve", [comment.id]).status_code == 302
    client.logout()
    assert "waiting text" in client.get(URL).get_data(as_text=True)
    assert _events(db, "approve")[0].comment_id == comment.id


def test_pre_moderated_reply_notifies_only_when_approved(client, plan, stakeholder, outsider, moderator,
                                                         smtp_server, db):
    root = factories.make_comment(plan, stakeholder)
    plan.premoderation = True
    db.session.commit()
    client.login(outsider)
    client.post(f"{URL}/comments", {"body": "held reply", "parent_id": root.id})
    assert smtp_server == []
    reply = db.session.scalar(select(Comment).where(Comment.body_md == "held reply"))
    client.logout()
    client.login(moderator)
    _bulk(client, "approve", [reply.id])
    assert len(smtp_server) == 1 and smtp_server[0]["To"] == stakeholder.email


def test_two_moderators_approving_at_once_count_and_announce_the_reply_once(client, plan, stakeholder, outsider,
                                                                            moderator, monkeypatch, smtp_server, db):
    from sqlalchemy import update

    from consult.moderation import routes

    root = factories.make_comment(plan, stakeholder)
    plan.premoderation = True
    db.session.commit()
    reply = factories.make_comment(plan, outsider, parent=root, body="held reply")
    original = routes.ops.approve_comments

    def approved_meanwhile(plan_, actor, comments):
        # The other moderator's request committed after this one loaded the (still pending) reply.
        db.session.execute(update(Comment.__table__).where(Comment.id == reply.id).values(status="visible"))
        db.session.execute(update(Comment.__table__).where(Comment.id == root.id).values(reply_count=1))
        return original(plan_, actor, comments)

    monkeypatch.setattr(routes.ops, "approve_comments", approved_meanwhile)
    client.login(moderator)
    assert _bulk(client, "approve", [reply.id]).status_code == 302
    db.session.refresh(root)
    assert root.reply_count == 1
    assert smtp_server == [] and _events(db, "approve") == []  # the other moderator's request did both


def test_premoderation_is_a_plan_setting(client, plan, team_member, db):
    client.login(team_member)
    form = {"title": plan.title, "slug": plan.slug, "summary": "", "organisation": "", "project": "",
            "policy_instrument": "", "language": "en", "timezone": "Europe/Bucharest", "visibility": "public",
            "premoderation": "y"}
    assert client.post("/plans/test-plan/settings", form).status_code == 302
    db.session.refresh(plan)
    assert plan.premoderation is True


@pytest.mark.parametrize("data, status", [
    ({"action": "hide", "comment_ids": []}, 422),
    ({"action": "explode", "comment_ids": ["{id}"]}, 422),
    ({"action": "hide", "comment_ids": ["{id}"], "reason": ""}, 422),
    ({"action": "hide", "comment_ids": ["{id}"], "reason": "boring"}, 422),
    ({"action": "tag", "comment_ids": ["{id}"], "tag_id": ""}, 422),
    ({"action": "hide", "comment_ids": ["999999"], "reason": "spam"}, 404),
])
def test_bad_bulk_requests_change_nothing(client, plan, stakeholder, moderator, db, data, status):
    comment = factories.make_comment(plan, stakeholder)
    client.login(moderator)
    data = {k: ([str(v).format(id=comment.id) for v in value] if isinstance(value, list) else value)
            for k, value in data.items()}
    assert client.post("/plans/test-plan/moderation", data).status_code == status
    db.session.refresh(comment)
    assert comment.status == "visible"
    assert _events(db) == []


def test_a_comment_of_another_plan_cannot_be_moderated_here(client, plan, team_member, stakeholder, moderator,
                                                             db):
    other = factories.make_plan(team_member, slug="other-plan")
    foreign = factories.make_comment(other, stakeholder)
    client.login(moderator)
    assert _bulk(client, "hide", [foreign.id], reason="spam").status_code == 404
    db.session.refresh(foreign)
    assert foreign.status == "visible"


def test_moderators_read_the_edit_history_and_the_comment_log(client, plan, stakeholder, moderator, db):
    comment = factories.make_comment(plan, stakeholder, body="v1 text")
    client.login(stakeholder)
    client.post(f"/comments/{comment.id}/edit", {"body": "v2 text"})
    client.logout()
    client.login(moderator)
    _bulk(client, "hide", [comment.id], reason="off_topic")
    history = client.get(f"/comments/{comment.id}/history").get_data(as_text=True)
    assert "v1 text" in history and "v2 text" in history
    # the comment's moderation events, with who and why, and a link to its part of the log
    events = history.split('id="comment-log"')[1].split("</table>")[0]
    assert "<td>hid</td>" in events and "Mo Derator" in events
    assert "<td>off topic</td>" in events and "off_topic" not in events  # the reason's label, not its key
    assert f"/plans/test-plan/moderation/log?comment={comment.id}" in history


def test_the_log_of_one_comment_is_linked_and_keeps_its_filter_across_pages(client, plan, stakeholder, outsider,
                                                                            moderator, db):
    from consult.moderation import queries

    watched = factories.make_comment(plan, stakeholder, body="watched")
    other = factories.make_comment(plan, stakeholder, body="other")
    client.login(outsider)
    client.post(f"/comments/{other.id}/report", {"reason": "spam"})
    client.post(f"/comments/{watched.id}/report", {"reason": "spam"})
    client.logout()
    client.login(moderator)
    queue = client.get("/plans/test-plan/moderation").get_data(as_text=True)
    assert f'href="/plans/test-plan/moderation/log?comment={watched.id}"' in queue
    _bulk(client, "hide", [other.id], reason="spam")
    for _round in range(queries.PER_PAGE // 2 + 1):  # more than a page of events on the watched comment
        _bulk(client, "hide", [watched.id], reason="spam")
        _bulk(client, "restore", [watched.id])
    first = client.get(f"/plans/test-plan/moderation/log?comment={watched.id}").get_data(as_text=True)
    assert f"Moderation log of comment #{watched.id}" in first
    assert f"/plans/test-plan/moderation/log?comment={watched.id}&amp;page=2" in first
    rounds = queries.PER_PAGE // 2 + 1
    assert f"<span class=\"muted\">({2 * rounds})</span>" in first  # the other comment's hide is not counted
    second = client.get(f"/plans/test-plan/moderation/log?comment={watched.id}&page=2").get_data(as_text=True)
    assert second.count("<td>restored</td>") + second.count("<td>hid</td>") == 2 * rounds - queries.PER_PAGE
    assert "?page=1" not in second and f"/plans/test-plan/moderation/log?comment={watched.id}&amp;page=1" in second
    history = client.get(f"/comments/{watched.id}/history").get_data(as_text=True)
    assert "<td>restored</td>" in history and f"({2 * rounds})" in history
    untouched = factories.make_comment(plan, stakeholder, body="untouched")
    assert "Nothing has been done to this comment yet." in client.get(f"/comments/{untouched.id}/history") \
        .get_data(as_text=True)


def test_the_log_shows_reasons_and_answers_in_the_readers_language(client, plan, stakeholder, moderator,
                                                                  team_member, db):
    hidden = factories.make_comment(plan, stakeholder, body="call me")
    answered = factories.make_comment(plan, stakeholder, body="a fair point")
    client.login(moderator)
    _bulk(client, "hide", [hidden.id], reason="personal_data", note="phone number")
    client.logout()
    client.login(team_member)
    client.post(f"/comments/{answered.id}/respond", {"disposition": "partly_accepted", "body": "ok"})
    log = client.get("/plans/test-plan/moderation/log").get_data(as_text=True)
    assert "<td>personal data: phone number</td>" in log and "personal_data" not in log
    assert "<td>Partly accepted</td>" in log and "partly_accepted" not in log
    client.post("/language", {"lang": "ro", "next": "/plans/test-plan/moderation/log"})
    romanian = client.get("/plans/test-plan/moderation/log").get_data(as_text=True)
    assert "<td>date personale: phone number</td>" in romanian and "<td>Acceptat parțial</td>" in romanian


@pytest.mark.parametrize("note, message", [("x" * 201, "Note for the log (optional): "),
                                           ("fine", "Choose why the comment is hidden.")])
def test_a_bulk_act_that_cannot_be_done_says_why(client, plan, stakeholder, moderator, db, note, message):
    comment = factories.make_comment(plan, stakeholder)
    client.login(moderator)
    response = _bulk(client, "hide", [comment.id], reason="" if note == "fine" else "spam", note=note)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page and "Choose a known action." not in page
    assert _events(db) == []
