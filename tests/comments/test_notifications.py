"""Authors are told by e-mail when someone replies to them, unless they opted out."""
from tests import factories

URL = "/plans/test-plan/versions/1/actions/A1"


def test_a_reply_sends_one_email_to_the_parent_author(client, plan, stakeholder, outsider, smtp_server, db):
    root = factories.make_comment(plan, stakeholder, body="What about funding?")
    client.login(outsider)
    assert client.post(f"{URL}/comments", {"body": "The **municipal** budget.", "parent_id": root.id}) \
        .status_code == 302
    assert len(smtp_server) == 1
    message = smtp_server[0]
    assert message["To"] == stakeholder.email
    assert message["Subject"] == "Otto Side replied to your comment on A1"
    body = message.get_content()
    assert "The **municipal** budget." in body
    assert "/comments/" in body and body.count("http://localhost/comments/") == 1


def test_no_email_to_yourself_or_after_opting_out(client, plan, stakeholder, outsider, smtp_server, db):
    root = factories.make_comment(plan, stakeholder)
    client.login(stakeholder)
    client.post(f"{URL}/comments", {"body": "answering myself", "parent_id": root.id})
    assert smtp_server == []
    assert client.post("/account", {"name": stakeholder.name, "locale": ""}).status_code == 302  # box unticked
    db.session.refresh(stakeholder)
    assert stakeholder.notify_replies is False
    client.logout()
    client.login(outsider)
    client.post(f"{URL}/comments", {"body": "a reply", "parent_id": root.id})
    assert smtp_server == []


def test_no_email_when_the_reply_is_refused(client, plan, stakeholder, outsider, smtp_server, db):
    root = factories.make_comment(plan, stakeholder)
    client.login(outsider)
    assert client.post(f"{URL}/comments", {"body": "", "parent_id": root.id}).status_code == 422
    assert smtp_server == []


def test_without_a_mail_server_mail_goes_to_the_outbox(app, client, plan, stakeholder, outsider, db, tmp_path,
                                                       monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_OUTBOX", str(tmp_path / "outbox"))
    root = factories.make_comment(plan, stakeholder)
    client.login(outsider)
    client.post(f"{URL}/comments", {"body": "to the outbox", "parent_id": root.id})
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    import email
    from email import policy

    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert "to the outbox" in message.get_content()
    assert message["To"] == stakeholder.email
    assert b"to the outbox" in files[0].read_bytes()  # quoted-printable: readable as a file


def _speaks(db, user, locale):
    user.locale = locale
    db.session.commit()


def test_a_reply_email_is_in_the_recipients_language(client, plan, stakeholder, outsider, smtp_server, db):
    _speaks(db, stakeholder, "ro")
    _speaks(db, outsider, "en")
    root = factories.make_comment(plan, stakeholder)
    client.login(outsider)
    assert client.post(f"{URL}/comments", {"body": "A reply.", "parent_id": root.id}).status_code == 302
    assert [m["Subject"] for m in smtp_server] == ["Otto Side a răspuns la comentariul dumneavoastră privind A1"]
    assert "Citiți și răspundeți" in smtp_server[0].get_content()


def test_an_answer_email_is_in_the_recipients_language(client, plan, team_member, stakeholder, smtp_server, db):
    _speaks(db, stakeholder, "ro")
    _speaks(db, team_member, "en")
    comment = factories.make_comment(plan, stakeholder)
    client.login(team_member)
    assert client.post(f"/comments/{comment.id}/respond", {"disposition": "noted", "body": "Noted."}) \
        .status_code == 302
    assert "The answer is published under the comment." in client.get(URL).get_data(as_text=True)  # actor: English
    assert [m["Subject"] for m in smtp_server] == [
        f"Echipa a răspuns la comentariul dumneavoastră privind „{plan.title}”"]
    assert "Citiți-l:" in smtp_server[0].get_content() and "Ce s-a făcut:" in smtp_server[0].get_content()


def test_without_a_language_of_their_own_the_recipient_reads_the_plans(client, plan, stakeholder, outsider,
                                                                       smtp_server, db):
    plan.language = "ro"
    _speaks(db, stakeholder, None)
    _speaks(db, outsider, "en")
    root = factories.make_comment(plan, stakeholder)
    client.login(outsider)
    client.post(f"{URL}/comments", {"body": "A reply.", "parent_id": root.id})
    assert [m["Subject"] for m in smtp_server] == ["Otto Side a răspuns la comentariul dumneavoastră privind A1"]
