"""SQLite storage (sqlite-utils): schema migrations and the queries every stage shares.

Rules:
- WAL journal, a 30 s busy timeout, and every multi-statement write inside
  ``Store.write()`` (``BEGIN IMMEDIATE``), so the crawler subprocess, the bot
  and a cron job can share one file safely.
- Schema changes are named migrations in ``MIGRATIONS``; each is recorded in
  ``_migrations`` and written so that running it again changes nothing.
- Every collected article is stored, flagged or not; ``articles_fts`` (FTS5
  over title and text) is kept in sync by triggers.
- ``article_urls`` maps every URL or GUID an article was seen under (raw feed
  link, canonical URL, GUID, aggregator link) to the article, so a story is
  fetched and stored once however many feeds carry it. URLs of an article
  housekeeping forgot (PANTAU_FORGET_AFTER_DAYS) stay known as fingerprints
  in ``forgotten_urls`` (``known_urls``), so they are not fetched again.
- Secrets are never written here.
- Storage failures are never hidden: a failed write rolls back and raises
  the *original* error (never "cannot rollback"); every command turns an
  SQLite error into one line (``db_error_message``) naming the file — a
  damaged file with the ``sqlite3 <file> .recover`` advice, a full disk or
  read-only file with "check free disk space and file permissions".
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up, issue 15)
if TYPE_CHECKING:
    import sqlite_utils


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def url_key(url: str) -> int:
    """The 8-byte fingerprint of a URL or GUID kept in ``forgotten_urls`` (signed 64-bit, blake2b)."""
    import hashlib

    return int.from_bytes(hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                          "big", signed=True)


def epoch_day(when: datetime | None = None) -> int:
    """Days since 1970-01-01 (UTC) of ``when`` (default: now): the day column of ``forgotten_urls``."""
    when = when or datetime.now(timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return int(when.timestamp() // 86400)


class DatabaseError(Exception):
    """The database cannot be opened or migrated; the message is one line."""


_CORRUPT = ("malformed", "not a database", "file is encrypted", "corrupt")
_NO_ROOM = ("full", "disk i/o error", "readonly", "read-only", "unable to open", "out of memory")


def rollback_quietly(conn: sqlite3.Connection) -> None:
    """Roll back the open transaction, if any, hiding a failed ROLLBACK: SQLite may already have
    rolled back (disk full, corruption), and a second ROLLBACK would raise "cannot rollback - no
    transaction is active" and hide the real error."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def db_error_message(exc: BaseException, path) -> str:
    """One line for an SQLite failure on ``path``: what happened and what to do.

    Damaged file → the ``sqlite3 <file> .recover`` advice; a failed write
    (disk full, read-only, I/O error) → check space and permissions."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    low = text.lower()
    if any(k in low for k in _CORRUPT):
        return (f"database {path} is damaged ({text}); recover what is left with: sqlite3 {path} .recover "
                f"| sqlite3 {path}.recovered — then replace {path} with {path}.recovered")
    if any(k in low for k in _NO_ROOM):
        return f"cannot write to database {path} ({text}): check free disk space and file permissions"
    return f"database {path}: {text}"


# -- migrations ------------------------------------------------------------

def _m001_initial(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE IF NOT EXISTS sources (
            name TEXT PRIMARY KEY,
            url TEXT,
            type TEXT,
            etag TEXT,
            last_modified TEXT,
            last_attempt TEXT,
            last_success TEXT,
            last_error TEXT,
            last_error_at TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            articles_found INTEGER NOT NULL DEFAULT 0,
            last_new INTEGER NOT NULL DEFAULT 0,
            next_attempt_after TEXT
        )""")
    db.execute("""
        CREATE TABLE IF NOT EXISTS articles (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            guid TEXT,
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT '',
            summary TEXT,
            source TEXT,
            outlet TEXT,
            author TEXT,
            language TEXT,
            published TEXT,
            fetched TEXT NOT NULL,
            extracted INTEGER NOT NULL DEFAULT 0,
            extract_error TEXT,
            content_hash TEXT,
            match INTEGER NOT NULL DEFAULT 0,
            score REAL,
            reasons TEXT,
            companies TEXT,
            jobs_cut INTEGER,
            percent REAL,
            rules_version TEXT,
            classified_at TEXT
        )""")
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_match_pub ON articles(match, published)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_fetched ON articles(fetched)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_hash ON articles(content_hash)")
    db.execute("""
        CREATE TABLE IF NOT EXISTS article_urls (
            url TEXT PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
        )""")
    db.execute("""
        CREATE TABLE IF NOT EXISTS crawls (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            finished TEXT,
            status TEXT NOT NULL DEFAULT 'running',
            sources_ok INTEGER NOT NULL DEFAULT 0,
            sources_failed INTEGER NOT NULL DEFAULT 0,
            sources_skipped INTEGER NOT NULL DEFAULT 0,
            new_articles INTEGER NOT NULL DEFAULT 0,
            flagged INTEGER NOT NULL DEFAULT 0,
            seconds REAL,
            error TEXT
        )""")
    db.execute("""
        CREATE TABLE IF NOT EXISTS meta (
            key TEXT PRIMARY KEY,
            value TEXT
        )""")
    if "articles_fts" not in db.table_names():  # what sqlite-utils' enable_fts() wrote, without importing it
        db.execute("CREATE VIRTUAL TABLE articles_fts USING FTS5 (title, text, "
                   "tokenize='unicode61 remove_diacritics 2', content='articles')")
        db.execute("INSERT INTO articles_fts (rowid, title, text) SELECT rowid, title, text FROM articles")
        db.execute("""
            CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
                INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
            END""")
        db.execute("""
            CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
                INSERT INTO articles_fts (articles_fts, rowid, title, text)
                    VALUES ('delete', old.rowid, old.title, old.text);
            END""")
        db.execute("""
            CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE ON articles BEGIN
                INSERT INTO articles_fts (articles_fts, rowid, title, text)
                    VALUES ('delete', old.rowid, old.title, old.text);
                INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
            END""")


