"""`pantau train` end to end with the real console script: trains on labelled JSON Lines, prints
grouped cross-validation figures, writes a byte-reproducible model file; a locally trained model
takes precedence over the shipped one and `pantau config` says which is in use."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.crawler.conftest import make_env, run_pantau  # noqa: E402

CASES = ROOT / "tests" / "fixtures" / "classify_cases.jsonl"


def _env(tmp_path, **extra):
    return make_env(tmp_path, PANTAU_DB=str(tmp_path / "data" / "pantau.db"), **extra)


def test_train_writes_reproducible_model_and_prints_grouped_cv(tmp_path):
    env = _env(tmp_path)
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    p1 = run_pantau("train", "--data", str(CASES), "-o", str(a), env=env, timeout=240)
    assert p1.returncode == 0, p1.stdout + p1.stderr
    assert "cross-validation by event" in p1.stdout
    for name in ("rules", "model", "hybrid"):
        assert any(line.strip().startswith(name) and "precision=" in line for line in p1.stdout.splitlines())
    assert a.exists() and a.stat().st_size > 1000
    p2 = run_pantau("train", "--data", str(CASES), "-o", str(b), env=env, timeout=240)
    assert p2.returncode == 0
    assert a.read_bytes() == b.read_bytes()  # same inputs, same bytes
    # the file holds hashed weights only: no text of the training data
    raw = a.read_bytes()
    import zipfile

    with zipfile.ZipFile(a) as zf:
        blob = b"".join(zf.read(n) for n in zf.namelist())
    first = json.loads(CASES.read_text(encoding="utf-8").splitlines()[0])
    assert first["title"].encode() not in blob and first["title"].encode() not in raw


def test_local_model_takes_precedence_and_config_says_which(tmp_path):
    env = _env(tmp_path)
    before = run_pantau("config", env=env)
    assert before.returncode == 0
    line = next(ln for ln in before.stdout.splitlines() if ln.startswith("# classifier model:"))
    assert "shipped with the package" in line and "model.npz" in line
    trained = run_pantau("train", "--data", str(CASES), env=env, timeout=240)  # default output: data folder
    assert trained.returncode == 0, trained.stdout + trained.stderr
    local = tmp_path / "data" / "model.npz"
    assert local.exists()
    after = run_pantau("config", env=env)
    line = next(ln for ln in after.stdout.splitlines() if ln.startswith("# classifier model:"))
    assert str(local) in line and "trained locally" in line
    # and classify uses it: the reasons carry the local model's probability
    from crawler.classify import model as M
    from crawler.config import Settings

    assert M.model_path(Settings(env=env, dotenv=None)) == local


@pytest.mark.parametrize("content,words", [
    (None, "cannot read"),
    ('{"title": "a", "text": "b", "label": 1}\nnot json\n', ":2: not valid JSON"),
    ('{"title": "a", "text": "b", "label": "ya"}\n', ":1: label must be 0 or 1"),
    ('{"title": "a", "text": "b", "label": 1}\n', "need both labels"),
])
def test_bad_training_data_is_a_clear_error_and_writes_nothing(tmp_path, content, words):
    data = tmp_path / "labels.jsonl"
    if content is not None:
        data.write_text(content, encoding="utf-8")
    out = tmp_path / "m.npz"
    proc = run_pantau("train", "--data", str(data), "-o", str(out), env=_env(tmp_path))
    assert proc.returncode == 2
    assert words in proc.stdout + proc.stderr
    assert not out.exists()


def test_the_current_blind_holdout_is_never_default_training_data():
    from crawler.classify import train as T
    assert T.BLIND_HOLDOUT.exists()
    assert T.BLIND_HOLDOUT not in T.DEFAULT_DATA
    blind_ids = {json.loads(line)["id"] for line in T.BLIND_HOLDOUT.read_text(encoding="utf-8").splitlines()
                 if line.strip()}
    for path in T.DEFAULT_DATA:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                assert row["id"] not in blind_ids, (path.name, row["id"])
