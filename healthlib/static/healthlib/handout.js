// The printed date on an article's handout footer. The page itself is the
// same for every reader (it is cached), so today's date is filled in here,
// in the reader's own time zone, just before printing.
(function () {
  var line = document.querySelector(".handout .printed-on");
  var date = line && line.querySelector("time");
  if (!date) { return; }
  function stamp() {
    var now = new Date();
    date.dateTime = now.toISOString().slice(0, 10);
    date.textContent = now.toLocaleDateString(document.documentElement.lang || "en", { year: "numeric", month: "long", day: "numeric" });
    line.hidden = false;
  }
  stamp();
  window.addEventListener("beforeprint", stamp);
})();
