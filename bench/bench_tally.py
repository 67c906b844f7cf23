"""Tallies at scale: a plan with 20 actions and 100,000 comments (seeded straight through the
models), tallied on SQLite and on PostgreSQL. Target: ≤ 300 ms for the whole tally.

Run: make bench (or .venv/bin/python bench/bench_tally.py [--sqlite-only]).
PostgreSQL: BENCH_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test); the bench
works in a schema of its own and drops it afterwards.
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
from _server import ROOT, app_for, bench_environment, write_results  # noqa: E402

ACTIONS = 20
COMMENTS = 100_000
RUNS = 15


def seed(app):
    from sqlalchemy import insert, select

    from consult.accounts.models import StakeholderGroup, User
    from consult.accounts.operations import create_user
    from consult.comments.models import STANCES, Comment
    from consult.core.models import utcnow
    from consult.extensions import db
    from consult.moderation.models import Response, Tag, comment_tags
    from consult.plans import operations as ops
    from consult.plans.models import ActionRevision, Plan

    rng = random.Random(11)
    with app.app_context():
        team = create_user("team@bench.example", "Bench Team", "bench-password-1")
        plan = ops.create_plan(team, "tally-bench", title="Tally bench", language="en", timezone="Europe/Bucharest",
                               visibility="public")
        draft = ops.current_draft(plan)
        for n in range(ACTIONS):
            ops.add_action(draft, f"Action {n + 1}", description="Text.")
        ops.publish_version(draft, team, "", None, None)
        for name in ("funding", "governance", "partners", "timeline", "out of scope"):
            db.session.add(Tag(plan_id=plan.id, name=name))
        db.session.flush()
        users = []
        for n in range(400):
            users.append(User(email=f"u{n}@bench.example", name=f"User {n}", password_hash="x"))
        db.session.add_all(users)
        db.session.flush()
        revisions = list(db.session.scalars(select(ActionRevision).where(ActionRevision.version_id == draft.id)))
        groups = [g.id for g in db.session.scalars(select(StakeholderGroup).where(
            StakeholderGroup.plan_id == plan.id))]
        tags = [t.id for t in db.session.scalars(select(Tag).where(Tag.plan_id == plan.id))]
        now = utcnow()
        statuses = ["visible"] * 92 + ["hidden"] * 3 + ["pending"] * 3 + ["deleted"] * 2
        rows = []
        for n in range(COMMENTS):
            revision = revisions[n % ACTIONS]
            meeting = n % 25 == 0
            rows.append({
                "plan_id": plan.id, "version_id": draft.id, "action_id": revision.action_id,
                "revision_id": revision.id, "author_id": None if meeting else users[rng.randrange(400)].id,
                "attribution": f"Table {n % 8}" if meeting else None, "source": "meeting" if meeting else "online",
                "stance": rng.choice(STANCES), "body_md": "text", "body_html": "<p>text</p>",
                "status": rng.choice(statuses), "group_id": rng.choice(groups), "reply_count": 0, "depth": 0,
                "created_at": now - timedelta(minutes=n),
            })
        for start in range(0, COMMENTS, 5000):
            db.session.execute(insert(Comment), rows[start:start + 5000])
        ids = list(db.session.scalars(select(Comment.id).where(Comment.plan_id == plan.id)))
        tagged = [{"comment_id": cid, "tag_id": rng.choice(tags)} for cid in ids if rng.random() < 0.3]
        for start in range(0, len(tagged), 5000):
            db.session.execute(insert(comment_tags), tagged[start:start + 5000])
        answered = [{"plan_id": plan.id, "comment_id": cid, "disposition": rng.choice(
            ("accepted", "partly_accepted", "not_accepted", "noted")), "body_md": "", "body_html": "",
            "created_at": now} for cid in ids if rng.random() < 0.1]
        for start in range(0, len(answered), 5000):
            db.session.execute(insert(Response), answered[start:start + 5000])
        db.session.commit()
        return plan.id, draft.id, [r.action_id for r in revisions], db.session.scalar(
            select(Plan.slug).where(Plan.id == plan.id))


def measure(app, label, plan_id, version_id, action_ids, slug):
    from consult.extensions import db
    from consult.moderation.tally import Filters, tally

    samples, api_samples = [], []
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        else:
            with db.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        result = None
        for _ in range(RUNS):
            start = time.perf_counter()
            result = tally(plan_id, action_ids, Filters(version_ids=(version_id,)))
            samples.append(time.perf_counter() - start)
            db.session.remove()
        total = sum(t.total + t.hidden + t.pending for t in result.values())
    client = app.test_client()
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(f"/api/v1/plans/{slug}/versions/1/tally")
        api_samples.append(time.perf_counter() - start)
        assert response.status_code == 200
    return (f"{label}: tally of {ACTIONS} actions / {COMMENTS:,} comments ({total:,} counted outside deleted): "
            f"median {statistics.median(samples) * 1000:.0f} ms, max {max(samples) * 1000:.0f} ms; "
            f"API GET …/tally median {statistics.median(api_samples) * 1000:.0f} ms over {RUNS} runs")


def run_sqlite(tmp: Path) -> str:
    env = bench_environment(tmp)
    subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    app = app_for(env)
    start = time.perf_counter()
    ids = seed(app)
    seeded = time.perf_counter() - start
    return measure(app, f"SQLite (seeded in {seeded:.0f} s)", *ids)


def run_postgres(tmp: Path) -> str:
    import sqlalchemy as sa

    url = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url)
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    except sa.exc.OperationalError as error:
        return f"PostgreSQL: not reachable ({error.__class__.__name__}); skipped"
    try:
        env = bench_environment(tmp, database_url=url)
        env["PGOPTIONS"] = f"-csearch_path={schema}"
        subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        os.environ["PGOPTIONS"] = env["PGOPTIONS"]
        app = app_for(env)
        start = time.perf_counter()
        ids = seed(app)
        seeded = time.perf_counter() - start
        line = measure(app, f"PostgreSQL (seeded in {seeded:.0f} s)", *ids)
        with app.app_context():
            from consult.extensions import db

            db.engine.dispose()
        return line
    finally:
        os.environ.pop("PGOPTIONS", None)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def main():
    import tempfile

    lines = ["bench_tally — 20 actions, 100,000 comments (30 % tagged, 10 % answered); target ≤ 300 ms"]
    with tempfile.TemporaryDirectory(prefix="consult-bench-") as tmp:
        lines.append(run_sqlite(Path(tmp)))
    if "--sqlite-only" not in sys.argv:
        with tempfile.TemporaryDirectory(prefix="consult-bench-") as tmp:
            lines.append(run_postgres(Path(tmp)))
    write_results("tally", lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
