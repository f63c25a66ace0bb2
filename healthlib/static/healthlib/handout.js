// The printed date on an article's handout footer. The page itself is the
// same for every reader (it is cached), so today's date is filled in here,
// in the reader's own time zone, just before printing, as a <time> in the
// line's empty slot.
(function () {
  var line = document.querySelector(".handout .printed-on");
  var slot = line && line.querySelector(".printed-date");
  if (!slot) { return; }
  var date = document.createElement("time");
  slot.replaceChildren(date);
  function stamp() {
    var now = new Date();
    // The reader's own calendar day, as the text says (not UTC's).
    date.dateTime = [now.getFullYear(), now.getMonth() + 1, now.getDate()]
      .map(function (part) { return String(part).padStart(2, "0"); }).join("-");
    date.textContent = now.toLocaleDateString(document.documentElement.lang || "en", { year: "numeric", month: "long", day: "numeric" });
    line.hidden = false;
  }
  stamp();
  window.addEventListener("beforeprint", stamp);
})();
