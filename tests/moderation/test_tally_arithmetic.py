"""The pure cores of the tallies and charts: rows in, tallies and shapes out (no database, no Flask)."""
import pytest

from consult.moderation.charts import (
    BAR_GAP,
    BAR_HEIGHT,
    CHART_WIDTH,
    HEAT_CELL_HEIGHT,
    HEAT_CELL_WIDTH,
    HEAT_HEADER_HEIGHT,
    HEAT_LABEL_WIDTH,
    HEAT_OVERHANG,
    LABEL_WIDTH,
    heat_levels,
    heat_map,
    label_lines,
    stacked_bars,
)
from consult.moderation.tally import ActionTally, assemble, totals

ROWS = {
    "status": [(1, "visible", 5), (1, "hidden", 2), (1, "pending", 1), (2, "visible", 1), (2, "deleted", 4)],
    "stance": [(1, "support", 3), (1, None, 2), (2, "question", 1)],
    "group": [(1, 10, 4), (1, None, 1), (2, 11, 1)],
    "tag": [(1, 7, 2)],
    "disposition": [(1, "accepted", 1), (1, "noted", 2)],
    "participants": [(1, "all", 3), (2, "all", 1)],
    "top_level": [(1, "all", 3), (2, "all", 1)],
}


def test_assemble_puts_every_split_on_its_action():
    tallies = assemble([1, 2, 3], ROWS)
    one, two, three = tallies[1], tallies[2], tallies[3]
    assert (one.total, one.hidden, one.pending, one.top_level, one.participants) == (5, 2, 1, 3, 3)
    assert one.by_stance == {"support": 3, "reply": 2}  # a stance-less comment is a reply
    assert one.by_group == {10: 4, None: 1} and one.by_tag == {7: 2}
    assert one.by_disposition == {"accepted": 1, "noted": 2} and one.answered == 3
    assert one.share_answered == 1.0
    assert (two.total, two.hidden, two.by_stance, two.by_group) == (1, 0, {"question": 1}, {11: 1})
    assert two.answered == 0 and two.share_answered == 0.0  # deleted comments are counted nowhere
    assert three == ActionTally(3)  # an action without comments is there, all zero


def test_assemble_keeps_an_action_the_caller_did_not_name_and_accepts_missing_splits():
    tallies = assemble([], {"status": [(9, "visible", 2)]})
    assert tallies[9].total == 2 and tallies[9].by_stance == {}
    assert assemble([4], {}) == {4: ActionTally(4)}


def test_share_answered_without_top_level_comments_is_zero():
    assert ActionTally(1, answered=0, top_level=0).share_answered == 0.0
    assert ActionTally(1, answered=1, top_level=4).share_answered == 0.25


def test_totals_add_up_every_count_but_participants():
    whole = totals(assemble([1, 2], ROWS))
    assert (whole.total, whole.hidden, whole.pending, whole.top_level, whole.answered) == (6, 2, 1, 4, 3)
    assert whole.by_stance == {"support": 3, "reply": 2, "question": 1}
    assert whole.by_group == {10: 4, None: 1, 11: 1}
    assert whole.participants == 0  # one person on two actions is not two people
    assert totals({}) == ActionTally(0)


ORDER = ("support", "concern", "reply")


def test_stacked_bars_share_one_scale_and_skip_empty_segments():
    chart = stacked_bars([("A1", {"support": 2, "concern": 2}), ("A2", {"concern": 1, "other": 9}), ("A3", {})],
                         ORDER)
    usable = CHART_WIDTH - LABEL_WIDTH - 50
    a1, a2, a3 = chart["bars"]
    assert [s.key for s in a1.segments] == ["support", "concern"] and a1.total == 4
    assert a1.segments[0].x == LABEL_WIDTH and a1.segments[0].width == pytest.approx(usable / 2, abs=0.1)
    assert a1.segments[1].x == pytest.approx(LABEL_WIDTH + usable / 2, abs=0.1)
    assert sum(s.width for s in a1.segments) == pytest.approx(usable, abs=0.2)  # the largest fills the width
    assert a2.total == 1 and a2.segments[0].width == pytest.approx(usable / 4, abs=0.1)  # keys outside the order
    assert a3.segments == [] and a3.total == 0
    assert [b.y for b in chart["bars"]] == [8, 8 + BAR_HEIGHT + BAR_GAP, 8 + 2 * (BAR_HEIGHT + BAR_GAP)]
    assert chart["height"] == 3 * (BAR_HEIGHT + BAR_GAP) + 16


def test_stacked_bars_without_any_count_do_not_divide_by_zero():
    chart = stacked_bars([("A1", {})], ORDER)
    assert chart["bars"][0].segments == [] and stacked_bars([], ORDER)["bars"] == []


def test_heat_levels_are_proportional_and_only_empty_cells_are_blank():
    levels = heat_levels({("a", 1): 0, ("a", 2): 1, ("a", 3): 50, ("a", 4): 100})
    assert levels == {("a", 1): 0, ("a", 2): 1, ("a", 3): 3, ("a", 4): 4}
    assert heat_levels({("a", 1): 0, ("a", None): 0}) == {("a", 1): 0, ("a", None): 0}
    assert heat_levels({}) == {}
    assert heat_levels({("a", 1): 2, ("a", 2): 1}, levels=3) == {("a", 1): 2, ("a", 2): 1}


def test_heat_map_places_one_cell_per_row_and_column_with_its_count():
    grid = heat_map([(1, "A1"), (2, "A2")], [(10, "Youth"), (None, "No group")],
                    {(1, 10): 4, (1, None): 0, (2, 10): 1})
    assert [(c.row, c.column, c.count, c.level) for c in grid["cells"]] == [
        ("A1", "Youth", 4, 4), ("A1", "No group", 0, 0), ("A2", "Youth", 1, 2), ("A2", "No group", 0, 0)]
    a2_no_group = grid["cells"][3]
    assert (a2_no_group.x, a2_no_group.y) == (HEAT_LABEL_WIDTH + HEAT_CELL_WIDTH,
                                              HEAT_HEADER_HEIGHT + HEAT_CELL_HEIGHT)
    assert grid["rows"] == [("A1", HEAT_HEADER_HEIGHT), ("A2", HEAT_HEADER_HEIGHT + HEAT_CELL_HEIGHT)]
    assert grid["width"] == HEAT_LABEL_WIDTH + 2 * HEAT_CELL_WIDTH + HEAT_OVERHANG
    assert grid["height"] == HEAT_HEADER_HEIGHT + 2 * HEAT_CELL_HEIGHT + 4
    assert heat_map([], [(None, "No group")], {})["cells"] == []


def test_chart_labels_wrap_at_spaces_and_cut_only_what_does_not_fit():
    assert label_lines("Business: cultural and creative", 22) == ["Business: cultural and", "creative"]
    assert label_lines("Citizen", 22) == ["Citizen"]
    assert label_lines("A1 Creative business incubation linked to the ECoC programme", 30) == [
        "A1 Creative business", "incubation linked to the ECoC…"]
    assert label_lines("Supercalifragilisticexpialidocious", 10) == ["Supercali…"]
    assert all(len(line) <= 22 for line in label_lines("word " * 20, 22))
    assert label_lines("", 22) == []


def test_heat_map_columns_carry_their_wrapped_heading():
    grid = heat_map([(1, "A1")], [(10, "Business: cultural and creative")], {})
    assert grid["columns"] == [("Business: cultural and creative", HEAT_LABEL_WIDTH,
                                ["Business: cultural and", "creative"])]
