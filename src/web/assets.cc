#include "web/assets.h"

namespace cs::web {

std::string_view StyleCss() {
  return R"CSS(:root { --fg: #1d2125; --muted: #5c6670; --line: #d0d7de; --accent: #0f5ea8;
  --ok: #1a7f37; --bad: #b42318; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: #fff; }
a { color: var(--accent); }
a:focus, button:focus, input:focus, select:focus, textarea:focus, summary:focus {
  outline: 3px solid #f0b400; outline-offset: 1px; }
.skip { position: absolute; left: -999px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
.skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 10; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: 12px; padding: 8px 20px;
  background: #14324f; color: #fff; }
header.top a { color: #fff; text-decoration: none; padding: 4px 8px; border-radius: 4px; }
header.top a[aria-current="page"] { background: #2e5d87; }
header.top a:hover { text-decoration: underline; }
.brand { font-weight: 700; margin-right: 12px; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 4px; margin: 0; padding: 0; }
.logout { margin-left: auto; }
main { max-width: 1200px; padding: 12px 20px 40px; }
h1 { font-size: 1.5rem; margin: 8px 0 16px; }
h2 { font-size: 1.2rem; margin: 24px 0 8px; border-bottom: 1px solid var(--line); }
.notice { padding: 8px 12px; border-radius: 4px; margin: 8px 0; border: 1px solid var(--line); }
.notice-ok { background: #e6f4ea; border-color: #9bd3ae; }
.notice-error { background: #fdecea; border-color: #f1a59d; }
.notice-info { background: #eef4fb; border-color: #a8c6e8; }
.field { margin: 10px 0; }
.field label, fieldset legend { display: block; font-weight: 600; }
fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 10px 0; padding: 6px 12px; }
fieldset.yesno label { display: inline; font-weight: 400; margin-right: 12px; }
.help { color: var(--muted); margin: 2px 0; font-size: .9rem; }
.field-error { color: var(--bad); margin: 2px 0; font-weight: 600; }
.has-error input, .has-error select { border-color: var(--bad); }
input[type=text], input[type=password], input[type=number], input[type=search], select, textarea {
  font: inherit; padding: 4px 6px; border: 1px solid #8c959f; border-radius: 4px; min-width: 16rem; }
textarea { width: 100%; min-height: 8rem; font-family: ui-monospace, monospace; }
button, .button { font: inherit; padding: 5px 14px; border-radius: 4px; border: 1px solid #0b4a86;
  background: var(--accent); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: var(--bad); border-color: #8a1a12; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); }
td.num, th.num { text-align: right; }
.totals { display: flex; flex-wrap: wrap; gap: 8px; padding: 0; list-style: none; }
.totals li { background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 4px 10px; }
.status-failed, .outcome-failed, .outcome-rejected, .outcome-error, .outcome-busy { color: var(--bad); font-weight: 600; }
.status-created, .status-updated, .status-deleted, .outcome-completed { color: var(--ok); }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; background: #fff4d6;
  border: 1px solid #e0c36c; font-size: .85rem; }
pre { background: var(--bg); border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 40rem; }
.inline { display: inline; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
.filters .field { margin: 0; }
.pager { display: flex; gap: 12px; align-items: center; margin: 8px 0; }
.chart { max-width: 100%; height: auto; border: 1px solid var(--line); }
.legend span { margin-right: 14px; }
.sw { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: middle; }
.sw-created { background: #2da44e; } .sw-updated { background: #0969da; }
.sw-deleted { background: #bf8700; } .sw-failed { background: #cf222e; }
.secret { font-family: ui-monospace, monospace; font-size: 1.05rem; background: #fff4d6; padding: 6px; }
.muted { color: var(--muted); }
)CSS";
}

std::string_view AppJs() {
  return R"JS("use strict";
// Live progress of a run: poll its status until it is done, then reload for the full report.
(function () {
  const box = document.getElementById("job");
  if (!box) return;
  const url = box.getAttribute("data-status-url");
  if (!url || box.getAttribute("data-state") === "done") return;
  const records = document.getElementById("job-records");
  const state = document.getElementById("job-state");
  async function tick() {
    try {
      const r = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (r.ok) {
        const j = await r.json();
        if (records) records.textContent = String(j.records);
        if (state) state.textContent = j.state === "done" ? j.outcome : j.state;
        if (j.state === "done") { window.location.reload(); return; }
      }
    } catch (e) { /* the server may be restarting: try again */ }
    setTimeout(tick, 700);
  }
  setTimeout(tick, 300);
})();
// "Select every course on this page".
(function () {
  const all = document.getElementById("select-page");
  if (!all) return;
  all.addEventListener("change", function () {
    document.querySelectorAll("input[name=ids]").forEach(function (c) { c.checked = all.checked; });
  });
})();
// Buttons that destroy something ask first.
document.addEventListener("submit", function (ev) {
  const b = ev.submitter;
  const msg = (b && b.getAttribute("data-confirm")) || ev.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) ev.preventDefault();
});
)JS";
}

}  // namespace cs::web
