// The little behaviour the public pages have. It lives here, never inline:
// the Content Security Policy runs scripts from our own origin only, and no
// event handler attributes (onclick=…).
(function () {
  "use strict";
  // Bring a form's error summary into view and to screen readers' attention.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  // Print buttons (the meeting agenda).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
  // The debate's stance bar: each position's part grows with its count.
  // Set through the DOM: a style="…" attribute would be refused by the policy.
  document.querySelectorAll("[data-share]").forEach(function (part) {
    part.style.flexGrow = part.getAttribute("data-share");
  });
})();
