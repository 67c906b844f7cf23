"""Comparing versions: the page, the API, stored diffs, bad requests."""
from sqlalchemy import func, select

from consult.demo import DEMO_SLUG, seed_demo
from consult.plans import operations as ops
from consult.plans.models import StoredDiff
from tests.api.test_api import validate


def _demo(db):
    seed_demo()
    db.session.commit()


def test_demo_comparison_shows_the_rewritten_and_new_action_and_the_feedback(client, db):
    _demo(db)
    response = client.get(f"/plans/{DEMO_SLUG}/compare")
    assert response.status_code == 302 and response.headers["Location"].endswith("/compare/1/2")
    page = client.get(f"/plans/{DEMO_SLUG}/compare/1/2").get_data(as_text=True)
    assert "1 action changed" in page and "1 added" in page and "1 unchanged" in page
    assert "<del><span class=\"visually-hidden\">deleted: </span>" in page
    assert "<ins><span class=\"visually-hidden\">inserted: </span>" in page
    assert "Changes prompted by feedback" in page
    assert "Matchmaking events alone rarely lead to contracts" in page
    general = page.split('class="toc compare-toc"')[1].split("</li>")[0]
    assert "General part" in general and "unchanged" in general  # named even when nothing changed in it
    side = client.get(f"/plans/{DEMO_SLUG}/compare/1/2?view=side").get_data(as_text=True)
    assert "<table class=\"diff diff--side\">" in side


def test_diffs_of_published_versions_are_stored_once(client, db, count_queries):
    _demo(db)
    client.get(f"/plans/{DEMO_SLUG}/compare/1/2")
    stored = db.session.scalar(select(func.count()).select_from(StoredDiff))
    assert stored > 0
    with count_queries() as statements:
        client.get(f"/plans/{DEMO_SLUG}/compare/1/2")
    assert not [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert db.session.scalar(select(func.count()).select_from(StoredDiff)) == stored


def test_the_api_comparison(client, db):
    _demo(db)
    data = client.get(f"/api/v1/plans/{DEMO_SLUG}/compare/1/2").json
    validate("Comparison", data)
    assert data["from"] == 1 and data["to"] == 2
    changes = {a["key"]: a for a in data["actions"]}
    assert changes["A1"]["change"] == "unchanged" and changes["A3"]["change"] == "added"
    assert changes["A2"]["change"] == "changed"
    description = next(f for f in changes["A2"]["fields"] if f["name"] == "description")
    old = "".join(t for op, t in description["ops"] if op != "insert")
    new = "".join(t for op, t in description["ops"] if op != "delete")
    assert old.startswith("Organise four matchmaking events") and new.startswith("Offer *innovation vouchers*")


def test_bad_comparisons(client, plan, team_member, db):
    assert client.get("/plans/test-plan/compare/1/1").status_code == 400
    assert client.get("/plans/test-plan/compare/1/9").status_code == 404
    assert client.get("/plans/nope/compare/1/2").status_code == 404
    assert client.get("/plans/test-plan/compare/1/2").status_code == 403  # version 2 is a draft
    assert client.get("/api/v1/plans/test-plan/compare/1/1").status_code == 400
    assert client.get("/api/v1/plans/test-plan/compare/1/2").status_code == 403
    client.login(team_member)
    draft = client.get("/plans/test-plan/compare/1/2")
    assert draft.status_code == 200 and "draft" in draft.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(StoredDiff)) == 0  # drafts are not stored


def test_single_version_has_nothing_to_compare(client, team_member, db):
    from tests import factories

    factories.make_plan(team_member, slug="single", next_draft=False)
    assert client.get("/plans/single/compare").status_code == 404


def test_moved_action_is_reported(client, plan, team_member, db):
    draft = ops.current_draft(plan)
    ops.move_action(draft.revisions[1], -1)
    ops.publish_version(draft, team_member, "Reordered.", None, None)
    db.session.commit()
    page = client.get("/plans/test-plan/compare/1/2").get_data(as_text=True)
    assert "Moved from position" in page


