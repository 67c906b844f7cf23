"""Tallies at scale: a plan with 20 actions, three published versions and 100,000 comments (seeded
straight through the models: threads with replies two deep, tags, the team's responses, stakeholder
groups, meeting feedback, some hidden, pending or deleted), tallied on SQLite and on PostgreSQL.

Timed: the tally of one version, across all versions, one filtered tally (a group, a tag, online
only), and the tally page (HTML, as the team sees it) and API. Target: ≤ 300 ms for each tally.
The figures are printed and written to bench/results/tally.txt with a pass/fail verdict per target;
the exit status is 1 on any miss.

Run: make bench (or .venv/bin/python bench/bench_tally.py).
PostgreSQL: BENCH_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test); the bench
works in a schema of its own and drops it afterwards. A PostgreSQL it cannot reach is a failed target,
unless BENCH_SKIP_POSTGRES=1 (or --sqlite-only) says to leave it out.
"""
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import ROOT, Check, app_for, bench_environment, log_in, report  # noqa: E402

ACTIONS = 20
COMMENTS = 100_000
#: Of the comments: top-level, replies to them, replies to replies.
ROOT_SHARE, FIRST_REPLY_SHARE = 0.65, 0.25
#: Comments per version, oldest first (the latest version is the busiest).
VERSION_SHARES = (0.3, 0.3, 0.4)
RUNS = 15
PAGE_RUNS = 5
TARGET_MS = 300
PASSWORD = "bench-password-1"


def _insert(db, table, rows):
    from sqlalchemy import insert

    for start in range(0, len(rows), 5000):
        db.session.execute(insert(table), rows[start:start + 5000])


