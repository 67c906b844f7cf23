"""Comments at scale: 1,000 threaded comments posted through the API by 8 concurrent writers to
gunicorn (2 workers, SQLite), then the thread read through the API and the action page.

Targets (2 cores): API thread ≤ 60 ms median, action page ≤ 30 ms median, ≥ 300 posts/s,
zero failed requests and zero lost comments. Run: make bench (or .venv/bin/python bench/bench_comments.py).
"""
import json
import queue
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import ROOT, Check, app_for, bench_environment, gunicorn, report, request, summary, workdir  # noqa: E402

WRITERS = 8
ROOTS = 200
REPLIES_PER_ROOT = 4
READS = 60
WORDS = ("the city should involve more cultural operators and creative start-ups in the programme "
         "funding timeline partners governance budget mentoring vouchers incubation venues audiences "
         "tourism youth education municipality association legacy capital culture pilot monitoring "
         "timișoara regiune acțiune finanțare parteneri întreprinderi creative").split()
STANCES = ("support", "concern", "suggestion", "question")
#: A thread is root → A, B; A → C; C → D. A failed post also takes the replies it would have had.
SUBTREE = {"root": 5, "A": 3, "B": 1, "C": 2, "D": 1}


def markdown_text(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(60, 120))]
    words[0] = words[0].capitalize()
    words[rng.randint(1, 20)] = f"**{words[rng.randint(1, 20)]}**"
    paragraph = " ".join(words[:40]) + "."
    rest = words[40:]
    items = "\n".join(f"- {' '.join(rest[i:i + 10])}" for i in range(0, len(rest), 10))
    return f"{paragraph}\n\n{items}\n"


def seed(env) -> tuple[list[str], str]:
    """A plan with an open version and 8 writers with API tokens, through the real operations."""
    app = app_for(env)
    subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    with app.app_context():
        from consult.accounts.operations import add_member, create_user, issue_token
        from consult.extensions import db
        from tests import factories

        team = create_user("team@bench.example", "Bench Team", "bench-password-1")
        plan = factories.make_plan(team, slug="bench-plan", actions=3, next_draft=False)
        tokens = []
        for n in range(WRITERS):
            user = create_user(f"writer{n}@bench.example", f"Writer {n}", "bench-password-1")
            add_member(plan.id, user, "stakeholder", plan.groups[n % len(plan.groups)].id)
            tokens.append(issue_token(user, "bench")[0])
        db.session.commit()
        db.engine.dispose()
    return tokens, "/api/v1/plans/bench-plan/versions/1/actions/A1/comments"


def post_all(port, tokens, url):
    """Post 200 threads of 5 comments with 8 writers kept busy: a reply is queued as soon as its
    parent exists (two replies to the top-level comment, one to the first reply, one to that)."""
    rng = random.Random(7)
    texts = [markdown_text(rng) for _ in range(ROOTS * (1 + REPLIES_PER_ROOT))]
    jobs: queue.Queue = queue.Queue()
    created, failures, lock = [], [], threading.Lock()
    remaining = [ROOTS * (1 + REPLIES_PER_ROOT)]
    for i in range(ROOTS):
        jobs.put(("root", None, i))

    def writer(n):
        token = tokens[n]
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
            try:
                kind, parent, index = jobs.get(timeout=0.05)
            except queue.Empty:
                continue
            payload = {"body": texts[(index * len(SUBTREE) + list(SUBTREE).index(kind)) % len(texts)]}
            if parent is None:
                payload["stance"] = STANCES[index % 4]
            else:
                payload["parent_id"] = parent
            try:
                status, body, _elapsed = request(port, "POST", url, payload, {"Authorization": f"Bearer {token}"})
                new_id = json.loads(body)["id"] if status == 201 else None
            except Exception as error:  # a dead connection is a failed request, not a dead writer
                status, body, new_id = None, repr(error).encode(), None
            with lock:
                if new_id is None:
                    failures.append((status, body[:200]))
                    remaining[0] -= SUBTREE[kind]  # its replies will never be posted
                    continue
                remaining[0] -= 1
                created.append(new_id)
            # the thread's shape: root → A, B; A → C; C → D
            if kind == "root":
                jobs.put(("A", new_id, index))
                jobs.put(("B", new_id, index))
            elif kind == "A":
                jobs.put(("C", new_id, index))
            elif kind == "C":
                jobs.put(("D", new_id, index))

    start = time.perf_counter()
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return created, failures, time.perf_counter() - start


def timed_reads(port, path, count=READS):
    samples, failures = [], 0
    for _ in range(2):  # warm up both workers' caches
        try:
            request(port, "GET", path)
        except OSError:
            pass
    for _ in range(count):
        try:
            status, _body, elapsed = request(port, "GET", path)
        except OSError:
            failures += 1
            continue
        if status != 200:
            failures += 1
        samples.append(elapsed)
    return (summary(samples) if samples else {"median_ms": None, "p95_ms": None, "n": 0}), failures


def main():
    with workdir() as tmp:
        env = bench_environment(tmp)
        tokens, url = seed(env)
        with gunicorn(env, workers=2) as port:
            created, failures, elapsed = post_all(port, tokens, url)
            status, body, _ = request(port, "GET", url)
            total = json.loads(body)["total"] if status == 200 else None
            api, api_failures = timed_reads(port, url)
            page_path = "/plans/bench-plan/versions/1/actions/A1"
            page, page_failures = timed_reads(port, page_path)
            status, body, _ = request(port, "GET", page_path)
            shown = body.decode().count('class="comment ')
        posts = len(created) + len(failures)
        expected = ROOTS * (1 + REPLIES_PER_ROOT)
        rate = posts / elapsed if elapsed else 0
        lost = (len(created) - total) if total is not None else None
        lines = [
            "bench_comments — 1,000 threaded comments, gunicorn -w 2, SQLite (WAL)",
            f"posted: {len(created)} of {expected} comments ({posts} requests made; a failed comment's replies "
            f"are not attempted); failed: {len(failures)}" + (f" (first: {failures[0]})" if failures else ""),
            f"posting rate: {rate:.0f} posts/s with {WRITERS} concurrent writers ({elapsed:.2f} s)",
            f"read back through the API: total={total}; lost comments: {lost}",
            f"API thread (all {total} comments): median {api['median_ms']} ms, p95 {api['p95_ms']} ms "
            f"over {api['n']} requests; failures {api_failures}",
            f"action page (50 threads of {ROOTS}, {shown} comments shown): median {page['median_ms']} ms, "
            f"p95 {page['p95_ms']} ms over {page['n']} requests; failures {page_failures}",
        ]
        checks = [
            Check("API thread of 1,000 comments, median", api["median_ms"], 60, " ms"),
            Check("action page, median", page["median_ms"], 30, " ms"),
            Check("posting rate", round(rate), 300, " posts/s", at_least=True),
            Check("failed requests (posts and reads)", len(failures) + api_failures + page_failures, 0),
            Check("comments not posted", expected - len(created), 0),
            Check("lost comments (posted but not read back)", lost, 0),
        ]
        return report("comments", lines, checks)


if __name__ == "__main__":
    sys.exit(main())
