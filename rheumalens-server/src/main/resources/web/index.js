// The index page; a file of its own because the Content-Security-Policy allows no inline script.
"use strict";
let grades = []; // the shown task's labels, from /api/worklist
let gradesOf = null; // the task the grade filter's options are for
let outlines = false; // the shown task is a segmentation task
let rows = [];
let selected = 0;
let refreshTimer = null;

async function start() {
  try {
    await RL.requireSession(false);
  } catch (e) {
    document.getElementById("login").hidden = false;
    return;
  }
  document.getElementById("app").hidden = false;
  await load();
}

document.getElementById("login-form").addEventListener("submit", async ev => {
  ev.preventDefault();
  try {
    RL.session = await RL.api("/api/login", { method: "POST", json: {
      username: document.getElementById("username").value, password: document.getElementById("password").value } });
    const next = new URLSearchParams(location.search).get("next");
    if (RL.isLocalPath(next)) { location.href = next; return; }
    document.getElementById("login").hidden = true;
    await start();
  } catch (e) {
    document.getElementById("login-error").textContent = e.message;
  }
});

document.getElementById("logout").addEventListener("click", () => RL.logout());
RL.bindPasswordForm();

async function load() {
  const p = new URLSearchParams();
  for (const [key, id] of [["task", "f-task"], ["status", "f-status"], ["grade", "f-grade"], ["from", "f-from"], ["to", "f-to"]]) {
    const v = document.getElementById(id).value;
    if (v) p.set(key, v);
  }
  const data = await RL.api("/api/worklist?" + p);
  grades = data.grades;
  const taskSelect = document.getElementById("f-task");
  // One model per task: with several, the worklist shows one task at a time and uploads go to the task shown.
  if (!taskSelect.options.length && data.tasks.length > 1) {
    data.tasks.forEach(t => taskSelect.append(RL.el("option", { value: t.id }, t.title)));
    taskSelect.value = data.task;
    taskSelect.hidden = false;
  }
  const gradeSelect = document.getElementById("f-grade");
  if (gradesOf !== data.task) {
    gradeSelect.replaceChildren(RL.el("option", { value: "" }, "any grade"));
    grades.forEach((g, i) => gradeSelect.append(RL.el("option", { value: i }, g)));
    gradesOf = data.task;
    // A segmentation task outlines structures instead of grading: no grade to filter by, sizes in the AI column.
    outlines = data.tasks.some(t => t.id === data.task && t.segmentation);
    gradeSelect.hidden = outlines;
    document.getElementById("ai-column").textContent = outlines ? "AI outline" : "AI grade";
  }
  const q = data.queue;
  document.getElementById("queue").textContent =
    `AI queue: ${q.queued} waiting, ${q.processing} in progress, ${q.done} done, ${q.failed} failed`;
  rows = data.items;
  render();
  clearTimeout(refreshTimer);
  if (q.queued + q.processing > 0) refreshTimer = setTimeout(load, 2000);
}

function render() {
  const body = document.querySelector("#worklist tbody");
  body.replaceChildren(...rows.map((r, i) => {
    let triage;
    if (r.status !== "done") triage = RL.el("span", { class: "badge" }, r.status);
    else if (r.oodFlagged) triage = RL.el("span", { class: "badge ood" }, "refused: " + RL.reasons(r.reviewReasons));
    else if (r.needsReview) triage = RL.el("span", { class: "badge review" }, "review: " + RL.reasons(r.reviewReasons));
    else triage = RL.el("span", { class: "badge done" }, "auto-accept");
    const decision = r.decision === null ? "—"
      : `${r.decision} ${r.finalGrade === null ? "outline" : RL.grade(grades, r.finalGrade)} (${r.decidedBy})`;
    return RL.el("tr", { class: "row" + (i === selected ? " selected" : ""), "data-id": r.imageId, onclick: () => open(r.imageId) },
      RL.el("td", {}, r.imageId), RL.el("td", {}, r.patient), RL.el("td", {}, r.studyDate || "—"), RL.el("td", {}, r.laterality || "—"),
      RL.el("td", { class: "ai-grade" }, outlines ? (r.outlineSummary || "—") : RL.grade(grades, r.aiGrade)),
      RL.el("td", {}, r.confidence == null ? "—" : r.confidence.toFixed(2)), RL.el("td", {}, triage),
      RL.el("td", { class: "decision" }, decision), RL.el("td", { class: "muted" }, r.displayName || ""));
  }));
}

function open(id) {
  location.href = "/case.html?id=" + id;
}

for (const id of ["f-status", "f-grade", "f-from", "f-to"]) document.getElementById(id).addEventListener("change", load);
document.getElementById("f-task").addEventListener("change", () => {
  document.getElementById("f-grade").value = ""; // grades differ between tasks
  selected = 0;
  load();
});

document.getElementById("upload-form").addEventListener("submit", async ev => {
  ev.preventDefault();
  const files = document.getElementById("upload-files").files;
  if (!files.length) { RL.toast("choose one or more files first", true); return; }
  const form = new FormData();
  for (const f of files) form.append("files", f);
  const patient = document.getElementById("upload-patient").value;
  if (patient) form.append("patient", patient);
  const task = document.getElementById("f-task").value;
  if (task) form.append("task", task);
  try {
    const r = await fetch("/api/images", { method: "POST", body: form, credentials: "same-origin",
      headers: { "X-CSRF-Token": RL.session.csrfToken } });
    const body = await r.json();
    const rejected = (body.rejected || []).map(x => x.error).join("; ");
    RL.toast(`${(body.accepted || []).length} uploaded` + (rejected ? `; rejected: ${rejected}` : ""), !!rejected);
    document.getElementById("upload-files").value = "";
    await load();
  } catch (e) {
    RL.toast(e.message, true);
  }
});

document.addEventListener("keydown", ev => {
  if (["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName)) return;
  if (ev.key === "j") { selected = Math.min(rows.length - 1, selected + 1); render(); }
  else if (ev.key === "k") { selected = Math.max(0, selected - 1); render(); }
  else if (ev.key === "Enter" && rows[selected]) open(rows[selected].imageId);
  else if (ev.key === "u") { ev.preventDefault(); document.getElementById("upload-files").focus(); }
});

start();