def _m002_outbox(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE IF NOT EXISTS subscribers (
            chat_id TEXT PRIMARY KEY,
            title TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            keywords TEXT,
            daily INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            updated TEXT,
            deactivated_reason TEXT,
            last_digest TEXT
        )""")
    db.execute("""
        CREATE TABLE IF NOT EXISTS alerts (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            chat_id TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'alert',
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            message_id INTEGER,
            created TEXT NOT NULL,
            sent_at TEXT,
            next_attempt_after TEXT,
            UNIQUE(article_id, chat_id, kind)
        )""")
    db.execute("CREATE INDEX IF NOT EXISTS idx_alerts_status ON alerts(status)")


def _m003_stories(db) -> None:
    db.execute("""
        CREATE TABLE IF NOT EXISTS stories (
            id INTEGER PRIMARY KEY,
            company TEXT,
            company_key TEXT,
            companies TEXT,
            jobs_cut INTEGER,
            percent REAL,
            country TEXT,
            title TEXT,
            first_reported TEXT NOT NULL,
            last_reported TEXT NOT NULL,
            article_count INTEGER NOT NULL DEFAULT 0,
            grown INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            updated TEXT
        )""")
    db.execute("CREATE INDEX IF NOT EXISTS idx_stories_last ON stories(last_reported)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_stories_company ON stories(company_key, last_reported)")
    cols = {r[1] for r in db.execute("PRAGMA table_info(articles)").fetchall()}
    if "story_id" not in cols:
        db.execute("ALTER TABLE articles ADD COLUMN story_id INTEGER REFERENCES stories(id)")
    if "shingles" not in cols:
        db.execute("ALTER TABLE articles ADD COLUMN shingles TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_story ON articles(story_id)")




def _m004_alert_claims(db) -> None:
    cols = {row[1] for row in db.execute("PRAGMA table_info(alerts)").fetchall()}
    if "claimed_by" not in cols:
        db.execute("ALTER TABLE alerts ADD COLUMN claimed_by TEXT")
    if "claimed_at" not in cols:
        db.execute("ALTER TABLE alerts ADD COLUMN claimed_at TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS idx_alerts_chat ON alerts(chat_id, status)")
    db.execute("""
        CREATE TABLE IF NOT EXISTS search_queries (
            id INTEGER PRIMARY KEY,
            query TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL
        )""")


def _m005_alert_decided(db) -> None:
    """``articles.alert_decided``: when the outbox decided this flagged article's alerts.

    Flagged articles stored before this migration count as decided (they were
    queued, or deliberately not, by the old end-of-crawl enqueue)."""
    cols = {row[1] for row in db.execute("PRAGMA table_info(articles)").fetchall()}
    if "alert_decided" not in cols:
        db.execute("ALTER TABLE articles ADD COLUMN alert_decided TEXT")
        db.execute("UPDATE articles SET alert_decided = fetched WHERE match = 1")
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_undecided ON articles(match, alert_decided)")


def _m005_flagged_search(db) -> None:
    """Hot-path indexes that stay fast as the archive grows (issue 15).

    - ``flagged_fts``: an FTS5 index over the *flagged* articles only
      (external content = ``articles``), kept in sync by triggers whenever an
      article is inserted, deleted, or changes ``match``/``title``/``text``.
      /cari searches ~1 % of the archive instead of matching the whole
      archive and then filtering.
    - ``idx_flagged_when``: flagged articles by ``COALESCE(published,
      fetched), id`` (partial, covering index) — /terbaru and search pages read the
      newest N without sorting every flagged article.
    - ``idx_flagged_fetched``: flagged articles by fetch time (the digest).
    """
    if "flagged_fts" not in db.table_names():
        db.execute("CREATE VIRTUAL TABLE flagged_fts USING fts5(title, text, content='articles', "
                   "content_rowid='id', tokenize='unicode61 remove_diacritics 2')")
        db.execute("INSERT INTO flagged_fts (rowid, title, text) "
                   "SELECT id, title, text FROM articles WHERE match = 1")
    db.execute("""
        CREATE TRIGGER IF NOT EXISTS flagged_fts_ai AFTER INSERT ON articles WHEN new.match = 1 BEGIN
            INSERT INTO flagged_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
        END""")
    db.execute("""
        CREATE TRIGGER IF NOT EXISTS flagged_fts_ad AFTER DELETE ON articles WHEN old.match = 1 BEGIN
            INSERT INTO flagged_fts (flagged_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        END""")
    db.execute("""
        CREATE TRIGGER IF NOT EXISTS flagged_fts_au AFTER UPDATE OF match, title, text ON articles
        WHEN old.match = 1 OR new.match = 1 BEGIN
            INSERT INTO flagged_fts (flagged_fts, rowid, title, text)
                SELECT 'delete', old.id, old.title, old.text WHERE old.match = 1;
            INSERT INTO flagged_fts (rowid, title, text) SELECT new.id, new.title, new.text WHERE new.match = 1;
        END""")
    # published, fetched and match are repeated so that the index covers the queries that use it
    db.execute("CREATE INDEX IF NOT EXISTS idx_flagged_when ON articles(COALESCE(published, fetched), id, "
               "published, fetched, match) WHERE match = 1")
    db.execute("CREATE INDEX IF NOT EXISTS idx_flagged_fetched ON articles(fetched) WHERE match = 1")


def _m006_flagged_ungrouped(db) -> None:
    """``idx_flagged_ungrouped``: flagged articles not in a story yet (/statistik counts them as events)."""
    db.execute("CREATE INDEX IF NOT EXISTS idx_flagged_ungrouped ON articles(id) "
               "WHERE match = 1 AND story_id IS NULL")


def _m008_flagged_fts_prefix(db) -> None:
    """``flagged_fts`` with prefix indexes for 2- and 3-letter prefixes: /cari matches every
    word as a prefix (``"di"*``), and without them a short prefix merges the lists of every
    word it starts (di, dia, digital, direksi …) at each search (issue 15)."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'flagged_fts'").fetchone()
    if sql and "prefix" in sql[0]:
        return
    db.execute("DROP TABLE IF EXISTS flagged_fts")
    db.execute("CREATE VIRTUAL TABLE flagged_fts USING fts5(title, text, content='articles', "
               "content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')")
    db.execute("INSERT INTO flagged_fts (rowid, title, text) SELECT id, title, text FROM articles WHERE match = 1")


def _m009_story_sketch(db) -> None:
    """``story_sketch``: the 8 smallest shingle hashes of every grouped article, indexed by hash, so
    story assignment finds near-identical texts by look-up instead of comparing every article of
    the window (crawler.stories, issue 15). Filled from ``articles.shingles`` of grouped articles."""
    db.execute("CREATE TABLE IF NOT EXISTS story_sketch (hash INTEGER NOT NULL, article_id INTEGER NOT NULL, "
               "PRIMARY KEY (hash, article_id)) WITHOUT ROWID")
    cols = {row[1] for row in db.execute("PRAGMA table_info(story_sketch)").fetchall()}
    if "story_id" not in cols and db.execute("SELECT 1 FROM story_sketch LIMIT 1").fetchone() is None:
        rows = db.execute("SELECT id, shingles FROM articles WHERE story_id IS NOT NULL AND shingles IS NOT NULL")
        for article_id, sketch in rows.fetchall():
            try:
                hashes = [int(h) for h in json.loads(sketch)[:8]]
            except (ValueError, TypeError):
                continue
            db.conn.executemany("INSERT OR IGNORE INTO story_sketch (hash, article_id) VALUES (?, ?)",
                                [(h, article_id) for h in hashes])


def _m008_source_failing_since(db) -> None:
    """``sources.failing_since``: when the current run of failures began (NULL while the source
    answers), for "tidak bisa dihubungi sejak 09.12 WIB" in /sumber. Kept by two triggers on
    ``consecutive_failures``, so every writer of the source's health keeps it right; sources
    failing when this runs get their last error time."""
    cols = {row[1] for row in db.execute("PRAGMA table_info(sources)").fetchall()}
    if "failing_since" not in cols:
        db.execute("ALTER TABLE sources ADD COLUMN failing_since TEXT")
        db.execute("UPDATE sources SET failing_since = COALESCE(last_error_at, last_attempt) "
                   "WHERE consecutive_failures > 0")
    db.execute("""CREATE TRIGGER IF NOT EXISTS sources_failing_start AFTER UPDATE OF consecutive_failures ON sources
        WHEN NEW.consecutive_failures > 0 AND (OLD.consecutive_failures = 0 OR NEW.failing_since IS NULL)
        BEGIN UPDATE sources SET failing_since = COALESCE(NEW.last_error_at, NEW.last_attempt) WHERE name = NEW.name; END""")
    db.execute("""CREATE TRIGGER IF NOT EXISTS sources_failing_end AFTER UPDATE OF consecutive_failures ON sources
        WHEN NEW.consecutive_failures = 0 AND NEW.failing_since IS NOT NULL
        BEGIN UPDATE sources SET failing_since = NULL WHERE name = NEW.name; END""")


def _m010_facts_attribution(db) -> None:
    """Facts of issue 9: ``articles.country`` / ``attribution`` / ``evidence`` (the classifier's
    country of the cut, who links it to AI -- explicit, attributed or disputed -- and the sentence
    that links it) and the same three on ``stories`` (``country`` exists since 003)."""
    for table, new in (("articles", ("country", "attribution", "evidence")),
                       ("stories", ("country", "attribution", "evidence"))):
        cols = {row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()}
        for col in new:
            if col not in cols:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {col} TEXT")


def _m007_fetch_retry_and_skips(db) -> None:
    """Crawler hardening (issue 10).

    - ``articles.refetch``: 1 while an article stored from its feed summary (the page
      timed out or the host failed) should be fetched again on the next crawls;
      ``articles.fetch_attempts`` counts page fetches (at most 3).
    - ``sources.skipped_entries`` / ``sources.skip_reason``: entries the last crawl
      skipped (bad or refused links), shown in the source health."""
    cols = {row[1] for row in db.execute("PRAGMA table_info(articles)").fetchall()}
    if "refetch" not in cols:
        db.execute("ALTER TABLE articles ADD COLUMN refetch INTEGER NOT NULL DEFAULT 0")
    if "fetch_attempts" not in cols:
        db.execute("ALTER TABLE articles ADD COLUMN fetch_attempts INTEGER NOT NULL DEFAULT 1")
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_refetch ON articles(id) WHERE refetch = 1")
    cols = {row[1] for row in db.execute("PRAGMA table_info(sources)").fetchall()}
    if "skipped_entries" not in cols:
        db.execute("ALTER TABLE sources ADD COLUMN skipped_entries INTEGER NOT NULL DEFAULT 0")
    if "skip_reason" not in cols:
        db.execute("ALTER TABLE sources ADD COLUMN skip_reason TEXT")


def _m010_fts_update_trigger(db) -> None:
    """``articles_fts`` is re-indexed only when an article's title or text changes. The trigger
    sqlite-utils made fires on every UPDATE of ``articles`` (story_id, alert_decided, refetch …)
    and re-tokenized the whole text each time (issue 15)."""
    db.execute("DROP TRIGGER IF EXISTS articles_au")
    db.execute("""
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END""")


def _m006_chat_queries(db) -> None:
    """``chat_queries``: /cari queries saved for the ‹ › buttons, bound to the chat that searched
    (a forged callback from another chat finds nothing). ``search_queries`` is no longer read."""
    db.execute("""
        CREATE TABLE IF NOT EXISTS chat_queries (
            id INTEGER PRIMARY KEY,
            chat_id TEXT NOT NULL,
            query TEXT NOT NULL,
            created TEXT NOT NULL,
            UNIQUE(chat_id, query)
        )""")


def _m011_article_counts(db) -> None:
    """``article_counts``: one row with the numbers of stored and flagged articles, kept by
    triggers, so status pages read two numbers instead of counting the archive (issue 15).
    Re-running recounts."""
    db.execute("CREATE TABLE IF NOT EXISTS article_counts (id INTEGER PRIMARY KEY CHECK (id = 1), "
               "total INTEGER NOT NULL, flagged INTEGER NOT NULL)")
    db.execute("""
        CREATE TRIGGER IF NOT EXISTS article_counts_ai AFTER INSERT ON articles BEGIN
            UPDATE article_counts SET total = total + 1, flagged = flagged + (new.match = 1) WHERE id = 1;
        END""")
    db.execute("""
        CREATE TRIGGER IF NOT EXISTS article_counts_ad AFTER DELETE ON articles BEGIN
            UPDATE article_counts SET total = total - 1, flagged = flagged - (old.match = 1) WHERE id = 1;
        END""")
    db.execute("""
        CREATE TRIGGER IF NOT EXISTS article_counts_au AFTER UPDATE OF match ON articles
        WHEN (old.match = 1) != (new.match = 1) BEGIN
            UPDATE article_counts SET flagged = flagged + (new.match = 1) - (old.match = 1) WHERE id = 1;
        END""")
    db.execute("INSERT OR REPLACE INTO article_counts (id, total, flagged) "
               "SELECT 1, COUNT(*), COALESCE(SUM(match = 1), 0) FROM articles")


def _m012_editorial(db) -> None:
    """Review decisions, audit trail, labels, retraction and locked facts (crawler.editorial)."""
    from .editorial import migrate

    migrate(db)


def _m013_implausible_dates(db) -> None:
    """Dates outside [1990-01-01, now + 2 days] (``crawler.dates``) stored before that rule become
    unknown: ``articles.published`` → NULL (readers fall back to the fetch time), a story's
    first/last report → its creation time. Candidates are found by a cheap string range, each one
    confirmed by the date parser."""
    from datetime import timedelta

    from .dates import parse_date

    hi = (datetime.now(timezone.utc) + timedelta(days=2)).isoformat()
    rows = db.execute("SELECT id, published FROM articles WHERE published IS NOT NULL "
                      "AND (published < '1990-01-02' OR published > ?)", [hi]).fetchall()
    for article_id, value in rows:
        if parse_date(value) is None:
            db.execute("UPDATE articles SET published = NULL WHERE id = ?", [article_id])
    if "stories" in db.table_names():
        rows = db.execute("SELECT id, first_reported, last_reported, created FROM stories "
                          "WHERE first_reported < '1990-01-02' OR first_reported > ? "
                          "OR last_reported < '1990-01-02' OR last_reported > ?", [hi, hi]).fetchall()
        for story_id, first, last, created in rows:
            first = first if parse_date(first) else created
            last = last if parse_date(last) else max(first, created)
            db.execute("UPDATE stories SET first_reported = ?, last_reported = ? WHERE id = ?",
                       [first, last, story_id])


def _m012_story_sketch_by_story(db) -> None:
    """``story_sketch`` keyed by (hash, story_id, article_id): the copy look-up seeks the sketch
    keys within the window's stories only, instead of every article that shares a common phrase
    (issue 15). Rebuilt from ``articles.shingles`` of grouped articles."""
    cols = {row[1] for row in db.execute("PRAGMA table_info(story_sketch)").fetchall()}
    if "story_id" in cols:
        return
    db.execute("DROP TABLE IF EXISTS story_sketch")
    db.execute("CREATE TABLE story_sketch (hash INTEGER NOT NULL, story_id INTEGER NOT NULL, "
               "article_id INTEGER NOT NULL, PRIMARY KEY (hash, story_id, article_id)) WITHOUT ROWID")
    rows = db.execute("SELECT id, story_id, shingles FROM articles WHERE story_id IS NOT NULL AND shingles IS NOT NULL")
    for article_id, story_id, sketch in rows.fetchall():
        try:
            hashes = [int(h) for h in json.loads(sketch)[:8]]
        except (ValueError, TypeError):
            continue
        db.conn.executemany("INSERT OR IGNORE INTO story_sketch (hash, story_id, article_id) VALUES (?, ?, ?)",
                            [(h, story_id, article_id) for h in hashes])


def _m014_unpruned_index(db) -> None:
    """``idx_articles_unpruned``: unflagged articles that still hold text, by fetch time (partial
    index). Housekeeping reads the ones past the prune age from it instead of walking every old
    article each day; a pruned article leaves the index (issue 15)."""
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_unpruned ON articles(fetched) "
               "WHERE match = 0 AND (text != '' OR summary IS NOT NULL)")


