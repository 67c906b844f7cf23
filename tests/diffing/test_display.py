"""How a block diff reads: markers as structure, emphasis as emphasis, hostile text inert."""
import re

import pytest

from consult.diffing.blocks import BlockChange, diff_blocks
from consult.diffing.display import drop_prefix, groups, marker, present, render
from consult.diffing.text import DELETE, EQUAL, INSERT, diff_text, new_text, old_text


def _visible(html: str) -> str:
    """What a sighted reader sees: tags and screen-reader labels removed, entities decoded."""
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", str(html))
    text = re.sub(r"<[^>]+>", "", html)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"').replace("&#39;", "'") \
        .replace("&amp;", "&")


def test_markers_are_parsed_as_structure():
    assert marker("- item").kind == "item" and not marker("- item").ordered and marker("- item").length == 2
    assert marker("12. twelfth").number == 12 and marker("12. twelfth").ordered
    assert marker("3) third").number == 3
    assert marker("### Heading").level == 3 and marker("### Heading").length == 4
    assert marker("plain text") is None and marker("#hashtag") is None and marker("-dash") is None


@pytest.mark.parametrize(("old", "new", "old_n", "new_n"), [
    ("9. same words", "10. same words", 3, 4),
    ("- a b", "- a c", 2, 2),
    ("1.  wide", "1. wide", 4, 3),
    ("- item", "- item", 2, 2),
    ("## Title", "## New title", 3, 3),
])
def test_dropping_the_markers_keeps_both_texts(old, new, old_n, new_n):
    ops = drop_prefix(diff_text(old, new), old_n, new_n)
    assert old_text(ops) == old[old_n:] and new_text(ops) == new[new_n:]


def test_renumbered_items_read_as_unchanged_list_items():
    old = "1. first\n2. second\n3. third"
    new = "1. second\n2. third"
    shown = present(diff_blocks(old, new))
    kept = [s for s in shown if s.change != "deleted"]
    assert [s.change for s in kept] == ["equal", "equal"]
    assert [s.new_marker.number for s in kept] == [1, 2]
    for s in kept:
        html = str(s.markup("inline", "deleted:", "inserted:"))
        assert "<ins" not in html and "<del" not in html and "2." not in html and "1." not in html
    deleted = next(s for s in shown if s.change == "deleted")
    assert deleted.marker.number == 1 and _visible(deleted.markup("inline", "d", "i")) == "first"
    (list_type, members), = groups(shown)
    assert list_type == "ol" and len(members) == 3


def test_bullets_and_numbers_are_separate_lists_and_headings_stand_alone():
    old = "## Goals\n\nIntro.\n\n- a\n- b\n\n1. one\n2. two"
    shown = present(diff_blocks(old, old))
    assert [(kind, len(members)) for kind, members in groups(shown)] == [(None, 1), (None, 1), ("ul", 2), ("ol", 2)]
    assert shown[0].marker.level == 2 and _visible(shown[0].markup("inline", "d", "i")) == "Goals"
    assert _visible(shown[2].markup("inline", "d", "i")) == "a"


def test_a_changed_marker_shows_as_the_change():
    shown, = present([BlockChange("changed", "item", "Plain words", "- Plain words",
                                  diff_text("Plain words", "- Plain words"))])
    assert shown.marker_in_text
    html = str(shown.markup("inline", "deleted:", "inserted:"))
    assert "<ins>" in html and "-" in _visible(html)
    bullet_to_number, = present([BlockChange("changed", "item", "- step", "1. step", diff_text("- step", "1. step"))])
    assert bullet_to_number.change == "changed" and bullet_to_number.marker_in_text


def test_balanced_emphasis_becomes_tags_and_stray_marks_are_dimmed():
    html = str(render([(EQUAL, "Some **bold**, *em*, _also em_, ~~gone~~ and `co*de*`.")]))
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html and "<em>also em</em>" in html
    assert "<s>gone</s>" in html and "<code>co*de*</code>" in html and "**" not in html
    stray = str(render([(EQUAL, "a ** b and snake_case_name and 2 * 3")]))
    assert "<em>" not in stray and "<strong>" not in stray
    assert "snake_case_name" in stray and "md-mark" not in stray  # not Markdown: plain text
    lone = str(render([(EQUAL, "5*3 is fifteen")]))
    assert lone == "5*3 is fifteen"


def test_emphasis_around_a_changed_word_wraps_the_change():
    ops = diff_text("the **big** plan", "the **huge** plan")
    html = str(render(ops, "inline", "deleted:", "inserted:"))
    assert "<strong><del>" in html and "</ins></strong>" in html and "**" not in html
    assert "<strong>" in str(render(ops, "new")) and "<del" not in str(render(ops, "new"))


