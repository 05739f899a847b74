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
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
