// The review page: select a highlight (or a list item) to show its details; filter by kind.
(function () {
  "use strict";
  var text = document.getElementById("text");
  var details = document.getElementById("details");
  var hint = details.querySelector(".hint");

  function hidden(kind) {
    return document.body.classList.contains("hide-" + kind);
  }

  function kindOf(element) {
    var match = /\b(?:hl|who)-(quote|claim|event)\b/.exec(element.className);
    return match ? match[1] : null;
  }

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  var current = [];

  // Show the details of `keys` (innermost first); outline the first one's highlight.
  function select(keys, scroll) {
    current = keys;
    each("#text mark.selected, .item.selected", function (el) { el.classList.remove("selected"); });
    each(".detail", function (el) { el.hidden = true; });
    hint.hidden = keys.length > 0;
    keys.forEach(function (key) {
      var detail = details.querySelector('[data-detail="' + key + '"]');
      if (detail) { detail.hidden = false; }
    });
    if (!keys.length) { return; }
    var first = keys[0];
    each('#text mark[data-item="' + first + '"], #text mark[data-for~="' + first + '"]',
      function (el) { el.classList.add("selected"); });
    var entry = document.querySelector('.item[data-item="' + first + '"]');
    if (entry) {
      entry.classList.add("selected");
      reveal(entry);
    }
    if (scroll) {
      var mark = text.querySelector('mark[data-item="' + first + '"]');
      if (mark) { mark.scrollIntoView({ block: "center", behavior: "smooth" }); }
    }
  }

  // Scroll the item list (only it, not the page) so that `entry` is in view.
  function reveal(entry) {
    var box = entry.closest(".items");
    var top = entry.offsetTop;
    if (top < box.scrollTop + 40 || top + entry.offsetHeight > box.scrollTop + box.clientHeight) {
      box.scrollTop = Math.max(0, top - box.clientHeight / 3);
    }
  }

  // The clicked highlight and every highlight around it, skipping filtered-out kinds.
  function keysAt(mark) {
    var keys = [];
    for (var el = mark; el && el !== text; el = el.parentElement) {
      // A marked name (mark.who) stands for the items it names the speaker of.
      var found = (el.getAttribute("data-for") || el.getAttribute("data-item") || "").split(" ");
      found.forEach(function (key) {
        if (el.tagName === "MARK" && key && !hidden(kindOf(el)) && keys.indexOf(key) < 0) {
          keys.push(key);
        }
      });
    }
    return keys;
  }

  function onMark(event) {
    var mark = event.target.closest("mark.hl, mark.who");
    if (mark) { select(keysAt(mark), false); }
  }

  text.addEventListener("click", onMark);
  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); onMark(event); }
  });

  each(".item", function (item) {
    function choose() { select([item.getAttribute("data-item")], true); }
    item.addEventListener("click", choose);
    item.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); choose(); }
    });
  });

  each(".filters input[data-kind]", function (box) {
    box.addEventListener("change", function () {
      var kind = box.getAttribute("data-kind");
      document.body.classList.toggle("hide-" + kind, !box.checked);
      // Keep showing only what is still visible (or the hint when nothing is).
      select(current.filter(function (key) {
        var mark = text.querySelector('mark[data-item="' + key + '"]');
        return mark && !hidden(kindOf(mark));
      }), false);
    });
  });
})();