def seed(app):
    from sqlalchemy import func, select, update

    from consult.accounts.models import StakeholderGroup, User
    from consult.accounts.operations import create_user
    from consult.comments.models import STANCES, Comment
    from consult.core.models import utcnow
    from consult.extensions import db
    from consult.moderation.models import HIDE_REASONS, Response, Tag, comment_tags
    from consult.plans import operations as ops
    from consult.plans.models import ActionRevision

    rng = random.Random(11)
    with app.app_context():
        team = create_user("team@bench.example", "Bench Team", PASSWORD)
        plan = ops.create_plan(team, "tally-bench", title="Tally bench", language="en", timezone="Europe/Bucharest",
                               visibility="public")
        draft = ops.current_draft(plan)
        for n in range(ACTIONS):
            ops.add_action(draft, f"Action {n + 1}", description="Text.")
        versions = []
        for number in range(len(VERSION_SHARES)):
            if number:
                draft = ops.start_draft(plan, team)
            ops.publish_version(draft, team, f"Version {number + 1}.", None, None)
            versions.append(draft)
        for name in ("funding", "governance", "partners", "timeline", "out of scope"):
            db.session.add(Tag(plan_id=plan.id, name=name))
        db.session.flush()
        users = [User(email=f"u{n}@bench.example", name=f"User {n}", password_hash="x") for n in range(400)]
        db.session.add_all(users)
        db.session.flush()
        revisions = {v.id: list(db.session.scalars(select(ActionRevision).where(ActionRevision.version_id == v.id)
                                                   .order_by(ActionRevision.position))) for v in versions}
        groups = [g.id for g in db.session.scalars(select(StakeholderGroup).where(
            StakeholderGroup.plan_id == plan.id))]
        tags = [t.id for t in db.session.scalars(select(Tag).where(Tag.plan_id == plan.id))]
        now = utcnow()
        statuses = ["visible"] * 92 + ["hidden"] * 3 + ["pending"] * 3 + ["deleted"] * 2

        def comment(n, version_id, revision, parent=None, depth=0):
            meeting = parent is None and n % 25 == 0
            status = rng.choice(statuses)
            return {
                "plan_id": plan.id, "version_id": version_id, "action_id": revision.action_id,
                "revision_id": revision.id, "author_id": None if meeting else users[rng.randrange(400)].id,
                "attribution": f"Table {n % 8}" if meeting else None, "source": "meeting" if meeting else "online",
                "stance": rng.choice(STANCES) if parent is None else None, "body_md": "text",
                "body_html": "<p>text</p>", "status": status,
                "hidden_reason": rng.choice(HIDE_REASONS) if status == "hidden" else None,
                "group_id": rng.choice(groups), "reply_count": 0, "depth": depth,
                "parent_id": parent.id if parent else None,
                "root_id": (parent.root_id or parent.id) if parent else None,
                "created_at": now - timedelta(minutes=COMMENTS - n),
            }

        roots = int(COMMENTS * ROOT_SHARE)
        first = int(COMMENTS * FIRST_REPLY_SHARE)
        rows = []
        for n in range(roots):
            version = rng.choices(versions, VERSION_SHARES)[0]
            rows.append(comment(n, version.id, revisions[version.id][n % ACTIONS]))
        _insert(db, Comment, rows)
        by_revision = {r.id: r for rs in revisions.values() for r in rs}

        def parents(depth):
            return db.session.execute(select(Comment.id, Comment.root_id, Comment.version_id, Comment.revision_id)
                                      .where(Comment.plan_id == plan.id, Comment.depth == depth)
                                      .order_by(Comment.id)).all()

        for depth, count, offset in ((0, first, roots), (1, COMMENTS - roots - first, roots + first)):
            above = parents(depth)
            rows = []
            for n in range(count):
                parent = rng.choice(above)
                rows.append(comment(offset + n, parent.version_id, by_revision[parent.revision_id], parent,
                                    depth + 1))
            _insert(db, Comment, rows)
        # Reply counts by primary key (a correlated UPDATE would scan the table once per row).
        counts = db.session.execute(select(Comment.parent_id, func.count()).where(
            Comment.plan_id == plan.id, Comment.parent_id.is_not(None)).group_by(Comment.parent_id)).all()
        for start in range(0, len(counts), 5000):
            db.session.execute(update(Comment), [{"id": parent_id, "reply_count": n}
                                                 for parent_id, n in counts[start:start + 5000]])
        # In id order, so both databases get the same tags and responses from the same seed.
        top = list(db.session.scalars(select(Comment.id).where(Comment.plan_id == plan.id, Comment.depth == 0)
                                      .order_by(Comment.id)))
        everyone = list(db.session.scalars(select(Comment.id).where(Comment.plan_id == plan.id).order_by(Comment.id)))
        _insert(db, comment_tags, [{"comment_id": cid, "tag_id": rng.choice(tags)}
                                   for cid in everyone if rng.random() < 0.3])
        _insert(db, Response, [{"plan_id": plan.id, "comment_id": cid, "responder_id": team.id,
                                "disposition": rng.choice(("accepted", "partly_accepted", "not_accepted", "noted")),
                                "body_md": "", "body_html": "", "created_at": now,
                                "addressed_in_id": versions[-1].id if rng.random() < 0.5 else None}
                               for cid in top if rng.random() < 0.15])
        db.session.commit()
        return {"plan_id": plan.id, "slug": plan.slug, "version_ids": [v.id for v in versions],
                "action_ids": [r.action_id for r in revisions[versions[-1].id]], "group_id": groups[0],
                "tag_id": tags[0], "latest": len(versions)}


def _median_ms(samples):
    return round(statistics.median(samples) * 1000, 1)


