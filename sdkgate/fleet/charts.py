"""Inline SVG bar charts for the fleet HTML report (no script, no external file: the page stays self-contained)."""
from __future__ import annotations

from xml.sax.saxutils import escape


def bar_chart(rows: list[tuple[str, float, str]], *, title: str, width: int = 720, bar_h: int = 18) -> str:
    """Horizontal bars: (label, share 0..1, value text) per row."""
    label_w, value_w, gap = 300, 90, 6
    plot_w = width - label_w - value_w
    h = 28 + max(1, len(rows)) * (bar_h + gap)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{h}" '
             f'viewBox="0 0 {width} {h}" font-family="system-ui, sans-serif" font-size="12">',
             f'<title>{escape(title)}</title>',
             f'<text x="0" y="16" font-weight="600" font-size="13">{escape(title)}</text>']
    if not rows:
        parts.append('<text x="0" y="40" fill="#6b7280">—</text>')
    for i, (label, share, value) in enumerate(rows):
        y = 28 + i * (bar_h + gap)
        share = min(1.0, max(0.0, float(share or 0.0)))
        lab = label if len(label) <= 30 else label[:29] + "…"      # CJK glyphs are wide: keep inside the label column
        parts.append(f'<text x="{label_w - 8}" y="{y + bar_h - 5}" text-anchor="end">{escape(lab)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" fill="#f3f4f6"/>')
        parts.append(f'<rect class="bar" x="{label_w}" y="{y}" width="{round(plot_w * share, 1)}" height="{bar_h}" '
                     f'fill="#2563eb"><title>{escape(label)}: {escape(value)} ({share:.1%})</title></rect>')
        parts.append(f'<text x="{label_w + plot_w + 6}" y="{y + bar_h - 5}">{escape(value)} · {share:.0%}</text>')
    parts.append("</svg>")
    return "".join(parts)
