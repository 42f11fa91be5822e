"""The classifier's answer for one article (see crawler.classify for what each field means).

Fields may be added (the facts engineer adds fact fields here); ``to_dict`` must list every field,
as it is the contract of ``pantau classify``.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Verdict:
    match: bool
    score: float
    reasons: list = field(default_factory=list)
    companies: list = field(default_factory=list)
    jobs_cut: int | None = None
    percent: float | None = None
    country: str | None = None  # country of the cut, in Indonesian ("Amerika Serikat", "Israel")
    attribution: str | None = None  # "explicit" | "attributed" | "disputed"; None unless match
    evidence: str | None = None  # the sentence that best links the cut to AI (~200 characters)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reasons", tidy_reasons(self.reasons, self.match))
        if not self.match:  # attribution only describes a match
            object.__setattr__(self, "attribution", None)

    def to_dict(self) -> dict:
        return {
            "match": self.match,
            "score": self.score,
            "reasons": list(self.reasons),
            "companies": list(self.companies),
            "jobs_cut": self.jobs_cut,
            "percent": self.percent,
            "country": self.country,
            "attribution": self.attribution,
            "evidence": self.evidence,
        }


# the rules' lines saying there is no link; a match contradicts them
_NO_LINK = ("tanpa kaitan sebab PHK-AI", "tidak terkait AI", "PHK bukan pokok berita", "AI hanya disebut sekali")


def tidy_reasons(reasons, match: bool) -> list:
    """``reasons`` without repeats (first kept), without lines a more specific one says already
    ("judul: PHK" beside "judul: PHK + AI (…)"; "tidak terkait AI" beside "tanpa kaitan sebab
    PHK-AI") and, for a match, without the rules' no-link lines the final verdict contradicts."""
    out = list(dict.fromkeys(reasons))
    linked_places = {r.split(":")[0] for r in out if isinstance(r, str) and ": PHK + AI" in r}
    drop = set()
    for place in linked_places:
        drop |= {f"{place}: PHK", f"{place}: AI"}
    if "tanpa kaitan sebab PHK-AI" in out:
        drop.add("tidak terkait AI")
    if match:
        drop.update(_NO_LINK)
    return [r for r in out if r not in drop]
