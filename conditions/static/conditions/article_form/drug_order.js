/* The drugs of a drug group in the order readers see them: the order of
   the chosen options in the group's "Drugs" box (an autocomplete select;
   DrugGroupForm saves that order). Under the box, the chosen drugs in a
   list, reordered by drag and drop or by Move up / Move down.
   (article_form/base.js) */
(function () {
  "use strict";

  var af = window.healthlibArticleForm;
  var element = af.element;

  af.setUpDrugOrder = function (select) {
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
    function item(option, index) {
      var name = option.textContent.trim();
      var up = element("button", { type: "button", className: "writing-move",
        "aria-label": "Move up: " + name }, ["Move up"]);
      var down = element("button", { type: "button", className: "writing-move",
        "aria-label": "Move down: " + name }, ["Move down"]);
      var li = element("li", { draggable: "true" }, [
        element("span", { className: "writing-drug-name" }, [name]), up, down,
      ]);
      up.addEventListener("click", function () {
        var options = chosen();
        if (index === 0) return af.announce("“" + name + "” is already first.");
        place(option, options[index - 1]);
        list.querySelectorAll("li")[index - 1].querySelector("button").focus();
        af.announce("Moved “" + name + "” to position " + index + ".");
      });
      down.addEventListener("click", function () {
        var options = chosen();
        if (index === options.length - 1) return af.announce("“" + name + "” is already last.");
        place(option, options[index + 1].nextSibling);
        list.querySelectorAll("li")[index + 1].querySelectorAll("button")[1].focus();
        af.announce("Moved “" + name + "” to position " + (index + 2) + ".");
      });
      li.addEventListener("dragstart", function (event) {
        dragged = option;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", name);
      });
      li.addEventListener("dragover", function (event) {
        event.preventDefault();
      });
      li.addEventListener("drop", function (event) {
        event.preventDefault();
        if (!dragged || dragged === option) return;
        var options = chosen();
        var from = options.indexOf(dragged);
        place(dragged, from < index ? option.nextSibling : option);
        dragged = null;
      });
      return li;
    }
    function draw() {
      list.textContent = "";
      var options = chosen();
      wrapper.hidden = options.length < 2;
      options.forEach(function (option, index) {
        list.appendChild(item(option, index));
      });
    }
    if ($) $(select).on("change", draw);
    else select.addEventListener("change", draw);
    draw();
  };
})();
