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
        # reasons without repeats (first occurrence kept); attribution only describes a match
        object.__setattr__(self, "reasons", list(dict.fromkeys(self.reasons)))
        if not self.match:
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
