"""How a block diff reads on the page: block markers shown as structure, inline Markdown as emphasis.

Pure: `BlockChange` values in, `Shown` values and escaped `Markup` out; no Flask. Every piece of user
text passes through `markupsafe.escape`; the only markup added is our own tags (del, ins, strong,
em, s, code, span), so hostile Markdown stays inert. Links are shown as text, never as <a>.
"""
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from consult.diffing.text import DELETE, EQUAL, INSERT

#: The block markers blocks.py splits on, with the parts we show.
_ITEM = re.compile(r"^\s{0,3}(?:(?P<bullet>[-*+])|(?P<number>\d{1,9})[.)])\s+")
_HEADING = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})\s+")


@dataclass(frozen=True)
class Marker:
    """A block's leading Markdown marker, as structure: a bullet, a number or a heading level."""

    kind: str  # "item" | "heading"
    length: int  # characters of source it covers, trailing spaces included
    ordered: bool = False
    number: int | None = None
    level: int | None = None

    def same_shape(self, other: "Marker | None") -> bool:
        """Same kind of marker: a renumbered item or a bullet typed differently is not a change."""
        if other is None or other.kind != self.kind:
            return False
        return self.ordered == other.ordered if self.kind == "item" else self.level == other.level


def marker(text: str) -> Marker | None:
    found = _ITEM.match(text or "")
    if found:
        number = found.group("number")
        return Marker("item", found.end(), ordered=number is not None, number=int(number) if number else None)
    found = _HEADING.match(text or "")
    if found:
        return Marker("heading", found.end(), level=len(found.group("hashes")))
    return None


def drop_prefix(ops: list[tuple[str, str]], old_n: int, new_n: int) -> list[tuple[str, str]]:
    """The ops without the first `old_n` characters of the old text and `new_n` of the new one.

    Joining the result's equal and delete texts gives old[old_n:], equal and insert gives new[new_n:].
    """
    result: list[tuple[str, str]] = []
    for op, text in ops:
        if op == EQUAL:
            both = min(old_n, new_n, len(text))
            text, old_n, new_n = text[both:], old_n - both, new_n - both
            if text and old_n:  # still inside the old marker only: what is left is new-side text
                cut = min(old_n, len(text))
                result.append((INSERT, text[:cut]))
                text, old_n = text[cut:], old_n - cut
            elif text and new_n:
                cut = min(new_n, len(text))
                result.append((DELETE, text[:cut]))
                text, new_n = text[cut:], new_n - cut
        elif op == DELETE:
            cut = min(old_n, len(text))
            text, old_n = text[cut:], old_n - cut
        else:
            cut = min(new_n, len(text))
            text, new_n = text[cut:], new_n - cut
        if text:
            if result and result[-1][0] == op:
                result[-1] = (op, result[-1][1] + text)
            else:
                result.append((op, text))
    return result


@dataclass
class Shown:
    """One block as displayed. `ops` are the block's words without its leading marker when the marker
    kept its shape; `change` is "equal" when only that marker changed (a renumbered item)."""

    change: str
    kind: str  # paragraph | item | heading
    ops: list = field(default_factory=list)
    old_marker: Marker | None = None
    new_marker: Marker | None = None
    #: For moved blocks: the other half's index in the displayed list, its direction from here
    #: ("above" | "below") and its 1-based position among the blocks of the other version.
    counterpart: int | None = None
    direction: str | None = None
    position: int | None = None
    moved_and_changed: bool = False
    #: The marker changed shape, so its old and new text stay in `ops` and show as the change.
    marker_in_text: bool = False

    @property
    def marker(self) -> Marker | None:
        """The marker shown in the inline view: the new one, the old one for a block that left."""
        return self.old_marker if self.change in ("deleted", "moved_away") else self.new_marker

    def markup(self, side: str, deleted: str, inserted: str) -> Markup:
        """The block's words as HTML: side is "inline", "old" or "new"; deleted/inserted are the
        screen-reader labels."""
        return render(self.ops, side, deleted, inserted)


def present(blocks: list) -> list[Shown]:
    """The blocks of one field ready to display (see `Shown`)."""
    shown = [_shown(b) for b in blocks]
    in_new = [index for index, b in enumerate(blocks) if b.change not in ("deleted", "moved_away")]
    away_for = {b.moved_to: index for index, b in enumerate(blocks) if b.change == "moved_away"}
    for index, b in enumerate(blocks):
        if b.change == "moved_away" and b.moved_to is not None and b.moved_to < len(in_new):
            _link(shown[index], index, in_new[b.moved_to], b.moved_to + 1)
        elif b.moved_from is not None:
            here = in_new.index(index)
            if here in away_for:
                _link(shown[index], index, away_for[here], b.moved_from + 1)
            shown[index].moved_and_changed = b.change != "moved_here"
    return shown


