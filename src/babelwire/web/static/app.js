// babelwire: highlight the sentences of one fact across the reports of a story (hover, focus or tap).
"use strict";
(function () {
  var current = null;

  function mark(fact, on) {
    var selector = '[data-fact="' + CSS.escape(fact) + '"]';
    document.querySelectorAll(selector).forEach(function (el) {
      el.classList.toggle("hl", on);
    });
  }

  function show(fact) {
    if (current === fact) return;
    if (current !== null) mark(current, false);
    current = fact;
    if (fact !== null) mark(fact, true);
  }

  function factOf(target) {
    var el = target && target.closest ? target.closest("[data-fact]") : null;
    return el ? el.getAttribute("data-fact") : null;
  }

  document.addEventListener("mouseover", function (e) { show(factOf(e.target)); });
  document.addEventListener("focusin", function (e) { show(factOf(e.target)); });
  document.addEventListener("click", function (e) { show(factOf(e.target)); });
})();
