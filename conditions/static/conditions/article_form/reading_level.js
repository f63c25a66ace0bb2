/* A section's reading level (the admin's read-only "reading level"
   field), placed under its Markdown and preview and read out as it
   changes; preview.js fills it with each preview's report.
   (article_form/base.js) */
(function () {
  "use strict";

  var af = window.healthlibArticleForm;
  var element = af.element;

  // Moves the row's reading level after `after`; returns the box that
  // shows it, or null if the row has none.
  af.placeReadingLevel = function (row, after) {
    var readingRow = row.querySelector(".field-reading_level");
    var box = row.querySelector(".field-reading_level .readonly");
    if (!readingRow || !box) return null;
    readingRow.classList.add("writing-reading");
    after.parentNode.insertBefore(readingRow, after.nextSibling);
    box.setAttribute("aria-live", "polite");
    return box;
  };

  // `report`: the preview endpoint's "readability" (conditions.readability).
  af.renderReading = function (box, report) {
    box.textContent = "";
    var verdict = element("p", {
      className: "reading-verdict" + (report.above_target ? " above-target" : ""),
    }, [report.verdict + (report.smog == null ? "" : " SMOG " + report.smog + ",") +
        " " + report.words + " words."]);
    box.appendChild(verdict);
    if (report.hardest_sentences.length && report.words) {
      box.appendChild(element("p", { className: "reading-subhead" }, ["Hardest sentences:"]));
      var list = element("ol", { className: "reading-hardest" });
      report.hardest_sentences.forEach(function (s) {
        var note = s.words + " words";
        if (s.long_words.length) note += "; long words: " + s.long_words.join(", ");
        list.appendChild(element("li", {}, [
          element("q", {}, [s.text]),
          element("span", { className: "reading-note" }, [" (" + note + ")"]),
        ]));
      });
      box.appendChild(list);
    }
    var hints = [];
    report.hard_words.forEach(function (w) {
      hints.push("“" + w.term + "”: say “" + w.plain + "”, or explain it nearby.");
    });
    report.percentages.forEach(function (p) {
      hints.push(p.text + ": " + p.suggestion);
    });
    if (hints.length) {
      box.appendChild(element("p", { className: "reading-subhead" }, ["Plain words:"]));
      box.appendChild(element("ul", { className: "reading-hints" }, hints.map(function (h) {
        return element("li", {}, [h]);
      })));
    }
  };
})();
