/* Small repairs to Django's admin pages, loaded on every staff page
   (templates/admin/base_site.html). Without this script every page still
   works: lists are ordinary tables scrolled sideways. */
(function () {
  "use strict";

  /* Lists on a phone: static/css/admin.css shows each row as a stacked card
     below 768 px, each value preceded by its column's name. The names come
     from the table's own header, copied into a data-label on every cell (CSS
     cannot read another cell). */
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
    /* Shown as blocks on a phone, some browsers stop telling screen readers
       it is a table; the roles keep it one. */
    table.setAttribute("role", "table");
    table.querySelectorAll("thead, tbody").forEach(function (group) {
      group.setAttribute("role", "rowgroup");
    });
    table.querySelectorAll("tr").forEach(function (row) { row.setAttribute("role", "row"); });
    table.querySelectorAll("thead th").forEach(function (th) {
      th.setAttribute("role", "columnheader");
    });
    table.querySelectorAll("tbody th").forEach(function (th) { th.setAttribute("role", "rowheader"); });
    table.querySelectorAll("tbody td").forEach(function (td) { td.setAttribute("role", "cell"); });
    table.classList.add("stackable");
  }

  /* Django's date-and-time widget writes "Date:" and "Time:" as plain text
     and its field label names no input (a MultiWidget's label has no `for`),
     so neither input has an accessible name. Name each after its field. */
  function nameSplitDateTime(box) {
    var row = box.closest(".form-row, .fieldBox, td");
    var label = row && row.querySelector("label");
    var field = label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
    var parts = [];
    box.childNodes.forEach(function (node) {
      if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) {
        parts.push(node.textContent.replace(/[:：]\s*$/, "").trim());
      }
    });
    box.querySelectorAll("input").forEach(function (input, index) {
      if (input.type === "hidden" || input.hasAttribute("aria-label")) return;
      var part = parts[index] || "";
      input.setAttribute("aria-label", [field, part].filter(Boolean).join(" "));
    });
  }

  /* Django's tabular inlines and a list's editable columns (list_editable)
     name their columns in <th class="column-NAME"> but label no field in the
     rows below; name each from its column. */
  function nameInlineFields(table) {
    table.querySelectorAll("tbody td[class*='field-']").forEach(function (cell) {
      var name = Array.prototype.find.call(cell.classList, function (c) {
        return c.indexOf("field-") === 0;
      });
      var th = name && table.querySelector("thead th.column-" + name.slice(6));
      if (!th) return;
      var text = th.querySelector(".text") ? headerLabel(th)
        : (th.firstChild && th.firstChild.textContent || th.textContent).trim();
      if (!text) return;
      cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
        if (field.labels && field.labels.length) return;
        if (field.hasAttribute("aria-label") || field.hasAttribute("aria-labelledby")) return;
        field.setAttribute("aria-label", text);
      });
    });
  }

  /* A region that scrolls sideways (a wide read-only table on a phone) must
     be reachable by keyboard to be scrolled; one holding no link or field
     becomes focusable itself. */
  function focusableScrollers() {
    document.querySelectorAll("#content .inline-group, #content .results, #content .module").forEach(function (el) {
      if (el.scrollWidth <= el.clientWidth + 1) return;
      if (el.querySelector(
        "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]"
      )) return;
      el.setAttribute("tabindex", "0");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#result_list, table.stackable-list").forEach(labelCells);
    document.querySelectorAll("p.datetime").forEach(nameSplitDateTime);
    document.querySelectorAll(".inline-group .tabular table, #result_list").forEach(nameInlineFields);
    focusableScrollers();
  });

  /* The two-box selector of many-to-many fields (Django's SelectFilter2,
     drawn on window load) puts an aria-label on a bare <span> icon, which
     ARIA does not allow; as an image the label is allowed and read. */
  window.addEventListener("load", function () {
    setTimeout(function () {
      document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
        icon.setAttribute("role", "img");
      });
    }, 0);
  });
})();
