"""Housekeeping forgets old articles nobody needs (PANTAU_FORGET_AFTER_DAYS): a true plateau.

An unflagged, unlabelled article in no story and never alerted is deleted entirely after the
retention period (row, search index entries, URL aliases); its URLs are remembered as 8-byte
fingerprints so that a feed carrying one of them again neither stores nor alerts it again.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from crawler import housekeeping as hk
from crawler.store import MIGRATIONS, Store
from tests.crawler.conftest import db_rows, make_env, run_pantau, write_sources

NOW = datetime.now(timezone.utc).replace(microsecond=0)


def _iso(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).isoformat()


def _article(tag: str, days_ago: float, match: int = 0, word: str = "") -> dict:
    when = _iso(days_ago)
    body = " ".join(f"kalimat {tag} nomor {k} tentang harga cabai {word} di pasar kota." for k in range(40))
    return {"url": f"https://berita.example/{tag}", "title": f"Berita {tag} {word}", "text": body,
            "summary": body[:150], "outlet": "Contoh", "source": "contoh", "published": when, "fetched": when,
            "match": match, "score": 0.9 if match else 0.1, "reasons": [], "companies": [], "jobs_cut": None,
            "percent": None}


def _aliases(tag: str) -> list[str]:
    return [f"https://feed.example/{tag}?utm_source=rss", f"guid-{tag}"]


def _orphans(store: Store) -> int:
    return store.db.execute("SELECT COUNT(*) FROM article_urls u WHERE NOT EXISTS "
                            "(SELECT 1 FROM articles a WHERE a.id = u.article_id)").fetchone()[0]


def _hits(store: Store, table: str, word: str) -> list[int]:
    return [r[0] for r in store.db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", [word]).fetchall()]


def test_forgotten_articles_leave_no_search_hits_and_no_aliases(tmp_path):
    store = Store.open(tmp_path / "pantau.db")
    old = [store.insert_article(_article(f"lama{i}", 400, word="durian"), _aliases(f"lama{i}"))[0] for i in range(12)]
    kept = [store.insert_article(_article(f"baru{i}", 100, word="rambutan"), _aliases(f"baru{i}"))[0]
            for i in range(5)]
    with store.write():  # an alias written by other code, without the store's helpers
        store.db.execute("INSERT INTO article_urls (url, article_id) VALUES ('https://lain.example/x', ?)", [old[4]])
    assert len(_hits(store, "articles_fts", "durian")) == 12
    report = hk.housekeeping(store, prune_days=90, now=NOW, forget_days=365)
    assert report.forgotten == 12
    assert report.pruned == 5  # the younger ones lose only their text
    marks = ",".join("?" * len(old))
    assert store.db.execute(f"SELECT COUNT(*) FROM articles WHERE id IN ({marks})", old).fetchone()[0] == 0
    assert store.db.execute(f"SELECT COUNT(*) FROM article_urls WHERE article_id IN ({marks})", old).fetchone()[0] == 0
    assert _orphans(store) == 0
    assert _hits(store, "articles_fts", "durian") == []  # neither text nor title is found any more
    assert _hits(store, "articles_fts", "lama0") == []
    assert sorted(_hits(store, "articles_fts", "rambutan")) == kept  # pruned: the title stays searchable
    store.db.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
    store.db.execute("INSERT INTO flagged_fts(flagged_fts) VALUES('integrity-check')")
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # back on after the run
    assert store.counts() == {"articles": 5, "flagged": 0}
    # every URL it was known under is still recognised: a feed carrying it again is skipped
    urls = ["https://berita.example/lama3", *_aliases("lama3"), "https://berita.example/tidak-pernah"]
    assert store.known_urls(urls) == set(urls[:3])
    assert store.known_urls(["https://lain.example/x"]) == {"https://lain.example/x"}
    assert store.article_id_for(urls[:3]) is None
    again = hk.housekeeping(store, prune_days=90, now=NOW, forget_days=365)  # re-runnable
    assert (again.forgotten, again.pruned) == (0, 0)
    store.close()


def test_flagged_labelled_story_and_alerted_articles_are_kept(tmp_path):
    store = Store.open(tmp_path / "pantau.db")
    ids = {tag: store.insert_article(_article(tag, 500, match=int(tag == "flagged"), word="nangka"), _aliases(tag))[0]
           for tag in ("flagged", "labelled", "story", "alerted", "plain")}
    with store.write():
        story = store.db.execute("INSERT INTO stories (title, first_reported, last_reported, created) "
                                 "VALUES ('x', ?, ?, ?)", [_iso(500)] * 3).lastrowid
        store.db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [story, ids["story"]])
        store.db.execute("UPDATE articles SET label = 0, label_by = 'redaksi', label_at = ? WHERE id = ?",
                         [_iso(499), ids["labelled"]])
        store.db.execute("INSERT INTO alerts (article_id, chat_id, kind, status, created) "
                         "VALUES (?, 'editors', 'grey', 'sent', ?)", [ids["alerted"], _iso(500)])
    report = hk.housekeeping(store, prune_days=90, now=NOW, forget_days=365)
    assert report.forgotten == 1
    left = {r[0] for r in store.db.execute("SELECT id FROM articles").fetchall()}
    assert left == {ids[t] for t in ("flagged", "labelled", "story", "alerted")}
    for tag in ("flagged", "labelled", "story", "alerted"):  # with every alias
        assert store.article_id_for(_aliases(tag)[:1]) == ids[tag]
        assert store.article_id_for(_aliases(tag)[1:]) == ids[tag]
    assert store.article(ids["flagged"])["text"].startswith("kalimat")  # flagged text is never pruned
    assert _hits(store, "flagged_fts", "nangka") == [ids["flagged"]]
    assert _orphans(store) == 0
    store.close()


def test_forget_after_zero_keeps_everything(tmp_path):
    store = Store.open(tmp_path / "pantau.db")
    for i in range(6):
        store.insert_article(_article(f"tua{i}", 3000), _aliases(f"tua{i}"))
    report = hk.housekeeping(store, prune_days=90, now=NOW, forget_days=0)
    assert report.forgotten == 0 and report.pruned == 6
    assert store.counts()["articles"] == 6
    assert store.db.execute("SELECT COUNT(*) FROM article_urls").fetchone()[0] == 18
    assert "never" in report.summary()
    store.close()


def test_forgetting_runs_in_bounded_write_transactions(tmp_path, monkeypatch):
    """Several processes write the file: a run takes the write lock (BEGIN IMMEDIATE) per batch,
    never for the whole backlog, and a writer of another connection gets in between."""
    path = tmp_path / "pantau.db"
    store = Store.open(path)
    with store.write():
        for i in range(50):
            store.insert_article(_article(f"tua{i}", 400), _aliases(f"tua{i}"))
    monkeypatch.setattr(hk, "BATCH", 7)
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    other = Store.open(path)
    real = hk._forget_batch

    def batch_then_other_writer(*args, **kwargs):
        n = real(*args, **kwargs)
        if n:  # the lock is free between batches: another process stores an article
            other.insert_article(_article(f"lain{len(statements)}", 0), [])
        return n

    monkeypatch.setattr(hk, "_forget_batch", batch_then_other_writer)
    report = hk.housekeeping(store, prune_days=90, now=NOW, forget_days=365)
    store.conn.set_trace_callback(None)
    assert report.forgotten == 50
    deletes = {s for s in statements if s.startswith("DELETE FROM articles")}  # (triggers trace it again)
    assert len(deletes) == 8  # ceil(50 / 7)
    begins = [s for s in statements if s == "BEGIN IMMEDIATE"]
    assert len(begins) >= len(deletes)
    assert other.counts()["articles"] == 8
    other.close()
    store.close()


def test_forgotten_urls_are_remembered_while_feeds_carry_them(tmp_path):
    """The fingerprint of a forgotten URL lasts PANTAU_FORGET_AFTER_DAYS after a feed last carried
    it (the crawler's look-up refreshes it, once a day at most), then it goes too: a true plateau."""
    store = Store.open(tmp_path / "pantau.db")
    store.insert_article(_article("dibawa", 400), [])
    store.insert_article(_article("hilang", 400), [])
    hk.housekeeping(store, prune_days=90, now=NOW, forget_days=365)
    assert store.db.execute("SELECT COUNT(*) FROM forgotten_urls").fetchone()[0] == 2
    # a feed still carries one of them, a year later
    later = NOW + timedelta(days=300)
    assert store.known_urls(["https://berita.example/dibawa"], today=later) == {"https://berita.example/dibawa"}
    report = hk.housekeeping(store, prune_days=90, now=NOW + timedelta(days=366), forget_days=365)
    assert report.urls_expired == 1
    assert store.known_urls(["https://berita.example/hilang", "https://berita.example/dibawa"]) == \
        {"https://berita.example/dibawa"}
    report = hk.housekeeping(store, prune_days=90, now=later + timedelta(days=366), forget_days=365)
    assert report.urls_expired == 1
    assert store.db.execute("SELECT COUNT(*) FROM forgotten_urls").fetchone()[0] == 0
    store.close()


def test_forget_migrations_are_rerunnable_and_index_only_other_aliases(tmp_path):
    """An article's aliases equal to its own URL or GUID are found by key; only the others (feed
    links with tracking parameters, aggregator links, redirects) are in the index by article id,
    so the index costs little for the articles that are kept."""
    store = Store.open(tmp_path / "pantau.db")
    a, _ = store.insert_article(_article("satu", 1) | {"guid": "guid-satu"}, _aliases("satu"))
    store.add_aliases(a, ["https://agregator.example/satu"])
    store.close()
    store = Store.open(tmp_path / "pantau.db")
    names = [n for n, _ in MIGRATIONS if "forget" in n]
    assert len(names) >= 1
    for name in names:
        with store.write():
            dict(MIGRATIONS)[name](store.db)
    assert not store.db.execute("SELECT name FROM sqlite_master WHERE name = 'idx_article_urls_article'").fetchone()
    assert store.article_id_for(_aliases("satu")) == a
    own = dict(store.db.execute("SELECT url, own FROM article_urls WHERE article_id = ?", [a]).fetchall())
    assert own == {"https://berita.example/satu": 1, "guid-satu": 1,
                   "https://feed.example/satu?utm_source=rss": None, "https://agregator.example/satu": None}
    sql = "SELECT url FROM article_urls WHERE article_id = ? AND own IS NULL"
    plan = " ".join(r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, [a]).fetchall())
    assert "idx_article_urls_extra" in plan, plan
    assert sorted(r[0] for r in store.db.execute(sql, [a]).fetchall()) == \
        ["https://agregator.example/satu", "https://feed.example/satu?utm_source=rss"]
    store.close()


