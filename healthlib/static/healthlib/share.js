// Share links: "Copy link" and "Print" need JavaScript, so they start hidden
// and appear only where they can work. Nothing is sent to our server.
(function () {
  var status = document.querySelector(".copy-status");
  var copy = document.querySelector(".copy-link");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(copy.dataset.url).then(
        // The words come from the page, in its language.
        function () { status.textContent = status.dataset.copied; },
        function () { status.textContent = status.dataset.failed + " " + copy.dataset.url; }
      );
    });
  }
  var print = document.querySelector(".print-link");
  if (print && window.print) {
    print.hidden = false;
    print.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
  }
})();
