"""Registering, logging in and out, passwords and sessions."""
import pytest
from sqlalchemy import func, select

from consult.accounts.models import User
from tests import factories


def test_register_logs_the_new_user_in(client, db):
    response = client.post("/register", {"name": "Nora New", "email": " Nora@Example.org ",
                                         "password": "long enough pw", "confirm": "long enough pw"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "nora@example.org"))
    assert user.name == "Nora New"
    assert user.password_hash != "long enough pw" and user.check_password("long enough pw")
    assert "Nora New" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({"name": "", "email": "a@example.org", "password": "x" * 12, "confirm": "x" * 12}, "This field is required."),
    ({"name": "A", "email": "not-an-email", "password": "x" * 12, "confirm": "x" * 12}, "Invalid email address."),
    ({"name": "A", "email": "a@example.org", "password": "short", "confirm": "short"},
     "The password must have at least 10 and at most 200 characters."),
    ({"name": "A", "email": "a@example.org", "password": "x" * 12, "confirm": "y" * 12}, "The passwords differ."),
    ({"name": "A" * 121, "email": "a@example.org", "password": "x" * 12, "confirm": "x" * 12}, "longer than 120"),
])
def test_bad_registrations_are_refused(client, db, data, message):
    response = client.post("/register", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_registering_an_existing_email_is_refused(client, stakeholder, db):
    response = client.post("/register", {"name": "Copy", "email": "STAKEHOLDER@example.org",
                                         "password": "x" * 12, "confirm": "x" * 12})
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_login_with_a_wrong_password_fails_clearly(client, stakeholder):
    response = client.post("/login", {"email": stakeholder.email, "password": "wrong password"})
    assert response.status_code == 422
    assert "The e-mail address or the password is not right." in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_login_follows_only_local_next_urls(client, stakeholder):
    ok = client.post("/login?next=/plans/test-plan", {"email": stakeholder.email, "password": factories.PASSWORD})
    assert ok.headers["Location"] == "/plans/test-plan"
    client.logout()
    for evil in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post(f"/login?next={evil}", {"email": stakeholder.email, "password": factories.PASSWORD})
        assert response.headers["Location"] == "/"
        client.logout()


def test_a_form_sent_while_logged_out_returns_to_its_page_after_login(client, plan, stakeholder):
    """Not to the form's POST-only address, which the browser would then ask for with GET."""
    page = "/plans/test-plan/versions/1/actions/A1?sort=newest"
    response = client.post("/plans/test-plan/versions/1/actions/A1/comments", {"body": "Hi", "stance": "support"},
                           headers={"Referer": f"http://localhost{page}"})
    assert response.status_code == 302
    login = response.headers["Location"]
    assert login.startswith("/login?next=") and "comments" not in login
    assert "Please log in to access this page." in client.get(login).get_data(as_text=True)
    done = client.post(login, {"email": stakeholder.email, "password": factories.PASSWORD})
    assert done.headers["Location"] == page and client.get(page).status_code == 200
    client.logout()
    elsewhere = client.post("/plans/test-plan/follow", headers={"Referer": "https://evil.example/x"})
    assert elsewhere.headers["Location"] == "/login"  # another site's page is no way back


def test_a_page_asked_for_with_the_wrong_method_is_a_clear_405(client):
    response = client.get("/logout")
    assert response.status_code == 405 and "POST" in response.headers["Allow"].split(", ")
    assert "<html" in response.get_data(as_text=True)


def test_the_login_notice_is_translated(client, plan):
    client.post("/language", {"lang": "ro"})
    page = client.get(client.get("/account").headers["Location"]).get_data(as_text=True)
    assert "Please log in" not in page and "Autentificați-vă" in page


def test_logout_ends_the_session(client, stakeholder):
    client.login(stakeholder)
    assert client.get("/account").status_code == 200
    client.logout()
    assert client.get("/account").status_code == 302


def test_disabled_user_cannot_log_in_and_is_logged_out(client, stakeholder, db):
    client.login(stakeholder)
    stakeholder.disabled = True
    db.session.commit()
    assert client.get("/account").status_code == 302
    response = client.post("/login", {"email": stakeholder.email, "password": factories.PASSWORD})
    assert response.status_code == 422
    assert "This account is disabled." in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302  # not logged in
    # without the right password the answer is the same as for any unknown address
    response = client.post("/login", {"email": stakeholder.email, "password": "not the password"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The e-mail address or the password is not right." in page and "disabled" not in page


def test_changing_the_password_ends_other_sessions(make_client, stakeholder, db):
    here, elsewhere = make_client(), make_client()
    here.login(stakeholder)
    elsewhere.login(stakeholder)
    response = here.post("/account/password", {"current": factories.PASSWORD, "password": "a brand new pw",
                                               "confirm": "a brand new pw"})
    assert response.status_code == 302
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302
    db.session.refresh(stakeholder)
    assert stakeholder.check_password("a brand new pw")


def test_wrong_current_password_changes_nothing(client, stakeholder, db):
    client.login(stakeholder)
    old_hash = stakeholder.password_hash
    response = client.post("/account/password", {"current": "nope nope", "password": "a brand new pw",
                                                  "confirm": "a brand new pw"})
    assert response.status_code == 422
    assert "The current password is not right." in response.get_data(as_text=True)
    db.session.refresh(stakeholder)
    assert stakeholder.password_hash == old_hash


def test_logout_everywhere(make_client, stakeholder):
    here, elsewhere = make_client(), make_client()
    here.login(stakeholder)
    elsewhere.login(stakeholder)
    assert here.post("/account/logout-everywhere").status_code == 302
    assert here.get("/account").status_code == 302
    assert elsewhere.get("/account").status_code == 302


def test_profile_changes_name_and_language(client, stakeholder, db):
    client.login(stakeholder)
    assert client.post("/account", {"name": "Stella H.", "locale": "ro"}).status_code == 302
    db.session.refresh(stakeholder)
    assert stakeholder.name == "Stella H." and stakeholder.locale == "ro"
    assert '<html lang="ro">' in client.get("/").get_data(as_text=True)
    response = client.post("/account", {"name": "", "locale": "xx"})
    assert response.status_code == 422
    db.session.refresh(stakeholder)
    assert stakeholder.name == "Stella H."


def test_session_cookie_is_httponly_and_samesite(client, stakeholder):
    response = client.post("/login", {"email": stakeholder.email, "password": factories.PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_forged_session_ids_are_ignored(client, stakeholder):
    for value in ("", "abc", f"{stakeholder.id}", f"{stakeholder.id}:99", "1:x"):
        with client.raw.session_transaction() as session:
            session["_user_id"] = value
        assert client.get("/account").status_code == 302


def test_create_user_command(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "Chief@Example.org", "--name", "Chief", "--password",
                                 "a good password", "--admin"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "chief@example.org"))
    assert user.is_admin and user.check_password("a good password")
    again = runner.invoke(args=["create-user", "chief@example.org", "--name", "X", "--password", "another password"])
    assert again.exit_code != 0 and "already exists" in again.output
    short = runner.invoke(args=["create-user", "s@example.org", "--name", "S", "--password", "short"])
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    nameless = runner.invoke(args=["create-user", "n@example.org", "--name", "  ", "--password", "a good password"])
    assert nameless.exit_code != 0 and "Give the person's name" in nameless.output
    assert db.session.scalar(select(func.count(User.id))) == 1


@pytest.mark.parametrize("url, data, setting", [
    ("/login", {"email": "someone@example.org", "password": "wrong password"}, "RATELIMIT_LOGIN"),
    ("/register", {"name": "", "email": "x", "password": "", "confirm": ""}, "RATELIMIT_REGISTER"),
])
def test_too_many_attempts_get_a_clear_429(app, client, monkeypatch, url, data, setting):
    from consult.extensions import limiter

    monkeypatch.setitem(app.config, setting, "3 per minute")
    limiter.reset()
    try:
        statuses = [client.post(url, data).status_code for _ in range(4)]
        assert statuses == [422, 422, 422, 429]
        response = client.post(url, data)
        assert response.status_code == 429
        assert "You are doing this too often" in response.get_data(as_text=True)
        assert client.get(url).status_code == 200  # reading the form is not limited
    finally:
        limiter.reset()