def test_emphasis_split_across_changes_shows_its_marks_dimmed():
    ops = [(EQUAL, "a "), (DELETE, "**b"), (INSERT, "c"), (EQUAL, " d** e")]
    html = str(render(ops, "inline", "deleted:", "inserted:"))
    assert "<strong>" not in html
    assert html.count('class="md-mark"') == 2
    assert _visible(html) == "a **bc d** e"


def test_a_link_is_shown_as_text_and_address_never_as_a_link():
    html = str(render([(EQUAL, "See [the call](https://example.org/call).")]))
    assert "<a" not in html and "href" not in html
    assert '<span class="md-url">https://example.org/call</span>' in html
    assert _visible(html) == "See [the call](https://example.org/call)."


HOSTILE = [
    '<script>alert(1)</script>',
    '**<img src=x onerror=alert(1)>**',
    '[click](javascript:alert(1)) *"><svg onload=alert(1)>*',
    '`</code><script>x</script>`',
    '\\<b>&amp; "quoted" \'single\'',
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_markdown_comes_out_inert(hostile):
    for old, new in (("Safe words.", "Safe words. " + hostile), ("- " + hostile, "- changed " + hostile)):
        for shown in present(diff_blocks(old, new)):
            for side in ("inline", "old", "new"):
                html = str(shown.markup(side, "<b>deleted:</b>", "inserted:"))
                assert "<script" not in html and "<img" not in html and "<svg" not in html and "<a" not in html
                assert "<b>" not in html
                tags = set(re.findall(r"</?([a-z]+)", html))
                assert tags <= {"del", "ins", "span", "strong", "em", "s", "code"}
    assert _plain(_visible(render([(EQUAL, hostile)]))) == _plain(hostile)  # shown, as text


def _plain(text: str) -> str:
    return re.sub(r"[*_`~]", "", text)


@pytest.mark.parametrize(("old", "new"), [
    ("Some **bold** text.\n\n- a *b*\n- c", "Some **bolder** text.\n\n- a *b* d\n- c\n- `e`"),
    ("## Head\n\n1. one\n2. two\n\nPara [link](https://x.org).", "## Head two\n\n1. two\n\nPara [link](https://y.org)."),
    ("Moved paragraph.\n\nStays.", "Stays.\n\nMoved paragraph."),
])
def test_the_visible_text_is_the_source_without_block_markers(old, new):
    for shown, block in zip(present(diff_blocks(old, new)), diff_blocks(old, new), strict=True):
        strip_old = marker(block.old).length if shown.old_marker and not shown.marker_in_text else 0
        strip_new = marker(block.new).length if shown.new_marker and not shown.marker_in_text else 0
        if block.change != "inserted":
            assert old_text(shown.ops) == block.old[strip_old:]
            assert _plain(_visible(shown.markup("old", "d", "i"))) == _plain(block.old[strip_old:])
        if block.change not in ("deleted", "moved_away"):
            assert new_text(shown.ops) == block.new[strip_new:]
            assert _plain(_visible(shown.markup("new", "d", "i"))) == _plain(block.new[strip_new:])


def test_moved_blocks_say_where_they_went():
    old = "First.\n\nSecond.\n\nThird.\n\nFourth."
    new = "Second.\n\nThird.\n\nFourth.\n\nFirst."
    shown = present(diff_blocks(old, new))
    away = next(i for i, s in enumerate(shown) if s.change == "moved_away")
    here = next(i for i, s in enumerate(shown) if s.change == "moved_here")
    assert shown[away].counterpart == here and shown[away].direction == "below" and shown[away].position == 4
    assert shown[here].counterpart == away and shown[here].direction == "above" and shown[here].position == 1
    assert _visible(shown[away].markup("inline", "d", "i")) == "First."


def test_a_moved_and_changed_block_points_back():
    old = "Alpha beta gamma delta epsilon.\n\nOne.\n\nTwo.\n\nThree."
    new = "One.\n\nTwo.\n\nThree.\n\nAlpha beta gamma delta epsilon zeta."
    shown = present(diff_blocks(old, new))
    moved = next(s for s in shown if s.moved_and_changed)
    assert moved.direction == "above" and moved.position == 1
    assert "<ins>" in str(moved.markup("inline", "deleted:", "inserted:"))


def test_code_around_a_changed_word_stays_code():
    html = str(render(diff_text("use `foo_bar` now", "use `baz*` now"), "inline", "deleted:", "inserted:"))
    assert html.startswith("use <code><del>") and "</ins></code> now" in html and "md-mark" not in html
