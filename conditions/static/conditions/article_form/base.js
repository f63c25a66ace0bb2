/* The article change form's writing tools (ConditionAdmin.Media), one
   small file per concern, loaded in this order as plain scripts that share
   the namespace this file makes, window.healthlibArticleForm:

     base.js           the namespace and the helpers every part uses
     tabs.js           tabs for the form's parts; errors open their tab
     jump_list.js      "Jump to a section:" above the sections
     reading_level.js  a section's reading level, as the editor types
     preview.js        a section's live preview, beside its Markdown
     link_picker.js    "Insert a link to an article"
     reorder.js        Move up / Move down for every sortable row, and the
                       order numbers every row is saved with
     drug_order.js     the drugs of a drug group in the order readers see
     start.js          sets it all up once the page has loaded

   No build step, no inline script or style: the page's Content-Security-
   Policy allows only files from this site. Without JavaScript the form is
   the plain admin form, every part one after another. */
(function () {
  "use strict";

  var form = (window.healthlibArticleForm = {
    // Set by start.js: the form, what #writing-tools says (the preview and
    // link endpoints, the article's language) and the live region.
    form: null,
    previewUrl: null,
    linksUrl: null,
    language: "en",
    live: null,
  });

  form.element = function (tag, props, children) {
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
  };

  // Says `text` to screen readers, through the page's one live region.
  form.announce = function (text) {
    form.live.textContent = "";
    window.setTimeout(function () {
      form.live.textContent = text;
    }, 50);
  };

  form.csrfToken = function () {
    var input = form.form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  };
})();
