"""Word-level text diffs: diff-match-patch on words instead of characters, cleaned up semantically.

Pure: plain strings in, ("equal" | "insert" | "delete", text) ops out. Joining the "equal" and
"delete" texts gives the old text back; joining "equal" and "insert" gives the new one.
"""
import re
import unicodedata

from diff_match_patch import diff_match_patch

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
_OPS = {0: EQUAL, 1: INSERT, -1: DELETE}
#: Words (letters, digits, joined by inner apostrophes or hyphens), runs of spaces, single marks.
_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*|\s+|[^\w\s]", re.UNICODE)
#: Romanian letters typed with a cedilla are the same letters as the comma-below ones.
_VARIANTS = str.maketrans({"ş": "ș", "Ş": "Ș", "ţ": "ț", "Ţ": "Ț"})


def tokens(text: str) -> list[str]:
    found = _TOKEN.findall(text)
    assert "".join(found) == text, "tokenizer must cover the text"
    return found


def _encode(old: list[str], new: list[str]) -> tuple[str, str, list[str]]:
    """Each distinct token becomes one character, so the character diff is a token diff."""
    table: dict[str, int] = {}
    vocabulary: list[str] = []

    def code(token: str) -> str:
        index = table.get(token)
        if index is None:
            index = table[token] = len(vocabulary)
            vocabulary.append(token)
        point = index + 0x100
        if point >= 0xD800:  # skip the surrogates
            point += 0x800
        return chr(point)

    return "".join(code(t) for t in old), "".join(code(t) for t in new), vocabulary


def _decode(chars: str, vocabulary: list[str]) -> str:
    out = []
    for char in chars:
        point = ord(char)
        if point >= 0xD800 + 0x800:
            point -= 0x800
        out.append(vocabulary[point - 0x100])
    return "".join(out)


def diff_text(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff of two texts with semantic clean-up (short equalities absorbed)."""
    old = old or ""
    new = new or ""
    if old == new:
        return [(EQUAL, old)] if old else []
    engine = diff_match_patch()
    engine.Diff_Timeout = 0  # a result, not a race: long inputs are split by words already
    a, b, vocabulary = _encode(tokens(old), tokens(new))
    diffs = engine.diff_main(a, b, False)
    engine.diff_cleanupSemantic(diffs)
    ops: list[tuple[str, str]] = []
    for op, chars in diffs:
        text = _decode(chars, vocabulary)
        if not text:
            continue
        name = _OPS[op]
        if ops and ops[-1][0] == name:
            ops[-1] = (name, ops[-1][1] + text)
        else:
            ops.append((name, text))
    return _order_deletes_first(ops)


def _order_deletes_first(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Within each run of changes, deletions come before insertions (reads like track changes)."""
    result: list[tuple[str, str]] = []
    run: dict[str, str] = {}
    for op, text in ops:
        if op == EQUAL:
            for name in (DELETE, INSERT):
                if run.get(name):
                    result.append((name, run[name]))
            run = {}
            result.append((op, text))
        else:
            run[op] = run.get(op, "") + text
    for name in (DELETE, INSERT):
        if run.get(name):
            result.append((name, run[name]))
    return result


def old_text(ops) -> str:
    return "".join(text for op, text in ops if op != INSERT)


def new_text(ops) -> str:
    return "".join(text for op, text in ops if op != DELETE)


def normalise(text: str) -> str:
    """The text as compared for "did it really change": NFC, Romanian letter variants unified,
    spaces collapsed."""
    text = unicodedata.normalize("NFC", text or "").translate(_VARIANTS)
    return " ".join(text.split())


def count_words(text: str) -> int:
    return sum(1 for t in _TOKEN.findall(text) if t[0].isalnum() or t[0] == "_")


def words_changed(ops) -> tuple[int, int]:
    """(words added, words removed), not counting spaces, punctuation or letter-variant swaps."""
    added = removed = 0
    pending_delete = None
    for op, text in ops:
        if op == DELETE:
            pending_delete = text
            removed += count_words(text)
        elif op == INSERT:
            if pending_delete is not None and normalise(pending_delete) == normalise(text):
                removed -= count_words(pending_delete)  # a spelling variant, not a change of words
            else:
                added += count_words(text)
            pending_delete = None
        else:
            pending_delete = None
    return added, removed


def changed_share(ops) -> float:
    """How much of the two texts the changes touch (0 = identical, 1 = nothing in common)."""
    same = sum(len(t) for op, t in ops if op == EQUAL)
    changed = sum(len(t) for op, t in ops if op != EQUAL)
    total = 2 * same + changed
    return changed / total if total else 0.0
