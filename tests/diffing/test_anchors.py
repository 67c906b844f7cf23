"""Anchors follow the text: carried unchanged, found again when edited, reported when gone."""
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.diffing.anchors import EDITED, EXACT, LOST, Anchor, Located, find, make_anchor, reanchor

OLD = ("The programme runs for twelve months. Mentors from the creative sector coach each team. "
       "A demo day closes each cohort, with investors and public buyers.")


def _anchor(text, quote):
    start = text.index(quote)
    return make_anchor(text, start, start + len(quote))


def test_unchanged_passage_is_carried():
    anchor = _anchor(OLD, "Mentors from the creative sector coach each team.")
    new = "New first sentence. " + OLD
    located = reanchor(OLD, new, anchor)
    assert located.status == EXACT and new[located.start:located.end] == anchor.quote


def test_lightly_edited_passage_is_found_and_marked_edited():
    anchor = _anchor(OLD, "Mentors from the creative sector coach each team.")
    new = OLD.replace("coach each team", "coach every team")
    located = reanchor(OLD, new, anchor)
    assert located.status == EDITED and "coach every team" in located.text


def test_rewritten_passage_is_lost():
    anchor = _anchor(OLD, "Mentors from the creative sector coach each team.")
    new = "The programme runs for twelve months. Vouchers pay for services. A demo day closes each cohort."
    assert reanchor(OLD, new, anchor).status == LOST


def test_the_right_occurrence_is_chosen_by_its_surroundings():
    text = "Funding comes later. The budget is small. Funding comes later, after the pilot."
    second = text.rindex("Funding comes later")
    anchor = make_anchor(text, second, second + len("Funding comes later"))
    assert find(text, anchor) == second


def test_romanian_text_with_diacritics():
    old = "Acțiunea sprijină întreprinderile creative din Timișoara în anii de moștenire."
    anchor = _anchor(old, "întreprinderile creative din Timișoara")
    new = old.replace("sprijină", "susține")
    located = reanchor(old, new, anchor)
    assert located.status == EXACT and located.text == "întreprinderile creative din Timișoara"


@given(st.text(min_size=5, max_size=200), st.data())
@settings(max_examples=150, deadline=None)
def test_identical_texts_always_carry_the_anchor(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    anchor = make_anchor(text, start, end)
    located = reanchor(text, text, anchor)
    assert located.status == EXACT and text[located.start:located.end] == anchor.quote


def test_missing_quote_is_lost():
    assert reanchor(OLD, OLD, Anchor("not in the text at all, anywhere")) == Located(LOST)
    assert reanchor(OLD, OLD.replace("demo day", "fair"), Anchor("not in the text at all, anywhere")).status == LOST
    assert find(OLD, Anchor("")) == -1


def test_a_replaced_last_word_is_part_of_the_new_passage():
    old = "Mentors coach each team. Then more follows."
    new = "Mentors coach each group. Then more follows."
    located = reanchor(old, new, _anchor(old, "Mentors coach each team"))
    assert located.status == EDITED and located.text == "Mentors coach each group"
    assert new[located.start:located.end] == located.text


def test_a_replaced_first_word_is_part_of_the_new_passage():
    old = "The plan: mentors coach each team weekly."
    new = "The plan: experts coach each team weekly."
    located = reanchor(old, new, _anchor(old, "mentors coach each team"))
    assert located.status == EDITED and located.text == "experts coach each team"


def test_words_inserted_inside_the_passage_are_part_of_it():
    old = "We offer funding for SMEs in the creative sector of the region."
    new = "We offer funding for creative SMEs in the cultural sector of the region."
    located = reanchor(old, new, _anchor(old, "funding for SMEs"))
    assert located.status == EDITED and located.text == "funding for creative SMEs"


def test_the_fuzzy_match_covers_the_whole_new_passage():
    # The quote is not in the older text as given (e.g. it was typed by hand), so the passage
    # is found by fuzzy matching; its end is where the old passage's end went, not its length.
    new = "We offer funding for creative SMEs in the cultural sector of the region."
    located = reanchor("something else entirely", new, Anchor("funding for SMEs", "We offer ", " in the creative"))
    assert located.status == EDITED and located.text == "funding for creative SMEs"
    assert new[located.start:located.end] == located.text


def test_the_fuzzy_match_ends_on_a_word_boundary_at_the_end_of_the_text():
    new = "We offer funding for creative SMEs"
    located = reanchor("something else entirely", new, Anchor("funding for SMEs", "We offer ", ""))
    assert located.status == EDITED and located.text == "funding for creative SMEs"


def test_a_cedilla_to_comma_swap_alone_is_no_edit():
    old = "Strategia Polului de Creştere Timişoara este bună."
    new = "Strategia Polului de Creștere Timișoara este bună."
    located = reanchor(old, new, _anchor(old, "Strategia Polului de Creştere Timişoara"))
    assert located.status == EXACT and located.text == "Strategia Polului de Creștere Timișoara"
    assert (located.start, located.end) == (0, len("Strategia Polului de Creștere Timișoara"))


def test_a_cedilla_swap_beside_a_real_edit_keeps_the_whole_span():
    old = "Strategia Polului de Creştere Timişoara este bună."
    new = "Strategia Polului de Creștere Timișoara nu este bună."
    located = reanchor(old, new, _anchor(old, "Polului de Creştere Timişoara este"))
    assert located.status == EDITED and located.text == "Polului de Creștere Timișoara nu este"


def test_a_quote_typed_with_cedillas_is_found_in_comma_text():
    text = "Acțiunea sprijină Timișoara."
    assert find(text, Anchor("sprijină Timişoara")) == text.index("sprijină")


@given(st.text(alphabet="aşţŞŢșțăî .", min_size=3, max_size=80), st.data())
@settings(max_examples=150, deadline=None)
def test_letter_variant_swaps_alone_keep_the_anchor_exact(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    anchor = make_anchor(text, start, end)
    new = text.translate(str.maketrans("şţŞŢ", "șțȘȚ"))
    located = reanchor(text, new, anchor)
    assert located.status == EXACT and located.text == new[located.start:located.end]
    assert len(located.text) == len(anchor.quote)
