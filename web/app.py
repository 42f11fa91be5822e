"""The live tracker site and its JSON/CSV API (FastAPI + Jinja2, served by uvicorn).

Rules:
- Every request opens the database read-only (``web.queries.Reader``); the
  site never writes, and works while the crawler writes (WAL).
- Parameters are validated by ``web.queries``; a bad value gets a 400 page
  (HTML) or ``{"error": …}`` (API) — never a traceback. Unknown event ids get
  404; an unexpected error gets a plain 500 page (details only in the log).
- Every response carries security headers: a CSP that allows only our own
  files (no inline script, no external anything), ``X-Content-Type-Options:
  nosniff``, ``Referrer-Policy``, ``X-Frame-Options: DENY``.
- Pages, JSON and CSV carry ``Cache-Control`` and a strong ``ETag`` (hash of
  the body); ``If-None-Match`` gets 304.
- OpenAPI is at ``/openapi.json``. FastAPI's Swagger/ReDoc pages are off:
  they load scripts from a CDN, and the site must work air-gapped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import sqlite3
from pathlib import Path

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from crawler.store import Store

from .pages import (articles_csv, event_page, events_csv, events_json, events_page, home_page, method_page,
                    search_page)
from .queries import BadRequest, NoDatabase, Reader, as_json, parse_filters, parse_page
from .render import STATIC, Urls, environment

log = logging.getLogger("pantau.web")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "interest-cohort=()",
}
CACHE_PAGES = "public, max-age=60"
CACHE_STATIC = "public, max-age=3600"
_ID = re.compile(r"^\d{1,12}$")

FILTER_DOC = {
    "q": "kata kunci full-text (judul dan isi berita peristiwa)",
    "perusahaan": "nama perusahaan (sebagian, tanpa beda huruf besar/kecil)",
    "negara": "negara persis seperti di tabel; 'belum' = tidak disebut",
    "atribusi": "explicit | attributed | disputed | belum",
    "dari": "bulan pertama (TTTT-BB, WIB)",
    "sampai": "bulan terakhir (TTTT-BB, WIB)",
    "min": "jumlah karyawan terdampak minimal",
    "urut": "tanggal | perusahaan | jumlah | persen | negara | atribusi | sumber",
    "arah": "asc | desc",
    "hal": "halaman (mulai 1)",
    "per": "baris per halaman (1-500)",
}


def _q(name: str):
    return Query(None, description=FILTER_DOC[name])


def create_app(db_path: Path | str, site_url: str | None = None) -> FastAPI:
    """The ASGI app over the database at ``db_path`` (opened read-only per request)."""
    db_path = Path(db_path)
    env = environment()
    urls = Urls(static=False)
    app = FastAPI(title="Pantau PHK API", version="1",
                  description="Peristiwa PHK terkait AI seperti diberitakan media Indonesia. Data: CC BY 4.0.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    def origin(request: Request) -> str:
        return (site_url or str(request.base_url)).rstrip("/")

    def permalink_for(request: Request):
        base = origin(request)
        return lambda story_id: f"{base}{urls.event(story_id)}"

    def reader() -> Reader:
        return Reader(db_path)

    def cached(request: Request, body: bytes, media_type: str, status: int = 200, headers=None) -> Response:
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        hdrs = {"ETag": etag, "Cache-Control": CACHE_PAGES, **(headers or {})}
        inm = request.headers.get("if-none-match", "")
        if status == 200 and etag in [t.strip() for t in inm.split(",")]:
            return Response(status_code=304, headers=hdrs)
        return Response(content=body, status_code=status, media_type=media_type, headers=hdrs)

    def page(request: Request, template: str, ctx: dict, status: int = 200) -> Response:
        html = env.get_template(template).render(**ctx).encode("utf-8")
        return cached(request, html, "text/html; charset=utf-8", status)

    def error_page(request: Request, status: int, heading: str, message: str) -> Response:
        if request.url.path.startswith("/api/") or request.url.path.endswith((".csv", ".json")):
            return Response(json.dumps({"error": message, "status": status}, ensure_ascii=False),
                            status_code=status, media_type="application/json")
        html = env.get_template("error.html").render(
            urls=urls, nav="", title=heading, description=message, heading=heading, message=message,
            attributions={}, canonical=None, updated=None)
        return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})

    # -- errors -------------------------------------------------------------------------
    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, exc: BadRequest):
        return error_page(request, 400, "Permintaan tidak valid", str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        return error_page(request, 400, "Permintaan tidak valid", "Parameter permintaan tidak valid.")

    @app.exception_handler(NoDatabase)
    async def no_db(request: Request, exc: NoDatabase):
        return error_page(request, 503, "Data belum tersedia",
                          "Basis data belum ada atau belum berisi peristiwa. Coba lagi setelah perayapan pertama.")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return error_page(request, 404, "Halaman tidak ditemukan", "Alamat ini tidak ada di Pantau PHK.")
        if exc.status_code == 405:
            return error_page(request, 405, "Metode tidak diizinkan", "Situs ini hanya bisa dibaca (GET).")
        return error_page(request, exc.status_code, "Galat", "Permintaan tidak dapat dilayani.")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception):
        log.exception("error serving %s", request.url.path)
        return error_page(request, 500, "Terjadi galat", "Terjadi galat di server. Silakan coba lagi nanti.")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        if request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = CACHE_STATIC
        return response

    # -- pages ------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request):
        with reader() as r:
            template, ctx = home_page(r, urls, origin(request) + "/")
            return page(request, template, ctx)

    @app.get("/peristiwa", response_class=HTMLResponse, include_in_schema=False)
    def events(request: Request):
        f = parse_filters(request.query_params, max_per=200)
        with reader() as r:
            template, ctx = events_page(r, urls, f, origin(request) + urls.events())
            if f.hal > ctx["pages"] and f.hal > 1:
                raise BadRequest(f"Halaman {f.hal} tidak ada; hanya ada {ctx['pages']} halaman.")
            return page(request, template, ctx)

    @app.get("/peristiwa.csv", include_in_schema=False)
    def events_csv_download(request: Request):
        return _download(request, "csv")

    @app.get("/peristiwa.json", include_in_schema=False)
    def events_json_download(request: Request):
        return _download(request, "json")

    def _download(request: Request, fmt: str) -> Response:
        f = parse_filters(request.query_params)
        with reader() as r:
            chunks = (events_csv if fmt == "csv" else events_json)(r, f, permalink_for(request))
            body = "".join(chunks).encode("utf-8")
        name = "pantau-phk-peristiwa" + ("-saringan" if f.filtered else "")
        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
        return cached(request, body, media, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})

    @app.get("/peristiwa/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def event(request: Request, story_id: str):
        if not _ID.match(story_id):
            raise StarletteHTTPException(404)
        with reader() as r:
            ev = r.event(int(story_id))
            if ev is None:
                raise StarletteHTTPException(404)
            template, ctx = event_page(r, urls, ev, permalink_for(request)(ev["id"]))
            return page(request, template, ctx)

    @app.get("/cari", response_class=HTMLResponse, include_in_schema=False)
    def search(request: Request):
        q = parse_filters({"q": request.query_params.get("q")}).q
        page_no, _ = parse_page(request.query_params, 50)
        with reader() as r:
            template, ctx = search_page(r, urls, q, page_no)
            if q and not ctx["result"]["error"] and page_no > ctx["pages"] and page_no > 1:
                raise BadRequest(f"Halaman {page_no} tidak ada; hanya ada {ctx['pages']} halaman.")
            return page(request, template, ctx)

    @app.get("/metodologi", response_class=HTMLResponse, include_in_schema=False)
    def method(request: Request):
        with reader() as r:
            template, ctx = method_page(r, urls, origin(request) + urls.method())
            return page(request, template, ctx)

    @app.get("/feed.xml", include_in_schema=False)
    def feed(request: Request):
        from crawler.atom import build_feed

        with reader() as r:
            try:
                xml = build_feed(Store(r.conn, r.path), self_url=origin(request) + "/feed.xml")
            except sqlite3.Error as exc:  # e.g. a database not yet migrated to what the feed reads
                log.warning("feed not available: %s", exc)
                return error_page(request, 503, "Feed belum tersedia", "Feed belum tersedia; coba lagi nanti.")
        return cached(request, xml.encode("utf-8"), "application/atom+xml; charset=utf-8")

    # -- API --------------------------------------------------------------------------------
    def _api_events(request: Request, fmt: str) -> Response:
        f = parse_filters(request.query_params)
        if fmt == "csv":
            return _download(request, "csv")
        with reader() as r:
            rows, total = r.events(f)
        link = permalink_for(request)
        pages = max(1, math.ceil(total / f.per))
        body = {"total": total, "page": f.hal, "per_page": f.per, "pages": pages,
                "next": (str(request.url.include_query_params(hal=f.hal + 1)) if f.hal < pages else None),
                "items": [{**as_json(ev), "url": link(ev["id"])} for ev in rows]}
        return cached(request, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json")

    @app.get("/api/events", summary="Daftar peristiwa (disaring, diurutkan, per halaman)")
    def api_events(request: Request, q: str | None = _q("q"), perusahaan: str | None = _q("perusahaan"),
                   negara: str | None = _q("negara"), atribusi: str | None = _q("atribusi"),
                   dari: str | None = _q("dari"), sampai: str | None = _q("sampai"), min: str | None = _q("min"),
                   urut: str | None = _q("urut"), arah: str | None = _q("arah"), hal: str | None = _q("hal"),
                   per: str | None = _q("per")):
        return _api_events(request, "json")

    @app.get("/api/events.csv", summary="Peristiwa yang sama sebagai CSV (semua baris hasil saringan)",
             response_class=Response)
    def api_events_csv(request: Request, q: str | None = _q("q"), perusahaan: str | None = _q("perusahaan"),
                       negara: str | None = _q("negara"), atribusi: str | None = _q("atribusi"),
                       dari: str | None = _q("dari"), sampai: str | None = _q("sampai"),
                       min: str | None = _q("min"), urut: str | None = _q("urut"), arah: str | None = _q("arah")):
        return _api_events(request, "csv")

    @app.get("/api/events/{story_id}", summary="Satu peristiwa dengan semua beritanya")
    def api_event(request: Request, story_id: str):
        if not _ID.match(story_id):
            raise StarletteHTTPException(404)
        with reader() as r:
            ev = r.event(int(story_id))
        if ev is None:
            raise StarletteHTTPException(404)
        body = {**as_json(ev), "url": permalink_for(request)(ev["id"])}
        return cached(request, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json")

    def _articles(request: Request):
        q = parse_filters({"q": request.query_params.get("q")}).q
        if not q:
            raise BadRequest("Parameter 'q' (kata kunci) wajib diisi.")
        page_no, per = parse_page(request.query_params, 100)
        with reader() as r:
            result = r.search(q, page_no, per)
        if result["error"]:
            raise BadRequest("Kata kunci tidak berisi kata yang bisa dicari.")
        return q, page_no, per, result

    @app.get("/api/articles", summary="Cari berita yang ditandai (full-text, sama dengan /cari)")
    def api_articles(request: Request, q: str = Query(..., description="kata kunci"),
                     hal: str | None = _q("hal"), per: str | None = Query(None, description="baris per halaman (1-100)")):
        q, page_no, per_page, result = _articles(request)
        pages = max(1, math.ceil(result["total"] / per_page))
        body = {"query": q, "total": result["total"], "total_capped": result["capped"], "page": page_no, "per_page": per_page, "pages": pages,
                "next": (str(request.url.include_query_params(hal=page_no + 1)) if page_no < pages else None),
                "items": result["hits"]}
        return cached(request, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json")

    @app.get("/api/articles.csv", summary="Hasil pencarian yang sama sebagai CSV (satu halaman)",
             response_class=Response)
    def api_articles_csv(request: Request, q: str = Query(..., description="kata kunci"),
                         hal: str | None = _q("hal"), per: str | None = Query(None, description="baris (1-100)")):
        _, _, _, result = _articles(request)
        return cached(request, articles_csv(result["hits"]).encode("utf-8"), "text/csv; charset=utf-8",
                      headers={"Content-Disposition": 'attachment; filename="pantau-phk-berita.csv"'})

    return app


def app_from_settings():
    """ASGI factory for ``uvicorn --factory web.app:app_from_settings``."""
    from crawler.config import Settings

    settings = Settings()
    return create_app(settings.db_path, settings.get("PANTAU_SITE_URL"))


__all__ = ["create_app", "app_from_settings"]
