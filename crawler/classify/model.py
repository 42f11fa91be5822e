"""The trained half of the hybrid classifier: features, the model file, loading and prediction.

Features (``features(f)``, f = crawler.classify.rules.evaluate(...)): the article is read as the
rules read it -- title plus paragraphs after boilerplate removal ("Baca juga", tags, bylines are
never features) -- and turned into

* hashed word uni- and bigrams of the title (twice, as "title" tokens and as plain words) and of
  the first ``WORD_CHARS`` characters of the body;
* hashed character 3-5-grams inside words (as scikit-learn's ``char_wb``) of the title and the
  first ``CHAR_CHARS`` characters of the body;
* the rules' own signals (rules.SIGNALS: layoff term in the title, sentences linking a cut and AI,
  negation, forecast/survey, hiring, ... plus the rules' L, A, N scores and verdict).

Hashing is zlib.crc32 of the UTF-8 n-gram modulo ``n_features`` -- no vocabulary, so no
third-party text is stored and the file's size does not grow with the data.  Each text block is
log(1 + count) weighted and L2-normalised.  Cost is bounded: at most WORD_CHARS + CHAR_CHARS
characters of any article are hashed, so a 30 KB article costs no more than a 5 KB one here.

The model file (``.npz``, no pickle: ``numpy.load(allow_pickle=False)``) holds two logistic
regressions over these features -- the "hybrid" head (text + the rules' signals) and the "text"
head (text only, an opinion independent of the rules) -- each as its non-zero weights
(``<head>_idx`` int32, ``<head>_w`` float32), ``<head>_bias`` and its Platt calibration
(``<head>_calib`` = a, b: probability = 1 / (1 + exp(-(a * z + b))) for the raw decision value z,
fitted on out-of-fold decision values), and ``meta`` (UTF-8 JSON: version, hashing parameters,
decision constants, training data summary, cross-validation figures).  Training
(crawler.classify.train) writes it byte-for-byte reproducibly.

Which file is used (``model_path(settings)``): ``PANTAU_MODEL`` when set; else ``model.npz`` in the
data folder (next to PANTAU_DB) when it exists -- a locally trained model takes precedence; else
the file shipped in this package.  The model is loaded once, lazily, on the first article that
passes the pre-filter; no network.
"""
from __future__ import annotations

import io
import json
import math
import re
import threading
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SHIPPED_MODEL = Path(__file__).with_name("model.npz")
FEATURE_VERSION = 1
WORD_CHARS = 4000  # body characters read for word n-grams
CHAR_CHARS = 1500  # body characters read for character n-grams
N_WORD = 1 << 18
N_CHAR = 1 << 18
CHAR_N = (3, 5)

# The rules' signals, in feature order (see rules._signals).  The rules' aggregate verdict (L, A,
# N, score, match) is deliberately NOT a feature: the rules were tuned on the training data, so a
# model would learn to trust them more than they deserve on new events.
SIGNALS = ("t_lay", "t_lay_weak", "t_ai", "t_cause", "t_link", "t_question", "t_negated", "t_deny", "t_nonai",
           "t_forecast", "t_hiring", "t_generic", "t_mass", "t_survey", "n_lay_paras", "n_ai_paras", "n_co", "n_co_cause",
           "n_ana", "n_adj", "lead_lay", "lead_ai", "links", "weak_links", "single", "co_forecast_share",
           "lay_forecast_share", "n_concrete_cut", "n_negated", "n_deny", "n_nonai", "n_hiring", "n_subst",
           "n_headcount", "n_repl", "n_paras")
DENSE_SCALE = 2.0  # the rules' signals weigh as much as a text block (each block has norm 1)
N_DENSE = len(SIGNALS)
N_TOTAL = N_WORD + N_CHAR + N_DENSE

_WORD = re.compile(r"\w+")
_WORD_CACHE: dict[str, tuple[int, ...]] = {}
_CHAR_CACHE: dict[str, tuple[int, ...]] = {}
_CACHE_MAX = 200_000


def _h(s: str) -> int:
    return zlib.crc32(s.encode("utf-8"))


def _char_grams(word: str) -> tuple[int, ...]:
    got = _CHAR_CACHE.get(word)
    if got is None:
        w = f" {word} "
        got = tuple(N_WORD + _h(w[i:i + n]) % N_CHAR
                    for n in range(CHAR_N[0], CHAR_N[1] + 1) for i in range(max(1, len(w) - n + 1)))
        if len(_CHAR_CACHE) < _CACHE_MAX:
            _CHAR_CACHE[word] = got
    return got


