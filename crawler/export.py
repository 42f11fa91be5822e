"""``pantau export``: stored articles as JSON Lines, a JSON array or CSV, one record each.

Fields: id, url, title, source, outlet, published (ISO 8601 with offset),
fetched, author, language, extracted, text, and the classifier's match,
score, reasons, companies, jobs_cut, percent, country, attribution and
evidence (see crawler.classify.facts). ``flagged_only`` keeps
articles the classifier flagged. Rows are streamed (constant memory). Text
values carry no XML-1.0-forbidden characters (``crawler.xmlsafe``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import TextIO

from .store import Store, decode_article
from .xmlsafe import xml_safe_value

FIELDS = ["id", "url", "title", "source", "outlet", "published", "fetched", "author", "language",
          "extracted", "match", "score", "reasons", "companies", "jobs_cut", "percent", "country", "attribution",
          "evidence", "text"]


def iter_articles(store: Store, flagged_only: bool = False) -> Iterator[dict]:
    where = "WHERE match = 1" if flagged_only else ""
    sql = f"SELECT * FROM articles {where} ORDER BY COALESCE(published, fetched) DESC, id DESC"
    for row in store.db.query(sql):
        row = decode_article(row)
        row["extracted"] = bool(row.get("extracted"))
        yield {k: xml_safe_value(row.get(k)) for k in FIELDS}


def write_export(store: Store, out: TextIO, fmt: str = "jsonl", flagged_only: bool = False) -> int:
    n = 0
    if fmt == "jsonl":
        for rec in iter_articles(store, flagged_only):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "json":
        out.write("[")
        for rec in iter_articles(store, flagged_only):
            out.write(("\n" if n == 0 else ",\n") + json.dumps(rec, ensure_ascii=False))
            n += 1
        out.write("\n]\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for rec in iter_articles(store, flagged_only):
            rec = dict(rec)
            rec["reasons"] = "; ".join(rec["reasons"] or [])
            rec["companies"] = "; ".join(rec["companies"] or [])
            writer.writerow(rec)
            n += 1
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return n
