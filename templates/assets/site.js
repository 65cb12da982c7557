// Hearth theme: the search box (over search.json) and the light/dark switch.
// Pages work without this file: without JavaScript both controls stay hidden and the
// header offers a link to the tags index (every post, by tag) in the search box's place.
(function () {
  "use strict";
  var root = document.documentElement;
  var toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var dark = root.dataset.theme ? root.dataset.theme === "dark"
        : matchMedia("(prefers-color-scheme: dark)").matches;
      root.dataset.theme = dark ? "light" : "dark";
      try { localStorage.setItem("hearth-theme", root.dataset.theme); } catch (e) { /* private mode */ }
    });
  }
  var current = document.querySelector(".site-nav [aria-current]");
  var nav = document.querySelector(".site-nav");
  if (current) {   // phones: the menu scrolls sideways; bring the current item into view
    var past = current.getBoundingClientRect().right - nav.getBoundingClientRect().right + 48;
    if (past > 0) nav.scrollLeft += past;
  }
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var list = form.querySelector(".search-results");
  var index = null;
  function load() {
    if (!index) {
      index = fetch(form.dataset.index).then(function (r) { return r.json(); })
        .catch(function () { index = null; return []; });
    }
    return index;
  }
  function fold(s) { return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function day(iso) {
    try { return new Date(iso + "T12:00:00").toLocaleDateString(root.lang, { dateStyle: "medium" }); }
    catch (e) { return iso; }
  }
  function el(tag, text) { var e = document.createElement(tag); if (text) e.textContent = text; return e; }
  function show(entries, q) {
    list.textContent = "";
    if (!q) { list.hidden = true; return; }
    var words = fold(q).split(/\s+/).filter(Boolean);
    var hits = [];
    entries.forEach(function (e) {
      var title = fold(e.title), hay = title + " " + fold(e.summary + " " + e.tags.join(" "));
      if (!words.every(function (w) { return hay.indexOf(w) !== -1; })) return;
      var score = words.filter(function (w) { return title.indexOf(w) !== -1; }).length;
      hits.push([score, e]);
    });
    hits.sort(function (a, b) { return b[0] - a[0]; });
    if (!hits.length) { var li = el("li", list.dataset.empty); li.className = "empty"; list.appendChild(li); }
    hits.slice(0, 8).forEach(function (h) {
      var e = h[1], li = el("li"), a = el("a");
      a.href = e.url;
      if (e.lang) a.lang = e.lang;
      a.appendChild(el("strong", e.title));
      if (e.date) a.appendChild(el("small", day(e.date)));
      li.appendChild(a); list.appendChild(li);
    });
    list.hidden = false;
  }
  function update() { var q = input.value.trim(); load().then(function (entries) { show(entries, q); }); }
  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
  input.addEventListener("input", update);
  input.addEventListener("focus", function () { load(); if (input.value.trim()) update(); });
  form.addEventListener("keydown", function (ev) {
    var all = links(), i = all.indexOf(document.activeElement);
    if (ev.key === "Escape") { list.hidden = true; input.focus(); }
    else if (ev.key === "ArrowDown" && all.length) { ev.preventDefault(); all[Math.min(i + 1, all.length - 1)].focus(); }
    else if (ev.key === "ArrowUp" && i !== -1) { ev.preventDefault(); (i ? all[i - 1] : input).focus(); }
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    load().then(function (entries) {
      show(entries, input.value.trim());
      var first = list.querySelector("a");
      if (first) location.href = first.href;
    });
  });
  document.addEventListener("click", function (ev) { if (!form.contains(ev.target)) list.hidden = true; });
})();
