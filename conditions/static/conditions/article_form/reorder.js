/* The order of the sortable inline rows: sections, drug groups,
   references, organizations and figures (fieldset.sortable).

   django-admin-sortable2 makes each saved row draggable by its header and
   numbers the saved rows after a drag. Dragging needs a pointer and does
   not reach the rows added on this page, so every row the editor can move
   also gets Move up / Move down buttons (WCAG 2.2, 2.5.7), which only move
   the row. The numbers are written when the form is submitted: 1, 2, 3…
   in page order, for every row, the new and blank ones too, so each row is
   saved where it is shown however it got there. (A blank row stays blank:
   the server skips a new row that has nothing but its order.)
   (article_form/base.js) */
(function () {
  "use strict";

  var af = window.healthlibArticleForm;

  function allRows(fieldset) {
    // Every row but the hidden template "Add another" copies.
    return Array.prototype.slice.call(
      fieldset.querySelectorAll(".inline-related:not(.empty-form), tr.form-row:not(.empty-form)")
    ).filter(function (row) {
      return row.querySelector("input._reorder_");
    });
  }

  function sortableRows(fieldset) {
    // The saved rows and the ones the editor added, not the blank row.
    return allRows(fieldset).filter(function (row) {
      return row.classList.contains("has_original") || row.dataset.added === "on";
    });
  }

  function rowName(row) {
    var label = row.querySelector(".inline_label");
    if (label) return label.textContent.trim();
    var selected = row.querySelector("select option:checked");
    return selected ? selected.textContent.trim() : "this row";
  }

  function move(fieldset, row, direction, button) {
    var rows = sortableRows(fieldset);
    var index = rows.indexOf(row);
    var other = rows[direction === "up" ? index - 1 : index + 1];
    if (!other) {
      af.announce("“" + rowName(row) + "” is already " + (direction === "up" ? "first." : "last."));
      return;
    }
    if (direction === "up") {
      other.parentNode.insertBefore(row, other);
    } else {
      other.parentNode.insertBefore(row, other.nextSibling);
    }
    rows = sortableRows(fieldset);
    button.focus();
    af.announce("Moved “" + rowName(row) + "” to position " + (rows.indexOf(row) + 1) +
      " of " + rows.length + ".");
    af.buildJumpList();
  }

  af.addMoveButtons = function (fieldset) {
    sortableRows(fieldset).forEach(function (row) {
      if (row.querySelector(".writing-move")) return;
      var holder = row.querySelector("h3 .sort") || row.querySelector("h3") ||
        row.querySelector("td.original");
      if (!holder) return;
      ["up", "down"].forEach(function (direction) {
        var button = af.element("button", {
          type: "button",
          className: "writing-move writing-move-" + direction,
          // The visible words first (WCAG 2.5.3), then which row.
          "aria-label": "Move " + direction + ": " + rowName(row),
        }, [direction === "up" ? "Move up" : "Move down"]);
        button.addEventListener("click", function () {
          move(fieldset, row, direction, button);
        });
        holder.appendChild(button);
      });
    });
  };

  // On submit: every row's number is its place on the page.
  af.numberRows = function () {
    af.form.querySelectorAll("fieldset.sortable").forEach(function (fieldset) {
      allRows(fieldset).forEach(function (row, index) {
        row.querySelector("input._reorder_").value = String(index + 1);
      });
    });
  };

  // When the form comes back with errors, Django shows the rows in the
  // order they were sent, each with the number it was given: put them
  // back in the order of their numbers (rows without one last), so the
  // next save keeps the order the editor made. A page just opened is
  // already in that order.
  af.showInOrder = function (fieldset) {
    var rows = allRows(fieldset);
    function number(row) {
      var value = parseInt(row.querySelector("input._reorder_").value, 10);
      return isNaN(value) ? Infinity : value;
    }
    var sorted = rows.slice().sort(function (a, b) {
      return number(a) - number(b) || rows.indexOf(a) - rows.indexOf(b);
    });
    if (sorted.every(function (row, i) { return row === rows[i]; })) return;
    var end = rows[rows.length - 1].nextSibling;
    sorted.forEach(function (row) {
      var errors = row.previousElementSibling;
      if (errors && errors.classList.contains("row-form-errors")) {
        row.parentNode.insertBefore(errors, end);
      }
      row.parentNode.insertBefore(row, end);
    });
  };
})();