def test_moving_the_first_of_five_actions_to_the_end_marks_one_moved(client, team_member, db):
    from tests import factories

    plan = factories.make_plan(team_member, slug="five", actions=5)
    draft = ops.current_draft(plan)
    first = draft.revisions[0]
    for _step in range(4):
        ops.move_action(first, 1)
    ops.update_action(first, first.title, description="Reworded after the meeting.")
    ops.publish_version(draft, team_member, "Reordered.", None, None)
    db.session.commit()
    page = client.get("/plans/five/compare/1/2").get_data(as_text=True)
    assert "1 action changed" in page and "0 moved" in page and "4 unchanged" in page
    assert "Moved from position 1 to 5." in page  # changed, and moved as well
    section = page.split('id="A1"')[1].split("</section>")[0]
    assert "change--moved" in section
    assert "change--moved" not in page.split('id="A2"')[1].split("</section>")[0]


def test_an_unknown_version_in_a_comparison_is_404(client, plan, team_member, stakeholder):
    for who in (None, stakeholder, team_member):
        if who:
            client.login(who)
        assert client.get("/plans/test-plan/compare/1/99").status_code == 404
        assert client.get("/plans/test-plan/compare/99/2").status_code == 404
        assert client.get("/api/v1/plans/test-plan/compare/2/99").status_code == 404


def test_demo_comparison_shows_markdown_structure_not_its_markers(client, db):
    _demo(db)
    for view in ("inline", "side"):
        page = client.get(f"/plans/{DEMO_SLUG}/compare/1/2?view={view}").get_data(as_text=True)
        a2 = page.split('id="A2"')[1].split('class="prompted"')[0]
        assert "**" not in a2 and "*innovation vouchers*" not in a2
        assert "<strong>events alone do not create partnerships</strong>" in a2
        assert "<em>innovation vouchers</em>" in a2
        assert "1. two calls" not in a2 and "- Municipality of Timișoara —" not in a2
    inline = client.get(f"/plans/{DEMO_SLUG}/compare/1/2").get_data(as_text=True)
    steps = inline.split('<ol class="diff-list">')[1].split("</ol>")[0]
    assert steps.count("<li ") == 4 and 'value="3"' in steps and "two matchmaking events a year" in steps
    players = inline.split('id="d-A2-players-0"')[1]
    assert '<ul class="diff-list">' in players.split("</ul>")[0]


def _published_pair(db, team_member, old: str, new: str, slug="md"):
    """A plan whose A1 description is `old` in version 1 and `new` in version 2 (both published)."""
    from tests import factories

    plan = factories.make_plan(team_member, slug=slug, actions=1, publish=False)
    draft = ops.current_draft(plan)
    ops.update_action(draft.revisions[0], draft.revisions[0].title, description=old)
    ops.publish_version(draft, team_member, "First.", None, None)
    draft = ops.start_draft(plan, team_member)
    ops.update_action(draft.revisions[0], draft.revisions[0].title, description=new)
    ops.publish_version(draft, team_member, "Second.", None, None)
    db.session.commit()
    return plan


def test_unchanged_emphasis_and_renumbered_items_read_cleanly(client, team_member, db):
    _published_pair(db, team_member, "Keep **this bold** and *that*; drop a word.\n\n1. first\n2. second\n3. third",
                    "Keep **this bold** and *that*; drop.\n\n1. second\n2. third")
    for view in ("inline", "side"):
        page = client.get(f"/plans/md/compare/1/2?view={view}").get_data(as_text=True)
        diff = page.split('id="A1"')[1]
        assert "<strong>this bold</strong>" in diff and "<em>that</em>" in diff and "**" not in diff
        assert "<del><span class=\"visually-hidden\">deleted: </span>first</del>" in diff
        assert "<ins" not in diff.split("first</del>")[1].split("</section>")[0]  # only the numbers changed
        assert "diff-block--item diff-block--equal" in diff


def test_hostile_markdown_in_a_diff_stays_inert(client, team_member, db):
    hostile = '**<script>alert(1)</script>** [x](javascript:alert(1)) <img src=x onerror=alert(2)>'
    _published_pair(db, team_member, "Plain words.", "Plain words. " + hostile)
    for view in ("inline", "side"):
        page = client.get(f"/plans/md/compare/1/2?view={view}").get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page and 'href="javascript' not in page
        assert "<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>" in page
        assert "&lt;img src=x onerror=alert(2)&gt;" in page


