"""Crawl benchmark: the full pipeline vs. a bare Scrapy fetch of the same pages.

    .venv/bin/python bench/crawl.py [--articles 400] [--feeds 20] [--profile] [--workers auto|N] [--compare]
                                    [--rounds N]

Generates N article pages across F RSS feeds in a temporary directory, serves
them with the test ``NewsServer`` (ETag/Last-Modified/304 like a real site),
then reports:

- the first crawl (``pantau crawl``, PANTAU_POLITE=0): articles/s;
- a bare Scrapy spider in a subprocess fetching the same feed + page URLs
  with the same concurrency and robots.txt handling, no processing: pages/s;
- the ratio pipeline/bare (target ≥ 0.5);
- an unchanged re-crawl: number of HTTP requests (target: one per feed plus
  robots.txt, nothing else).

``--workers`` sets PANTAU_CRAWL_WORKERS for the pipeline crawl (default: the
setting's default, ``auto``: page work in ``cpu_count - 1`` worker processes);
``--compare`` also runs the pipeline with the page work in the crawl process
(``PANTAU_CRAWL_WORKERS=0``, a fresh database) and reports both ratios from
the same run. ``--rounds N`` repeats the pair (bare fetch, then a first crawl
into a fresh database) N times, interleaved, and reports every round's wall
ratio and their median: on a shared two-core machine one pair can swing by
±0.15 with what else runs. CPU time includes the worker processes (they are children of
the crawl process and reaped by it). ``--profile`` profiles the crawl's main
process only.

Figures only: nothing is asserted. Both sides are timed as whole
subprocesses (interpreter + Scrapy start-up included) and, separately, by
their own in-process clock.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.news_server import NewsServer  # noqa: E402

PANTAU = Path(sys.executable).parent / "pantau"

WORDS = ("perusahaan teknologi karyawan kecerdasan buatan otomatisasi pemutusan hubungan kerja startup "
         "pendanaan investor layanan pelanggan chatbot pabrik pekerja pemerintah digital aplikasi data "
         "pasar ekonomi jakarta bandung surabaya rupiah triliun miliar tahun bulan minggu kebijakan").split()
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def sentence(rng: random.Random, n: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def article_html(rng: random.Random, feed: int, i: int, title: str, day: int) -> str:
    paras = "\n".join(f"<p>{' '.join(sentence(rng) for _ in range(3))}</p>" for _ in range(8))
    related = "".join(f'<li><a href="/f{feed}/lain-{k}.html">{sentence(rng, 8)}</a></li>' for k in range(6))
    return textwrap.dedent(f"""\
        <!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{title} - Situs {feed}</title>
        <meta property="og:title" content="{title}"><meta property="og:site_name" content="Situs {feed}">
        <meta name="author" content="Penulis {i % 7}">
        <meta property="article:published_time" content="2025-10-{day:02d}T{i % 24:02d}:15:00+07:00">
        <link rel="canonical" href="{{{{BASE}}}}/f{feed}/berita/{i}.html"></head><body>
        <header><nav><a href="/">Beranda</a> <a href="/tekno">Tekno</a> <a href="/bisnis">Bisnis</a></nav></header>
        <div class="ads-slot">ADVERTISEMENT</div>
        <article><h1>{title}</h1><div class="date">Senin, {day} Okt 2025 10:00 WIB</div>
        {paras}
        <p><strong>Baca juga:</strong> <a href="/f{feed}/lain.html">{sentence(rng, 7)}</a></p>
        </article><aside class="sidebar"><h2>Terpopuler</h2><ul>{related}</ul></aside>
        <section class="komentar"><p>Belum ada komentar.</p></section>
        <footer>&copy; 2025 Situs {feed}</footer></body></html>
        """)


def generate(root: Path, n_articles: int, n_feeds: int) -> tuple[list[str], list[str]]:
    """Write feeds and pages; returns (feed paths, page paths)."""
    rng = random.Random(42)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    feeds: dict[int, list[str]] = {f: [] for f in range(n_feeds)}
    pages: list[str] = []
    for i in range(n_articles):
        f = i % n_feeds
        day = 1 + i % 28
        title = f"{sentence(rng, 9)[:-1]} ({i})"
        if i % 5 == 0:
            title = f"Perusahaan {i} PHK {100 + i} Karyawan, Tugas Diambil Alih AI"
        path = f"/f{f}/berita/{i}.html"
        (root / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (root / path.lstrip("/")).write_text(article_html(rng, f, i, title, day), encoding="utf-8")
        pages.append(path)
        feeds[f].append(
            f"<item><title>{title}</title><link>{{{{BASE}}}}{path}?utm_source=rss&amp;utm_medium=feed</link>"
            f"<guid isPermaLink=\"false\">f{f}-{i}</guid>"
            f"<pubDate>Mon, {day:02d} Oct 2025 {i % 24:02d}:15:00 +0700</pubDate>"
            f"<description>{sentence(rng)}</description></item>")
    feed_paths = []
    for f, items in feeds.items():
        path = f"/f{f}/rss.xml"
        (root / path.lstrip("/")).write_text(
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Situs {f}</title><link>{{{{BASE}}}}/f{f}/</link><description>x</description>"
            + "".join(items) + "</channel></rss>", encoding="utf-8")
        feed_paths.append(path)
    return feed_paths, pages


BARE_SPIDER = '''
import json, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess

urls = json.load(open(sys.argv[1]))
stats = {"ok": 0, "failed": 0}

class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for u in urls:
            yield scrapy.Request(u, callback=self.done, errback=self.fail, dont_filter=True)
    def done(self, response):
        stats["ok"] += 1
    def fail(self, failure):
        stats["failed"] += 1

settings = json.loads(sys.argv[2])
process = CrawlerProcess(settings)
t = time.monotonic()
process.crawl(Bare)
process.start()
stats["seconds"] = time.monotonic() - t
print(json.dumps(stats))
'''


def bare_settings() -> dict:
    from crawler.config import Settings
    from crawler.crawl import scrapy_settings

    s = scrapy_settings(Settings(env={"PANTAU_POLITE": "0"}, dotenv=None))
    keep = ("USER_AGENT", "ROBOTSTXT_OBEY", "ROBOTSTXT_USER_AGENT", "AUTOTHROTTLE_ENABLED", "DOWNLOAD_DELAY",
            "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN", "DOWNLOAD_TIMEOUT", "DOWNLOAD_MAXSIZE",
            "RETRY_TIMES", "COOKIES_ENABLED", "TELNETCONSOLE_ENABLED", "LOG_ENABLED", "LOG_LEVEL")
    return {k: s[k] for k in keep if k in s}


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _own_cpu() -> float:
    """CPU of this process: the test news server's threads while a crawl runs."""
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def print_profile(path: Path, top: int = 25) -> None:
    """The pipeline's top costs: the project's functions by cumulative time, then all by own time."""
    import io
    import pstats

    for key, only in (("cumulative", r"/(crawler|bot)/"), ("tottime", "")):
        out = io.StringIO()
        stats = pstats.Stats(str(path), stream=out).sort_stats(key)
        stats.print_stats(only, top) if only else stats.print_stats(top)
        lines = out.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print(f"\n-- profile of the pipeline crawl, by {key}{' (project code)' if only else ''} --")
        print("\n".join(lines[start:start + top + 1]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--feeds", type=int, default=20)
    ap.add_argument("--profile", action="store_true",
                    help="run the pipeline crawl under cProfile and print its top costs")
    ap.add_argument("--workers", default=None, help="PANTAU_CRAWL_WORKERS for the pipeline crawl (default: auto)")
    ap.add_argument("--compare", action="store_true",
                    help="also run the pipeline with PANTAU_CRAWL_WORKERS=0 (in-process page work)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="bare fetch + first crawl pairs, interleaved; the median wall ratio is reported")
    args = ap.parse_args(argv)
    rounds: list[tuple[float, float, float]] = []  # (bare wall, pipeline wall, ratio) of rounds 2..N
    with tempfile.TemporaryDirectory(prefix="pantau-bench-") as tmp_s:
        tmp = Path(tmp_s)
        site = tmp / "site"
        site.mkdir()
        feed_paths, page_paths = generate(site, args.articles, args.feeds)
        with NewsServer(root=site) as srv:
            sources = "".join(f'[[source]]\nname = "situs{i}"\nurl = "{srv.url}{p}"\n\n'
                              for i, p in enumerate(feed_paths))
            (tmp / "sources.toml").write_text(sources)
            per_feed = -(-args.articles // args.feeds)
            env = {k: v for k, v in os.environ.items() if not k.startswith(("PANTAU_", "TELEGRAM_"))}
            env.update(PANTAU_DB=str(tmp / "bench.db"), PANTAU_SOURCES=str(tmp / "sources.toml"),
                       PANTAU_POLITE="0", PANTAU_MAX_ITEMS_PER_SOURCE=str(max(60, per_feed)),
                       PANTAU_LOG_LEVEL="INFO",
                       # the crawl's time limit (240 s by default) would cut a big run on a busy machine
                       # and the ratio would be of a partial crawl (issue 15: 3,475 of 5,000 stored)
                       PANTAU_CRAWL_TIMEOUT=str(max(240, args.articles)))
            if args.workers is not None:
                env["PANTAU_CRAWL_WORKERS"] = args.workers

            # 1. bare Scrapy fetch of the same URLs (run first: nothing is cached either way)
            urls = [srv.url + p for p in feed_paths] + [srv.url + p + "?utm_source=rss&utm_medium=feed"
                                                         for p in page_paths]
            (tmp / "urls.json").write_text(json.dumps(urls))
            (tmp / "bare.py").write_text(BARE_SPIDER)
            t, cpu, own = time.monotonic(), _children_cpu(), _own_cpu()
            proc = subprocess.run([sys.executable, str(tmp / "bare.py"), str(tmp / "urls.json"),
                                   json.dumps(bare_settings())], capture_output=True, text=True, cwd=tmp)
            bare_wall, bare_cpu, bare_srv = time.monotonic() - t, _children_cpu() - cpu, _own_cpu() - own
            if proc.returncode != 0:
                print(proc.stderr[-2000:], file=sys.stderr)
                return 1
            bare = json.loads(proc.stdout.strip().splitlines()[-1])
            srv.clear_log()

            # 2. the pipeline, first crawl
            t, cpu, own = time.monotonic(), _children_cpu(), _own_cpu()
            cmd = [str(PANTAU), "crawl"]
            if args.profile:
                cmd = [sys.executable, "-m", "cProfile", "-o", str(tmp / "crawl.prof"), "-m", "crawler", "crawl"]
                env["PYTHONPATH"] = str(ROOT)
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tmp)
            pipe_wall, pipe_cpu, pipe_srv = time.monotonic() - t, _children_cpu() - cpu, _own_cpu() - own
            if args.profile and proc.returncode == 0:
                import shutil

                (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
                shutil.copy(tmp / "crawl.prof", ROOT / "bench" / "out" / "crawl.prof")  # for pstats later
                print_profile(tmp / "crawl.prof")
            if proc.returncode != 0:
                print(proc.stdout, proc.stderr[-2000:], file=sys.stderr)
                return 1
            summary = proc.stdout.strip().splitlines()[0]
            worker_line = next((line.split("pantau.crawl: ", 1)[-1] for line in proc.stderr.splitlines()
                                if "page workers:" in line), None)
            m = re.search(r"(\d+) new articles .* in ([\d.]+) s", summary)
            stored, pipe_inner = int(m.group(1)), float(m.group(2))
            first_requests = len(srv.requests)

            # 3. unchanged re-crawl
            srv.clear_log()
            proc = subprocess.run([str(PANTAU), "crawl"], env=env, capture_output=True, text=True, cwd=tmp)
            recrawl = srv.requests
            non304 = [r for r in recrawl if r.status != 304 and r.path != "/robots.txt"]

            # 4. optionally: the pipeline again with the page work in the crawl process (fresh database)
            inproc = None
            if args.compare:
                env0 = dict(env, PANTAU_CRAWL_WORKERS="0", PANTAU_DB=str(tmp / "bench-inprocess.db"))
                env0.pop("PYTHONPATH", None)
                t, cpu = time.monotonic(), _children_cpu()
                proc = subprocess.run([str(PANTAU), "crawl"], env=env0, capture_output=True, text=True, cwd=tmp)
                wall0, cpu0 = time.monotonic() - t, _children_cpu() - cpu
                m0 = re.search(r"(\d+) new articles .* in ([\d.]+) s", proc.stdout)
                if proc.returncode == 0 and m0:
                    inproc = (int(m0.group(1)), float(m0.group(2)), wall0, cpu0)

            # 5. optionally: more (bare, first crawl) pairs, each crawl into a fresh database
            for k in range(2, args.rounds + 1):
                t = time.monotonic()
                proc = subprocess.run([sys.executable, str(tmp / "bare.py"), str(tmp / "urls.json"),
                                       json.dumps(bare_settings())], capture_output=True, text=True, cwd=tmp)
                bwall = time.monotonic() - t
                envk = dict(env, PANTAU_DB=str(tmp / f"bench-round{k}.db"))
                envk.pop("PYTHONPATH", None)
                t = time.monotonic()
                procp = subprocess.run([str(PANTAU), "crawl"], env=envk, capture_output=True, text=True, cwd=tmp)
                pwall = time.monotonic() - t
                mk = re.search(r"(\d+) new articles", procp.stdout)
                if proc.returncode == 0 and procp.returncode == 0 and mk:
                    rounds.append((bwall, pwall, int(mk.group(1)) / pwall / (args.articles / bwall)))

    pages = args.articles
    bare_rate_wall = pages / bare_wall
    pipe_rate_wall = stored / pipe_wall
    bare_rate_inner = pages / bare["seconds"]
    pipe_rate_inner = stored / pipe_inner if pipe_inner else float("inf")
    from crawler.workers import worker_count

    workers = worker_count(env.get("PANTAU_CRAWL_WORKERS"))
    print(f"generated: {args.articles} articles in {args.feeds} feeds; PANTAU_CRAWL_WORKERS="
          f"{env.get('PANTAU_CRAWL_WORKERS', 'auto (default)')} = {workers} page worker process(es)")
    print(f"first crawl: {summary}")
    if worker_line:
        print(f"  {worker_line}")
    print(f"first crawl requests: {first_requests} (feeds {args.feeds} + pages {args.articles} + robots.txt)")
    print(f"pipeline: {stored} articles stored, {pipe_wall:.2f} s wall ({pipe_rate_wall:.1f} articles/s); "
          f"in-process {pipe_inner:.2f} s ({pipe_rate_inner:.1f} articles/s)")
    print(f"bare scrapy: {bare['ok']} responses ({bare['failed']} failed), {bare_wall:.2f} s wall "
          f"({bare_rate_wall:.1f} pages/s); in-process {bare['seconds']:.2f} s ({bare_rate_inner:.1f} pages/s)")
    print(f"ratio pipeline/bare: {pipe_rate_wall / bare_rate_wall:.2f} wall, "
          f"{pipe_rate_inner / bare_rate_inner:.2f} in-process (target >= 0.5)")
    print(f"CPU time (user+sys of the crawl process): pipeline {pipe_cpu:.2f} s ({pipe_cpu / max(stored, 1) * 1000:.1f} ms"
          f"/article), bare {bare_cpu:.2f} s ({bare_cpu / pages * 1000:.1f} ms/page); "
          f"ratio bare/pipeline per page {(bare_cpu / pages) / (pipe_cpu / max(stored, 1)):.2f}")
    print(f"news server CPU (this process, same machine): {bare_srv:.2f} s during the bare fetch, "
          f"{pipe_srv:.2f} s during the pipeline crawl ({bare_srv / pages * 1000:.1f} ms/page): on a 2-CPU "
          f"machine the server, the crawl and its page worker share the two cores")
    if inproc is not None:
        stored0, inner0, wall0, cpu0 = inproc
        print(f"pipeline with the page work in the crawl process (PANTAU_CRAWL_WORKERS=0, same run): "
              f"{stored0} stored, {wall0:.2f} s wall, in-process {inner0:.2f} s, CPU {cpu0:.2f} s; "
              f"ratio pipeline/bare {stored0 / wall0 / bare_rate_wall:.2f} wall, "
              f"{stored0 / inner0 / bare_rate_inner:.2f} in-process")
    if args.rounds > 1:
        import statistics

        ratios = [pipe_rate_wall / bare_rate_wall] + [r for _, _, r in rounds]
        print(f"rounds: {len(ratios)} (bare fetch, first crawl) pairs; wall ratios "
              f"{' '.join(f'{r:.2f}' for r in ratios)}; median {statistics.median(ratios):.2f} (target >= 0.5)")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    if stored < args.articles:
        print(f"WARNING: only {stored} of {args.articles} articles stored in the first crawl "
              f"(time limit PANTAU_CRAWL_TIMEOUT={env['PANTAU_CRAWL_TIMEOUT']} s reached?)")
    print(f"re-crawl requests: {len(recrawl)} (feeds: {args.feeds})")
    print(f"  of which robots.txt: {sum(r.path == '/robots.txt' for r in recrawl)}; "
          f"answered other than 304: {len(non304)} (target: robots.txt + one 304 per feed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
