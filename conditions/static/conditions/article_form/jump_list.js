/* "Jump to a section:" above the sections, a link to each by its heading
   or kind, kept up to date as sections are added, renamed and moved.
   (article_form/base.js) */
(function () {
  "use strict";

  var af = window.healthlibArticleForm;
  var element = af.element;

  function sectionLabel(row, index) {
    var heading = row.querySelector("input[name$='-heading']");
    var kind = row.querySelector("select[name$='-kind']");
    var text = heading && heading.value.trim();
    if (!text && kind && kind.selectedIndex > 0) {
      text = kind.options[kind.selectedIndex].text;
    }
    return text || (row.classList.contains("has_original") ? "Section " + (index + 1) : "New section");
  }

  // The sections' rows in page order, not the hidden "Add another" copy.
  af.sectionRows = function () {
    return Array.prototype.filter.call(
      document.querySelectorAll("#sections-group .inline-related"),
      function (row) {
        return !row.classList.contains("empty-form") && row.id !== "sections-empty";
      }
    );
  };

  af.buildJumpList = function () {
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
    af.sectionRows().forEach(function (row, index) {
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
  };
})();
