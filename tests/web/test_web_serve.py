"""Serving the tracker for real: ``pantau web`` (uvicorn subprocess) and inside the service
(``PANTAU_WEB_PORT`` thread, ``PANTAU_SITE_DIR`` rebuild after a crawl)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

PANTAU = Path(sys.executable).parent / "pantau"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.status, dict(r.headers), r.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _env(db: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PANTAU_", "TELEGRAM_"))}
    env.update({"PANTAU_DB": str(db), **extra})
    return env


def test_pantau_web_serves_with_uvicorn_and_stops_on_sigterm(site_db, tmp_path):
    port = _free_port()
    proc = subprocess.Popen([str(PANTAU), "web", "--host", "127.0.0.1", "--port", str(port)],
                            env=_env(site_db[0]), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        status, headers, body = _get(f"http://127.0.0.1:{port}/peristiwa/2")
        assert status == 200 and "AwanBiru" in body
        assert "default-src 'none'" in headers["content-security-policy"]
        assert "server" not in {k.lower() for k in headers}  # no version banner
        status, _, body = _get(f"http://127.0.0.1:{port}/api/events")
        assert status == 200 and '"total": 4' in body
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert f"http://127.0.0.1:{port}/" in out


def test_pantau_web_rejects_a_bad_port(site_db, tmp_path):
    r = subprocess.run([str(PANTAU), "web", "--port", "http"], env=_env(site_db[0]), cwd=tmp_path,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and r.stderr.strip().startswith("error:") and "Traceback" not in r.stderr


def test_service_serves_the_site_and_rebuilds_it_after_a_crawl(site_db, tmp_path):
    import scheduler
    from crawler.config import Settings

    db = tmp_path / "pantau.db"
    shutil.copy(site_db[0], db)
    port = _free_port()
    site = tmp_path / "www"
    settings = Settings(env={"PANTAU_DB": str(db), "PANTAU_WEB_PORT": str(port), "PANTAU_SITE_DIR": str(site)},
                        dotenv=None)
    service = scheduler.Service(settings)
    try:
        service._start_web()
        status, _, body = _get(f"http://127.0.0.1:{port}/")
        assert status == 200 and "Nusantara Logistik" in body
        service._build_site()  # what crawl_and_deliver runs after each crawl when PANTAU_SITE_DIR is set
        assert (site / "peristiwa" / "1" / "index.html").is_file()
    finally:
        service._stop_web()
        service.store.close()
    assert not service.web_thread.is_alive()


def test_pantau_run_serves_the_site_on_pantau_web_port_and_rebuilds_it_after_a_crawl(site_db, tmp_path):
    db = tmp_path / "pantau.db"
    shutil.copy(site_db[0], db)
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "Tutup"\nurl = "http://127.0.0.1:9/rss"\n', encoding="utf-8")
    port = _free_port()
    site = tmp_path / "www"
    env = _env(db, PANTAU_SOURCES=str(sources), PANTAU_WEB_PORT=str(port), PANTAU_SITE_DIR=str(site),
               PANTAU_FEED_PATH=str(tmp_path / "feed.xml"), PANTAU_DOWNLOAD_TIMEOUT="2",
               PANTAU_CRAWL_INTERVAL="60", PANTAU_POLITE="0", PYTHONUNBUFFERED="1")
    err = (tmp_path / "service.err").open("wb")
    proc = subprocess.Popen([str(PANTAU), "run"], env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=err,
                            stdin=subprocess.DEVNULL)
    try:
        status, _, body = _get(f"http://127.0.0.1:{port}/peristiwa", timeout=30)
        assert status == 200 and "KilatPay" in body
        deadline = time.monotonic() + 120  # the first crawl runs at start; the site is built after it
        while not (site / "peristiwa" / "3" / "index.html").exists():
            assert time.monotonic() < deadline and proc.poll() is None, \
                (tmp_path / "service.err").read_text(errors="replace")[-2000:]
            time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=30)
        err.close()
    assert rc == 0
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
