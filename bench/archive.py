"""Generated archives for the scale benchmarks (bench/search.py, bench/ingest.py).

    .venv/bin/python bench/archive.py --articles 1000000     # build (or reuse) bench/out/archive-1000000.db

An archive is built through the project's own ``Store.insert_article`` (same
schema, triggers, FTS indexes, URL aliases as a real crawl), in transactions
of ``BLOCK`` articles, at about 3,000 articles a day ending today, 1 % of
them flagged. The text is Indonesian news prose generated from this file's
own word lists and sentence templates (no third-party text): common
function words, nine news desks (business with ordinary layoff news,
economy, politics, sport, technology with AI news, …),
and for the flagged 1 % the vocabulary of AI-linked layoffs with company
names, some frequent and some rare.

The file is cached under bench/out/ (gitignored) and reused; next to it
``archive-N.json`` records the build: seconds per block of ``BLOCK`` inserts
(the ingestion curve, see bench/ingest.py). Delete the files to rebuild.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.store import Store  # noqa: E402

OUT = ROOT / "bench" / "out"
BLOCK = 1000
PER_DAY = 3000
FLAGGED = 0.01
SEED = 15

# -- vocabulary (written for this benchmark) ----------------------------------------------------------

FUNCTION = ("yang dan di untuk dengan ini itu dari dalam akan pada juga tidak ke karena adalah oleh para telah "
            "sudah masih bisa lebih saat tersebut menjadi bahwa hingga sebagai namun agar atau serta kepada "
            "secara antara setelah sejak tahun ini kata dia mereka kami kita").split()
DESKS = {
    "ekonomi": ("harga beras cabai inflasi rupiah dolar bursa saham indeks investor ekspor impor neraca dagang "
                "suku bunga bank sentral kredit pinjaman pajak anggaran pertumbuhan ekonomi konsumsi rumah tangga "
                "pasar tradisional pedagang petani nelayan koperasi UMKM pembiayaan").split(),
    "bisnis": ("perusahaan karyawan pekerja PHK pemutusan hubungan kerja pabrik tekstil garmen alas kaki buruh "
               "upah minimum pesangon manufaktur produksi pesanan ekspor serikat pekerja direksi laba rugi "
               "efisiensi restrukturisasi saham emiten kuartal pendapatan").split(),
    "politik": ("presiden menteri gubernur bupati wali kota DPR DPRD partai koalisi pemilu kampanye calon legislatif "
                "rapat paripurna undang undang rancangan peraturan kebijakan pemerintah daerah anggaran "
                "kementerian lembaga survei elektabilitas").split(),
    "olahraga": ("timnas sepak bola pelatih pemain gol pertandingan liga klub stadion suporter bulu tangkis "
                 "juara turnamen medali atlet pebulu tangkis final semifinal skor kemenangan kekalahan").split(),
    "teknologi": ("aplikasi ponsel pintar internet jaringan seluler operator data pengguna platform digital "
                  "startup unicorn pendanaan investor modal ventura layanan daring e-commerce dompet digital "
                  "pembayaran keamanan siber peretas server komputasi awan perangkat lunak kecerdasan buatan AI "
                  "model bahasa chatbot perusahaan karyawan").split(),
    "hukum": ("polisi tersangka penyidik kejaksaan pengadilan hakim vonis sidang saksi korupsi suap gratifikasi "
              "penangkapan barang bukti laporan pidana perdata banding kasasi").split(),
    "daerah": ("banjir longsor hujan deras warga desa kecamatan kabupaten jalan rusak jembatan bantuan sosial "
               "posko pengungsi relawan BPBD kebakaran lahan kemarau air bersih").split(),
    "kesehatan": ("rumah sakit dokter pasien puskesmas vaksin imunisasi demam berdarah BPJS obat tenaga kesehatan "
                  "gizi stunting balita kasus penyakit menular").split(),
    "pendidikan": ("sekolah guru murid siswa mahasiswa kampus universitas kurikulum ujian beasiswa zonasi "
                   "pendaftaran peserta didik dosen rektor akreditasi").split(),
}
PLACES = ("Jakarta Bandung Surabaya Medan Semarang Yogyakarta Makassar Palembang Denpasar Balikpapan Batam "
          "Pekanbaru Malang Bogor Bekasi Tangerang Depok Manado Padang Pontianak Samarinda Kupang Ambon").split()
NAMES = ("Budi Siti Andi Dewi Agus Rina Joko Sri Hendra Wati Bambang Ratna Eko Yuni Fajar Lestari Rizky Putri "
         "Dimas Ayu Taufik Indah Arif Nur Wahyu Fitri Gilang Sinta").split()
SURNAMES = ("Santoso Wijaya Saputra Lestari Pratama Hidayat Nugroho Kusuma Siregar Simanjuntak Harahap Rahman "
            "Setiawan Purnomo Gunawan Halim Tanjung Wibowo").split()
# companies named in the flagged (AI layoff) articles: a few frequent, many rare
COMPANIES_FREQUENT = ("Amazon Microsoft Google Meta Salesforce GoTo Shopee Tokopedia Bukalapak Traveloka IBM "
                      "Intel").split()
COMPANIES_RARE = ("Fiverr Klarna Duolingo Chegg Dropbox Workday Autodesk Zendesk Ruangguru Zenius Xendit "
                  "Kredivo Akulaku Bhinneka Blibli Lazada Grab Indosat Telkomsel Ajaib Pluang Sirclo Mamikos "
                  "Sayurbox eFishery Koinworks Investree TaniHub Fabelio Pahamify").split()
LAYOFF = ("PHK pemutusan hubungan kerja karyawan pekerja kecerdasan buatan AI otomatisasi efisiensi restrukturisasi "
          "chatbot layanan pelanggan divisi pesangon tenaga kerja digantikan sistem algoritma model bahasa "
          "generatif produktivitas pengurangan jumlah pegawai perampingan").split()

TEMPLATES = [
    "{Kw} {f} {w} {w} {f} {w} {place} {f} {w} {w}.",
    "Menurut {person}, {w} {f} {w} {w} {f} {w} {w} {f} {w}.",
    "{Kw} {w} {f} {w} {w} sebesar {num} persen {f} {w} {w} {f} {month}.",
    "Hal {f} disampaikan {person} di {place}, {day}.",
    "{Kw} {f} {w} {w} {f} {w} {f} {w} {w} {w} {f} {w} {w}.",
    "Sebanyak {num} {w} {f} {w} {w} {f} {place} {f} {w}.",
    "\"{Kw} {f} {w} {w} {f} {w},\" kata {person} kepada wartawan.",
    "{Kw} {w} {f} {w} {place} {f} {w} {w} {f} {w} {w} {f} {w} {w} {f} {w}.",
]
LAYOFF_TEMPLATES = [
    "{company} melakukan PHK terhadap {num} karyawan karena tugas mereka digantikan kecerdasan buatan.",
    "Perusahaan {company} menyebut otomatisasi dan AI membuat {num} posisi {w} tidak lagi dibutuhkan.",
    "{Kw} {f} {company} {f} {w} {w} {f} pemutusan hubungan kerja {f} {w}.",
    "Gelombang PHK di {company} menyasar divisi layanan pelanggan yang kini ditangani chatbot.",
    "Sekitar {num} pekerja {company} di {place} terdampak restrukturisasi berbasis AI.",
]
DAYS = "Senin Selasa Rabu Kamis Jumat Sabtu Minggu".split()
MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()


class Writer:
    """Deterministic generator of news articles (titles, paragraphs, records)."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.desks = list(DESKS)

    def _fill(self, template: str, vocab: list[str], company: str | None = None) -> str:
        r = self.rng
        out = template
        while "{" in out:
            head, _, rest = out.partition("{")
            key, _, tail = rest.partition("}")
            if key == "w":
                val = r.choice(vocab)
            elif key == "Kw":
                val = r.choice(vocab).capitalize()
            elif key == "f":
                val = r.choice(FUNCTION)
            elif key == "place":
                val = r.choice(PLACES)
            elif key == "person":
                val = f"{r.choice(NAMES)} {r.choice(SURNAMES)}"
            elif key == "num":
                val = str(r.choice([12, 40, 75, 120, 250, 300, 500, 1200, 2500, 14000]))
            elif key == "month":
                val = r.choice(MONTHS)
            elif key == "day":
                val = r.choice(DAYS)
            elif key == "company":
                val = company or "perusahaan itu"
            else:
                val = key
            out = head + val + tail
        return out

    def article(self, flagged: bool) -> dict:
        r = self.rng
        desk = "teknologi" if flagged else r.choice(self.desks)
        vocab = DESKS[desk] + (LAYOFF if flagged else [])
        company = None
        if flagged:
            pool = COMPANIES_FREQUENT if r.random() < 0.7 else COMPANIES_RARE
            company = r.choice(pool)
        n_paras = r.randint(4, 10)
        paras = []
        for p in range(n_paras):
            sents = []
            for _ in range(r.randint(2, 4)):
                if flagged and (p == 0 or r.random() < 0.25):
                    sents.append(self._fill(r.choice(LAYOFF_TEMPLATES), vocab, company))
                else:
                    sents.append(self._fill(r.choice(TEMPLATES), vocab, company))
            paras.append(" ".join(sents))
        if flagged:
            title = self._fill(r.choice(["{company} PHK {num} Karyawan, Tugas Diambil Alih AI",
                                         "Gara-gara AI, {company} Pangkas {num} Pegawai",
                                         "{company} Lakukan Efisiensi, {num} Pekerja Terdampak Otomatisasi"]),
                               vocab, company)
        else:
            title = self._fill(r.choice(["{Kw} {w} di {place} {f} {w}", "{person}: {Kw} {f} {w} {w}",
                                         "{Kw} {w} {w}, {Kw} {f} {w}"]), vocab)
        return {"title": title, "text": "\n\n".join(paras), "desk": desk, "company": company}


