// The eval report: colour the highlights by match status or by kind; checkboxes hide them
// by status (matched, missed, false positive) and by kind.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".filters input[data-hide]"), function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("hide-" + box.getAttribute("data-hide"), !box.checked);
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".filters input[data-view]"), function (radio) {
    radio.addEventListener("change", function () {
      document.body.classList.toggle("view-kind", radio.checked && radio.value === "kind");
    });
  });
})();
