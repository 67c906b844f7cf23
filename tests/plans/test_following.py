"""Told when it changes: e-mails on publishing, the new-version notice, "what changed since"."""
from tests import factories

PUBLISH = "/plans/test-plan/draft/publish"


def test_commenters_and_followers_get_one_email_each(client, plan, team_member, stakeholder, outsider, admin,
                                                     smtp_server, db):
    factories.make_comment(plan, stakeholder, body="one")
    factories.make_comment(plan, stakeholder, body="two")
    client.login(admin)
    assert client.post("/plans/test-plan/follow").status_code == 302
    client.logout()
    client.login(outsider)
    client.post("/plans/test-plan/follow")
    client.post("/plans/test-plan/follow")  # and unfollows again
    client.logout()
    client.login(team_member)
    response = client.post(PUBLISH, {"change_summary": "We **listened**."})
    assert response.status_code == 302
    recipients = sorted(m["To"] for m in smtp_server)
    assert recipients == sorted([stakeholder.email, admin.email])
    body = smtp_server[0].get_content()
    assert "We **listened**." in body and "/plans/test-plan/compare/1/2" in body


def test_returning_visitors_see_a_new_version_notice(client, plan, team_member, db):
    first = client.get("/plans/test-plan")
    assert "New since your last visit" not in first.get_data(as_text=True)
    from consult.plans import operations as ops

    ops.publish_version(ops.current_draft(plan), team_member, "v2", None, None)
    db.session.commit()
    page = client.get("/plans/test-plan").get_data(as_text=True)
    assert "New since your last visit: version 2." in page and "/plans/test-plan/compare/1/2" in page
    assert "New since your last visit" not in client.get("/plans/test-plan").get_data(as_text=True)


def test_old_comments_link_to_what_changed_since(client, plan, team_member, stakeholder, db):
    from consult.plans import operations as ops

    factories.make_comment(plan, stakeholder, body="on one")
    ops.publish_version(ops.current_draft(plan), team_member, "v2", None, None)
    db.session.commit()
    page = client.get("/plans/test-plan/versions/2/actions/A1").get_data(as_text=True)
    assert "/plans/test-plan/compare/1/2#A1" in page and "what changed since" in page


def test_following_needs_login_and_csrf(client, plan, stakeholder):
    assert client.post("/plans/test-plan/follow").status_code == 302
    client.login(stakeholder)
    assert client.post("/plans/test-plan/follow", csrf=False).status_code == 400
    assert client.post("/plans/nope/follow").status_code == 404