def _link(shown: Shown, index: int, other: int, position: int) -> None:
    shown.counterpart, shown.position = other, position
    shown.direction = "above" if other < index else "below"


def _shown(b) -> Shown:
    if b.change == "moved_away":
        old_marker = marker(b.old)
        return Shown("moved_away", b.kind, [(EQUAL, b.old[old_marker.length:] if old_marker else b.old)], old_marker)
    ops = list(b.ops) or [(EQUAL, b.new or b.old)]
    old_marker = marker(b.old) if b.change != "inserted" else None
    new_marker = marker(b.new) if b.change != "deleted" else None
    if b.change == "deleted":
        ops = drop_prefix(ops, old_marker.length if old_marker else 0, 0)
    elif b.change == "inserted":
        ops = drop_prefix(ops, 0, new_marker.length if new_marker else 0)
    elif new_marker and new_marker.same_shape(old_marker):
        ops = drop_prefix(ops, old_marker.length, new_marker.length)
    else:  # the marker itself is the change (a paragraph became an item, a heading changed level)
        return Shown(b.change, b.kind, ops, old_marker, new_marker, marker_in_text=True)
    change = b.change
    if change in ("changed", "replaced") and all(op == EQUAL for op, _t in ops):
        change = "equal"  # only the marker changed, and it kept its shape: a renumbered item
    return Shown(change, b.kind, ops, old_marker, new_marker)


# -- inline Markdown ------------------------------------------------------------------------------

_DELIMITERS = {"**": "strong", "__": "strong", "*": "em", "_": "em", "~~": "s", "`": "code"}
#: Escapes, links, delimiters; everything else is text.
_INLINE = re.compile(r"\\[\\`*_{}\[\]()#+\-.!~]|\[(?=[^\[\]\n]*\]\([^()\s]*\))|\]\([^()\s]*\)|\*\*|__|~~|[*_`]")


@dataclass
class _Unit:
    segment: int
    op: str
    text: str
    role: str = "text"  # text | mark | open | close | url
    tag: str = ""


def _units(ops: list[tuple[str, str]]) -> list[_Unit]:
    units: list[_Unit] = []
    for segment, (op, text) in enumerate(ops):
        at = 0
        for found in _INLINE.finditer(text):
            if found.start() > at:
                units.append(_Unit(segment, op, text[at:found.start()]))
            piece = found.group()
            if piece.startswith("\\"):
                units.append(_Unit(segment, op, "\\", "mark"))
                units.append(_Unit(segment, op, piece[1:]))
            elif piece.startswith("]("):
                units.append(_Unit(segment, op, "](", "mark"))
                if piece[2:-1]:
                    units.append(_Unit(segment, op, piece[2:-1], "url"))
                units.append(_Unit(segment, op, ")", "mark"))
            elif piece == "[":
                units.append(_Unit(segment, op, "[", "mark"))
            else:
                units.append(_Unit(segment, op, piece, "delimiter", _DELIMITERS[piece]))
            at = found.end()
        if at < len(text):
            units.append(_Unit(segment, op, text[at:]))
    return units


def _neighbours(units: list[_Unit]) -> list[tuple[str, str]]:
    """For each unit, the character just before it and just after it (a space at the ends)."""
    before, last = [], " "
    for unit in units:
        before.append(last)
        last = unit.text[-1] if unit.text else last
    after, following = [], " "
    for unit in reversed(units):
        after.append(following)
        following = unit.text[0] if unit.text else following
    return list(zip(before, reversed(after), strict=True))


