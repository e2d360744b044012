/* Draws the workflow diagrams of a page with the vendored mermaid.
 *
 * Every <figure class="workflow-diagram"> holds its mermaid text in a <pre class="diagram-source">
 * (written by the server from the workflow's definition); this replaces it with the drawing.
 * Without JavaScript, or if drawing fails, the text stays: the page never depends on this file.
 * No inline script anywhere, so a strict Content-Security-Policy can allow 'self' only.
 */
(function () {
  "use strict";

  function markCurrent(figure, svg) {
    var current = figure.getAttribute("data-current");
    if (!current) return;
    var nodes = svg.querySelectorAll("g.node");
    for (var i = 0; i < nodes.length; i++) {
      // mermaid names a state's node "<diagram id>-state-<name>-<n>"
      var match = /(?:^|-)state-(.+)-\d+$/.exec(nodes[i].id || "");
      if (match && match[1] === current) {
        nodes[i].classList.add("is-current");
        nodes[i].setAttribute("aria-current", "step");
      }
    }
  }

  // A wide diagram scrolls sideways: bring the current state into view.
  function centreOnCurrent(holder) {
    var node = holder.querySelector("g.node.is-current");
    if (!node || holder.scrollWidth <= holder.clientWidth) return;
    var box = node.getBoundingClientRect();
    var frame = holder.getBoundingClientRect();
    holder.scrollLeft += box.left + box.width / 2 - (frame.left + frame.width / 2);
  }

  async function draw(mermaid, figure, n) {
    var source = figure.querySelector("pre.diagram-source");
    if (!source) return;
    try {
      var result = await mermaid.render("workflow-diagram-" + n, source.textContent);
      var holder = document.createElement("div");
      holder.className = "diagram-drawing";
      holder.innerHTML = result.svg;
      var label = figure.getAttribute("data-label") || "Workflow diagram";
      // a wide diagram scrolls sideways: keyboard users reach it with Tab and scroll with arrows
      holder.setAttribute("tabindex", "0");
      holder.setAttribute("role", "group");
      holder.setAttribute("aria-label", label);
      var svg = holder.querySelector("svg");
      if (svg) {
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", label);
        markCurrent(figure, svg);
      }
      source.hidden = true;
      figure.insertBefore(holder, source);
      figure.setAttribute("data-rendered", "true");
      centreOnCurrent(holder);
    } catch (err) {
      figure.setAttribute("data-rendered", "failed");
      if (window.console) console.warn("workflow diagram not drawn:", err);
    }
  }

  async function drawAll() {
    var mermaid = window.mermaid;
    var figures = document.querySelectorAll("figure.workflow-diagram");
    if (!mermaid || !figures.length) return;
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: "base",
      themeVariables: {
        fontFamily: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
        fontSize: "14px",
        edgeLabelBackground: "#ffffff",
        lineColor: "#5b6673",
      },
      state: { useMaxWidth: false },
    });
    for (var i = 0; i < figures.length; i++) {
      await draw(mermaid, figures[i], i);
    }
    document.documentElement.setAttribute("data-diagrams", "drawn");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