def test_candidates_are_read_from_an_index(tmp_path):
    store = Store.open(tmp_path / "pantau.db")
    with store.write():
        for i in range(300):
            store.insert_article(_article(f"a{i}", 400 - i, match=int(i % 50 == 0)), [])
    store.db.execute("ANALYZE")
    sql = hk._candidates_sql(store)
    plan = [r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, [_iso(365), "", 10]).fetchall()]
    assert not any(p.startswith("SCAN a") or p == "SCAN articles" for p in plan), plan
    assert any("idx_articles_fetched" in p for p in plan), plan
    store.close()


# -- the command ------------------------------------------------------------------------------

def _old_db(env: dict, n: int = 3) -> None:
    store = Store.open(env["PANTAU_DB"])
    for i in range(n):
        store.insert_article(_article(f"tua{i}", 800), _aliases(f"tua{i}"))
    store.insert_article(_article("baru", 10), [])
    store.close()


def test_command_prints_a_line_for_forgotten_articles(tmp_path):
    env = make_env(tmp_path)
    _old_db(env)
    r = run_pantau("housekeeping", env=env)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("housekeeping: pruned text of 0 old unflagged articles")  # the old contract
    assert any(line.startswith("housekeeping: forgot 3 articles") and "365 days" in line for line in lines), lines
    assert db_rows(env["PANTAU_DB"], "SELECT COUNT(*) AS n FROM articles")[0]["n"] == 1


