// The query page of `graphbuilder serve`: posts the query to /query and shows the answer.
// Every value is put on the page as text (textContent), never as HTML.
"use strict";

const ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";

function showStatus(text, isError) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

function termText(term) {
  if (!term) return "";
  if (term.type === "uri") return "<" + term.value + ">";
  if (term.type === "bnode") return "_:" + term.value;
  if (term["xml:lang"]) return JSON.stringify(term.value) + "@" + term["xml:lang"];
  return term.value;
}

function cell(tag, text) {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
}

function showResults(answer, results) {
  if ("boolean" in answer) {
    results.append(cell("p", answer.boolean ? "true" : "false"));
    return "ASK answered";
  }
  const variables = answer.head.vars || [];
  const rows = answer.results.bindings;
  const table = document.createElement("table");
  const head = document.createElement("tr");
  for (const name of variables) head.append(cell("th", name));
  table.append(head);
  for (const row of rows) {
    const line = document.createElement("tr");
    for (const name of variables) line.append(cell("td", termText(row[name])));
    table.append(line);
  }
  results.append(table);
  return rows.length + (rows.length === 1 ? " row" : " rows");
}

async function run(event) {
  event.preventDefault();
  const results = document.getElementById("results");
  results.replaceChildren();
  showStatus("running...", false);
  const started = performance.now();
  let response, text;
  try {
    response = await fetch("/query", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: ACCEPT },
      body: new URLSearchParams({ query: document.getElementById("query").value }),
    });
    text = await response.text();
  } catch (error) {
    showStatus("the server did not answer: " + error, true);
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (!response.ok) {
    showStatus("HTTP " + response.status + ": " + text.trim(), true);
    return;
  }
  const type = response.headers.get("Content-Type") || "";
  let summary;
  if (type.startsWith("application/sparql-results+json")) {
    summary = showResults(JSON.parse(text), results);
  } else {
    results.append(cell("pre", text));
    summary = "graph answered";
  }
  showStatus(summary + " in " + seconds + " s", false);
}

document.getElementById("query-form").addEventListener("submit", run);
