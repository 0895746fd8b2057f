"""The area chart of a program's standing, drawn server-side as inline SVG.

The portal's pages draw the same data with Chart.js in the browser; a PDF has no browser, so
the bars are plain SVG rectangles WeasyPrint renders itself (vector, crisp when printed)."""
from decimal import Decimal, InvalidOperation

from django.utils.html import escape

BAR_COLOR = "#2f6fb2"
CAP_COLOR = "#c0392b"


def _number(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return Decimal(0)


def _fmt(value):
    d = _number(value).normalize()
    return f"{d:f}" if d == d.to_integral() else f"{d:f}".rstrip("0")


def area_chart_svg(areas, *, width=460, row=20, label_width=150):
    """Horizontal bars, one per area: points, with the cap drawn as a red tick when there is one."""
    areas = [a for a in areas or [] if a.get("in_total", True)]
    if not areas:
        return ""
    scale_max = max([_number(a.get("points")) for a in areas] + [_number(a.get("cap")) for a in areas if a.get("cap")])
    scale_max = scale_max if scale_max > 0 else Decimal(1)
    plot = width - label_width - 60
    height = row * len(areas) + 6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="area-chart" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" font-family="Noto Sans CJK KR, sans-serif">']
    for i, area in enumerate(areas):
        y = 3 + i * row
        points = _number(area.get("points"))
        bar = float(points / scale_max) * plot
        label = escape(str(area.get("area", "")))[:40]
        parts.append(f'<text x="{label_width - 6}" y="{y + row * 0.65:.1f}" text-anchor="end" '
                     f'font-size="9">{label}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{plot}" height="{row - 8}" fill="#eef2f7"/>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{bar:.1f}" height="{row - 8}" fill="{BAR_COLOR}"/>')
        if area.get("cap"):
            cx = label_width + float(_number(area["cap"]) / scale_max) * plot
            parts.append(f'<line x1="{cx:.1f}" y1="{y + 1}" x2="{cx:.1f}" y2="{y + row - 3}" '
                         f'stroke="{CAP_COLOR}" stroke-width="1.5"/>')
        value = _fmt(points) + (f" / {_fmt(area['cap'])}" if area.get("cap") else "")
        parts.append(f'<text x="{label_width + plot + 4}" y="{y + row * 0.65:.1f}" '
                     f'font-size="9">{escape(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)
