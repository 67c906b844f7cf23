"""Comparing big versions: 200 actions and 300,000 words, version 1 against a revised version 2.
Targets: the comparison ≤ 1 s, the comparison page ≤ 1.5 s. Stored diffs make repeat views cheap;
both the first (computing, nothing stored yet) and repeat (stored) comparisons and page views are
timed, and each is held to its target. The figures and a pass/fail verdict per target are printed
and written to bench/results/compare.txt; the exit status is 1 on any miss.

Run: make bench (or .venv/bin/python bench/bench_compare.py).
"""
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import ROOT, Check, app_for, bench_environment, report, workdir  # noqa: E402

ACTIONS = 200
WORDS_PER_FIELD = 250
VOCABULARY = ("the city will support creative start-ups and SMEs through mentoring vouchers incubation events "
              "partners funding budget timeline governance youth education tourism culture legacy programme "
              "municipality association region Timișoara acțiune finanțare parteneri întreprinderi").split()


def paragraph(rng, words):
    return " ".join(rng.choice(VOCABULARY) for _ in range(words)).capitalize() + "."


def field_text(rng):
    parts = [paragraph(rng, 60), paragraph(rng, 70), "\n".join(f"- {paragraph(rng, 12)}" for _ in range(4)),
             paragraph(rng, 72)]
    return "\n\n".join(parts)


def revise(rng, text):
    """Edit a few words, move a paragraph, add a sentence."""
    blocks = text.split("\n\n")
    words = blocks[0].split(" ")
    for _ in range(5):
        words[rng.randrange(len(words))] = rng.choice(VOCABULARY)
    blocks[0] = " ".join(words)
    blocks.append(blocks.pop(1))
    blocks[-2] += " " + paragraph(rng, 15)
    return "\n\n".join(blocks)


def seed(app):
    from consult.accounts.operations import create_user
    from consult.extensions import db
    from consult.plans import operations as ops
    from consult.plans.models import ACTION_FIELDS

    rng = random.Random(5)
    with app.app_context():
        team = create_user("team@bench.example", "Bench Team", "bench-password-1")
        plan = ops.create_plan(team, "compare-bench", title="Compare bench", language="en",
                               timezone="Europe/Bucharest", visibility="public")
        draft = ops.current_draft(plan)
        for n in range(ACTIONS):
            ops.add_action(draft, f"Action {n + 1}", **{name: field_text(rng) for name in ACTION_FIELDS})
        ops.publish_version(draft, team, "", None, None)
        draft = ops.start_draft(plan, team)
        db.session.flush()
        revisions = sorted(draft.revisions, key=lambda r: r.position)
        for index, revision in enumerate(revisions):
            if index % 5 == 0:  # a fifth of the actions are revised
                ops.update_action(revision, revision.title + " (revised)",
                                  **{name: revise(rng, getattr(revision, f"{name}_md")) for name in ACTION_FIELDS})
        ops.remove_action(revisions[7])
        ops.add_action(draft, "A new action", **{name: field_text(rng) for name in ACTION_FIELDS})
        ops.move_action(next(r for r in draft.revisions if r.position == 3), -1)
        ops.publish_version(draft, team, "Revised.", None, None)
        db.session.commit()
        words = sum(len(getattr(r, f"{n}_md").split()) for r in revisions for n in ACTION_FIELDS)
    return words


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def main():
    with workdir() as tmp:
        env = bench_environment(tmp)
        subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        app = app_for(env)
        words = seed(app)
        from consult.extensions import db
        from consult.plans.comparison import compare_versions
        from consult.plans.models import PlanVersion, StoredDiff

        path = "/plans/compare-bench/compare/1/2"
        with app.app_context():
            v1, v2 = db.session.scalars(db.select(PlanVersion).order_by(PlanVersion.number)).all()
            assert db.session.scalar(db.select(db.func.count(StoredDiff.id))) == 0, "diffs stored before the bench"
            start = time.perf_counter()
            comparison = compare_versions(v1, v2)
            first = time.perf_counter() - start
            db.session.rollback()  # store nothing: the page's first view computes everything too
            counts = {kind: comparison.count(kind) for kind in ("changed", "added", "removed", "moved", "unchanged")}
        client = app.test_client()
        start = time.perf_counter()
        response = client.get(path)
        first_page = time.perf_counter() - start
        assert response.status_code == 200
        with app.app_context():
            stored = db.session.scalar(db.select(db.func.count(StoredDiff.id)))
            v1, v2 = db.session.scalars(db.select(PlanVersion).order_by(PlanVersion.number)).all()
            warm = []
            for _ in range(5):
                start = time.perf_counter()
                compare_versions(v1, v2)
                warm.append(time.perf_counter() - start)
                db.session.rollback()
        pages = []
        for _ in range(5):
            start = time.perf_counter()
            response = client.get(path)
            pages.append(time.perf_counter() - start)
            assert response.status_code == 200
        side = []
        for _ in range(3):
            start = time.perf_counter()
            side_response = client.get(f"{path}?view=side")
            side.append(time.perf_counter() - start)
            assert side_response.status_code == 200
        lines = [
            f"bench_compare — {ACTIONS} actions, {words:,} words per version",
            f"actions: {counts}",
            f"comparison, first time (computing every diff, nothing stored): {_ms(first)} ms",
            f"comparison page, first view (computing and storing {stored} diffs): {_ms(first_page)} ms",
            f"comparison, stored diffs: median {_ms(statistics.median(warm))} ms over {len(warm)}",
            f"comparison page (inline), stored diffs: median {_ms(statistics.median(pages))} ms over {len(pages)}; "
            f"{len(response.data) / 1e6:.1f} MB of HTML",
            f"comparison page (side by side), stored diffs: median {_ms(statistics.median(side))} ms over {len(side)}",
        ]
        checks = [
            Check("comparison, first time", _ms(first), 1000, " ms"),
            Check("comparison, stored diffs, median", _ms(statistics.median(warm)), 1000, " ms"),
            Check("comparison page, first (uncached) view", _ms(first_page), 1500, " ms"),
            Check("comparison page, stored diffs, median", _ms(statistics.median(pages)), 1500, " ms"),
            Check("side-by-side page, stored diffs, median", _ms(statistics.median(side)), 1500, " ms"),
            Check("diffs stored by the first view", stored, 1, at_least=True),
        ]
        return report("compare", lines, checks)


if __name__ == "__main__":
    sys.exit(main())
