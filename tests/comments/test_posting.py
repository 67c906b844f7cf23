"""Stakeholders comment on actions, reply in threads, edit, delete and report."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consult.comments.models import Comment, CommentEdit, Report
from consult.core.models import utcnow
from consult.plans import operations as ops
from consult.plans.models import PlanVersion
from tests import factories

URL = "/plans/test-plan/versions/1/actions/A1"


def _count(db, model=Comment):
    return db.session.scalar(select(func.count()).select_from(model))


def _version(db, plan, number):
    return db.session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == number))


def test_stakeholder_comments_with_a_stance(client, plan, stakeholder, db):
    client.login(stakeholder)
    response = client.post(f"{URL}/comments", {"stance": "concern", "body": "The *budget* seems low."})
    assert response.status_code == 302
    comment = db.session.scalar(select(Comment))
    assert response.headers["Location"].endswith(f"{URL}#c{comment.id}")
    assert comment.stance == "concern" and comment.body_html == "<p>The <em>budget</em> seems low.</p>"
    assert comment.author_id == stakeholder.id and comment.depth == 0
    page = client.get(URL).get_data(as_text=True)
    assert f'id="c{comment.id}"' in page
    assert "The <em>budget</em> seems low." in page
    assert 'class="stance stance--concern">Concern<' in page  # a labelled badge, not colour alone
    assert "Citizen" in page  # the author's stakeholder group


def test_any_registered_user_may_comment_on_a_public_plan(client, plan, outsider, db):
    client.login(outsider)
    assert client.post(f"{URL}/comments", {"stance": "support", "body": "Yes!"}).status_code == 302
    assert _count(db) == 1


def test_only_members_comment_on_an_invite_only_plan(client, team_member, stakeholder, outsider, db):
    factories.make_plan(team_member, slug="closed", visibility="invite", stakeholder=stakeholder)
    client.login(outsider)
    assert client.post("/plans/closed/versions/1/actions/A1/comments",
                       {"stance": "support", "body": "x"}).status_code == 404
    client.logout()
    client.login(stakeholder)
    assert client.post("/plans/closed/versions/1/actions/A1/comments",
                       {"stance": "support", "body": "x"}).status_code == 302
    assert _count(db) == 1


def test_visitors_are_sent_to_log_in(client, plan, db):
    response = client.post(f"{URL}/comments", {"stance": "support", "body": "x"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "to comment." in client.get(URL).get_data(as_text=True)
    assert _count(db) == 0


@pytest.mark.parametrize("data, message", [
    ({"stance": "support", "body": ""}, "This field is required."),
    ({"stance": "support", "body": "   \n  "}, "This field is required."),
    ({"stance": "support", "body": "x" * 5001}, "Field cannot be longer than 5000 characters."),
    ({"stance": "", "body": "No stance"}, "Choose whether you support the action"),
    ({"stance": "delight", "body": "Unknown stance"}, "Not a valid choice."),
])
def test_bad_comments_are_refused_and_change_nothing(client, plan, stakeholder, db, data, message):
    client.login(stakeholder)
    response = client.post(f"{URL}/comments", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(db) == 0


def test_preview_renders_without_posting(client, plan, stakeholder, db):
    client.login(stakeholder)
    response = client.post(f"{URL}/comments", {"stance": "support", "body": "**strong** idea", "preview": "1"})
    assert response.status_code == 200
    assert "<strong>strong</strong> idea" in response.get_data(as_text=True)
    assert _count(db) == 0


def test_window_is_enforced_on_the_server(client, plan, stakeholder, team_member, db):
    version = _version(db, plan, 1)
    closes = version.closes_at
    client.login(stakeholder)
    # close the window by publishing a version whose window is over, and check v1 via time travel instead:
    draft = ops.current_draft(plan)
    now = utcnow()
    ops.publish_version(draft, team_member, "v2", now - timedelta(days=10), now - timedelta(days=1),
                        now=now - timedelta(days=10))  # published back then: its window is over now
    db.session.commit()
    response = client.post("/plans/test-plan/versions/2/actions/A1/comments", {"stance": "support", "body": "late"})
    assert response.status_code == 409
    assert "The consultation on this version is closed." in response.get_data(as_text=True)
    page = client.get("/plans/test-plan/versions/2/actions/A1").get_data(as_text=True)
    assert "The consultation closed on" in page and "Send comment" not in page
    assert _count(db) == 0
    assert closes is not None


def test_a_window_not_yet_open_refuses_comments(client, team_member, stakeholder, db):
    plan = factories.make_plan(team_member, slug="later", publish=False, stakeholder=stakeholder)
    now = utcnow()
    ops.publish_version(ops.current_draft(plan), team_member, "", now + timedelta(days=3), now + timedelta(days=9))
    db.session.commit()
    client.login(stakeholder)
    response = client.post("/plans/later/versions/1/actions/A1/comments", {"stance": "support", "body": "early"})
    assert response.status_code == 409
    assert "has not opened yet" in response.get_data(as_text=True)


def test_drafts_take_no_comments(client, plan, team_member, db):
    client.login(team_member)
    response = client.post("/plans/test-plan/versions/2/actions/A1/comments", {"stance": "support", "body": "x"})
    assert response.status_code == 409
    assert _count(db) == 0


def test_replies_form_threads_at_any_depth(client, plan, stakeholder, outsider, db):
    root = factories.make_comment(plan, stakeholder, body="Root")
    parent = root
    client.login(outsider)
    for depth in range(1, 8):
        response = client.post(f"{URL}/comments", {"body": f"Reply at depth {depth}", "parent_id": parent.id})
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        parent = db.session.scalar(select(Comment).order_by(Comment.id.desc()).limit(1))
        assert parent.depth == depth and parent.root_id == root.id
    db.session.refresh(root)
    assert root.reply_count == 7
    page = client.get(URL).get_data(as_text=True)
    assert page.count("comment--indent-4") == 4  # depths 4..7 shown at the deepest indent
    assert "in reply to Otto Side" in page  # flat continuation names whom it answers


def test_reply_page_works_without_javascript(client, plan, stakeholder, outsider, db):
    root = factories.make_comment(plan, stakeholder, body="Root text")
    client.login(outsider)
    page = client.get(f"/comments/{root.id}/reply")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Root text" in text and f'value="{root.id}"' in text
    bad = client.post(f"{URL}/comments", {"body": "", "parent_id": root.id})
    assert bad.status_code == 422 and "Reply to Stella Holder" in bad.get_data(as_text=True)


def test_a_reply_cannot_carry_a_stance(client, plan, stakeholder, outsider, db):
    root = factories.make_comment(plan, stakeholder)
    client.login(outsider)
    response = client.post(f"{URL}/comments", {"body": "x", "parent_id": root.id, "stance": "concern"})
    assert response.status_code == 422
    assert "A reply has no stance of its own" in response.get_data(as_text=True)
    assert _count(db) == 1


def test_reply_to_another_actions_comment_is_refused(client, plan, stakeholder, outsider, db):
    other = factories.make_comment(plan, stakeholder, key="A2")
    client.login(outsider)
    response = client.post(f"{URL}/comments", {"body": "x", "parent_id": other.id})
    assert response.status_code == 422
    assert "same action and version" in response.get_data(as_text=True)
    assert client.post(f"{URL}/comments", {"body": "x", "parent_id": "999999"}).status_code == 404
    assert client.post(f"{URL}/comments", {"body": "x", "parent_id": "abc"}).status_code == 422
    assert _count(db) == 1


def test_reply_to_a_deleted_comment_is_refused(client, plan, stakeholder, outsider, db):
    root = factories.make_comment(plan, stakeholder)
    client.login(stakeholder)
    client.post(f"/comments/{root.id}/delete")
    client.logout()
    client.login(outsider)
    response = client.post(f"{URL}/comments", {"body": "x", "parent_id": root.id})
    assert response.status_code == 404  # a deleted comment is gone, as an unknown one
    assert _count(db) == 1


def test_permalink_opens_the_thread_on_the_right_page(client, plan, stakeholder, db):
    comments = [factories.make_comment(plan, stakeholder, body=f"c{n}", commit=False) for n in range(55)]
    db.session.commit()
    reply = factories.make_comment(plan, stakeholder, parent=comments[52], body="deep reply")
    response = client.get(f"/comments/{reply.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{URL}?page=2#c{reply.id}")
    page2 = client.get(f"{URL}?page=2").get_data(as_text=True)
    assert "deep reply" in page2 and "Page 2 of 2" in page2
    first = client.get(f"/comments/{comments[0].id}")
    assert first.headers["Location"].endswith(f"{URL}#c{comments[0].id}")
    assert client.get("/comments/999999").status_code == 404


def test_threads_sort_oldest_newest_and_most_replied(client, plan, stakeholder, outsider, db):
    first = factories.make_comment(plan, stakeholder, body="first thread")
    second = factories.make_comment(plan, stakeholder, body="second thread")
    factories.make_comment(plan, outsider, parent=second, body="r1")
    factories.make_comment(plan, outsider, parent=second, body="r2")
    third = factories.make_comment(plan, stakeholder, body="third thread")

    def order(sort):
        page = client.get(f"{URL}?sort={sort}").get_data(as_text=True)
        return sorted((first, second, third), key=lambda c: page.index(f'id="c{c.id}"'))

    assert order("oldest") == [first, second, third]
    assert order("newest") == [third, second, first]
    assert order("replies") == [second, first, third]
    assert order("nonsense") == [first, second, third]


def test_comments_of_earlier_versions_show_with_their_version(client, plan, stakeholder, team_member, db):
    old = factories.make_comment(plan, stakeholder, body="said on version one")
    ops.publish_version(ops.current_draft(plan), team_member, "v2", None, None)
    db.session.commit()
    new = factories.make_comment(plan, stakeholder, number=2, body="said on version two")
    client.login(stakeholder)
    page = client.get("/plans/test-plan/versions/2/actions/A1").get_data(as_text=True)
    assert "said on version one" in page and "said on version two" in page
    assert "on version 1" in page
    old_page = client.get(URL).get_data(as_text=True)
    assert "said on version two" not in old_page
    assert old.version_id != new.version_id
    # no replies to a thread of an earlier version from the newer page
    assert f'/comments/{old.id}/reply' not in page and f'/comments/{new.id}/reply' in page


def test_plan_page_shows_comment_counts_per_action(client, plan, stakeholder, db):
    for _ in range(3):
        factories.make_comment(plan, stakeholder, key="A2")
    page = client.get("/plans/test-plan/versions/1").get_data(as_text=True)
    assert "3 comments" in page and "0 comments" in page


def test_author_edits_and_the_history_is_kept(client, plan, stakeholder, moderator, db):
    comment = factories.make_comment(plan, stakeholder, body="first words")
    client.login(stakeholder)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 200
    assert client.post(f"/comments/{comment.id}/edit", {"body": "second words"}).status_code == 302
    assert client.post(f"/comments/{comment.id}/edit", {"body": "third words"}).status_code == 302
    db.session.refresh(comment)
    assert comment.body_md == "third words" and comment.edited_at is not None
    edits = db.session.scalars(select(CommentEdit).order_by(CommentEdit.id)).all()
    assert [e.body_md for e in edits] == ["first words", "second words"]
    page = client.get(URL).get_data(as_text=True)
    assert "edited" in page and "first words" not in page
    assert client.get(f"/comments/{comment.id}/history").status_code == 403  # authors do not see it
    client.logout()
    client.login(moderator)
    history = client.get(f"/comments/{comment.id}/history").get_data(as_text=True)
    assert "first words" in history and "second words" in history and "third words" in history


def test_nobody_edits_someone_elses_comment(client, plan, stakeholder, outsider, db):
    comment = factories.make_comment(plan, stakeholder, body="mine")
    client.login(outsider)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert client.post(f"/comments/{comment.id}/edit", {"body": "yours now"}).status_code == 403
    assert client.post(f"/comments/{comment.id}/delete").status_code == 403
    db.session.refresh(comment)
    assert comment.body_md == "mine" and comment.is_visible
    assert _count(db, CommentEdit) == 0


def test_bad_edits_change_nothing(client, plan, stakeholder, db):
    comment = factories.make_comment(plan, stakeholder, body="mine")
    client.login(stakeholder)
    assert client.post(f"/comments/{comment.id}/edit", {"body": ""}).status_code == 422
    assert client.post(f"/comments/{comment.id}/edit", {"body": "y" * 5001}).status_code == 422
    db.session.refresh(comment)
    assert comment.body_md == "mine" and comment.edited_at is None


def test_deleting_leaves_a_placeholder_that_keeps_replies(client, plan, stakeholder, outsider, db):
    root = factories.make_comment(plan, stakeholder, body="to be deleted")
    factories.make_comment(plan, outsider, parent=root, body="a reply that stays")
    lonely = factories.make_comment(plan, stakeholder, body="lonely and deleted")
    client.login(stakeholder)
    assert client.post(f"/comments/{root.id}/delete").status_code == 302
    assert client.post(f"/comments/{lonely.id}/delete").status_code == 302
    page = client.get(URL).get_data(as_text=True)
    assert "Deleted by its author" in page and "a reply that stays" in page
    assert "to be deleted" not in page and "lonely and deleted" not in page
    assert f'id="c{lonely.id}"' not in page
    assert client.post(f"/comments/{root.id}/delete").status_code == 404  # a deleted comment is gone


def test_reporting_once_per_person(client, plan, stakeholder, outsider, db):
    comment = factories.make_comment(plan, stakeholder)
    client.login(outsider)
    assert client.get(f"/comments/{comment.id}/report").status_code == 200
    assert client.post(f"/comments/{comment.id}/report", {"reason": "boring"}).status_code == 422
    assert client.post(f"/comments/{comment.id}/report", {"reason": "spam"}).status_code == 302
    again = client.post(f"/comments/{comment.id}/report", {"reason": "offensive"})
    assert again.status_code == 409 and "already reported" in again.get_data(as_text=True)
    assert _count(db, Report) == 1
    client.logout()
    client.login(stakeholder)
    assert client.post(f"/comments/{comment.id}/report", {"reason": "spam"}).status_code == 403


def test_thread_page_query_count_does_not_grow(client, plan, stakeholder, outsider, count_queries, db):
    def queries():
        with count_queries() as statements:
            assert client.get(URL).status_code == 200
        return len(statements)

    root = factories.make_comment(plan, stakeholder)
    factories.make_comment(plan, outsider, parent=root)
    few = queries()
    for n in range(30):
        r = factories.make_comment(plan, stakeholder, commit=False, body=f"t{n}")
        factories.make_comment(plan, outsider, parent=r, commit=False)
    db.session.commit()
    assert queries() == few
    client.login(stakeholder)
    logged = queries()
    assert logged <= few + 2


def test_posting_too_often_gets_a_clear_429(app, client, plan, stakeholder, db, monkeypatch):
    from consult.extensions import limiter

    monkeypatch.setitem(app.config, "RATELIMIT_POSTING", "2 per minute")
    limiter.reset()
    client.login(stakeholder)
    try:
        statuses = [client.post(f"{URL}/comments", {"stance": "support", "body": f"n{n}"}).status_code
                    for n in range(3)]
        assert statuses == [302, 302, 429]
        response = client.post(f"{URL}/comments", {"stance": "support", "body": "again"})
        assert "You are doing this too often" in response.get_data(as_text=True)
        assert _count(db) == 2
        assert client.get(URL).status_code == 200  # reading is not limited
    finally:
        limiter.reset()


def test_the_length_limit_is_stated_without_javascript(client, plan, stakeholder, db):
    client.login(stakeholder)
    page = client.get(URL).get_data(as_text=True)
    hint = page.split('id="body-hint"')[1].split("</p>")[0]
    assert "At most 5,000 characters." in hint
    client.post("/language", {"lang": "ro"})
    page = client.get(URL).get_data(as_text=True)
    assert "5.000" in page.split('id="body-hint"')[1].split("</p>")[0]  # as Romanian writes numbers


def test_a_report_sent_at_the_same_moment_is_a_clean_409(client, plan, stakeholder, outsider, db):
    """Two requests pass the "already reported?" check together: the other one's report lands
    between this one's check and its insert, which is then refused with the message."""
    from sqlalchemy import event

    from consult.core.models import utcnow

    comment = factories.make_comment(plan, stakeholder)
    landed = []

    def other_request(conn, cursor, statement, parameters, context, executemany):
        if not landed and statement.lstrip().upper().startswith("SELECT REPORTS.ID"):
            landed.append(True)
            mark = "?" if db.engine.dialect.name == "sqlite" else "%s"
            cursor.connection.cursor().execute(
                f"INSERT INTO reports (comment_id, reporter_id, reason, note, created_at) "
                f"VALUES ({mark}, {mark}, 'spam', '', {mark})", (comment.id, outsider.id, utcnow()))

    client.login(outsider)
    event.listen(db.engine, "after_cursor_execute", other_request)
    try:
        response = client.post(f"/comments/{comment.id}/report", {"reason": "offensive"})
    finally:
        event.remove(db.engine, "after_cursor_execute", other_request)
    assert landed
    assert response.status_code == 409 and "already reported" in response.get_data(as_text=True)
    # (the refused request rolls back; here that takes the other insert along, as it shares the connection)


