"""Editors' labels change behaviour: label a new phrasing pattern, retrain, reclassify.

A new way of writing an AI-linked cut ("menonjobkan N awak, kerja mereka dialihkan ke
algoritma") that the shipped model misses. (The wave-4 pattern, "mengistirahatkan N awak,
tugasnya dialihkan ke AI", is caught since the wave-5 training data: a model trained on the
repository's fixtures alone flags it.) Editors mark a handful of such articles in the grey zone;
`pantau labels export` + `pantau train` + `pantau reclassify` then flag an unseen article of
the pattern, and no verdict that was right on the repository's labelled fixtures (pantau train's
default data) flips -- except a row sitting on a decision constant (``on_the_edge``; at most 1% of
the rows), which any retraining may move. All articles here are written for this test.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bot.conftest import make_env, make_settings, run_pantau  # noqa: E402

from crawler import editorial  # noqa: E402
from crawler.store import Store  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
PATTERN = [("Bank Sentosa", 120, "layanan"), ("Nusa Air", 80, "reservasi"), ("Mitra Niaga", 45, "gudang"),
           ("Kopi Senja", 60, "kasir"), ("Asuransi Jaga", 150, "klaim"), ("Pelni Raya", 90, "tiket")]
UNSEEN = ("TeleNusa", 300, "pusat panggilan")


def pattern_article(company: str, n: int, unit: str) -> tuple[str, str]:
    title = f"{company} Nonjobkan {n} Awak {unit.title()}, Algoritma Ambil Alih"
    text = "\n".join([
        f"{company} menonjobkan {n} awak {unit} mulai bulan depan. Kerja harian mereka dialihkan ke "
        "algoritma penjadwalan.",
        f"Direksi {company} mengatakan algoritma itu bekerja siang dan malam tanpa jeda.",
        "Para awak yang dinonjobkan menerima kompensasi sesuai aturan. Serikat menilai langkah itu terlalu cepat.",
        "Pengamat menyebut tren menonjobkan awak akan meluas di sektor jasa."])
    return title, text


def verdicts(rows: list[dict]) -> dict[str, bool]:
    from crawler.classify import classify

    return {r["id"]: bool(classify(r["title"], r["text"]).match) for r in rows}


EDGE = 0.005


def on_the_edge(rows: list[dict]) -> set[str]:
    """ids of rows whose verdict sits within EDGE of a decision constant of the model in use (e.g. the
    rules match and max(p, p_text) is 0.046 against lo 0.05): any retraining moves such a row either
    way, whatever the new labels teach, so its flip says nothing about them."""
    from crawler.classify import model as M
    from crawler.classify import rules

    m = M.get_model()
    c = m.combine
    out = set()
    for r in rows:
        f = rules.evaluate(r["title"], r["text"], None)
        if not f["sig"]["gate"]:
            continue
        f["rule_match"], f["rule_score"] = rules.rule_verdict(f)
        p, pt = m.probas(f)
        gaps = [abs(p - c["hi"]), abs(pt - c["hi_text"]), abs((p + pt) / 2 - c["avg"])]
        if f["rule_match"]:
            gaps.append(abs(max(p, pt) - c["lo"]))
        if min(gaps) < EDGE:
            out.add(r["id"])
    return out


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.timeout(600)
def test_labels_teach_the_model_a_new_pattern_without_flipping_right_verdicts(tmp_path):
    from crawler.classify import classify
    from crawler.classify import model as M

    M.reset()
    unseen_title, unseen_text = pattern_article(*UNSEEN)
    assert not classify(unseen_title, unseen_text).match, "precondition: the shipped model misses the pattern"
    from crawler.classify.train import DEFAULT_DATA

    # "before": a model trained the same way from the same data, without the editors' labels (the
    # shipped model also saw the dev set and the stream, which a clone does not have)
    baseline = tmp_path / "baseline.npz"
    (tmp_path / "base").mkdir()
    base = run_pantau("train", "--data", *map(str, DEFAULT_DATA), "-o", str(baseline),
                      env=make_env(None, tmp_path / "base" / "pantau.db"), timeout=500)
    assert base.returncode == 0, base.stderr
    checked = [r for path in DEFAULT_DATA for r in load(path)]
    truth = {r["id"]: bool(r["label"]) for r in checked}
    M.set_model(M.load(baseline))
    try:
        assert not classify(unseen_title, unseen_text).match, "precondition: the baseline model misses it"
        before = verdicts(checked)
        edge = on_the_edge(checked)
    finally:
        M.reset()
    assert len(edge) <= len(checked) // 100, edge  # the exemption stays small
    right_before = {i for i, v in before.items() if v == truth[i] and i not in edge}

    # the articles are stored; editors see them in the grey zone and press ✅
    db = tmp_path / "pantau.db"
    settings = make_settings(None, db, PANTAU_REVIEW="after", PANTAU_GREY_MIN="0.01")
    store = Store.open(db)
    now = datetime.now(timezone.utc) - timedelta(hours=1)
    ids = []
    for i, (company, n, unit) in enumerate([*PATTERN, UNSEEN]):
        title, text = pattern_article(company, n, unit)
        v = classify(title, text)
        art, _ = store.insert_article({
            "url": f"https://berita.example/awak-{i}", "title": title, "text": text, "outlet": "Berita Contoh",
            "source": "contoh", "published": now.isoformat(), "fetched": now.isoformat(), "match": int(v.match),
            "score": v.score, "reasons": v.reasons, "companies": v.companies, "jobs_cut": v.jobs_cut,
            "percent": v.percent}, [])
        ids.append(art)
    editorial.queue_grey(store, settings, max_age_hours=48)
    asked = {r[0] for r in store.db.execute("SELECT article_id FROM alerts WHERE kind = 'grey'")}
    assert set(ids) <= asked
    for art in ids[:-1]:  # the unseen one is not labelled
        assert editorial.decide_grey(store, settings, art, True, 777, "Rina").won
    store.close()

    env = make_env(None, db)
    labels = run_pantau("labels", "export", env=env)
    assert labels.returncode == 0, labels.stderr
    (tmp_path / "labels.jsonl").write_text(labels.stdout, encoding="utf-8")
    assert len(labels.stdout.splitlines()) == len(PATTERN)
    # the operator's labels go in beside the repository's labelled fixtures (pantau train's default data)
    train = run_pantau("train", "--data", *map(str, DEFAULT_DATA), str(tmp_path / "labels.jsonl"),
                       env=env, timeout=500)
    assert train.returncode == 0, train.stderr
    assert "cross-validation" in train.stdout
    local = tmp_path / "model.npz"  # next to PANTAU_DB: takes precedence over the shipped model
    assert local.exists()
    assert str(local) in run_pantau("config", env=env).stdout

    re = run_pantau("reclassify", env=env, timeout=300)
    assert re.returncode == 0, re.stderr
    store = Store.open(db)
    try:
        unseen = store.db.execute("SELECT match FROM articles WHERE id = ?", [ids[-1]]).fetchone()[0]
    finally:
        store.close()
    assert unseen == 1, re.stdout

    M.set_model(M.load(local))
    try:
        after = verdicts(checked)
    finally:
        M.reset()
    flipped = sorted(i for i in right_before if after[i] != truth[i])
    assert not flipped, f"right verdicts that flipped after retraining: {flipped}"