def test_a_moved_paragraph_says_where_it_went(client, team_member, db):
    _published_pair(db, team_member, "Moved paragraph here.\n\nSecond.\n\nThird.",
                    "Second.\n\nThird.\n\nMoved paragraph here.")
    page = client.get("/plans/md/compare/1/2").get_data(as_text=True)
    assert '<a href="#d-A1-description-3">moved to paragraph 3, below</a>' in page
    assert 'id="d-A1-description-3"' in page
    assert '<a href="#d-A1-description-0">moved here (it was paragraph 1, above)' in page
    side = client.get("/plans/md/compare/1/2?view=side").get_data(as_text=True)
    assert '<del><span class="visually-hidden">moved away: </span>Moved paragraph here.</del>' in side
    assert '<tr class="diff-block--paragraph diff-block--moved_here" id="d-A1-description-3">' in side


def _two_published_versions(db, team_member, slug, actions):
    """A plan whose version 2 rewrites every other action, with a comment and a response per action."""
    from consult.moderation.operations import record_response
    from tests import factories

    plan = factories.make_plan(team_member, slug=slug, actions=actions)
    draft = ops.current_draft(plan)
    for revision in draft.revisions:
        if revision.position % 2:
            fields = {**factories.action_fields(revision.position), "costs": "20,000 EUR"}
            ops.update_action(revision, fields.pop("title") + " revised", **fields)
    db.session.flush()
    comments = [factories.make_comment(plan, team_member, key=f"A{n}", body=f"Feedback on A{n}.")
                for n in range(1, actions + 1)]
    ops.publish_version(draft, team_member, "Second version.", None, None)
    db.session.flush()
    for comment in comments:
        record_response(plan, team_member, comment, "accepted", "Done.", draft)
    db.session.commit()
    return plan


def _compare_queries(client, count_queries, slug, view=""):
    client.get(f"/plans/{slug}/compare/1/2{view}")  # the first view computes and stores the diffs
    with count_queries() as statements:
        assert client.get(f"/plans/{slug}/compare/1/2{view}").status_code == 200
    return len(statements)


def test_comparison_page_query_count_does_not_grow_with_actions(client, team_member, count_queries, db):
    _two_published_versions(db, team_member, "few", 2)
    _two_published_versions(db, team_member, "many", 24)
    for view in ("", "?view=side"):
        few, many = (_compare_queries(client, count_queries, slug, view) for slug in ("few", "many"))
        assert few == many, (view, few, many)
    page = client.get("/plans/many/compare/1/2").get_data(as_text=True)
    assert page.count("Changes prompted by feedback") == 12  # the revised actions
    assert page.count("Feedback answered in this version, elsewhere in the plan") == 12  # the others


def test_a_new_diff_algorithm_recomputes_stored_diffs(client, db, monkeypatch):
    """Stored diffs are keyed by the algorithm's version: a better algorithm never serves stale ones."""
    from consult.plans import comparison

    _demo(db)
    client.get(f"/plans/{DEMO_SLUG}/compare/1/2")
    first = set(db.session.scalars(select(StoredDiff.key)))
    db.session.execute(StoredDiff.__table__.update().values(result='{"ops": [], "blocks": []}'))  # stale
    db.session.commit()
    monkeypatch.setattr(comparison, "ALGORITHM_VERSION", comparison.ALGORITHM_VERSION + 1)
    page = client.get(f"/plans/{DEMO_SLUG}/compare/1/2").get_data(as_text=True)
    second = set(db.session.scalars(select(StoredDiff.key)))
    assert first and len(second) == 2 * len(first) and not first & (second - first)
    assert "Offer <em>innovation vouchers</em>" in page  # the action's diff computed afresh, not the stale rows


def test_word_counts_are_pluralised_and_a_number_counts_once(client, plan, team_member, db):
    from tests import factories

    draft = ops.current_draft(plan)
    first, second = draft.revisions
    ops.update_action(first, **{**factories.action_fields(1), "players": "The municipality; local firms."})
    ops.update_action(second, **{**factories.action_fields(2), "costs": "About 25,000 EUR."})
    ops.publish_version(draft, team_member, "Reworded.", None, None)
    db.session.commit()
    page = client.get("/plans/test-plan/compare/1/2").get_data(as_text=True)
    assert "1 word added, 1 word removed." in page  # A1: "SMEs" became "firms"
    assert "2 words added, 1 word removed." in page  # A2: "10,000 EUR" became "About 25,000 EUR"
    assert "words added, 1 removed" not in page
