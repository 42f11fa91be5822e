"""Editors in the loop, database half (crawler.editorial): review modes, first decision wins,
retraction everywhere, corrections that later reports cannot overwrite, merge/split, audit, labels."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bot.conftest import ADMIN, CHANNEL, make_env, make_settings, run_pantau  # noqa: E402

from crawler import editorial, outbox  # noqa: E402
from crawler.store import Store  # noqa: E402
from crawler.stories import EVENTS_SQL, assign_story  # noqa: E402

ADMIN2 = 778
SUB = 4242
_n = iter(range(1, 10_000))


def recent(hours_ago: float = 1) -> str:
    return (datetime.now(timezone.utc) - timedelta(hours=hours_ago)).replace(microsecond=0).isoformat()


def add(store: Store, **fields) -> int:
    n = next(_n)
    record = {"url": f"https://berita.example/editorial-{n}", "title": f"Kontenesia PHK {n} karyawan karena AI",
              "text": " ".join(f"Kalimat {n}-{i} tentang pemangkasan karyawan dan kecerdasan buatan."
                               for i in range(8)),
              "outlet": "Berita Contoh", "source": "contoh", "published": recent(), "fetched": recent(),
              "match": 1, "score": 0.93, "reasons": ["PHK + AI"], "companies": ["Kontenesia"],
              "jobs_cut": 90, "percent": None}
    record.update(fields)
    article_id, created = store.insert_article(record, [])
    assert created
    return article_id


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "pantau.db")
    yield s
    s.close()


def settings_for(tmp_path, **extra):
    extra.setdefault("PANTAU_ADMIN_IDS", f"{ADMIN},{ADMIN2}")
    extra.setdefault("PANTAU_REVIEW", "after")  # the product's default (tests/bot/conftest turns it off)
    return make_settings(None, tmp_path / "pantau.db", **extra)


def rows(store, sql, params=()):
    return [dict(r) for r in store.db.query(sql, list(params))]


def publish(store, settings, **fields) -> tuple[int, int]:
    art = add(store, **fields)
    story = assign_story(store, art)
    outbox.enqueue_alerts(store, settings, [art])
    return art, story


def test_after_mode_alerts_at_once_and_one_review_per_editor_per_story(tmp_path, store):
    settings = settings_for(tmp_path)
    outbox.subscribe(store, SUB)
    art, story = publish(store, settings)
    kinds = {(r["chat_id"], r["kind"], r["status"]) for r in rows(store, "SELECT * FROM alerts")}
    assert (CHANNEL, "alert", "pending") in kinds and (str(SUB), "alert", "pending") in kinds
    assert (str(ADMIN), "review", "pending") in kinds and (str(ADMIN2), "review", "pending") in kinds
    # a second report of the same story: no second review
    art2 = add(store, url="https://lain.example/kontenesia", title="Kontenesia pangkas 90 pekerja, AI disebut")
    assert assign_story(store, art2) == story
    outbox.enqueue_alerts(store, settings, [art2])
    assert len(rows(store, "SELECT * FROM alerts WHERE kind = 'review'")) == 2


def test_review_chat_replaces_private_admin_chats(tmp_path, store):
    settings = settings_for(tmp_path, PANTAU_REVIEW_CHAT="-1009999")
    publish(store, settings)
    assert [r["chat_id"] for r in rows(store, "SELECT * FROM alerts WHERE kind = 'review'")] == ["-1009999"]


def test_default_mode_is_after(tmp_path):
    from crawler.config import Settings

    assert editorial.mode(Settings(env={}, dotenv=None)) == "after"


def test_off_mode_queues_no_review(tmp_path, store):
    publish(store, settings_for(tmp_path, PANTAU_REVIEW="off"))
    assert not rows(store, "SELECT * FROM alerts WHERE kind = 'review'")


def test_before_mode_holds_until_approved_first_decision_wins(tmp_path, store):
    settings = settings_for(tmp_path, PANTAU_REVIEW="before")
    outbox.subscribe(store, SUB)
    art, story = publish(store, settings)
    held = rows(store, "SELECT * FROM alerts WHERE kind = 'alert'")
    assert {r["status"] for r in held} == {"held"}
    assert not [a for a in outbox.pending_alerts(store) if a["kind"] == "alert"]  # never delivered while held
    first = editorial.approve_story(store, settings, story, ADMIN, "Rina")
    assert first.won and "dilepas" in first.effects
    second = editorial.retract_story(store, settings, story, ADMIN2, "Budi")
    assert not second.won and second.user_name == "Rina" and second.decision == "approve"
    assert {r["status"] for r in rows(store, "SELECT * FROM alerts WHERE kind = 'alert'")} == {"pending"}
    assert rows(store, "SELECT label FROM articles WHERE id = ?", [art]) == [{"label": 1}]
    # a later report of an approved story goes out at once
    art2 = add(store, url="https://lain.example/k2", title="Kontenesia pangkas 90 pekerja demi AI")
    assign_story(store, art2)
    outbox.enqueue_alerts(store, settings, [art2])
    assert {r["status"] for r in rows(store, "SELECT * FROM alerts WHERE article_id = ?", [art2])} == {"pending"}


def test_before_mode_timeout_publishes_high_scores_and_drops_the_rest(tmp_path, store):
    settings = settings_for(tmp_path, PANTAU_REVIEW="before", PANTAU_REVIEW_TIMEOUT="2",
                            PANTAU_REVIEW_AUTO_SCORE="0.9")
    hi_art, hi = publish(store, settings, score=0.97, companies=["Fiverr"], title="Fiverr PHK 250 karyawan demi AI")
    lo_art, lo = publish(store, settings, score=0.62, companies=["Warta Kini"], title="Warta Kini PHK 40 staf, AI")
    assert editorial.expire_held(store, settings) == (0, 0)  # not old enough yet
    later = datetime.now(timezone.utc) + timedelta(hours=3)
    assert editorial.expire_held(store, settings, now=later) == (1, 1)
    status = {r["article_id"]: r["status"] for r in rows(store, "SELECT * FROM alerts WHERE kind = 'alert'")}
    assert status[hi_art] == "pending" and status[lo_art] == "cancelled"
    actions = [(r["action"], r["story_id"], r["user_name"]) for r in editorial.audit_rows(store)]
    assert ("publish_timeout", hi, "otomatis") in actions and ("drop_timeout", lo, "otomatis") in actions
    assert editorial.expire_held(store, settings, now=later) == (0, 0)  # decided once


def test_retraction_leaves_every_view_and_queues_one_channel_retraction(tmp_path, store):
    from crawler.atom import build_feed
    from crawler.search import search

    settings = settings_for(tmp_path)
    outbox.subscribe(store, SUB)
    art, story = publish(store, settings)
    # the channel alert was sent (message 55); the subscriber's is still pending
    ch = rows(store, "SELECT id FROM alerts WHERE chat_id = ? AND kind = 'alert'", [CHANNEL])[0]["id"]
    outbox.mark_sent(store, ch, 55)
    assert [r["id"] for r in store.db.query(EVENTS_SQL)] == [story]
    d = editorial.retract_story(store, settings, story, ADMIN, "Rina")
    assert d.won
    assert not list(store.db.query(EVENTS_SQL))
    assert outbox.stats(store)["total"] == 0
    assert "Kontenesia" not in build_feed(store) if callable(build_feed) else True
    assert search(store, "Kontenesia", limit=5, offset=0).total == 0
    alerts = {(r["chat_id"], r["kind"]): r["status"] for r in rows(store, "SELECT * FROM alerts")}
    assert alerts[(str(SUB), "alert")] == "cancelled"
    assert alerts[(CHANNEL, "alert")] == "sent"
    assert alerts[(CHANNEL, "retract")] == "pending"
    # the article stays unflagged whatever re-classifies it (the editor's label wins)
    with store.write():
        store.db.execute("UPDATE articles SET match = 1 WHERE id = ?", [art])
    assert rows(store, "SELECT match, label FROM articles WHERE id = ?", [art]) == [{"match": 0, "label": 0}]
    # a later report of the retracted story joins silently
    art2 = add(store, url="https://lain.example/k3", title="Kontenesia pangkas 90 pekerja karena AI")
    assert assign_story(store, art2) == story
    assert outbox.enqueue_alerts(store, settings, [art2]) == 0
    assert rows(store, "SELECT match FROM articles WHERE id = ?", [art2]) == [{"match": 0}]


def test_grey_zone_is_asked_once_and_approval_publishes(tmp_path, store):
    settings = settings_for(tmp_path, PANTAU_GREY_MIN="0.4")
    near = add(store, match=0, score=0.45, title="Bank Sentosa rampingkan layanan, mesin AI ambil alih")
    far = add(store, match=0, score=0.1, title="Timnas menang 2-0")
    assert editorial.queue_grey(store, settings, max_age_hours=48) == 2  # two editors
    assert editorial.queue_grey(store, settings, max_age_hours=48) == 0
    assert {r["article_id"] for r in rows(store, "SELECT * FROM alerts WHERE kind = 'grey'")} == {near}
    d = editorial.decide_grey(store, settings, near, True, ADMIN, "Rina")
    assert d.won
    art = rows(store, "SELECT match, label, story_id FROM articles WHERE id = ?", [near])[0]
    assert art["match"] == 1 and art["label"] == 1 and art["story_id"]
    assert rows(store, "SELECT status FROM alerts WHERE article_id = ? AND chat_id = ? AND kind = 'alert'",
                [near, CHANNEL]) == [{"status": "pending"}]
    again = editorial.decide_grey(store, settings, near, False, ADMIN2, "Budi")
    assert not again.won and again.user_name == "Rina"
    assert far not in {r["article_id"] for r in rows(store, "SELECT * FROM alerts")}


def test_old_near_misses_are_not_asked(tmp_path, store):
    settings = settings_for(tmp_path)
    add(store, match=0, score=0.5, published=recent(24 * 30), fetched=recent(24 * 30))
    assert editorial.queue_grey(store, settings, max_age_hours=48) == 0


def test_correction_is_locked_against_later_reports_and_queues_a_channel_edit(tmp_path, store):
    settings = settings_for(tmp_path)
    art, story = publish(store, settings, companies=["Sebanyak"], jobs_cut=30)
    ch = rows(store, "SELECT id FROM alerts WHERE chat_id = ? AND kind = 'alert'", [CHANNEL])[0]["id"]
    outbox.mark_sent(store, ch, 77)
    changes = editorial.parse_correction("perusahaan=Kontenesia Digital jumlah=250 persen=30 negara=Israel "
                                         "atribusi=explicit".split())
    assert changes == {"company": "Kontenesia Digital", "jobs_cut": 250, "percent": 30.0, "country": "Israel",
                       "attribution": "explicit"}
    out = editorial.correct_story(store, settings, story, changes, ADMIN, "Rina")
    assert out["before"]["company"] == "Sebanyak" and out["before"]["jobs_cut"] == 30
    edit = rows(store, "SELECT * FROM alerts WHERE kind LIKE 'correct:%'")
    assert len(edit) == 1 and edit[0]["chat_id"] == CHANNEL
    # a later report with another figure joins (same company name as the article's) but cannot overwrite
    art2 = add(store, url="https://lain.example/k4", companies=["Sebanyak"], jobs_cut=33, country="Indonesia")
    assign_story(store, art2)
    s = rows(store, "SELECT company, jobs_cut, percent, country, attribution FROM stories WHERE id = ?", [story])[0]
    assert s == {"company": "Kontenesia Digital", "jobs_cut": 250, "percent": 30.0, "country": "Israel",
                 "attribution": "explicit"}
    shown = editorial.with_story_facts(store, store.article(art))
    assert shown["jobs_cut"] == 250 and json.loads(shown["companies"])[0] == "Kontenesia Digital"


@pytest.mark.parametrize("text,error", [("jumlah=banyak", "bukan angka"), ("persen=130", "persen"),
                                        ("atribusi=mungkin", "atribusi"), ("apa=1", "Format")])
def test_bad_corrections_are_explained(text, error):
    with pytest.raises(editorial.EditorialError, match=error):
        editorial.parse_correction(text.split())


def test_merge_and_split(tmp_path, store):
    settings = settings_for(tmp_path)
    a1, s1 = publish(store, settings, companies=["Bank Sentosa"], jobs_cut=40, title="Bank Sentosa PHK 40 teller, AI")
    a2, s2 = publish(store, settings, companies=["Sentosa Finance"], jobs_cut=45, text="Lain sama sekali. " * 9,
                     title="Sentosa Finance pangkas 45 staf")
    assert s1 != s2
    editorial.merge_stories(store, s1, s2, ADMIN, "Rina")
    assert rows(store, "SELECT story_id FROM articles WHERE id IN (?, ?)", [a1, a2]) == [{"story_id": s1}] * 2
    assert [r["id"] for r in store.db.query(EVENTS_SQL)] == [s1]
    new = editorial.split_article(store, s1, a2, ADMIN, "Rina")
    assert rows(store, "SELECT story_id FROM articles WHERE id = ?", [a2]) == [{"story_id": new}]
    with pytest.raises(editorial.EditorialError):
        editorial.split_article(store, new, a2, ADMIN, "Rina")  # a story of one report
    actions = [r["action"] for r in editorial.audit_rows(store, s1)]
    assert actions == ["merge", "split"]


def test_labels_and_audit_through_the_command_line(tmp_path, store):
    settings = settings_for(tmp_path)
    art, story = publish(store, settings)
    near = add(store, match=0, score=0.5)
    editorial.approve_story(store, settings, story, ADMIN, "Rina")
    editorial.decide_grey(store, settings, near, False, ADMIN2, "Budi")
    editorial.correct_story(store, settings, story, {"jobs_cut": 95}, ADMIN, "Rina")
    env = make_env(None, tmp_path / "pantau.db")
    proc = run_pantau("labels", "export", env=env)
    assert proc.returncode == 0, proc.stderr
    labels = [json.loads(line) for line in proc.stdout.splitlines()]
    assert {(r["label"], r["event"].split("-")[0]) for r in labels} == {(1, "story"), (0, "article")}
    assert set(labels[0]) >= {"id", "url", "title", "text", "label", "category", "companies", "jobs_cut", "event"}
    facts = [json.loads(line) for line in run_pantau("labels", "export", "--facts", env=env).stdout.splitlines()]
    assert facts and facts[0]["jobs_cut"] == 95 and facts[0]["companies"] == ["Kontenesia"]
    audit = run_pantau("audit", env=env)
    assert audit.returncode == 0
    assert "Rina" in audit.stdout and "approve story" in audit.stdout and '"jobs_cut": 90' in audit.stdout
    assert "grey_reject article" in audit.stdout


def test_a_merged_story_id_is_never_given_to_a_new_story(tmp_path, store):
    settings = settings_for(tmp_path)
    a1, s1 = publish(store, settings, companies=["Bank Sentosa"], jobs_cut=40)
    a2, s2 = publish(store, settings, companies=["Sentosa Finance"], jobs_cut=45, text="Lain sama sekali. " * 9)
    editorial.merge_stories(store, s1, s2, ADMIN, "Rina")
    a3, s3 = publish(store, settings, companies=["Gojek"], jobs_cut=300, text="Berita ketiga berbeda. " * 9)
    assert s3 not in (s1, s2)
    assert [r["action"] for r in editorial.audit_rows(store, s3)] == []  # no inherited history
    assert sorted(r["id"] for r in store.db.query(EVENTS_SQL)) == sorted([s1, s3])
    # the merged story never attracts a later report
    a4, s4 = publish(store, settings, companies=["Sentosa Finance"], jobs_cut=45, text="Laporan lain lagi. " * 9)
    assert s4 != s2
