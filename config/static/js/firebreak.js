/* Firebreak web app: small progressive enhancements. Loaded as a file (CSP: script-src 'self'). */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // --- Times as the server writes them: "2026-03-08 10:58 CET" in the person's zone -----------
  function zoneName(date, zone) {
    // en-US names American zones (PST), en-GB European ones (CET); otherwise "GMT+5" it is.
    var name = "";
    ["en-US", "en-GB"].some(function (locale) {
      var part = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "short" })
        .formatToParts(date).filter(function (p) { return p.type === "timeZoneName"; })[0];
      name = part ? part.value : "";
      return name && name.indexOf("GMT") !== 0 && name.indexOf("UTC") !== 0;
    });
    return name === "GMT" ? "UTC" : name;
  }

  function localTime(date) {
    var zone = (document.body && document.body.getAttribute("data-timezone")) || "UTC";
    try {
      var parts = {};
      new Intl.DateTimeFormat("en-CA", {
        timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23"
      }).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
      return parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" +
        parts.minute + " " + zoneName(date, zone);
    } catch (e) {
      return date.toISOString().slice(0, 16).replace("T", " ") + " UTC";
    }
  }
  window.Firebreak = { localTime: localTime };

  // --- The menu on narrow screens ----------------------------------------------------------------
  function initMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var menu = document.getElementById("site-menu");
    if (!toggle || !menu) { return; }
    toggle.addEventListener("click", function () {
      var open = menu.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

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

  // --- Clocks that count up: time since impact began, since declaration ------------------------
  function formatElapsed(totalSeconds) {
    var s = Math.max(0, Math.round(totalSeconds));
    var d = Math.floor(s / 86400);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    if (d >= 2) { return d.toLocaleString("en-US") + " days " + (h - d * 24) + " h"; }
    if (h) { return h + " h " + pad(m) + " min"; }
    if (m) { return m + " min " + pad(sec) + " s"; }
    return sec + " s";
  }

  function tickElapsed() {
    var now = Date.now();
    document.querySelectorAll("[data-elapsed-seconds]").forEach(function (el) {
      if (el.fbStart === undefined) {
        var seconds = parseInt(el.getAttribute("data-elapsed-seconds"), 10);
        if (isNaN(seconds)) { return; }
        el.fbStart = now - seconds * 1000;
      }
      el.textContent = formatElapsed((now - el.fbStart) / 1000);
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
    initMenu();
    initUpdateForms(document);
    tickCountdowns();
    tickElapsed();
    window.setInterval(function () { tickCountdowns(); tickElapsed(); }, 1000);
    document.body.addEventListener("htmx:responseError", showHtmxError);
    // A poll swaps in a fresh countdown (out of band): show the remaining time at once.
    document.body.addEventListener("htmx:afterSettle", tickCountdowns);
    document.body.addEventListener("htmx:oobAfterSwap", tickCountdowns);
    document.body.addEventListener("htmx:oobAfterSwap", tickElapsed);
  });
})();
