"""The /statistik chart: empty months as zero, integer ticks, legend and labels, any data size."""

from __future__ import annotations

import io
from datetime import date

import pytest

from bot.chart import build_figure, month_series, render_stats_png


def _data(by_month, jobs=None, top=None):
    return {"by_month": by_month, "jobs_by_month": jobs or [(m, 0) for m, _ in by_month],
            "top_companies": top or []}


def test_gap_months_are_zero():
    # newest first, as outbox.stats returns them; July is missing
    data = _data([("2025-08", 2), ("2025-06", 1)], [("2025-08", 300), ("2025-06", 50)])
    months, counts, jobs = month_series(data, today=date(2025, 8, 20))
    assert months == ["2025-06", "2025-07", "2025-08"]
    assert counts == [1, 0, 2]
    assert jobs == [50, 0, 300]


def test_series_runs_to_the_current_month_and_keeps_twelve():
    data = _data([("2024-01", 1)])
    months, counts, _ = month_series(data, today=date(2024, 4, 2))
    assert months == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert counts == [1, 0, 0, 0]
    data = _data([("2023-01", 1), ("2025-01", 2)])
    months, counts, _ = month_series(data, today=date(2025, 1, 5))
    assert len(months) == 12 and months[-1] == "2025-01" and counts[-1] == 2


def test_bad_month_keys_are_ignored():
    data = _data([("2025-13", 4), ("", 1), ("2025-02", 1)])
    months, counts, _ = month_series(data, today=date(2025, 2, 1))
    assert months == ["2025-02"] and counts == [1]


@pytest.mark.parametrize("n_months", [1, 3, 12])
def test_chart_has_integer_ticks_legend_and_labels(n_months):
    by_month = [(f"2025-{m:02d}", 1 + (m % 3)) for m in range(n_months, 0, -1)]
    jobs = [(m, 1234 * c) for m, c in by_month]
    data = _data(by_month, jobs, [("Fiverr", 2), ("Amazon", 1)])
    fig = build_figure(data, today=date(2025, n_months, 10))
    events_ax = fig.axes[0]
    ticks = [t for t in events_ax.get_yticks() if t >= 0]
    assert ticks and all(float(t).is_integer() for t in ticks)
    assert events_ax.get_ylabel() and events_ax.get_xlabel()
    legend = events_ax.get_legend()
    assert legend is not None
    assert {t.get_text() for t in legend.get_texts()} == {"peristiwa PHK", "karyawan terdampak"}
    assert len(events_ax.get_xticklabels()) == max(n_months, 1)


def test_png_renders_for_one_month(tmp_path):
    png = render_stats_png(_data([("2025-05", 1)], [("2025-05", 250)], [("Fiverr", 1)]),
                           today=date(2025, 5, 3))
    assert png and png.startswith(b"\x89PNG")
    from PIL import Image  # matplotlib depends on pillow
    img = Image.open(io.BytesIO(png))
    assert img.size[0] >= 800


def test_no_data_no_chart():
    assert render_stats_png({"by_month": []}) is None
