// Organizer pages of the engagement review: confirmations and "select all"; the pages work without them.
(function () {
  "use strict";

  // A button with data-confirm asks before its form is sent.
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
    });
  });

  // A button with data-check-all="<form id>" ticks (or unticks) every like box of that form.
  document.querySelectorAll("[data-check-all]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var form = document.getElementById(button.dataset.checkAll);
      if (!form) { return; }
      var boxes = form.querySelectorAll("input[type=checkbox][name=like_id]");
      var allTicked = Array.prototype.every.call(boxes, function (box) { return box.checked; });
      boxes.forEach(function (box) { box.checked = !allTicked; });
    });
  });
})();
