// The eval report: checkboxes hide highlights by status (matched, missed, false positive)
// and by kind.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".filters input[data-hide]"), function (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("hide-" + box.getAttribute("data-hide"), !box.checked);
    });
  });
})();
