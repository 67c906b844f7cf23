"""Tags, "you said, we did" responses, meeting feedback, tallies, the report and exports."""
import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from consult.comments.models import Comment
from consult.moderation.models import ModerationEvent, PublishedReport, Response, Tag
from consult.plans import operations as plan_ops
from tests import factories
from tests.api.test_api import _auth, _token, validate

URL = "/plans/test-plan/versions/1/actions/A1"


def _tag(client, name):
    return client.post("/plans/test-plan/tags", {"name": name})


def _tags(db, plan):
    return {t.name: t for t in db.session.scalars(select(Tag).where(Tag.plan_id == plan.id))}


def test_team_edits_the_taxonomy_and_moderators_tag_in_bulk(client, plan, team_member, moderator, stakeholder, db):
    a = factories.make_comment(plan, stakeholder, body="about money")
    b = factories.make_comment(plan, stakeholder, body="also money")
    client.login(team_member)
    assert _tag(client, "funding").status_code == 302
    assert _tag(client, "governance").status_code == 302
    assert _tag(client, "funding").status_code == 409
    assert _tag(client, "Funding").status_code == 409  # would split the tallies in two
    assert _tag(client, "").status_code == 422
    assert set(_tags(db, plan)) == {"funding", "governance"}
    funding = _tags(db, plan)["funding"]
    assert client.post(f"/plans/test-plan/tags/{funding.id}", {"name": "Funding"}).status_code == 302  # its own
    assert client.post(f"/plans/test-plan/tags/{funding.id}", {"name": "funding"}).status_code == 302
    tags = _tags(db, plan)
    client.logout()
    client.login(moderator)
    assert client.get("/plans/test-plan/tags").status_code == 403  # the taxonomy is the team's
    response = client.post("/plans/test-plan/moderation", {"action": "tag", "comment_ids": [a.id, b.id],
                                                          "tag_id": tags["funding"].id})
    assert response.status_code == 302
    listing = client.get(f"/plans/test-plan/moderation/comments?tag={tags['funding'].id}").get_data(as_text=True)
    assert "about money" in listing and "also money" in listing
    untagged = client.get("/plans/test-plan/moderation/comments?untagged=1").get_data(as_text=True)
    assert "about money" not in untagged
    assert "funding" in client.get(URL).get_data(as_text=True)
    client.post("/plans/test-plan/moderation", {"action": "untag", "comment_ids": [b.id],
                                                "tag_id": tags["funding"].id})
    actions = [e.action for e in db.session.scalars(select(ModerationEvent).order_by(ModerationEvent.id))]
    assert actions == ["tag", "tag", "untag"]
    # removing the tag from the plan is logged on the comment that still had it, and on the plan
    client.logout()
    client.login(team_member)
    assert client.post(f"/plans/test-plan/tags/{tags['funding'].id}/remove").status_code == 302
    removal = [(e.action, e.comment_id, e.actor_id, e.reason) for e in db.session.scalars(
        select(ModerationEvent).order_by(ModerationEvent.id))][3:]
    assert removal == [("untag", a.id, team_member.id, "funding"), ("untag", None, team_member.id, "funding")]
    log = client.get("/plans/test-plan/moderation/log").get_data(as_text=True)
    assert "removed the tag from the plan" in log


def test_tagging_with_another_plans_tag_is_refused(client, plan, team_member, moderator, stakeholder, db):
    other = factories.make_plan(team_member, slug="other-plan")
    foreign = Tag(plan_id=other.id, name="foreign")
    db.session.add(foreign)
    db.session.commit()
    comment = factories.make_comment(plan, stakeholder)
    client.login(moderator)
    response = client.post("/plans/test-plan/moderation", {"action": "tag", "comment_ids": [comment.id],
                                                          "tag_id": foreign.id})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(ModerationEvent)) == 0


