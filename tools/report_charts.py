"""Inline SVG charts for tools/equivalence-report: no external assets, no dependencies.

ratio_chart: every operation's Rust/C++ ratio on a log axis, sorted, with the 1.00x and
    1.10x lines, each operation's spread over the rounds as a whisker, misses in red.
trend_chart: the geometric mean and the number of misses over the runs of the history.
History lines (equivalence-report.history.json, one JSON object per line) are read and
written here too.
"""

import html
import json
import math

# Colours a reviewer can tell apart, also in grey scale.
MEETS = "#1b7f3b"
MISSES = "#c62828"
GUIDE = "#888888"
TARGET = "#e07b00"


def _log_bounds(values, low=0.25, high=2.0):
    """A log-axis range covering `values` (and [low, high]), on whole powers of two."""
    finite = [v for v in values if v > 0 and math.isfinite(v)]
    lo = min(finite + [low])
    hi = max(finite + [high])
    return 2.0 ** math.floor(math.log2(lo)), 2.0 ** math.ceil(math.log2(hi))


def _ticks(lo, hi):
    ticks = []
    value = lo
    while value <= hi * 1.0001:
        ticks.append(value)
        value *= 2
    return ticks


def _log_grid(lo, hi, y, left, plot_w, colour):
    """Grid lines and labels at the powers of two between lo and hi."""
    out = []
    for tick in _ticks(lo, hi):
        ty = y(tick)
        out.append(f"<line x1='{left}' x2='{left + plot_w}' y1='{ty:.1f}' y2='{ty:.1f}' "
                   "stroke='#e6e6e6'/>")
        out.append(f"<text x='{left - 5}' y='{ty + 4:.1f}' text-anchor='end' "
                   f"fill='{colour}'>{_fmt_ratio(tick)}</text>")
    return out


def _fmt_ratio(value):
    return f"{value:g}x" if value >= 1 else f"{value:.3g}x"


def ratio_chart(operations, title, max_ratio=1.10, width=900, height=240):
    """SVG of one component's operations. `operations` are compare.py's dicts (name, ratio,
    ratio_spread, cc_ns, rust_ns, meets_target)."""
    ops = sorted((op for op in operations if math.isfinite(op["ratio"]) and op["ratio"] > 0),
                 key=lambda op: op["ratio"])
    left, right, top, bottom = 52, 12, 26, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    spreads = [v for op in ops for v in op.get("ratio_spread", [op["ratio"]] * 2)]
    lo, hi = _log_bounds([op["ratio"] for op in ops] + spreads)
    span = math.log(hi) - math.log(lo)

    def y(ratio):
        ratio = min(max(ratio, lo), hi)
        return top + plot_h * (1 - (math.log(ratio) - math.log(lo)) / span)

    def x(index):
        if len(ops) == 1:
            return left + plot_w / 2
        return left + 6 + (plot_w - 12) * index / (len(ops) - 1)

    misses = sum(1 for op in ops if not op["meets_target"])
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' font-family='sans-serif' font-size='11'>",
        f"<title>{html.escape(title)}</title>",
        f"<text x='{left}' y='15' font-size='13' font-weight='bold'>{html.escape(title)}: "
        f"{len(ops)} operations, {misses} above {max_ratio:.2f}x (red)</text>",
        f"<rect x='{left}' y='{top}' width='{plot_w}' height='{plot_h}' fill='#fafafa' "
        "stroke='#ddd'/>",
    ]
    out += _log_grid(lo, hi, y, left, plot_w, "#555")
    # Parity is labelled at the left under its line, the target at the right above its own,
    # so the two labels never overlap however close the lines are.
    for value, colour, label, dash, anchor, lx, dy in [
            (1.0, GUIDE, "1.00x", "4 3", "start", left + 4, 11),
            (max_ratio, TARGET, f"{max_ratio:.2f}x target", "", "end", left + plot_w - 4, -3)]:
        ly = y(value)
        out.append(f"<line x1='{left}' x2='{left + plot_w}' y1='{ly:.1f}' y2='{ly:.1f}' "
                   f"stroke='{colour}' stroke-width='1.2'"
                   + (f" stroke-dasharray='{dash}'" if dash else "") + "/>")
        out.append(f"<text x='{lx}' y='{ly + dy:.1f}' text-anchor='{anchor}' "
                   f"fill='{colour}'>{label}</text>")
    for index, op in enumerate(ops):
        px = x(index)
        colour = MEETS if op["meets_target"] else MISSES
        low, high = op.get("ratio_spread", [op["ratio"], op["ratio"]])
        tip = (f"{op['name']}: {op['ratio']:.2f}x (rounds {low:.2f}-{high:.2f}x), "
               f"C++ {op['cc_ns']:.3g} ns, Rust {op['rust_ns']:.3g} ns")
        out.append(f"<g><title>{html.escape(tip)}</title>")
        if high > low:
            out.append(f"<line x1='{px:.1f}' x2='{px:.1f}' y1='{y(high):.1f}' "
                       f"y2='{y(low):.1f}' stroke='{colour}' stroke-opacity='0.45'/>")
        radius = 2.2 if op["meets_target"] else 3.2
        out.append(f"<circle cx='{px:.1f}' cy='{y(op['ratio']):.1f}' r='{radius}' "
                   f"fill='{colour}'/></g>")
    out.append(f"<text x='{left + plot_w / 2:.0f}' y='{height - 6}' text-anchor='middle' "
               "fill='#555'>operations, sorted by Rust/C++ ratio (log axis; whiskers: range "
               "over the rounds; hover for names)</text>")
    out.append("</svg>")
    return "\n".join(out)


