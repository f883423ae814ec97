"""The published list of receipts: one printable page, sorted, with no content.

A receipt is drawn at random when a phone ballot is stored and kept in a table
of its own, linked to nothing; so the list shows that a voter's ballot was
counted without showing what it says or whose it is.
"""

from __future__ import annotations

from html import escape

from core.i18n import language, t, tn

_STYLE = """
body { font: 14px/1.5 "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2rem; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 0 0 1rem; font-weight: 400; }
ol { columns: 4 10rem; column-gap: 2rem; padding: 0; margin: 1rem 0; list-style: none; }
li { font: 15px/1.8 ui-monospace, "DejaVu Sans Mono", monospace; letter-spacing: .05em; }
@page { size: A4; margin: 15mm; }
"""


def receipts_html(title: str, receipts: list[str]) -> str:
    items = "\n".join(f"<li>{escape(r)}</li>" for r in sorted(receipts))
    lang = "zh-CN" if language() == "zh" else "en"
    heading = escape(t("receipts.title"))
    intro = escape(t("receipts.intro"))
    count = escape(tn("receipts.count", len(receipts)))
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{heading}</title><style>{_STYLE}</style></head>
<body>
<h1>{escape(title)}</h1>
<h2>{heading}</h2>
<p>{intro}</p>
<p>{count}</p>
<ol>
{items}
</ol>
</body></html>
"""
