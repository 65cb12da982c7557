// Hearth editorial calendar: filters by channel, status and campaign.
// Progressive: without this script every item shows. The state lives in the
// URL (?channel=a,b&status=…&campaign=…; a group with every box ticked is left
// out), so a reload or a shared link shows the same view.
(function () {
  "use strict";
  var GROUPS = ["channel", "status", "campaign"];
  var form = document.getElementById("filters");

  function boxes(group) {
    return form ? Array.prototype.slice.call(form.querySelectorAll('input[name="' + group + '"]')) : [];
  }

  // group → Set of ticked values, or null when the page has no such group
  function readForm() {
    var state = {};
    GROUPS.forEach(function (group) {
      var inputs = boxes(group);
      if (!inputs.length) { state[group] = null; return; }
      state[group] = new Set(inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; }));
    });
    return state;
  }

  function fromURL() {
    var params = new URLSearchParams(window.location.search);
    GROUPS.forEach(function (group) {
      if (!params.has(group)) { return; }
      var wanted = new Set(params.get(group).split(",").filter(Boolean));
      boxes(group).forEach(function (input) { input.checked = wanted.has(input.value); });
    });
  }

  function query() {
    var params = new URLSearchParams();
    GROUPS.forEach(function (group) {
      var inputs = boxes(group);
      var ticked = inputs.filter(function (i) { return i.checked; });
      if (inputs.length && ticked.length !== inputs.length) {
        params.set(group, ticked.map(function (i) { return i.value; }).join(","));
      }
    });
    var text = params.toString().replace(/%2C/g, ",");
    return text ? "?" + text : "";
  }

  function shown(el, state) {
    var kind = el.dataset.kind;
    if (kind === "blackout" || kind === "blackout-day") {
      // a blackout shows while one of the channels it closes is shown
      if (!state.channel) { return true; }
      var names = (el.dataset.channels || "").split(" ").filter(Boolean);
      if (!names.length) { return true; }
      return names.some(function (n) { return state.channel.has(n); });
    }
    if (state.channel && el.dataset.channel && !state.channel.has(el.dataset.channel)) { return false; }
    if (state.status && el.dataset.status && !state.status.has(el.dataset.status)) { return false; }
    if (state.campaign && el.dataset.campaign !== undefined && el.dataset.campaign !== "" &&
        !state.campaign.has(el.dataset.campaign)) { return false; }
    return true;
  }

  function kindCounted(kind) { return kind === "post" || kind === "channel-post" || kind === "event"; }

  function apply() {
    var state = readForm();
    var items = document.querySelectorAll(".item[data-kind]");
    var total = 0, visible = 0;
    items.forEach(function (el) {
      var show = shown(el, state);
      el.hidden = !show;
      // what the filters' numbers count: each post, channel post and event once (a card,
      // a row or a month chip), not the campaign and blackout bands
      var counted = (el.classList.contains("card") || el.classList.contains("row") || el.classList.contains("chip")) &&
        kindCounted(el.dataset.kind);
      if (counted) { total += 1; if (show) { visible += 1; } }
    });
    // a day of the list with nothing left, and a shaded day whose blackouts are all hidden
    document.querySelectorAll(".day-group").forEach(function (group) {
      group.hidden = !group.querySelector(".card:not([hidden]), .row:not([hidden])");
    });
    document.querySelectorAll(".agenda-month").forEach(function (month) {
      month.hidden = !month.querySelector(".card:not([hidden]), .row:not([hidden])");
    });
    document.querySelectorAll(".filtered-empty").forEach(function (note) {
      note.hidden = !(total > 0 && visible === 0);
    });
    var status = document.getElementById("filter-status");
    var summary = document.getElementById("filter-summary");
    var filtered = visible !== total;
    if (status) { status.textContent = filtered ? "Showing " + visible + " of " + total + " items." : "Showing all " + total + (total === 1 ? " item." : " items."); }
    if (summary) { summary.textContent = filtered ? "(" + visible + " of " + total + " shown)" : "(everything shown)"; }
    var search = query();
    if (search !== window.location.search && !(search === "" && window.location.search === "")) {
      history.replaceState(null, "", window.location.pathname + search + window.location.hash);
    }
    document.querySelectorAll("a[data-keep-query]").forEach(function (a) {
      var base = a.getAttribute("href").split("?")[0].split("#")[0];
      var hash = a.getAttribute("href").indexOf("#") >= 0 ? a.getAttribute("href").slice(a.getAttribute("href").indexOf("#")) : "";
      a.setAttribute("href", base + search + hash);
    });
  }

  function setGroup(group, value) {
    boxes(group).forEach(function (input) { input.checked = value; });
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (form) {
      fromURL();
      form.addEventListener("change", apply);
      form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
      form.querySelectorAll("[data-all]").forEach(function (b) {
        b.addEventListener("click", function () { setGroup(b.dataset.all, true); });
      });
      form.querySelectorAll("[data-none]").forEach(function (b) {
        b.addEventListener("click", function () { setGroup(b.dataset.none, false); });
      });
      var reset = document.getElementById("filter-reset");
      if (reset) { reset.addEventListener("click", function () { GROUPS.forEach(function (g) { boxes(g).forEach(function (i) { i.checked = true; }); }); apply(); }); }
      var box = form.closest("details");
      if (box && window.matchMedia("(max-width: 45rem)").matches && !window.location.search) { box.open = false; }
      apply();
    }
    // the agenda opens at today, unless a link asked for another place
    var head = document.querySelector("[data-today]");
    if (head && !window.location.hash && window.scrollY === 0) {
      var today = document.getElementById(head.dataset.today);
      if (today && !today.hidden) { today.scrollIntoView(); }
    }
  });

  // print what is on screen, with every problem list open
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.problems").forEach(function (d) {
      if (!d.open) { d.dataset.closedBeforePrint = "1"; d.open = true; }
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details.problems[data-closed-before-print]").forEach(function (d) {
      d.open = false; delete d.dataset.closedBeforePrint;
    });
  });
})();
