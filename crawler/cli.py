"""Crawler-side ``pantau`` commands. Entry points only wire things.

``register(subparsers)`` adds: crawl, sources (list/import/export), export,
classify, reclassify, search, config. ``python -m crawler`` runs just these
(the service uses it to run each crawl in a subprocess).
Exit codes: 0 done; 1 configuration or database error (one line on stderr,
naming the database file; a damaged file gets the ``sqlite3 … .recover``
advice, a crawl that could not store its articles fails here too);
2 bad usage or unreadable input file.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

from .config import ConfigError, Settings
from .store import DatabaseError, Store


def _settings() -> Settings:
    return Settings()


def _open_existing_store(settings: Settings) -> Store:
    """For read-only commands: a missing database is an error, never created empty."""
    path = settings.db_path
    if not path.exists():
        raise ConfigError(f"database {path} does not exist (run `pantau crawl` first, or set PANTAU_DB)")
    return Store.open(path)


def _open_store(settings: Settings) -> Store:
    return Store.open(settings.db_path)


# -- crawl ------------------------------------------------------------------------

def cmd_crawl(args) -> int:
    from .crawl import run_crawl

    settings = _settings()
    result = run_crawl(settings, only=args.source, force=args.force)
    print(result.summary())
    if args.verbose:
        for name, err in sorted(result.failures.items()):
            print(f"  {name}: {err}")
    from .health import crawl_notes

    store = _open_store(settings)
    try:
        for line in crawl_notes(result, store, settings, verbose=args.verbose):
            print(line)
    finally:
        store.close()
    return 0


# -- sources ------------------------------------------------------------------------

def cmd_sources(args) -> int:
    from .sources import add_to_sources_file, export_opml, import_opml, load_sources, merge

    settings = _settings()
    if args.action == "export":
        sys.stdout.write(export_opml(load_sources(settings.sources_path)))
        return 0
    if args.action == "import":
        if not args.file:
            print("error: pantau sources import needs an OPML file", file=sys.stderr)
            return 2
        try:
            data = Path(args.file).read_bytes()
        except OSError as exc:
            print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return 2
        new = import_opml(data, args.file, allow_private=getattr(args, "allow_private", False))
        path = settings.sources_path
        existing = load_sources(path) if path.exists() else []
        merged, added = merge(existing, new)
        backup = add_to_sources_file(path, added) if added else None  # comments kept, atomic, validated
        print(f"imported {len(added)} new sources ({len(new) - len(added)} already present) into {path}"
              + (f" (previous version: {backup})" if backup else ""))
        return 0
    if args.action == "check":
        sources = load_sources(settings.sources_path)
        print(f"{settings.sources_path}: {len(sources)} sources OK "
              f"({sum(s.enabled for s in sources)} enabled)")
        return 0
    # list: health table
    sources = load_sources(settings.sources_path)
    store = _open_existing_store(settings)
    try:
        states = {r["name"]: r for r in store.sources_table()}
    finally:
        store.close()
    rows = [("SOURCE", "TYPE", "STATUS", "FAILS", "ARTICLES", "SKIPPED", "LAST SUCCESS", "LAST ERROR")]
    for s in sources:
        st = states.get(s.name, {})
        if not s.enabled:
            status = "disabled"
        elif not st.get("last_attempt"):
            status = "never"
        elif st.get("consecutive_failures"):
            status = "failing"
        else:
            status = "ok"
        rows.append((s.name, s.type, status, str(st.get("consecutive_failures") or 0),
                     str(st.get("articles_found") or 0), str(st.get("skipped_entries") or 0),
                     st.get("last_success") or "-",  # ISO 8601 with offset
                     (st.get("last_error") or "-")[:60] if st.get("consecutive_failures") else
                     (f"skipped {st['skip_reason']}"[:60] if st.get("skip_reason") else "-")))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip())
    return 0


# -- export / search --------------------------------------------------------------------

def cmd_export(args) -> int:
    from .export import write_export

    store = _open_existing_store(_settings())
    try:
        if getattr(args, "events", False):
            from . import stories
            stories.write_events(store, sys.stdout, args.format)
        else:
            write_export(store, sys.stdout, args.format, args.flagged)
    finally:
        store.close()
    return 0


def cmd_search(args) -> int:
    from .search import search

    query = " ".join(args.query)
    store = _open_existing_store(_settings())
    try:
        page = search(store, query, limit=args.limit, offset=0)
    finally:
        store.close()
    if page.error:
        print(page.error)
        return 0
    if not page.hits:
        print(f"no flagged articles match {query!r}")
        return 0
    print(f"{page.total} flagged articles match {query!r}:")
    for hit in page.hits:
        print(f"- {hit['published_short']}  {hit['outlet']}: {hit['title']}\n  {hit['url']}")
    return 0


# -- classify / reclassify ----------------------------------------------------------------

def cmd_classify(args) -> int:
    from .classify import classify

    if args.file and args.file != "-":
        try:
            stream = open(args.file, encoding="utf-8", errors="replace")
        except OSError as exc:
            print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return 2
    else:
        stream = sys.stdin
    out = sys.stdout
    with stream:
        for n, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    raise ValueError("not a JSON object")
                title, text = obj.get("title") or "", obj.get("text") or ""
                if not isinstance(title, str) or not isinstance(text, str):
                    raise ValueError("title and text must be strings")
                summary = obj.get("summary") if isinstance(obj.get("summary"), str) else None
                verdict = classify(title, text, summary)
            except ValueError as exc:
                out.write(json.dumps({"id": None, "error": f"line {n}: {exc}"}, ensure_ascii=False) + "\n")
                continue
            except Exception as exc:  # noqa: BLE001 - one bad record must not stop the stream
                rec_id = obj.get("id") if isinstance(obj, dict) else None
                out.write(json.dumps({"id": rec_id, "error": f"line {n}: classifier failed: "
                                                             f"{type(exc).__name__}: {exc}"[:300]},
                                     ensure_ascii=False) + "\n")
                continue
            rec = {"id": obj.get("id")}
            rec.update(verdict.to_dict())
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            out.flush() if args.flush else None
    return 0


def cmd_reclassify(args) -> int:
    from .reclassify import reclassify

    settings = _settings()
    store = _open_store(settings)
    try:
        report = reclassify(store, settings)
    finally:
        store.close()
    print(report.summary())
    for line in report.changes[: args.show]:
        print("  " + line)
    return 0


# -- status / housekeeping ------------------------------------------------------------------

def status_report(store: Store, interval_minutes: float) -> tuple[list[str], bool]:
    """Lines for `pantau status` / the bot's /status, and whether crawling is healthy."""
    from datetime import datetime, timezone

    lines: list[str] = []
    last = list(store.db.query("SELECT * FROM crawls WHERE status != 'running' ORDER BY id DESC LIMIT 1"))
    last_ok = list(store.db.query("SELECT * FROM crawls WHERE status = 'ok' ORDER BY id DESC LIMIT 1"))
    healthy = False
    if last:
        c = last[0]
        lines.append(f"last crawl: {c['started']} ({c['status']}): {c['sources_ok']} sources ok, "
                     f"{c['sources_failed']} failed, {c['new_articles']} new, {c['flagged']} flagged, "
                     f"{c['seconds'] or 0:.1f} s")
    else:
        lines.append("last crawl: never")
    if last_ok:
        finished = last_ok[0]["finished"] or last_ok[0]["started"]
        age = (datetime.now(timezone.utc) - datetime.fromisoformat(finished)).total_seconds() / 60
        healthy = 0 <= age <= 3 * interval_minutes  # a crawl dated in the future is stale, not fresh
        when = (f"{age:.0f} min ago" if age >= 0 else
                f"dated {-age:.0f} min in the future: check the clock")
        lines.append(f"last successful crawl: {finished} ({when}; limit {3 * interval_minutes:g} min)")
    counts = store.counts()
    lines.append(f"articles: {counts['articles']} stored, {counts['flagged']} flagged")
    pending = store.db.execute("SELECT COUNT(*) FROM alerts WHERE status = 'pending'").fetchone()[0]
    lines.append(f"pending alerts: {pending}")
    failing = list(store.db.query(
        "SELECT name, consecutive_failures, last_error FROM sources WHERE consecutive_failures > 0 ORDER BY name"))
    lines.append(f"failing sources: {len(failing)}")
    for f in failing:
        lines.append(f"  {f['name']}: {f['consecutive_failures']}x, {(f['last_error'] or '')[:100]}")
    return lines, healthy


