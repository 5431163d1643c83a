// Names on the canvas of graphbuilder viz, and the view that fits the drawing to it.
// vis-network draws the shapes and lines; this draws their names, so that every name
// shown can be read: at least MIN px high on screen, and never over another name or
// another actor. Actors are named in PageRank order, below the shape, else above, to
// the right or to the left, else not at all: hovering or selecting an actor always
// names it. A line is named where it is long enough to carry its name and the place
// is free. Names are canvas text (fillText): article text is never parsed as HTML.
// It uses vis-network 9's body, view and canvas (the build is pinned, inlined from pyvis).
var GraphLabels = (function () {
  "use strict";
  var FACE = "arial";                  // vis-network's default face
  var NODE_PX = [11, 22], LINE_PX = [10, 13];
  var CELL = 40;                       // px: the collision grid's cell
  var PAD = 1;                         // px: room on each side of a name (its ink can pass its width)
  var MARGIN = 14;                     // px: free border around the fitted drawing
  var MAX_SCALE = 1.6;                 // fitting never blows a small graph up further
  var MAX_STRETCH = 1.5;               // how far the layout may stretch to the canvas
  var OVER_SHAPES = 20;                // the most central names may cover other shapes
  var measure = document.createElement("canvas").getContext("2d");

  function clamp(value, range) { return Math.max(range[0], Math.min(range[1], value)); }

  // Boxes on a grid of cells, to ask in constant time whether a box is free.
  function Grid() { this.cells = {}; }
  Grid.prototype.keys = function (b) {
    var keys = [];
    for (var i = Math.floor(b.l / CELL); i <= Math.floor(b.r / CELL); i++) {
      for (var j = Math.floor(b.t / CELL); j <= Math.floor(b.b / CELL); j++) { keys.push(i + "," + j); }
    }
    return keys;
  };
  Grid.prototype.add = function (b) {
    var cells = this.cells;
    this.keys(b).forEach(function (k) { (cells[k] = cells[k] || []).push(b); });
  };
  // Whether box `b` meets no box but its owner's (and, with `shapesToo` false, no name).
  Grid.prototype.free = function (b, owner, shapesToo) {
    var keys = this.keys(b);
    for (var k = 0; k < keys.length; k++) {
      var list = this.cells[keys[k]] || [];
      for (var i = 0; i < list.length; i++) {
        var o = list[i];
        if (o.owner !== owner && (shapesToo || !o.shape) &&
            o.l < b.r && b.l < o.r && o.t < b.b && b.t < o.b) { return false; }
      }
    }
    return true;
  };

  function Labels(network, graphNodes, graphEdges) {
    this.network = network;
    this.avoidOverlap = true;          // false: every actor named below its shape (tests)
    this.hovered = null;
    this.forced = [];                  // ids always named (the selected actor, the focus)
    this.widths = {};
    this.base = {};
    var base = this.base;
    graphNodes.forEach(function (n) { base[n.id] = (n.font && n.font.size) || 14; });
    this.order = graphNodes.slice().sort(function (a, b) {
      return (a.rank - b.rank) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    }).map(function (n) { return n.id; });
    this.lineOrder = graphEdges.filter(function (e) { return e.label; }).sort(function (a, b) {
      return (b.count - a.count) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    }).map(function (e) { return e.id; });
  }

  // The width of `text` in px at `px` px (bold: as the hovered or selected actor's name).
  Labels.prototype.width = function (text, px, bold) {
    var key = (bold ? "b" : "n") + text, w = this.widths[key];
    if (w === undefined) {
      measure.font = (bold ? "bold " : "") + "100px " + FACE;
      w = this.widths[key] = measure.measureText(text).width;
    }
    return w * px / 100;
  };

  // Where a name w x h px may go around a shape of radius r at (x, y), best first: the
  // top left corner of its box below, above, right, left, then at the four corners.
  function spots(x, y, r, w, h) {
    var d = 0.7 * r + 2;
    return [[x - w / 2, y + r + 2], [x - w / 2, y - r - 3 - h], [x + r + 4, y - h / 2], [x - r - 4 - w, y - h / 2],
            [x + d, y + d], [x + d, y - d - h], [x - d - w, y + d], [x - d - w, y - d - h]];
  }

  // Draw the names: of the actors `only` and lines `onlyLines` when given (a lit
  // neighbourhood), else of everything shown. Called after vis-network's own drawing.
  Labels.prototype.draw = function (ctx, only, onlyLines) {
    var network = this.network, body = network.body, view = body.view;
    var s = view.scale, tx = view.translation.x, ty = view.translation.y;
    var frame = network.canvas.frame.canvas, W = frame.clientWidth, H = frame.clientHeight;
    var ratio = network.canvas.pixelRatio || 1, self = this, grid = new Grid();
    var wanted = only ? new Set(only) : null;
    var screen = function (node) { return [node.x * s + tx, node.y * s + ty]; };
    var onScreen = function (b) { return b.r > 0 && b.l < W && b.b > 0 && b.t < H; };
    // Every shape shown is an obstacle to every name but its own.
    body.nodeIndices.forEach(function (id) {
      if (wanted && !wanted.has(id)) { return; }
      var node = body.nodes[id], p = screen(node), r = node.options.size * s;
      var box = {l: p[0] - r, t: p[1] - r, r: p[0] + r, b: p[1] + r, owner: id, shape: true};
      if (onScreen(box)) { grid.add(box); }
    });
    var named = [], seen = {}, ranked = 0;
    var first = (this.hovered !== null ? [this.hovered] : []).concat(this.forced);
    first.concat(this.order).forEach(function (id, i) {
      var node = body.nodes[id];
      if (seen[id] || !node) { return; }
      seen[id] = true;
      if (wanted && !wanted.has(id) || !node.options.label || node.options.hidden) { return; }
      var must = i < first.length, central = ranked++ < OVER_SHAPES;
      var px = clamp(self.base[id] * s, NODE_PX), text = node.options.label;
      var w = self.width(text, px, must) + 2 * PAD, h = 1.2 * px, p = screen(node), r = node.options.size * s;
      if (p[0] + r + w < 0 || p[0] - r - w > W || p[1] + r + h < 0 || p[1] - r - h > H) { return; }
      var options = spots(p[0], p[1], r, w, h), chosen = null;
      if (!self.avoidOverlap) { options = options.slice(0, 1); }
      // First a place clear of names and shapes; for the most central, one clear of names.
      var tries = central || must ? [true, false] : [true];
      for (var k = 0; k < options.length * tries.length && chosen === null; k++) {
        var spot = options[k % options.length], shapesToo = tries[Math.floor(k / options.length)];
        // Below or above, a name at the canvas's edge slides in; beside, it cannot.
        var l = k % options.length < 2 ? Math.max(2, Math.min(W - 2 - w, spot[0])) : spot[0], t = spot[1];
        var box = {l: l, t: t, r: l + w, b: t + h, owner: id};
        if (box.l < 0 || box.r > W || box.t < 0 || box.b > H) { continue; }
        if (!self.avoidOverlap || grid.free(box, id, shapesToo)) { chosen = box; }
      }
      if (chosen === null && must) {
        var below = options[0];
        chosen = {l: below[0], t: below[1], r: below[0] + w, b: below[1] + h, owner: id, card: true};
      }
      if (chosen === null) { return; }
      grid.add(chosen);
      named.push({box: chosen, text: text, px: px, bold: must});
    });
    var lines = [];
    if (this.lineOrder.length) {
      var wantedLines = onlyLines ? new Set(onlyLines) : null;
      var px = clamp(11 * s, LINE_PX), h = 1.2 * px;
      this.lineOrder.forEach(function (id) {
        var edge = body.edges[id];
        if (!edge || !edge.connected || (wantedLines && !wantedLines.has(id))) { return; }
        if (!body.nodes[edge.fromId] || !body.nodes[edge.toId]) { return; }
        var a = screen(edge.from), b = screen(edge.to);
        var free = Math.hypot(a[0] - b[0], a[1] - b[1]) - (edge.from.options.size + edge.to.options.size) * s;
        var text = edge.options.label, w = self.width(text, px) + 2 * PAD;
        if (free < w + 8) { return; }
        var mid = edge.edgeType.getPoint(0.5), x = mid.x * s + tx, y = mid.y * s + ty;
        var box = {l: x - w / 2, t: y - h / 2, r: x + w / 2, b: y + h / 2, owner: id};
        if (!onScreen(box) || !grid.free(box, id, true)) { return; }
        grid.add(box);
        lines.push({box: box, text: text, px: px});
      });
    }
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "left";
    ctx.textBaseline = "alphabetic";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "#ffffff";
    lines.forEach(function (label) { write(ctx, label, "#555555"); });
    named.forEach(function (label) { write(ctx, label, "#343434"); });
    ctx.restore();
    this.named = named.length;
    this.lines = lines.length;
  };

  function write(ctx, label, colour) {
    var b = label.box;
    ctx.font = (label.bold ? "bold " : "") + label.px + "px " + FACE;
    if (label.box.card) {
      ctx.fillStyle = "rgba(255,255,255,0.92)";
      ctx.fillRect(b.l - 3, b.t - 1, b.r - b.l + 6, b.b - b.t + 2);
    }
    var baseline = b.t + 0.95 * label.px;
    ctx.strokeText(label.text, b.l + PAD, baseline);
    ctx.fillStyle = colour;
    ctx.fillText(label.text, b.l + PAD, baseline);
  }

  // The actors' extent in canvas units at scale `s`: shapes, and the names of the
  // first `named` of them in PageRank order, drawn below their shapes.
  Labels.prototype.extent = function (ids, s, named) {
    var body = this.network.body, self = this, shown = new Set(ids), box = null, k = 0;
    var grow = function (l, t, r, b) {
      box = box === null ? {l: l, t: t, r: r, b: b}
        : {l: Math.min(box.l, l), t: Math.min(box.t, t), r: Math.max(box.r, r), b: Math.max(box.b, b)};
    };
    ids.forEach(function (id) {
      var node = body.nodes[id], size = node.options.size;
      grow(node.x - size, node.y - size, node.x + size, node.y + size);
    });
    for (var i = 0; i < this.order.length && k < named; i++) {
      var id = this.order[i], node = body.nodes[id];
      if (!shown.has(id) || !node || !node.options.label) { continue; }
      k++;
      var px = clamp(this.base[id] * s, NODE_PX), half = this.width(node.options.label, px) / 2 / s;
      grow(node.x - half, node.y, node.x + half, node.y + node.options.size + (3 + 1.2 * px) / s);
    }
    return box;
  };

  // Move the view so that the actors `ids` (and the names of the most central) fill
  // the canvas, less a small margin; a small graph is not blown up past MAX_SCALE.
  Labels.prototype.fit = function (ids) {
    var network = this.network;
    ids = ids.filter(function (id) { return network.body.nodes[id]; });
    if (!ids.length) { return; }
    var frame = network.canvas.frame.canvas;
    var W = frame.clientWidth - 2 * MARGIN, H = frame.clientHeight - 2 * MARGIN;
    if (W <= 0 || H <= 0) { return; }
    var named = Math.min(30, ids.length), s = MAX_SCALE, box;
    for (var i = 0; i < 12; i++) {
      box = this.extent(ids, s, named);
      var next = Math.min(MAX_SCALE, W / Math.max(box.r - box.l, 1e-9), H / Math.max(box.b - box.t, 1e-9));
      if (Math.abs(next - s) < 1e-4 * s) { s = next; break; }
      s = i < 6 ? next : Math.min(next, (s + next) / 2);
    }
    box = this.extent(ids, s, named);
    // Shrink until it fits: the names' share of the extent grows as the scale falls.
    for (var j = 0; j < 20 && ((box.r - box.l) * s > W || (box.b - box.t) * s > H); j++) {
      s *= 0.97;
      box = this.extent(ids, s, named);
    }
    network.moveTo({position: {x: (box.l + box.r) / 2, y: (box.t + box.b) / 2}, scale: s, animation: false});
  };

  // Stretch the layout (graph nodes' x or y, before vis-network reads them) by up to
  // MAX_STRETCH so that the actors `shown` come closer to the canvas's proportions.
  function stretch(graphNodes, shown, container) {
    var count = 0, l = Infinity, r = -Infinity, t = Infinity, b = -Infinity;
    graphNodes.forEach(function (n) {
      if (!shown(n)) { return; }
      count++;
      l = Math.min(l, n.x); r = Math.max(r, n.x); t = Math.min(t, n.y); b = Math.max(b, n.y);
    });
    if (count < 3) { return; }
    var w = r - l, h = b - t;
    var canvas = (container.clientWidth - 2 * MARGIN) / Math.max(container.clientHeight - 2 * MARGIN, 1);
    if (w <= 0 || h <= 0 || canvas <= 0) { return; }
    var sx = Math.min(MAX_STRETCH, Math.max(1, canvas / (w / h)));
    var sy = Math.min(MAX_STRETCH, Math.max(1, (w / h) / canvas));
    graphNodes.forEach(function (n) { n.x = Math.round(n.x * sx); n.y = Math.round(n.y * sy); });
  }

  return {
    create: function (network, graphNodes, graphEdges) { return new Labels(network, graphNodes, graphEdges); },
    stretch: stretch,
  };
})();