def test_only_the_latest_published_version_takes_comments_replies_and_edits(client, plan, stakeholder, outsider,
                                                                           team_member, db):
    mine = factories.make_comment(plan, stakeholder, body="On version one.")
    theirs = factories.make_comment(plan, outsider, body="Also on version one.")
    ops.publish_version(ops.current_draft(plan), team_member, "v2", None, None)
    db.session.commit()
    before = _count(db)
    client.login(stakeholder)
    message = "This version has been superseded by version 2 — comment there."
    for data in ({"stance": "support", "body": "late"}, {"body": "a late reply", "parent_id": str(theirs.id)}):
        response = client.post(f"{URL}/comments", data)
        assert response.status_code == 409 and message in response.get_data(as_text=True)
    response = client.get(f"/comments/{theirs.id}/reply")
    assert response.status_code == 409 and message in response.get_data(as_text=True)
    response = client.post(f"/comments/{mine.id}/edit", {"body": "changed"})
    assert response.status_code == 409
    assert db.session.get(Comment, mine.id).body_md == "On version one."
    assert _count(db) == before
    page = client.get(URL).get_data(as_text=True)
    assert message in page and "Send comment" not in page
    assert 'href="/plans/test-plan/versions/2/actions/A1#discussion"' in page
    assert f'href="/comments/{theirs.id}/reply"' not in page
    assert "Superseded by version 2" in client.get("/plans/test-plan/versions/1").get_data(as_text=True)
    # the latest version takes them
    response = client.post("/plans/test-plan/versions/2/actions/A1/comments", {"stance": "support", "body": "now"})
    assert response.status_code == 302 and _count(db) == before + 1
    assert message not in client.get("/plans/test-plan/versions/2/actions/A1").get_data(as_text=True)


def test_a_superseded_version_points_to_the_plan_when_the_action_was_removed(client, plan, stakeholder,
                                                                            team_member, db):
    draft = ops.current_draft(plan)
    ops.remove_action(next(r for r in draft.revisions if r.key == "A2"))
    ops.publish_version(draft, team_member, "v2", None, None)
    db.session.commit()
    client.login(stakeholder)
    page = client.get("/plans/test-plan/versions/1/actions/A2").get_data(as_text=True)
    assert "superseded by version 2" in page and 'href="/plans/test-plan/versions/2"' in page
