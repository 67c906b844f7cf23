"""Two versions of a plan compared: every action by its stable key, and the general part.

Pure: plain values in (`VersionText`), plain values out (`Comparison`). The caller supplies a
`diff` function so it can serve stored results instead of recomputing them.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from consult.diffing.blocks import BlockChange, diff_blocks, out_of_order
from consult.diffing.text import diff_text, normalise, words_changed

#: Bump when the diff's output changes, so stored diffs are recomputed instead of served stale.
ALGORITHM_VERSION = 3  # 2: letter variants folded in word counts; one moved action moves alone;
#                        3: a number with separators (25,000) counts as one word


@dataclass
class ActionText:
    key: str
    position: int
    title: str
    fields: dict[str, str]


@dataclass
class VersionText:
    number: int
    general: dict[str, str]
    actions: list[ActionText]


@dataclass
class FieldDiff:
    name: str
    old: str
    new: str
    ops: list
    blocks: list[BlockChange]
    words_added: int = 0
    words_removed: int = 0
    #: The text differs beyond letter variants and spacing (computed once).
    changed: bool = False


@dataclass
class ActionChange:
    key: str
    change: str  # added | removed | changed | moved | unchanged
    from_position: int | None
    to_position: int | None
    old_title: str
    new_title: str
    fields: list[FieldDiff] = field(default_factory=list)
    #: It changed place among the actions both versions share (a "changed" action can also have moved).
    moved: bool = False

    @property
    def words_added(self) -> int:
        return sum(f.words_added for f in self.fields)

    @property
    def words_removed(self) -> int:
        return sum(f.words_removed for f in self.fields)


@dataclass
class Comparison:
    old_number: int
    new_number: int
    general: list[FieldDiff]
    actions: list[ActionChange]

    def count(self, change: str) -> int:
        return sum(1 for a in self.actions if a.change == change)


Differ = Callable[[str, str], tuple[list, list[BlockChange]]]


def compute(old: str, new: str) -> tuple[list, list[BlockChange]]:
    """Flat word ops and the block view of one field."""
    return diff_text(old, new), diff_blocks(old, new)


def field_diff(name: str, old: str, new: str, diff: Differ = compute) -> FieldDiff:
    old, new = old or "", new or ""
    ops, blocks = diff(old, new)
    added, removed = words_changed(ops)
    changed = old != new and normalise(old) != normalise(new)
    return FieldDiff(name, old, new, ops, blocks, added, removed, changed)


def compare(old: VersionText, new: VersionText, field_names: tuple[str, ...], general_names: tuple[str, ...],
            diff: Differ = compute) -> Comparison:
    old_actions = {a.key: a for a in old.actions}
    new_actions = {a.key: a for a in new.actions}
    changes: list[ActionChange] = []
    # Moved: outside the longest run of shared actions that kept their relative order, so moving
    # one action marks that one, not every action whose index shifted because of it.
    shared_old = [a.key for a in sorted(old.actions, key=lambda a: a.position) if a.key in new_actions]
    shared_new = {key: index for index, key in enumerate(
        a.key for a in sorted(new.actions, key=lambda a: a.position) if a.key in old_actions)}
    moved = {shared_old[i] for i in out_of_order({i: shared_new[key] for i, key in enumerate(shared_old)})}
    for action in sorted(new.actions, key=lambda a: a.position):
        before = old_actions.get(action.key)
        if before is None:
            fields = [field_diff("title", "", action.title, diff)] + \
                     [field_diff(n, "", action.fields.get(n, ""), diff) for n in field_names]
            changes.append(ActionChange(action.key, "added", None, action.position, "", action.title, fields))
            continue
        fields = [field_diff("title", before.title, action.title, diff)] + \
                 [field_diff(n, before.fields.get(n, ""), action.fields.get(n, ""), diff) for n in field_names]
        if any(f.changed for f in fields):
            kind = "changed"
        elif action.key in moved:
            kind = "moved"
        else:
            kind = "unchanged"
        changes.append(ActionChange(action.key, kind, before.position, action.position, before.title, action.title,
                                    fields, moved=action.key in moved))
    for action in sorted(old.actions, key=lambda a: a.position):
        if action.key not in new_actions:
            fields = [field_diff("title", action.title, "", diff)] + \
                     [field_diff(n, action.fields.get(n, ""), "", diff) for n in field_names]
            changes.append(ActionChange(action.key, "removed", action.position, None, action.title, "", fields))
    general = [field_diff(n, old.general.get(n, ""), new.general.get(n, ""), diff) for n in general_names]
    return Comparison(old.number, new.number, general, changes)
