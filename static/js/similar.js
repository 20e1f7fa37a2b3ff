// Similar proposals while a member writes one (issue 16): after a pause in
// typing the title or the body, ask the server which proposals are alike and
// show its fragment in the form's aria-live region (screen readers hear it
// once, politely). Without this script the form works as ever.
// The server answers 202, empty, while its worker is still looking (it
// never reads the text itself): the script asks the same URL again every
// POLL ms, at most POLLS times (about eight seconds), then stops quietly.
(function () {
  "use strict";
  var region = document.getElementById("similar-proposals");
  if (!region || !window.fetch) {
    return;
  }
  var form = region.closest("form");
  var title = form && form.querySelector("[name=title]");
  var body = form && form.querySelector("[name=body]");
  if (!title) {
    return;
  }
  var url = region.getAttribute("data-similar-url");
  var WAIT = 600; // ms after the last key
  var BODY_CHARS = 1500; // the server reads no further
  var POLL = 400; // ms between asks while the server is still looking
  var POLLS = 20;
  var timer = null;
  var pollTimer = null;
  var lastQuery = null;
  var controller = null;

  function query() {
    var t = title.value.trim();
    var b = body ? body.value.trim().slice(0, BODY_CHARS) : "";
    if ((t + b).replace(/\s/g, "").length < 2) {
      return null;
    }
    return "?title=" + encodeURIComponent(t.slice(0, 100)) + "&body=" + encodeURIComponent(b);
  }

  function ask() {
    var q = query();
    if (q === lastQuery) {
      return;
    }
    lastQuery = q;
    if (controller) {
      controller.abort();
    }
    clearTimeout(pollTimer);
    if (q === null) {
      region.innerHTML = "";
      return;
    }
    fetchList(q, POLLS);
  }

  function fetchList(q, pollsLeft) {
    controller = new AbortController();
    fetch(url + q, { credentials: "same-origin", signal: controller.signal })
      .then(function (response) {
        if (response.status === 202) {
          // Still looking: ask again unless the text changed meanwhile.
          if (pollsLeft > 0 && q === lastQuery) {
            pollTimer = setTimeout(function () {
              fetchList(q, pollsLeft - 1);
            }, POLL);
          }
          return null;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        // A refusal (too many, bad input) leaves the last list in place.
        if (html !== null && q === lastQuery) {
          region.innerHTML = html;
        }
      })
      .catch(function () {});
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(ask, WAIT);
  }

  title.addEventListener("input", later);
  if (body) {
    body.addEventListener("input", later);
  }
  // A form sent back with errors already holds text.
  if (query() !== null) {
    ask();
  }
})();
