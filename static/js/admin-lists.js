/* Admin lists on a phone: static/css/admin.css shows each row of a list as a
   stacked card below 768 px, each value preceded by its column's name. The
   names come from the table's own header, copied here into a data-label on
   every cell (CSS cannot read another cell). Without this script the list is
   the ordinary table, scrolled sideways. */
(function () {
  "use strict";

  function headerLabel(th) {
    var text = th.querySelector(".text");
    return ((text || th).textContent || "").replace(/\s+/g, " ").trim();
  }

  function labelCells(table) {
    var headers = table.querySelectorAll("thead th");
    if (!headers.length) return;
    var labels = Array.prototype.map.call(headers, headerLabel);
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (labels[index]) cell.setAttribute("data-label", labels[index]);
      });
    });
    table.classList.add("stackable");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#result_list, table.stackable-list").forEach(labelCells);
  });
})();
