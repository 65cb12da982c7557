// Hearth theme: search box over search.json and the light/dark switch.
// The pages work without this file; it only adds these two conveniences.
(function () {
  "use strict";
  var root = document.documentElement;
  var toggle = document.querySelector(".theme-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var dark = root.dataset.theme ? root.dataset.theme === "dark"
        : window.matchMedia("(prefers-color-scheme: dark)").matches;
      root.dataset.theme = dark ? "light" : "dark";
      try { localStorage.setItem("hearth-theme", root.dataset.theme); } catch (e) { /* private mode */ }
    });
  }
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var list = form.querySelector(".search-results");
  var index = null;
  function load() {
    if (index) return Promise.resolve(index);
    return fetch(form.dataset.index).then(function (r) { return r.json(); })
      .then(function (data) { index = data; return data; });
  }
  function fold(s) { return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function show(q) {
    list.textContent = "";
    if (!q) { list.hidden = true; return; }
    var words = fold(q).split(/\s+/).filter(Boolean);
    var hits = index.filter(function (e) {
      var hay = fold(e.title + " " + e.summary + " " + e.tags.join(" "));
      return words.every(function (w) { return hay.indexOf(w) !== -1; });
    }).slice(0, 8);
    if (!hits.length) {
      var li = document.createElement("li"); li.className = "empty"; li.textContent = list.dataset.empty; list.appendChild(li);
    }
    hits.forEach(function (e) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = e.url; a.textContent = e.title; li.appendChild(a); list.appendChild(li);
    });
    list.hidden = false;
  }
  list.hidden = true;
  input.addEventListener("input", function () { load().then(function () { show(input.value.trim()); }); });
  input.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { input.value = ""; show(""); } });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    load().then(function () { var first = list.querySelector("a"); if (first) window.location.href = first.href; });
  });
})();
