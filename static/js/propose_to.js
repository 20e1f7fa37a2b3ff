// The proposal form's "Who is this proposal for?" (issue 16): the category
// select offers only the chosen addressee's categories. Each option names its
// institution in data-institution ("" for the city's). Without script every
// group stays and the server refuses a category of another addressee.
(function () {
  "use strict";
  var addressee = document.getElementById("id_institution");
  var category = document.getElementById("id_category");
  if (!addressee || !category) return;

  function narrow() {
    var chosen = addressee.value || "";
    var options = category.querySelectorAll("option[data-institution]");
    options.forEach(function (option) {
      var mine = option.getAttribute("data-institution") === chosen;
      option.hidden = !mine;
      option.disabled = !mine;
      if (!mine && option.selected) category.value = "";
    });
    category.querySelectorAll("optgroup").forEach(function (group) {
      var shown = group.querySelector("option:not([hidden])");
      group.hidden = !shown;
      group.disabled = !shown;
    });
  }

  addressee.addEventListener("change", narrow);
  narrow();
})();
