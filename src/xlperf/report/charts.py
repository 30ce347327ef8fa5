"""Charts as PNG pictures for the Word report (matplotlib, Agg: no display needed).

Colour-blind-safe RAG colours, and every bar segment labelled with its count, so a
chart never relies on colour alone. Figures are made with the object API (no
pyplot state), so they are safe to make in any thread.
"""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from xlperf.report.views import CountRow, YearRow
from xlperf.write.style import RAG_COLOURS

_GREY = ("#BBBBBB", "#000000")  # "Not rated"
_FONT = {"family": "DejaVu Sans", "size": 9}


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, metadata={"Software": None})
    return buf.getvalue()


def rag_bars(rows: list[CountRow], words: list[str], title: str) -> bytes:
    """Stacked horizontal bars of RAG counts, one bar per group, top to bottom as listed."""
    height = 1.3 + 0.42 * max(len(rows), 1)
    fig = Figure(figsize=(6.6, height))
    ax = fig.add_subplot()
    names = [r.name for r in rows]
    left = [0] * len(rows)
    for word in words:
        counts = [r.get(word) for r in rows]
        if not any(counts):
            continue
        fill, ink = RAG_COLOURS.get(word, _GREY)
        bars = ax.barh(names, counts, left=left, color=fill, edgecolor="#333333",
                       linewidth=0.6, label=word)
        labels = [str(n) if n else "" for n in counts]
        ax.bar_label(bars, labels=labels, label_type="center", color=ink, fontsize=8,
                     fontweight="bold")
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("Actions", fontdict=_FONT)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontdict={**_FONT, "size": 10, "weight": "bold"}, loc="left")
    ax.tick_params(labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32 if len(rows) < 4 else -0.2),
              ncol=len(words), frameon=False, fontsize=8)
    fig.tight_layout()
    return _png(fig)


def indicator_panels(rows: list[YearRow], periods: list[str], limit: int = 9) -> bytes | None:
    """Small multiples: each headline indicator's figures over the year's periods, with its
    target as a dashed line. None when no indicator has a number."""
    series = [r for r in rows if r.is_headline and r.numbers][:limit]
    if not series:
        return None
    cols = min(3, len(series))
    lines = math.ceil(len(series) / cols)
    fig = Figure(figsize=(2.3 * cols, 2.05 * lines))
    short = [p.split(" ")[0] if p.count(" ") == 1 else p for p in periods]
    for n, row in enumerate(series, start=1):
        ax = fig.add_subplot(lines, cols, n)
        values = [row.numbers.get(p, 0.0) for p in periods]
        bars = ax.bar(short, values, color="#0072B2", edgecolor="#333333", linewidth=0.5)
        ax.bar_label(bars, labels=[_short(row.numbers.get(p)) for p in periods], fontsize=7)
        target = _number(row.target_shown)
        if target is not None:
            ax.axhline(target, color="#D55E00", linestyle="--", linewidth=1)
        ax.set_title(_wrap(f"{row.name} ({row.agency})"), fontsize=7, loc="left")
        ax.tick_params(labelsize=7)
        ax.margins(y=0.25)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.text(0.01, 0.005, "Bars: figure reported each period. Dashed line: target. "
             "Proportions in %.", fontsize=7)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return _png(fig)


def _short(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _wrap(text: str, width: int = 34) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3])