def cmd_status(args) -> int:
    settings = _settings()
    store = _open_existing_store(settings)
    try:  # exit code = crawler.health's: 0 OK, 3 stale, 4 sources, 5 Telegram, 6 outbox
        from .health import health

        lines, _ = status_report(store, settings.interval_minutes)
        result = health(store, settings)
    finally:
        store.close()
    if getattr(args, "json", False):
        print(json.dumps({"ok": result.ok, "exit_code": result.exit_code, "reasons": result.reasons,
                          "facts": result.facts}, ensure_ascii=False, indent=2))
        return result.exit_code
    print("\n".join(lines))
    print(result.line())
    return result.exit_code


def cmd_housekeeping(args) -> int:
    from .housekeeping import housekeeping

    settings = _settings()
    store = _open_store(settings)
    try:
        print(housekeeping(store, settings.number("PANTAU_PRUNE_DAYS"),
                           forget_days=settings.number("PANTAU_FORGET_AFTER_DAYS")).summary())
    finally:
        store.close()
    return 0


def cmd_feed(args) -> int:
    from .atom import build_feed, write_feed

    settings = _settings()
    store = _open_existing_store(settings)
    try:
        if args.output == "-":
            sys.stdout.write(build_feed(store))
        else:
            path = write_feed(store, settings, Path(args.output) if args.output else None)
            print(f"feed written to {path}")
    finally:
        store.close()
    return 0


