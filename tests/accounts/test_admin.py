"""Site admins manage who is an admin and who may log in."""


def test_admin_lists_and_finds_users(client, admin, stakeholder, outsider):
    client.login(admin)
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Stella Holder" in page and "Otto Side" in page
    found = client.get("/admin/users?q=STELLA").get_data(as_text=True)
    assert "Stella Holder" in found and "Otto Side" not in found


def test_admin_disables_a_user_and_ends_their_sessions(make_client, admin, stakeholder, db):
    theirs, mine = make_client(), make_client()
    theirs.login(stakeholder)
    mine.login(admin)
    assert mine.post(f"/admin/users/{stakeholder.id}", {"disabled": "y"}).status_code == 302
    db.session.refresh(stakeholder)
    assert stakeholder.disabled
    assert theirs.get("/account").status_code == 302
    assert mine.post(f"/admin/users/{stakeholder.id}", {}).status_code == 302
    db.session.refresh(stakeholder)
    assert not stakeholder.disabled


def test_admin_grants_admin_rights(client, admin, stakeholder, db):
    client.login(admin)
    client.post(f"/admin/users/{stakeholder.id}", {"is_admin": "y"})
    db.session.refresh(stakeholder)
    assert stakeholder.is_admin and not stakeholder.disabled


def test_admin_cannot_lock_themselves_out(client, admin, db):
    client.login(admin)
    response = client.post(f"/admin/users/{admin.id}", {"disabled": "y", "is_admin": "y"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    # the users page again, the reason above it, not a bare error page
    assert '<p class="alert alert--error">You cannot remove your own admin rights or disable your own account.' \
        in page
    assert "<h1>Users</h1>" in page and admin.email in page
    assert client.post(f"/admin/users/{admin.id}", {}).status_code == 409
    assert "You cannot remove your own" not in client.get("/admin/users").get_data(as_text=True)  # said once
    db.session.refresh(admin)
    assert admin.is_admin and not admin.disabled