def test_command_with_forgetting_off(tmp_path):
    env = make_env(tmp_path, PANTAU_FORGET_AFTER_DAYS="0")
    _old_db(env)
    r = run_pantau("housekeeping", env=env)
    assert r.returncode == 0, r.stderr
    assert "pruned text of 3 old unflagged articles" in r.stdout
    assert "forgetting is off" in r.stdout
    assert db_rows(env["PANTAU_DB"], "SELECT COUNT(*) AS n FROM articles")[0]["n"] == 4


@pytest.mark.parametrize("value, says", [("setahun", "is not a whole number"), ("-5", "must be at least 0"),
                                         ("36.5", "must be a whole number")])
def test_bad_setting_is_refused_with_a_clear_message(tmp_path, value, says):
    env = make_env(tmp_path, PANTAU_FORGET_AFTER_DAYS=value)
    _old_db(env)
    r = run_pantau("housekeeping", env=env)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [f"error: PANTAU_FORGET_AFTER_DAYS={value!r} {says}"]
    assert "Traceback" not in r.stderr
    assert db_rows(env["PANTAU_DB"], "SELECT COUNT(*) AS n FROM articles")[0]["n"] == 4  # nothing lost


# -- end to end: a forgotten URL re-published in a feed ----------------------------------------

TITLE_PLAIN = "Harga Cabai Rawit di Pasar Induk Naik Lagi Menjelang Akhir Pekan"
TITLE_AI = "StartupKita PHK 250 Karyawan, Layanan Pelanggan Kini Ditangani AI"
PARAS_PLAIN = [  # written for this test
    "Harga cabai rawit di pasar induk kembali naik pada pekan ini karena pasokan dari daerah penghasil "
    "berkurang setelah hujan deras melanda sejumlah sentra pertanian.",
    "Pedagang menyebut kenaikan harga sudah terjadi sejak awal bulan dan pembeli mulai mengurangi belanja.",
    "Dinas perdagangan berjanji memantau pasokan agar harga kembali normal dalam dua pekan ke depan.",
]
PARAS_AI = [  # written for this test
    "Perusahaan rintisan StartupKita memutuskan hubungan kerja terhadap 250 karyawan karena layanan "
    "pelanggan kini ditangani sistem kecerdasan buatan (AI).",
    "Manajemen StartupKita menyebut PHK tersebut bagian dari efisiensi setelah perusahaan beralih ke "
    "otomatisasi berbasis AI untuk menjawab pertanyaan pelanggan.",
    "Serikat pekerja menilai PHK karena AI ini menjadi peringatan bagi pekerja sektor teknologi lainnya.",
]


