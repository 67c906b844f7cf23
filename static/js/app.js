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
    var url = textarea.getAttribute("data-preview-url");  // url_for('plans.preview'), so a sub-path works
    if (!target || !url) return;
    var body = target.querySelector(".prose");
    var update = debounce(function () {
      var text = textarea.value;
      if (!text.trim()) { target.hidden = true; body.innerHTML = ""; return; }
      var data = new FormData();
      data.append("text", text);
      fetch(url, { method: "POST", body: data, headers: { "X-CSRFToken": token }, credentials: "same-origin" })
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

  // Comments on a passage. The action's text is a <dl class="action-fields"> whose <dd data-field>
  // hold the fields. With the comment form on the page, selecting words there shows a button
  // "Comment on this passage", and a small "Quote" button follows each paragraph (the keyboard and
  // touch path); either fills the form's hidden anchor_* inputs, which the server checks against
  // the same text. Without JavaScript the form's "Comment on a passage" select does the job.
  // The passages that comments quote are highlighted with <mark class="passage">.
  var BLOCK_END = /^(P|LI|H3|H4|H5|H6|BLOCKQUOTE|PRE|TR)$/;  // the server ends a line after these
  var BLOCK = /^(P|LI|UL|OL|H[1-6]|BLOCKQUOTE|PRE|TABLE|THEAD|TBODY|TR|TH|TD|DIV|HR)$/;
  var CONTEXT = 40;      // characters of text kept before and after a quote (consult/diffing/anchors.py)
  var QUOTE_MAX = 1000;  // the longest quote the server accepts (consult/comments/models.py)

  function collapse(text) { return text.replace(/\s+/g, " "); }

  function ownControl(node) {
    return node.nodeType === 1 && node.classList.contains("quote-button");
  }

  // A field's text as the server reads it (html_to_text in consult/core/rendering.py): the text
  // nodes in order, a line break after each block and at each <br>; our own buttons left out.
  // `breaks` are where paragraphs and list items start and end, as a reader sees them (the
  // text's own line breaks are only where the Markdown source wrapped its lines).
  function textModel(root) {
    var parts = [], breaks = [0], text = "";
    (function walk(node) {
      for (var child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 3) {
          parts.push({ node: child, start: text.length });
          text += child.data;
        } else if (child.nodeType === 1 && !ownControl(child)) {
          if (child.tagName === "BR") { text += "\n"; breaks.push(text.length); continue; }
          var block = BLOCK.test(child.tagName);
          if (block) breaks.push(text.length);
          walk(child);
          if (BLOCK_END.test(child.tagName)) text += "\n";
          if (block) breaks.push(text.length);
        }
      }
    })(root);
    breaks.push(text.length);
    return { text: text, parts: parts, breaks: breaks };
  }

  // The position in the model's text of a DOM point (a range boundary).
  function indexAt(model, container, offset) {
    for (var i = 0; container.nodeType === 3 && i < model.parts.length; i++) {
      if (model.parts[i].node === container) return model.parts[i].start + offset;
    }
    var point = document.createRange();
    point.setStart(container, offset);
    for (var j = 0; j < model.parts.length; j++) {
      if (point.comparePoint(model.parts[j].node, 0) >= 0) return model.parts[j].start;
    }
    return model.text.length;
  }

  // The anchor for text[start:end] of a field: the quote with its whitespace collapsed, and up to
  // CONTEXT characters of the (collapsed) text on each side.
  function anchorFor(field, text, start, end) {
    var raw = text.slice(start, end);
    var quote = collapse(raw).trim();
    if (!quote) return null;
    var before = collapse(text.slice(0, start) + (/^\s/.test(raw) ? " " : "")).replace(/^ /, "");
    var after = collapse((/\s$/.test(raw) ? " " : "") + text.slice(end)).replace(/ $/, "");
    return { field: field, quote: quote, prefix: before.slice(-CONTEXT), suffix: after.slice(0, CONTEXT) };
  }

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // Wrap each quoted passage in <mark class="passage">, when it stands in one text node of its field.
  function highlightPassages(fields) {
    document.querySelectorAll("blockquote[data-anchor-field]").forEach(function (quote) {
      var status = quote.getAttribute("data-anchor-status");
      if (status !== "exact" && status !== "edited") return;
      var field = quote.getAttribute("data-anchor-field");
      var dd = fields.querySelector('dd[data-field="' + (window.CSS && CSS.escape ? CSS.escape(field) : field) + '"]');
      // On a later version the passage may have been edited: mark it as it reads now.
      var words = collapse(quote.getAttribute("data-anchor-found") || quote.textContent).trim();
      if (!dd || !words) return;
      var pattern = new RegExp(words.split(" ").map(escapeRegExp).join("\\s+"));
      var parts = textModel(dd).parts;
      for (var i = 0; i < parts.length; i++) {
        var node = parts[i].node;
        var found = pattern.exec(node.data);
        if (!found) continue;
        var parent = node.parentNode;
        if (parent.tagName === "MARK" && parent.childNodes.length === 1 && found[0] === node.data) return;  // already marked
        var passage = node.splitText(found.index);
        passage.splitText(found[0].length);
        var mark = document.createElement("mark");
        mark.className = "passage";
        parent.replaceChild(mark, passage);
        mark.appendChild(passage);
        return;
      }
    });
  }

  function enhancePassages() {
    var fields = document.querySelector("dl.action-fields");
    if (!fields || !document.querySelector(".discussion")) return;
    highlightPassages(fields);

    var form = document.querySelector("form.comment-form");
    var section = form && form.closest("[data-passage-label]");
    var shown = form && form.querySelector(".selected-passage");
    var select = form && form.querySelector('select[name="quote_paragraph"]');
    var textarea = form && form.querySelector('textarea[name="body"]');
    var inputs = {};
    ["field", "quote", "prefix", "suffix"].forEach(function (name) {
      inputs[name] = form && form.querySelector('input[name="anchor_' + name + '"]');
    });
    if (!section || !shown || !textarea || !inputs.field || !inputs.quote) return;
    var words = function (name) { return section.getAttribute(name) || ""; };
    var holder = fields.closest("[lang]");
    var contentLang = holder ? holder.getAttribute("lang") : "";
    if (!shown.id) shown.id = "selected-passage";
    var describedBy = textarea.getAttribute("aria-describedby") || "";

    function showChosen(quote) {
      shown.textContent = "";
      var label = document.createElement("span");
      label.className = "selected-passage__label";
      label.textContent = shown.getAttribute("data-selected-label") + " ";
      var q = document.createElement("q");
      if (contentLang) q.lang = contentLang;
      q.textContent = quote;
      var clear = document.createElement("button");
      clear.type = "button";
      clear.className = "link-button selected-passage__clear";
      clear.textContent = shown.getAttribute("data-clear-label");
      clear.addEventListener("click", function () {
        forget();
        (select || textarea).focus();
      });
      shown.appendChild(label);
      shown.appendChild(q);
      shown.appendChild(document.createTextNode(" "));
      shown.appendChild(clear);
      shown.hidden = false;
      textarea.setAttribute("aria-describedby", (describedBy + " " + shown.id).trim());
    }

    function forget() {
      Object.keys(inputs).forEach(function (name) { if (inputs[name]) inputs[name].value = ""; });
      shown.hidden = true;
      shown.textContent = "";
      if (describedBy) textarea.setAttribute("aria-describedby", describedBy);
      else textarea.removeAttribute("aria-describedby");
    }

    function choose(anchor) {
      Object.keys(inputs).forEach(function (name) { if (inputs[name]) inputs[name].value = anchor[name]; });
      if (select) select.value = "";
      showChosen(anchor.quote);
      textarea.focus();
    }

    if (select) select.addEventListener("change", function () { if (select.value) forget(); });
    if (inputs.quote.value) showChosen(inputs.quote.value);  // the form came back (a preview, an error)

    // -- a "Quote" button after each paragraph or list item ---------------------------------
    fields.querySelectorAll("dd[data-field]").forEach(function (dd) {
      var model = textModel(dd);
      var text = model.text, places = [];
      for (var b = 1; b < model.breaks.length; b++) {
        var piece = text.slice(model.breaks[b - 1], model.breaks[b]);
        var start = model.breaks[b - 1] + (piece.length - piece.replace(/^\s+/, "").length);
        var end = model.breaks[b - 1] + piece.replace(/\s+$/, "").length;
        var anchor = end > start ? anchorFor(dd.getAttribute("data-field"), text, start, end) : null;
        if (anchor && anchor.quote.length <= QUOTE_MAX) places.push({ end: end, anchor: anchor });
      }
      places.reverse().forEach(function (place) {  // from the end, so splitting a text node moves nothing still to do
        var part = null;
        for (var i = model.parts.length - 1; i >= 0; i--) {
          if (model.parts[i].start < place.end) { part = model.parts[i]; break; }
        }
        if (!part) return;
        var node = part.node;
        if (place.end - part.start < node.data.length) node.splitText(place.end - part.start);
        // After the paragraph's last words, but outside inline elements that end there (<strong>, <a>…).
        while (node.parentNode !== dd && !BLOCK.test(node.parentNode.tagName) &&
               !/\S/.test(trailing(node))) node = node.parentNode;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "quote-button";
        button.textContent = words("data-quote-label");
        // Twelve buttons with one name cannot be told apart by ear: each also says which paragraph.
        var which = document.createElement("span");
        which.className = "visually-hidden";
        which.textContent = ": " + firstWords(place.anchor.quote, 6);
        button.appendChild(which);
        button.addEventListener("click", function () { choose(place.anchor); });
        node.parentNode.insertBefore(button, node.nextSibling);
      });
    });

    function firstWords(text, count) {  // "the first few words…" of a paragraph
      var all = text.split(/\s+/);
      return all.slice(0, count).join(" ") + (all.length > count ? "…" : "");
    }

    function trailing(node) {  // the text after a node inside its parent
      var rest = "";
      for (var n = node.nextSibling; n; n = n.nextSibling) rest += n.textContent;
      return rest;
    }

    // -- a "Comment on this passage" button by a selection ----------------------------------
    var article = fields.parentNode;
    article.classList.add("has-passage-button");
    var floating = document.createElement("button");
    floating.type = "button";
    floating.className = "button button--small passage-button";
    floating.textContent = words("data-passage-label");
    floating.hidden = true;
    fields.insertAdjacentElement("afterend", floating);
    var pending = null, pointerDown = false;

    function hideButton() { floating.hidden = true; pending = null; }

    function fieldOf(node) {
      var element = node.nodeType === 1 ? node : node.parentNode;
      var dd = element && element.closest ? element.closest("dd[data-field]") : null;
      return dd && fields.contains(dd) ? dd : null;
    }

    function selected() {
      var selection = window.getSelection();
      if (!selection || !selection.rangeCount || selection.isCollapsed) return null;
      var range = selection.getRangeAt(0);
      var dd = fieldOf(range.startContainer) || fieldOf(range.endContainer);
      if (!dd) return null;
      var model = textModel(dd);
      var start = dd.contains(range.startContainer) ? indexAt(model, range.startContainer, range.startOffset) : 0;
      var end = dd.contains(range.endContainer) ? indexAt(model, range.endContainer, range.endOffset) : model.text.length;
      var anchor = end > start ? anchorFor(dd.getAttribute("data-field"), model.text, start, end) : null;
      return anchor && anchor.quote.length <= QUOTE_MAX ? { anchor: anchor, range: range } : null;
    }

    function offerButton() {
      var found = selected();
      if (!found) { hideButton(); return; }
      pending = found.anchor;
      var rects = found.range.getClientRects();
      var last = rects.length ? rects[rects.length - 1] : found.range.getBoundingClientRect();
      var box = article.getBoundingClientRect();
      floating.hidden = false;
      var left = Math.max(0, Math.min(last.right - box.left - floating.offsetWidth / 2, box.width - floating.offsetWidth));
      floating.style.left = left + "px";
      floating.style.top = (last.bottom - box.top + 6) + "px";
    }

    floating.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the selection
    floating.addEventListener("click", function () {
      var anchor = pending;
      hideButton();
      if (anchor) choose(anchor);
    });
    var later = debounce(function () { if (!pointerDown) offerButton(); }, 300);
    document.addEventListener("mousedown", function (event) {
      if (event.target !== floating) pointerDown = true;
    });
    document.addEventListener("mouseup", function (event) {
      pointerDown = false;
      if (event.target !== floating) setTimeout(offerButton, 0);
    });
    document.addEventListener("selectionchange", function () {  // keyboard and touch selections
      var selection = window.getSelection();
      if (!selection || selection.isCollapsed) { if (document.activeElement !== floating) hideButton(); return; }
      later();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !floating.hidden) hideButton();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-preview-target]").forEach(enhancePreview);
    document.querySelectorAll("textarea[maxlength]").forEach(enhanceCounter);
    enhanceReplies();
    enhancePassages();
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  });
})();
