"""Pantau PHK entry point: the ``pantau`` command and the long-running service.

``python scheduler.py`` is ``pantau run``: one process that

- crawls every PANTAU_CRAWL_INTERVAL minutes (first crawl at start), each
  crawl in a subprocess (``python -m crawler crawl``) with a time limit;
- delivers pending alerts right after each crawl (with a token), or prints
  each newly flagged story to the terminal (without one);
- runs the bot's long polling in the same process when a token is set;
- sends the daily digest at PANTAU_DIGEST_HOUR:00 WIB to chats that asked;
- does housekeeping once a day (prunes old unflagged text, optimises FTS);
- rewrites the Atom feed of flagged stories after each crawl;
- serves the tracker website (``web/``, read-only) on PANTAU_WEB_PORT when
  set, in its own thread, and rebuilds the static site in PANTAU_SITE_DIR
  after each crawl when set.

Crawls are timed on a monotonic clock (``Service.crawl_loop``, the event
loop's clock), never on the wall clock: a clock that jumps back or forward
neither stops nor bunches them. The daily jobs (digest, housekeeping) are
wall-clock times of day and use APScheduler 3.x (``<4``): one instance per
job, coalescing, a generous misfire grace time. SIGTERM/SIGINT stop it within seconds with exit 0: the
crawl subprocess is asked to stop (then killed), polling stops, pending
alerts stay pending. This module only wires; the work lives in ``crawler/``
and ``bot/``.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from datetime import datetime, timedelta, timezone

from crawler import cli as crawler_cli
from crawler.config import Settings
from crawler.store import Store


class _Lazy:
    """A module global made on first use, which then replaces this stand-in: ``pantau --help``,
    ``status`` and the other one-shot commands never pay for importing ``asyncio`` or ``logging``
    (start-up, issue 15)."""

    def __init__(self, name: str, make):
        self._name, self._make = name, make

    def __getattr__(self, attr):
        value = globals()[self._name] = self._make()
        return getattr(value, attr)


def _service_log():
    import logging

    return logging.getLogger("pantau.service")


def _asyncio():
    import asyncio as module

    return module


log = _Lazy("log", _service_log)
asyncio = _Lazy("asyncio", _asyncio)

STOP_GRACE_SECONDS = 5.0


class Service:
    """The scheduler and its jobs. ``await Service(settings).serve()``."""

    def __init__(self, settings: Settings, out=None):
        self.settings = settings
        self.out = out or sys.stdout
        self.interval = settings.interval_minutes
        self.crawl_timeout = settings.number("PANTAU_CRAWL_TIMEOUT") + 30
        self.stop_event = asyncio.Event()
        self.crawl_proc: asyncio.subprocess.Process | None = None
        self.app = None
        self.scheduler = None
        self.store = Store.open(settings.db_path)
        self.printed_upto = self._max_article_id()
        self.busy = asyncio.Lock()

    def _max_article_id(self) -> int:
        row = self.store.db.execute("SELECT COALESCE(MAX(id), 0) FROM articles").fetchone()
        return int(row[0])

    # -- jobs -------------------------------------------------------------------------
    async def crawl_and_deliver(self) -> None:
        if self.busy.locked():
            log.info("previous crawl still running; this tick is skipped")
            return
        async with self.busy:
            await self.run_crawl()
            if not self.stop_event.is_set():
                await self.deliver()
                await asyncio.to_thread(self._write_feed)
                if self.settings.get("PANTAU_SITE_DIR"):
                    await asyncio.to_thread(self._build_site)

    async def run_crawl(self) -> None:
        started = time.monotonic()
        cmd = [sys.executable, "-m", "crawler", "crawl"]
        try:
            self.crawl_proc = await asyncio.create_subprocess_exec(
                *cmd, stdout=asyncio.subprocess.PIPE, stdin=asyncio.subprocess.DEVNULL,
                start_new_session=True)
        except OSError as exc:
            log.error("could not start the crawl subprocess: %s", exc)
            return
        proc = self.crawl_proc
        try:
            stdout, _ = await asyncio.wait_for(proc.communicate(), timeout=self.crawl_timeout)
        except asyncio.TimeoutError:
            log.error("crawl exceeded %.0f s and was stopped", self.crawl_timeout)
            await self._stop_crawl()
            return
        except asyncio.CancelledError:
            await self._stop_crawl()
            raise
        finally:
            self.crawl_proc = None
        lines = [line for line in stdout.decode("utf-8", "replace").splitlines() if line.strip()]
        summary = lines[-1] if lines else "(no output)"
        if proc.returncode == 0:  # the summary line, then its notes ("all sources failed — …") as warnings
            for i, line in enumerate(lines or [summary]):
                (log.info if i == 0 else log.warning)("%s", line)
        elif proc.returncode is not None and proc.returncode < 0:
            log.warning("crawl stopped by signal %d after %.1f s", -proc.returncode, time.monotonic() - started)
        else:
            log.error("crawl failed (exit %s): %s", proc.returncode, summary)

    async def _stop_crawl(self) -> None:
        proc = self.crawl_proc
        if proc is None or proc.returncode is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            await asyncio.wait_for(proc.wait(), timeout=STOP_GRACE_SECONDS)
        except asyncio.TimeoutError:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            await proc.wait()

    async def deliver(self) -> None:
        if self.settings.token and self.app is not None:
            from bot.deliver import deliver_pending

            try:
                report = await deliver_pending(self.settings, store=self.store, bot=self.app.bot)
                log.info("%s", report.summary())
            except Exception as exc:  # delivery must never stop the service
                log.error("delivery failed: %s", self.settings.redact(f"{type(exc).__name__}: {exc}"))
        else:
            self._print_new_alerts()

    def _print_new_alerts(self) -> None:
        """No token: print each newly flagged story once, as an alert would read."""
        from bot.format import render_plain
        from crawler.store import decode_article

        from crawler.outbox import alert_cutoff, is_recent

        rows = list(self.store.db.query(
            "SELECT * FROM articles WHERE id > ? AND match = 1 ORDER BY id", [self.printed_upto]))
        seen = rows
        cutoff = alert_cutoff(self.settings)
        rows = [r for r in rows if is_recent(r, cutoff)]  # like real alerts: no backlog flood
        for row in rows:
            print(render_plain(decode_article(row)), file=self.out)
            print("-" * 40, file=self.out)
        self.out.flush()
        self.printed_upto = max([self.printed_upto] + [r["id"] for r in seen])
        if rows:
            why = ("Telegram rejected the bot token" if getattr(self, "token_rejected", False)
                   else "dry run: no TELEGRAM_BOT_TOKEN")
            log.info("printed %d new alerts (%s)", len(rows), why)

    async def digest(self) -> None:
        if not (self.settings.token and self.app is not None):
            return
        from bot.digest import send_digests

        try:
            n = await send_digests(self.settings, self.store, self.app.bot)
            log.info("daily digest sent to %d chats", n)
        except Exception as exc:
            log.error("digest failed: %s", self.settings.redact(f"{type(exc).__name__}: {exc}"))

    async def housekeeping(self) -> None:
        from crawler.housekeeping import housekeeping

        def run():
            store = Store.open(self.settings.db_path)
            try:
                return housekeeping(store, self.settings.number("PANTAU_PRUNE_DAYS"),
                                    forget_days=self.settings.number("PANTAU_FORGET_AFTER_DAYS"))
            finally:
                store.close()

        try:
            log.info("%s", (await asyncio.to_thread(run)).summary())
        except Exception as exc:
            log.error("housekeeping failed: %s", exc)

    def _write_feed(self) -> None:
        try:
            from crawler.atom import write_feed
        except ImportError:
            return
        store = Store.open(self.settings.db_path)
        try:
            write_feed(store, self.settings)
        except Exception as exc:
            log.error("feed not written: %s", exc)
        finally:
            store.close()

    def _build_site(self) -> None:
        from web.build import build_site

        try:
            report = build_site(self.settings.db_path, self.settings.get("PANTAU_SITE_DIR"),
                                self.settings.get("PANTAU_SITE_URL"))
            log.info("%s", report.summary())
        except Exception as exc:  # the site must never stop the service
            log.error("static site not built: %s", exc)

    def _start_web(self) -> None:
        """Serve the tracker website in a thread (its own event loop; no signal handlers)."""
        port = self.settings.get("PANTAU_WEB_PORT")
        if not port:
            return
        import threading

        from web.cli import _port, make_server

        host = self.settings.get("PANTAU_WEB_HOST") or "127.0.0.1"
        self.web_server = make_server(self.settings, host, _port(port, "PANTAU_WEB_PORT"))
        self.web_thread = threading.Thread(target=self.web_server.run, name="pantau-web", daemon=True)
        self.web_thread.start()
        log.info("website on http://%s:%s/", host, port)

    def _stop_web(self) -> None:
        server = getattr(self, "web_server", None)
        if server is not None:
            server.should_exit = True
            self.web_thread.join(timeout=5)
            self.web_server = None

    async def crawl_loop(self) -> None:
        """Crawl + deliver now and then every interval, timed on the event loop's monotonic clock:
        a wall clock that jumps (NTP, a restored VM) neither stops nor bunches the crawls. A crawl
        longer than the interval is followed by the next one at once (ticks never pile up)."""
        loop = asyncio.get_running_loop()
        period = self.interval * 60
        due = loop.time()
        while not self.stop_event.is_set():
            delay = due - loop.time()
            if delay > 0:
                try:
                    await asyncio.wait_for(self.stop_event.wait(), timeout=delay)
                    return  # stopping
                except asyncio.TimeoutError:
                    pass
            started = loop.time()
            try:
                await self.crawl_and_deliver()
            except Exception as exc:  # noqa: BLE001 - one bad tick must not end the schedule
                log.error("crawl tick failed: %s", self.settings.redact(f"{type(exc).__name__}: {exc}"))
            due = max(started + period, loop.time())

    # -- wiring -------------------------------------------------------------------------
    def build_scheduler(self):
        from apscheduler.schedulers.asyncio import AsyncIOScheduler
        from apscheduler.triggers.cron import CronTrigger

        from crawler.dates import WIB  # lazily: date parsing imports email.* (start-up, issue 15)

        sched = AsyncIOScheduler(timezone=WIB, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": 3600})
        hour = int(self.settings.number("PANTAU_DIGEST_HOUR")) % 24
        sched.add_job(self.digest, CronTrigger(hour=hour, minute=0, timezone=WIB), id="digest",
                      name="daily digest")
        sched.add_job(self.housekeeping, CronTrigger(hour=3, minute=30, timezone=WIB), id="housekeeping",
                      name="housekeeping")
        return sched

    async def _start_bot(self) -> None:
        if not self.settings.token:
            log.warning("TELEGRAM_BOT_TOKEN is not set: crawling and printing alerts only (dry run)")
            return
        from bot.app import build_application, post_start

        self.app = build_application(self.settings)
        await self.app.initialize()
        await post_start(self.app)
        await self.app.start()
        await self.app.updater.start_polling(allowed_updates=["message", "callback_query"],
                                             drop_pending_updates=False)
        log.info("bot polling started")

    async def _stop_bot(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        try:
            if app.updater and app.updater.running:
                await asyncio.wait_for(app.updater.stop(), timeout=4)
            if app.running:
                await asyncio.wait_for(app.stop(), timeout=3)
            await asyncio.wait_for(app.shutdown(), timeout=3)
        except Exception as exc:
            log.warning("bot shutdown: %s", self.settings.redact(f"{type(exc).__name__}: {exc}"))

    async def serve(self) -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                loop.add_signal_handler(sig, self.stop_event.set)
            except (NotImplementedError, RuntimeError):  # pragma: no cover
                pass
        self._mark_interrupted_crawls()
        log.info("Pantau PHK service started: crawl every %g min, db %s", self.interval, self.settings.db_path)
        try:
            await self._start_bot()
        except Exception as exc:
            from telegram.error import InvalidToken

            if isinstance(exc, InvalidToken):
                self.token_rejected = True
                from crawler.health import record_telegram

                record_telegram(self.store, "auth", False, "401 Unauthorized")
                log.error("Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): no alerts are sent and the "
                          "bot does not answer until the token is fixed (get a new one from @BotFather) and "
                          "the service restarted; crawling goes on and alerts wait in the outbox")
            else:
                log.error("bot could not start (%s); continuing without Telegram",
                          self.settings.redact(f"{type(exc).__name__}: {exc}"))
            self.app = None
        try:
            self._start_web()
        except Exception as exc:
            log.error("website could not start (%s); continuing without it", exc)
        self.scheduler = self.build_scheduler()
        self.scheduler.start()
        crawls = asyncio.create_task(self.crawl_loop(), name="crawl_and_deliver loop")
        try:
            await self.stop_event.wait()
        finally:
            log.info("stopping…")
            self.scheduler.shutdown(wait=False)
            crawls.cancel()
            await self._stop_crawl()
            for task in [t for t in asyncio.all_tasks() if t is not asyncio.current_task()
                         and "crawl_and_deliver" in repr(t.get_coro())]:
                task.cancel()
            await self._stop_bot()
            self._stop_web()
            self.store.close()
            log.info("stopped")
        return 0

    def _mark_interrupted_crawls(self) -> None:
        with self.store.write():
            self.store.db.execute(
                "UPDATE crawls SET status = 'interrupted', finished = COALESCE(finished, started) "
                "WHERE status = 'running' AND started < ?",
                [(datetime.now(timezone.utc) - timedelta(seconds=self.crawl_timeout)).replace(microsecond=0).isoformat()])


def cmd_run(args) -> int:
    settings = Settings()
    settings.interval_minutes  # validate early: a bad value stops here with one line
    from crawler.sources import load_sources

    load_sources(settings.sources_path)  # a bad sources file stops here with one line
    from crawler.logs import setup_logging

    setup_logging(settings, default="INFO")
    return asyncio.run(Service(settings).serve())


def cmd_cron(args) -> int:
    """One crontab line: load the env file, crawl once, then deliver (or print) the alerts.

    cron starts jobs with an empty environment in the user's home: the env
    file brings the token, the database and the sources paths. Variables
    already set in the environment win over the file (as with ``.env``).
    Exit code: the crawl's if it failed, else the send's.
    """
    from pathlib import Path

    from crawler.config import ConfigError, read_dotenv

    if args.env_file:
        path = Path(args.env_file)
        if not path.is_file():
            raise ConfigError(f"env file {path} does not exist or is not a file")
        for key, value in read_dotenv(path).items():
            os.environ.setdefault(key, value)
    rc = main(["crawl"])
    if rc not in (0,):
        return rc
    return main(["send"])


def build_parser():
    parser, sub = crawler_cli.build_parser("pantau")
    crawler_cli.register(sub)
    try:
        from bot import cli as bot_cli
    except ImportError:  # pragma: no cover - bot package missing
        bot_cli = None
    if bot_cli is not None:
        bot_cli.register(sub)
    try:
        from web import cli as web_cli
    except ImportError:  # pragma: no cover - web package missing
        web_cli = None
    if web_cli is not None:
        web_cli.register(sub)
    p = sub.add_parser("run", help="run the service: crawl on schedule, deliver alerts, answer the bot")
    p.set_defaults(func=cmd_run, log_default="INFO")
    p = sub.add_parser("cron", help="for crontab: load an env file, crawl once, then send the alerts",
                       description="One crontab line for the whole job: loads --env-file (cron has no "
                       "environment), runs `pantau crawl`, then `pantau send` (prints alerts without a token).",
                       epilog="example (crontab, every 15 minutes):\n"
                       "  */15 * * * * cd /opt/pantau-phk && .venv/bin/pantau cron --env-file /etc/pantau-phk.env "
                       ">> /var/lib/pantau-phk/cron.log 2>&1",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--env-file", metavar="FILE", help="KEY=value settings file to load first (e.g. /etc/pantau-phk.env)")
    p.set_defaults(func=cmd_cron)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return crawler_cli.dispatch(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["run"]))
