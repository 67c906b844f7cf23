"""Comments on a passage: the anchor is the text (field, quote, a few words around it), and it is
carried to newer versions through the diff, found again by fuzzy matching, or reported lost.
Pure: plain text in, plain values out."""
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from consult.diffing.text import EQUAL, INSERT, diff_text

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
    """Where the quote stands in `text` (the occurrence whose surroundings match best), or -1."""
    if not anchor.quote:
        return -1
    best, best_score = -1, -1
    start = text.find(anchor.quote)
    while start != -1:
        before = text[max(0, start - len(anchor.prefix)):start]
        after = text[start + len(anchor.quote):start + len(anchor.quote) + len(anchor.suffix)]
        score = _common_suffix(before, anchor.prefix) + _common_prefix(after, anchor.suffix)
        if score > best_score:
            best, best_score = start, score
        start = text.find(anchor.quote, start + 1)
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
    or lost (removed or rewritten)."""
    at = find(new_text, anchor)
    if at != -1 and (old_text == new_text or find(old_text, anchor) != -1):
        return Located(EXACT, at, at + len(anchor.quote), anchor.quote)
    old_at = find(old_text, anchor)
    if old_at != -1:
        carried = _carry(old_text, new_text, old_at, old_at + len(anchor.quote))
        if carried is not None:
            return carried
    return _fuzzy(new_text, anchor, old_at if old_at != -1 else 0)


def _carry(old_text: str, new_text: str, start: int, end: int) -> Located | None:
    """Map the quote's span through the word diff; how much of it survived decides its status."""
    old_pos = new_pos = 0
    new_start = new_end = None
    kept = 0
    for op, text in diff_text(old_text, new_text):
        length = len(text)
        if op == INSERT:
            if new_start is not None and new_end is None:
                pass  # inserted inside the passage: part of its new text
            new_pos += length
            continue
        span_start, span_end = old_pos, old_pos + length
        if new_start is None and span_end > start:
            new_start = new_pos + (max(start - span_start, 0) if op == EQUAL else 0)
        if op == EQUAL:
            kept += max(0, min(end, span_end) - max(start, span_start))
        if new_end is None and span_end >= end:
            new_end = new_pos + (end - span_start if op == EQUAL else 0)
        old_pos = span_end
        if op == EQUAL:
            new_pos += length
        if new_end is not None:
            break
    if new_start is None:
        return None
    if new_end is None:
        new_end = len(new_text)
    share = kept / max(1, end - start)
    if share >= 1 and new_text[new_start:new_end] == old_text[start:end]:
        return Located(EXACT, new_start, new_end, new_text[new_start:new_end])
    if share >= SURVIVES_AT_LEAST and new_end > new_start:
        return Located(EDITED, new_start, new_end, new_text[new_start:new_end])
    return None


def _fuzzy(new_text: str, anchor: Anchor, near: int) -> Located:
    """diff-match-patch's match, seeded with the surrounding words, then a similarity check."""
    engine = diff_match_patch()
    engine.Match_Threshold = 0.4
    engine.Match_Distance = 5000
    probe = (anchor.prefix[-12:] + anchor.quote)[: engine.Match_MaxBits]
    found = engine.match_main(new_text, probe, min(near, len(new_text))) if new_text and probe else -1
    if found == -1:
        return Located(LOST)
    start = found + len(anchor.prefix[-12:]) if anchor.prefix else found
    start = min(start, len(new_text))
    end = min(len(new_text), start + len(anchor.quote))
    candidate = new_text[start:end]
    diffs = engine.diff_main(anchor.quote, candidate)
    distance = engine.diff_levenshtein(diffs)
    if candidate and distance <= (1 - SURVIVES_AT_LEAST) * len(anchor.quote):
        return Located(EDITED, start, end, candidate)
    return Located(LOST)
