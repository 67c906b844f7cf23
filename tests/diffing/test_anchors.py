"""Anchors follow the text: carried unchanged, found again when edited, reported when gone."""
from hypothesis import given, settings
from hypothesis import strategies as st

from consult.diffing.anchors import EDITED, EXACT, LOST, Anchor, find, make_anchor, reanchor

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


def test_missing_quote():
    assert reanchor(OLD, OLD, Anchor("not in the text at all, anywhere")).status in (LOST, EDITED)
    assert find(OLD, Anchor("")) == -1
