"""The tracker in a real headless Chromium (Debian's ``chromium``, driven by Playwright
with ``executable_path`` — no browser download), served by the real uvicorn server.

Walks the site as a reader would: home page, filter the events table, open an
event, download the CSV of the filtered view; checks that no console error or
CSP violation occurs, that no request leaves the server, that axe-core (from
the ``axe-playwright-python`` package) finds no serious or critical
accessibility violation, and that the phone layout (390 px) does not scroll
sideways. Screenshots (desktop and 390 px) are saved under the test's tmp
folder. Without chromium the test is skipped locally and fails under CI
(``.ci/run`` installs it).
"""

from __future__ import annotations

import csv
import os
import shutil
import socket
import threading
import time

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(site_db):
    import uvicorn

    from web.app import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(site_db[0]), host="127.0.0.1", port=port, log_level="warning",
                            lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium package)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


class Watch:
    """Console errors, page errors and every request URL of one page."""

    def __init__(self, page, base: str):
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith("data:")
                else self.foreign.append(r.url))


def _axe(page, where: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    bad = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
           for v in result.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"axe-core on {where}: {bad}"


def test_reader_walks_the_site_in_chromium(server, browser, tmp_path):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                  locale="id-ID")
    page = context.new_page()
    watch = Watch(page, server)

    # home
    page.goto(server + "/")
    assert page.title().startswith("PHK terkait AI di media Indonesia")
    assert page.locator("main h1").inner_text().startswith("PHK terkait AI")
    assert page.locator("svg[role=img]").count() == 2
    _axe(page, "home")
    page.screenshot(path=str(shots / "home-desktop.png"), full_page=True)

    # the events table, filtered through the form
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Peristiwa").click()
    page.wait_for_url(server + "/peristiwa")
    assert page.locator("table.events tbody tr").count() == 4
    page.get_by_label("Perusahaan").fill("nusantara")
    page.get_by_label("Minimal karyawan").fill("1000")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url("**/peristiwa?*perusahaan=nusantara*")
    rows = page.locator("table.events tbody tr")
    assert rows.count() == 1
    assert "Nusantara Logistik" in rows.first.inner_text()
    _axe(page, "events (filtered)")
    page.screenshot(path=str(shots / "events-filtered-desktop.png"), full_page=True)

    # the CSV of exactly this view
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    path = tmp_path / "download.csv"
    info.value.save_as(path)
    data = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [r["company"] for r in data] == ["Nusantara Logistik"]

    # sort by a column header, then open the event
    page.locator("table.events thead").get_by_role("link", name="Jumlah", exact=True).click()
    page.wait_for_url("**urut=jumlah**")
    page.get_by_role("link", name="Nusantara Logistik").click()
    page.wait_for_url("**/peristiwa/1")
    assert "Nusantara Logistik" in page.locator("h1").inner_text()
    assert "<script>" in page.locator("h1").inner_text()  # shown as text, never run
    assert page.locator("ol.reports li").count() == 2
    page.get_by_role("button", name="Salin kutipan").wait_for()  # app.js ran under the CSP
    _axe(page, "event")
    page.screenshot(path=str(shots / "event-desktop.png"), full_page=True)

    for path_, name in (("/metodologi", "method"), ("/cari?q=robot", "search")):
        page.goto(server + path_)
        _axe(page, name)
        page.screenshot(path=str(shots / f"{name}-desktop.png"), full_page=True)

    # phone width
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                has_touch=True)
    ppage = phone.new_page()
    pwatch = Watch(ppage, server)
    for path_, name in (("/", "home"), ("/peristiwa", "events"), ("/peristiwa/1", "event"),
                        ("/metodologi", "method")):
        ppage.goto(server + path_)
        width = ppage.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} scrolls sideways at 390 px ({width} px)"
        ppage.screenshot(path=str(shots / f"{name}-phone.png"), full_page=True)
    _axe(ppage, "events (phone)")

    assert watch.errors == [] and pwatch.errors == []
    assert watch.foreign == [] and pwatch.foreign == []
    context.close()
    phone.close()
    print(f"screenshots: {shots}")
