/* Firebreak web app: small progressive enhancements. Loaded as a file (CSP: script-src 'self'). */
(function () {
  "use strict";

  // --- Countdown to the next stakeholder update ------------------------------------------------
  // The server renders the seconds left; counting from the page's own clock avoids trusting the
  // viewer's wall clock. Elements swapped in by HTMX are picked up on the next tick.
  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function formatDuration(totalSeconds) {
    var s = Math.abs(Math.round(totalSeconds));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return (h ? h + ":" + pad(m) : String(m)) + ":" + pad(sec);
  }

  function tickCountdowns() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown-seconds]").forEach(function (el) {
      if (el.fbDeadline === undefined) {
        var seconds = parseInt(el.getAttribute("data-countdown-seconds"), 10);
        if (isNaN(seconds)) { return; }
        el.fbDeadline = now + seconds * 1000;
      }
      var left = (el.fbDeadline - now) / 1000;
      var box = el.closest(".countdown");
      if (left >= 0) {
        el.textContent = "in " + formatDuration(left);
        if (box) { box.classList.remove("overdue"); }
      } else {
        el.textContent = "overdue by " + formatDuration(left);
        if (box) { box.classList.add("overdue"); }
      }
    });
  }

  // --- Update composer: show the fields that apply to the chosen kind ---------------------------
  function syncUpdateForm(form) {
    var checked = form.querySelector("input[name=kind]:checked");
    var kind = checked ? checked.value : "update";
    form.querySelectorAll("[data-show-for-kind]").forEach(function (el) {
      el.hidden = el.getAttribute("data-show-for-kind").split(" ").indexOf(kind) === -1;
    });
    form.querySelectorAll("[data-hide-for-kind]").forEach(function (el) {
      el.hidden = el.getAttribute("data-hide-for-kind").split(" ").indexOf(kind) !== -1;
    });
  }

  function initUpdateForms(root) {
    root.querySelectorAll("[data-update-form]").forEach(function (form) {
      syncUpdateForm(form);
      form.addEventListener("change", function () { syncUpdateForm(form); });
    });
  }

  // --- HTMX errors: say so instead of failing silently ----------------------------------------
  function showHtmxError(event) {
    var box = document.getElementById("htmx-error");
    var xhr = event.detail && event.detail.xhr;
    if (!box || !xhr || xhr.status === 0) { return; }
    var text = (xhr.responseText || "").trim();
    if (!text || text.charAt(0) === "<") { text = "The request failed (HTTP " + xhr.status + ")."; }
    box.textContent = text;
    box.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    initUpdateForms(document);
    tickCountdowns();
    window.setInterval(tickCountdowns, 1000);
    document.body.addEventListener("htmx:responseError", showHtmxError);
    // A poll swaps in a fresh countdown (out of band): show the remaining time at once.
    document.body.addEventListener("htmx:afterSettle", tickCountdowns);
    document.body.addEventListener("htmx:oobAfterSwap", tickCountdowns);
  });
})();
