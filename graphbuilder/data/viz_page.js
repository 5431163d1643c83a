// The page script of graphbuilder viz: filters, legend counts, search, neighbour
// highlight, details. It reads everything from the JSON block and writes article text
// only through textContent, vis-network's plain-text tooltips or canvas text
// (viz_labels.js, which comes before it), never as HTML.
// nodes, edges and network are globals, as in pyvis pages, and labels (the names on the
// canvas), for scripts and tests.
var nodes, edges, network, labels;
(function () {
  "use strict";
  var graph = JSON.parse(document.getElementById("graph-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var container = $("mynetwork");

  var typeOf = {};                     // actor type by id: the filters ask per line
  graph.nodes.forEach(function (n) { typeOf[n.id] = n.actorType; });

  // -- filters: one pass over the lines decides what shows --------------------------
  var state = {types: {}, relations: {}, from: "", to: "", undated: true, orphans: true, unlinked: false,
               weeks: null};             // the time axis's pick: {from, to} (Mondays), or null
  var edgePasses = {}, liveDegree = {};

  function readControls() {
    document.querySelectorAll("input[data-actor-type]").forEach(function (box) {
      state.types[box.dataset.actorType] = box.checked;
    });
    document.querySelectorAll("input[data-relation]").forEach(function (box) {
      state.relations[box.dataset.relation] = box.checked;
    });
    state.from = readDate($("date-from"));
    state.to = readDate($("date-to"));
    state.undated = $("undated").checked;
    state.orphans = $("hide-orphans").checked;
    state.unlinked = $("show-unlinked").checked;
  }

  // -- dates: ISO text, yyyy-mm-dd, yyyy-mm or yyyy (a month or a year is all of it) --
  var ISO = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
  var dateHint = $("date-hint").textContent;

  function isoDate(text) {
    var m = ISO.exec(text);
    if (!m) { return false; }
    var month = m[2] === undefined ? 1 : Number(m[2]), day = m[3] === undefined ? 1 : Number(m[3]);
    var d = new Date(Date.UTC(Number(m[1]), month - 1, day));
    return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
  }

  // The field's date, or "" (no bound) when it is empty or not a date; says which.
  function readDate(field) {
    var text = field.value.trim();
    var ok = text === "" || isoDate(text);
    field.setAttribute("aria-invalid", ok ? "false" : "true");
    return ok ? text : "";
  }

  function showDateHint() {
    var bad = ["date-from", "date-to"].filter(function (id) {
      return $(id).getAttribute("aria-invalid") === "true";
    }).map(function (id) { return $(id).value.trim(); });
    var hint = $("date-hint");
    hint.textContent = bad.length ? "\u201c" + bad[0] + "\u201d is not a date: write yyyy-mm-dd " +
      "(or yyyy-mm, or yyyy); the filter ignores it." : dateHint;
    hint.classList.toggle("invalid", bad.length > 0);
  }

  function typeShown(id) {
    return state.types[typeOf[id]] !== false;
  }

  function datesPass(dates) {
    for (var i = 0; i < dates.length; i++) {
      var d = dates[i];
      if (d === "") { if (state.undated) { return true; } continue; }
      // "to 2021-10" takes in all of October: compare as many characters as were typed.
      if ((!state.from || d >= state.from) && (!state.to || d.slice(0, state.to.length) <= state.to)) {
        return true;
      }
    }
    return false;
  }

  // A line passes the time axis's pick when one of its events falls in the weeks picked.
  function weeksPass(weeks) {
    if (state.weeks === null) { return true; }
    for (var i = 0; i < (weeks || []).length; i++) {
      if (weeks[i] >= state.weeks.from && weeks[i] <= state.weeks.to) { return true; }
    }
    return false;
  }

  function decide() {
    edgePasses = {};
    liveDegree = {};
    graph.edges.forEach(function (e) {
      // A post has no date of its own: the date filters leave it alone.
      var ok = state.relations[e.relation] !== false &&
               (e.relation === "role" || (datesPass(e.dates) && weeksPass(e.weeks))) &&
               typeShown(e.from) && typeShown(e.to);
      edgePasses[e.id] = ok;
      if (ok) {
        liveDegree[e.from] = (liveDegree[e.from] || 0) + 1;
        liveDegree[e.to] = (liveDegree[e.to] || 0) + 1;
      }
    });
  }

  function nodeShown(n) {
    if (state.types[n.actorType] === false) { return false; }
    // Actors with no line at all have their own box; one whose lines are all filtered
    // out goes when the other box says so.
    if (n.degree === 0) { return state.unlinked; }
    return !state.orphans || (liveDegree[n.id] || 0) > 0;
  }

  // -- the time axis: events per week, stacked by relation; a click or a drag picks weeks --
  // Each line carries the week (its Monday) of each of its events, posts none: the bars
  // count events, not reports (one act that many articles report is one event). Built
  // before the canvas is sized, which then takes the height the axis leaves.
  var SVG = "http://www.w3.org/2000/svg";
  buildTimeAxis();

  function svgElement(name, attributes) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (key) { element.setAttribute(key, String(attributes[key])); });
    return element;
  }

  function nextWeek(monday) {
    return new Date(Date.parse(monday + "T00:00:00Z") + 7 * 86400000).toISOString().slice(0, 10);
  }

  function weekEnd(monday) {
    return new Date(Date.parse(monday + "T00:00:00Z") + 6 * 86400000).toISOString().slice(0, 10);
  }

  function buildTimeAxis() {
    var column = document.createElement("div");
    column.id = "graph-column";
    container.parentNode.insertBefore(column, container);
    column.appendChild(container);
    var section = document.createElement("section");
    section.id = "timeline";
    section.setAttribute("aria-label", "Events per week");
    column.appendChild(section);
    var head = document.createElement("p");
    head.className = "timeline-head";
    section.appendChild(head);

    var order = [], colour = {}, byWeek = {}, events = 0;
    document.querySelectorAll("input[data-relation]").forEach(function (box) {
      if (box.dataset.relation !== "role") { order.push(box.dataset.relation); }
    });
    graph.edges.forEach(function (e) {
      (e.weeks || []).forEach(function (week) {
        var counts = byWeek[week] = byWeek[week] || {};
        counts[e.relation] = (counts[e.relation] || 0) + 1;
        colour[e.relation] = e.color.color;
        if (order.indexOf(e.relation) < 0) { order.push(e.relation); }
        events += 1;
      });
    });
    var dated = Object.keys(byWeek).sort();
    if (!dated.length) {
      head.textContent = "No dated events: nothing to place on a time axis.";
      section.classList.add("empty");
      return null;
    }
    var weeks = [];
    for (var w = dated[0]; w <= dated[dated.length - 1]; w = nextWeek(w)) { weeks.push(w); }
    var totals = weeks.map(function (week) {
      var counts = byWeek[week] || {};
      return order.reduce(function (sum, r) { return sum + (counts[r] || 0); }, 0);
    });
    var top = Math.max.apply(null, totals);

    var caption = document.createElement("span");
    caption.className = "timeline-caption";
    caption.textContent = "Events per week, by relation (" + count(events, "event") + " in " +
      count(weeks.length, "week") + "): click a week or drag across weeks to show only their events.";
    caption.title = caption.textContent;
    var status = document.createElement("span");
    status.id = "timeline-status";
    status.setAttribute("aria-live", "polite");
    var all = document.createElement("button");
    all.type = "button";
    all.id = "timeline-all";
    all.textContent = "Show all";
    all.disabled = true;               // kept in place: the canvas keeps its height
    head.appendChild(caption);
    head.appendChild(all);
    head.appendChild(status);

    // Ten units a week, a hundred high, stretched to the width: bars never wider than 24 px.
    var frame = document.createElement("div");
    frame.className = "timeline-frame";
    frame.style.maxWidth = weeks.length * 24 + "px";
    var svg = svgElement("svg", {viewBox: "0 0 " + weeks.length * 10 + " 100", preserveAspectRatio: "none",
                                 tabindex: 0, role: "group", "aria-label": "Events per week; arrow keys " +
                                 "step through the weeks, Escape shows all"});
    var groups = weeks.map(function (week, i) {
      var counts = byWeek[week] || {}, y = 100, parts = [];
      var group = svgElement("g", {"class": "week", "data-week": week, "data-count": totals[i]});
      group.appendChild(svgElement("rect", {"class": "slot", x: i * 10, y: 0, width: 10, height: 100}));
      order.forEach(function (relation) {
        var n = counts[relation] || 0;
        if (!n) { return; }
        var height = n / top * 96;
        y -= height;
        group.appendChild(svgElement("rect", {"class": "bar", x: i * 10 + 1, y: y, width: 8, height: height,
                                              fill: colour[relation], "data-relation": relation, "data-count": n}));
        parts.push(relation.replace(/_/g, " ") + " " + n);
      });
      var title = svgElement("title", {});
      title.textContent = "Week of " + week + ": " + count(totals[i], "event") +
        (parts.length ? " (" + parts.join(", ") + ")" : "");
      group.appendChild(title);
      svg.appendChild(group);
      return group;
    });
    frame.appendChild(svg);
    var ends = document.createElement("div");
    ends.className = "timeline-axis";
    [weeks[0], "bars up to " + count(top, "event"), weekEnd(weeks[weeks.length - 1])].forEach(function (day) {
      var label = document.createElement("span");
      label.textContent = day;
      ends.appendChild(label);
    });
    frame.appendChild(ends);
    section.appendChild(frame);

    // Marks weeks first..last as picked (null: none), the others as left out.
    function mark(first, last) {
      groups.forEach(function (group, i) {
        var picked = first !== null && i >= first && i <= last;
        group.classList.toggle("picked", picked);
        group.classList.toggle("out", first !== null && !picked);
      });
    }

    function choose(first, last) {
      state.weeks = {from: weeks[first], to: weeks[last]};
      mark(first, last);
      var n = totals.slice(first, last + 1).reduce(function (a, b) { return a + b; }, 0);
      status.textContent = (first === last ? "Showing the week of " + weeks[first]
        : "Showing " + count(last - first + 1, "week") + ", " + weeks[first] + " to " + weekEnd(weeks[last])) +
        ": " + count(n, "event") + ".";
      all.disabled = false;
      section.dataset.from = weeks[first];
      section.dataset.to = weeks[last];
      refresh(false);
    }

    // Forgets the choice; the caller refreshes.
    function forget() {
      state.weeks = null;
      mark(null, null);
      status.textContent = "";
      all.disabled = true;
      delete section.dataset.from;
      delete section.dataset.to;
    }

    function weekAt(event) {
      var box = svg.getBoundingClientRect();
      var i = Math.floor((event.clientX - box.left) / box.width * weeks.length);
      return Math.max(0, Math.min(weeks.length - 1, i));
    }

    var anchor = null;                 // the week a press started on, while the button is down
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      anchor = weekAt(event);
      svg.setPointerCapture(event.pointerId);
      mark(anchor, anchor);
      event.preventDefault();
    });
    svg.addEventListener("pointermove", function (event) {
      if (anchor === null) { return; }
      var i = weekAt(event);
      mark(Math.min(anchor, i), Math.max(anchor, i));
    });
    svg.addEventListener("pointerup", function (event) {
      if (anchor === null) { return; }
      var i = weekAt(event), start = anchor;
      anchor = null;
      choose(Math.min(start, i), Math.max(start, i));
    });
    svg.addEventListener("pointercancel", function () {
      anchor = null;
      if (state.weeks === null) { mark(null, null); } else {
        mark(weeks.indexOf(state.weeks.from), weeks.indexOf(state.weeks.to));
      }
    });
    svg.addEventListener("keydown", function (event) {
      var at = state.weeks === null ? -1 : weeks.indexOf(state.weeks.from);
      if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
        var step = event.key === "ArrowRight" ? 1 : -1;
        var i = at < 0 ? (step > 0 ? 0 : weeks.length - 1) : Math.max(0, Math.min(weeks.length - 1, at + step));
        choose(i, i);
        event.preventDefault();
      } else if (event.key === "Escape" && state.weeks !== null) {
        forget();
        refresh(false);
      }
    });
    all.addEventListener("click", function () { forget(); refresh(false); });
    // "Show everything" shows every week too (its own handler, registered after, refreshes).
    $("reset").addEventListener("click", forget);
  }

  readControls();
  decide();
  // Stretch the layout towards the canvas's proportions before vis-network reads it.
  GraphLabels.stretch(graph.nodes, nodeShown, container);
  nodes = new vis.DataSet(graph.nodes);
  edges = new vis.DataSet(graph.edges);
  var nodeView = new vis.DataView(nodes, {filter: nodeShown});
  var edgeView = new vis.DataView(edges, {filter: function (e) { return edgePasses[e.id]; }});

  network = new vis.Network(container, {nodes: nodeView, edges: edgeView}, graph.options);
  labels = GraphLabels.create(network, graph.nodes, graph.edges);
  var moved = false;                   // the reader panned or zoomed: stop refitting
  function fit() { labels.fit(nodeView.getIds()); }
  fit();
  network.on("dragEnd", function () { moved = true; network.redraw(); });
  network.on("zoom", function () { moved = true; });
  network.on("resize", function () { if (!moved) { fit(); } });
  network.once("afterDrawing", function () {
    document.body.setAttribute("data-layout", "done");
    window.graphReadyMs = performance.now();
  });
  network.on("hoverNode", function (params) { labels.hovered = params.node; network.redraw(); });
  network.on("blurNode", function () { labels.hovered = null; network.redraw(); });

  function count(n, word) {
    return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s");
  }

  // "12/39" while the filters hide some of 39, "39" when none.
  function showCount(span, shown) {
    var total = Number(span.dataset.total);
    span.textContent = shown === total ? total.toLocaleString("en")
      : shown.toLocaleString("en") + "/" + total.toLocaleString("en");
    span.title = shown === total ? "" : shown.toLocaleString("en") + " of " + total.toLocaleString("en") + " shown";
  }

  // A line's reports, or with weeks picked on the time axis, its events in them.
  function eventsShown(e) {
    if (state.weeks === null || e.relation === "role") { return e.count; }
    return (e.weeks || []).filter(function (w) { return w >= state.weeks.from && w <= state.weeks.to; }).length;
  }

  function showCounts() {
    var reports = 0, byType = {}, byRelation = {};
    nodeView.forEach(function (n) { byType[n.actorType] = (byType[n.actorType] || 0) + 1; });
    edgeView.forEach(function (e) {
      var n = eventsShown(e);
      reports += n;
      byRelation[e.relation] = (byRelation[e.relation] || 0) + n;
    });
    var hidden = nodes.length - nodeView.length;
    $("shown").textContent = "Showing " + count(nodeView.length, "actor") + " and " +
      count(edgeView.length, "line") + " (" + count(reports, "report") + ")" +
      (hidden ? "; the filters hide " + count(hidden, "actor") : "") + ".";
    document.querySelectorAll("input[data-actor-type]").forEach(function (box) {
      showCount(box.parentNode.querySelector(".count"), byType[box.dataset.actorType] || 0);
    });
    document.querySelectorAll("input[data-relation]").forEach(function (box) {
      showCount(box.parentNode.querySelector(".count"), byRelation[box.dataset.relation] || 0);
    });
  }

  function refresh(refit) {
    readControls();
    showDateHint();
    decide();
    clearHighlight(false);             // the refresh redraws
    nodeView.refresh();
    edgeView.refresh();
    if (refit) { fit(); }
    showCounts();
  }

  document.querySelectorAll("#legend input").forEach(function (input) {
    input.addEventListener("change", function () {
      if (input.classList.contains("family-toggle")) {
        input.closest("fieldset").querySelectorAll("input[data-relation]").forEach(
          function (box) { box.checked = input.checked; });
      }
      syncFamilies();
      refresh(input.id === "show-unlinked");
    });
  });

  function syncFamilies() {
    document.querySelectorAll("fieldset.family").forEach(function (set) {
      var boxes = Array.prototype.slice.call(set.querySelectorAll("input[data-relation]"));
      var on = boxes.filter(function (b) { return b.checked; }).length;
      var toggle = set.querySelector(".family-toggle");
      toggle.checked = on === boxes.length;
      toggle.indeterminate = on > 0 && on < boxes.length;
    });
  }

  $("reset").addEventListener("click", function () {
    var unlinked = $("show-unlinked").checked;
    document.querySelectorAll("#legend input[type=checkbox]").forEach(function (box) {
      box.checked = true;
      box.indeterminate = false;
    });
    $("date-from").value = "";
    $("date-to").value = "";
    refresh(!unlinked);
  });

  // -- highlight: dim everything but an actor and its neighbours ---------------------
  // Dimming thousands of items through DataSet updates takes seconds; instead the page
  // veils the drawn canvas and draws the actor, its neighbours and their lines again on
  // top, so a click costs one redraw. (Node.draw, Edge.draw and drawArrows are what
  // vis-network 9's renderer calls; the vis build is pinned, inlined from pyvis.)
  var lit = null;                      // {nodes: [...], edges: [...]} or null

  // A large graph's lines hide while the view moves; so do the names.
  var renderer = network.renderer, large = graph.options.interaction.hideEdgesOnDrag;
  network.on("afterDrawing", function (ctx) {
    if (large && (renderer.dragging || renderer.zooming)) { return; }
    if (lit === null) {
      labels.draw(ctx, null, null);
      return;
    }
    var canvas = network.canvas.frame.canvas;
    var a = network.DOMtoCanvas({x: 0, y: 0});
    var b = network.DOMtoCanvas({x: canvas.clientWidth, y: canvas.clientHeight});
    ctx.save();
    ctx.fillStyle = "rgba(255,255,255,0.86)";
    ctx.fillRect(a.x, a.y, b.x - a.x, b.y - a.y);
    ctx.restore();
    var body = network.body;
    lit.edges.forEach(function (id) {
      var edge = body.edges[id];
      if (edge && edge.connected) { edge.draw(ctx); edge.drawArrows(ctx); }
    });
    lit.nodes.forEach(function (id) {
      var node = body.nodes[id];
      if (node) { node.draw(ctx); }
    });
    labels.draw(ctx, lit.nodes, lit.edges);
  });

  function highlight(id) {
    lit = {nodes: [id].concat(network.getConnectedNodes(id)),
           edges: network.getConnectedEdges(id)};
    labels.forced = [id];
    window.highlighted = lit;
    document.body.setAttribute("data-highlight", id);
    network.redraw();
  }

  function clearHighlight(redraw) {
    if (lit === null) { return; }
    lit = null;
    labels.forced = [];
    window.highlighted = null;
    document.body.removeAttribute("data-highlight");
    if (redraw !== false) { network.redraw(); }
  }

  function showDetails(item) {
    $("details-text").textContent = item ? (item.details || item.title) :
      "Click an actor or a line to read it here.";
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      highlight(params.nodes[0]);
      showDetails(nodes.get(params.nodes[0]));
    } else if (params.edges.length) {
      clearHighlight();
      showDetails(edges.get(params.edges[0]));
    } else {
      clearHighlight();
      showDetails(null);
    }
  });

  // -- search: name or alias, any case or accent -------------------------------------
  // The whole name first; then names holding it as whole words (a surname ending the
  // name before words elsewhere); then names starting with it, words starting with it,
  // and last any name holding it. Within a kind, the more central actor first.
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function words(text) {
    return text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  var index = [];                      // [folded name, its words, actor id, rank]
  graph.nodes.forEach(function (n) {
    n.names.forEach(function (name) {
      var folded = fold(name);
      index.push([folded, words(folded), n.id, n.rank]);
    });
  });

  // Where `part` (words) sits in `whole` as whole words: 0 at the end, 1 elsewhere, -1 not.
  function wordsAt(whole, part) {
    var at = -1;
    for (var i = 0; i + part.length <= whole.length; i++) {
      var same = true;
      for (var j = 0; j < part.length && same; j++) { same = whole[i + j] === part[j]; }
      if (same) { at = i + part.length === whole.length ? 0 : 1; if (at === 0) { break; } }
    }
    return at;
  }

  function matchKind(entry, wanted, wantedWords) {
    var name = entry[0];
    if (name === wanted) { return 0; }
    if (wantedWords.length) {
      var at = wordsAt(entry[1], wantedWords);
      if (at >= 0) { return 1 + at; }
    }
    if (name.indexOf(wanted) === 0) { return 3; }
    if (entry[1].some(function (w) { return w.indexOf(wanted) === 0; })) { return 4; }
    return name.indexOf(wanted) >= 0 ? 5 : -1;
  }

  // The ids of the actors whose name or an alias matches `text`, best first.
  function findActors(text) {
    var wanted = fold(text), wantedWords = words(wanted), best = {};
    if (!wanted) { return []; }
    index.forEach(function (entry) {
      var kind = matchKind(entry, wanted, wantedWords), id = entry[2];
      if (kind >= 0 && (best[id] === undefined || kind < best[id][0])) { best[id] = [kind, entry[3]]; }
    });
    return Object.keys(best).sort(function (a, b) {
      return (best[a][0] - best[b][0]) || (best[a][1] - best[b][1]) || (a < b ? -1 : a > b ? 1 : 0);
    });
  }
  window.findActors = findActors;

  function focusActor(id) {
    moved = true;
    network.selectNodes([id]);
    highlight(id);
    showDetails(nodes.get(id));
    network.focus(id, {scale: Math.max(network.getScale(), 1.0),
                       animation: {duration: 400, easingFunction: "easeInOutQuad"}});
  }

  function go(id, others) {
    var message = $("find-message"), node = nodes.get(id);
    message.textContent = "";
    if (nodeView.get(id) === null) {
      message.textContent = node.label + " is hidden by the filters: " +
        "\u201cShow everything\u201d brings it back.";
    } else {
      focusActor(id);
    }
    if (others.length) {
      // The other matches, as buttons that go to them (their names as text).
      message.appendChild(document.createTextNode((message.textContent ? " " : "") + "Also: "));
      others.slice(0, 5).forEach(function (other, i) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "also";
        button.textContent = nodes.get(other).label;
        button.addEventListener("click", function () {
          go(other, [id].concat(others.filter(function (o) { return o !== other; })));
        });
        if (i) { message.appendChild(document.createTextNode(" ")); }
        message.appendChild(button);
      });
    }
  }

  $("find").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("search").value, found = findActors(text);
    if (!found.length) {
      $("find-message").textContent = text.trim() ? "No actor is called \u201c" + text.trim() + "\u201d." : "";
      return;
    }
    go(found[0], found.slice(1));
  });

  showCounts();
  if (graph.focus && nodeView.get(graph.focus) !== null) {
    network.selectNodes([graph.focus]);
    highlight(graph.focus);
    showDetails(nodes.get(graph.focus));
  }
})();
