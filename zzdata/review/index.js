/* zzdata review index: sort the table of reports by a column (click its header), switch language. */
(function () {
  "use strict";
  var root = document.documentElement;
  function applyLang(l) {
    root.setAttribute("data-lang", l);
    try { localStorage.setItem("zzdata-review-lang", l); } catch (e) { /* file: pages may not store */ }
  }
  document.getElementById("lang").addEventListener("click", function () {
    applyLang(root.getAttribute("data-lang") === "en" ? "zh" : "en");
  });
  try { var saved = localStorage.getItem("zzdata-review-lang"); if (saved === "en" || saved === "zh") applyLang(saved); } catch (e) { /* ignore */ }
  var table = document.getElementById("reports"), body = table.tBodies[0];
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    var b = th.querySelector("button");
    if (!b) return;
    b.addEventListener("click", function () {
      var down = th.getAttribute("aria-sort") !== "descending" && (th.classList.contains("n") || th.getAttribute("aria-sort") === "ascending");
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", down ? "descending" : "ascending");
      var rows = Array.prototype.slice.call(body.rows);
      var num = th.classList.contains("n");
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-v"), y = b.cells[col].getAttribute("data-v");
        var c = num ? (+x) - (+y) : x < y ? -1 : x > y ? 1 : 0;
        return down ? -c : c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
