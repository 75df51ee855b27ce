/* The schedule timeline starts scrolled to "now" on narrow screens. The schedule form's people picker: filter the directory, number people as they are ticked,
   keep the ticked ones on top in rotation order, hide the site choice unless the rotation is
   follow-the-sun. The three-month preview is fetched by htmx (hx-post on the form).
   Everything here is optional: without JavaScript the same form works with typed numbers. */
(function () {
  "use strict";

  // On a narrow screen the timeline scrolls in its box: start with "now" in view.
  function scrollToNow() {
    Array.prototype.forEach.call(document.querySelectorAll(".shift-timeline-scroll"), function (box) {
      var svg = box.querySelector("svg[data-now-x]");
      if (!svg || box.scrollWidth <= box.clientWidth) { return; }
      var x = parseFloat(svg.getAttribute("data-now-x")) - parseFloat(svg.getAttribute("data-label-width"));
      box.scrollLeft = Math.max(0, x - box.clientWidth / 3);
    });
  }

  function init() {
    scrollToNow();
    var picker = document.querySelector(".picker");
    if (!picker) { return; }
    var list = picker.querySelector(".picker-list");
    var rows = function () { return Array.prototype.slice.call(list.querySelectorAll(".picker-row")); };
    var orderOf = function (row) { return row.querySelector(".picker-order"); };
    var onOf = function (row) { return row.querySelector(".picker-on"); };

    function sortRows() {
      var all = rows();
      all.forEach(function (row, i) { row.dataset.index = row.dataset.index || String(i); });
      all.sort(function (a, b) {
        var ao = onOf(a).checked ? 0 : 1, bo = onOf(b).checked ? 0 : 1;
        if (ao !== bo) { return ao - bo; }
        var an = parseInt(orderOf(a).value, 10), bn = parseInt(orderOf(b).value, 10);
        an = isNaN(an) ? 1e6 : an; bn = isNaN(bn) ? 1e6 : bn;
        if (an !== bn) { return an - bn; }
        return parseInt(a.dataset.index, 10) - parseInt(b.dataset.index, 10);
      });
      all.forEach(function (row) {
        row.classList.toggle("picked", onOf(row).checked);
        list.appendChild(row);
      });
    }

    function renumber() {
      var n = 0;
      rows().forEach(function (row) {
        if (onOf(row).checked) { n += 1; orderOf(row).value = String(n); }
      });
    }

    list.addEventListener("change", function (event) {
      var row = event.target.closest(".picker-row");
      if (!row) { return; }
      if (event.target.classList.contains("picker-on")) {
        if (event.target.checked && !orderOf(row).value) {
          var highest = 0;
          rows().forEach(function (r) {
            var v = parseInt(orderOf(r).value, 10);
            if (!isNaN(v) && v > highest) { highest = v; }
          });
          orderOf(row).value = String(highest + 1);
        } else if (!event.target.checked) {
          orderOf(row).value = "";
        }
        sortRows();
        renumber();
      } else if (event.target.classList.contains("picker-order")) {
        onOf(row).checked = event.target.value !== "";
        sortRows();
      }
    });

    var filterLabel = picker.querySelector(".picker-filter-label");
    var filter = picker.querySelector(".picker-filter");
    if (filterLabel && filter) {
      filterLabel.hidden = false;
      filter.addEventListener("input", function () {
        var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
        rows().forEach(function (row) {
          var text = row.dataset.search || "";
          row.hidden = !onOf(row).checked && !words.every(function (w) { return text.indexOf(w) !== -1; });
        });
      });
      filter.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); }
      });
    }

    var rotation = document.querySelector("select[name='rotation']");
    function showSites() {
      picker.classList.toggle("not-follow-the-sun", !!rotation && rotation.value !== "follow_the_sun");
    }
    if (rotation) { rotation.addEventListener("change", showSites); }
    showSites();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
