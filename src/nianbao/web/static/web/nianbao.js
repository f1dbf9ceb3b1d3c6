/* nianbao — small, dependency-free behaviour. Pages work without it; it adds live progress. */
(function () {
  "use strict";
  // Upload size: refuse before sending what the server would refuse after receiving it all.
  var form = document.getElementById("upload-form");
  if (form && form.dataset.maxBytes) {
    form.addEventListener("submit", function (ev) {
      var max = Number(form.dataset.maxBytes), total = 0, n = 0;
      form.querySelectorAll("input[type=file]").forEach(function (input) {
        Array.prototype.forEach.call(input.files || [], function (f) { total += f.size; n += 1; });
      });
      var box = document.getElementById("upload-too-large");
      if (total > max && box) {
        ev.preventDefault();
        box.textContent = "所选 " + n + " 个文件共 " + Math.round(total / 1048576) + " MB，超过单次上传上限 " +
          Math.round(max / 1048576) + " MB；请分批上传，或压缩后上传。";
        box.hidden = false;
      }
    });
  }
  // Upload progress: poll the page's JSON twin until every file is finished, then reload once.
  var box = document.getElementById("progress");
  if (box && box.dataset.poll) {
    var url = box.dataset.poll;
    var tick = function () {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (d) {
          var c = d.counts;
          ["finished", "total", "done", "failed", "duplicate"].forEach(function (k) {
            var el = document.getElementById("p-" + k); if (el) el.textContent = c[k];
          });
          var bar = box.querySelector(".bar");
          if (bar && c.total) bar.style.width = Math.round(100 * c.finished / c.total) + "%";
          if (c.finished >= c.total) {
            if (String(c.finished) !== box.dataset.finished) location.reload();
          } else { setTimeout(tick, 1000); }
        })
        .catch(function () { setTimeout(tick, 3000); });
    };
    if (box.dataset.finished !== box.dataset.total) setTimeout(tick, 800);
  }
})();

// The region dashboard's problem matrix: 「全选」 ticks every unit for the bulk actions.
(function () {
  var all = document.getElementById("bulk-all");
  if (!all) return;
  all.addEventListener("change", function () {
    document.querySelectorAll('#problem-matrix input[name=report]').forEach(function (b) { b.checked = all.checked; });
  });
})();
