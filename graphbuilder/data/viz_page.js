// The page script of graphbuilder viz: filters, search, neighbour highlight, details.
// It reads everything from the JSON block and writes article text only through
// textContent or vis-network's plain-text tooltips, never as HTML.
// nodes, edges and network are globals, as in pyvis pages, for scripts and tests.
var nodes, edges, network;
(function () {
  "use strict";
  var graph = JSON.parse(document.getElementById("graph-data").textContent);
  var $ = function (id) { return document.getElementById(id); };

  nodes = new vis.DataSet(graph.nodes);
  edges = new vis.DataSet(graph.edges);
  var typeOf = {};                     // actor type by id: the filters ask per line
  graph.nodes.forEach(function (n) { typeOf[n.id] = n.actorType; });

  // -- filters: one pass over the lines decides what shows --------------------------
  var state = {types: {}, relations: {}, from: "", to: "", undated: true, orphans: true};
  var edgePasses = {}, liveDegree = {};

  function readControls() {
    document.querySelectorAll("input[data-actor-type]").forEach(function (box) {
      state.types[box.dataset.actorType] = box.checked;
    });
    document.querySelectorAll("input[data-relation]").forEach(function (box) {
      state.relations[box.dataset.relation] = box.checked;
    });
    state.from = $("date-from").value;
    state.to = $("date-to").value;
    state.undated = $("undated").checked;
    state.orphans = $("hide-orphans").checked;
  }

  function typeShown(id) {
    return state.types[typeOf[id]] !== false;
  }

  function datesPass(dates) {
    for (var i = 0; i < dates.length; i++) {
      var d = dates[i];
      if (d === "") { if (state.undated) { return true; } continue; }
      if ((!state.from || d >= state.from) && (!state.to || d <= state.to)) { return true; }
    }
    return false;
  }

  function decide() {
    edgePasses = {};
    liveDegree = {};
    edges.forEach(function (e) {
      // A post has no date of its own: the date filters leave it alone.
      var ok = state.relations[e.relation] !== false &&
               (e.relation === "role" || datesPass(e.dates)) &&
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
    // An actor that never had a relation (roles only) stays; one whose relations are
    // all filtered out goes, when the box says so.
    return !state.orphans || n.degree === 0 || (liveDegree[n.id] || 0) > 0;
  }

  readControls();
  decide();
  var nodeView = new vis.DataView(nodes, {filter: nodeShown});
  var edgeView = new vis.DataView(edges, {filter: function (e) { return edgePasses[e.id]; }});

  network = new vis.Network($("mynetwork"), {nodes: nodeView, edges: edgeView}, graph.options);
  network.once("afterDrawing", function () {
    document.body.setAttribute("data-layout", "done");
    window.graphReadyMs = performance.now();
  });

  function count(n, word) {
    return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s");
  }

  function showCounts() {
    var reports = 0;
    edgeView.forEach(function (e) { reports += e.count; });
    var hidden = nodes.length - nodeView.length;
    $("shown").textContent = "Showing " + count(nodeView.length, "actor") + " and " +
      count(edgeView.length, "line") + " (" + count(reports, "report") + ")" +
      (hidden ? "; the filters hide " + count(hidden, "actor") : "") + ".";
  }

  function refresh() {
    readControls();
    decide();
    clearHighlight(false);             // the refresh redraws
    nodeView.refresh();
    edgeView.refresh();
    showCounts();
  }

  document.querySelectorAll("#legend input").forEach(function (input) {
    input.addEventListener("change", function () {
      if (input.classList.contains("family-toggle")) {
        input.closest("fieldset").querySelectorAll("input[data-relation]").forEach(
          function (box) { box.checked = input.checked; });
      }
      syncFamilies();
      refresh();
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
    document.querySelectorAll("#legend input[type=checkbox]").forEach(function (box) {
      box.checked = true;
      box.indeterminate = false;
    });
    $("date-from").value = "";
    $("date-to").value = "";
    refresh();
  });

  // -- highlight: dim everything but an actor and its neighbours ---------------------
  // Dimming thousands of items through DataSet updates takes seconds; instead the page
  // veils the drawn canvas and draws the actor, its neighbours and their lines again on
  // top, so a click costs one redraw. (Node.draw, Edge.draw and drawArrows are what
  // vis-network 9's renderer calls; the vis build is pinned, inlined from pyvis.)
  var lit = null;                      // {nodes: [...], edges: [...]} or null

  network.on("afterDrawing", function (ctx) {
    if (lit === null) { return; }
    var canvas = network.canvas.frame.canvas;
    var a = network.DOMtoCanvas({x: 0, y: 0});
    var b = network.DOMtoCanvas({x: canvas.clientWidth, y: canvas.clientHeight});
    ctx.save();
    ctx.fillStyle = "rgba(255,255,255,0.86)";
    ctx.fillRect(a.x, a.y, b.x - a.x, b.y - a.y);
    ctx.restore();
    var body = network.body, labels = [];
    lit.edges.forEach(function (id) {
      var edge = body.edges[id];
      if (edge && edge.connected) { edge.draw(ctx); edge.drawArrows(ctx); }
    });
    lit.nodes.forEach(function (id) {
      var node = body.nodes[id];
      if (!node) { return; }
      var drawn = node.draw(ctx);
      if (drawn && drawn.drawExternalLabel) { labels.push(drawn.drawExternalLabel); }
    });
    labels.forEach(function (draw) { draw(); });
  });

  function highlight(id) {
    lit = {nodes: [id].concat(network.getConnectedNodes(id)),
           edges: network.getConnectedEdges(id)};
    window.highlighted = lit;
    document.body.setAttribute("data-highlight", id);
    network.redraw();
  }

  function clearHighlight(redraw) {
    if (lit === null) { return; }
    lit = null;
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

  // -- search: name or alias, any case; exact first, then the start, then anywhere ----
  var index = [];
  graph.nodes.forEach(function (n) {
    n.names.forEach(function (name) { index.push([name.toLowerCase(), n.id]); });
  });

  function findActor(text) {
    var wanted = text.trim().toLowerCase();
    if (!wanted) { return null; }
    var tests = [function (name) { return name === wanted; },
                 function (name) { return name.indexOf(wanted) === 0; },
                 function (name) { return name.indexOf(wanted) >= 0; }];
    for (var t = 0; t < tests.length; t++) {
      for (var i = 0; i < index.length; i++) {
        if (tests[t](index[i][0])) { return index[i][1]; }
      }
    }
    return null;
  }

  function focusActor(id) {
    network.selectNodes([id]);
    highlight(id);
    showDetails(nodes.get(id));
    network.focus(id, {scale: Math.max(network.getScale(), 1.0),
                       animation: {duration: 400, easingFunction: "easeInOutQuad"}});
  }

  $("find").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = $("search").value;
    var id = findActor(text);
    var message = $("find-message");
    if (id === null) {
      message.textContent = text.trim() ? "No actor is called \u201c" + text.trim() + "\u201d." : "";
      return;
    }
    var node = nodes.get(id);
    if (nodeView.get(id) === null) {
      message.textContent = node.label + " is hidden by the filters: " +
        "\u201cShow everything\u201d brings it back.";
      return;
    }
    message.textContent = "";
    focusActor(id);
  });

  showCounts();
  if (graph.focus && nodeView.get(graph.focus) !== null) {
    network.selectNodes([graph.focus]);
    highlight(graph.focus);
    showDetails(nodes.get(graph.focus));
  }
})();