# -- config ------------------------------------------------------------------------------

def cmd_config(args) -> int:
    settings = _settings()
    rows = settings.redacted()
    width = max(len(n) for n, _, _ in rows)
    for name, value, help_ in rows:
        print(f"{name.ljust(width)}  {value}")
        if args.verbose:
            print(f"{' ' * width}  # {help_}")
    from .classify.model import describe

    print(f"# classifier model: {describe(settings)}")  # a comment line: not a setting
    return 0


# -- editorial ----------------------------------------------------------------------------

def cmd_audit(args) -> int:
    from .editorial import audit_rows

    store = _open_existing_store(_settings())
    try:
        rows = audit_rows(store, args.story)
    finally:
        store.close()
    if args.format == "jsonl":
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        return 0
    if not rows:
        print("no editorial decisions or corrections recorded" + (f" for story {args.story}" if args.story else ""))
        return 0
    for r in rows:
        target = f"story {r['story_id']}" if r["story_id"] else f"article {r['article_id']}"
        change = ""
        if r["before"] is not None or r["after"] is not None:
            change = f": {json.dumps(r['before'], ensure_ascii=False)} -> {json.dumps(r['after'], ensure_ascii=False)}"
        print(f"{r['at']}  {r['user_name']} ({r['user_id'] or '-'})  {r['action']} {target}{change}")
    return 0


def cmd_labels(args) -> int:
    from .editorial import labels_export

    store = _open_existing_store(_settings())
    try:
        rows = labels_export(store, facts=args.facts)
    finally:
        store.close()
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))
    print(f"{len(rows)} {'corrected stories' if args.facts else 'labelled articles'} exported", file=sys.stderr)
    return 0


def cmd_train(args) -> int:
    from .classify.train import run

    return run(args.data, args.output, _settings())