def _word_gram(tok: str) -> int:
    got = _WORD_CACHE.get(tok)
    if got is None:
        got = _h(tok) % N_WORD
        if len(_WORD_CACHE) < _CACHE_MAX:
            _WORD_CACHE[tok] = got
    return got


def _word_grams(toks: list[str], pre: str = "") -> list[int]:
    """Hashed uni- and bigrams ("a b") of toks, each prefixed with pre (cached lookups run in C)."""
    grams = toks + list(map(" ".join, zip(toks, toks[1:])))
    if pre:
        grams = [pre + g for g in grams]
    keys = list(map(_WORD_CACHE.get, grams))
    if None in keys:
        keys = [k if k is not None else _word_gram(g) for k, g in zip(keys, grams)]
    return keys


def _block(keys: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys with log(1 + count) weights, L2-normalised."""
    if not keys:
        return np.zeros(0, np.int32), np.zeros(0, np.float32)
    idx, counts = np.unique(np.asarray(keys, dtype=np.int64), return_counts=True)
    val = 1.0 + np.log(counts)
    val /= np.sqrt(np.dot(val, val))
    return idx.astype(np.int32), val.astype(np.float32)


def model_text(f: dict) -> tuple[str, str]:
    """(title, body) as the model reads them: the rules' cleaned title and paragraphs."""
    body = "\n".join(f.get("clean_paras") or [])
    return (f.get("clean_title") or ""), body


def features(f: dict, use_rules: bool = True, scale: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Sparse feature vector of the evaluated article f as (indices int32 sorted, values float32)."""
    title, body = model_text(f)
    t_words = _WORD.findall(title.lower())
    b_low = body[:WORD_CHARS].lower()
    b_words = _WORD.findall(b_low)
    wk = _word_grams(t_words, "t:") + _word_grams(t_words) + _word_grams(b_words)
    ck: list[int] = []
    get = _CHAR_CACHE.get
    for w in t_words + _WORD.findall(b_low[:CHAR_CHARS]):
        got = get(w)
        ck.extend(_char_grams(w) if got is None else got)
    parts_i, parts_v = [], []
    for keys in (wk, ck):
        i, v = _block(keys)
        parts_i.append(i)
        parts_v.append(v)
    if use_rules:
        sig = f["sig"]
        scale = DENSE_SCALE if scale is None else scale
        dense = np.asarray([sig[name] for name in SIGNALS], dtype=np.float64) * scale
        nz = np.flatnonzero(dense)
        parts_i.append((N_WORD + N_CHAR + nz).astype(np.int32))
        parts_v.append(dense[nz].astype(np.float32))
    return np.concatenate(parts_i), np.concatenate(parts_v)


# ---------------------------------------------------------------------------
# The model file
# ---------------------------------------------------------------------------
class ModelError(Exception):
    """The model file is missing or unusable; the message is one line."""


@dataclass(frozen=True)
class Head:
    """One logistic regression: dense weights over N_TOTAL features, bias, Platt calibration."""
    weights: np.ndarray
    bias: float
    calib: tuple[float, float]

    def proba(self, idx: np.ndarray, val: np.ndarray) -> float:
        z = float(np.dot(self.weights[idx], val)) + self.bias
        a, b = self.calib
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, a * z + b))))


@dataclass(frozen=True)
class Model:
    """The hybrid head (text + the rules' signals) and the text-only head."""
    path: Path
    hybrid: Head
    text: Head
    meta: dict

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "?"))

    @property
    def combine(self) -> dict:
        """Decision constants (see decide_match): lo, hi, hi_text, avg.  A file written before the
        mean term existed has no "avg": it is off (2.0, never reached) so the file keeps its rule."""
        c = {"lo": 0.05, "hi": 0.9, "hi_text": 0.9, "avg": 2.0}
        c.update(self.meta.get("combine") or {})
        return c

    def features(self, f: dict) -> tuple[np.ndarray, np.ndarray]:
        return features(f, True, float(self.meta.get("hashing", {}).get("dense_scale", DENSE_SCALE)))

    def probas(self, f: dict) -> tuple[float, float]:
        """(hybrid probability, text-only probability) for the evaluated article f."""
        idx, val = self.features(f)
        return self.hybrid.proba(idx, val), self.text.proba(idx, val)


HEADS = ("hybrid", "text")


def decide_match(rule_match: bool, p: float, pt: float, c: dict) -> bool:
    """The hybrid decision before vetoes, for the hybrid probability p and the text-only
    probability pt with the constants c (Model.combine):

        (rules match and max(p, pt) >= lo) or p >= hi or pt >= hi_text or (p + pt) / 2 >= avg

    the rules' match stands unless both heads object; either head alone decides when it is sure;
    both leaning yes together decide too.  crawler.classify.decide and the training figures
    (crawler.classify.train.hybrid_decide) both use this function."""
    return ((bool(rule_match) and max(p, pt) >= c["lo"]) or p >= c["hi"] or pt >= c["hi_text"]
            or (p + pt) / 2 >= c["avg"])


def save(path: Path, heads: dict, meta: dict) -> None:
    """Write the model file byte-for-byte reproducibly (fixed zip timestamps, sorted JSON).
    heads: {"hybrid"|"text": {"idx": int array, "w": float array, "bias": float, "calib": (a, b)}}."""
    arrays = {}
    for name in HEADS:
        h = heads[name]
        arrays[f"{name}_idx"] = np.asarray(h["idx"], dtype=np.int32)
        arrays[f"{name}_w"] = np.asarray(h["w"], dtype=np.float32)
        arrays[f"{name}_bias"] = np.asarray([h["bias"]], dtype=np.float64)
        arrays[f"{name}_calib"] = np.asarray(h["calib"], dtype=np.float64)
    arrays["meta"] = np.frombuffer(json.dumps(meta, sort_keys=True, ensure_ascii=False).encode("utf-8"),
                                   dtype=np.uint8)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            one = io.BytesIO()
            np.save(one, arr, allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, one.getvalue(), compresslevel=9)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(path)


def load(path: Path) -> Model:
    heads = {}
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes().decode("utf-8"))
            for name in HEADS:
                idx, w = z[f"{name}_idx"], z[f"{name}_w"]
                if len(idx) != len(w) or (len(idx) and (idx.min() < 0 or idx.max() >= N_TOTAL)):
                    raise ModelError(f"model file {path} is unusable: bad weights")
                dense = np.zeros(N_TOTAL, dtype=np.float32)
                dense[idx] = w
                c = z[f"{name}_calib"]
                heads[name] = Head(dense, float(z[f"{name}_bias"][0]), (float(c[0]), float(c[1])))
    except FileNotFoundError:
        raise ModelError(f"model file not found: {path}") from None
    except (OSError, KeyError, ValueError, IndexError, zipfile.BadZipFile) as exc:
        raise ModelError(f"model file {path} is unusable: {type(exc).__name__}") from None
    if meta.get("feature_version") != FEATURE_VERSION:
        raise ModelError(f"model file {path} has feature version {meta.get('feature_version')}, "
                         f"this code reads {FEATURE_VERSION}; retrain with `pantau train`")
    return Model(Path(path), heads["hybrid"], heads["text"], meta)