def test_team_answers_and_the_author_is_told(client, plan, team_member, stakeholder, smtp_server, db):
    comment = factories.make_comment(plan, stakeholder, body="Add a budget line for mentors.")
    client.login(team_member)
    assert client.get(f"/comments/{comment.id}/respond").status_code == 200
    v2 = plan_ops.current_draft(plan)
    response = client.post(f"/comments/{comment.id}/respond", {
        "disposition": "accepted", "body": "Done: see **costs**.", "addressed_in": v2.id})
    assert response.status_code == 302
    saved = db.session.scalar(select(Response))
    assert saved.disposition == "accepted" and saved.addressed_in_id == v2.id
    page = client.get(URL).get_data(as_text=True)
    assert "The team's answer" in page and "Accepted" in page
    # version 2 is still a draft: named, not linked (a visitor would get a 403)
    assert "to be addressed in version 2, in preparation" in page and ">addressed in version 2</a>" not in page
    assert "Done: see <strong>costs</strong>." in page
    assert len(smtp_server) == 1 and smtp_server[0]["To"] == stakeholder.email
    # changing the answer keeps one response and logs the change
    client.post(f"/comments/{comment.id}/respond", {"disposition": "partly_accepted", "body": "Partly."})
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert [e.action for e in db.session.scalars(select(ModerationEvent))] == ["respond", "edit_response"]


