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


def _subjects(inbox):
    return {m["To"]: str(m["Subject"]) for m in inbox}


def test_following_is_the_opt_in_and_the_email_option_covers_commenting(client, plan, team_member, stakeholder,
                                                                        outsider, smtp_server, db):
    factories.make_comment(plan, stakeholder, body="one")
    client.login(outsider)
    client.post("/plans/test-plan/follow")
    client.logout()
    # Both turned the e-mail option off: the follower still follows, the commenter only commented.
    stakeholder.notify_replies = outsider.notify_replies = False
    db.session.commit()
    client.login(team_member)
    response = client.post(PUBLISH, {"change_summary": "v2"}, follow_redirects=True)
    assert [m["To"] for m in smtp_server] == [outsider.email]
    assert "1 person is told by e-mail." in response.get_data(as_text=True)
    body = smtp_server[0].get_content()
    assert "because you follow this plan" in body and "/plans/test-plan" in body


def test_only_people_who_can_see_the_plan_are_counted(client, plan, team_member, stakeholder, outsider,
                                                      smtp_server, db):
    from consult.plans.models import VISIBILITY_INVITE

    client.login(outsider)
    client.post("/plans/test-plan/follow")
    client.logout()
    factories.make_comment(plan, stakeholder, body="one")
    plan.visibility = VISIBILITY_INVITE  # the outsider, not a member, can no longer see it
    db.session.commit()
    client.login(team_member)
    response = client.post(PUBLISH, {"change_summary": "v2"}, follow_redirects=True)
    assert [m["To"] for m in smtp_server] == [stakeholder.email]
    assert "1 person is told by e-mail." in response.get_data(as_text=True)
    body = smtp_server[0].get_content()
    assert "because you commented on this plan" in body and "account page" in body


def test_each_email_is_in_its_readers_language(client, plan, team_member, stakeholder, outsider, admin,
                                               smtp_server, db):
    for user in (stakeholder, outsider, admin):
        client.login(user)
        client.post("/plans/test-plan/follow")
        client.logout()
    stakeholder.locale, outsider.locale, admin.locale = "ro", "en", None
    plan.language = "ro"  # no preference of his own: the admin reads the plan's language
    db.session.commit()
    client.login(team_member)
    assert client.post("/language", {"lang": "en"}).status_code == 302  # the publisher reads English
    client.post(PUBLISH, {"change_summary": "v2"})
    subjects = _subjects(smtp_server)
    assert subjects[stakeholder.email].startswith("Versiunea 2 a planului")
    assert subjects[admin.email].startswith("Versiunea 2 a planului")
    assert subjects[outsider.email].startswith("Version 2 of")


def test_the_account_page_says_what_the_email_option_covers(client, stakeholder):
    client.login(stakeholder)
    page = client.get("/account").get_data(as_text=True)
    assert "new versions of plans I commented on</label>" in page
    assert "Plans you follow e-mail you each new version whatever this option says" in page


def test_returning_visitors_see_a_new_version_notice(client, plan, team_member, db):
    first = client.get("/plans/test-plan")
    assert "New since your last visit" not in first.get_data(as_text=True)
    from consult.plans import operations as ops

    ops.publish_version(ops.current_draft(plan), team_member, "v2", None, None)
    db.session.commit()
    page = client.get("/plans/test-plan").get_data(as_text=True)
    assert "New since your last visit: version 2." in page and "/plans/test-plan/compare/1/2" in page
    assert "New since your last visit" not in client.get("/plans/test-plan").get_data(as_text=True)


def test_reading_an_older_version_does_not_count_as_seeing_the_new_one(client, plan, team_member, db):
    from consult.plans import operations as ops

    client.get("/plans/test-plan")  # version 1, the latest then
    ops.publish_version(ops.current_draft(plan), team_member, "v2", None, None)
    db.session.commit()
    assert "New since your last visit" in client.get("/plans/test-plan/versions/1").get_data(as_text=True)
    page = client.get("/plans/test-plan").get_data(as_text=True)
    assert "New since your last visit: version 2." in page  # still new: only version 1 was read
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
