/* The live situation picture: pages and filters the tables of data.js, opens the rows behind a
   figure (rows/<id>.js, loaded when first asked for), switches the figures to a reported
   half-year. Plain script, no library: it works from file:// and any static server. */
(function () {
  "use strict";
  var D = (window.D9 && window.D9.data) || { tables: {}, periods: {}, texts: {}, lazy: {}, page: 25 };
  var T = D.texts;
  var state = {}; // table key -> {rows: [indices], page: n}

  function say(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }

  function id(data, i) { return data.ids ? data.ids[i] : data.cols[data.idcol][i]; }
  function branchOf(data, i) { return data.branch ? data.branch[i] : data.cols[data.branchcol][i]; }

  function tableFor(key) { return document.querySelector('table[data-table="' + key + '"]'); }

  function draw(key) {
    var data = D.tables[key] || window.D9[key];
    var table = tableFor(key);
    if (!data || !table) { return; }
    var s = state[key];
    var heads = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) { return th.textContent; });
    var first = s.page * D.page;
    var shown = s.rows.slice(first, first + D.page);
    var body = document.createElement("tbody");
    shown.forEach(function (i) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-id", id(data, i));
      if (data.branch || data.branchcol !== undefined) { tr.setAttribute("data-branch", branchOf(data, i)); }
      data.cols.forEach(function (col, c) {
        var td = document.createElement("td");
        td.setAttribute("data-label", heads[c] || "");
        td.textContent = col[i] === "" ? "–" : col[i]; // a blank cell says so, also stacked
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    if (!shown.length) {
      var tr = document.createElement("tr"), td = document.createElement("td");
      td.colSpan = heads.length; td.className = "empty"; td.textContent = T.none;
      tr.appendChild(td); body.appendChild(tr);
    }
    table.replaceChild(body, table.tBodies[0]);
    table.setAttribute("data-count", String(s.rows.length));
    var pager = document.querySelector('[data-pager="' + key + '"]');
    if (pager) {
      var pages = Math.max(1, Math.ceil(s.rows.length / D.page));
      pager.hidden = pages < 2;
      pager.querySelector(".pager-status").textContent = say(T.showing, {
        from: shown.length ? first + 1 : 0, to: first + shown.length, count: s.rows.length,
        page: s.page + 1, pages: pages
      });
      pager.querySelector('[data-step="-1"]').disabled = s.page === 0;
      pager.querySelector('[data-step="1"]').disabled = s.page >= pages - 1;
    }
    var counted = document.querySelector('[data-count-text="' + key + '"]');
    if (counted) { counted.textContent = "(" + s.rows.length + ")"; }
  }

  function show(key, filter) {
    var data = D.tables[key] || window.D9[key];
    if (!data) { return; }
    var rows = [];
    var n = data.ids ? data.ids.length : data.cols[0].length;
    for (var i = 0; i < n; i++) { if (!filter || filter(i, data)) { rows.push(i); } }
    state[key] = { rows: rows, page: 0 };
    draw(key);
  }

  function load(key, done) {
    if (D.tables[key] || window.D9[key]) { done(); return; }
    var script = document.createElement("script");
    script.src = D.lazy[key];
    script.onload = done;
    script.onerror = done; // a missing file: the panel opens saying it has no rows
    document.body.appendChild(script);
  }

  document.addEventListener("click", function (event) {
    var step = event.target.closest && event.target.closest("[data-step]");
    if (!step) { return; }
    var key = step.parentNode.getAttribute("data-pager");
    state[key].page += Number(step.getAttribute("data-step"));
    draw(key);
  });

  function toggle(button) {
    if (button.getAttribute("aria-disabled") === "true") { return; }
    var id = button.getAttribute("data-indicator");
    var panel = document.getElementById("drill-" + id);
    var open = button.getAttribute("aria-expanded") !== "true";
    var card = button.closest(".card");
    button.setAttribute("aria-expanded", String(open));
    card.classList.toggle("open", open);
    button.querySelector(".more").textContent = open ? T.hide : T.show;
    if (!open) { panel.hidden = true; return; }
    var key = "rows-" + id;
    panel.setAttribute("aria-busy", "true");
    load(key, function () {
      if (!state[key]) { show(key); }
      if (!state[key]) { state[key] = { rows: [], page: 0 }; window.D9[key] = { cols: [[]], ids: [] }; draw(key); }
      panel.hidden = false;
      panel.removeAttribute("aria-busy");
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-indicator]"), function (button) {
    button.addEventListener("click", function () { toggle(button); });
  });

  var branch = document.getElementById("branch");
  if (branch) {
    branch.addEventListener("change", function () {
      var code = branch.value;
      show("engagements", code ? function (i, data) { return branchOf(data, i) === code; } : null);
    });
  }

  function setFigures(key) {
    var period = D.periods[key];
    if (!period) { return; }
    var now = key === D.current;
    Array.prototype.forEach.call(document.querySelectorAll("[data-indicator]"), function (button) {
      var id = button.getAttribute("data-indicator");
      var f = period.figures[id];
      var card = button.closest(".card");
      if (!f) { f = { value: "null", target: null, status: "grey", shown: "–", target_shown: "", word: "", symbol: "–" }; }
      button.setAttribute("data-value", f.value);
      if (f.target === null) { button.removeAttribute("data-target"); } else { button.setAttribute("data-target", f.target); }
      button.setAttribute("data-status", f.status);
      card.setAttribute("data-status", f.status);
      button.querySelector(".value").textContent = f.shown;
      button.querySelector(".target-value").textContent = f.target_shown;
      button.querySelector(".target").hidden = !f.target_shown;
      button.querySelector(".symbol").textContent = f.symbol;
      button.querySelector(".word").textContent = f.word;
      card.querySelector(".says").hidden = !now;
      if (!now && button.getAttribute("aria-expanded") === "true") { toggle(button); }
      button.setAttribute("aria-disabled", String(!now));
    });
    document.getElementById("period-note").textContent = now ? "" : say(T.as_reported, { label: period.label });
  }

  var period = document.getElementById("period");
  if (period) {
    period.addEventListener("change", function () { setFigures(period.value); });
    if (period.value !== D.current) { setFigures(period.value); } // a browser restoring the form
  }

  Object.keys(D.tables).forEach(function (key) { show(key); });
  if (branch && branch.value) { branch.dispatchEvent(new Event("change")); }

  function focusOwner() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.hasAttribute("data-owner")) { target.focus(); }
  }
  window.addEventListener("hashchange", focusOwner);
  focusOwner();
  document.documentElement.setAttribute("data-ready", "true");
  if (window.performance && performance.mark) { performance.mark("d9-ready"); } // for the benchmark
}());
