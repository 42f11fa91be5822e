"""The classifier's editable term lists: lexicon.toml beside this file, loaded once at import.

``LEX[key]`` is a tuple of strings in file order.  A missing file or key is an error at import
(the rules cannot run without their terms); the TOML's comments say what each list is for.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

LEXICON_PATH = Path(__file__).with_name("lexicon.toml")


def load(path: Path = LEXICON_PATH) -> dict[str, tuple[str, ...]]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    out = {}
    for key, val in data.items():
        if not isinstance(val, list) or not all(isinstance(v, str) and v for v in val):
            raise ValueError(f"{path.name}: {key} must be a list of non-empty strings")
        out[key] = tuple(val)
    return out


LEX = load()
