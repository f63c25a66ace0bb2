/* Beside a section's Markdown, a live preview of it as readers will see it,
   and under both its reading level: asked of the staff-only preview
   endpoint as the editor types. (article_form/base.js) */
(function () {
  "use strict";

  var af = window.healthlibArticleForm;
  var element = af.element;

  // `bodyRow`: the admin's form row that holds `textarea`.
  af.addPreview = function (row, textarea, bodyRow) {
    var preview = element("div", {
      className: "writing-preview-body",
      id: textarea.id + "-preview",
    });
    // A named group, not a landmark: one per section would crowd the
    // page's landmarks with forty "Preview" regions. A long preview
    // scrolls in its box, so the keyboard can focus it.
    var previewBox = element("div", {
      className: "writing-preview",
      role: "group",
      tabindex: "0",
      "aria-labelledby": textarea.id + "-preview-title",
    }, [
      element("h4", { id: textarea.id + "-preview-title" }, ["Preview"]),
      preview,
    ]);
    var layout = element("div", { className: "writing-layout" });
    bodyRow.parentNode.insertBefore(layout, bodyRow);
    layout.appendChild(bodyRow);
    layout.appendChild(previewBox);
    var reading = af.placeReadingLevel(row, layout);

    var timer = null;
    var pending = null;
    function refresh() {
      if (pending) pending.abort();
      pending = new AbortController();
      var data = new FormData();
      data.append("body", textarea.value);
      data.append("language", af.language);
      fetch(af.previewUrl, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": af.csrfToken() },
        credentials: "same-origin",
        signal: pending.signal,
      })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (result) {
          // The HTML is the project's renderer's output, sanitized by nh3
          // exactly as on the public page.
          preview.innerHTML = result.html || "<p>Nothing to preview yet.</p>";
          if (reading) af.renderReading(reading, result.readability);
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            preview.textContent = "The preview could not be loaded; your text is not affected.";
          }
        });
    }
    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 400);
    });
    refresh();
  };
})();
