// The admin page; a file of its own because the Content-Security-Policy allows no inline script.
"use strict";
async function start() {
  const s = await RL.requireSession();
  document.getElementById("logout").addEventListener("click", () => RL.logout());
  if (s.user.role !== "ADMIN") { document.querySelector("main").textContent = "Administrators only."; return; }
  await Promise.all([agreement(), users(), audit()]);
}

// A kappa is undefined (null) while every decided case has the same grade.
const k = v => v === null || v === undefined ? "undefined yet" : v.toFixed(3);

async function agreement() {
  const taskSelect = document.getElementById("agreement-task");
  const a = await RL.api("/api/admin/agreement" + (taskSelect.value ? "?task=" + encodeURIComponent(taskSelect.value) : ""));
  if (!taskSelect.options.length && a.tasks.length > 1) {
    a.tasks.forEach(t => taskSelect.append(RL.el("option", { value: t.id }, t.title)));
    taskSelect.value = a.task;
    taskSelect.hidden = false;
    taskSelect.addEventListener("change", agreement);
  }
  const p = document.getElementById("agreement");
  document.getElementById("confusion").replaceChildren();
  if (!a.n) { p.textContent = "No decided cases with an AI grade yet."; return; }
  if (a.outlines) {
    // A segmentation task: per structure, how many standing verdicts accept the AI's outline.
    p.textContent = `${a.n} decided cases: ` + Object.entries(a.outlines).map(([s, v]) => {
      const accepted = v.accept || 0, all = accepted + (v.reject || 0);
      return `${s} outline accepted ${accepted} of ${all} (${(100 * accepted / all).toFixed(0)}%)`;
    }).join(", ") + ".";
    return;
  }
  p.textContent = `${a.n} decided cases: exact agreement ${(100 * a.accuracy).toFixed(1)}%, ` +
    `Cohen's kappa ${k(a.cohen_kappa)}, linear weighted ${k(a.linear_weighted_kappa)}, ` +
    `quadratic weighted ${k(a.quadratic_weighted_kappa)} (readers agree with each other at 0.5–0.8).`;
  const m = a.confusion_matrix_reader_rows_ai_columns;
  const head = RL.el("tr", {}, RL.el("th", {}, "reader \\ AI"), ...a.grades.map(g => RL.el("th", {}, g)));
  document.getElementById("confusion").replaceChildren(head,
    ...m.map((row, i) => RL.el("tr", {}, RL.el("th", {}, a.grades[i]), ...row.map(v => RL.el("td", {}, v)))));
}

async function users() {
  const list = await RL.api("/api/admin/users");
  document.querySelector("#users tbody").replaceChildren(...list.map(u => RL.el("tr", {},
    RL.el("td", {}, u.username), RL.el("td", {}, u.displayName), RL.el("td", {}, u.role.toLowerCase()),
    RL.el("td", {}, u.active ? "active" : "deactivated"),
    RL.el("td", {}, u.active && u.id !== RL.session.user.id
      ? RL.el("button", { onclick: () => deactivate(u) }, "Deactivate") : ""))));
}

async function deactivate(user) {
  if (!confirm(`Deactivate ${user.username}? They can no longer log in; their decisions stay attributed to them.`)) return;
  try {
    await RL.api(`/api/admin/users/${user.id}/deactivate`, { method: "POST", json: {} });
    RL.toast(`${user.username} deactivated`);
    await Promise.all([users(), audit()]);
  } catch (e) {
    RL.toast(e.message, true);
  }
}

async function audit() {
  const [log, check] = await Promise.all([RL.api("/api/admin/audit?limit=300"), RL.api("/api/admin/audit/verify")]);
  document.getElementById("chain").textContent = check.intact
    ? `Hash chain verified (${check.events} events): no event has been altered or removed.`
    : check.firstBrokenEvent !== null
      ? `Hash chain BROKEN at event ${check.firstBrokenEvent}: the log was altered outside the application.`
      : "Hash chain BROKEN at its end: events were removed outside the application.";
  document.querySelector("#audit-log tbody").replaceChildren(...log.events.map(e => RL.el("tr", {},
    RL.el("td", { class: "muted" }, e.id), RL.el("td", { class: "muted" }, new Date(e.at).toLocaleString()),
    RL.el("td", {}, e.username || "system"), RL.el("td", {}, e.action),
    RL.el("td", {}, e.entity ? `${e.entity} ${e.entityId ?? ""}` : ""), RL.el("td", { class: "muted" }, e.detail || ""))));
}

document.getElementById("user-form").addEventListener("submit", async ev => {
  ev.preventDefault();
  try {
    await RL.api("/api/admin/users", { method: "POST", json: {
      username: document.getElementById("new-username").value, displayName: document.getElementById("new-display").value,
      role: document.getElementById("new-role").value, password: document.getElementById("new-password").value } });
    RL.toast("user created");
    ev.target.reset();
    await Promise.all([users(), audit()]);
  } catch (e) {
    RL.toast(e.message, true);
  }
});

RL.bindPasswordForm();
start();
