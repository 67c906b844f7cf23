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


def fold_variants(text: str) -> str:
    """Romanian cedilla letters replaced by their comma-below forms, one character for one, so
    positions in the folded text are positions in the original."""
    return text.translate(_VARIANTS)


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


#: Above this many tokens on a side, whole lines are matched first and words are diffed only
#: inside the lines that changed (a moved paragraph no longer costs a quadratic word search).
LINE_MODE_ABOVE = 150


def diff_text(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff of two texts with semantic clean-up (short equalities absorbed)."""
    old = old or ""
    new = new or ""
    if old == new:
        return [(EQUAL, old)] if old else []
    old_tokens, new_tokens = tokens(old), tokens(new)
    if max(len(old_tokens), len(new_tokens)) > LINE_MODE_ABOVE and ("\n" in old or "\n" in new):
        ops = _line_then_words(old, new)
    else:
        ops = _diff_tokens(old_tokens, new_tokens)
    return _order_deletes_first(_merge(ops))


def _engine() -> diff_match_patch:
    engine = diff_match_patch()
    # No time limit: diff-match-patch's shortcut under a deadline (half-match) can misalign
    # repetitive text. Inputs are words, not characters, so the exact search stays short.
    engine.Diff_Timeout = 0
    return engine


def _diff_tokens(old_tokens: list[str], new_tokens: list[str]) -> list[tuple[str, str]]:
    engine = _engine()
    a, b, vocabulary = _encode(old_tokens, new_tokens)
    diffs = engine.diff_main(a, b, False)
    engine.diff_cleanupSemantic(diffs)
    return [(_OPS[op], _decode(chars, vocabulary)) for op, chars in diffs if chars]


def _line_then_words(old: str, new: str) -> list[tuple[str, str]]:
    """Match whole lines first (cheap), then diff words only where lines changed."""
    engine = _engine()
    a, b, vocabulary = _encode(old.splitlines(keepends=True), new.splitlines(keepends=True))
    diffs = engine.diff_main(a, b, False)
    ops: list[tuple[str, str]] = []
    deleted, inserted = "", ""

    def flush():
        nonlocal deleted, inserted
        if deleted and inserted:
            ops.extend(_diff_tokens(tokens(deleted), tokens(inserted)))
        elif deleted:
            ops.append((DELETE, deleted))
        elif inserted:
            ops.append((INSERT, inserted))
        deleted, inserted = "", ""

    for op, chars in diffs:
        text = _decode(chars, vocabulary)
        if op == -1:
            deleted += text
        elif op == 1:
            inserted += text
        else:
            flush()
            ops.append((EQUAL, text))
    flush()
    return ops


def _merge(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for name, text in ops:
        if not text:
            continue
        if merged and merged[-1][0] == name:
            merged[-1] = (name, merged[-1][1] + text)
        else:
            merged.append((name, text))
    return merged


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
