// Progressive enhancement only: the pages work without JavaScript.
(function () {
  "use strict";
  // "copy" buttons (the Sources page): copy the value in data-copy, without any external script
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  function done(button, ok) {
    button.textContent = ok ? "copied" : "select and copy";
    setTimeout(function () { button.textContent = "copy"; }, 1500);
  }
  document.addEventListener("click", function (ev) {
    var button = ev.target;
    if (!button || !button.classList || !button.classList.contains("copy")) { return; }
    var text = button.getAttribute("data-copy") || "";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(button, true); },
                                               function () { done(button, fallbackCopy(text)); });
    } else {
      done(button, fallbackCopy(text));
    }
  });
  var form = document.getElementById("check-form");
  if (!form) { return; }
  form.addEventListener("submit", function () {
    var b = document.getElementById("check-button");
    if (b) { b.disabled = true; b.textContent = "Checking\u2026"; }
  });
  var results = document.getElementById("results");
  if (results && results.scrollIntoView) { results.scrollIntoView({ behavior: "auto", block: "start" }); }
}());
