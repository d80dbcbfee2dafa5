"""The report's chart as a PNG: sessions held and cancelled per month, who led over time, and the
validated measures' change since the start with its 95% interval (only as the disclosure gate released it).

Drawn with matplotlib's Agg canvas on a `Figure` of its own (no pyplot, no global state), so it is
safe to render in a worker thread while the event loop carries on.
"""

from __future__ import annotations

from io import BytesIO

from domain.health import HealthReport, MonthTrend
from prompts import measure_report
from prompts import report as words

COLOURS = {"held": "#2e7d6b", "cancelled": "#d9822b", "mentor": "#2e7d6b", "balanced": "#7aa6c2", "mentee": "#c2554a"}


def led_shares(trend: MonthTrend) -> dict[str, float] | None:
    """A month's who-led shares in percent, as the disclosure gate released them; None: not enough people."""
    balance = trend.balance
    if balance is None or not balance.known:
        return None
    return {"mentor": 100 * balance.mentor / balance.known, "balanced": 100 * balance.balanced / balance.known, "mentee": 100 * balance.mentee / balance.known}


def chart_data(report: HealthReport) -> list[dict[str, object]]:
    """Everything the chart draws, month by month: the figures an admin can read off it."""
    return [{"month": t.month, "held": t.held, "cancelled": t.cancelled, "led": led_shares(t)} for t in report.trends]


def change_data(report: HealthReport) -> list[dict[str, object]]:
    """The change panel's bars: each released change, its mean and its interval."""
    return [{"label": label, "mean": change.mean, "low": change.low, "high": change.high} for label, change in measure_report.chart_rows(report)]


def _draw_changes(axes, report: HealthReport) -> None:  # noqa: ANN001 - a matplotlib Axes
    rows = change_data(report)
    axes.set_title(measure_report.CHART_TITLE)
    axes.axvline(0, color="#888888", linewidth=1)
    if not rows:
        axes.text(0.5, 0.5, measure_report.CHART_NOT_YET, ha="center", va="center", transform=axes.transAxes)
        axes.set_yticks([])
        return
    positions = list(range(len(rows)))
    means = [row["mean"] for row in rows]
    errors = [[row["mean"] - row["low"] for row in rows], [row["high"] - row["mean"] for row in rows]]
    axes.errorbar(means, positions, xerr=errors, fmt="o", color=COLOURS["held"], ecolor=COLOURS["balanced"], capsize=4)
    axes.set_yticks(positions, [str(row["label"]) for row in rows], fontsize=7)
    axes.invert_yaxis()
    axes.set_xlabel(measure_report.CHART_AXIS)


def render_chart(report: HealthReport) -> bytes:
    # Imported on the first chart: matplotlib adds most of a second to every start and tens of MB to
    # every process, for an admin's occasional report.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    months = [trend.month for trend in report.trends]
    positions = list(range(len(months)))
    figure = Figure(figsize=(9, 10), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    sessions, balance, changes = figure.subplots(3, 1, height_ratios=[1, 1, 1.2])
    balance.sharex(sessions)

    width = 0.38
    sessions.bar([p - width / 2 for p in positions], [t.held for t in report.trends], width, label=words.CHART_HELD, color=COLOURS["held"])
    sessions.bar([p + width / 2 for p in positions], [t.cancelled for t in report.trends], width, label=words.CHART_CANCELLED, color=COLOURS["cancelled"])
    sessions.set_title(words.CHART_SESSIONS_TITLE)
    sessions.set_ylabel(words.CHART_SESSIONS_AXIS)
    sessions.yaxis.get_major_locator().set_params(integer=True)
    sessions.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)

    shares = {"mentor": [], "balanced": [], "mentee": []}
    for trend in report.trends:
        shares_of_month = led_shares(trend)
        for key in shares:
            shares[key].append(shares_of_month[key] if shares_of_month else 0)
    bottom = [0.0] * len(months)
    for key, label in (("mentor", words.CHART_LED_MENTOR), ("balanced", words.CHART_LED_EVEN), ("mentee", words.CHART_LED_MENTEE)):
        balance.bar(positions, shares[key], 0.6, bottom=bottom, label=label, color=COLOURS[key])
        bottom = [b + s for b, s in zip(bottom, shares[key], strict=True)]
    balance.set_title(words.CHART_BALANCE_TITLE)
    balance.set_ylabel(words.CHART_BALANCE_AXIS)
    balance.set_ylim(0, 100)
    balance.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    balance.set_xticks(positions, [words.month_label(month) for month in months])

    _draw_changes(changes, report)

    figure.suptitle(words.chart_title(report))
    output = BytesIO()
    figure.savefig(output, format="png")
    return output.getvalue()
