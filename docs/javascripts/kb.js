/* Reader features that need a script. Without JavaScript every page stays complete and
   readable: these only reorder, filter or reveal what is already in the page. No cookies,
   no requests: the audience choice is kept in localStorage on the reader's device. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("kb-js");
  var KEY = "kb-audience";

  function stored() {
    try { return window.localStorage.getItem(KEY) === "clinician" ? "clinician" : "patient"; }
    catch (e) { return "patient"; }
  }

  function store(value) {
    try { window.localStorage.setItem(KEY, value); } catch (e) { /* private mode: not kept */ }
  }

  /* The "For clinicians" section: its h2 and everything up to the next h2. */
  function clinicianSection(article) {
    var heading = article.querySelector("h2#for-clinicians");
    if (!heading) { return null; }
    var nodes = [heading];
    for (var node = heading.nextElementSibling; node && node.tagName !== "H2"; node = node.nextElementSibling) {
      nodes.push(node);
    }
    return nodes;
  }

  function applyAudience(value) {
    root.setAttribute("data-audience", value);
    var article = document.querySelector("article.md-content__inner");
    var switcher = article && article.querySelector(".kb-audience");
    if (!article || !switcher) { return; }
    switcher.querySelectorAll("button[data-audience]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-audience") === value));
    });
    var section = clinicianSection(article);
    if (!section) { return; }
    if (!section[0].__kbHome) {  /* remember where the author put it */
      section[0].__kbHome = section[section.length - 1].nextElementSibling;
    }
    var anchor = value === "clinician" ? switcher.nextElementSibling : section[0].__kbHome;
    section.forEach(function (node) {
      if (anchor) { article.insertBefore(node, anchor); } else { article.appendChild(node); }
    });
  }

  function reviewDue() {
    var today = new Date().toISOString().slice(0, 10);
    document.querySelectorAll(".kb-review-box[data-next-due]").forEach(function (box) {
      var due = box.getAttribute("data-next-due");
      var warning = box.querySelector(".kb-overdue");
      if (due && warning && due < today) { warning.hidden = false; }
    });
  }

  function filters() {
    document.querySelectorAll("select[data-filter-table]").forEach(function (select) {
      var table = document.getElementById(select.getAttribute("data-filter-table"));
      if (!table) { return; }
      select.addEventListener("change", function () {
        table.querySelectorAll("tbody tr").forEach(function (row) {
          var tag = row.querySelector("[data-conditions]");
          var ids = tag ? tag.getAttribute("data-conditions").split(" ") : [];
          row.hidden = select.value !== "" && ids.indexOf(select.value) === -1;
        });
      });
    });
  }

  // "Cite this page": copy the citation's text (no third-party script; the Clipboard API, else a selection)
  function copyButtons() {
    document.querySelectorAll("button.kb-copy[data-copy-target]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy-target"));
        if (!target) return;
        var text = target.textContent;
        function done() {
          button.textContent = "Copied";
          window.setTimeout(function () { button.textContent = "Copy"; }, 2000);
        }
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, function () { select(target); });
        } else {
          select(target);
        }
      });
    });
  }

  function select(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }


  // Search: the page about what the reader typed comes first. Material's full-text results rank a
  // page by how often words occur, so "scalp" or a brand name in a study title can win; the pages'
  // own titles, other names and "what people notice" (search-terms.json, generated from front matter)
  // decide a "Best match" shown above them, when one page clearly matches best.
  var STOP = ["a", "an", "and", "the", "of", "for", "in", "on", "to", "with", "my", "is", "are", "do", "does",
              "can", "what", "how", "after", "from", "at", "or", "by", "side", "effect", "effects"];
  var terms = null;
  var loading = false;

  function words(text) {
    // "Shedding all over, without bald patches": what follows "without" or "no" is what the page is not
    var kept = text.toLowerCase().split(/\b(?:without|no|not)\b/)[0];
    return (kept.match(/[a-z0-9\u00c0-\u024f]+/g) || []).filter(function (w) {
      return STOP.indexOf(w) === -1;
    }).map(function (w) {
      if (w.length > 4 && /ies$/.test(w)) return w.slice(0, -3) + "y";
      if (w.length > 4 && /(ch|sh|x|ss)es$/.test(w)) return w.slice(0, -2);
      if (w.length > 3 && /s$/.test(w) && !/ss$/.test(w)) return w.slice(0, -1);
      return w;
    });
  }

  function loadTerms() {
    if (terms || loading) return;
    loading = true;
    var config = document.getElementById("__config");
    var base = config ? (JSON.parse(config.textContent).base || ".") : ".";
    fetch(base.replace(/\/$/, "") + "/search-terms.json").then(function (response) {
      return response.ok ? response.json() : [];
    }).then(function (data) {
      var df = {};
      data.forEach(function (page) {
        page.words = {};
        page.phrases = page.terms.map(function (t) { return words(t).join(" "); });
        page.terms.forEach(function (t) { words(t).forEach(function (w) { page.words[w] = true; }); });
        Object.keys(page.words).forEach(function (w) { df[w] = (df[w] || 0) + 1; });
      });
      terms = {pages: data, df: df, base: base};
      update();
    }, function () { terms = {pages: [], df: {}, base: base}; });
  }

  function bestMatch(query) {
    var q = words(query);
    if (!terms || !q.length) return null;
    var n = terms.pages.length, known = q.filter(function (w) { return terms.df[w]; });
    if (!known.length) return null;
    var total = 0;
    known.forEach(function (w) { total += Math.log(1 + n / terms.df[w]); });
    var phrase = q.join(" ");
    var scored = terms.pages.map(function (page) {
      var score = 0;
      known.forEach(function (w) { if (page.words[w]) score += Math.log(1 + n / terms.df[w]); });
      if (page.phrases.some(function (p) { return p === phrase; })) score += total;
      else if (phrase.length > 3 && page.phrases.some(function (p) { return (" " + p + " ").indexOf(" " + phrase + " ") !== -1; })) score += total / 2;
      return {page: page, score: score};
    }).sort(function (a, b) { return b.score - a.score; });
    var best = scored[0], next = scored[1];
    if (!best || best.score < 0.6 * total || (next && next.score >= best.score)) return null;
    return best.page;
  }

  function update() {
    var input = document.querySelector("input.md-search__input");
    var list = document.querySelector(".md-search-result__list");
    if (!input || !list) return;
    var old = list.querySelector(".kb-best-match");
    var page = bestMatch(input.value);
    var href = page ? terms.base.replace(/\/$/, "") + "/" + page.url : null;
    if (old && (!page || old.getAttribute("data-url") !== page.url)) old.remove();
    if (!page || list.querySelector(".kb-best-match")) return;
    var item = document.createElement("li");
    item.className = "md-search-result__item kb-best-match";
    item.setAttribute("data-url", page.url);
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = href;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var title = document.createElement("h1");
    title.textContent = page.title;
    var note = document.createElement("p");
    note.textContent = "Best match: the page about " + (page.type === "condition" ? "this condition" : "this treatment");
    article.appendChild(title);
    article.appendChild(note);
    link.appendChild(article);
    item.appendChild(link);
    list.insertBefore(item, list.firstChild);
  }

  function searchBestMatch() {
    var input = document.querySelector("input.md-search__input");
    var list = document.querySelector(".md-search-result__list");
    if (!input || !list) return;
    input.addEventListener("focus", loadTerms);
    input.addEventListener("input", loadTerms);
    new MutationObserver(function () { update(); }).observe(list, {childList: true});
    input.addEventListener("input", function () { window.setTimeout(update, 0); });
  }

  // Footnote tooltips as Material draws them (its classes and positions), made for the marker the reader
  // points at or focuses, not for every marker when the page loads (overrides/partials/on-demand.html
  // turns Material's own off when it turns these on): the reference opens above or below its marker,
  // stays while the pointer is on the marker or in the tooltip, and goes 250 ms after it leaves both.
  function footnoteTooltips() {
    if (!root.hasAttribute("data-kb-footnote-tooltips")) return;
    var open = null, count = 0;

    function marker(node) {
      return node && node.closest ? node.closest(".md-content a.footnote-ref") : null;
    }

    function place(tip, host) {
      var box = host.getBoundingClientRect();
      tip.style.setProperty("--md-tooltip-host-x", (box.left + window.scrollX) + "px");
      tip.style.setProperty("--md-tooltip-host-y", (box.top + window.scrollY) + "px");
      tip.style.setProperty("--md-tooltip-x", (box.width / 2) + "px");
      var y = box.top >= window.innerHeight / 2 ? -16 - tip.offsetHeight : 16 + box.height;
      tip.style.setProperty("--md-tooltip-y", y + "px");
      tip.classList.toggle("md-tooltip2--top", y < 0);
      tip.classList.toggle("md-tooltip2--bottom", y >= 0);
    }

    function close(state) {
      if (open === state) open = null;
      window.clearTimeout(state.timer);
      state.host.removeAttribute("aria-controls");
      state.host.removeAttribute("aria-haspopup");
      state.tip.classList.remove("md-tooltip2--active");
      window.setTimeout(function () { state.tip.remove(); }, 250);
    }

    function later(state) {
      window.clearTimeout(state.timer);
      state.timer = window.setTimeout(function () {
        if (!state.host.matches(":hover") && !state.tip.matches(":hover") && document.activeElement !== state.host) {
          close(state);
        }
      }, 250);
    }

    function show(host) {
      if (open && open.host === host) { window.clearTimeout(open.timer); return; }
      var item = document.getElementById(decodeURIComponent(host.hash.slice(1)));
      if (!item) return;
      if (open) close(open);
      var tip = document.createElement("div");
      tip.className = "md-tooltip2";
      tip.setAttribute("role", "dialog");
      tip.id = "__tooltip2_kb_" + (count++);
      var inner = document.createElement("div");
      inner.className = "md-tooltip2__inner md-typeset";
      Array.prototype.slice.call(item.cloneNode(true).children).forEach(function (child) { inner.appendChild(child); });
      tip.appendChild(inner);
      document.body.appendChild(tip);
      var state = {host: host, tip: tip, timer: null};
      place(tip, host);
      host.setAttribute("aria-controls", tip.id);
      host.setAttribute("aria-haspopup", "dialog");
      tip.addEventListener("mouseenter", function () { window.clearTimeout(state.timer); });
      tip.addEventListener("mouseleave", function () { later(state); });
      window.requestAnimationFrame(function () { tip.classList.add("md-tooltip2--active"); });
      open = state;
    }

    document.addEventListener("mouseover", function (event) {
      var host = marker(event.target);
      if (host) show(host);
    });
    document.addEventListener("mouseout", function (event) {
      var host = marker(event.target);
      if (host && open && open.host === host && !host.contains(event.relatedTarget)) later(open);
    });
    document.addEventListener("focusin", function (event) {
      var host = marker(event.target);
      if (host) show(host);
    });
    document.addEventListener("focusout", function (event) {
      var host = marker(event.target);
      if (host && open && open.host === host) later(open);
    });
  }

  function start() {
    applyAudience(stored());
    document.querySelectorAll(".kb-audience button[data-audience]").forEach(function (button) {
      button.addEventListener("click", function () {
        var value = button.getAttribute("data-audience");
        store(value);
        applyAudience(value);
      });
    });
    reviewDue();
    filters();
    copyButtons();
    searchBestMatch();
    footnoteTooltips();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
