"""What a graph page shows on screen: where its labels are, how large, how much canvas it uses.

The page is measured from what it draws, not from what it says it draws: a script added
before the page's own records every text the canvas paints (`fillText`, with the
context's transform), so labels placed, hidden or resized by any means are measured
alike, in CSS pixels of the viewport.

    python tests/viz/page_geometry.py out/graph.html --top 20 --top 40

prints, for each page at 1400x900: the label boxes that overlap among the top N actors
(by PageRank, read from each actor's tooltip), how many of those actors' labels are
drawn, the smallest label font on screen, overlapping line labels, and the share of
the canvas the drawing's bounding box covers. A measurement, not a test; the tests in
test_viz.py use the same functions.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

VIEWPORT = {"width": 1400, "height": 900}

#: Runs before the page's scripts: records each canvas text drawn, as a box on screen.
RECORD_TEXTS = """(() => {
  window.__texts = [];
  const proto = CanvasRenderingContext2D.prototype, fill = proto.fillText;
  proto.fillText = function (text, x, y, maxWidth) {
    const m = this.measureText(text), t = this.getTransform(), r = window.devicePixelRatio || 1;
    const size = parseFloat((this.font.match(/([\\d.]+)px/) || [0, 0])[1]);
    const corner = (dx, dy) => [(t.a * dx + t.c * dy + t.e) / r, (t.b * dx + t.d * dy + t.f) / r];
    const left = x - m.actualBoundingBoxLeft, right = x + m.actualBoundingBoxRight;
    const top = y - m.actualBoundingBoxAscent, bottom = y + m.actualBoundingBoxDescent;
    window.__texts.push({text: String(text), font: size * Math.sqrt(Math.abs(t.a * t.d - t.b * t.c)) / r,
      alpha: this.globalAlpha, corners: [corner(left, top), corner(right, top),
                                         corner(right, bottom), corner(left, bottom)]});
    return fill.apply(this, arguments);
  };
})();"""

#: One synchronous frame, then what it painted, against the actors and lines shown.
MEASURE = """(top) => {
  window.__texts = [];
  network.renderer._redraw();
  const canvas = network.canvas.frame.canvas.getBoundingClientRect();
  const frame = {left: 0, top: 0, right: canvas.width, bottom: canvas.height};
  const data = network.body.data;
  const rankOf = {}, labelled = {};
  data.nodes.get().forEach(n => {
    const m = /PageRank #([\\d,]+)/.exec(n.title || "");
    rankOf[n.id] = m ? Number(m[1].replace(/,/g, "")) : 1e9;
    (labelled[n.label] = labelled[n.label] || []).push(n.id);
  });
  const edgeLabels = new Set(data.edges.get().map(e => e.label).filter(Boolean));
  const box = c => ({left: Math.min(...c.map(p => p[0])), right: Math.max(...c.map(p => p[0])),
                     top: Math.min(...c.map(p => p[1])), bottom: Math.max(...c.map(p => p[1]))});
  const onScreen = b => b.right > frame.left && b.left < frame.right &&
                        b.bottom > frame.top && b.top < frame.bottom;
  // Separating axes: two convex quadrilaterals overlap unless an edge's normal parts them.
  const apart = (p, q) => [p, q].some(poly => poly.some((a, i) => {
    const b = poly[(i + 1) % poly.length], nx = a[1] - b[1], ny = b[0] - a[0];
    const proj = s => s.map(v => v[0] * nx + v[1] * ny);
    const u = proj(p), v = proj(q);
    return Math.max(...u) <= Math.min(...v) || Math.max(...v) <= Math.min(...u);
  }));
  const drawn = window.__texts.filter(t => t.alpha > 0.05 && onScreen(box(t.corners)));
  const nodeTexts = [], lineTexts = [];
  const seen = new Set();
  drawn.forEach(t => {
    if (labelled[t.text]) {
      const id = labelled[t.text].find(i => !seen.has(i));
      if (id !== undefined) { seen.add(id); nodeTexts.push(Object.assign({id: id, rank: rankOf[id]}, t)); }
    } else if (edgeLabels.has(t.text)) { lineTexts.push(t); }
  });
  const overlaps = list => {
    const pairs = [];
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++)
      if (!apart(list[i].corners, list[j].corners)) pairs.push([list[i].text, list[j].text]);
    return pairs;
  };
  const ranked = data.nodes.get().filter(n => network.body.nodes[n.id])
    .sort((a, b) => rankOf[a.id] - rankOf[b.id] || (a.id < b.id ? -1 : 1));
  const byTop = {};
  top.forEach(n => {
    const ids = new Set(ranked.slice(0, n).map(x => x.id));
    const mine = nodeTexts.filter(t => ids.has(t.id));
    byTop[n] = {actors: ids.size, labels_drawn: mine.length,
                overlapping_pairs: overlaps(mine).length, examples: overlaps(mine).slice(0, 5)};
  });
  // The drawing: every actor's shape and every text painted, clipped to the canvas.
  let extent = null;
  const grow = b => { extent = extent === null ? Object.assign({}, b) : {
    left: Math.min(extent.left, b.left), right: Math.max(extent.right, b.right),
    top: Math.min(extent.top, b.top), bottom: Math.max(extent.bottom, b.bottom)}; };
  ranked.forEach(n => {
    const b = network.getBoundingBox(n.id);
    const a = network.canvasToDOM({x: b.left, y: b.top}), z = network.canvasToDOM({x: b.right, y: b.bottom});
    const dom = {left: a.x, top: a.y, right: z.x, bottom: z.y};
    if (onScreen(dom)) { grow(dom); }
  });
  drawn.forEach(t => grow(box(t.corners)));
  let fill = {width: 0, height: 0, area: 0};
  if (extent !== null) {
    const w = Math.max(0, Math.min(extent.right, frame.right) - Math.max(extent.left, frame.left));
    const h = Math.max(0, Math.min(extent.bottom, frame.bottom) - Math.max(extent.top, frame.top));
    fill = {width: w / frame.right, height: h / frame.bottom, area: (w * h) / (frame.right * frame.bottom)};
  }
  const fonts = nodeTexts.map(t => t.font), lineFonts = lineTexts.map(t => t.font);
  return {
    canvas: [canvas.width, canvas.height],
    actors_drawn: ranked.length,
    node_labels_drawn: nodeTexts.length,
    smallest_label_px: fonts.length ? Math.min(...fonts) : null,
    line_labels_drawn: lineTexts.length,
    smallest_line_label_px: lineFonts.length ? Math.min(...lineFonts) : null,
    overlapping_line_label_pairs: overlaps(lineTexts).length,
    overlapping_label_pairs_all: overlaps(nodeTexts.concat(lineTexts)).length,
    top: byTop,
    fill: fill,
    extent: extent,
  };
}"""


#: Ticks the box that shows the actors with no line, if the page has one and it is off.
SHOW_UNLINKED = """() => { const box = document.getElementById("show-unlinked");
  if (!box || box.checked || box.closest("[hidden]")) { return false; }
  box.click(); return true; }"""


def drawn_texts(page) -> list[str]:
    """Return the texts `page` (opened with RECORD_TEXTS) paints in one frame, drawn now."""
    return page.evaluate(
        "() => { window.__texts = []; network.renderer._redraw(); return window.__texts.map(t => t.text); }"
    )


def measure(page, top: tuple[int, ...] = (20, 40)) -> dict:
    """Return what `page` (opened with RECORD_TEXTS as an init script) shows right now."""
    return page.evaluate(MEASURE, list(top))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=Path, help="graph.html files to measure")
    parser.add_argument("--top", type=int, action="append", help="top N actors (repeatable; default 20, 40)")
    parser.add_argument("--json", action="store_true", help="print the full measurements as JSON")
    parser.add_argument(
        "--show-unlinked",
        action="store_true",
        help="tick 'actors with no line' first (where the page has it)",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from browser import chromium, open_offline

    top = tuple(args.top or (20, 40))
    with chromium() as browser:
        for path in args.pages:
            opened = open_offline(
                browser,
                path,
                wait_for="document.body.dataset.layout === 'done'",
                viewport=VIEWPORT,
                init_script=RECORD_TEXTS,
            )
            if args.show_unlinked and opened.page.evaluate(SHOW_UNLINKED):
                opened.page.wait_for_timeout(100)
            found = measure(opened.page, top)
            opened.page.close()
            if args.json:
                print(json.dumps({"page": str(path), **found}, indent=1))
                continue
            fill = found["fill"]
            print(
                f"{path}: {found['actors_drawn']} actors on a {found['canvas'][0]:.0f}x"
                f"{found['canvas'][1]:.0f} canvas; drawing fills {fill['area']:.0%} of it "
                f"({fill['width']:.0%} wide, {fill['height']:.0%} high)"
            )
            print(
                f"  actor labels drawn {found['node_labels_drawn']}, smallest "
                f"{_px(found['smallest_label_px'])}; line labels drawn {found['line_labels_drawn']}, "
                f"smallest {_px(found['smallest_line_label_px'])}, overlapping pairs "
                f"{found['overlapping_line_label_pairs']}; all labels overlapping pairs "
                f"{found['overlapping_label_pairs_all']}"
            )
            for n, row in found["top"].items():
                print(
                    f"  top {n}: {row['labels_drawn']} of {row['actors']} labels drawn, "
                    f"{row['overlapping_pairs']} overlapping pairs {row['examples'][:3]}"
                )
    return 0


def _px(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} px"


if __name__ == "__main__":
    raise SystemExit(main())