def _m015_article_urls_without_rowid(db) -> None:
    """``article_urls`` as a WITHOUT ROWID table: each alias is stored once, as the key, instead of
    in a rowid table and again in its primary-key index (every article keeps ~3 aliases for ever,
    pruned or not: ~270 bytes less per article, issue 15). Rebuilt in key order."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'article_urls'").fetchone()
    if not sql or "WITHOUT ROWID" in sql[0].upper():
        return
    db.execute("DROP TABLE IF EXISTS article_urls_new")
    db.execute("CREATE TABLE article_urls_new (url TEXT PRIMARY KEY, "
               "article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE) WITHOUT ROWID")
    db.execute("INSERT INTO article_urls_new (url, article_id) SELECT url, article_id FROM article_urls ORDER BY url")
    db.execute("DROP TABLE article_urls")
    db.execute("ALTER TABLE article_urls_new RENAME TO article_urls")


def _m016_forget_old_articles(db) -> None:
    """Forgetting old articles (crawler.housekeeping, PANTAU_FORGET_AFTER_DAYS): ``forgotten_urls``,
    one 8-byte fingerprint (``url_key``) per URL or GUID of a forgotten article and the day (days
    since 1970-01-01, UTC) a feed last carried it, so the crawler never fetches, stores or alerts
    it again; dropped by housekeeping once no feed has carried it for PANTAU_FORGET_AFTER_DAYS
    days. (A first version also indexed every alias by article id: 017 drops that index.)"""
    db.execute("CREATE TABLE IF NOT EXISTS forgotten_urls (hash INTEGER PRIMARY KEY, seen INTEGER NOT NULL) "
               "WITHOUT ROWID")


def _m017_alias_extras_index(db) -> None:
    """How housekeeping finds a forgotten article's aliases without a second copy of every alias:

    - ``article_urls.own``: 1 when the alias is the article's own ``url`` or ``guid`` (written by
      ``Store.add_aliases``; those are found by key), NULL for any other (a feed link with
      tracking parameters, an aggregator link, a redirect) and for rows written by other code.
    - ``idx_article_urls_extra``: the aliases with ``own IS NULL`` by article id (partial index):
      the few an article cannot name itself. Rows from before this migration have ``own`` NULL:
      indexed, never lost.
    - the full index ``idx_article_urls_article`` of the first version of 016 is dropped.
    A rebuild of ``article_urls`` must keep ``own`` and recreate the index."""
    cols = {r[1] for r in db.execute("PRAGMA table_info(article_urls)").fetchall()}
    if "own" not in cols:
        db.execute("ALTER TABLE article_urls ADD COLUMN own INTEGER")
    db.execute("DROP INDEX IF EXISTS idx_article_urls_article")
    db.execute("CREATE INDEX IF NOT EXISTS idx_article_urls_extra ON article_urls(article_id) WHERE own IS NULL")


MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("001_initial", _m001_initial),
    ("002_outbox", _m002_outbox),
    ("003_stories", _m003_stories),
    ("004_alert_claims", _m004_alert_claims),
    ("005_alert_decided", _m005_alert_decided),
    ("006_chat_queries", _m006_chat_queries),
    ("005_flagged_search", _m005_flagged_search),
    ("006_flagged_ungrouped", _m006_flagged_ungrouped),
    ("008_flagged_fts_prefix", _m008_flagged_fts_prefix),
    ("009_story_sketch", _m009_story_sketch),
    ("008_source_failing_since", _m008_source_failing_since),
    ("010_facts_attribution", _m010_facts_attribution),
    ("007_fetch_retry_and_skips", _m007_fetch_retry_and_skips),
    ("010_fts_update_trigger", _m010_fts_update_trigger),
    ("011_article_counts", _m011_article_counts),
    ("012_editorial", _m012_editorial),
    ("013_implausible_dates", _m013_implausible_dates),
    ("012_story_sketch_by_story", _m012_story_sketch_by_story),
    ("014_unpruned_index", _m014_unpruned_index),
    ("015_article_urls_without_rowid", _m015_article_urls_without_rowid),
    ("016_forget_old_articles", _m016_forget_old_articles),
    ("017_alias_extras_index", _m017_alias_extras_index),
]


COUNTS_SQL = "SELECT total, flagged FROM article_counts WHERE id = 1"
"""Numbers of stored and flagged articles (``Store.counts``)."""


class Database:
    """``store.db``: the part of ``sqlite_utils.Database`` the project uses, without importing it.

    ``execute`` returns the cursor; ``query`` yields one dict per row (duplicate
    column names get ``_2``, ``_3``… as in sqlite-utils); ``table_names``.
    Anything else (``db["t"].enable_fts`` …) goes to a real
    ``sqlite_utils.Database`` on the same connection, imported on first use:
    sqlite-utils imports numpy when it is installed, and ``pantau --help`` or
    ``pantau status`` must not pay for that (issue 15).
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._full = None
        conn.execute("PRAGMA recursive_triggers = on")  # as sqlite_utils.Database does

    def execute(self, sql: str, parameters=None) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters) if parameters is not None else self.conn.execute(sql)

    def query(self, sql: str, params=None) -> Iterator[dict]:
        cursor = self.execute(sql, params)
        if cursor.description is None:
            raise ValueError("query() can only be used with SQL that returns rows - use execute()")
        keys = [d[0] for d in cursor.description]
        if len(set(keys)) != len(keys):
            seen: set[str] = set()
            for i, key in enumerate(keys):
                new, n = key, 2
                while new in seen:
                    new, n = f"{key}_{n}", n + 1
                seen.add(new)
                keys[i] = new
        return (dict(zip(keys, row)) for row in cursor)

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def _sqlite_utils(self):
        if self._full is None:
            import sqlite_utils

            self._full = sqlite_utils.Database(self.conn)
        return self._full

    def __getitem__(self, name: str):
        return self._sqlite_utils()[name]

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._sqlite_utils(), name)