def trend_chart(history, max_geomean=1.00, width=900, height=200):
    """SVG of the runs in `history` (oldest first): geometric mean (log axis, left) and
    misses (right axis)."""
    runs = [h for h in history if isinstance(h.get("geomean"), (int, float)) and h["geomean"] > 0]
    left, right, top, bottom = 52, 52, 26, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' font-family='sans-serif' font-size='11'>",
        "<title>Trend over the report's runs</title>",
        f"<text x='{left}' y='15' font-size='13' font-weight='bold'>Trend over {len(runs)} "
        f"run(s): geometric mean (blue, left) and operations above target (red, right)</text>",
        f"<rect x='{left}' y='{top}' width='{plot_w}' height='{plot_h}' fill='#fafafa' "
        "stroke='#ddd'/>",
    ]
    if not runs:
        out.append(f"<text x='{left + 8}' y='{top + 20}'>no runs recorded yet</text></svg>")
        return "\n".join(out)
    lo, hi = _log_bounds([r["geomean"] for r in runs], low=0.5, high=1.0)
    span = math.log(hi) - math.log(lo)
    most = max(max(r.get("misses", 0) for r in runs), 1)

    def x(index):
        if len(runs) == 1:
            return left + plot_w / 2
        return left + 10 + (plot_w - 20) * index / (len(runs) - 1)

    def y_gm(value):
        return top + plot_h * (1 - (math.log(value) - math.log(lo)) / span)

    def y_miss(value):
        return top + plot_h * (1 - value / most)

    out += _log_grid(lo, hi, y_gm, left, plot_w, "#1f5fa8")
    out.append(f"<text x='{left + plot_w + 5}' y='{top + 4}' fill='{MISSES}'>{most}</text>")
    out.append(f"<text x='{left + plot_w + 5}' y='{top + plot_h + 4}' fill='{MISSES}'>0</text>")
    target_y = y_gm(max_geomean)
    out.append(f"<line x1='{left}' x2='{left + plot_w}' y1='{target_y:.1f}' "
               f"y2='{target_y:.1f}' stroke='{TARGET}' stroke-dasharray='4 3'/>")
    for key, colour, ypos in [("geomean", "#1f5fa8", lambda r: y_gm(r["geomean"])),
                              ("misses", MISSES, lambda r: y_miss(r.get("misses", 0)))]:
        points = " ".join(f"{x(i):.1f},{ypos(r):.1f}" for i, r in enumerate(runs))
        out.append(f"<polyline points='{points}' fill='none' stroke='{colour}' "
                   "stroke-width='1.5'/>")
        for i, r in enumerate(runs):
            tip = (f"{r.get('date', '?')} {r.get('commit', '?')}: geomean "
                   f"{r['geomean']:.3f}x, {r.get('misses', '?')} misses of "
                   f"{r.get('operations', '?')}" + (" (--quick)" if r.get("quick") else ""))
            out.append(f"<circle cx='{x(i):.1f}' cy='{ypos(r):.1f}' r='3' fill='{colour}'>"
                       f"<title>{html.escape(tip)}</title></circle>")
    first, last = runs[0], runs[-1]
    out.append(f"<text x='{left}' y='{height - 8}' fill='#555'>{html.escape(str(first.get('date', '')))}"
               f" {html.escape(str(first.get('commit', '')))}</text>")
    out.append(f"<text x='{left + plot_w}' y='{height - 8}' text-anchor='end' fill='#555'>"
               f"{html.escape(str(last.get('date', '')))} "
               f"{html.escape(str(last.get('commit', '')))}</text>")
    out.append("</svg>")
    return "\n".join(out)


def read_history(path):
    """The runs recorded in `path` (JSON lines), oldest first; unreadable lines are skipped."""
    runs = []
    try:
        text = path.read_text()
    except OSError:
        return runs
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict):
            runs.append(entry)
    return runs


def append_history(path, entry):
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(entry, sort_keys=True) + "\n")
