"""Comparing two versions of a plan: loads the texts (two queries), serves stored diffs for
published versions (one query), computes and stores the missing ones."""
import hashlib
import json

from sqlalchemy import select

from consult.diffing.blocks import BlockChange
from consult.diffing.versions import ALGORITHM_VERSION, ActionText, Comparison, VersionText, compare, compute
from consult.extensions import db
from consult.plans.models import ACTION_FIELDS, GENERAL_FIELDS, ActionRevision, PlanVersion, StoredDiff


def version_text(version: PlanVersion) -> VersionText:
    revisions = db.session.scalars(select(ActionRevision).where(ActionRevision.version_id == version.id)
                                   .order_by(ActionRevision.position))
    return VersionText(version.number, {n: getattr(version, f"{n}_md") for n in GENERAL_FIELDS},
                       [ActionText(r.key, r.position, r.title, {n: getattr(r, f"{n}_md") for n in ACTION_FIELDS})
                        for r in revisions])


def _key(old: str, new: str) -> str:
    digest = hashlib.sha256()
    for part in (str(ALGORITHM_VERSION), old, new):
        digest.update(part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def _dump(result) -> str:
    ops, blocks = result
    return json.dumps({"ops": ops, "blocks": [b.__dict__ for b in blocks]}, ensure_ascii=False,
                      separators=(",", ":"))


def _load(raw: str):
    data = json.loads(raw)
    return [tuple(op) for op in data["ops"]], [
        BlockChange(**{**b, "ops": [tuple(op) for op in b["ops"]]}) for b in data["blocks"]]


def _pairs(old: VersionText, new: VersionText) -> set[tuple[str, str]]:
    pairs = {(old.general.get(n, ""), new.general.get(n, "")) for n in GENERAL_FIELDS}
    olds = {a.key: a for a in old.actions}
    news = {a.key: a for a in new.actions}
    for key in olds.keys() | news.keys():
        a, b = olds.get(key), news.get(key)
        pairs.add((a.title if a else "", b.title if b else ""))
        for name in ACTION_FIELDS:
            pairs.add(((a.fields.get(name, "") if a else "") or "", (b.fields.get(name, "") if b else "") or ""))
    return pairs


def _insert_ignoring_duplicates(rows: list[dict]) -> None:
    """Two readers may compute the same diff at once: the second insert is simply skipped."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    db.session.execute(dialect_insert(StoredDiff).on_conflict_do_nothing(index_elements=["key"]), rows)


def compare_versions(old_version: PlanVersion, new_version: PlanVersion) -> Comparison:
    """The comparison of two versions; diffs of published texts come from (and go to) storage."""
    old, new = version_text(old_version), version_text(new_version)
    store = old_version.is_published and new_version.is_published
    cache: dict[tuple[str, str], tuple] = {}
    if store:
        pairs = {p for p in _pairs(old, new) if p[0] != p[1]}
        keys = {_key(*pair): pair for pair in pairs}
        for key, raw in db.session.execute(select(StoredDiff.key, StoredDiff.result)
                                           .where(StoredDiff.key.in_(list(keys)))) if keys else []:
            cache[keys[key]] = _load(raw)
        missing = [pair for pair in pairs if pair not in cache]
        rows = []
        for pair in missing:
            cache[pair] = compute(*pair)
            rows.append({"key": _key(*pair), "algorithm": ALGORITHM_VERSION, "result": _dump(cache[pair])})
        if rows:
            _insert_ignoring_duplicates(rows)

    def differ(a: str, b: str):
        if a == b:
            return compute(a, b)  # identical texts: trivial, never stored
        return cache.get((a, b)) or compute(a, b)

    return compare(old, new, ACTION_FIELDS, GENERAL_FIELDS, differ)
