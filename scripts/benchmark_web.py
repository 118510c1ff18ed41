"""Benchmark the web app with 100k synthetic articles: stories page, story page and search latency.

    .venv/bin/python scripts/benchmark_web.py --db bw-100k.db --articles 100000

1. Generates the database directly through the store API (no NLP pipeline): articles in eight
   languages with sentences, entity mentions, quotes and time expressions; plausible embedding
   vectors (a random unit centroid per story plus noise, so reports of one story are close);
   story summaries; and a cached fact comparison for the stories the benchmark opens (the engine
   caches ``coverage`` per story, and ingest precomputes it, so pages read it from the cache).
   An existing database with enough articles is reused.
2. Starts ``babelwire serve`` on 127.0.0.1, warms it up (model load, vector index), then measures
   each page class with ``wrk`` (p50/p95/p99 via its Lua ``done`` hook) or, when wrk is not
   installed, with a bounded Python loop. Prints a Markdown table (paste it into docs/web.md).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import numpy as np

from babelwire.coverage import Coverage, FactGroup, SentenceRef, coverage_key
from babelwire.model import Article, Mention, Quote, Sentence, Span, Speaker, Story, TimeExpr
from babelwire.store import SQLiteStore
from babelwire.stories import ArticleFeatures

LANGS = ("en", "sv", "de", "fr", "es", "it", "nl", "pl")
DIM = 384
SYLLABLES = "ka lo mi ne ru sa te vo da fi gu ha je ko lu ma no pe ri so tu va we xi yo ze".split()  # noqa: SIM905
REPO = Path(__file__).resolve().parents[1]


def word(rng: random.Random, n: int = 3) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, n)))


def unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def generate(db: str, total: int, seed: int = 7) -> None:
    """Fill ``db`` with ``total`` synthetic articles in stories of 1–30 reports."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    vocab = {lang: [word(rng) for _ in range(400)] for lang in LANGS}
    entities = [(f"PER:{word(rng)}-{i}", f"{word(rng).title()} {word(rng).title()}") for i in range(20_000)]
    outlets = [
        f"{word(rng).title()} {rng.choice(['Post', 'Tidning', 'Zeitung', 'Journal', 'Diario'])}"
        for _ in range(60)
    ]
    store = SQLiteStore(db)
    start = datetime(2026, 9, 1, tzinfo=UTC)
    done = 0
    story_no = 0
    names: dict[str, str] = {}
    t0 = time.time()
    while done < total:
        batch: list[Article] = []
        features: list[tuple[str, datetime | None, bytes]] = []
        stories: list[Story] = []
        while len(batch) < 2000 and done + len(batch) < total:
            story_no += 1
            sid = f"s{story_no:07d}"
            size = min(30, max(1, int(nrng.geometric(0.22))), total - done - len(batch))
            centroid = unit(nrng.normal(size=DIM))
            when = start + timedelta(minutes=rng.randint(0, 60 * 24 * 60))
            cast = rng.sample(entities, 4)
            event_words = {lang: rng.sample(vocab[lang], 6) for lang in LANGS}
            members: list[Article] = []
            for k in range(size):
                lang = rng.choice(LANGS[: rng.randint(2, len(LANGS))])
                a = _article(
                    rng,
                    f"{sid}-{k}",
                    sid,
                    lang,
                    vocab[lang],
                    event_words[lang],
                    cast,
                    rng.choice(outlets),
                    when + timedelta(minutes=rng.randint(0, 60 * 36)),
                )
                members.append(a)
                head = unit(centroid + nrng.normal(scale=0.35, size=DIM))
                body = unit(centroid + nrng.normal(scale=0.35, size=DIM))
                feats = ArticleFeatures(id=a.id, head=head, body=body, lang=lang)
                features.append((a.id, a.published, feats.to_bytes()))
            for eid, name in cast:
                names[eid] = name
            batch.extend(members)
            stories.append(_story(sid, members))
        store.save_articles(batch)
        store.save_story_features(features)
        store.save_stories(stories)
        done += len(batch)
        print(f"  {done} articles ({time.time() - t0:.0f} s)", file=sys.stderr)
    store.set_entity_names(names)
    store.close()


