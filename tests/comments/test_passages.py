"""Comments on a passage: quoted, validated, and followed to newer versions."""
from sqlalchemy import select

from consult.comments.models import Comment
from consult.plans import operations as ops

URL = "/plans/test-plan/versions/1/actions/A1"


def test_quote_a_paragraph_without_javascript(client, plan, stakeholder, db):
    client.login(stakeholder)
    page = client.get(URL).get_data(as_text=True)
    assert 'value="description:0"' in page  # "Do thing 1 in the city."
    response = client.post(f"{URL}/comments", {"stance": "question", "body": "Which thing?",
                                               "quote_paragraph": "description:0"})
    assert response.status_code == 302
    comment = db.session.scalar(select(Comment))
    assert (comment.anchor_field, comment.anchor_quote) == ("description", "Do thing 1 in the city.")
    page = client.get(URL).get_data(as_text=True)
    assert "<blockquote" in page and "Do thing 1 in the city." in page


def test_a_selected_passage_is_stored_with_its_surroundings(client, plan, stakeholder, db):
    client.login(stakeholder)
    response = client.post(f"{URL}/comments", {"stance": "concern", "body": "Too vague.",
                                               "anchor_field": "background", "anchor_quote": "Lessons learnt"})
    assert response.status_code == 302
    comment = db.session.scalar(select(Comment))
    assert comment.anchor_quote == "Lessons learnt" and comment.anchor_suffix.startswith(" for action 1")


def test_a_passage_that_is_not_in_the_action_is_refused(client, plan, stakeholder, db):
    client.login(stakeholder)
    for data in ({"anchor_field": "background", "anchor_quote": "words nobody wrote"},
                 {"anchor_field": "secret", "anchor_quote": "Lessons"},
                 {"quote_paragraph": "description:99"}):
        response = client.post(f"{URL}/comments", {"stance": "concern", "body": "x", **data})
        assert response.status_code == 422
    assert db.session.scalar(select(Comment)) is None


def test_passages_follow_the_text_to_the_next_version(client, plan, team_member, stakeholder, db):
    client.login(stakeholder)
    client.post(f"{URL}/comments", {"stance": "concern", "body": "kept", "anchor_field": "players",
                                    "anchor_quote": "The municipality; local SMEs."})
    client.post(f"{URL}/comments", {"stance": "concern", "body": "edited", "anchor_field": "background",
                                    "anchor_quote": "Lessons learnt for action 1."})
    client.post(f"{URL}/comments", {"stance": "concern", "body": "lost", "anchor_field": "costs",
                                    "anchor_quote": "10,000 EUR"})
    draft = ops.current_draft(plan)
    a1 = next(r for r in draft.revisions if r.key == "A1")
    ops.update_action(a1, a1.title, background="Lessons learnt for the first action.",
                      costs="Paid by sponsors only.")
    ops.publish_version(draft, team_member, "v2", None, None)
    db.session.commit()
    page = client.get("/plans/test-plan/versions/2/actions/A1").get_data(as_text=True)
    assert page.count("this passage was edited") == 1
    assert page.count("this passage was removed or rewritten") == 1
    assert page.count('data-anchor-status="exact"') == 1
    assert "/plans/test-plan/compare/1/2#A1" in page


def test_an_edited_passage_shows_and_marks_its_new_text(client, plan, team_member, stakeholder, db):
    client.login(stakeholder)
    client.post(f"{URL}/comments", {"stance": "concern", "body": "edited", "anchor_field": "background",
                                    "anchor_quote": "Lessons learnt for action 1."})
    draft = ops.current_draft(plan)
    a1 = next(r for r in draft.revisions if r.key == "A1")
    ops.update_action(a1, a1.title, background="Lessons learnt for the first action.")
    ops.publish_version(draft, team_member, "v2", None, None)
    db.session.commit()
    page = client.get("/plans/test-plan/versions/2/actions/A1").get_data(as_text=True)
    # The quote as written stays; the passage as it now reads is shown and is what the script marks.
    assert ">Lessons learnt for action 1.</blockquote>" in page
    assert 'data-anchor-found="Lessons learnt for the first action."' in page
    assert "Now it reads: <q" in page and ">Lessons learnt for the first action.</q>" in page


def test_api_posts_an_anchored_comment(client, plan, stakeholder, db):
    from consult.accounts.operations import issue_token
    from tests.api.test_api import validate

    token, _record = issue_token(stakeholder, "t")
    db.session.commit()
    api = "/api/v1/plans/test-plan/versions/1/actions/A1/comments"
    headers = {"Authorization": f"Bearer {token}"}
    response = client.request("POST", api, json={"body": "x", "stance": "question",
                                                  "anchor": {"field": "timeframe", "quote": "31.07.2022"}},
                              headers=headers)
    assert response.status_code == 201
    validate("Comment", response.json)
    assert response.json["anchor"] == {"field": "timeframe", "quote": "31.07.2022"}
    bad = client.request("POST", api, json={"body": "x", "stance": "question", "anchor": {"field": "timeframe",
                                                                                         "quote": "1999"}},
                         headers=headers)
    assert bad.status_code == 422 and "anchor" in bad.json["error"]["fields"]
    assert client.request("POST", api, json={"body": "x", "stance": "question", "anchor": "x"},
                          headers=headers).status_code == 422


def test_the_team_sees_the_passages_that_could_not_be_carried(client, plan, team_member, stakeholder, moderator, db):
    client.login(stakeholder)
    client.post(f"{URL}/comments", {"stance": "concern", "body": "lost", "anchor_field": "costs",
                                    "anchor_quote": "10,000 EUR"})
    client.logout()
    draft = ops.current_draft(plan)
    a1 = next(r for r in draft.revisions if r.key == "A1")
    ops.update_action(a1, a1.title, costs="Paid by sponsors only.")
    ops.publish_version(draft, team_member, "v2", None, None)
    db.session.commit()
    client.login(moderator)
    page = client.get("/plans/test-plan/versions/2/anchors").get_data(as_text=True)
    assert "10,000 EUR" in page and "removed or rewritten" in page
    client.logout()
    client.login(stakeholder)
    assert client.get("/plans/test-plan/versions/2/anchors").status_code == 403


def test_a_wrapped_paragraph_is_one_choice(client, plan, team_member, stakeholder, db):
    draft = ops.current_draft(plan)
    a1 = next(r for r in draft.revisions if r.key == "A1")
    ops.update_action(a1, a1.title, background="A first line\nwrapped in the source.\n\n- an item\n- another item")
    ops.publish_version(draft, team_member, "v2", None, None)
    db.session.commit()
    client.login(stakeholder)
    page = client.get("/plans/test-plan/versions/2/actions/A1").get_data(as_text=True)
    assert "A first line wrapped in the source." in page.split('name="quote_paragraph"')[1]
    response = client.post("/plans/test-plan/versions/2/actions/A1/comments",
                           {"stance": "question", "body": "?", "quote_paragraph": "background:0"})
    assert response.status_code == 302
    assert db.session.scalar(select(Comment.anchor_quote)) == "A first line wrapped in the source."
