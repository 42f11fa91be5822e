"""/statistik chart: events and jobs cut per month, and the top companies, as a PNG.

Rendered with matplotlib's Agg backend (no display needed) from
``crawler.outbox.stats``; returns PNG bytes, or None when there is no data.

Rules of the picture:
- The month axis is continuous: from the first month with data to the current
  month (or the last month with data, if later), at most the last 12 months;
  a month with no events is drawn as 0, never left out.
- Counts (events) have integer ticks; jobs cut use thousands separators.
- Both series are named in one legend; both axes are labelled.
- One month of data is still a chart: bars keep a fixed width and the axis
  is padded, so a single bar does not fill the picture.
"""

from __future__ import annotations

import io
from datetime import date

from .format import month_label

MAX_MONTHS = 12


def _parse_month(key: str) -> tuple[int, int] | None:
    try:
        y, m = str(key).split("-")[:2]
        y, m = int(y), int(m)
    except (ValueError, TypeError):
        return None
    return (y, m) if 1 <= m <= 12 and 1990 <= y <= 9999 else None


def month_series(data: dict, today: date | None = None) -> tuple[list[str], list[int], list[int]]:
    """Continuous months (oldest first) with event counts and jobs cut; empty months are 0."""
    counts: dict[tuple[int, int], int] = {}
    for key, n in data.get("by_month") or []:
        ym = _parse_month(key)
        if ym:
            counts[ym] = counts.get(ym, 0) + int(n or 0)
    jobs: dict[tuple[int, int], int] = {}
    for key, n in data.get("jobs_by_month") or []:
        ym = _parse_month(key)
        if ym:
            jobs[ym] = jobs.get(ym, 0) + int(n or 0)
    if not counts:
        return [], [], []
    today = today or date.today()
    end = max(max(counts), (today.year, today.month))
    start = min(counts)
    months: list[tuple[int, int]] = []
    y, m = end
    while (y, m) >= start and len(months) < MAX_MONTHS:
        months.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    months.reverse()
    keys = [f"{y:04d}-{m:02d}" for y, m in months]
    return keys, [counts.get(k, 0) for k in months], [jobs.get(k, 0) for k in months]


def build_figure(data: dict, today: date | None = None):
    """The matplotlib Figure (two panels: per month, top companies), or None without data."""
    months, counts, jobs = month_series(data, today)
    if not months:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    labels = [month_label(m).replace(" 20", " '") for m in months]
    xs = list(range(len(months)))
    fig = Figure(figsize=(9, 7), dpi=100)
    ax1, ax3 = fig.subplots(2, 1, gridspec_kw={"height_ratios": [3, 2]})
    bars = ax1.bar(xs, counts, width=0.6, color="#c0392b", label="peristiwa PHK")
    ax1.set_xticks(xs, labels)
    ax1.set_xlim(-0.5 - max(0, (4 - len(xs)) / 2), len(xs) - 0.5 + max(0, (4 - len(xs)) / 2))
    ax1.set_ylabel("peristiwa PHK")
    ax1.set_xlabel("bulan")
    ax1.set_title("PHK terkait AI per bulan", loc="left")
    ax1.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    ax1.set_ylim(0, max(max(counts), 1) * 1.15)
    ax1.tick_params(axis="x", labelrotation=45 if len(xs) > 4 else 0, labelsize=8)
    ax2 = ax1.twinx()
    (line,) = ax2.plot(xs, jobs, color="#2c3e50", marker="o", label="karyawan terdampak")
    ax2.set_ylabel("karyawan terdampak")
    ax2.set_ylim(0, max(max(jobs), 1) * 1.15)
    ax2.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    ax2.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{int(v):,}".replace(",", ".")))
    ax1.legend([bars, line], ["peristiwa PHK", "karyawan terdampak"], loc="lower right",
               bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=8, frameon=False)
    top = list(reversed(data.get("top_companies") or []))
    if top:
        ax3.barh([str(n)[:30] for n, _ in top], [c for _, c in top], color="#e67e22", height=0.6)
        ax3.set_title("Perusahaan dengan peristiwa PHK terbanyak", loc="left")
        ax3.set_xlabel("peristiwa PHK")
        ax3.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
        ax3.set_ylim(-0.5 - max(0, (3 - len(top)) / 2), len(top) - 0.5 + max(0, (3 - len(top)) / 2))
        ax3.tick_params(axis="y", labelsize=8)
    else:
        ax3.set_axis_off()
    fig.text(0.99, 0.01, "Pantau PHK", ha="right", va="bottom", fontsize=8, color="#7f8c8d")
    fig.tight_layout()
    return fig


def render_stats_png(data: dict, today: date | None = None) -> bytes | None:
    fig = build_figure(data, today)
    if fig is None:
        return None
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
