// Progressive enhancement only: the pages work without JavaScript.
(function () {
  "use strict";
  var form = document.getElementById("check-form");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    var b = document.getElementById("check-button");
    if (b) { b.disabled = true; b.textContent = "Checking\u2026"; }
  });
  var results = document.getElementById("results");
  if (results && results.scrollIntoView) { results.scrollIntoView({ behavior: "auto", block: "start" }); }
}());
