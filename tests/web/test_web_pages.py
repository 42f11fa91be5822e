"""The live tracker site in-process (FastAPI TestClient over a real fixture SQLite file)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import sqlite3
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient

from web.app import create_app
from web.queries import EventFilter, Reader, connect_ro, evaluation

from tests.web.site_fixture import build_site_db

PAGES = ["/", "/peristiwa", "/peristiwa?q=robot", "/peristiwa/1", "/cari?q=PHK", "/metodologi"]


def table_ids(html: str) -> list[int]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [int(x) for x in re.findall(r'href="/peristiwa/(\d+)"', body)]


# -- home -------------------------------------------------------------------------------

def test_home_counters_latest_chart_and_top_companies(client):
    r = client.get("/")
    assert r.status_code == 200
    html = r.text
    assert '<html lang="id">' in html
    counters = [(label, int(n.replace(".", ""))) for n, label in re.findall(
        r"<li><strong>([\d.]+)</strong> (peristiwa bulan ini|peristiwa|karyawan terdampak|perusahaan)\b", html)]
    assert counters[:3] == [("peristiwa", 4), ("karyawan terdampak", 5700), ("perusahaan", 3)]
    assert counters[3][0] == "peristiwa bulan ini"
    # latest stories link to their event pages
    assert 'href="/peristiwa/2">AwanBiru Pangkas 30% Staf demi Strategi AI-First</a>' in html
    # inline SVG chart with a text alternative; empty months are rows with zero
    assert html.count('<svg viewBox') == 2 and 'role="img"' in html and "<desc id=" in html
    rows = re.findall(r'<tr><th scope="row">(\w+ \d{4})</th><td class="num">([\d.]+)</td><td class="num">([\d.]+)</td></tr>', html)
    months = dict((m, (int(e), int(j.replace(".", "")))) for m, e, j in rows)
    assert months["Januari 2026"] == (1, 1200)
    assert months["Februari 2026"] == (1, 4000)
    assert months["Maret 2026"] == (2, 500)
    assert months["April 2026"] == (0, 0)  # an empty month is shown
    # top companies, by jobs cut
    top = re.findall(r'<tr><th scope="row"><a href="/peristiwa\?perusahaan=[^"]+">([^<]+)</a>', html)
    assert top == ["AwanBiru", "Nusantara Logistik", "KilatPay"]


def test_counters_this_month_uses_wib_month(site_db):
    with Reader(site_db[0]) as r:
        assert r.counters(now=datetime(2026, 1, 20, tzinfo=timezone.utc))["this_month"] == 1
        # 31 Mar 16:00 UTC is still March in WIB (23:00); 18:00 UTC is already 1 April 01:00 WIB
        assert r.counters(now=datetime(2026, 3, 31, 16, tzinfo=timezone.utc))["this_month"] == 2
        assert r.counters(now=datetime(2026, 3, 31, 18, tzinfo=timezone.utc))["this_month"] == 0
    with Reader(site_db[0]) as r:
        assert r.counters(now=datetime(2026, 3, 5, tzinfo=timezone.utc))["this_month"] == 2
        assert r.counters(now=datetime(2026, 4, 5, tzinfo=timezone.utc))["this_month"] == 0


# -- escaping, headers, no external resources ---------------------------------------------------

@pytest.mark.parametrize("path", PAGES + ["/peristiwa?perusahaan=%3Cscript%3E", "/cari?q=%3Cscript%3Ealert"])
def test_titles_and_parameters_are_escaped(client, path):
    html = client.get(path).text
    assert "<script>" not in html and 'alert("x")' not in html
    assert all(re.fullmatch(r'<script src="/static/app\.js" defer></script>', s)
               for s in re.findall(r"<script[^>]*>.*?</script>", html, re.S))


def test_escaped_fixture_title_is_visible_as_text(client):
    html = client.get("/peristiwa/1").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


@pytest.mark.parametrize("path", PAGES + ["/peristiwa?min=x", "/nope", "/api/events", "/static/style.css",
                                          "/feed.xml", "/peristiwa.csv"])
def test_security_headers_everywhere(client, path):
    h = client.get(path).headers
    csp = h["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "strict-origin-when-cross-origin"
    assert h["x-frame-options"] == "DENY"


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_no_external_resource(client, path):
    html = client.get(path).text
    for tag, attr in re.findall(r"<(link|script|img|iframe|source)\b[^>]*?\b(?:href|src)=\"([^\"]+)\"", html):
        if tag == "link" and 'rel="canonical"' in html and attr.startswith("https://phk.example.id"):
            continue
        assert attr.startswith("/"), (tag, attr)
    assert "style=" not in html  # CSP: no inline styles either


def test_feed_auto_discovery_and_open_graph(client):
    html = client.get("/peristiwa/2").text
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert '<meta property="og:title" content="AwanBiru Pangkas 30% Staf demi Strategi AI-First">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:url" content="https://phk.example.id/peristiwa/2">' in html
    assert re.search(r'<meta property="og:description" content="AwanBiru · 4.000 karyawan · 1 berita\. CEO', html)
    feed = client.get("/feed.xml")
    root = ET.fromstring(feed.content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) == 4


# -- events table ----------------------------------------------------------------------------------

@pytest.mark.parametrize("query,expected", [
    ("", [4, 3, 2, 1]),
    ("perusahaan=nusantara", [1]),
    ("perusahaan=NUSANTARA+log", [1]),
    ("negara=Singapura", [3]),
    ("negara=belum", [4]),
    ("atribusi=explicit", [2, 1]),
    ("atribusi=disputed", [4]),
    ("dari=2026-02&sampai=2026-02", [2]),
    ("dari=2026-03", [4, 3]),
    ("sampai=2026-01", [1]),
    ("min=1000", [2, 1]),
    ("min=1200", [2, 1]),
    ("min=1201", [2]),
    ("q=robot", [1]),
    ("q=chatbot+pelanggan", [3]),
    ("q=futsal", []),  # the unflagged article is not an event
    ("urut=jumlah&arah=asc", [3, 1, 2, 4]),  # unknown figures last
    ("urut=jumlah", [2, 1, 3, 4]),
    ("urut=perusahaan&arah=asc", [2, 3, 1, 4]),
    ("urut=sumber", [1, 4, 3, 2]),
    ("perusahaan=%27+OR+1%3D1+--", []),  # SQL in a value is only a value
    ("perusahaan=%25", []),  # LIKE wildcards are literal
])
def test_events_filters_and_sort(client, query, expected):
    r = client.get("/peristiwa?" + query)
    assert r.status_code == 200
    assert table_ids(r.text) == expected
    api = client.get("/api/events?" + query).json()
    assert [e["id"] for e in api["items"]] == expected
    assert api["total"] == len(expected)


def test_events_table_semantics_and_sort_state(client):
    html = client.get("/peristiwa?urut=jumlah&arah=asc").text
    assert "<caption" in html and html.count('<th scope="col"') == 7
    assert re.search(r'<th scope="col" class="num" aria-sort="ascending">\s*<a href="/peristiwa\?urut=jumlah">', html)
    for label in ("Tanggal", "Perusahaan", "Jumlah", "Persen", "Negara", "Atribusi", "Sumber"):
        assert f">{label}" in html
    row = html.split('href="/peristiwa/1"', 1)[1].split("</tr>", 1)[0]
    assert "1.200" in row and "15%" in row and "Indonesia" in row and "Eksplisit" in row
    assert "Warta Tekno, Kabar Bisnis" in row


def test_pagination(client):
    ids, page = [], 1
    while True:
        r = client.get(f"/peristiwa?per=3&hal={page}")
        assert r.status_code == 200
        ids += table_ids(r.text)
        if 'rel="next"' not in r.text:
            break
        assert f'href="/peristiwa?hal={page + 1}&amp;per=3" rel="next"' in r.text
        page += 1
    assert ids == [4, 3, 2, 1] and page == 2
    assert "Menampilkan 4–4 dari 4 peristiwa" in client.get("/peristiwa?per=3&hal=2").text
    assert client.get("/peristiwa?per=3&hal=3").status_code == 400


def test_download_is_exactly_the_filtered_view(client):
    page = client.get("/peristiwa?atribusi=explicit&urut=jumlah&arah=asc&per=1")
    assert 'href="/peristiwa.csv?atribusi=explicit&amp;urut=jumlah&amp;arah=asc" download' in page.text
    r = client.get("/peristiwa.csv?atribusi=explicit&urut=jumlah&arah=asc")
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [int(x["id"]) for x in rows] == [1, 2]  # all pages of the view, in its order
    assert rows[0]["company"] == "Nusantara Logistik" and rows[0]["jobs_cut"] == "1200"
    assert rows[0]["outlets"] == "Warta Tekno; Kabar Bisnis"
    assert rows[0]["url"] == "https://phk.example.id/peristiwa/1"
    assert rows[0]["attribution"] == "explicit" and rows[0]["evidence"].startswith("Direktur utama")
    j = client.get("/peristiwa.json?atribusi=explicit&urut=jumlah&arah=asc").json()
    assert [e["id"] for e in j] == [1, 2] and len(j[0]["links"]) == 2
    assert client.get("/api/events.csv?atribusi=explicit&urut=jumlah&arah=asc").text == r.text


def test_csv_cells_cannot_become_spreadsheet_formulas(tmp_path):
    from web.pages import _cell

    assert _cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert _cell("@SUM(1)") == "'@SUM(1)" and _cell("-12.5") == "-12.5" and _cell(["a", "b"]) == "a; b"


# -- bad input -------------------------------------------------------------------------------------

BAD = ["min=abc", "min=-5", "min=1e9", "dari=2026-13", "dari=26-01", "sampai=2026-1", "dari=2026-05&sampai=2026-01",
       "urut=id%3B+DROP+TABLE+stories", "urut=title", "arah=up", "hal=0", "hal=abc", "hal=99999999999", "per=0",
       "per=100000", "atribusi=foo", "q=" + "a" * 201, "perusahaan=a%00b", "negara=" + "x" * 61]


@pytest.mark.parametrize("query", BAD)
def test_bad_parameters_get_a_400_page_not_a_traceback(client, query):
    r = client.get("/peristiwa?" + query)
    assert r.status_code == 400
    assert "text/html" in r.headers["content-type"]
    assert "Permintaan tidak valid" in r.text and "Traceback" not in r.text and "sqlite" not in r.text.lower()
    api = client.get("/api/events?" + query)
    assert api.status_code == 400 and api.json()["error"]
    assert client.get("/peristiwa.csv?" + query).status_code == 400


def test_bad_ids_and_unknown_paths_are_404(client):
    for path in ("/peristiwa/999", "/peristiwa/abc", "/peristiwa/1%27", "/api/events/999", "/api/events/-1",
                 "/nope", "/static/../web/app.py", "/docs", "/redoc"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "Traceback" not in r.text
    assert client.post("/peristiwa").status_code == 405


# -- event page --------------------------------------------------------------------------------------

def test_event_page_facts_evidence_attribution_reports(client):
    r = client.get("/peristiwa/1")
    assert r.status_code == 200
    html = r.text
    assert "Nusantara Logistik" in html and "1.200" in html and "15%" in html and "Indonesia" in html
    assert "Direktur utama menyebut sistem robot dan kecerdasan buatan kini menangani penyortiran paket." in html
    assert "Eksplisit</span> — Perusahaan atau eksekutifnya sendiri menyebut AI" in html
    assert "14 Jan 2026, 09.30 WIB</time> oleh Warta Tekno" in html  # first reported
    reports = html.split('id="berita"', 1)[1].split("</ol>", 1)[0]
    assert reports.count("<li>") == 2
    assert 'href="https://berita.example/tekno/nusantara-robot" rel="noopener noreferrer external"' in reports
    assert "Kabar Bisnis · <time" in reports and "14 Jan 2026, 15.05 WIB" in reports
    assert "https://phk.example.id/peristiwa/1" in html  # citation with the stable URL
    ev = client.get("/api/events/1").json()
    assert ev["url"] == "https://phk.example.id/peristiwa/1" and len(ev["reports"]) == 2
    assert ev["reports"][0]["outlet"] == "Warta Tekno"


def test_corrections_history_shown_when_the_table_exists(tmp_path):
    db = tmp_path / "c.db"
    build_site_db(db)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE corrections (id INTEGER PRIMARY KEY, story_id INTEGER, field TEXT, before TEXT, "
                 "after TEXT, created TEXT, editor TEXT)")
    conn.execute("INSERT INTO corrections (story_id, field, before, after, created, editor) VALUES "
                 "(3, 'jobs_cut', '5000', '500', '2026-03-21T02:00:00+00:00', 'secret-editor-42')")
    conn.commit()
    conn.close()
    with TestClient(create_app(db)) as c:
        html = c.get("/peristiwa/3").text
        assert "Riwayat koreksi" in html and "jobs_cut: 5000 → 500" in html and "21 Mar 2026, 09.00 WIB" in html
        assert "secret-editor-42" not in html  # who corrected is not published
        assert "Riwayat koreksi" not in c.get("/peristiwa/2").text


def test_plain_schema_without_attribution_columns_still_works(tmp_path):
    db = tmp_path / "plain.db"
    build_site_db(db, extended=False)
    conn = sqlite3.connect(db)  # the 003_stories schema: no attribution/evidence anywhere
    for table in ("stories", "articles"):
        for col in ("attribution", "evidence"):
            cols = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            if col in cols:
                for (index,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                                             "tbl_name = ? AND sql LIKE ?", [table, f"%{col}%"]).fetchall():
                    conn.execute(f"DROP INDEX {index}")
                conn.execute(f"ALTER TABLE {table} DROP COLUMN {col}")
    conn.commit()
    conn.close()
    with Reader(db) as r:
        assert not r.has_attribution and "evidence" not in r.article_cols
    with TestClient(create_app(db)) as c:
        for path in PAGES + ["/api/events", "/peristiwa.csv", "/peristiwa?urut=atribusi"]:
            assert c.get(path).status_code == 200, path
        assert "Belum ditentukan" in c.get("/peristiwa/1").text
        assert table_ids(c.get("/peristiwa?atribusi=explicit").text) == []
        assert table_ids(c.get("/peristiwa?atribusi=belum").text) == [4, 3, 2, 1]


# -- search ----------------------------------------------------------------------------------------------

def test_search_page_flagged_articles_only(client):
    html = client.get("/cari?q=robot").text
    assert "2 berita cocok" in html
    assert 'href="/peristiwa/1">peristiwa #1</a>' in html
    assert "futsal" not in client.get("/cari?q=futsal").text.lower().split("</form>", 1)[1].split("</main>")[0] \
        or "0 berita cocok" in client.get("/cari?q=futsal").text
    assert "0 berita cocok" in client.get("/cari?q=futsal").text
    empty = client.get("/cari?q=%22%28%29").text
    assert 'role="alert"' in empty and "Kata kunci kosong" in empty
    api = client.get("/api/articles?q=robot&per=1").json()
    assert api["total"] == 2 and len(api["items"]) == 1 and api["next"].endswith("hal=2")
    assert client.get("/api/articles").status_code == 400
    assert client.get("/api/articles?q=%28%29").status_code == 400
    rows = list(csv.DictReader(io.StringIO(client.get("/api/articles.csv?q=robot").text)))
    assert len(rows) == 2 and {r["outlet"] for r in rows} == {"Warta Tekno", "Kabar Bisnis"}


# -- methodology ----------------------------------------------------------------------------------------

def test_methodology_rules_sources_citation_licence(client):
    html = client.get("/metodologi").text
    from crawler.classify import RULES_VERSION

    assert f"<strong>{RULES_VERSION}</strong>" in html
    assert "main subject is job cuts" in html  # quoted from the classifier's own docstring
    assert "Warta Tekno" in html and "Sehat" in html and "Gagal 3 kali berturut-turut" in html
    assert "Cara mengutip" in html and "CC BY 4.0" in html
    ev = evaluation()
    if ev is None:
        assert "belum diukur" in html
    else:  # the figures shown are the ones measured, read from the model file / evaluation output
        assert f"presisi <strong>{ev['precision']:.2f}</strong>".replace(".", ",") in html
        assert f"recall <strong>{ev['recall']:.2f}</strong>".replace(".", ",") in html


def test_evaluation_is_read_from_the_model_meta():
    from web.queries import scores_from_meta

    meta = {"version": "hybrid-1/2025.4/400r110p",
            "cv": {"rules": {"n": 400, "precision": 0.9, "recall": 0.8, "f1": 0.85},
                   "hybrid": {"n": 400, "precision": 0.961, "recall": 0.94, "f1": 0.95}}}
    ev = scores_from_meta(meta)
    assert (ev["precision"], ev["recall"], ev["n"], ev["version"]) == (0.961, 0.94, 400, "hybrid-1/2025.4/400r110p")
    assert "hybrid" in ev["section"]
    assert scores_from_meta({"version": "x"}) is None and scores_from_meta({"cv": {"hybrid": None}}) is None


def test_evaluation_is_read_from_an_output_file(tmp_path):
    assert evaluation(tmp_path, use_model=False) is None
    out = tmp_path / "crawler" / "classify"
    out.mkdir(parents=True)
    (out / "evaluation.json").write_text(json.dumps(
        {"model_version": "hybrid-2026.1", "date": "2026-12-01",
         "grouped_cv": {"precision": 0.957, "recall": 0.931, "n": 362}}))
    ev = evaluation(tmp_path, use_model=False)
    assert ev["precision"] == 0.957 and ev["recall"] == 0.931 and ev["version"] == "hybrid-2026.1"
    assert ev["section"] == "grouped_cv" and ev["n"] == 362


# -- API: paging, ETag, OpenAPI ----------------------------------------------------------------------

def test_api_paging_etag_cache_and_openapi(client):
    r = client.get("/api/events?per=2")
    body = r.json()
    assert body["total"] == 4 and body["pages"] == 2 and len(body["items"]) == 2
    assert body["next"].endswith("hal=2") and body["items"][0]["url"].startswith("https://phk.example.id/")
    assert r.headers["cache-control"].startswith("public, max-age=")
    etag = r.headers["etag"]
    again = client.get("/api/events?per=2", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/api/events?per=3", headers={"If-None-Match": etag}).status_code == 200
    assert client.get("/", headers={"If-None-Match": client.get("/").headers["etag"]}).status_code == 304
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{story_id}", "/api/articles", "/api/events.csv",
            "/api/articles.csv"} <= set(spec["paths"])
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"q", "perusahaan", "negara", "atribusi", "dari", "sampai", "min", "urut", "arah", "hal", "per"} <= params


# -- read-only --------------------------------------------------------------------------------------------

def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_site_never_writes(tmp_path):
    db = tmp_path / "ro.db"
    build_site_db(db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = _digest(db)
    with TestClient(create_app(db)) as c:
        for path in PAGES + ["/api/events", "/api/articles?q=AI", "/peristiwa.csv", "/feed.xml"]:
            assert c.get(path).status_code == 200
    assert _digest(db) == before
    ro = connect_ro(db)
    with pytest.raises(sqlite3.OperationalError):
        ro.execute("DELETE FROM stories")
    ro.close()


def test_missing_database_is_503_and_not_created(tmp_path):
    db = tmp_path / "none" / "pantau.db"
    with TestClient(create_app(db)) as c:
        r = c.get("/")
        assert r.status_code == 503 and "Data belum tersedia" in r.text
        assert c.get("/api/events").status_code == 503
    assert not db.exists() and not db.parent.exists()


def test_event_filter_params_roundtrip():
    f = EventFilter(perusahaan="A", min=0, urut="jumlah")
    assert f.params() == {"perusahaan": "A", "min": "0", "urut": "jumlah"}
    assert f.filtered and not EventFilter(urut="jumlah").filtered


def test_only_http_links_are_rendered_as_links(tmp_path):
    from crawler.stories import assign_story
    from crawler.store import Store
    from tests.web.site_fixture import _record

    db = tmp_path / "js.db"
    store = Store.open(db)
    aid, _ = store.insert_article(_record("javascript:alert(document.cookie)", "Warta Tekno",
                                          "2026-02-01T10:00:00+07:00", "Judul biasa PHK karena AI",
                                          "Teks berita PHK karena AI.", ["Contoh"], 10, None), [])
    sid = assign_story(store, aid)
    store.close()
    with TestClient(create_app(db)) as c:
        html = c.get(f"/peristiwa/{sid}").text
        assert "javascript:" not in html and 'href="#"' in html
        assert "javascript:" not in c.get("/cari?q=biasa").text


def test_editorial_audit_shows_corrections_not_editors_or_internal_rows(tmp_path):
    db = tmp_path / "a.db"
    build_site_db(db)
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE IF EXISTS audit")
    conn.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY, at TEXT, user_id TEXT, user_name TEXT, action TEXT, "
                 "story_id INTEGER, article_id INTEGER, before TEXT, after TEXT)")
    conn.executemany(
        "INSERT INTO audit (at, user_id, user_name, action, story_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [("2026-03-21T02:00:00+00:00", "4242", "Redaktur Rahasia", "correct", 3,
          json.dumps({"jobs_cut": 5000, "country": None}), json.dumps({"jobs_cut": 500, "country": "Singapura"})),
         ("2026-03-21T01:00:00+00:00", "4242", "Redaktur Rahasia", "approve", 3, None, json.dumps({"released": 2})),
         ("2026-03-21T03:00:00+00:00", None, "otomatis", "grey_reject", 3, None, None)])
    conn.commit()
    conn.close()
    with TestClient(create_app(db)) as c:
        html = c.get("/peristiwa/3").text
        history = html.split('id="koreksi"', 1)[1].split("</section>", 1)[0]
        assert "Ditinjau redaksi" in history
        assert "Koreksi: jumlah 5000 → 500; negara — → Singapura" in history
        assert "grey" not in history and "Redaktur Rahasia" not in html and "4242" not in html
        assert history.index("Ditinjau redaksi") < history.index("Koreksi")  # oldest first
