"""Word-level text diffs: diff-match-patch on words instead of characters, cleaned up semantically.

Pure: plain strings in, ("equal" | "insert" | "delete", text) ops out. Joining the "equal" and
"delete" texts gives the old text back; joining "equal" and "insert" gives the new one.

Romanian letter variants (ş/ș, ţ/ț, typed with a cedilla or a comma below) are the same letter:
words are matched by their folded form, so a respelt word lines up with itself and the words
around it stay equal. Since every op must still rebuild both texts exactly, a respelt word is
emitted as a deletion of the old spelling and an insertion of the new one (only that word), and
`words_changed` / `changed_share` do not count it as a change.
"""
import re
import unicodedata
from difflib import SequenceMatcher

from diff_match_patch import diff_match_patch

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
_OPS = {0: EQUAL, 1: INSERT, -1: DELETE}
#: Words (letters, digits, joined by inner apostrophes or hyphens), runs of spaces, single marks.
_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*|\s+|[^\w\s]", re.UNICODE)


def fold_variants(text: str) -> str:
    """Romanian letters typed with a cedilla (ş ţ Ş Ţ) replaced by the same letters with a comma
    below (ș ț Ș Ț), one character for one, so positions in the folded text are positions in the
    original."""
    if text.isascii():
        return text
    # Four replaces are several times faster than str.translate with a table.
    return text.replace("ş", "ș").replace("ţ", "ț").replace("Ş", "Ș").replace("Ţ", "Ț")


def tokens(text: str) -> list[str]:
    found = _TOKEN.findall(text)
    assert "".join(found) == text, "tokenizer must cover the text"
    return found


def _key(token: str) -> str:
    """What a token is compared as: NFC, letter variants folded."""
    if token.isascii():  # most tokens; nothing to fold
        return token
    return fold_variants(unicodedata.normalize("NFC", token))


def _encode(old: list[str], new: list[str], key=None) -> tuple[str, str, list[str]]:
    """Each distinct token (by `key`, when given) becomes one character, so the character diff is
    a token diff."""
    table: dict[str, int] = {}
    vocabulary: list[str] = []

    def code(token: str) -> str:
        token = key(token) if key else token
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
    """Diff by folded tokens, then give each side its own spelling back: an equal run whose
    spellings differ becomes equal text around a deletion + insertion of each respelt token."""
    engine = _engine()
    a, b, _vocabulary = _encode(old_tokens, new_tokens, key=_key)
    diffs = engine.diff_main(a, b, False)
    engine.diff_cleanupSemantic(diffs)
    ops: list[tuple[str, str]] = []
    i = j = 0
    for op, chars in diffs:
        n = len(chars)
        if op == 0:
            for old, new in zip(old_tokens[i:i + n], new_tokens[j:j + n], strict=True):
                ops.extend([(EQUAL, old)] if old == new else [(DELETE, old), (INSERT, new)])
            i, j = i + n, j + n
        elif op == -1:
            ops.append((DELETE, "".join(old_tokens[i:i + n])))
            i += n
        else:
            ops.append((INSERT, "".join(new_tokens[j:j + n])))
            j += n
    return ops


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
    text = fold_variants(unicodedata.normalize("NFC", text or ""))
    return " ".join(text.split())


def count_words(text: str) -> int:
    return _count_words(_TOKEN.findall(text))


#: What joins the groups of digits of one number: 25,000 · 25.000 · 3,5 (and 25 000 with a no-break space).
_NUMBER_JOINERS = {",", "."}
_GROUP_SPACES = {"\u00a0", "\u202f"}


def _count_words(found: list[str]) -> int:
    """How many of the tokens are words; a number written with separators ("25,000", "1.5") is one."""
    count = 0
    for i, token in enumerate(found):
        if not _is_word(token):
            continue
        if token.isdigit() and i >= 2 and found[i - 2].isdigit() and (
                found[i - 1] in _NUMBER_JOINERS or (found[i - 1] in _GROUP_SPACES and len(token) == 3)):
            continue  # the rest of the number before it
        count += 1
    return count


def _runs(ops):
    """The ops as ("equal", text) and ("change", deleted text, inserted text) runs."""
    deleted = inserted = ""
    for op, text in ops:
        if op == EQUAL:
            if deleted or inserted:
                yield ("change", deleted, inserted)
                deleted = inserted = ""
            yield (EQUAL, text)
        elif op == DELETE:
            deleted += text
        else:
            inserted += text
    if deleted or inserted:
        yield ("change", deleted, inserted)


def _respelt(deleted: str, inserted: str) -> tuple[list[str], list[str], list[str]]:
    """The tokens of both sides of a change, and those of them that stand on the other side in
    another spelling only (letter variants folded, in order). Words spelt identically on both
    sides stay changes: the clean-up merged them into the change, and that is how it is shown."""
    old, new = tokens(deleted), tokens(inserted)
    if not old or not new:
        return old, new, []
    old_keys, new_keys = [_key(t) for t in old], [_key(t) for t in new]
    if not set(old_keys) & set(new_keys):
        return old, new, []
    matcher = SequenceMatcher(None, old_keys, new_keys)
    respelt = [old[block.a + k] for block in matcher.get_matching_blocks() for k in range(block.size)
               if old[block.a + k] != new[block.b + k]]
    return old, new, respelt


def _is_word(token: str) -> bool:
    return token[0].isalnum() or token[0] == "_"


def words_changed(ops) -> tuple[int, int]:
    """(words added, words removed), not counting spaces, punctuation or letter-variant swaps.
    A word deleted in one spelling and inserted in another is not counted."""
    added = removed = 0
    for run in _runs(ops):
        if run[0] == EQUAL:
            continue
        old, new, common = _respelt(run[1], run[2])
        same = sum(1 for t in common if _is_word(t))
        removed += _count_words(old) - same
        added += _count_words(new) - same
    return added, removed


def changed_share(ops) -> float:
    """How much of the two texts the changes touch (0 = identical, 1 = nothing in common).
    A respelt word counts as the same."""
    same = changed = 0
    for run in _runs(ops):
        if run[0] == EQUAL:
            same += len(run[1])
            continue
        _old, _new, common = _respelt(run[1], run[2])
        kept = sum(len(t) for t in common)
        same += kept
        changed += len(run[1]) + len(run[2]) - 2 * kept
    total = 2 * same + changed
    return changed / total if total else 0.0
