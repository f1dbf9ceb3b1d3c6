/* nianbao — the author's pages. Everything works without it; it adds confirmations, a live check of the
   narrative while typing (the draft is checked on the server, nothing is saved) and an unsaved-changes
   warning. */
(function () {
  "use strict";

  // Deleting asks first.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.dataset.confirm)) e.preventDefault();
    });
  });

  // Live check of the narrative draft.
  var form = document.getElementById("narrative-form");
  var box = document.getElementById("live-check");
  if (!form || !box || !form.dataset.liveCheck) return;
  var timer = null, dirty = false, seq = 0;

  function text(el, s) { if (el) el.textContent = s; }

  function show(d) {
    var c = d.counts || {};
    text(document.getElementById("lc-error"), "错误 " + (c.error || 0));
    text(document.getElementById("lc-warning"), "警告 " + (c.warning || 0));
    box.classList.toggle("has-error", !!c.error);
    box.classList.toggle("has-warning", !c.error && !!c.warning);
    box.classList.toggle("is-clean", !c.error && !c.warning);
    text(document.getElementById("lc-state"), (c.error || c.warning) ? "按正在编辑的内容检查（尚未保存）" : "✓ 正在编辑的内容未发现错误和警告（尚未保存）");
    var more = document.getElementById("lc-more");
    if (more) more.hidden = true;
    var list = document.getElementById("lc-list");
    if (!list) return;
    list.innerHTML = "";
    (d.findings || []).filter(function (f) { return f.severity !== "info"; }).slice(0, 4).forEach(function (f) {
      var li = document.createElement("li");
      li.className = f.severity;
      var b = document.createElement("span");
      b.className = "badge " + f.severity;
      b.textContent = f.severity_label;
      li.appendChild(b);
      li.appendChild(document.createTextNode(" " + f.message + " "));
      list.appendChild(li);
    });
  }

  function check() {
    var mine = ++seq;
    fetch(form.dataset.liveCheck, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d && mine === seq) show(d); })
      .catch(function () { /* the saved check stays shown */ });
  }

  form.addEventListener("input", function () {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(check, 700);
  });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });
})();
