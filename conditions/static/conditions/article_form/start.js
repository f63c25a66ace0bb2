/* Sets up the article form's writing tools (article_form/base.js) once the
   page has loaded, after Django's inlines.js and the autocomplete widgets,
   and again for each row "Add another" adds. */
(function () {
  "use strict";

  var af = window.healthlibArticleForm;

  function setUpSection(row) {
    var textarea = row.querySelector("textarea[name$='-body']");
    if (!textarea || textarea.dataset.writing === "on" || textarea.name.indexOf("__prefix__") >= 0) {
      return;
    }
    textarea.dataset.writing = "on";
    var bodyRow = textarea.closest(".form-row");
    af.addPreview(row, textarea, bodyRow);
    af.addLinkPicker(textarea, bodyRow);
  }

  function setUpAll() {
    af.sectionRows().forEach(setUpSection);
    document.querySelectorAll("fieldset.sortable").forEach(af.addMoveButtons);
    document
      .querySelectorAll("#drug_groups-group select[name$='-drug_list']")
      .forEach(af.setUpDrugOrder);
  }

  function start() {
    var tools = document.getElementById("writing-tools");
    var form = document.getElementById("condition_form");
    if (!tools || !form) {
      return;
    }
    af.form = form;
    af.previewUrl = tools.dataset.previewUrl;
    af.language = tools.dataset.language || "en";
    af.linksUrl = tools.dataset.linksUrl;
    af.live = af.element("div", { className: "writing-announce", role: "status" });
    af.live.setAttribute("aria-live", "polite");
    document.body.appendChild(af.live);
    var bars = form.querySelectorAll(".submit-row");
    if (bars.length) bars[bars.length - 1].classList.add("writing-savebar");
    form.querySelectorAll("fieldset.sortable").forEach(af.showInOrder);
    af.buildTabs();
    setUpAll();
    af.buildJumpList();
    var group = document.getElementById("sections-group");
    if (group) {
      group.addEventListener("change", function (event) {
        if (/-(heading|kind)$/.test(event.target.name || "")) af.buildJumpList();
      });
    }
    document.addEventListener("formset:added", function (event) {
      // Django's inlines script sends the event from the new row.
      if (event.target && event.target.dataset) event.target.dataset.added = "on";
      setUpAll();
      af.buildJumpList();
    });
    form.addEventListener("submit", af.numberRows);
  }

  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
})();