def measure(app, label, seeded):
    """Figures and checks for one database."""
    from consult.extensions import db
    from consult.moderation.tally import Filters, tally

    latest = (seeded["version_ids"][-1],)
    kinds = {
        "one version": Filters(version_ids=latest),
        "all versions": Filters(version_ids=tuple(seeded["version_ids"])),
        "filtered (a group, a tag, online, latest version)": Filters(
            version_ids=latest, group_id=seeded["group_id"], tag_id=seeded["tag_id"], source="online"),
    }
    timings, counted = {}, {}
    with app.app_context():
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        for kind, filters in kinds.items():
            samples = []
            for _ in range(RUNS):
                start = time.perf_counter()
                result = tally(seeded["plan_id"], seeded["action_ids"], filters)
                samples.append(time.perf_counter() - start)
                db.session.remove()
            timings[kind] = samples
            counted[kind] = sum(t.total + t.hidden + t.pending for t in result.values())
    client = app.test_client()
    pages = {
        "tally page, latest version (HTML)": f"/plans/{seeded['slug']}/versions/{seeded['latest']}/tally",
        "tally page, all versions (HTML)": f"/plans/{seeded['slug']}/tally",
        "tally API, latest version": f"/api/v1/plans/{seeded['slug']}/versions/{seeded['latest']}/tally",
    }
    page_timings = {}
    with app.app_context():
        from consult.accounts.operations import find_user_by_email, issue_token

        # The pages read the team's session; the API (the tally of an unpublished report) its token.
        token, _record = issue_token(find_user_by_email("team@bench.example"), "bench")
        db.session.commit()
        auth = {"Authorization": f"Bearer {token}"}
        log_in(client, "team@bench.example", PASSWORD)
        for name, path in pages.items():
            samples = []
            for _ in range(PAGE_RUNS):
                start = time.perf_counter()
                response = client.get(path, headers=auth if path.startswith("/api/") else None)
                samples.append(time.perf_counter() - start)
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: {response.status_code}")
            page_timings[name] = samples
    lines = [f"{label}:"]
    lines += [f"  tally, {kind}: median {_median_ms(s)} ms, max {max(s) * 1000:.0f} ms over {RUNS} runs "
              f"({counted[kind]:,} comments counted, deleted left out)" for kind, s in timings.items()]
    lines += [f"  {name}: median {_median_ms(s)} ms over {PAGE_RUNS} requests (no target; for information)"
              for name, s in page_timings.items()]
    database = label.split(" ")[0]
    checks = [Check(f"{database} tally, {kind}, median", _median_ms(s), TARGET_MS, " ms")
              for kind, s in timings.items()]
    return lines, checks


def _migrate(env):
    subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)


def run_sqlite(tmp: Path):
    env = bench_environment(tmp)
    _migrate(env)
    app = app_for(env)
    start = time.perf_counter()
    seeded = seed(app)
    took = time.perf_counter() - start
    lines, checks = measure(app, f"SQLite (seeded in {took:.0f} s)", seeded)
    with app.app_context():
        from consult.extensions import db

        db.engine.dispose()
    return lines, checks


def run_postgres(tmp: Path):
    import sqlalchemy as sa

    url = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = sa.create_engine(url)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    except Exception as error:  # noqa: BLE001 — any reason it cannot be reached is reported as such
        message = f"PostgreSQL at {url.split('@')[-1]}: not reachable ({error.__class__.__name__}: {error})"
        unreachable = Check("PostgreSQL reachable", None, 1, target="reachable",
                            note="set BENCH_SKIP_POSTGRES=1 to leave PostgreSQL out")
        return [message.splitlines()[0]], [unreachable]
    try:
        env = bench_environment(tmp, database_url=url)
        env["PGOPTIONS"] = f"-csearch_path={schema}"
        _migrate(env)
        os.environ["PGOPTIONS"] = env["PGOPTIONS"]
        app = app_for(env)
        start = time.perf_counter()
        seeded = seed(app)
        took = time.perf_counter() - start
        lines, checks = measure(app, f"PostgreSQL (seeded in {took:.0f} s, schema {schema})", seeded)
        with app.app_context():
            from consult.extensions import db

            db.engine.dispose()
        return lines, checks
    finally:
        os.environ.pop("PGOPTIONS", None)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def main():
    import tempfile

    lines = [f"bench_tally — {ACTIONS} actions, {len(VERSION_SHARES)} versions, {COMMENTS:,} comments "
             f"({ROOT_SHARE:.0%} top-level, the rest replies up to two deep; 30 % tagged, 15 % of the top-level "
             f"answered; 3 % hidden, 3 % pending, 2 % deleted; meeting feedback); target ≤ {TARGET_MS} ms per tally"]
    checks = []
    with tempfile.TemporaryDirectory(prefix="consult-bench-") as tmp:
        more, found = run_sqlite(Path(tmp))
        lines += more
        checks += found
    if os.environ.get("BENCH_SKIP_POSTGRES") == "1" or "--sqlite-only" in sys.argv:
        lines.append("PostgreSQL: left out (BENCH_SKIP_POSTGRES=1)")
    else:
        with tempfile.TemporaryDirectory(prefix="consult-bench-") as tmp:
            more, found = run_postgres(Path(tmp))
            lines += more
            checks += found
    return report("tally", lines, checks)


if __name__ == "__main__":
    sys.exit(main())
