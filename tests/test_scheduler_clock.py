"""The service schedules crawls on a monotonic clock (issue 10, item 17).

A wall clock that jumps back (NTP correction, a VM restored from a snapshot)
must not stop the crawls; a crawl row dated in the future is stale, so
``pantau status`` and /status never say "-120 min ago … OK".
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from crawler.config import Settings  # noqa: E402
from crawler.store import Store  # noqa: E402


class JumpingClock:
    """Wall clock that runs normally, then jumps back two hours once ``jump()`` is called."""

    def __init__(self):
        self.offset = 0.0
        self.real_time = time.time
        self.real_datetime = datetime

    def jump(self, seconds: float = -7200) -> None:
        self.offset += seconds

    def time(self) -> float:
        return self.real_time() + self.offset

    def datetime_class(self):
        clock = self

        class Jumped(datetime):
            @classmethod
            def now(cls, tz=None):
                return clock.real_datetime.now(tz) + timedelta(seconds=clock.offset)

            @classmethod
            def utcnow(cls):
                return clock.real_datetime.utcnow() + timedelta(seconds=clock.offset)

        return Jumped


def test_backward_wall_clock_jump_does_not_stop_crawls(tmp_path, monkeypatch):
    import apscheduler.schedulers.base as aps_base
    import apscheduler.triggers.interval as aps_interval

    import scheduler

    clock = JumpingClock()
    jumped = clock.datetime_class()
    for module in (aps_base, aps_interval, scheduler):
        monkeypatch.setattr(module, "datetime", jumped, raising=False)
    monkeypatch.setattr(time, "time", clock.time)

    settings = Settings(env={"PANTAU_DB": str(tmp_path / "p.db"), "PANTAU_CRAWL_INTERVAL": "0.01"}, dotenv=None)
    ticks: list[float] = []

    async def main():
        service = scheduler.Service(settings)

        async def fake_crawl_and_deliver():  # the schedule is under test, not the crawl itself
            ticks.append(time.monotonic())
            if len(ticks) == 2:
                clock.jump(-7200)  # the wall clock goes back two hours

        service.crawl_and_deliver = fake_crawl_and_deliver
        server = asyncio.create_task(service.serve())
        deadline = time.monotonic() + 12
        while len(ticks) < 6 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        service.stop_event.set()
        await asyncio.wait_for(server, 15)

    asyncio.run(main())
    assert len(ticks) >= 6, f"only {len(ticks)} crawls ran; the clock jump stopped the schedule"
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert all(0.3 <= g <= 2.5 for g in gaps), gaps  # every 0.6 s, before and after the jump


def test_crawl_row_dated_in_the_future_is_stale(tmp_path):
    from tests.crawler.conftest import make_env, run_pantau

    db = tmp_path / "pantau.db"
    store = Store.open(db)
    future = datetime.now(timezone.utc) + timedelta(minutes=120)
    store.db.execute("INSERT INTO crawls (started, finished, status, sources_ok) VALUES (?, ?, 'ok', 3)",
                     [future.replace(microsecond=0).isoformat(),
                      (future + timedelta(minutes=1)).replace(microsecond=0).isoformat()])
    store.close()
    proc = run_pantau("status", env=make_env(tmp_path))
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "future" in proc.stdout and not re.search(r"-\d+ min", proc.stdout), proc.stdout
    assert "status: OK" not in proc.stdout
