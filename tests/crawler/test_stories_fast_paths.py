"""The fast paths of story assignment give exactly what the plain definitions give (issue 15).

``detect_country`` runs its patterns on lower-cased text behind substring tests instead of 19
case-insensitive scans; ``shingles`` turns blake2b digests into integers without hex. Both are
compared with the plain definitions here, including the four characters that a case-insensitive
regex equates with ASCII letters (İ ı ſ K) and texts written for this test.
"""

from __future__ import annotations

import hashlib
import random
import re

from crawler import stories

PIECES = ["PHK", "di", "Amerika Serikat", "AS", "as", "asal", "US", "usa", "Indonesia", "India", "Singapura",
          "berbasis di Jerman", "berkantor pusat di Tiongkok", "Korea Selatan", "korea  selatan", "Perancis",
          "Vietnam", "Filipina", "Belanda", "Kanada", "Israel", "Australia", "Jepang", "Inggris", "Swedia",
          "Malaysia", "perusahaan", "karyawan", "“kata dia”", "—", "\u0130ndonesia", "\u0131ndia", "\u017fwedia",
          "\u212aanada", "ka\u212aus", "Uſa", "AMERIKA SERIKAT", "tiongkok.", "(india)", "India's", "_india_",
          "indiana", "malaysian", "jerman2", "Ş", "ß", "ǅ"]


def reference_country(text: str) -> str | None:
    head = (text or "")[:1500]
    m = stories._HQ.search(head)
    if m:
        for name, rx in stories._COUNTRY_RE:
            if rx.search(m.group(1)):
                return name
    for name, p in stories._COUNTRIES:
        if name != "Indonesia" and re.search(p, head, re.I):
            return name
    return "Indonesia" if re.search(stories._COUNTRIES[1][1], head, re.I) else None


def test_detect_country_is_the_case_insensitive_definition():
    rng = random.Random(11)
    texts = [" ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    texts += [p for p in PIECES] + ["x" * 1498 + " AS", "x" * 1499 + " India"]
    for text in texts:
        assert stories.detect_country(text) == reference_country(text), text
    assert stories.detect_country("PHK di \u212aanada") == "Kanada"  # Kelvin sign: re.I equates it with k
    assert stories.detect_country("perusahaan \u0131ndia") == "India"


def test_shingles_are_the_blake2b_hex_values():
    rng = random.Random(3)
    words = "perusahaan karyawan PHK kecerdasan buatan Jakarta otomatisasi ĳ ǆ İstanbul".split()
    for _ in range(50):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 300)))
        toks = stories._WORD.findall(text.casefold())
        grams = {" ".join(toks[i:i + 5]) for i in range(max(0, len(toks) - 4))}
        want = sorted(int(hashlib.blake2b(g.encode(), digest_size=6).hexdigest(), 16) for g in grams)[:400]
        assert stories.shingles(text) == want
