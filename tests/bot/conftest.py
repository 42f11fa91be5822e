"""Shared helpers for the bot tests (real python-telegram-bot HTTP stack against FakeTelegram).

- ``tg``: a FakeTelegram server (function scope).
- ``make_settings(tg, db, **extra)``: ``Settings`` from an explicit env dict.
- ``seed(store, **fields)``: insert one article (flagged by default).
- ``RunningBot``: the real Application polling FakeTelegram in a background thread.
- ``run_pantau(*args, env=…)``: the ``pantau`` console script as a subprocess.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fakes.telegram_api import FakeTelegram  # noqa: E402

from crawler.config import Settings  # noqa: E402
from crawler.store import Store  # noqa: E402

PANTAU = Path(sys.executable).parent / "pantau"
CHANNEL = "@pantauphk"
ADMIN = 777
_counter = itertools.count(1)


@pytest.fixture
def tg():
    with FakeTelegram(long_poll_cap=0.3) as server:
        yield server


def make_env(tg: FakeTelegram | None, db: Path, **extra) -> dict[str, str]:
    env = {"PANTAU_DB": str(db), "TELEGRAM_CHANNEL_ID": CHANNEL, "PANTAU_ADMIN_IDS": str(ADMIN),
           "PANTAU_LOG_LEVEL": "INFO",
           "PANTAU_ALERT_MAX_AGE_HOURS": "876000",  # seeded articles are dated 2025 (window: test_backlog.py)
           "PANTAU_REVIEW": "off"}  # editorial review messages only where a test asks (test_review.py, test_editorial.py)
    if tg is not None:
        env.update(TELEGRAM_BOT_TOKEN=tg.token, TELEGRAM_API_URL=tg.url)
    env.update({k: str(v) for k, v in extra.items() if v is not None})
    return {k: v for k, v in env.items() if v != ""}


def make_settings(tg: FakeTelegram | None, db: Path, **extra) -> Settings:
    return Settings(env=make_env(tg, db, **extra), dotenv=None)


def seed(store: Store, **fields) -> int:
    n = next(_counter)
    record = {
        "url": f"https://berita.example/phk-ai-{n}",
        "title": f"Startup {n} PHK 120 karyawan karena AI",
        "text": "Perusahaan teknologi itu memangkas karyawan setelah mengadopsi kecerdasan buatan. " * 3,
        "outlet": "Berita Contoh",
        "source": "contoh",
        "published": f"2025-10-{(n % 27) + 1:02d}T14:30:00+07:00",
        "fetched": f"2025-10-{(n % 27) + 1:02d}T08:00:00+00:00",
        "match": 1,
        "score": 0.9,
        "reasons": ["PHK disebut", "AI disebut sebagai penyebab"],
        "companies": [f"Startup{n}"],
        "jobs_cut": 120,
        "percent": 10.0,
    }
    record.update(fields)
    article_id, created = store.insert_article(record, [])
    assert created
    return article_id


def run_pantau(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("PANTAU_", "TELEGRAM_"))}
    full.update(env)
    return subprocess.run([str(PANTAU), *args], env=full, capture_output=True, text=True, timeout=timeout,
                          cwd=str(Path(env["PANTAU_DB"]).parent))


def subprocess_env(env: dict[str, str]) -> dict[str, str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("PANTAU_", "TELEGRAM_"))}
    full.update(env)
    return full


class RunningBot:
    """``build_application`` + polling in a thread with its own event loop."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self._stop: asyncio.Event | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._main())
        except BaseException as exc:  # noqa: BLE001
            self.error = exc
            self.ready.set()

    async def _main(self) -> None:
        from bot.app import ALLOWED_UPDATES, build_application, on_startup

        self._stop = asyncio.Event()
        self.app = build_application(self.settings)
        async with self.app:
            await on_startup(self.app)
            await self.app.start()
            await self.app.updater.start_polling(poll_interval=0.0, timeout=1,
                                                 allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
            self.ready.set()
            await self._stop.wait()
            await self.app.updater.stop()
            await self.app.stop()

    def __enter__(self) -> "RunningBot":
        self.thread.start()
        assert self.ready.wait(15), "bot did not start"
        if self.error:
            raise self.error
        return self

    def __exit__(self, *exc) -> None:
        if self._stop is not None:
            self.loop.call_soon_threadsafe(self._stop.set)
        self.thread.join(15)
        store = getattr(self, "app", None) and self.app.bot_data.get("store")
        if store is not None:
            store.close()