def record(writer: Writer, i: int, when: datetime, flagged: bool) -> tuple[dict, list[str]]:
    """A stored article as the crawler would write it, and its aliases (feed link, GUID)."""
    art = writer.article(flagged)
    outlet = i % 40
    slug = "-".join(art["title"].lower().split()[:6]).replace(",", "").replace(":", "")
    url = f"https://portal{outlet}.example/{art['desk']}/{when:%Y/%m/%d}/{slug}-{i}"
    text = art["text"]
    iso = when.replace(microsecond=0).isoformat()
    rec = {"url": url, "guid": f"portal{outlet}-{i}", "title": art["title"], "text": text,
           "summary": text[:200], "source": f"portal{outlet}", "outlet": f"Portal {outlet}", "language": "id",
           "published": iso, "fetched": iso, "extracted": 1,
           "content_hash": hashlib.sha1(text.encode()).hexdigest(), "match": flagged,
           "score": 0.9 if flagged else 0.05, "reasons": ["PHK", "AI"] if flagged else [],
           "companies": [art["company"]] if flagged else [], "jobs_cut": 250 if flagged else None,
           "rules_version": "bench", "classified_at": iso}
    return rec, [url + "?utm_source=rss&utm_medium=feed", rec["guid"]]


def timeline(n: int, now: datetime) -> datetime:
    """Start time for an archive of n articles at PER_DAY articles a day ending at ``now``."""
    return now - timedelta(days=n / PER_DAY)