def _article(
    rng: random.Random,
    aid: str,
    sid: str,
    lang: str,
    vocab: list[str],
    event: list[str],
    cast: list[tuple[str, str]],
    source: str,
    published: datetime,
) -> Article:
    title = " ".join([event[0].title(), *rng.sample(event, 3), *rng.sample(vocab, 3)])
    text = title + "\n\n"
    sentences = [Sentence(0, len(title), 0)]
    mentions: list[Mention] = []
    quotes: list[Quote] = []
    paragraphs = [Span(0, len(title))]
    for p in range(1, 4):
        p_start = len(text)
        for _ in range(rng.randint(2, 3)):
            eid, name = rng.choice(cast)
            words = [*rng.sample(event, 2), *rng.sample(vocab, 9)]
            s_start = len(text)
            mentions.append(Mention(name, s_start, s_start + len(name), "PER", eid))
            sentence = f"{name} {' '.join(words)} {rng.randint(2, 900)}."
            text += sentence + " "
            sentences.append(Sentence(s_start, s_start + len(sentence), p))
        if p == 2:
            q_start = len(text) + 1
            said = " ".join(rng.sample(vocab, 8))
            text += f"«{said}», {cast[0][1]}. "
            quotes.append(
                Quote(said, q_start, q_start + len(said), "said", Speaker(cast[0][1], 0, 0, cast[0][0]))
            )
        text = text.rstrip() + "\n\n"
        paragraphs.append(Span(p_start, len(text) - 2))
    text = text.rstrip()
    timex = TimeExpr("today", 0, 0, "DATE", published.date().isoformat())
    return Article(
        id=aid,
        text=text,
        title=title,
        lead=text[len(title) + 2 :][:200],
        source=source,
        url=f"https://{source.split()[0].lower()}.example/{aid}",
        published=published,
        lang=lang,
        content_hash=f"bench-{aid}",
        story_id=sid,
        paragraphs=paragraphs,
        sentences=sentences,
        mentions=mentions,
        quotes=quotes,
        timexes=[timex],
        stages={"entities": "bench", "quotes": "bench"},
    )


def _story(sid: str, members: list[Article]) -> Story:
    langs: dict[str, int] = {}
    sources: dict[str, int] = {}
    for a in members:
        langs[a.lang or "?"] = langs.get(a.lang or "?", 0) + 1
        sources[a.source or "?"] = sources.get(a.source or "?", 0) + 1
    dates = [a.published for a in members if a.published]
    return Story(
        sid,
        members[0].title,
        len(members),
        len(members),
        sorted(langs, key=lambda k: -langs[k]),
        sorted(sources, key=lambda k: -sources[k]),
        min(dates),
        max(dates),
    )


def cache_coverage(db: str, story_ids: list[str], rng: random.Random) -> None:
    """Store a plausible fact comparison for each story (facts = the n-th sentences of its reports)."""
    store = SQLiteStore(db)
    for sid in story_ids:
        members = store.story_articles(sid)
        facts = []
        for n in range(1, 8):
            refs = [
                SentenceRef(
                    a.id,
                    a.sentences[n].start,
                    a.sentences[n].end,
                    a.text[a.sentences[n].start : a.sentences[n].end],
                    a.lang,
                    a.source,
                )
                for a in members
                if len(a.sentences) > n and rng.random() < 0.7
            ]
            if len(refs) > 1:
                facts.append(
                    FactGroup(
                        refs,
                        "fact",
                        [r.article for r in refs],
                        [r.source or "?" for r in refs],
                        sorted({r.lang or "?" for r in refs}),
                        0.8,
                    )
                )
        unique = [
            SentenceRef(a.id, s.start, s.end, a.text[s.start : s.end], a.lang, a.source)
            for a in members[:3]
            for s in a.sentences[-1:]
        ]
        coverage = Coverage(
            facts=facts,
            unique=unique,
            headline=members[0].title,
            headline_lang=members[0].lang,
            summary=facts[0].sentences[:1] if facts else [],
            languages=sorted({a.lang or "?" for a in members}),
        )
        store.put_coverage(sid, "en", coverage_key(members, "en"), coverage.to_dict())
    store.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