def _page(title: str, paras: list[str], published: datetime) -> str:
    return ("<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>" + title
            + f"</title><meta property=\"article:published_time\" content=\"{published.isoformat()}\"></head>"
            f"<body><article><h1>{title}</h1>" + "".join(f"<p>{p}</p>" for p in paras) + "</article></body></html>")


def _feed(news, items: list[tuple[str, str, datetime]]) -> None:
    body = "".join(f"<item><title>{t}</title><link>{news.url}{p}</link><guid>{news.url}{p}</guid>"
                   f"<pubDate>{format_datetime(d)}</pubDate><description>{t}</description></item>"
                   for t, p, d in items)
    news.put("/lupa/rss.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kabar Lupa</title><link>{news.url}/lupa/</link><description>uji</description>
{body}</channel></rss>""", content_type="application/rss+xml")


def test_a_republished_forgotten_url_is_neither_stored_nor_alerted_again(news, tmp_path):
    env = make_env(tmp_path)
    plain, ai = "/lupa/berita/harga-cabai.html", "/lupa/berita/startupkita-phk.html"
    first = datetime.now(timezone.utc) - timedelta(hours=5)
    news.put(plain, _page(TITLE_PLAIN, PARAS_PLAIN, first), content_type="text/html; charset=utf-8")
    news.put(ai, _page(TITLE_AI, PARAS_AI, first), content_type="text/html; charset=utf-8")
    _feed(news, [(TITLE_PLAIN, plain, first), (TITLE_AI, ai, first)])
    write_sources(env["PANTAU_SOURCES"], [{"name": "lupa", "url": news.url + "/lupa/rss.xml"}])
    assert run_pantau("crawl", env=env).returncode == 0
    rows = db_rows(env["PANTAU_DB"], "SELECT id, title, match FROM articles ORDER BY id")
    assert sorted((r["title"], r["match"]) for r in rows) == sorted([(TITLE_PLAIN, 0), (TITLE_AI, 1)])
    alerts = db_rows(env["PANTAU_DB"], "SELECT * FROM alerts")
    assert len(alerts) >= 1
    # a year and a half later (the articles' fetch time moved back), housekeeping forgets the plain one
    conn = sqlite3.connect(env["PANTAU_DB"])
    with conn:
        conn.execute("UPDATE articles SET fetched = ?, published = ?", [_iso(550), _iso(550)])
    conn.close()
    r = run_pantau("housekeeping", env=env)
    assert r.returncode == 0, r.stderr
    assert "forgot 1 articles" in r.stdout
    assert [x["title"] for x in db_rows(env["PANTAU_DB"], "SELECT title FROM articles")] == [TITLE_AI]
    # both URLs re-published today; the forgotten page now even reads like an AI-layoff story
    again = datetime.now(timezone.utc) - timedelta(hours=1)
    news.put(plain, _page(TITLE_AI.replace("StartupKita", "PasarKita"), PARAS_AI, again),
             content_type="text/html; charset=utf-8")
    _feed(news, [(TITLE_PLAIN, plain, again), (TITLE_AI, ai, again)])
    before = len(news.hits(plain))
    assert run_pantau("crawl", env=env).returncode == 0
    assert len(news.hits(plain)) == before  # not even fetched
    assert [x["title"] for x in db_rows(env["PANTAU_DB"], "SELECT title FROM articles")] == [TITLE_AI]
    assert len(db_rows(env["PANTAU_DB"], "SELECT * FROM alerts")) == len(alerts)


def test_an_alias_for_an_article_forgotten_meanwhile_is_dropped_quietly(tmp_path):
    """The crawler looks an old URL up (article id), housekeeping in another process forgets that
    article, then the crawler adds the entry's other keys to it: nothing is stored, nothing fails."""
    path = tmp_path / "pantau.db"
    crawler_side = Store.open(path)
    a, _ = crawler_side.insert_article(_article("tua", 400), _aliases("tua"))
    existing = crawler_side.article_id_for(["https://berita.example/tua"])
    assert existing == a
    housekeeper = Store.open(path)
    assert hk.housekeeping(housekeeper, prune_days=90, now=NOW, forget_days=365).forgotten == 1
    housekeeper.close()
    crawler_side.add_aliases(existing, ["https://berita.example/tua", "https://agregator.example/tua"])
    assert _orphans(crawler_side) == 0
    assert crawler_side.known_urls(["https://agregator.example/tua"]) == set()
    crawler_side.close()


def test_a_page_that_lands_on_a_forgotten_url_is_not_stored_again(tmp_path):
    """A new feed link (say, another tracking parameter) that redirects to a forgotten article's
    URL is fetched (the crawler cannot know before), but not stored again."""
    store = Store.open(tmp_path / "pantau.db")
    store.insert_article(_article("tua", 400), _aliases("tua"))
    hk.housekeeping(store, prune_days=90, now=NOW, forget_days=365)
    again = _article("tua", 0, match=1)
    assert store.insert_article(again, ["https://feed.example/tua?utm_source=lain"]) == (None, False)
    assert store.counts()["articles"] == 0
    assert store.db.execute("SELECT COUNT(*) FROM article_urls").fetchone()[0] == 0
    fresh, created = store.insert_article(_article("baru", 0), ["https://feed.example/baru"])
    assert created and store.article(fresh)["url"] == "https://berita.example/baru"
    store.close()
