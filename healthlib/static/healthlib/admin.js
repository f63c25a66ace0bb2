/* On every admin page: names for the controls Django's admin and its
   Select2 leave unnamed (WCAG 4.1.2, 1.3.1), kept up as rows are added.

   - A tabular row's fields (organizations, codes, topics' names) are
     labelled by their column's heading alone on screen: each gets that
     heading and the row's name ("Delete: Health Canada").
   - Select2's search box in a multiple choice gets the field's label.
   - Select2's "remove all" cross, a mouse-only control it puts straight
     in its list of choices, is hidden from screen readers (the keyboard
     removes choices with Backspace). */
(function () {
  "use strict";

  function text(node) {
    return node ? node.textContent.replace(/[:?]\s*$/, "").replace(/\s+/g, " ").trim() : "";
  }

  function nameTabularFields(root) {
    root.querySelectorAll(".inline-group .tabular table").forEach(function (table) {
      var headings = Array.prototype.map.call(
        table.querySelectorAll("thead th"), function (th) { return text(th); });
      table.querySelectorAll("tbody tr.form-row").forEach(function (row) {
        var rowName = text(row.querySelector("td.original p"));
        Array.prototype.forEach.call(row.children, function (cell, index) {
          var heading = headings[index];
          if (!heading) return;
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
            if (field.labels && field.labels.length) return;
            if (field.hasAttribute("aria-label") || field.hasAttribute("aria-labelledby")) return;
            field.setAttribute("aria-label", rowName ? heading + ": " + rowName : heading);
          });
        });
      });
    });
  }

  function nameSelect2(root) {
    root.querySelectorAll(".select2-container").forEach(function (container) {
      var select = container.previousElementSibling;
      var label = select && select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
      var search = container.querySelector(".select2-search__field");
      if (search && label && !search.hasAttribute("aria-label")) {
        search.setAttribute("aria-label", text(label));
      }
      container.querySelectorAll(".select2-selection__clear").forEach(function (cross) {
        cross.setAttribute("aria-hidden", "true");
      });
    });
  }

  var scheduled = false;
  function run() {
    scheduled = false;
    nameTabularFields(document);
    nameSelect2(document);
  }
  function schedule() {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(run);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    run();
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  });
})();
