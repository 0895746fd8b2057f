// Organisation picker: a click on a directory result fills the name and remembers the id;
// typing again forgets the id (then the typed name is saved as direct input).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-org-id]");
  if (!button) return;
  var picker = button.closest(".org-picker");
  picker.querySelector("[data-org-input]").value = button.dataset.orgName;
  picker.querySelector("#id_organization_id").value = button.dataset.orgId;
  picker.querySelector(".org-results").innerHTML = "";
});
document.addEventListener("input", function (event) {
  if (event.target.matches("[data-org-input]")) {
    event.target.closest(".org-picker").querySelector("#id_organization_id").value = "";
  }
});

// Points by area as a horizontal bar chart (Chart.js, vendored), one per program card.
// wrapLabel: a long area name as lines of at most `width` characters, cut at spaces.
function wrapLabel(text, width) {
  var lines = [], line = "";
  String(text).split(" ").forEach(function (word) {
    if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
    else line = line ? line + " " + word : word;
  });
  if (line) lines.push(line);
  return lines.length > 1 ? lines : String(text);
}
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Chart) return;
  document.querySelectorAll("canvas[data-areas]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.areas);
    if (!source) return;
    // Checklist areas (in_total: false: the required course, 인성교육 sessions) are no points.
    var areas = JSON.parse(source.textContent).filter(function (a) { return a.in_total !== false; });
    // Every area gets its label (no skipping) and its own row, long names wrapped over lines.
    var box = canvas.parentNode;
    if (box && box.classList.contains("chart-box")) box.style.height = Math.max(160, areas.length * 34 + 40) + "px";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: areas.map(function (a) { return wrapLabel(a.area, 12); }),
        datasets: [
          { label: "points", data: areas.map(function (a) { return a.points; }), backgroundColor: "#145294" },
          { label: "cap", data: areas.map(function (a) { return a.cap ? a.cap - a.points : 0; }), backgroundColor: "#dde3ea" },
        ],
      },
      options: { indexAxis: "y", maintainAspectRatio: false, animation: false,
                 plugins: { legend: { display: false } },
                 layout: { padding: { left: 4, right: 8 } },
                 scales: { x: { stacked: true, beginAtZero: true },
                           y: { stacked: true, ticks: { autoSkip: false, maxRotation: 0, font: { size: 12 } } } } },
    });
  });
});

// Review page: reason templates fill the reason box; single keys act (not while typing).
document.addEventListener("change", function (event) {
  if (!event.target.matches("[data-reason-template]")) return;
  var box = document.querySelector("#decision-form textarea[name=reason]");
  if (box && event.target.value) { box.value = event.target.value; box.focus(); }
});
document.addEventListener("keydown", function (event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest("input, textarea, select")) return;
  var target = document.querySelector('#decision-form [data-key="' + event.key.toLowerCase() + '"]');
  if (!target) return;
  event.preventDefault();
  if (event.key.toLowerCase() === "r" || event.key.toLowerCase() === "i") {
    var box = document.querySelector("#decision-form textarea[name=reason]");
    if (box && !box.value.trim()) { box.focus(); return; }  // a reason first
  }
  target.click();
});
// Queue: select all.
document.addEventListener("change", function (event) {
  if (event.target.id !== "check-all") return;
  document.querySelectorAll("#bulk input[name=entry]").forEach(function (box) { box.checked = event.target.checked; });
});

// The Content-Security-Policy allows no inline handlers (onchange=, onclick=): data attributes instead.
// data-autosubmit: a select submits its form when changed; data-confirm: a form or button asks first.
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]") && event.target.form) event.target.form.submit();
});
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
// data-check-all="<selector>": a checkbox that ticks every box of its form matching the selector.
document.addEventListener("change", function (event) {
  var selector = event.target.dataset && event.target.dataset.checkAll;
  if (!selector || !event.target.form) return;
  event.target.form.querySelectorAll(selector).forEach(function (box) { box.checked = event.target.checked; });
});
// data-select-on-click: a read-only field (a link to copy) selects its text when clicked.
document.addEventListener("click", function (event) {
  if (event.target.matches && event.target.matches("[data-select-on-click]")) event.target.select();
});
// A name picked from a <datalist> whose option carries data-fill-<field> fills those fields of
// the form (the certificate catalogue: category and tier); the server fills them on save too.
document.addEventListener("input", function (event) {
  var input = event.target;
  if (!input.list || !input.form) return;
  var picked = Array.prototype.find.call(input.list.options, function (o) { return o.value === input.value; });
  if (!picked) return;
  Object.keys(picked.dataset).forEach(function (key) {
    if (key.indexOf("fill") !== 0) return;
    var field = input.form.elements[key.slice(4).toLowerCase()];
    if (field) field.value = picked.dataset[key];
  });
});
// data-count-for="<textarea id>": a live character count under a box with a minimum
// (data-count-min), counted as the server counts (trimmed, a line break sent as CR LF).
document.addEventListener("input", function (event) {
  var box = event.target;
  if (!box.id) return;
  var counter = document.querySelector('[data-count-for="' + box.id + '"]');
  if (!counter) return;
  var n = Array.from(box.value.trim().replace(/\r?\n/g, "\r\n")).length;
  counter.querySelector("[data-count]").textContent = n;
  var enough = n >= Number(counter.dataset.countMin || 0);
  counter.classList.toggle("ok", enough);
  counter.classList.toggle("warn", !enough);
});
