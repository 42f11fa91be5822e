"""/statistik chart: events and jobs cut per month, and the top companies, as a PNG.

Rendered with matplotlib's Agg backend (no display needed) from
``crawler.outbox.stats``; returns PNG bytes, or None when there is no data.
"""

from __future__ import annotations

import io

from .format import month_label


def render_stats_png(data: dict) -> bytes | None:
    if not data.get("by_month"):
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    months = [m for m, _ in reversed(data["by_month"])]
    counts = [n for _, n in reversed(data["by_month"])]
    jobs = dict(data.get("jobs_by_month") or [])
    labels = [month_label(m).replace(" 20", " '") for m in months]
    fig = Figure(figsize=(9, 7), dpi=100)
    ax1, ax3 = fig.subplots(2, 1)
    ax1.bar(labels, counts, color="#c0392b", label="peristiwa PHK")
    ax1.set_ylabel("peristiwa")
    ax1.set_title("PHK terkait AI per bulan")
    ax1.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax2 = ax1.twinx()
    ax2.plot(labels, [jobs.get(m, 0) for m in months], color="#2c3e50", marker="o", label="karyawan terdampak")
    ax2.set_ylabel("karyawan")
    ax2.set_ylim(bottom=0)
    ax2.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{int(v):,}".replace(",", ".")))
    top = list(reversed(data.get("top_companies") or []))
    if top:
        ax3.barh([n[:30] for n, _ in top], [c for _, c in top], color="#e67e22")
        ax3.set_title("Perusahaan dengan peristiwa PHK terbanyak")
        ax3.set_xlabel("peristiwa")
        ax3.tick_params(axis="y", labelsize=8)
    else:
        ax3.set_axis_off()
    fig.text(0.99, 0.01, "Pantau PHK", ha="right", va="bottom", fontsize=8, color="#7f8c8d")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
