// The edition's live sending progress in the admin: polls the progress
// view and updates the <progress> bar and its text until sending ends.
// A static file because the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "estimating…";
    if (seconds < 60) return seconds + " s";
    var minutes = Math.round(seconds / 60);
    return minutes < 60 ? minutes + " min" : Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
  }

  function describe(p) {
    if (p.error) return p.error;
    var parts = [
      p.sent + " sent",
      p.failed + " failed" + (p.bounced ? " (" + p.bounced + " bounced)" : ""),
      p.remaining + " remaining",
    ];
    if (p.in_flight) parts.push(p.in_flight + " in flight");
    var text = p.percent + "% — " + parts.join(", ");
    if (p.stopped) return text + ". " + p.stopped;
    if (p.finished) return text + ". Done.";
    if (p.started_at === null) return "Waiting for a worker to start sending…";
    var pace = p.eta_seconds === null || p.eta_seconds === undefined
      ? "estimating the time left"
      : p.rate + " messages/s, about " + duration(p.eta_seconds) + " left";
    return text + " — " + pace + ". Sending continues in the background.";
  }

  // The rest of the page (status, deliveries) was drawn before sending
  // ended: offer to draw it again rather than reload under the editor.
  function offerReload(text) {
    var link = document.createElement("a");
    link.href = window.location.href;
    link.textContent = "Reload the page to see the edition's status and deliveries.";
    text.appendChild(document.createTextNode(" "));
    text.appendChild(link);
  }

  function watch(box) {
    var bar = box.querySelector("progress");
    var text = box.querySelector(".send-progress-text");
    // Drawn while sending ran: when it ends, the rest of the page is out of date.
    var watched = box.dataset.running === "true";
    function poll() {
      fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (p) {
          if (!p.started) { text.textContent = "Not sent yet."; return; }
          bar.value = p.percent;
          bar.textContent = p.percent + "%";
          text.textContent = describe(p);
          box.classList.toggle("send-progress-done", p.finished);
          if (!p.finished && !p.error) {
            watched = true;
            window.setTimeout(poll, 1000);
          } else if (watched) {
            offerReload(text);
          }
        })
        .catch(function () {
          text.textContent = "Could not load the progress; retrying…";
          window.setTimeout(poll, 5000);
        });
    }
    poll();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".send-progress[data-url]").forEach(watch);
  });
})();
