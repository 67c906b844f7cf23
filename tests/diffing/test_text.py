"""The pure diff core, tested exhaustively on plain values."""
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from consult.diffing import diff_text
from consult.diffing.blocks import PAIR_AT_LEAST, REPLACE_ABOVE, diff_blocks, similarity, split_blocks
from consult.diffing.text import changed_share, new_text, old_text, words_changed
from consult.diffing.versions import ActionText, VersionText, compare

WORDS = st.sampled_from(["the", "city", "plan", "acțiune", "Timișoara", "Timişoara", "funding", "SMEs", ",", ".",
                         "**bold**", "-", "\n", "\n\n", " ", "  ", "ECoC", "2021", "țară", "ţară", "- item"])
TEXTS = st.lists(WORDS, max_size=60).map(" ".join) | st.text(max_size=200)


@given(TEXTS, TEXTS)
@settings(max_examples=400, deadline=None)
def test_ops_rebuild_both_texts(old, new):
    ops = diff_text(old, new)
    assert old_text(ops) == old
    assert new_text(ops) == new
    assert all(op in ("equal", "insert", "delete") and text for op, text in ops)


@given(TEXTS)
@settings(max_examples=200, deadline=None)
def test_identical_texts_have_no_changes(text):
    ops = diff_text(text, text)
    assert all(op == "equal" for op, _t in ops)
    assert words_changed(ops) == (0, 0)


@given(TEXTS, TEXTS)
@settings(max_examples=200, deadline=None)
def test_block_view_rebuilds_the_blocks(old, new):
    for change in diff_blocks(old, new):
        if change.ops:
            assert new_text(change.ops) == change.new
            assert old_text(change.ops) == change.old


def test_a_one_word_change_marks_one_word():
    ops = diff_text("The programme runs for twelve months in Timișoara.",
                    "The programme runs for eighteen months in Timișoara.")
    assert ops == [("equal", "The programme runs for "), ("delete", "twelve"), ("insert", "eighteen"),
                   ("equal", " months in Timișoara.")]
    assert words_changed(ops) == (1, 1)


def test_semantic_cleanup_avoids_confetti():
    ops = diff_text("a quick brown fox jumps over the lazy dog", "one slow red cat walks under the lazy dog")
    changes = [op for op, _t in ops if op != "equal"]
    assert len(changes) <= 2  # one deletion and one insertion, not word-by-word alternation


def test_romanian_letter_variants_are_not_word_changes():
    ops = diff_text("Strategia Polului de Creştere Timişoara", "Strategia Polului de Creștere Timișoara")
    assert old_text(ops).endswith("Timişoara") and new_text(ops).endswith("Timișoara")
    assert words_changed(ops) == (0, 0)


def test_whitespace_and_punctuation_only_changes_count_no_words():
    assert words_changed(diff_text("one  two three", "one two three")) == (0, 0)
    assert words_changed(diff_text("one, two three", "one two; three")) == (0, 0)


def test_a_number_with_separators_is_one_word():
    assert words_changed(diff_text("Costs. About 25,000 EUR.", "Costs.")) == (0, 3)
    assert words_changed(diff_text("", "Între 25.000 și 1,5 milioane lei")) == (6, 0)
    assert words_changed(diff_text("", "25\u00a0000 EUR")) == (2, 0)
    # a list stays several words; a changed number is one word changed
    assert words_changed(diff_text("", "in 2021, 2022 and 2023")) == (5, 0)
    assert words_changed(diff_text("About 25,000 EUR.", "About 30,000 EUR.")) == (1, 1)
    ops = diff_text("About 25,000 EUR.", "")
    assert old_text(ops) == "About 25,000 EUR."  # the ops are untouched: only the counting changed


def test_empty_sides():
    assert diff_text("", "") == []
    assert diff_text("", "new words") == [("insert", "new words")]
    assert diff_text("old words", "") == [("delete", "old words")]


def test_very_long_paragraph_is_fast_and_exact():
    old = " ".join(f"word{n % 997}" for n in range(30_000))
    new = old.replace("word5 ", "changed5 ", 3) + " appended"
    start = time.perf_counter()
    ops = diff_text(old, new)
    assert time.perf_counter() - start < 5
    assert new_text(ops) == new and old_text(ops) == old
    assert words_changed(ops)[0] == 4


def test_blocks_follow_markdown_structure():
    blocks = split_blocks("# Title\nFirst paragraph\ncontinues.\n\n- one\n- two\n  more of two\n\n1. first")
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "# Title"), ("paragraph", "First paragraph\ncontinues."), ("item", "- one"),
        ("item", "- two\n  more of two"), ("item", "1. first")]


def test_a_moved_paragraph_shows_in_both_places():
    old = "Alpha paragraph about funding.\n\nBeta paragraph about the jury.\n\nGamma paragraph about timing."
    new = "Beta paragraph about the jury.\n\nGamma paragraph about timing.\n\nAlpha paragraph about funding."
    changes = diff_blocks(old, new)
    kinds = [c.change for c in changes]
    assert kinds.count("moved_away") == 1 and kinds.count("moved_here") == 1
    assert "deleted" not in kinds and "inserted" not in kinds


def test_a_block_rewritten_almost_entirely_is_replaced_whole():
    old = "Run the incubation programme with the municipality and the university."
    new = "Run the cultural voucher scheme with the chamber of commerce and the banks."
    # Similar enough to be the same block, but most of its text changed: shown replaced whole.
    assert similarity(old, new) >= PAIR_AT_LEAST and changed_share(diff_text(old, new)) > REPLACE_ABOVE
    changes = diff_blocks(old, new)
    assert [c.change for c in changes] == ["replaced"]
    assert changes[0].ops == [("delete", old), ("insert", new)]
    assert (changes[0].words_added, changes[0].words_removed) == (13, 10)