class Store:
    """One SQLite database. Open with ``Store.open(path)``."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self.db = Database(conn)
        self._alias_own: bool | None = None  # article_urls has the column `own` (known on first use)

    @classmethod
    def open(cls, path: Path | str, migrate: bool = True) -> "Store":
        path = Path(path)
        try:
            if str(path) != ":memory:":
                path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise DatabaseError(db_error_message(exc, path)) from None
        except OSError as exc:
            raise DatabaseError(f"cannot open database {path}: {exc}") from None
        store = cls(conn, path)
        if migrate:
            try:
                store.migrate()
            except sqlite3.DatabaseError as exc:
                store.close()
                raise DatabaseError(db_error_message(exc, path)) from None
        return store

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass

    # -- transactions -------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Database]:
        """A ``BEGIN IMMEDIATE`` transaction (nested calls join the outer one)."""
        if self.conn.in_transaction:
            yield self.db
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
            self.conn.execute("COMMIT")
        except BaseException:
            rollback_quietly(self.conn)
            raise

    def migrate(self) -> list[str]:
        applied: list[str] = []
        self._alias_own = None
        self.db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied TEXT)")
        done = {r[0] for r in self.db.execute("SELECT name FROM _migrations").fetchall()}
        for name, fn in MIGRATIONS:
            if name in done:
                continue
            with self.write():
                fn(self.db)
                self.db.execute("INSERT OR IGNORE INTO _migrations (name, applied) VALUES (?, ?)", [name, now_iso()])
            applied.append(name)
        return applied

    # -- meta ---------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str | None) -> None:
        with self.write():
            self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])

    # -- sources ------------------------------------------------------------
    def source_state(self, name: str) -> dict | None:
        rows = list(self.db.query("SELECT * FROM sources WHERE name = ?", [name]))
        return rows[0] if rows else None

    def sync_sources(self, sources) -> None:
        """Make sure every configured source has a row (url/type kept current)."""
        with self.write():
            for s in sources:
                self.db.execute(
                    "INSERT INTO sources (name, url, type) VALUES (?, ?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET url = excluded.url, type = excluded.type, "
                    "etag = CASE WHEN sources.url = excluded.url THEN sources.etag END, "
                    "last_modified = CASE WHEN sources.url = excluded.url THEN sources.last_modified END",
                    [s.name, s.url, s.type])

    def sources_table(self) -> list[dict]:
        return list(self.db.query("SELECT * FROM sources ORDER BY name"))

    # -- articles -------------------------------------------------------------
    def known_urls(self, urls: list[str], today: datetime | None = None) -> set[str]:
        """Which of ``urls`` (or GUIDs) are already mapped to a stored article, or were the URLs of
        an article housekeeping forgot (``forgotten_urls``: the fingerprint's day is set to
        ``today``, at most one write a day per URL, so it lasts while feeds carry the URL)."""
        urls = [u for u in urls if u]
        found = set(self.first_column_in("SELECT url FROM article_urls WHERE url IN ({marks})", urls))
        rest = {url_key(u): u for u in urls if u not in found}
        hits = self._forgotten(list(rest))
        if hits:
            found.update(rest[h] for h in hits)
            day = epoch_day(today)
            with self.write():
                self.db.conn.executemany("UPDATE forgotten_urls SET seen = ? WHERE hash = ? AND seen < ?",
                                         [(day, h, day) for h in hits])
        return found

    def _forgotten(self, keys: list[int]) -> list[int]:
        """Which of the fingerprints ``keys`` (``url_key``) are in ``forgotten_urls``."""
        try:
            return self.first_column_in("SELECT hash FROM forgotten_urls WHERE hash IN ({marks})", keys)
        except sqlite3.OperationalError:  # not migrated yet (opened with migrate=False)
            return []

    def first_column_in(self, sql: str, values: list, extra: list | tuple = ()) -> list:
        """The first column of ``sql`` run over ``values`` in chunks of 500 (SQLite's bound on
        parameters): ``{marks}`` in ``sql`` is the chunk's ``?,?,...``, ``extra`` the parameters
        that follow it."""
        out: list = []
        for i in range(0, len(values), 500):
            chunk = values[i:i + 500]
            out.extend(r[0] for r in self.db.execute(sql.format(marks=",".join("?" * len(chunk))),
                                                     [*chunk, *extra]).fetchall())
        return out

    @property
    def alias_own(self) -> bool:
        """``article_urls`` has the column ``own`` (migration 017: 1 for an article's own url/guid);
        looked up once, again after a migration."""
        if self._alias_own is None:
            self._alias_own = any(r[1] == "own" for r in self.db.execute("PRAGMA table_info(article_urls)"))
        return self._alias_own

    def article_id_for(self, urls: list[str]) -> int | None:
        for u in urls:
            if not u:
                continue
            row = self.db.execute("SELECT article_id FROM article_urls WHERE url = ?", [u]).fetchone()
            if row:
                return row[0]
        return None

    def add_aliases(self, article_id: int, urls: list[str]) -> None:
        """Map ``urls`` to the article; nothing when the article is gone meanwhile (housekeeping of
        another process forgot it after the caller looked it up)."""
        sql = ("INSERT OR IGNORE INTO article_urls (url, article_id, own) "
               "SELECT ?1, id, CASE WHEN url = ?1 OR guid = ?1 THEN 1 END FROM articles WHERE id = ?2"
               if self.alias_own else
               "INSERT OR IGNORE INTO article_urls (url, article_id) SELECT ?1, id FROM articles WHERE id = ?2")
        with self.write():
            for u in urls:
                if u:
                    self.db.execute(sql, [u, article_id])

    def insert_article(self, record: dict, aliases: list[str]) -> tuple[int | None, bool]:
        """Store an article unless its URL/aliases are known. Returns (id, created); (None, False)
        when one of them is the URL of an article housekeeping forgot (never stored again)."""
        with self.write():
            existing = self.article_id_for([record["url"], *aliases])
            if existing is not None:
                self.add_aliases(existing, [record["url"], *aliases])
                return existing, False
            if self._forgotten([url_key(u) for u in (record["url"], *aliases) if u]):
                return None, False
            data = dict(record)
            for key in ("reasons", "companies"):
                if isinstance(data.get(key), (list, tuple)):
                    data[key] = json.dumps(list(data[key]), ensure_ascii=False)
            if "match" in data:
                data["match"] = 1 if data["match"] else 0
            cols = ", ".join(data)
            marks = ", ".join("?" * len(data))
            cur = self.db.execute(f"INSERT INTO articles ({cols}) VALUES ({marks})", list(data.values()))
            article_id = cur.lastrowid
            self.add_aliases(article_id, [record["url"], *aliases])
            return article_id, True

    def article(self, article_id: int) -> dict | None:
        rows = list(self.db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
        return decode_article(rows[0]) if rows else None

    def counts(self) -> dict:
        """Stored and flagged articles (kept by triggers in ``article_counts``: no archive scan)."""
        try:
            row = self.db.execute(COUNTS_SQL).fetchone()
        except sqlite3.OperationalError:  # not migrated yet (opened with migrate=False)
            row = None
        if row is None:
            row = self.db.execute("SELECT COUNT(*), COALESCE(SUM(match = 1), 0) FROM articles").fetchone()
        return {"articles": row[0], "flagged": row[1]}


def decode_article(row: dict) -> dict:
    """JSON columns back to lists, match to bool."""
    row = dict(row)
    for key in ("reasons", "companies"):
        value = row.get(key)
        if isinstance(value, str):
            try:
                row[key] = json.loads(value)
            except ValueError:
                row[key] = [value]
        elif value is None:
            row[key] = []
    if "match" in row:
        row["match"] = bool(row["match"])
    return row
