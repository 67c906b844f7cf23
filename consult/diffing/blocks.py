"""Markdown blocks (paragraphs, list items, headings) aligned between two texts, then diffed by words.

A block that kept its place or moved is matched first (exactly, then by similarity), so a paragraph
moved inside a field shows as moved in both places, and only the words inside a matched pair are
diffed. A block that changed almost entirely is shown replaced whole rather than as a word salad.
"""
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from consult.diffing.text import DELETE, EQUAL, INSERT, changed_share, diff_text, normalise, tokens, words_changed

#: Above this share of changed text a pair is shown as one block replaced by another.
REPLACE_ABOVE = 0.6
#: Below this similarity two blocks are not considered the same block at all.
PAIR_AT_LEAST = 0.35
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")


@dataclass
class Block:
    kind: str  # "paragraph" | "item" | "heading"
    text: str


@dataclass
class BlockChange:
    """One block in the comparison. `change` is equal, changed, replaced, inserted, deleted,
    moved_here (with `moved_from`) or moved_away (with `moved_to`)."""

    change: str
    kind: str
    old: str = ""
    new: str = ""
    ops: list = field(default_factory=list)
    moved_from: int | None = None
    moved_to: int | None = None
    words_added: int = 0
    words_removed: int = 0


def split_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    current: list[str] = []
    kind = "paragraph"

    def flush():
        nonlocal current
        if current:
            blocks.append(Block(kind, "\n".join(current).strip("\n")))
        current = []

    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if not line.strip():
            flush()
            kind = "paragraph"
        elif _HEADING.match(line):
            flush()
            blocks.append(Block("heading", line.strip()))
            kind = "paragraph"
        elif _LIST_ITEM.match(line):
            flush()
            current = [line]
            kind = "item"
        else:
            current.append(line)
    flush()
    return [b for b in blocks if b.text.strip()]


def _words(text: str) -> list[str]:
    return [t for t in tokens(normalise(text)) if not t.isspace()]


def similarity(old: str, new: str) -> float:
    """Share of words in common (0–1), order-aware."""
    return _ratio(_words(old), _words(new))


def _ratio(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < PAIR_AT_LEAST or matcher.quick_ratio() < PAIR_AT_LEAST:
        return 0.0  # cheap upper bounds already rule the pair out
    return matcher.ratio()


def _pair_change(kind: str, old: str, new: str) -> BlockChange:
    if normalise(old) == normalise(new):
        ops = diff_text(old, new)
        change = EQUAL if old == new else "changed"
    else:
        ops = diff_text(old, new)
        change = "replaced" if changed_share(ops) > REPLACE_ABOVE else "changed"
        if change == "replaced":
            ops = [(DELETE, old), (INSERT, new)]
    added, removed = words_changed(ops)
    return BlockChange(change, kind, old, new, ops, words_added=added, words_removed=removed)


def diff_blocks(old_text: str, new_text: str) -> list[BlockChange]:
    """The blocks of the new text in order, with deleted and moved-away old blocks where they were."""
    if old_text == new_text:
        return [BlockChange(EQUAL, b.kind, b.text, b.text, [(EQUAL, b.text)]) for b in split_blocks(new_text)]
    old, new = split_blocks(old_text), split_blocks(new_text)
    old_keys = [normalise(b.text) for b in old]
    new_keys = [normalise(b.text) for b in new]
    old_to_new: dict[int, int] = {}
    # 1. blocks that stayed, in order
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    in_order: set[int] = set()
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            old_to_new[block.a + k] = block.b + k
            in_order.add(block.a + k)
    # 2. identical blocks elsewhere: moved
    free_new = {j for j in range(len(new)) if j not in old_to_new.values()}
    for i, key in enumerate(old_keys):
        if i in old_to_new:
            continue
        j = next((j for j in sorted(free_new) if new_keys[j] == key), None)
        if j is not None:
            old_to_new[i] = j
            free_new.discard(j)
    # 3. similar blocks: changed (in place) or moved and changed
    candidates = []
    old_words = {i: _words(old[i].text) for i in range(len(old)) if i not in old_to_new}
    new_words = {j: _words(new[j].text) for j in free_new}
    for i in old_words:
        for j in free_new:
            score = _ratio(old_words[i], new_words[j])
            if score >= PAIR_AT_LEAST:
                candidates.append((score, i, j))
    for _score, i, j in sorted(candidates, reverse=True):
        if i not in old_to_new and j in free_new:
            old_to_new[i] = j
            free_new.discard(j)
    new_to_old = {j: i for i, j in old_to_new.items()}
    # A pair is "in place" when the matched blocks before it keep their order.
    moved = out_of_order(old_to_new)
    result: list[BlockChange] = []
    old_cursor = 0

    def emit_old_until(limit: int):
        nonlocal old_cursor
        while old_cursor < limit:
            i = old_cursor
            if i not in old_to_new:
                result.append(BlockChange("deleted", old[i].kind, old=old[i].text, ops=[(DELETE, old[i].text)],
                                          words_removed=words_changed([(DELETE, old[i].text)])[1]))
            elif i in moved:
                result.append(BlockChange("moved_away", old[i].kind, old=old[i].text, moved_to=old_to_new[i]))
            old_cursor += 1

    anchors = [new_to_old.get(j) if new_to_old.get(j) not in moved else None for j in range(len(new))]

    def next_anchor(j: int) -> int:
        return next((a for a in anchors[j + 1:] if a is not None), len(old))

    for j, block in enumerate(new):
        i = new_to_old.get(j)
        if i is None:
            emit_old_until(next_anchor(j))  # what was deleted here reads before what replaced it
            result.append(BlockChange("inserted", block.kind, new=block.text, ops=[(INSERT, block.text)],
                                      words_added=words_changed([(INSERT, block.text)])[0]))
            continue
        if i not in moved:
            emit_old_until(i)
            old_cursor = max(old_cursor, i + 1)
        change = _pair_change(block.kind, old[i].text, block.text)
        if i in moved:
            change.moved_from = i
            change.change = "moved_here" if change.change == EQUAL else change.change
        result.append(change)
    emit_old_until(len(old))
    return result


def out_of_order(old_to_new: dict[int, int]) -> set[int]:
    """Old indexes whose pair breaks the order: the fewest pairs outside a longest increasing run."""
    pairs = sorted(old_to_new.items())
    if not pairs:
        return set()
    targets = [j for _i, j in pairs]
    # longest increasing subsequence of the new positions, in old order
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(targets)
    for index, value in enumerate(targets):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if tails[mid] < value:
                lo = mid + 1
            else:
                hi = mid
        if lo == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[lo] = value
            tail_index[lo] = index
        previous[index] = tail_index[lo - 1] if lo else -1
    keep = set()
    k = tail_index[-1] if tail_index else -1
    while k != -1:
        keep.add(k)
        k = previous[k]
    return {pairs[n][0] for n in range(len(pairs)) if n not in keep}


def summary(changes: list[BlockChange]) -> tuple[int, int]:
    return (sum(c.words_added for c in changes), sum(c.words_removed for c in changes))


__all__ = ["Block", "BlockChange", "diff_blocks", "split_blocks", "similarity", "summary", "out_of_order", "EQUAL",
           "INSERT", "DELETE"]
