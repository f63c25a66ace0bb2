/* "Insert a link to an article" under a section's Markdown: search the
   articles by title or other name, pick one, and [its title](article:slug)
   (or [the selected words](article:slug)) goes in at the caret. Drafts are
   marked: such a link blocks publishing until the draft is published.
   (article_form/base.js) */
(function () {
  "use strict";

  var af = window.healthlibArticleForm;
  var element = af.element;
  var pickerCount = 0;

  af.addLinkPicker = function (textarea, bodyRow) {
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
      af.announce("Inserted a link to " + choice.title + ".");
    }

    function choiceButton(choice) {
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
      return button;
    }

    function search() {
      var q = input.value.trim();
      results.textContent = "";
      if (!q) {
        status.textContent = "";
        return;
      }
      fetch(af.linksUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
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
            results.appendChild(element("li", {}, [choiceButton(choice)]));
          });
        });
    }
    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
  };
})();