def build(n: int, path: Path, progress: bool = True) -> dict:
    """Build an archive of n articles at ``path`` (removed first). Returns the build record."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(path)
    writer = Writer()
    flag_rng = random.Random(SEED + 1)
    now = datetime.now(timezone.utc)
    start = timeline(n, now)
    step = timedelta(days=1) / PER_DAY
    blocks: list[float] = []
    t_all = time.perf_counter()
    i = 0
    while i < n:
        batch = []
        for _ in range(min(BLOCK, n - i)):
            batch.append(record(writer, i, start + step * i, flag_rng.random() < FLAGGED))
            i += 1
        t = time.perf_counter()
        with store.write():
            for rec, aliases in batch:
                store.insert_article(rec, aliases)
        blocks.append(time.perf_counter() - t)
        if progress and (i % 50000 == 0 or i == n):
            print(f"  built {i:,}/{n:,} ({time.perf_counter() - t_all:.0f} s; last block "
                  f"{blocks[-1] * 1000 / BLOCK:.3f} ms/article)", file=sys.stderr, flush=True)
    counts = store.counts()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    info = {"articles": counts["articles"], "flagged": counts["flagged"], "block": BLOCK,
            "block_seconds": blocks, "build_seconds": time.perf_counter() - t_all,
            "bytes": path.stat().st_size, "built": now.isoformat()}
    Path(str(path).replace(".db", ".json")).write_text(json.dumps(info))
    return info


COPY_COLUMNS = ("title, text, summary, source, outlet, language, published, fetched, extracted, content_hash, "
                "match, score, reasons, companies, jobs_cut, rules_version, classified_at")


def top_up(path: Path, n: int, chunk: int = 20_000, progress: bool = True) -> dict:
    """Grow a partly built archive to n articles with SQL copies of its own rows (new URLs, GUIDs
    and aliases; same text and dates), through the same schema and triggers (FTS, flagged
    index, counts). For when the Python build is too slow on a shared machine: the copies make
    the full-text index as big as n real inserts would, but add no new vocabulary, and the
    ingestion curve only covers the part built by ``Store.insert_article``."""
    store = Store.open(path)
    base = store.db.execute("SELECT MAX(id) FROM articles").fetchone()[0]
    t_all = time.perf_counter()
    count = store.counts()["articles"]
    rnd = 0
    while count < n:
        rnd += 1
        src = 0
        while src < base and count < n:
            k = min(chunk, base - src, n - count)
            with store.write():
                first = store.db.execute("SELECT MAX(id) FROM articles").fetchone()[0] + 1
                store.db.execute(
                    f"INSERT INTO articles (url, guid, {COPY_COLUMNS}) SELECT url || '-c{rnd}', guid || '-c{rnd}', "
                    f"{COPY_COLUMNS} FROM articles WHERE id > ? AND id <= ? ORDER BY id", [src, src + k])
                for expr in ("url", "url || '?utm_source=rss&utm_medium=feed'", "guid"):
                    store.db.execute(f"INSERT OR IGNORE INTO article_urls (url, article_id) SELECT {expr}, id "
                                     "FROM articles WHERE id >= ?", [first])
            src += k
            count += k
            if progress:
                print(f"  topped up to {count:,}/{n:,} ({time.perf_counter() - t_all:.0f} s)", file=sys.stderr,
                      flush=True)
    counts = store.counts()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    info = {"articles": counts["articles"], "flagged": counts["flagged"], "block": BLOCK, "block_seconds": [],
            "built_by_store": base, "build_seconds": time.perf_counter() - t_all, "bytes": path.stat().st_size,
            "built": datetime.now(timezone.utc).isoformat(),
            "note": f"first {base:,} articles by Store.insert_article, the rest SQL copies of them"}
    Path(str(path).replace(".db", ".json")).write_text(json.dumps(info))
    return info


def archive(n: int, progress: bool = True) -> tuple[Path, dict]:
    """The cached archive of n articles (built on first use)."""
    path = OUT / f"archive-{n}.db"
    meta = Path(str(path).replace(".db", ".json"))
    if path.exists() and meta.exists():
        return path, json.loads(meta.read_text())
    if progress:
        print(f"building {n:,}-article archive at {path} (cached for later runs)", file=sys.stderr, flush=True)
    return path, build(n, path, progress)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, nargs="+", default=[10_000])
    ap.add_argument("--top-up", action="store_true",
                    help="grow an interrupted build to the size with SQL copies of its rows (see top_up)")
    args = ap.parse_args(argv)
    if args.top_up:
        for n in args.articles:
            info = top_up(OUT / f"archive-{n}.db", n)
            print(f"archive-{n}.db: {info['articles']:,} articles ({info['flagged']:,} flagged); {info['note']}")
        return 0
    for n in args.articles:
        path, info = archive(n)
        print(f"{path}: {info['articles']:,} articles ({info['flagged']:,} flagged), "
              f"{info['bytes'] / 1e6:.0f} MB, built in {info['build_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