@pytest.mark.parametrize("data, status", [
    ({"disposition": "maybe", "body": "x"}, 422),
    ({"disposition": "", "body": "x"}, 422),
    ({"disposition": "noted", "body": "x" * 3001}, 422),
    ({"disposition": "noted", "body": "x", "addressed_in": "999999"}, 422),
    ({"disposition": "noted", "body": "x", "addressed_in": "abc"}, 422),  # not "no version": not a version
    ({"disposition": "noted", "body": "x", "addressed_in": "99999999999999999999"}, 422),
])
def test_bad_responses_change_nothing(client, plan, team_member, stakeholder, db, data, status):
    comment = factories.make_comment(plan, stakeholder)
    client.login(team_member)
    assert client.post(f"/comments/{comment.id}/respond", data).status_code == status
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_replies_and_moderators_cannot_get_or_give_responses(client, plan, team_member, moderator, stakeholder,
                                                             outsider, db):
    root = factories.make_comment(plan, stakeholder)
    reply = factories.make_comment(plan, outsider, parent=root)
    client.login(team_member)
    response = client.post(f"/comments/{reply.id}/respond", {"disposition": "noted", "body": "x"})
    assert response.status_code == 422 and "not replies" in response.get_data(as_text=True)
    form = client.get(f"/comments/{reply.id}/respond")  # the form is refused too, not only the answer
    assert form.status_code == 422 and "not replies" in form.get_data(as_text=True)
    from consult.moderation import operations as mod_ops
    mod_ops.hide_comments(plan, moderator, [root], "spam")
    db.session.commit()
    assert client.get(f"/comments/{root.id}/respond").status_code == 409
    client.logout()
    client.login(moderator)
    assert client.post(f"/comments/{root.id}/respond", {"disposition": "noted"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_unanswered_list(client, plan, team_member, stakeholder, db):
    answered = factories.make_comment(plan, stakeholder, body="answered one")
    factories.make_comment(plan, stakeholder, body="still open", key="A2")
    client.login(team_member)
    client.post(f"/comments/{answered.id}/respond", {"disposition": "noted", "body": "Noted."})
    page = client.get("/plans/test-plan/versions/1/unanswered").get_data(as_text=True)
    assert "still open" in page and "answered one" not in page


def test_meeting_feedback_is_attributed_to_a_table_and_tallied(client, plan, moderator, team_member, db):
    client.login(team_member)
    _tag(client, "timeline")
    client.logout()
    groups = {g.name: g for g in plan.groups}
    tag = _tags(db, plan)["timeline"]
    client.login(moderator)
    assert client.get(f"{URL}/meeting-feedback").status_code == 200
    response = client.post(f"{URL}/meeting-feedback", {
        "attribution": "World café, table 2", "group_id": groups["Youth organisation"].id, "stance": "concern",
        "body": "Twelve months is too short for the pilot.", "tag_ids": [tag.id]})
    assert response.status_code == 302
    comment = db.session.scalar(select(Comment))
    assert comment.source == "meeting" and comment.author_id is None
    assert comment.attribution == "World café, table 2"
    page = client.get(URL).get_data(as_text=True)
    assert "World café, table 2" in page and "meeting input" in page and "timeline" in page
    tally = client.get("/api/v1/plans/test-plan/versions/1/tally", headers=_auth(_token(db, moderator))).json
    a1 = tally["actions"][0]
    assert a1["total"] == 1 and a1["by_stance"]["concern"] == 1
    assert a1["by_group"] == {"Youth organisation": 1} and a1["by_tag"] == {"timeline": 1}
    assert client.post(f"{URL}/meeting-feedback", {"attribution": "", "stance": "concern", "body": "x"}) \
        .status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 1


def _populate(db, plan, stakeholder, outsider, team_member, moderator):
    """Comments with every status, a reply, an answer and a meeting table."""
    from consult.comments.operations import delete_comment
    from consult.moderation import operations as mod_ops

    s1 = factories.make_comment(plan, stakeholder, stance="support", body="s1")
    factories.make_comment(plan, outsider, stance="concern", body="c1")
    factories.make_comment(plan, outsider, parent=s1, body="r1")
    hidden = factories.make_comment(plan, outsider, stance="question", body="secret")
    deleted = factories.make_comment(plan, stakeholder, stance="suggestion", body="gone", key="A2")
    mod_ops.hide_comments(plan, moderator, [hidden], "spam")
    delete_comment(deleted, stakeholder)
    mod_ops.record_response(plan, team_member, s1, "accepted", "Yes.", None)
    plan.premoderation = True
    db.session.commit()
    factories.make_comment(plan, stakeholder, stance="support", body="waiting")
    plan.premoderation = False
    db.session.commit()


def _svg(page: str, chart_id: str) -> str:
    """The <svg> labelled by `chart_id`-title."""
    match = re.search(rf'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc".*?</svg>', page, re.S)
    assert match, f"no chart {chart_id}"
    return match.group(0)


def test_tally_counts_by_sql_and_never_leaks(client, plan, stakeholder, outsider, team_member, moderator,
                                             count_queries, db):
    _populate(db, plan, stakeholder, outsider, team_member, moderator)
    token = _auth(_token(db, moderator))
    data = client.get("/api/v1/plans/test-plan/versions/1/tally", headers=token).json
    validate("Tally", data)
    a1, a2 = data["actions"]
    assert (a1["total"], a1["hidden"], a1["pending"], a1["answered"]) == (3, 1, 1, 1)
    assert a1["participants"] == 2
    assert a1["by_stance"] == {"support": 1, "concern": 1, "suggestion": 0, "question": 0, "reply": 1}
    assert a1["by_disposition"]["accepted"] == 1
    assert a2["total"] == 0
    client.login(moderator)
    page = client.get("/plans/test-plan/versions/1/tally").get_data(as_text=True)
    stances = _svg(page, "stances-chart")
    assert '<title id="stances-chart-title">Comments per action by stance</title>' in stances
    assert '<desc id="stances-chart-desc">' in stances and "<table" in page
    # the heat map: a labelled image whose every cell carries its count, beside the same numbers in a table
    heat = _svg(page, "groups-chart")
    assert '<title id="groups-chart-title">Visible comments per action and stakeholder group</title>' in heat
    assert '<desc id="groups-chart-desc">' in heat
    citizen = next(g for g in plan.groups if g.name == "Citizen")
    counts = re.findall(r'class="heat-cell heat-cell--(\d)"><title>([^<]*)</title></rect>\s*<text[^>]*>(\d+)</text>',
                        heat)
    assert len(counts) == 2 * (len(plan.groups) + 1)  # A1, A2 × every group and "no group"
    # the stakeholder's s1 (Citizen); the outsider's c1 and r1 (no group); hidden and waiting ones are not counted
    assert [c for c in counts if c[2] != "0"] == [("3", "A1 · Citizen: 1", "1"), ("4", "A1 · No group: 2", "2")]
    assert 'id="groups-table"' in page and f"<th scope=\"col\">{citizen.name}</th>" in page
    assert "1 of 2 top-level comments answered" in page
    # one query per split, whatever the number of comments
    with count_queries() as statements:
        client.get("/api/v1/plans/test-plan/versions/1/tally", headers=token)
    grouped = [s for s in statements if "GROUP BY" in s]
    assert len(grouped) == 7
    filtered = client.get("/plans/test-plan/tally?source=meeting").get_data(as_text=True)
    assert "0 visible comments" in filtered


def test_tally_filters(client, plan, stakeholder, outsider, team_member, moderator, db):
    _populate(db, plan, stakeholder, outsider, team_member, moderator)
    client.login(moderator)
    group = next(g for g in plan.groups if g.name == "Citizen")  # the stakeholder's group
    page = client.get(f"/plans/test-plan/versions/1/tally?group={group.id}").get_data(as_text=True)
    assert "1 visible comment" in page
    assert client.get("/plans/test-plan/versions/1/tally?since=2000-01-01&until=2000-01-02").status_code == 200
    assert "0 visible comments" in client.get(
        "/plans/test-plan/versions/1/tally?since=2000-01-01&until=2000-01-02").get_data(as_text=True)
    # an invalid filter is named and left out; the valid ones still apply
    bad = client.get(f"/plans/test-plan/versions/1/tally?since=nonsense&group={group.id}")
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Some filters are not valid" in page
    assert 'id="since-error"' in page and "1 visible comment" in page
    unknown = client.get("/plans/test-plan/versions/1/tally?group=999999&source=meeting")
    assert unknown.status_code == 422 and 'id="group-error"' in unknown.get_data(as_text=True)
    assert "0 visible comments" in unknown.get_data(as_text=True)  # source=meeting still applied


@pytest.mark.parametrize("query, field, message", [
    ("until=9999-12-31", "until", "Choose a year from 1900 to 9998."),  # the day after does not exist
    ("since=0001-01-01", "since", "Choose a year from 1900 to 9998."),  # before UTC's first day in Bucharest
    ("since=1899-12-31", "since", "Choose a year from 1900 to 9998."),
    ("tag=abc", "tag", "Not a valid choice."),
    ("tag=999999", "tag", "Not a valid choice."),
    ("group=abc", "group", "Not a valid choice."),
    ("group=-1", "group", "Not a valid choice."),
    ("since=2030-01-01&until=2020-01-01", "until", "The end of the period comes before its start."),
])
def test_an_invalid_tally_filter_is_named_and_the_others_still_apply(client, plan, stakeholder, outsider,
                                                                    team_member, moderator, db, query, field,
                                                                    message):
    _populate(db, plan, stakeholder, outsider, team_member, moderator)
    client.login(moderator)
    for url in ("/plans/test-plan/versions/1/tally", "/plans/test-plan/tally"):
        response = client.get(f"{url}?{query}&source=meeting")
        page = response.get_data(as_text=True)
        assert response.status_code == 422, url
        assert f'id="{field}-error"' in page and message in page
        assert "0 visible comments" in page  # source=meeting still applied


def test_the_first_and_last_allowed_days_filter_the_tally(client, plan, stakeholder, outsider, team_member,
                                                          moderator, db):
    _populate(db, plan, stakeholder, outsider, team_member, moderator)
    client.login(moderator)
    response = client.get("/plans/test-plan/versions/1/tally?since=1900-01-01&until=9998-12-31")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "0 visible comments" not in page
    assert 'min="1900-01-01"' in page and 'max="9998-12-31"' in page  # the browser's date picker knows too


def test_exports_have_every_field_and_only_the_team_sees_emails(client, plan, stakeholder, outsider, team_member,
                                                                moderator, db):
    _populate(db, plan, stakeholder, outsider, team_member, moderator)
    client.login(team_member)
    raw = client.get("/plans/test-plan/export.csv")
    assert raw.status_code == 200 and "attachment" in raw.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(raw.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 6
    by_body = {r["body"]: r for r in rows}
    assert by_body["s1"]["response_disposition"] == "accepted" and by_body["s1"]["author_email"] == stakeholder.email
    assert by_body["secret"]["status"] == "hidden" and by_body["secret"]["hidden_reason"] == "spam"
    assert by_body[""]["status"] == "deleted"  # deleted text is not exported
    assert by_body["waiting"]["status"] == "pending"
    assert by_body["r1"]["parent_id"] == str(by_body["s1"]["id"])
    book = load_workbook(io.BytesIO(client.get("/plans/test-plan/export.xlsx").data))
    assert book.active.max_row == 7 and book.active["A1"].value == "id"
    exported = json.loads(client.get("/plans/test-plan/export.json?version=1").data)
    assert len(exported["comments"]) == 6
    client.logout()
    client.login(moderator)
    rows = list(csv.DictReader(io.StringIO(client.get("/plans/test-plan/export.csv").get_data(as_text=True)
                                           .lstrip("\ufeff"))))
    assert "author_email" not in rows[0]
    assert client.get("/plans/test-plan/export.pdf").status_code == 404
    assert client.get("/plans/test-plan/export.csv?version=abc").status_code == 400
    assert client.get("/plans/test-plan/export.csv?version=9").status_code == 404


def test_exports_neutralise_spreadsheet_formulas(client, plan, stakeholder, team_member, db):
    factories.make_comment(plan, stakeholder, body="=HYPERLINK(\"http://evil\")")
    client.login(team_member)
    rows = list(csv.DictReader(io.StringIO(client.get("/plans/test-plan/export.csv").get_data(as_text=True)
                                           .lstrip("\ufeff"))))
    assert rows[0]["body"].startswith("'=")


def test_report_is_private_until_published(client, plan, stakeholder, team_member, moderator, db):
    comment = factories.make_comment(plan, stakeholder, body="Please add mentors.")
    client.login(team_member)
    client.post(f"/comments/{comment.id}/respond", {"disposition": "accepted", "body": "Added in A1."})
    page = client.get("/plans/test-plan/versions/1/report").get_data(as_text=True)
    assert "Draft report" in page and "Please add mentors." in page and "Added in A1." in page
    assert "You said, we did" in page
    client.logout()
    assert client.get("/plans/test-plan/versions/1/report").status_code == 302  # to the login page
    client.login(stakeholder)
    assert client.get("/plans/test-plan/versions/1/report").status_code == 403
    client.logout()
    client.login(team_member)
    assert client.post("/plans/test-plan/versions/1/report/publish").status_code == 302
    client.logout()
    public = client.get("/plans/test-plan/versions/1/report")
    assert public.status_code == 200 and "Report published" in public.get_data(as_text=True)
    assert client.get("/plans/test-plan/versions/2/report").status_code == 404  # a draft has no report


TALLY_API = "/api/v1/plans/test-plan/versions/1/tally"


def test_the_tally_api_is_public_only_with_the_published_report(client, plan, stakeholder, team_member, moderator,
                                                                 db):
    factories.make_comment(plan, stakeholder, stance="support", body="counted")
    stakeholder_token, moderator_token = _auth(_token(db, stakeholder)), _auth(_token(db, moderator, "m"))
    refused = client.get(TALLY_API)
    assert refused.status_code == 403 and "consultation report" in refused.json["error"]["message"]
    assert client.get(TALLY_API, headers=stakeholder_token).status_code == 403
    assert client.get(TALLY_API, headers=moderator_token).json["actions"][0]["total"] == 1
    assert client.get("/api/v1/plans/test-plan/versions/9/tally").status_code == 404
    assert client.get("/api/v1/plans/no-such-plan/versions/1/tally").status_code == 404
    client.login(team_member)
    assert client.post("/plans/test-plan/versions/1/report/publish").status_code == 302
    client.logout()
    public = client.get(TALLY_API)
    assert public.status_code == 200 and public.json["actions"][0]["total"] == 1
    assert client.get(TALLY_API, headers=stakeholder_token).status_code == 200


REPORT = "/plans/test-plan/versions/1/report"


def _report_links(page):
    return re.findall(r'<a href="(/plans/test-plan/versions/\d+/report)">([^<]*)</a>( <span class="badge[^"]*">[^<]*)?',
                      page)


def test_the_report_is_found_from_the_plan_page(client, plan, stakeholder, moderator, team_member, db):
    client.login(stakeholder)
    assert REPORT not in client.get("/plans/test-plan").get_data(as_text=True)  # not published yet
    client.logout()
    assert REPORT not in client.get("/plans/test-plan/versions/1").get_data(as_text=True)
    client.login(moderator)
    for path in ("/plans/test-plan", "/plans/test-plan/versions/1"):
        page = client.get(path).get_data(as_text=True)
        assert "Draft consultation report on this version" in page
        assert (REPORT, "Report on version 1", ' <span class="badge badge--draft">draft') in _report_links(page)
    client.logout()
    client.login(team_member)
    client.post(f"{REPORT}/publish")
    client.logout()
    for path in ("/plans/test-plan", "/plans/test-plan/versions/1"):
        page = client.get(path).get_data(as_text=True)
        assert "Consultation report on this version" in page and "Draft consultation report" not in page
        assert (REPORT, "Report on version 1", "") in _report_links(page)
        assert client.get(REPORT).status_code == 200


def test_publishing_and_withdrawing_are_separate_acts(client, plan, team_member, db):
    def log():
        return [(e.action, e.reason) for e in db.session.scalars(select(ModerationEvent).order_by(ModerationEvent.id))]

    client.login(team_member)
    assert client.post(f"{REPORT}/withdraw").status_code == 409  # nothing to withdraw
    draft = client.get(REPORT).get_data(as_text=True)
    assert f'action="{REPORT}/publish"' in draft and f'action="{REPORT}/withdraw"' not in draft
    assert client.post(f"{REPORT}/publish").status_code == 302
    again = client.post(f"{REPORT}/publish")  # a double submit does not withdraw it
    assert again.status_code == 409 and "already published" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(PublishedReport)) == 1
    published = client.get(REPORT).get_data(as_text=True)
    assert f'action="{REPORT}/withdraw"' in published and f'action="{REPORT}/publish"' not in published
    assert client.post(f"{REPORT}/withdraw").status_code == 302
    assert client.post(f"{REPORT}/withdraw").status_code == 409
    assert db.session.scalar(select(func.count()).select_from(PublishedReport)) == 0
    assert log() == [("publish_report", "version 1"), ("withdraw_report", "version 1")]
    assert client.post("/plans/test-plan/versions/2/report/publish").status_code == 404  # the draft


def test_two_withdrawals_at_once_are_one_withdrawal_and_a_409(client, plan, team_member, db):
    """The other request deletes the report after this one found it published, just before its DELETE."""
    from sqlalchemy import event

    client.login(team_member)
    assert client.post(f"{REPORT}/publish").status_code == 302
    version_id = db.session.scalar(select(PublishedReport.version_id))
    raced = []

    def withdrawn_meanwhile(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("DELETE FROM PUBLISHED_REPORTS") and not raced:
            raced.append(statement)
            cursor.execute(f"DELETE FROM published_reports WHERE version_id = {int(version_id)}")

    event.listen(db.engine, "before_cursor_execute", withdrawn_meanwhile)
    try:
        response = client.post(f"{REPORT}/withdraw")
    finally:
        event.remove(db.engine, "before_cursor_execute", withdrawn_meanwhile)
    assert raced
    assert response.status_code == 409
    assert "The report on version 1 is not published." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ModerationEvent).where(
        ModerationEvent.action == "withdraw_report")) == 0  # the other request logged its withdrawal


def test_an_answer_links_the_version_that_addresses_it_once_published(client, plan, team_member, stakeholder, db):
    comment = factories.make_comment(plan, stakeholder, body="Add mentors.")
    client.login(team_member)
    v2 = plan_ops.current_draft(plan)
    client.post(f"/comments/{comment.id}/respond", {"disposition": "accepted", "body": "Yes.", "addressed_in": v2.id})
    plan_ops.publish_version(v2, team_member, "mentors added", None, None)
    db.session.commit()
    client.logout()
    page = client.get(URL).get_data(as_text=True)
    assert '<a href="/plans/test-plan/versions/2">addressed in version 2</a>' in page
    assert client.get("/plans/test-plan/versions/2").status_code == 200


def test_tallies_and_the_action_filter_list_only_actions_of_the_tallied_versions(client, plan, team_member,
                                                                                moderator, db):
    ops = plan_ops
    draft = ops.current_draft(plan)
    ops.remove_action(ops.add_action(draft, **factories.action_fields(3)))  # A3: added, then removed
    ops.add_action(draft, **factories.action_fields(4))  # A4: only in the draft so far
    db.session.commit()
    client.login(moderator)

    def rows(url):
        page = client.get(url).get_data(as_text=True)
        return re.findall(r'<th scope="row"><span class="key">(A\d+)</span> <span lang="en">([^<]*)</span>', page)

    def filter_keys():
        page = client.get("/plans/test-plan/moderation/comments").get_data(as_text=True)
        select_html = re.search(r'<select name="action".*?</select>', page, re.S).group(0)
        return re.findall(r'<option value="(A\d+)"', select_html)

    assert rows("/plans/test-plan/tally") == [("A1", "Action number 1"), ("A2", "Action number 2")]
    assert filter_keys() == ["A1", "A2"]
    ops.remove_action(next(r for r in ops.current_draft(plan).revisions if r.key == "A2"))
    ops.publish_version(ops.current_draft(plan), team_member, "v2", None, None)
    db.session.commit()
    # across versions: A2 (only in version 1) keeps its title from there; A3 never was published
    assert rows("/plans/test-plan/tally") == [("A1", "Action number 1"), ("A2", "Action number 2"),
                                              ("A4", "Action number 4")]
    assert rows("/plans/test-plan/versions/2/tally") == [("A1", "Action number 1"), ("A4", "Action number 4")]
    assert rows("/plans/test-plan/versions/1/tally") == [("A1", "Action number 1"), ("A2", "Action number 2")]
    assert filter_keys() == ["A1", "A2", "A4"]


def test_export_links_carry_the_lists_version_filter_and_say_what_they_export(client, plan, moderator, db):
    client.login(moderator)
    page = client.get("/plans/test-plan/moderation/comments").get_data(as_text=True)
    assert "Export all comments:" in page and "Export these comments:" not in page
    assert 'href="/plans/test-plan/export.csv"' in page and "export.csv?version" not in page
    page = client.get("/plans/test-plan/moderation/comments?version=1").get_data(as_text=True)
    assert "Export these comments:" in page and "Export all comments:" in page
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="/plans/test-plan/export.{fmt}?version=1"' in page
        assert f'href="/plans/test-plan/export.{fmt}"' in page
    # other filters do not narrow the export: the link says it exports the version's comments
    page = client.get("/plans/test-plan/moderation/comments?version=1&stance=concern").get_data(as_text=True)
    assert "Export the comments of version 1:" in page and "Export these comments:" not in page
    # a version that is not there is not carried
    page = client.get("/plans/test-plan/moderation/comments?version=7").get_data(as_text=True)
    assert "?version=7" not in page.split("<form")[0]
