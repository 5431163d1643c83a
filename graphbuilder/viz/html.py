"""The page around the graph: vis-network inlined, data as script-safe JSON, nothing remote.

pyvis's own template links Bootstrap from a CDN, leaves the heading unescaped and
switches tooltips to innerHTML when one contains "href"; this page keeps only what the
view needs and inlines the vis-network build that pyvis ships inside its package, so
the file opens offline and from any folder. A Content-Security-Policy that allows only
the page's own two scripts (by hash) and no connections backs up the escaping: even a
tag that slipped through could neither run a handler nor fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from ..resources import read_data

VIS_VERSION = "9.1.2"

# Remote assets pyvis templates reference; stripped from any template text we keep.
_REMOTE_TAG_RE = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script\s*>"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>",
    re.IGNORECASE,
)

_SHAPE_GLYPHS = {
    "dot": "\u25cf",
    "diamond": "\u25c6",
    "square": "\u25a0",
    "triangle": "\u25b2",
    "triangleDown": "\u25bc",
    "star": "\u2605",
    "hexagon": "\u2b22",
}


@lru_cache(maxsize=1)
def page_assets() -> tuple[str, str]:
    """Return the page's own script and stylesheet (graphbuilder/data/viz_labels.js and
    viz_page.js, one after the other; viz_page.css).

    The script is static (it reads the data from the JSON block), so its CSP hash only
    changes when the files do. It defines the globals nodes, edges and network, as pyvis
    pages do, and labels (the names drawn on the canvas), for scripts and tests.
    """
    return read_data("viz_labels.js") + "\n" + read_data("viz_page.js"), read_data("viz_page.css")


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """Return vis-network's JavaScript and CSS as shipped inside the pyvis package."""
    lib = resources.files("pyvis").joinpath("templates", "lib", f"vis-{VIS_VERSION}")
    js = lib.joinpath("vis-network.min.js").read_text("utf-8")
    css = lib.joinpath("vis-network.css").read_text("utf-8")
    return js, css


def script_safe_json(value: object) -> str:
    """Return JSON that cannot end or comment out the <script> element it is embedded in."""
    return _escape_json(_dumps(value))


def script_safe_json_chunks(value: object) -> Iterator[str]:
    """Yield script_safe_json(value) in pieces, never the whole text at once.

    A dict's lists (a large graph's nodes and edges) come an element at a time, each
    written by json.dumps with the same settings, so the pieces join to exactly the
    whole; each character escaped is one character, so escaping piece by piece is the
    same as escaping the whole.
    """
    if not isinstance(value, dict):
        yield _escape_json(_dumps(value))
        return
    yield "{"
    for i, key in enumerate(sorted(value)):
        yield ("," if i else "") + _escape_json(_dumps(key)) + ":"
        item = value[key]
        if isinstance(item, list):
            yield "["
            for j, element in enumerate(item):
                yield ("," if j else "") + _escape_json(_dumps(element))
            yield "]"
        else:
            yield _escape_json(_dumps(item))
    yield "}"


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _escape_json(text: str) -> str:
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def inline_script(js: str) -> str:
    """Return `js` safe to place between <script> tags (same meaning in JavaScript)."""
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    return js.replace("<!--", "<\\!--")


def strip_remote_tags(markup: str) -> str:
    """Return `markup` without <script src=http...> and <link href=http...> tags."""
    return _REMOTE_TAG_RE.sub("", markup)


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'s' if count != 1 else ''}"


def _count(count: int) -> str:
    # The page script rewrites it as "shown/total" while the filters hide some.
    return f'<span class="count" data-total="{count}">{count:,}</span>'


