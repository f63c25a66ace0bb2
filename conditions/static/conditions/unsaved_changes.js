/* The article change form warns before the page is left with unsaved
   changes (ConditionAdmin.Media): a long edit is not lost to a stray click
   on a link, the back button or a closed tab.

   The form counts as changed once a field is typed in or changed by the
   person; saving it (any submit button) leaves without a warning. The
   browser shows its own wording: pages may only ask for the dialog. */
(function () {
  "use strict";

  function start() {
    var form = document.getElementById("condition_form");
    if (!form) {
      return;
    }
    var dirty = false;
    function changed(event) {
      // Only the person's own edits to fields that are saved (named ones):
      // typing in a search box of the writing tools changes nothing.
      if (event.isTrusted && event.target.form === form && event.target.name) {
        dirty = true;
      }
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      dirty = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) {
        return undefined;
      }
      event.preventDefault();
      // Older browsers ask for a return value as well.
      event.returnValue = "";
      return "";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
