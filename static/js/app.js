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

  // Replies: a "Reply" link opens a form under its comment instead of the reply page. The form
  // copies the main comment form's text field (label, Markdown hint, preview) and posts to the
  // same address with the comment's id as parent_id. Its words come from the page
  // (data-reply-* attributes, translated on the server). Without the main form the link is followed.
  function enhanceReplies() {
    var main = document.querySelector("form.comment-form");
    var field = main && main.querySelector(".markdown-field");
    var section = main && main.closest("[data-reply-label]");
    if (!field || !section || !field.querySelector("textarea")) return;
    var text = function (name) { return section.getAttribute("data-reply-" + name) || ""; };
    var open = null;  // { link, form }

    function hidden(form, name, value) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }

    function button(type, className, label) {
      var b = document.createElement("button");
      b.type = type;
      b.className = className;
      b.textContent = label;
      return b;
    }

    function close(returnFocus) {
      if (!open) return;
      var link = open.link;
      open.form.remove();
      link.setAttribute("aria-expanded", "false");
      link.removeAttribute("aria-controls");
      open = null;
      if (returnFocus) link.focus();
    }

    function build(link, id) {
      var prefix = "reply-" + id;
      var form = document.createElement("form");
      form.method = "post";
      form.action = main.getAttribute("action");
      form.noValidate = true;
      form.className = "inline-reply";
      form.id = prefix + "-form";
      form.setAttribute("aria-label", link.getAttribute("data-reply-title") || text("label"));
      hidden(form, "csrf_token", token);
      hidden(form, "parent_id", id);

      var copy = field.cloneNode(true);
      copy.classList.remove("field--error");
      copy.querySelectorAll(".error, .counter").forEach(function (el) { el.remove(); });
      var label = copy.querySelector("label");
      var hint = copy.querySelector(".hint");
      var textarea = copy.querySelector("textarea");
      var preview = copy.querySelector(".preview");
      textarea.id = prefix + "-body";
      textarea.textContent = "";
      textarea.value = "";
      textarea.removeAttribute("aria-invalid");
      if (label) {
        label.htmlFor = textarea.id;
        if (text("label")) label.textContent = text("label");
      }
      if (hint) {
        hint.id = prefix + "-hint";
        textarea.setAttribute("aria-describedby", hint.id);
      } else {
        textarea.removeAttribute("aria-describedby");
      }
      if (preview) {
        preview.id = prefix + "-preview";
        preview.hidden = true;
        preview.querySelector(".prose").innerHTML = "";
        if (text("preview")) preview.setAttribute("aria-label", text("preview"));
        textarea.setAttribute("data-preview-target", preview.id);
      }
      form.appendChild(copy);

      var actions = document.createElement("div");
      actions.className = "form-actions";
      var send = button("submit", "button", text("send"));
      send.name = "submit";
      send.value = "1";
      var cancel = button("button", "button button--secondary", text("cancel"));
      cancel.addEventListener("click", function () { close(true); });
      actions.appendChild(send);
      actions.appendChild(cancel);
      form.appendChild(actions);
      form.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { event.preventDefault(); close(true); }
      });
      return form;
    }

    document.querySelectorAll("a[data-reply]").forEach(function (link) {
      link.setAttribute("aria-expanded", "false");
    });
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-reply]") : null;
      if (!link || event.defaultPrevented || event.button !== 0 ||
          event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;  // a new tab: the reply page
      var id = link.getAttribute("data-reply");
      var comment = document.getElementById("c" + id) || link.closest("article");
      if (!comment) return;
      event.preventDefault();
      if (open && open.link === link) { open.form.querySelector("textarea").focus(); return; }
      close(false);
      var form = build(link, id);
      comment.appendChild(form);
      var textarea = form.querySelector("textarea");
      if (textarea.hasAttribute("data-preview-target")) enhancePreview(textarea);  // needs the form in the page
      enhanceCounter(textarea);
      link.setAttribute("aria-expanded", "true");
      link.setAttribute("aria-controls", form.id);
      open = { link: link, form: form };
      textarea.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-preview-target]").forEach(enhancePreview);
    document.querySelectorAll("textarea[maxlength]").forEach(enhanceCounter);
    enhanceReplies();
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  });
})();