def test_unrelated_blocks_are_deleted_and_inserted():
    changes = diff_blocks("Organise four matchmaking events a year.",
                          "Offer innovation vouchers of up to 5,000 EUR to SMEs for joint projects.")
    assert [c.change for c in changes] == ["deleted", "inserted"]


def test_letter_variants_next_to_an_edit_are_not_word_changes():
    ops = diff_text("Timişoara oraşul", "Timișoara orașul nou")
    assert old_text(ops) == "Timişoara oraşul" and new_text(ops) == "Timișoara orașul nou"
    assert words_changed(ops) == (1, 0)
    # Only the respelt words and the new word are marked, not the whole text.
    assert ("equal", " ") in ops and ("insert", "Timișoara") in ops
    assert words_changed(diff_text("Creşterea oraşului", "Creșterea noului oraș")) == (2, 1)


def test_letter_variants_do_not_make_a_block_replaced():
    old = "Strategia de creştere a oraşului Timişoara şi a judeţului Timiş."
    new = "Strategia de creștere a orașului Timișoara și a județului Timiș, revizuită."
    changes = diff_blocks(old, new)
    assert [c.change for c in changes] == ["changed"]
    assert (changes[0].words_added, changes[0].words_removed) == (1, 0)


def test_a_list_item_edited_is_aligned_with_itself():
    changes = diff_blocks("- mentoring by entrepreneurs\n- a demo day", "- mentoring by experienced entrepreneurs\n"
                          "- a demo day for investors")
    assert [c.change for c in changes] == ["changed", "changed"]
    assert ("insert", "experienced ") in changes[0].ops


def _version(number, actions, general=None):
    return VersionText(number, general or {"summary": "s"}, [ActionText(k, p, t, f) for k, p, t, f in actions])


FIELDS = ("description",)


def test_versions_compare_by_stable_key():
    old = _version(1, [("A1", 1, "Incubation", {"description": "Run a programme."}),
                       ("A2", 2, "Matchmaking", {"description": "Four events."}),
                       ("A3", 3, "Gone", {"description": "Removed later."})])
    new = _version(2, [("A2", 1, "Innovation vouchers", {"description": "Four events and vouchers."}),
                       ("A1", 2, "Incubation", {"description": "Run a programme."}),
                       ("A4", 3, "New", {"description": "Brand new."})])
    result = {a.key: a for a in compare(old, new, FIELDS, ("summary",)).actions}
    assert result["A1"].change == "moved" and (result["A1"].from_position, result["A1"].to_position) == (1, 2)
    assert result["A2"].change == "changed" and result["A2"].new_title == "Innovation vouchers"
    assert result["A3"].change == "removed" and result["A4"].change == "added"
    assert result["A4"].words_added == 3 and result["A3"].words_removed == 3  # title and text words


def test_emptied_field_and_renamed_action():
    old = _version(1, [("A1", 1, "Old name", {"description": "Some text here."})])
    new = _version(2, [("A1", 1, "New name", {"description": ""})])
    action = compare(old, new, FIELDS, ()).actions[0]
    assert action.change == "changed"
    title, description = action.fields
    assert title.words_added == 1 and title.words_removed == 1
    assert description.words_removed == 3 and description.new == ""


def test_unchanged_but_for_letter_variants():
    old = _version(1, [("A1", 1, "Acţiune", {"description": "În Timişoara."})])
    new = _version(2, [("A1", 1, "Acțiune", {"description": "În Timișoara."})])
    assert compare(old, new, FIELDS, ()).actions[0].change == "unchanged"


def test_changed_share():
    assert changed_share(diff_text("same", "same")) == 0
    assert changed_share(diff_text("abc", "xyz")) == 1


def _five(order, changed=()):
    return _version(2, [(key, position, f"Action {key}", {"description": f"Text of {key}" + (" and more" if key in
                                                                                            changed else "")})
                        for position, key in enumerate(order, start=1)])


def test_moving_one_action_of_five_marks_only_that_one():
    old = _five(["A1", "A2", "A3", "A4", "A5"])
    result = {a.key: a for a in compare(old, _five(["A2", "A3", "A4", "A5", "A1"]), FIELDS, ("summary",)).actions}
    assert {key: a.change for key, a in result.items()} == {
        "A1": "moved", "A2": "unchanged", "A3": "unchanged", "A4": "unchanged", "A5": "unchanged"}
    assert (result["A1"].from_position, result["A1"].to_position) == (1, 5)
    result = {a.key: a for a in compare(old, _five(["A1", "A4", "A2", "A3", "A5"]), FIELDS, ("summary",)).actions}
    assert [key for key, a in result.items() if a.moved] == ["A4"]


def test_an_action_both_moved_and_changed_says_both():
    old = _five(["A1", "A2", "A3", "A4", "A5"])
    result = {a.key: a for a in compare(old, _five(["A2", "A3", "A1", "A4", "A5"], changed={"A1", "A5"}), FIELDS,
                                        ("summary",)).actions}
    assert result["A1"].change == "changed" and result["A1"].moved
    assert result["A5"].change == "changed" and not result["A5"].moved
    assert not any(result[key].moved for key in ("A2", "A3", "A4"))


def test_letter_variants_fold_one_character_for_one():
    from consult.diffing.text import fold_variants, normalise

    assert fold_variants("Şcoala ţării, oraşul Timişoara") == "Școala țării, orașul Timișoara"
    assert fold_variants("plain ascii") == "plain ascii"
    assert normalise("Ţara  ş") == "Țara ș"