def model_path(settings=None) -> Path:
    """The model file in use: PANTAU_MODEL, else data-folder model.npz if present, else shipped."""
    if settings is None:
        from ..config import Settings

        settings = Settings()
    if settings is not None:
        explicit = settings.get("PANTAU_MODEL")
        if explicit:
            return Path(explicit)
        local = local_model_path(settings)
        if local.exists():
            return local
    return SHIPPED_MODEL


def local_model_path(settings) -> Path:
    """Where `pantau train` writes by default: model.npz in the data folder (next to PANTAU_DB)."""
    return Path(settings.db_path).parent / "model.npz"


def describe(settings=None) -> str:
    """One line for `pantau config`: which model file is in use, its version and why."""
    path = model_path(settings)
    if settings is not None and settings.get("PANTAU_MODEL"):
        why = "PANTAU_MODEL"
    elif path == SHIPPED_MODEL:
        why = "shipped with the package"
    else:
        why = "trained locally, takes precedence over the shipped model"
    try:
        m = load(path)
    except ModelError as exc:
        return f"none usable ({exc}); the rules decide alone"
    c = m.combine
    return (f"{path} (version {m.version}, {why}; match = rules and p>={c['lo']:g}, or hybrid p>={c['hi']:g}, "
            f"or text p>={c['hi_text']:g}" + (f", or mean p>={c['avg']:g}" if c["avg"] <= 1.0 else "") + "; no veto)")


_lock = threading.Lock()
_cached: dict[str, Model | None] = {}


def get_model(settings=None) -> Model | None:
    """The model in use, loaded once (None if there is no usable model file: rules only)."""
    key = "model"
    if key in _cached:
        return _cached[key]
    with _lock:
        if key not in _cached:
            try:
                _cached[key] = load(model_path(settings))
            except ModelError:
                _cached[key] = None
    return _cached[key]


def set_model(model: Model | None) -> None:
    """Use this model from now on (tests, `pantau reclassify` after training)."""
    with _lock:
        _cached["model"] = model


def reset() -> None:
    """Forget the loaded model; the next article loads it again."""
    with _lock:
        _cached.clear()