def _pair_emphasis(units: list[_Unit]) -> None:
    """Match delimiters into open/close pairs. A pair lies within one op segment, or both its ends
    are unchanged text, so the tags nest with <del>/<ins>. Code spans are paired first and
    everything inside them is literal. A delimiter left over is dimmed when another like it is left
    too (a pair the diff split); alone it is a literal character."""
    left: list[_Unit] = []
    opener = None
    for index, unit in enumerate(units):
        if unit.role == "delimiter" and unit.tag == "code":
            if opener is not None and _may_pair(units[opener], unit):
                units[opener].role, unit.role = "open", "close"
                for inside in units[opener + 1:index]:
                    inside.role = "text"
                opener = None
            else:
                if opener is not None:
                    left.append(units[opener])
                opener = index
    if opener is not None:
        left.append(units[opener])
    stack: list[int] = []
    for index, ((before, after), unit) in enumerate(zip(_neighbours(units), units, strict=True)):
        if unit.role != "delimiter" or unit.tag == "code":
            continue
        match = next((k for k in reversed(stack) if units[k].text == unit.text), None)
        can_close = not before.isspace() and not (unit.text[0] == "_" and after.isalnum())
        can_open = not after.isspace() and not (unit.text[0] == "_" and before.isalnum())
        if match is not None and can_close and _may_pair(units[match], unit):
            while stack[-1] != match:
                left.append(units[stack.pop()])
            stack.pop()
            units[match].role, unit.role = "open", "close"
        elif can_open or can_close:
            stack.append(index)
        else:
            unit.role = "text"  # "2 * 3", snake_case: not Markdown at all
    left.extend(units[k] for k in stack)
    for unit in left:
        unit.role = "mark" if sum(1 for other in left if other.text == unit.text) > 1 else "text"


def _may_pair(opener: _Unit, closer: _Unit) -> bool:
    return opener.segment == closer.segment or (opener.op == EQUAL and closer.op == EQUAL)


def _side_ops(ops: list[tuple[str, str]], side: str) -> list[tuple[str, str]]:
    if side == "old":
        return [(op, t) for op, t in ops if op != INSERT]
    if side == "new":
        return [(op, t) for op, t in ops if op != DELETE]
    # inline: a deleted run of spaces reads as nothing, so it is dropped here
    return [(op, t) for op, t in ops if not (op == DELETE and not t.strip())]


def render(ops: list[tuple[str, str]], side: str = "inline", deleted: str = "deleted:",
           inserted: str = "inserted:") -> Markup:
    """Word ops as escaped HTML: changed words in <del>/<ins> (with a screen-reader label), balanced
    emphasis as <strong>/<em>/<s>/<code>, other Markdown marks dimmed and hidden from screen readers.
    Changes of spaces only are not highlighted."""
    ops = _side_ops(ops, side)
    units = _units(ops)
    _pair_emphasis(units)
    by_segment: list[list[_Unit]] = [[] for _op in ops]
    for unit in units:
        by_segment[unit.segment].append(unit)
    out: list[str] = []
    for (op, text), parts in zip(ops, by_segment, strict=True):
        highlight = op != EQUAL and bool(text.strip())
        words = any(u.role in ("text", "url") and u.text.strip() for u in parts)
        inner = "".join(_unit_html(u, hide_marks=words or not highlight) for u in parts)
        if highlight:
            tag, label = ("del", deleted) if op == DELETE else ("ins", inserted)
            out.append(f'<{tag}><span class="visually-hidden">{escape(label)} </span>{inner}</{tag}>')
        else:
            out.append(inner)
    return Markup("".join(out))


def _unit_html(unit: _Unit, hide_marks: bool) -> str:
    if unit.role == "open":
        return f"<{unit.tag}>"
    if unit.role == "close":
        return f"</{unit.tag}>"
    if unit.role == "mark":
        hidden = ' aria-hidden="true"' if hide_marks else ""
        return f'<span class="md-mark"{hidden}>{escape(unit.text)}</span>'
    if unit.role == "url":
        return f'<span class="md-url">{escape(unit.text)}</span>'
    return str(escape(unit.text))


def groups(shown: list[Shown]) -> list[tuple[str | None, list[tuple[int, Shown]]]]:
    """Consecutive list items gathered into one list ("ul" or "ol"); other blocks stand alone (None).
    Each block comes with its index in `shown`, for anchors."""
    result: list[tuple[str | None, list[tuple[int, Shown]]]] = []
    for index, block in enumerate(shown):
        mark = block.marker
        list_type = ("ol" if mark.ordered else "ul") if mark and mark.kind == "item" else None
        if list_type is None and block.kind == "item":
            list_type = "ul"
        if list_type and result and result[-1][0] == list_type:
            result[-1][1].append((index, block))
        else:
            result.append((list_type, [(index, block)]))
    return result


__all__ = ["Marker", "Shown", "marker", "drop_prefix", "present", "render", "groups"]