def register(sub) -> None:
    p = sub.add_parser("audit", help="the editors' decisions and corrections (who, when, before -> after)")
    p.add_argument("--story", type=int, metavar="ID", help="only this story (events export id)")
    p.add_argument("--format", choices=("text", "jsonl"), default="text")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("labels", help="export the editors' labels as training data (dev-set JSON Lines)")
    p.add_argument("action", choices=("export",))
    p.add_argument("--facts", action="store_true",
                   help="corrected facts of stories (regression cases for the fact extractor) instead")
    p.set_defaults(func=cmd_labels)

    p = sub.add_parser("crawl", help="run one crawl pass over the sources and print a summary line")
    p.add_argument("--source", metavar="NAME", help="crawl only this source (ignores back-off)")
    p.add_argument("--force", action="store_true", help="ignore failing sources' back-off")
    p.add_argument("-v", "--verbose", action="store_true", help="also list failed sources with their errors")
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("sources", help="source health table; import/export OPML")
    actions = p.add_subparsers(dest="action", metavar="{list,import,export,check}")
    p.set_defaults(action="list", file=None, allow_private=False)
    actions.add_parser("list", help="source health table (the default)")
    imp = actions.add_parser("import", help="add the feeds of an OPML file")
    imp.add_argument("file", nargs="?", help="OPML file")
    imp.add_argument("--allow-private", action="store_true",
                     help="accept feeds on loopback/private/link-local addresses (your own network)")
    actions.add_parser("export", help="write OPML 2.0 to stdout")
    actions.add_parser("check", help="validate the sources file")
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("export", help="export stored articles (JSON Lines or CSV) to stdout")
    p.add_argument("--format", choices=["jsonl", "csv", "json"], default="jsonl")
    p.add_argument("--flagged", action="store_true", help="only articles flagged as AI-linked layoffs")
    p.add_argument("--events", action="store_true", help="export the layoff events table instead")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("search", help="full-text search over flagged articles")
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=int, default=10)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("classify", help="classify JSON Lines {id,title,text} from FILE or stdin")
    p.add_argument("file", nargs="?")
    p.add_argument("--flush", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_classify)

    p = sub.add_parser(
        "train", help="train the classifier model from labelled JSON Lines; prints grouped CV figures",
        description="Train the classifier's model from labelled JSON Lines (fields title, text, label 0/1; "
                    "event groups write-ups of one event) and print grouped-by-event cross-validation figures. "
                    "The model in the data folder then takes precedence over the shipped one.",
        epilog="examples:\n  pantau train\n  pantau train --data my-labels.jsonl tests/fixtures/classify_cases.jsonl"
               "\n  pantau train --data my-labels.jsonl -o data/model.npz",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", nargs="+", metavar="FILE",
                   help="labelled JSON Lines (.gz allowed); default: the labelled fixtures in the repository")
    p.add_argument("-o", "--output", metavar="PATH", help="model file to write (default: model.npz next to PANTAU_DB)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("reclassify", help="re-run the classifier over every stored article")
    p.add_argument("--show", type=int, default=20, help="how many changes to list")
    p.set_defaults(func=cmd_reclassify)

    p = sub.add_parser("status", help="health: last crawl, sources, Telegram, outbox; exit 0 OK, 3 stale crawl, "
                       "4 sources not answering, 5 Telegram rejected, 6 alerts not draining")
    p.add_argument("--json", action="store_true",
                   help="ok, exit_code, reasons and facts as JSON (times ISO 8601 with offset)")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("housekeeping", help="prune old unflagged article text, forget old unneeded articles "
                       "(PANTAU_FORGET_AFTER_DAYS) and optimise the index")
    p.set_defaults(func=cmd_housekeeping)

    p = sub.add_parser("feed", help="write the Atom feed of flagged stories (PANTAU_FEED_PATH, or -o)")
    p.add_argument("-o", "--output", help="file to write, or - for stdout")
    p.set_defaults(func=cmd_feed)

    p = sub.add_parser("config", help="print the effective settings (secrets redacted)")
    p.add_argument("-v", "--verbose", action="store_true", help="with help text")
    p.set_defaults(func=cmd_config)


def dispatch(args) -> int:
    """Run a parsed command; configuration/database errors → one line, exit 1."""
    try:
        from .logs import setup_logging

        settings = Settings()
        if args.func is not cmd_config:  # `pantau config` shows even a bad value
            settings.validate()
        setup_logging(settings, default=getattr(args, "log_default", "WARNING"))
        return int(args.func(args) or 0)
    except (ConfigError, DatabaseError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:  # damaged file, full disk…: one line naming the file, never a traceback
        from .store import db_error_message

        print(f"error: {db_error_message(exc, Settings().db_path)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


class _LazyVersion(argparse.Action):
    """``--version``: the installed version is looked up (importlib.metadata, slow to import) only
    when asked for, not every time a parser is built (issue 15: start-up of every command)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS,
                 help="show program's version number and exit"):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from .helptext import package_version

        print(f"pantau {package_version()}")
        parser.exit()


def build_parser(prog: str = "pantau") -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    from .helptext import HelpfulSubParsers, formatter

    parser = argparse.ArgumentParser(prog=prog, description="Pantau PHK: AI-linked layoff news monitor",
                                     formatter_class=formatter())
    parser.register("action", "parsers", HelpfulSubParsers)
    parser.add_argument("--version", action=_LazyVersion)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser, sub


def main(argv: list[str] | None = None) -> int:
    parser, sub = build_parser("python -m crawler")
    register(sub)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return dispatch(args)
