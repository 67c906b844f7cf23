// Small enhancements; every page works without this file.
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');
  token = token ? token.getAttribute("content") : "";

  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  // Live Markdown preview, rendered on the server by the same function that stores it.
  function enhancePreview(textarea) {
    var target = document.getElementById(textarea.getAttribute("data-preview-target"));
    if (!target) return;
    var body = target.querySelector(".prose");
    var update = debounce(function () {
      var text = textarea.value;
      if (!text.trim()) { target.hidden = true; body.innerHTML = ""; return; }
      var data = new FormData();
      data.append("text", text);
      fetch("/preview", { method: "POST", body: data, headers: { "X-CSRFToken": token }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (json) {
          if (!json) return;
          body.innerHTML = json.html;  // sanitised by the server's one rendering function
          target.hidden = false;
        })
        .catch(function () {});
    }, 300);
    textarea.addEventListener("input", update);
  }

  // A live character counter for fields with a maximum length.
  function enhanceCounter(field) {
    var max = parseInt(field.getAttribute("maxlength"), 10);
    if (!max) return;
    var counter = document.createElement("p");
    counter.className = "counter";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    function show() { counter.textContent = field.value.length + " / " + max; }
    field.addEventListener("input", show);
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-preview-target]").forEach(enhancePreview);
    document.querySelectorAll("textarea[maxlength]").forEach(enhanceCounter);
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  });
})();