def legend_html(legend: dict) -> str:
    """Return the legend, which is also the filter panel: a checkbox per actor type and
    per relation (grouped by family), one for the actors with no line, a date range,
    and what size and width mean. Counts are of what is shown (the script keeps them so)."""
    e = html.escape
    types = [
        f'<li><label><input type="checkbox" checked data-actor-type="{e(name)}">'
        f'<span class="glyph" style="color:{e(look["color"])}">'
        f"{_SHAPE_GLYPHS.get(look.get('shape', 'dot'), '')}</span>{e(name)} "
        f"{_count(count)}</label></li>"
        for name, look, count in legend["actor_types"]
    ]
    unlinked = legend.get("unlinked", 0)
    # Actors with no line sit in a grid under the drawing: hidden at first, unless
    # nothing else would be drawn.
    show_unlinked = " checked" if unlinked and not legend.get("lines", 0) else ""
    parts = [
        '<section id="legend" aria-label="Legend and filters">',
        "<h2>Actors</h2>",
        '<ul class="actor-types">',
        *types,
        "</ul>",
        f'<label class="unlinked"{"" if unlinked else " hidden"}><input type="checkbox"'
        f'{show_unlinked} id="show-unlinked"> actors with no line '
        f'<span class="count" id="unlinked-count">{unlinked:,}</span></label>',
    ]
    families = [f for f in legend["families"] if f[3]]
    if families:
        parts.append("<h2>Relations</h2>")
    for key, label, color, relations in families:
        parts += [
            f'<fieldset class="family" data-family="{e(key)}">',
            f'<legend><label><input type="checkbox" checked class="family-toggle">'
            f'<span class="swatch" style="background:{e(color)}"></span>{e(label)}'
            "</label></legend>",
            '<ul class="relations">',
        ]
        for name, look, count in relations:
            dashes = look["dashes"] if legend.get("dashes", True) else False
            line = "solid" if dashes is False else "dotted" if dashes == [2, 4] else "dashed"
            parts.append(
                f'<li><label><input type="checkbox" checked data-relation="{e(name)}">'
                f'<span class="line" style="border-top:2px {line} {e(look["color"])}">'
                f"</span>{e(name.replace('_', ' '))} {_count(count)}</label></li>"
            )
        parts += ["</ul>", "</fieldset>"]
    dates = legend.get("dates")
    # Text fields, not <input type="date">: a date picker shows the browser's locale
    # (10/21/2021), the data and the filters speak ISO 8601.
    iso = r"\d{4}(-\d{2}(-\d{2})?)?"
    field = (
        '<input type="text" id="{id}" inputmode="numeric" pattern="{iso}" maxlength="10" size="10" '
        'placeholder="yyyy-mm-dd" autocomplete="off" spellcheck="false" aria-describedby="date-hint">'
    )
    reported = f"Reported {e(dates[0])} to {e(dates[1])}; write " if dates else "Write "
    parts += [
        "<h2>Dates</h2>",
        f'<div class="dates"><label>from {field.format(id="date-from", iso=iso)}</label> '
        f"<label>to {field.format(id='date-to', iso=iso)}</label></div>",
        f'<p class="hint" id="date-hint">{reported}yyyy-mm-dd, yyyy-mm or yyyy.</p>',
        '<label><input type="checkbox" checked id="undated"> relations with no date</label>',
        '<label><input type="checkbox" checked id="hide-orphans"> hide actors the filters '
        "leave with no line</label>",
        '<button type="button" id="reset">Show everything</button>',
        '<p class="hint">Size: PageRank; line thickness: reports. Hover: evidence and '
        "hidden names. Click an actor: its neighbours.</p>",
        "</section>",
    ]
    return "\n".join(parts)


def page_parts(
    *,
    title: str,
    nodes: list[dict],
    edges: list[dict],
    options: dict,
    legend: dict,
    counts: tuple[int, int, int, int],
    left_out: str | None,
    focus: str | None,
    canvas_height: str,
) -> Iterator[str]:
    """Yield the whole HTML document in pieces: inlined vis-network, legend and filters,
    the graph's data (an element at a time, never one string), script."""
    vis_js, vis_css = vis_assets()
    vis_js = inline_script(vis_js)
    page_js, page_css = page_assets()
    page_js = inline_script(page_js)
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(vis_js)} {_csp_hash(page_js)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    n_actors, n_lines, n_events, n_reports = counts
    e = html.escape
    # An event is one act however many articles report it (rdf/happenings.py).
    reported = f" ({_plural(n_reports, 'report')})" if n_reports != n_events else ""
    summary = (
        f"{_plural(n_actors, 'actor')}, {_plural(n_events, 'event')}{reported} "
        f"drawn as {_plural(n_lines, 'line')}"
    )
    names = sorted({node["label"] for node in nodes}, key=lambda n: (n.casefold(), n))
    head = strip_remote_tags(
        "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en">',
                "<head>",
                '<meta charset="utf-8">',
                f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f'<meta name="generator" content="graphbuilder (pyvis, vis-network {VIS_VERSION})">',
                f"<title>{e(title)}</title>",
            ]
        )
    )
    body = strip_remote_tags(
        "\n".join(
            [
                "</head>",
                "<body>",
                f'<header><h1>{e(title)}</h1><p id="summary">{e(summary)}</p>'
                + (f'<p id="left-out">{e(left_out)}</p>' if left_out else "")
                + '<p id="shown" aria-live="polite"></p></header>',
                '<main><div id="mynetwork"></div>',
                '<aside id="panel">',
                '<form id="find" role="search"><label for="search">Find an actor</label>',
                '<input type="search" id="search" list="actor-names" autocomplete="off" '
                'placeholder="name or alias"> <button type="submit">Find</button>',
                '<p id="find-message" aria-live="polite"></p></form>',
                '<datalist id="actor-names">'
                + "".join(f'<option value="{e(name)}"></option>' for name in names)
                + "</datalist>",
                legend_html(legend),
                '<section id="details" aria-live="polite"><h2>Details</h2>'
                '<p id="details-text">Click an actor or a line to read it here.</p></section>',
                "</aside></main>",
            ]
        )
    )
    yield "\n".join(
        [
            head,
            f"<style>\n{vis_css}\n</style>",
            f"<style>{page_css.replace('%HEIGHT%', canvas_height)}</style>",
            f"<script>{vis_js}</script>",
            body,
            '<script id="graph-data" type="application/json">',
        ]
    )
    yield from script_safe_json_chunks({"nodes": nodes, "edges": edges, "options": options, "focus": focus})
    yield "\n".join(
        [
            "</script>",
            f"<script>{page_js}</script>",
            "</body>",
            "</html>",
            "",
        ]
    )
