/* Bulk decisions (the applications list and the confirmation page); no inline script.
 *
 * - "All on this page" ticks or unticks every row's box, and shows itself half-ticked when some
 *   are; without JavaScript the server reads it as "every application of this page" anyway.
 * - A decision's button says it is working, and cannot be pressed again, while a long run
 *   (hundreds of applications) is on its way.
 */
(function () {
  "use strict";

  function rows(all) {
    var form = all.getAttribute("form") || (all.form && all.form.id);
    return document.querySelectorAll('input[type=checkbox][name=ids][form="' + form + '"]');
  }

  function sync(all) {
    var boxes = rows(all);
    var ticked = 0;
    for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) ticked += 1;
    all.checked = boxes.length > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches("input[data-select-all]")) {
      var boxes = rows(box);
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = box.checked;
    } else if (box.matches("input[type=checkbox][name=ids]")) {
      var alls = document.querySelectorAll("input[data-select-all]");
      for (var j = 0; j < alls.length; j++) sync(alls[j]);
    }
  });

  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;
    var button = event.target.querySelector("button[data-working]");
    if (!button) return;
    button.setAttribute("data-label", button.textContent);
    button.textContent = button.getAttribute("data-working");
    // after the form data is taken: a disabled button is left out of it
    window.setTimeout(function () { button.disabled = true; }, 0);
  });

  window.addEventListener("pageshow", function () {
    var alls = document.querySelectorAll("input[data-select-all]");
    for (var j = 0; j < alls.length; j++) sync(alls[j]);
    // back to the page from the history: its button works again
    var busy = document.querySelectorAll("button[data-working][data-label]");
    for (var k = 0; k < busy.length; k++) {
      busy[k].textContent = busy[k].getAttribute("data-label");
      busy[k].removeAttribute("data-label");
      busy[k].disabled = false;
    }
  });
})();
