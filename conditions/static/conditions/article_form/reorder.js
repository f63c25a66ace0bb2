/* Move up / Move down for every sortable inline row: sections, drug
   groups, references, organizations and figures (fieldset.sortable).
   django-admin-sortable2 gives drag and drop with the mouse only, and
   only for the saved rows. (article_form/base.js) */
(function () {
  "use strict";

  var af = window.healthlibArticleForm;

  function renumber(fieldset) {
    // 1, 2, 3… in page order, as adminsortable2 numbers the rows after a
    // drag, and the new and blank rows too: a row the editor added and moved
    // is saved where it was put. (A blank row stays blank: the server skips
    // a new row that has nothing but its order.)
    allRows(fieldset).forEach(function (row, index) {
      var input = row.querySelector("input._reorder_");
      if (input) input.value = String(index + 1);
    });
  }

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
    renumber(fieldset);
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
          "aria-label": "Move “" + rowName(row) + "” " + direction,
        }, [direction === "up" ? "Move up" : "Move down"]);
        button.addEventListener("click", function () {
          move(fieldset, row, direction, button);
        });
        holder.appendChild(button);
      });
    });
  };
})();
