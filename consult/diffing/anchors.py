"""Comments on a passage: the anchor is the text (field, quote, a few words around it), and it is
carried to newer versions through the diff, found again by fuzzy matching, or reported lost.
Pure: plain text in, plain values out."""
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from consult.diffing.text import EQUAL, INSERT, diff_text, fold_variants

CONTEXT = 40
#: Share of the quote that must survive for the passage to count as "edited" rather than lost.
SURVIVES_AT_LEAST = 0.5

EXACT, EDITED, LOST = "exact", "edited", "lost"


@dataclass(frozen=True)
class Anchor:
    quote: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Located:
    status: str  # exact | edited | lost
    start: int = -1
    end: int = -1
    text: str = ""


def make_anchor(text: str, start: int, end: int) -> Anchor:
    return Anchor(text[start:end], text[max(0, start - CONTEXT):start], text[end:end + CONTEXT])


def find(text: str, anchor: Anchor) -> int:
    """Where the quote stands in `text` (the occurrence whose surroundings match best), or -1.
    Cedilla and comma-below letters match each other."""
    if not anchor.quote:
        return -1
    text, quote = fold_variants(text), fold_variants(anchor.quote)
    prefix, suffix = fold_variants(anchor.prefix), fold_variants(anchor.suffix)
    best, best_score = -1, -1
    start = text.find(quote)
    while start != -1:
        before = text[max(0, start - len(prefix)):start]
        after = text[start + len(quote):start + len(quote) + len(suffix)]
        score = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        if score > best_score:
            best, best_score = start, score
        start = text.find(quote, start + 1)
    return best


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def reanchor(old_text: str, new_text: str, anchor: Anchor) -> Located:
    """The passage in the newer text: exact (carried unchanged), edited (survives with changes)
    or lost (removed or rewritten). Cedilla and comma-below letters count as the same letter;
    the returned span and text are those of `new_text` as written."""
    # Folding is one character for one, so spans found in the folded texts hold in the originals.
    old_folded, new_folded = fold_variants(old_text), fold_variants(new_text)
    quote = fold_variants(anchor.quote)
    at = find(new_folded, anchor)
    old_at = find(old_folded, anchor)
    if at != -1 and (old_folded == new_folded or old_at != -1):
        located = Located(EXACT, at, at + len(quote))
    else:
        located = None
        if old_at != -1:
            located = _carry(old_folded, new_folded, old_at, old_at + len(quote))
        if located is None:
            located = _fuzzy(new_folded, anchor, old_at if old_at != -1 else 0)
    if located.status == LOST:
        return located
    return Located(located.status, located.start, located.end, new_text[located.start:located.end])


def _carry(old_text: str, new_text: str, start: int, end: int) -> Located | None:
    """Map the quote's span through the word diff; how much of it survived decides its status.
    Words that replace the quote's first or last words are part of the new passage."""
    ops = diff_text(old_text, new_text)
    old_pos = new_pos = 0
    new_start = new_end = None
    kept = 0
    for index, (op, text) in enumerate(ops):
        length = len(text)
        if op == INSERT:
            new_pos += length
            continue
        span_start, span_end = old_pos, old_pos + length
        if new_start is None and span_end > start:
            # In a deletion, the passage now starts where the replacing words (if any) start.
            new_start = new_pos + (max(start - span_start, 0) if op == EQUAL else 0)
        if op == EQUAL:
            kept += max(0, min(end, span_end) - max(start, span_start))
        if span_end >= end:
            if op == EQUAL:
                new_end = new_pos + end - span_start
            else:
                # The passage ends in deleted words: the words inserted in their place (deletions
                # come before insertions) belong to it, in proportion when it ends mid-deletion.
                following = ops[index + 1][1] if index + 1 < len(ops) and ops[index + 1][0] == INSERT else ""
                share = (end - span_start) / length
                new_end = new_pos + (len(following) if share >= 1 else
                                     _word_end(following, round(share * len(following))))
            break
        old_pos = span_end
        if op == EQUAL:
            new_pos += length
    if new_start is None:
        return None
    if new_end is None:
        new_end = len(new_text)
    new_start, new_end = _trim(new_text, new_start, new_end)
    share = kept / max(1, end - start)
    if share >= 1 and new_text[new_start:new_end] == old_text[start:end]:
        return Located(EXACT, new_start, new_end)
    if share >= SURVIVES_AT_LEAST and new_end > new_start:
        return Located(EDITED, new_start, new_end)
    return None


def _word_end(text: str, at: int) -> int:
    """`at`, moved forward to the end of the word it falls in."""
    while 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum():
        at += 1
    return at


def _word_start(text: str, at: int) -> int:
    """`at`, moved back to the start of the word it falls in."""
    while 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum():
        at -= 1
    return at


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the spaces at its ends."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _end_through(diffs, loc: int) -> int:
    """Where position `loc` of the first text of a character diff lands in the second. Text
    inserted right after `loc` is not included; text inserted in place of deleted text that
    reaches `loc` is."""
    pos1 = pos2 = 0
    for index, (op, text) in enumerate(diffs):
        length = len(text)
        if op == diff_match_patch.DIFF_INSERT:
            pos2 += length
            continue
        if pos1 + length >= loc:
            if op == diff_match_patch.DIFF_EQUAL:
                return pos2 + loc - pos1
            following = diffs[index + 1] if index + 1 < len(diffs) else (0, "")
            return pos2 + (len(following[1]) if following[0] == diff_match_patch.DIFF_INSERT else 0)
        pos1 += length
        if op == diff_match_patch.DIFF_EQUAL:
            pos2 += length
    return pos2


def _fuzzy(new_text: str, anchor: Anchor, near: int) -> Located:
    """diff-match-patch's match, seeded with the surrounding words, then a similarity check (as
    in `_carry`: enough of the quote must survive in the candidate).
    The passage ends where the quote's end maps to in a diff of quote and surroundings against
    the text there, extended to whole words (the new passage may be longer or shorter)."""
    quote, prefix, suffix = (fold_variants(part) for part in (anchor.quote, anchor.prefix, anchor.suffix))
    engine = diff_match_patch()
    engine.Match_Threshold = 0.4
    engine.Match_Distance = 5000
    probe = (prefix[-12:] + quote)[: engine.Match_MaxBits]
    found = engine.match_main(new_text, probe, min(near, len(new_text))) if new_text and probe else -1
    if found == -1:
        return Located(LOST)
    start = found + len(prefix[-12:]) if prefix else found
    start = _word_start(new_text, min(start, len(new_text)))
    window = new_text[start:start + 2 * len(quote) + len(suffix)]
    diffs = engine.diff_main(quote + suffix, window, False)
    engine.diff_cleanupSemantic(diffs)
    end = _word_end(new_text, start + _end_through(diffs, len(quote)))
    start, end = _trim(new_text, start, end)
    candidate = new_text[start:end]
    similar = engine.diff_main(quote, candidate)
    engine.diff_cleanupSemantic(similar)
    kept = sum(len(text) for op, text in similar if op == diff_match_patch.DIFF_EQUAL)
    if candidate and kept >= SURVIVES_AT_LEAST * len(quote) and len(candidate) <= 2 * len(quote):
        return Located(EDITED, start, end, candidate)
    return Located(LOST)
