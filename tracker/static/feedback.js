/* Feedback on long operations, for every page (no inline script: the CSP allows 'self' only).
 *
 * - Export links (?format=csv / ?format=xlsx) download through fetch, so that the page can say
 *   "Preparing the download" and how much has arrived while the server streams the file; the
 *   file is then saved under the server's name. If anything goes wrong the link is simply
 *   followed, and the server's own page says what happened.
 * - A form that posts is sent once: a second click while the first is on its way does nothing,
 *   and the page says it is sending (long imports and decisions take a moment).
 *
 * - A table or chart box that scrolls sideways (a wide table on a phone) can be reached with Tab
 *   and scrolled with the arrow keys: it becomes a focusable group named after its heading.
 *
 * The words come from the #busy live region that base.html writes in the page's language.
 * Without JavaScript links and forms work exactly the same, just without the messages.
 */
(function () {
  "use strict";

  var EXPORT_FORMATS = { csv: true, xlsx: true };

  function region() {
    return document.getElementById("busy");
  }

  function say(key, values) {
    var box = region();
    if (!box) return;
    var text = box.getAttribute("data-" + key) || "";
    for (var name in values || {}) {
      text = text.split("{" + name + "}").join(values[name]);
    }
    box.textContent = text;
    box.hidden = !text;
  }

  function quiet(afterMs) {
    window.setTimeout(function () {
      var box = region();
      if (box) {
        box.hidden = true;
        box.textContent = "";
      }
    }, afterMs || 0);
  }

  function size(bytes) {
    var lang = document.documentElement.lang || undefined;
    var units = [" B", " kB", " MB", " GB"];
    var n = bytes;
    var unit = 0;
    while (n >= 1000 && unit < units.length - 1) {
      n = n / 1000;
      unit += 1;
    }
    return n.toLocaleString(lang, { maximumFractionDigits: unit ? 1 : 0 }) + units[unit];
  }

  function filenameOf(response, url) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="?([^";]+)"?/i.exec(header);
    if (match) return match[1];
    return url.pathname.split("/").pop() || "download";
  }

  function isExport(link) {
    if (!link || !link.href || link.target) return null;
    var url = new URL(link.href, document.baseURI);
    if (url.origin !== window.location.origin) return null;
    return EXPORT_FORMATS[url.searchParams.get("format")] ? url : null;
  }

  async function download(link, url) {
    link.setAttribute("aria-busy", "true");
    say("preparing");
    try {
      var response = await fetch(url.href, { credentials: "same-origin" });
      var disposition = response.headers.get("Content-Disposition") || "";
      // not a file (an error page, the login page after a redirect): let the browser show it
      if (!response.ok || !response.body || !/attachment/i.test(disposition)) {
        throw new Error("not a download: " + response.status);
      }
      var reader = response.body.getReader();
      var chunks = [];
      var received = 0;
      for (;;) {
        var part = await reader.read();
        if (part.done) break;
        chunks.push(part.value);
        received += part.value.length;
        say("progress", { size: size(received) });
      }
      var name = filenameOf(response, url);
      var blob = new Blob(chunks, { type: response.headers.get("Content-Type") || "" });
      var save = document.createElement("a");
      save.href = URL.createObjectURL(blob);
      save.download = name;
      document.body.appendChild(save);
      save.click();
      save.remove();
      window.setTimeout(function () { URL.revokeObjectURL(save.href); }, 60000);
      say("done", { name: name, size: size(received) });
      quiet(8000);
    } catch (err) {
      quiet();
      window.location.href = url.href; // the server explains (a 400 page, a login...)
    } finally {
      link.removeAttribute("aria-busy");
    }
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    var url = isExport(link);
    if (!url || !window.fetch || !window.ReadableStream) return;
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return; // already on its way
    download(link, url);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") return;
    if (form.getAttribute("data-sending") === "true") {
      event.preventDefault(); // sent already: a second click would send it twice
      return;
    }
    form.setAttribute("data-sending", "true");
    form.setAttribute("aria-busy", "true");
    var button = event.submitter;
    if (button) button.classList.add("is-sending");
    say("sending");
    // an answer that is a file leaves the page here: after a while the form may be sent again
    window.setTimeout(function () { ready(form); }, 20000);
  });

  function ready(form) {
    form.removeAttribute("data-sending");
    form.removeAttribute("aria-busy");
    var sent = form.querySelectorAll(".is-sending");
    for (var j = 0; j < sent.length; j++) sent[j].classList.remove("is-sending");
    quiet();
  }

  function nameOf(box) {
    var caption = box.querySelector("caption");
    var section = box.closest("section, fieldset");
    var heading = section && section.querySelector("h2, h3, legend");
    return ((caption || heading || {}).textContent || "").trim();
  }

  // Only boxes that do scroll become tab stops: the others would be stops that do nothing.
  function reachScrollingBoxes() {
    var boxes = document.querySelectorAll(".table-wrap, figure.chart");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      var figure = box.tagName === "FIGURE"; // a figure is named by its figcaption already
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        if (!figure) {
          box.setAttribute("role", "group"); // not a landmark: a page may hold many
          var name = nameOf(box);
          if (name) box.setAttribute("aria-label", name);
        }
        box.setAttribute("data-reachable", "scroll");
      } else if (!scrolls && box.getAttribute("data-reachable") === "scroll") {
        box.removeAttribute("tabindex");
        if (!figure) {
          box.removeAttribute("role");
          box.removeAttribute("aria-label");
        }
        box.removeAttribute("data-reachable");
      }
    }
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(reachScrollingBoxes, 150);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reachScrollingBoxes);
  } else {
    reachScrollingBoxes();
  }

  // Back to a page from the history: its forms can be sent again.
  window.addEventListener("pageshow", function () {
    var forms = document.querySelectorAll("form[data-sending]");
    for (var i = 0; i < forms.length; i++) ready(forms[i]);
  });
})();
