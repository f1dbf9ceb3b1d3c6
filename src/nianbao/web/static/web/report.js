/* The report page: a finding highlights its cells in the tables and in the source; a value cell opens the
   correction form. Everything works without this file (anchors and a plain form). */
(function () {
  "use strict";
  var list = document.getElementById("findings");
  if (!list) return;
  var tables = document.getElementById("tables"), source = document.getElementById("source");

  function esc(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, "\\$&"); }
  function clear() {
    document.querySelectorAll(".src-where").forEach(function (el) { el.remove(); });
    document.querySelectorAll(".hl").forEach(function (el) { el.classList.remove("hl"); });
    list.querySelectorAll(".finding.active").forEach(function (el) { el.classList.remove("active"); });
  }
  function scrollable(el) { return el && el.scrollHeight > el.clientHeight + 4 && getComputedStyle(el).overflowY !== "visible"; }
  // Bring `el` to the middle of its pane without moving the window when the pane scrolls by itself.
  function reveal(pane, el) {
    if (!el) return;
    if (scrollable(pane)) {
      var pr = pane.getBoundingClientRect(), er = el.getBoundingClientRect();
      pane.scrollTop += er.top - pr.top - pane.clientHeight / 2 + er.height / 2;
      var sx = el.closest(".rp-scroll");
      if (sx) sx.scrollLeft += er.left - sx.getBoundingClientRect().left - sx.clientWidth / 2;
      // the pane itself below or above the window (narrower layouts stack the panes): bring it in sight
      var now = el.getBoundingClientRect();
      if (now.top < 0 || now.bottom > window.innerHeight) {
        window.scrollBy({ top: now.top - window.innerHeight / 2 + now.height / 2, behavior: "smooth" });
      }
    } else {
      el.scrollIntoView({ block: "center", inline: "nearest", behavior: "smooth" });
    }
  }
  // A PDF place (page, bbox in PDF points): a box drawn on that page's image, or the page itself.
  function pdfPlace(page, bbox) {
    var fig = document.getElementById("src-page-" + page);
    if (!fig) return null;
    var b = (bbox || "").split(",").map(Number), w = Number(fig.dataset.w), h = Number(fig.dataset.h);
    if (b.length !== 4 || b.some(isNaN) || !w || !h) { fig.classList.add("hl"); return fig; }
    var box = document.createElement("span");
    box.className = "src-box src-where hl";
    box.style.left = (100 * b[0] / w) + "%"; box.style.top = (100 * b[1] / h) + "%";
    box.style.width = (100 * (b[2] - b[0]) / w) + "%"; box.style.height = (100 * (b[3] - b[1]) / h) + "%";
    fig.appendChild(box);
    return box;
  }
  function highlight(keys, line, page, bbox) {
    var firstT = null, firstS = null;
    keys.forEach(function (k) {
      if (!k) return;
      document.querySelectorAll('[data-cell="' + esc(k) + '"]').forEach(function (el) {
        el.classList.add("hl");
        if (tables && tables.contains(el)) { firstT = firstT || el; }
        else if (source && source.contains(el)) { firstS = firstS || el; }
      });
    });
    if (!firstS && line) {
      var ln = document.getElementById("src-L" + line);
      if (ln) { ln.classList.add("hl"); firstS = ln; }
    }
    if (!firstS && page) firstS = pdfPlace(page, bbox);
    reveal(tables, firstT);
    reveal(source, firstS);
    return firstT || firstS;
  }
  function activate(li) {
    clear();
    li.classList.add("active");
    var det = li.closest("details");
    if (det) det.open = true;
    highlight((li.dataset.cells || "").split(" "), li.dataset.line, li.dataset.page, li.dataset.bbox);
  }
  list.addEventListener("click", function (ev) {
    var li = ev.target.closest(".finding");
    if (!li) return;
    if (ev.target.closest('a[href^="#src-"]')) {             // 原文第 N 行/页: that place only
      ev.preventDefault(); clear(); li.classList.add("active");
      highlight([], li.dataset.line, li.dataset.page, li.dataset.bbox);
      return;
    }
    var a = ev.target.closest("a[data-goto]");
    if (a) { ev.preventDefault(); clear(); li.classList.add("active"); highlight([a.dataset.goto]); return; }
    if (ev.target.closest("form, a, button, textarea, input")) { if (!li.classList.contains("active")) activate(li); return; }
    activate(li);
  });
  // Keyboard focus activates a finding; a pointer's focus does not — its click decides, and activating at
  // mousedown would scroll the page (revealing the place) and carry the link away from the pointer.
  var pointing = false;
  list.addEventListener("pointerdown", function () { pointing = true; });
  document.addEventListener("pointerup", function () { setTimeout(function () { pointing = false; }, 0); });
  list.addEventListener("focusin", function (ev) {
    if (pointing) return;
    var li = ev.target.closest(".finding");
    if (li && !li.classList.contains("active")) activate(li);
  });
  list.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.classList && ev.target.classList.contains("finding")) { ev.preventDefault(); activate(ev.target); }
  });

  // Correction form as a popover by the clicked value cell (reviewers only: the form exists).
  var form = document.getElementById("correct-form");
  function openForm(td) {
    if (!form) return;
    clear();
    highlight([td.dataset.cell]);
    form.classList.add("pop");
    form.querySelector("#correct-cell").value = td.dataset.cell;
    form.querySelector("#correct-target").textContent = td.dataset.label + "（当前：" + (td.dataset.value || "空") + "）";
    var v = form.querySelector("#correct-value");
    v.value = td.dataset.value || "";
    form.querySelector(".c-cancel").hidden = false;
    var r = td.getBoundingClientRect(), w = 352;
    var left = Math.min(Math.max(8, r.left), window.innerWidth - w - 8);
    var top = r.bottom + 6;
    if (top + 300 > window.innerHeight) top = Math.max(8, r.top - 306);
    form.style.left = left + "px"; form.style.top = top + "px";
    v.focus(); v.select();
  }
  function closeForm() {
    if (!form) return;
    form.classList.remove("pop"); form.style.left = form.style.top = "";
    form.querySelector(".c-cancel").hidden = true;
    form.querySelector("#correct-target").textContent = "核对原件后更正读取有误的数值；保存后生成新版本并重新核对。";
  }
  if (tables) {
    tables.addEventListener("click", function (ev) {
      var td = ev.target.closest("td.v");
      if (!td) return;
      if (form) openForm(td); else { clear(); highlight([td.dataset.cell]); }
    });
    tables.addEventListener("keydown", function (ev) {
      var td = ev.target.closest && ev.target.closest("td.v");
      if (td && ev.key === "Enter") { ev.preventDefault(); openForm(td); }
    });
  }
  if (source) {
    source.addEventListener("click", function (ev) {
      var el = ev.target.closest("[data-cell]");
      if (!el) return;
      clear(); highlight([el.dataset.cell]);
    });
  }
  if (form) {
    form.querySelector(".c-cancel").addEventListener("click", closeForm);
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") closeForm(); });
  }

  // After a decision the page comes back at #finding-N, after a correction at #cell-t-r-c.
  // (after the browser's own jump to the anchor, which would leave the cell under the pane's heading)
  function fromHash() {
    var h = decodeURIComponent(location.hash.slice(1));
    var target = h && document.getElementById(h);
    if (!target) return;
    if (target.classList.contains("finding")) { activate(target); reveal(list, target); }
    else if (target.dataset.cell) { clear(); highlight([target.dataset.cell]); }
  }
  window.addEventListener("load", function () { setTimeout(fromHash, 50); });
  window.addEventListener("hashchange", fromHash);
})();

// The review panel: count the findings ticked 「要求修改」 for the return form.
(function () {
  var count = document.getElementById("fix-count");
  if (!count) return;
  function update() { count.textContent = document.querySelectorAll('input[name=fix][form="return-form"]:checked').length; }
  document.addEventListener("change", function (ev) { if (ev.target.name === "fix") update(); });
  update();
})();
