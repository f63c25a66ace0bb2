/* Tabs for the parts of the article form, one part shown at a time; the
   open tab is remembered across "Save and continue editing", and errors
   open the first tab that holds one. (article_form/base.js) */
(function () {
  "use strict";

  var af = window.healthlibArticleForm;
  var element = af.element;

  // The classes of ConditionAdmin.fieldsets and the inlines' groups.
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

  // Moves each part into its panel, after a tab list; returns the tabs.
  function build(form, first) {
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
    return tabs;
  }

  // The tab to open: the first with errors, else the one holding the
  // address's #fragment, else the one open before the save.
  function toOpen(tabs, memory) {
    var opened = 0;
    var withErrors = tabs.filter(function (t) {
      return t.panel.querySelector(".errorlist, .errors");
    });
    withErrors.forEach(function (t) {
      t.tab.classList.add("has-errors");
      t.tab.appendChild(element("span", { className: "writing-tab-errors" }, [" (has errors)"]));
    });
    if (withErrors.length) {
      return tabs.indexOf(withErrors[0]);
    }
    if (window.location.hash) {
      var target = document.getElementById(window.location.hash.slice(1));
      tabs.forEach(function (t, i) {
        if (target && t.panel.contains(target)) opened = i;
      });
      return opened;
    }
    var remembered = null;
    try {
      remembered = window.sessionStorage.getItem(memory);
    } catch (e) {
      remembered = null;
    }
    tabs.forEach(function (t, i) {
      if (t.panel.id === remembered) opened = i;
    });
    return opened;
  }

  af.buildTabs = function () {
    var first = af.form.querySelector("fieldset.tab-article");
    if (!first) {
      return;
    }
    var tabs = build(af.form, first);
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
    select(toOpen(tabs, memory), false);
  };
})();
