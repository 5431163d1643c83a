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
from functools import lru_cache
from importlib import resources

VIS_VERSION = "9.1.2"

# Remote assets pyvis templates reference; stripped from any template text we keep.
_REMOTE_TAG_RE = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script\s*>"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>",
    re.IGNORECASE)

_SHAPE_GLYPHS = {"dot": "\u25cf", "diamond": "\u25c6", "square": "\u25a0",
                 "triangle": "\u25b2", "triangleDown": "\u25bc", "star": "\u2605",
                 "hexagon": "\u2b22"}

# Static: it reads the data from the JSON block, so its CSP hash never changes.
# nodes / edges / network are globals, as in pyvis pages, for scripts and tests.
_INIT_JS = """
var nodes, edges, network;
(function () {
  "use strict";
  var graph = JSON.parse(document.getElementById("graph-data").textContent);
  nodes = new vis.DataSet(graph.nodes);
  edges = new vis.DataSet(graph.edges);
  network = new vis.Network(document.getElementById("mynetwork"),
                            {nodes: nodes, edges: edges}, graph.options);
  network.once("stabilizationIterationsDone", function () {
    if (graph.freezeAfterLayout) { network.setOptions({physics: {enabled: false}}); }
    document.body.setAttribute("data-layout", "done");
  });
})();
"""

_PAGE_CSS = """
body { margin: 0; font-family: system-ui, sans-serif; color: #222; }
header { padding: 8px 16px; border-bottom: 1px solid #ddd; }
header h1 { font-size: 1.2em; margin: 0; }
header p { margin: 2px 0 0; color: #666; font-size: 0.85em; }
main { display: flex; }
#mynetwork { flex: 1; height: %HEIGHT%; border-right: 1px solid #ddd; }
#legend { width: 220px; padding: 8px 12px; font-size: 0.85em; }
#legend h2 { font-size: 1em; margin: 8px 0 4px; }
#legend ul { list-style: none; padding: 0; margin: 0; }
#legend li { margin: 2px 0; }
#legend .glyph { display: inline-block; width: 1.3em; text-align: center; font-size: 1.2em; }
#legend .line { display: inline-block; width: 2em; margin-right: 0.4em; vertical-align: middle; }
div.vis-tooltip { white-space: pre-wrap; max-width: 460px; font-size: 12px; }
"""


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """Return vis-network's JavaScript and CSS as shipped inside the pyvis package."""
    lib = resources.files("pyvis").joinpath("templates", "lib", f"vis-{VIS_VERSION}")
    js = lib.joinpath("vis-network.min.js").read_text("utf-8")
    css = lib.joinpath("vis-network.css").read_text("utf-8")
    return js, css


def script_safe_json(value: object) -> str:
    """Return JSON that cannot end or comment out the <script> element it is embedded in."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


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


def legend_html(legend: dict) -> str:
    """Return the legend: one line per actor type present, one per relation present."""
    e = html.escape
    items = [f'<li><span class="glyph" style="color:{e(look["color"])}">'
             f'{_SHAPE_GLYPHS.get(look.get("shape", "dot"), "")}</span>{e(name)}</li>'
             for name, look in legend["actor_types"]]
    parts = ['<aside id="legend" aria-label="Legend">', "<h2>Actors</h2>",
             '<ul class="actor-types">', *items, "</ul>"]
    if legend["relations"]:
        rows = [f'<li><span class="line" style="border-top:2px '
                f'{"dashed" if look.get("dashes") else "solid"} {e(look["color"])}"></span>'
                f'{e(name.replace("_", " "))}</li>'
                for name, look in legend["relations"]]
        parts += ["<h2>Relations</h2>", '<ul class="relations">', *rows, "</ul>"]
    parts += ["<p>Hover an actor or a relation for roles, dates and evidence.</p>", "</aside>"]
    return "\n".join(parts)


def render_page(*, title: str, nodes: list[dict], edges: list[dict], options: dict,
                legend: dict, counts: tuple[int, int], freeze_after_layout: bool,
                canvas_height: str) -> str:
    """Return the whole HTML document: inlined vis-network, legend, data, start-up script."""
    vis_js, vis_css = vis_assets()
    vis_js = inline_script(vis_js)
    data = script_safe_json({"nodes": nodes, "edges": edges, "options": options,
                             "freezeAfterLayout": freeze_after_layout})
    csp = ("default-src 'none'; "
           f"script-src {_csp_hash(vis_js)} {_csp_hash(_INIT_JS)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src data:; "
           "connect-src 'none'; form-action 'none'; base-uri 'none'")
    n_actors, n_relations = counts
    head = strip_remote_tags("\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="graphbuilder (pyvis, vis-network '
        f'{VIS_VERSION})">',
        f"<title>{html.escape(title)}</title>",
    ]))
    body = strip_remote_tags("\n".join([
        "</head>",
        "<body>",
        f"<header><h1>{html.escape(title)}</h1>"
        f"<p>{n_actors} actor{'s' if n_actors != 1 else ''}, "
        f"{n_relations} relation{'s' if n_relations != 1 else ''}</p></header>",
        '<main><div id="mynetwork"></div>',
        legend_html(legend),
        "</main>",
    ]))
    return "\n".join([
        head,
        f"<style>\n{vis_css}\n</style>",
        f"<style>{_PAGE_CSS.replace('%HEIGHT%', canvas_height)}</style>",
        f"<script>{vis_js}</script>",
        body,
        f'<script id="graph-data" type="application/json">{data}</script>',
        f"<script>{_INIT_JS}</script>",
        "</body>",
        "</html>",
        "",
    ])