WRK_SCRIPT = """
local paths = %s
local i = 0
request = function()
  i = (i %% #paths) + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local fmt = 'RESULT {"requests": %%d, "errors": %%d, "p50": %%.2f, "p95": %%.2f, '
    .. '"p99": %%.2f, "rps": %%.1f}\\n'
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout
  io.write(string.format(fmt, summary.requests, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6)))
end
"""


def run_wrk(base: str, paths: list[str], seconds: int, connections: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT % ("{" + ",".join(json.dumps(p) for p in paths) + "}"))
        script = fh.name
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script, base],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(script)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    return dict(json.loads(line[7:]))


def run_python(base: str, paths: list[str], seconds: int, connections: int) -> dict[str, float]:
    """A bounded closed-loop load: ``connections`` threads, at most ``seconds`` and 5000 requests."""
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors = 0

    def worker(offset: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=10) as client:
            i = offset
            while time.monotonic() < deadline and len(latencies) < 5000:
                t = time.perf_counter()
                r = client.get(paths[i % len(paths)])
                latencies.append((time.perf_counter() - t) * 1000)
                errors += r.status_code >= 400
                i += connections

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(worker, range(connections)))
    q = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "errors": errors,
        "p50": q[49],
        "p95": q[94],
        "p99": q[98],
        "rps": len(latencies) / seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="babelwire-bench-web.db")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args()
    rng = random.Random(11)

    existing = SQLiteStore(args.db).count_articles() if Path(args.db).exists() else 0
    if existing < args.articles:
        for suffix in ("", "-wal", "-shm"):
            Path(args.db + suffix).unlink(missing_ok=True)
        print(f"generating {args.articles} articles into {args.db}", file=sys.stderr)
        generate(args.db, args.articles)
    store = SQLiteStore(args.db)
    ids = [r[0] for r in store.conn.execute("SELECT id FROM stories ORDER BY random() LIMIT 300")]
    vocab_rows = store.conn.execute("SELECT title, lang FROM articles ORDER BY random() LIMIT 400").fetchall()
    outlet = json.loads(store.conn.execute("SELECT sources FROM stories LIMIT 1").fetchone()[0])[0]
    store.close()
    cache_coverage(args.db, ids, rng)

    story_paths = [f"/stories/{i}" for i in ids]
    list_paths = [
        "/",
        "/?window=7d",
        "/?window=all&sort=recent",
        "/?window=3d&lang=sv",
        "/?window=7d&sort=languages",
        "/?window=all&page=3",
        "/api/stories?window=7d",
        "/?window=30d&source=" + outlet.replace(" ", "+"),
    ]
    queries = sorted({" ".join(t.split()[1:3]) for t, _ in vocab_rows})
    search_paths = [f"/search?q={q.replace(' ', '+')}" for q in queries] + [
        f"/api/search?q={q.replace(' ', '+')}" for q in queries[:50]
    ]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_API_TOKEN")}
    server = subprocess.Popen(
        [str(REPO / ".venv/bin/babelwire"), "serve", "--db", args.db, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            for _ in range(300):
                try:
                    client.get("/api/stories")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            t = time.perf_counter()
            client.get("/api/search", params={"q": "warm up"})
            warm = time.perf_counter() - t
            for path in list_paths + story_paths[:20] + search_paths[:5]:
                client.get(path)
        tool = args.tool if args.tool != "auto" else ("wrk" if shutil.which("wrk") else "python")
        runner = run_wrk if tool == "wrk" else run_python
        print(f"first search (model load + {args.articles} vectors indexed): {warm:.1f} s", file=sys.stderr)
        print(
            f"load: {tool}, {args.connections} connections, {args.seconds} s per page class, "
            f"loadavg {os.getloadavg()[0]:.1f}\n"
        )
        print("| page | requests | errors | req/s | p50 ms | p95 ms | p99 ms |")
        print("|---|---|---|---|---|---|---|")
        for name, paths in (
            ("stories list", list_paths),
            ("story page", story_paths),
            ("search", search_paths),
        ):
            r = runner(base, paths, args.seconds, args.connections)
            print(
                f"| {name} | {r['requests']:.0f} | {r['errors']:.0f} | {r['rps']:.1f} | {r['p50']:.1f} | "
                f"{r['p95']:.1f} | {r['p99']:.1f} |",
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
