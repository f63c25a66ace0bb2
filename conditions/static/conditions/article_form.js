/* The article change form's writing tools (ConditionAdmin.Media).

   - tabs for the form's parts, a jump list to each section, errors open
     the tab that holds them;
   - beside each section's Markdown, a live preview and its reading level,
     from the staff-only preview endpoint, as the editor types;
   - "Insert a link to an article";
   - Move up / Move down buttons for every sortable row (django-admin-
     sortable2 gives drag and drop with the mouse only), and the drugs of
     a drug group in the order readers see them, by drag and drop or keys.

   No build step, no inline script or style: the page's Content-Security-
   Policy allows only files from this site. Without JavaScript the form is
   the plain admin form, every part one after another. */
(function () {
  "use strict";

  // Set by start(): the script is loaded in the page's head, before the form.
  var form, previewUrl, linksUrl, live, language;

  function element(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === "className" || key === "textContent" || key === "type" || key === "id") {
        node[key] = props[key];
      } else {
        node.setAttribute(key, props[key]);
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function announce(text) {
    live.textContent = "";
    window.setTimeout(function () {
      live.textContent = text;
    }, 50);
  }

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* ---- Tabs ------------------------------------------------------------ */

  var TABS = [
    { id: "article", label: "Article", parts: ["fieldset.tab-article"] },
    { id: "sections", label: "Sections", parts: ["#sections-group"] },
    { id: "treatment", label: "Treatment", parts: ["#drug_groups-group"] },
    {
      id: "references",
      label: "References and resources",
      parts: ["#references-group", "#organization_links-group"],
    },
    { id: "figures", label: "Figures", parts: ["#figures-group"] },
    { id: "codes", label: "Codes and topics", parts: ["fieldset.tab-codes", "#codes-group"] },
  ];

  function buildTabs() {
    var first = form.querySelector("fieldset.tab-article");
    if (!first) {
      return;
    }
    var list = element("div", { className: "writing-tabs", role: "tablist" });
    list.setAttribute("aria-label", "Parts of the article");
    first.parentNode.insertBefore(list, first);
    var anchor = list;
    var tabs = [];
    TABS.forEach(function (spec) {
      var parts = [];
      spec.parts.forEach(function (selector) {
        form.querySelectorAll(selector).forEach(function (node) {
          parts.push(node);
        });
      });
      if (!parts.length) {
        return;
      }
      var panel = element("div", {
        className: "writing-panel",
        id: "tab-panel-" + spec.id,
        role: "tabpanel",
        tabindex: "-1",
      });
      var tab = element("button", {
        type: "button",
        className: "writing-tab",
        id: "tab-" + spec.id,
        role: "tab",
        "aria-controls": panel.id,
        "aria-selected": "false",
        tabindex: "-1",
      }, [spec.label]);
      panel.setAttribute("aria-labelledby", tab.id);
      parts.forEach(function (node) {
        panel.appendChild(node);
      });
      anchor.parentNode.insertBefore(panel, anchor.nextSibling);
      anchor = panel;
      list.appendChild(tab);
      tabs.push({ tab: tab, panel: panel, label: spec.label });
    });

    // After "Save and continue editing" the editor is back where they were.
    var memory = "healthlib-tab:" + window.location.pathname;

    function select(index, focus) {
      try {
        window.sessionStorage.setItem(memory, tabs[index].panel.id);
      } catch (e) {
        // Storage refused (private mode): the first tab opens next time.
      }
      tabs.forEach(function (t, i) {
        var on = i === index;
        t.tab.setAttribute("aria-selected", on ? "true" : "false");
        t.tab.tabIndex = on ? 0 : -1;
        t.panel.hidden = !on;
      });
      if (focus) {
        tabs[index].tab.focus();
      }
    }

    tabs.forEach(function (t, i) {
      t.tab.addEventListener("click", function () {
        select(i, false);
      });
      t.tab.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight") next = (i + 1) % tabs.length;
        if (event.key === "ArrowLeft") next = (i - 1 + tabs.length) % tabs.length;
        if (event.key === "Home") next = 0;
        if (event.key === "End") next = tabs.length - 1;
        if (next !== null) {
          event.preventDefault();
          select(next, true);
        }
      });
    });

    // Errors open the first tab that holds one, and every such tab says so.
    var opened = 0;
    var withErrors = tabs.filter(function (t) {
      return t.panel.querySelector(".errorlist, .errors");
    });
    withErrors.forEach(function (t) {
      t.tab.classList.add("has-errors");
      t.tab.appendChild(element("span", { className: "writing-tab-errors" }, [" (has errors)"]));
    });
    if (withErrors.length) {
      opened = tabs.indexOf(withErrors[0]);
    } else if (window.location.hash) {
      var target = document.getElementById(window.location.hash.slice(1));
      tabs.forEach(function (t, i) {
        if (target && t.panel.contains(target)) opened = i;
      });
    } else {
      var remembered = null;
      try {
        remembered = window.sessionStorage.getItem(memory);
      } catch (e) {
        remembered = null;
      }
      tabs.forEach(function (t, i) {
        if (t.panel.id === remembered) opened = i;
      });
    }
    select(opened, false);
    window.healthlibShowTab = function (panelChild) {
      tabs.forEach(function (t, i) {
        if (t.panel.contains(panelChild)) select(i, false);
      });
    };
  }

  /* ---- Jump list to each section ----------------------------------------- */

  function sectionLabel(row, index) {
    var heading = row.querySelector("input[name$='-heading']");
    var kind = row.querySelector("select[name$='-kind']");
    var text = heading && heading.value.trim();
    if (!text && kind && kind.selectedIndex > 0) {
      text = kind.options[kind.selectedIndex].text;
    }
    return text || (row.classList.contains("has_original") ? "Section " + (index + 1) : "New section");
  }

  function sectionRows() {
    return Array.prototype.filter.call(
      document.querySelectorAll("#sections-group .inline-related"),
      function (row) {
        return !row.classList.contains("empty-form") && row.id !== "sections-empty";
      }
    );
  }

  function buildJumpList() {
    var group = document.getElementById("sections-group");
    if (!group) return;
    var nav = document.getElementById("section-jump");
    if (!nav) {
      nav = element("nav", { id: "section-jump", className: "writing-jump" });
      nav.setAttribute("aria-label", "Jump to a section");
      group.parentNode.insertBefore(nav, group);
    }
    nav.textContent = "";
    var list = element("ol", {});
    sectionRows().forEach(function (row, index) {
      var link = element("a", { href: "#" + row.id }, [sectionLabel(row, index)]);
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var body = row.querySelector("textarea");
        row.scrollIntoView({ block: "start" });
        if (body) body.focus({ preventScroll: true });
      });
      list.appendChild(element("li", {}, [link]));
    });
    nav.appendChild(element("p", { className: "writing-jump-title" }, ["Jump to a section:"]));
    nav.appendChild(list);
  }

  /* ---- Preview and reading level -------------------------------------------- */

  function renderReading(box, report) {
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
  }

  function setUpSection(row) {
    var textarea = row.querySelector("textarea[name$='-body']");
    if (!textarea || textarea.dataset.writing === "on" || textarea.name.indexOf("__prefix__") >= 0) {
      return;
    }
    textarea.dataset.writing = "on";
    var bodyRow = textarea.closest(".form-row");
    var reading = row.querySelector(".field-reading_level .readonly");
    var readingRow = row.querySelector(".field-reading_level");

    var preview = element("div", {
      className: "writing-preview-body",
      id: textarea.id + "-preview",
    });
    // A plain box, not a landmark: one per section would crowd the page's
    // landmarks with forty "Preview" regions.
    var previewBox = element("div", { className: "writing-preview" }, [
      element("h4", {}, ["Preview"]),
      preview,
    ]);
    var layout = element("div", { className: "writing-layout" });
    bodyRow.parentNode.insertBefore(layout, bodyRow);
    layout.appendChild(bodyRow);
    layout.appendChild(previewBox);
    if (readingRow) {
      readingRow.classList.add("writing-reading");
      layout.parentNode.insertBefore(readingRow, layout.nextSibling);
      reading.setAttribute("aria-live", "polite");
    }

    addLinkPicker(textarea, bodyRow);

    var timer = null;
    var pending = null;
    function refresh() {
      if (pending) pending.abort();
      pending = new AbortController();
      var data = new FormData();
      data.append("body", textarea.value);
      data.append("language", language);
      fetch(previewUrl, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": csrfToken() },
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
          if (reading) renderReading(reading, result.readability);
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
  }

  /* ---- Link picker --------------------------------------------------------- */

  var pickerCount = 0;

  function addLinkPicker(textarea, bodyRow) {
    pickerCount += 1;
    var id = "link-picker-" + pickerCount;
    var open = element("button", {
      type: "button",
      className: "button writing-link-button",
      "aria-expanded": "false",
      "aria-controls": id,
    }, ["Insert a link to an article"]);
    var input = element("input", { type: "search", id: id + "-q", autocomplete: "off" });
    var results = element("ul", { className: "writing-link-results", id: id + "-results" });
    var status = element("p", { className: "writing-link-status", role: "status" });
    var panel = element("div", { className: "writing-link-picker", id: id }, [
      element("label", { for: input.id }, ["Search articles by title or other name"]),
      input,
      status,
      results,
    ]);
    panel.hidden = true;
    var toolbar = element("div", { className: "writing-toolbar" }, [open]);
    bodyRow.appendChild(toolbar);
    bodyRow.appendChild(panel);

    var selection = [0, 0];
    function close(returnFocus) {
      panel.hidden = true;
      open.setAttribute("aria-expanded", "false");
      if (returnFocus) textarea.focus();
    }
    open.addEventListener("click", function () {
      if (!panel.hidden) {
        close(false);
        return;
      }
      selection = [textarea.selectionStart, textarea.selectionEnd];
      panel.hidden = false;
      open.setAttribute("aria-expanded", "true");
      input.focus();
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        close(true);
      }
    });

    function insert(choice) {
      var chosen = textarea.value.slice(selection[0], selection[1]);
      var text = "[" + (chosen || choice.title) + "](article:" + choice.slug + ")";
      var before = textarea.value.slice(0, selection[0]);
      if (before && !/[\s(]$/.test(before)) text = " " + text; // not glued to the last word
      textarea.value =
        textarea.value.slice(0, selection[0]) + text + textarea.value.slice(selection[1]);
      var caret = selection[0] + text.length;
      close(true);
      textarea.setSelectionRange(caret, caret);
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      announce("Inserted a link to " + choice.title + ".");
    }

    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
    function search() {
      var q = input.value.trim();
      results.textContent = "";
      if (!q) {
        status.textContent = "";
        return;
      }
      fetch(linksUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (response) {
          return response.json();
        })
        .then(function (data) {
          if (input.value.trim() !== q) return;
          results.textContent = "";
          status.textContent = data.results.length
            ? data.results.length + " article(s) found."
            : "No article found.";
          data.results.forEach(function (choice) {
            var label = [choice.title];
            if (choice.also_called.length) {
              label.push(" (also called " + choice.also_called.join(", ") + ")");
            }
            var button = element("button", { type: "button", className: "writing-link-choice" }, [
              label.join(""),
            ]);
            if (!choice.published) {
              button.appendChild(element("span", { className: "writing-draft" }, [
                " — draft, not published: the link blocks publishing until it is",
              ]));
            }
            button.addEventListener("click", function () {
              insert(choice);
            });
            results.appendChild(element("li", {}, [button]));
          });
        });
    }
  }

  /* ---- Move up / Move down (keyboard ordering) ----------------------------- */

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

  function addMoveButtons(fieldset) {
    sortableRows(fieldset).forEach(function (row) {
      if (row.querySelector(".writing-move")) return;
      var holder = row.querySelector("h3 .sort") || row.querySelector("h3") ||
        row.querySelector("td.original");
      if (!holder) return;
      ["up", "down"].forEach(function (direction) {
        var button = element("button", {
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
  }

  function move(fieldset, row, direction, button) {
    var rows = sortableRows(fieldset);
    var index = rows.indexOf(row);
    var other = rows[direction === "up" ? index - 1 : index + 1];
    if (!other) {
      announce("“" + rowName(row) + "” is already " + (direction === "up" ? "first." : "last."));
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
    announce("Moved “" + rowName(row) + "” to position " + (rows.indexOf(row) + 1) +
      " of " + rows.length + ".");
    buildJumpList();
  }

  /* ---- Drugs of a group in order ------------------------------------------ */

  function setUpDrugOrder(select) {
    if (select.dataset.writing === "on" || select.name.indexOf("__prefix__") >= 0) return;
    select.dataset.writing = "on";
    var $ = window.django && window.django.jQuery;
    var list = element("ol", { className: "writing-drug-order" });
    var wrapper = element("div", { className: "writing-drug-order-box" }, [
      element("p", { className: "reading-subhead" }, [
        "Order readers see (drag, or use the buttons):",
      ]),
      list,
    ]);
    var row = select.closest(".form-row") || select.parentNode;
    row.appendChild(wrapper);

    function chosen() {
      return Array.prototype.filter.call(select.options, function (o) {
        return o.selected;
      });
    }
    function changed() {
      if ($) $(select).trigger("change");
      else select.dispatchEvent(new Event("change"));
    }
    function place(option, before) {
      select.insertBefore(option, before);
      changed();
    }
    var dragged = null;
    function draw() {
      list.textContent = "";
      var options = chosen();
      wrapper.hidden = options.length < 2;
      options.forEach(function (option, index) {
        var name = option.textContent.trim();
        var up = element("button", { type: "button", className: "writing-move",
          "aria-label": "Move “" + name + "” up" }, ["Move up"]);
        var down = element("button", { type: "button", className: "writing-move",
          "aria-label": "Move “" + name + "” down" }, ["Move down"]);
        var item = element("li", { draggable: "true" }, [
          element("span", { className: "writing-drug-name" }, [name]), up, down,
        ]);
        up.addEventListener("click", function () {
          var options = chosen();
          if (index === 0) return announce("“" + name + "” is already first.");
          place(option, options[index - 1]);
          list.querySelectorAll("li")[index - 1].querySelector("button").focus();
          announce("Moved “" + name + "” to position " + index + ".");
        });
        down.addEventListener("click", function () {
          var options = chosen();
          if (index === options.length - 1) return announce("“" + name + "” is already last.");
          place(option, options[index + 1].nextSibling);
          list.querySelectorAll("li")[index + 1].querySelectorAll("button")[1].focus();
          announce("Moved “" + name + "” to position " + (index + 2) + ".");
        });
        item.addEventListener("dragstart", function (event) {
          dragged = option;
          event.dataTransfer.effectAllowed = "move";
          event.dataTransfer.setData("text/plain", name);
        });
        item.addEventListener("dragover", function (event) {
          event.preventDefault();
        });
        item.addEventListener("drop", function (event) {
          event.preventDefault();
          if (!dragged || dragged === option) return;
          var options = chosen();
          var from = options.indexOf(dragged);
          place(dragged, from < index ? option.nextSibling : option);
          dragged = null;
        });
        list.appendChild(item);
      });
    }
    if ($) $(select).on("change", draw);
    else select.addEventListener("change", draw);
    draw();
  }

  /* ---- Start ---------------------------------------------------------------- */

  function setUpAll() {
    sectionRows().forEach(setUpSection);
    document.querySelectorAll("fieldset.sortable").forEach(addMoveButtons);
    document
      .querySelectorAll("#drug_groups-group select[name$='-drug_list']")
      .forEach(setUpDrugOrder);
  }

  function start() {
    var tools = document.getElementById("writing-tools");
    form = document.getElementById("condition_form");
    if (!tools || !form) {
      return;
    }
    previewUrl = tools.dataset.previewUrl;
    language = tools.dataset.language || "en";
    linksUrl = tools.dataset.linksUrl;
    live = element("div", { className: "writing-announce", role: "status" });
    live.setAttribute("aria-live", "polite");
    document.body.appendChild(live);
    var bars = form.querySelectorAll(".submit-row");
    if (bars.length) bars[bars.length - 1].classList.add("writing-savebar");
    buildTabs();
    setUpAll();
    buildJumpList();
    var group = document.getElementById("sections-group");
    if (group) {
      group.addEventListener("change", function (event) {
        if (/-(heading|kind)$/.test(event.target.name || "")) buildJumpList();
      });
    }
    document.addEventListener("formset:added", function (event) {
      // Django's inlines script sends the event from the new row.
      if (event.target && event.target.dataset) event.target.dataset.added = "on";
      setUpAll();
      buildJumpList();
    });
  }

  // After Django's inlines.js and the autocomplete widgets have set up.
  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
})();
