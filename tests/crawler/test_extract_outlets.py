"""Per-outlet extraction: snapshot tests on own-written pages in each outlet's template shape, titles,
authors, dates, the never-worse-than-trafilatura guard, JSON-LD articleBody and multi-page links.

The fixtures (tests/fixtures/pages/*.html) carry text written for this project inside each outlet's
real page skeleton; ``expected.json`` holds the expected title, text, date, author and follow-up pages.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extract import MAX_PAGES, clean_author, clean_title, extract, join_pages, next_page_urls
from crawler.outlets import all_outlets, outlet_for

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
REQUIRED = ("detik", "kompas", "cnbcindonesia", "cnnindonesia", "tempo", "katadata", "kontan", "bisnis",
            "liputan6", "tribunnews", "kumparan", "idntimes", "antaranews")


def page(name: str) -> str:
    return (PAGES / f"{name}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_snapshot(name):
    want = EXPECTED[name]
    got = extract(page(name), want["url"])
    assert got.title == want["title"]
    assert got.text == want["text"]
    assert got.published == want["published"]
    assert got.author == want["author"]
    assert got.next_pages == want["next_pages"]


def test_every_required_outlet_has_data_and_a_fixture():
    names = {o.name for o in all_outlets()}
    for name in REQUIRED:
        assert name in EXPECTED, name
        outlet = outlet_for(EXPECTED[name]["url"])
        assert outlet is not None and outlet.name in names, name
        assert outlet.body and outlet.title or outlet.body, name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_served_from_another_host_the_outlet_is_known_by_its_canonical(name):
    """The crawler may fetch a page through a mirror or the test server: canonical/og:url name the outlet."""
    want = EXPECTED[name]
    got = extract(page(name), "http://127.0.0.1:8080/p/" + name + ".html")
    assert got.title == want["title"]
    assert got.text == want["text"]
    assert got.author == want["author"]


@pytest.mark.parametrize("raw, expected", [
    ("Menteri Yuddy Ancam PNS yang Rankingnya Terendah Akan \"Dipangkas\" - Kompas.com",
     "Menteri Yuddy Ancam PNS yang Rankingnya Terendah Akan \"Dipangkas\""),
    ("KPK Periksa Pejabat Mahkamah Agung | Republika Online", "KPK Periksa Pejabat Mahkamah Agung"),
    ("KapanLagi.com: Musik - Band Lawas Rilis Lagu Baru Setelah Sepuluh Tahun",
     "Band Lawas Rilis Lagu Baru Setelah Sepuluh Tahun"),
    ("KapanLagi.com: FOTO: Aktris Senior Pamer Foto Masa Kecil", "FOTO: Aktris Senior Pamer Foto Masa Kecil"),
    ("Astra luncurkan ban motor terbaru - ANTARA News", "Astra luncurkan ban motor terbaru"),
    ("Astra luncurkan ban motor terbaru  - ANTARA News Otomotif", "Astra luncurkan ban motor terbaru"),
    ("Tren Kain Tenun di Panggung Mode | Tempo Gaya", "Tren Kain Tenun di Panggung Mode"),
    ("Cara Indra Birowo Jaga Keromantisan dengan Istri : Okezone Celebrity",
     "Cara Indra Birowo Jaga Keromantisan dengan Istri"),
    ("Film Lokal Tembus 800 Ribu Penonton - ShowBiz Liputan6.com", "Film Lokal Tembus 800 Ribu Penonton"),
    ("Bank Pangkas Staf - Kompas.com - Halaman all", "Bank Pangkas Staf"),
    # a real part of a headline is never stripped
    ("Sri Mulyani: Kita Tidak Akan Menaikkan Pajak Tahun Ini",
     "Sri Mulyani: Kita Tidak Akan Menaikkan Pajak Tahun Ini"),
    ("Kabar Bisnis: Harga Emas Naik Lagi", "Kabar Bisnis: Harga Emas Naik Lagi"),
    ("Cara Bertahan di Alam Liar - Survival Kit Wajib", "Cara Bertahan di Alam Liar - Survival Kit Wajib"),
    ("Jokowi - Kompas.com", "Jokowi - Kompas.com"),  # nothing left but one word: kept
])
def test_clean_title_known_outlets(raw, expected):
    assert clean_title(raw) == expected


def test_clean_title_learns_the_site_name_from_the_page():
    # an outlet nobody listed: og:site_name says what to strip
    html = """<html><head><title>Warga Gotong Royong Bersihkan Sungai | Kabar Lembah Hijau</title>
    <meta property="og:title" content="Warga Gotong Royong Bersihkan Sungai | Kabar Lembah Hijau">
    <meta property="og:site_name" content="Kabar Lembah Hijau"></head>
    <body><article><p>Isi.</p></article></body></html>"""
    assert extract(html, "http://lembah.test/a").title == "Warga Gotong Royong Bersihkan Sungai"
    # and without og:site_name: the part <title> adds after og:title
    html = html.replace('<meta property="og:site_name" content="Kabar Lembah Hijau">', "").replace(
        'content="Warga Gotong Royong Bersihkan Sungai | Kabar Lembah Hijau"',
        'content="Warga Gotong Royong Bersihkan Sungai"')
    html = html.replace("<title>Warga Gotong Royong Bersihkan Sungai | Kabar Lembah Hijau</title>",
                        "<title>Warga Gotong Royong Bersihkan Sungai | Kabar Lembah Hijau</title>"
                        "<meta name='twitter:title' content='Pasar Murah di Desa Sebelah | Kabar Lembah Hijau'>")
    assert extract(html, "http://lembah.test/a").title == "Warga Gotong Royong Bersihkan Sungai"
    assert clean_title("Pasar Murah di Desa Sebelah | Kabar Lembah Hijau", {"kabarlembahhijau"}) == \
        "Pasar Murah di Desa Sebelah"


@pytest.mark.parametrize("raw, expected", [
    ("Penulis: Galuh Putri Riyanto", "Galuh Putri Riyanto"),
    ("Penulis Galuh Putri Riyanto", "Galuh Putri Riyanto"),
    ("Reporter: Dimas Andi | Editor: Tri Sulistiowati", "Dimas Andi"),
    ("Pewarta: Sinta Ambarwati Editor: Budi Santoso", "Sinta Ambarwati"),
    ("Editor: Budi Santoso", "Budi Santoso"),
    ("Oleh: Siti Aminah", "Siti Aminah"),
    ("Rizky Pratama - detikInet", "Rizky Pratama"),
    ("Dinda Anggraeni, CNBC Indonesia", "Dinda Anggraeni"),
    ("Liputan6.com", None),
    ("Kompas Cyber Media", None),
    ("https://www.facebook.com/detikdotcom", None),
])
def test_clean_author(raw, expected):
    names = {"liputan6", "kompas", "cnbcindonesia", "detik"}
    assert clean_author(raw, names) == expected


STORY = ["Perusahaan percetakan di Surabaya mengurangi 60 operator setelah memasang mesin cetak otomatis baru.",
         "Manajemen menyebut mesin baru bekerja tiga kali lebih cepat dan hanya memerlukan dua operator per shift.",
         "Para pekerja yang terdampak menerima pesangon dan tawaran pelatihan teknisi dari pemasok mesin tersebut.",
         "Dinas tenaga kerja kota meminta perusahaan melaporkan jumlah pekerja terdampak secara lengkap."]


def kompas_like(body_inner: str, extra_head: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    return f"""<html lang="id"><head><title>Percetakan Kurangi Operator - Kompas.com</title>
    <meta property="og:title" content="Percetakan Kurangi Operator - Kompas.com">{extra_head}</head><body>
    <nav><a href="/">Home</a></nav><h1 class="read__title">Percetakan Kurangi Operator</h1>
    <div class="read__content">{body_inner}</div>
    <div class="article-body">{paras}</div>
    <aside><h3>Terpopuler</h3><ul><li><a href="/x">Berita lain yang populer hari ini di situs</a></li></ul></aside>
    </body></html>"""


def test_a_stale_selector_never_makes_the_text_worse():
    # .read__content holds only a related-links box; the story is elsewhere: trafilatura's text wins
    html = kompas_like("<ul><li><a href='/a'>Harga emas hari ini turun tipis di pasar global</a></li>"
                       "<li><a href='/b'>Jadwal kereta tambahan akhir pekan sudah dirilis</a></li></ul>")
    text = extract(html, "https://money.kompas.com/read/2025/07/03/1/percetakan").text
    for para in STORY:
        assert para in text
    assert "Harga emas" not in text


def test_a_selector_holding_only_part_of_the_story_is_not_used():
    html = kompas_like(f"<p>{STORY[0]}</p>")
    text = extract(html, "https://money.kompas.com/read/2025/07/03/1/percetakan").text
    for para in STORY:
        assert para in text


def test_json_ld_article_body_used_when_longer_and_cleaner():
    body = "\n".join(STORY)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": "Percetakan Kurangi Operator",
                     "articleBody": body + "\nPilihan Editor: Berita lain"})
    html = f"""<html><head><title>Percetakan Kurangi Operator</title>
    <script type="application/ld+json">{ld}</script></head><body><article><h1>Percetakan Kurangi Operator</h1>
    <p>{STORY[0]}</p><p>{STORY[1]}</p><div class="paywall">Baca selengkapnya dengan berlangganan.</div>
    </article></body></html>"""
    got = extract(html, "http://koran.test/a")
    assert got.text == body  # the full story, without the "Pilihan Editor" line


def test_json_ld_article_body_not_used_when_it_is_another_text():
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "articleBody": "Teks lain sama sekali tentang cuaca dan banjir di kota lain. " * 12})
    html = f"""<html><head><title>Judul</title><script type="application/ld+json">{ld}</script></head><body>
    <article><p>{STORY[0]}</p><p>{STORY[1]}</p><p>{STORY[2]}</p></article></body></html>"""
    text = extract(html, "http://koran.test/a").text
    assert STORY[0] in text and "cuaca" not in text


@pytest.mark.parametrize("visible, expected", [
    ("Senin, 20 Oktober 2025 16:05 WITA", "2025-10-20T16:05:00+08:00"),
    ("Senin, 20 Oktober 2025 16:05 WIT", "2025-10-20T16:05:00+09:00"),
    ("Senin, 20 Oktober 2025 16:05 WIB", "2025-10-20T16:05:00+07:00"),
    ("Senin, 20 Oktober 2025 16:05", "2025-10-20T16:05:00+07:00"),
])
def test_outlet_date_format_with_zone(visible, expected):
    html = page("antaranews").replace("Senin, 20 Oktober 2025 16:05 WITA", visible)
    assert extract(html, EXPECTED["antaranews"]["url"]).published == expected


def test_kompas_date_format():
    html = page("kompas").replace("Kompas.com - 03/07/2025, 13:44 WIB", "Kompas.com - 13/12/2024, 07:05 WIB")
    assert extract(html, EXPECTED["kompas"]["url"]).published == "2024-12-13T07:05:00+07:00"


# -- multi-page ------------------------------------------------------------------------------------------------

def numbered(n_pages: int, host: str = "http://koran.test") -> str:
    links = "".join(f'<a href="{host}/berita/123/judul?page={i}">{i}</a> ' for i in range(2, n_pages + 1))
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    return f"""<html><head><title>Judul Panjang Sekali</title></head><body><article><h1>Judul Panjang Sekali</h1>
    {paras}<div class="pagination">{links}<a href="/berita/123/judul?page=2">Halaman selanjutnya</a></div>
    </article><a href="{host}/berita/999/lain?page=2">berita lain</a></body></html>"""


def test_next_pages_of_a_numbered_article_are_bounded_and_on_the_same_host():
    urls = next_page_urls(numbered(12), "http://127.0.0.1:9/berita/123/judul")
    assert urls == [f"http://127.0.0.1:9/berita/123/judul?page={i}" for i in range(2, MAX_PAGES + 1)]
    assert next_page_urls(numbered(3), "http://koran.test/berita/123/judul") == \
        ["http://koran.test/berita/123/judul?page=2", "http://koran.test/berita/123/judul?page=3"]


def test_no_next_pages_without_pagination_or_on_a_follow_up_page():
    html = numbered(1).replace("Halaman selanjutnya", "")
    html = html.replace('<a href="/berita/123/judul?page=2"></a>', "")
    assert next_page_urls(html.replace('href="/berita/123/judul?page=2"', 'href="/lain"'),
                          "http://koran.test/berita/123/judul") == []
    assert next_page_urls(numbered(3), "http://koran.test/berita/123/judul?page=2") == []
    assert next_page_urls(page("kompas"), EXPECTED["kompas"]["url"] + "?page=all") == []


def test_outlets_with_a_single_page_form_get_it():
    assert next_page_urls(page("kompas"), "http://127.0.0.1:9/read/x") == ["http://127.0.0.1:9/read/x?page=all"]
    assert next_page_urls(page("tribunnews"), EXPECTED["tribunnews"]["url"]) == \
        [EXPECTED["tribunnews"]["url"] + "?page=all"]
    assert next_page_urls(page("detik"), EXPECTED["detik"]["url"]) == []  # no pagination on the page


def test_join_pages():
    assert join_pages("a\nb", ["b\nc", "c\nd"]) == "a\nb\nc\nd"
    assert join_pages("a\nb", ["a\nb\nc d e"], single_page=True) == "a\nb\nc d e"
    assert join_pages("a\nb c d", ["a"], single_page=True) == "a\nb c d"  # a shorter single page never wins


def test_labelled_byline_wins_over_a_photo_credit():
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    html = f"""<html><head><title>Percetakan Kurangi Operator</title></head><body><article>
    <div class="photo"><img src="/a.jpg"><span class="author">Twitter @Percetakan</span></div>{paras}
    <table><tr><td>Penulis</td><td>: Ferdi Santoso</td></tr><tr><td>Editor</td><td>: Ani</td></tr></table>
    </article></body></html>"""
    assert extract(html, "http://koran.test/a").author == "Ferdi Santoso"
    html = html.replace("<tr><td>Penulis</td><td>: Ferdi Santoso</td></tr>", "")
    assert extract(html, "http://koran.test/a").author is None  # the photo credit is not the author


def test_extraction_in_threads_keeps_each_page_apart():
    """The spider extracts big pages in worker threads: per-document caches must not mix pages."""
    from concurrent.futures import ThreadPoolExecutor

    names = sorted(EXPECTED) * 3
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda n: (n, extract(page(n), EXPECTED[n]["url"])), names))
    for name, got in results:
        assert (got.title, got.author, got.published) == \
            (EXPECTED[name]["title"], EXPECTED[name]["author"], EXPECTED[name]["published"]), name


def test_site_name_learned_from_the_repeated_part_of_a_sites_titles():
    def one(title: str) -> str:
        paras = "".join(f"<p>{p}</p>" for p in STORY)
        html = f"<html><head><title>{title}</title></head><body><article>{paras}</article></body></html>"
        return extract(html, "http://warta-lembah.test/berita/" + str(abs(hash(title)))).title

    assert one("Panen Raya Padi di Lembah Hijau | Warta Lembah") == "Panen Raya Padi di Lembah Hijau | Warta Lembah"
    assert one("Jalan Desa Diperbaiki Sebelum Musim Hujan | Warta Lembah") == \
        "Jalan Desa Diperbaiki Sebelum Musim Hujan | Warta Lembah"
    # the third page of the same site: "Warta Lembah" is now known as the site's name
    assert one("Pasar Murah Digelar Akhir Pekan Ini | Warta Lembah") == "Pasar Murah Digelar Akhir Pekan Ini"
    assert one("Panen Raya Padi di Lembah Hijau | Warta Lembah") == "Panen Raya Padi di Lembah Hijau"
    # a different site does not inherit it
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    html = f"<html><head><title>Kabar Pagi | Warta Lembah</title></head><body><article>{paras}</article></body></html>"
    assert extract(html, "http://situs-lain.test/a").title == "Kabar Pagi | Warta Lembah"


def test_repeated_headline_prefixes_are_not_learned_as_site_names():
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    for i in range(5):
        html = (f"<html><head><title>FOTO: Suasana Pasar Malam Hari Ke-{i} di Alun-alun</title></head>"
                f"<body><article>{paras}</article></body></html>")
        got = extract(html, f"http://galeri-foto.test/foto/{i}").title
    assert got == "FOTO: Suasana Pasar Malam Hari Ke-4 di Alun-alun"


def test_the_sources_name_is_stripped_from_titles():
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    html = (f"<html><head><title>Harga Cabai Naik Jelang Lebaran - Kabar Pantura</title></head>"
            f"<body><article>{paras}</article></body></html>")
    assert extract(html, "http://pantura.test/a").title == "Harga Cabai Naik Jelang Lebaran - Kabar Pantura"
    assert extract(html, "http://pantura.test/a", site_names_hint=("Kabar Pantura",)).title == \
        "Harga Cabai Naik Jelang Lebaran"


def test_a_short_source_name_strips_only_itself():
    paras = "".join(f"<p>{p}</p>" for p in STORY)
    html = (f"<html><head><title>Ponsel Lipat Murah Meluncur - Teknologi Layar Baru</title></head>"
            f"<body><article>{paras}</article></body></html>")
    assert extract(html, "http://gadget.test/a", site_names_hint=("tekno",)).title == \
        "Ponsel Lipat Murah Meluncur - Teknologi Layar Baru"
    html = html.replace("Teknologi Layar Baru", "Tekno")
    assert extract(html, "http://gadget.test/a", site_names_hint=("tekno",)).title == "Ponsel Lipat Murah Meluncur"


def test_outlet_registry_is_never_seen_half_built_by_threads():
    import threading

    import crawler.outlets as outlets

    full = len(outlets.all_outlets())
    seen, barrier = [], threading.Barrier(8)

    def worker():
        barrier.wait()
        seen.append(len(outlets.all_outlets()))

    outlets._OUTLETS.clear()
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [full] * 8
