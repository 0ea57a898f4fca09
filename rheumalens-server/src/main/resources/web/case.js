// The case page; a file of its own because the Content-Security-Policy allows no inline script.
"use strict";
const id = new URLSearchParams(location.search).get("id");
let view = null;
let pixels = null;      // original display pixels (grey, 0-255)
let zoom = 1, panX = 0, panY = 0;

async function start() {
  await RL.requireSession();
  document.getElementById("logout").addEventListener("click", () => RL.logout());
  await load();
}

async function load() {
  view = await RL.api("/api/images/" + id);
  const img = view.image;
  document.title = `RheumaLens case ${img.id} (${img.patient})`;
  document.getElementById("image-meta").textContent =
    `image ${img.id} · patient ${img.patient} · study ${img.studyDate || "—"} · side ${img.laterality || "—"} · ` +
    `${img.format} ${img.width}x${img.height}` + (img.pixelSpacingMm ? ` · ${img.pixelSpacingMm.toFixed(3)} mm/px` : "");
  document.getElementById("report-pdf").href = "/api/images/" + id + "/report.pdf";
  document.getElementById("report-fhir").href = "/api/images/" + id + "/fhir";
  document.getElementById("task").textContent = view.task.segmentation
    ? `${view.task.title}: outlines ${view.task.grades.slice(1).join(", ")}` : `${view.task.title}: ${view.task.grades.join(", ")}`;
  // No Grad-CAM for an outline: the overlay in the AI panel is its picture.
  document.getElementById("heatmap-controls").hidden = view.task.segmentation;
  const select = document.getElementById("override-grade");
  if (!select.options.length) {
    if (view.task.segmentation) {
      // A segmentation task: the reader accepts or rejects the outline of one structure or of all of them.
      select.append(RL.el("option", { value: "" }, "all structures"));
      view.grades.slice(1).forEach(g => select.append(RL.el("option", { value: g }, g)));
      document.getElementById("accept").firstChild.textContent = "Accept outline ";
      document.getElementById("override").firstChild.textContent = "Reject ";
      document.getElementById("override-reason").placeholder = "reason (required to reject)";
    } else {
      view.grades.forEach((g, i) => select.append(RL.el("option", { value: i }, g)));
    }
  }
  renderAi();
  renderDecisions();
  renderHistory();
  await loadImage();
  renderAudit();
  if (img.status === "queued" || img.status === "processing") setTimeout(load, 2000);
}

function renderAi() {
  const r = view.result;
  const box = document.getElementById("ai-body");
  if (!r) { box.textContent = "status: " + view.image.status + (view.image.error ? " — " + view.image.error : ""); return; }
  const parts = [];
  if (r.outline) {
    parts.push(RL.el("img", { id: "overlay", src: "/api/images/" + id + "/overlay.png", alt: "AI outline", style: "max-width:100%" }));
    parts.push(RL.el("p", { id: "structures" }, view.outline_text.join("; ")));
    parts.push(RL.el("p", { class: "muted", id: "outline-uncertainty" },
      `uncertainty (mean entropy inside the structures, 0–1): ${r.uncertainty.toFixed(3)}`));
  } else if (r.grade === null) {
    parts.push(RL.el("p", { class: "message", id: "ai-message" }, r.message || "not graded"));
  } else {
    parts.push(RL.el("p", {}, RL.el("strong", { id: "ai-grade", style: "font-size:22px" }, view.grades[r.grade]),
      "  confidence ", RL.el("span", { id: "ai-confidence" }, r.confidence.toFixed(3))));
    view.grades.forEach((g, i) => parts.push(RL.el("div", { class: "prob" }, g,
      RL.el("div", {}, RL.el("div", { class: "bar", style: `width:${(100 * r.probabilities[i]).toFixed(1)}%` })),
      r.probabilities[i].toFixed(3))));
  }
  parts.push(RL.el("p", {}, r.needsReview
    ? RL.el("span", { class: "badge review", id: "triage" }, "needs review: " + RL.reasons(r.reviewReasons))
    : RL.el("span", { class: "badge done", id: "triage" },
      r.outline ? "auto-accept (mean entropy under the val limit)" : "auto-accept (val accuracy ≥ target)")));
  if (r.uncertainty != null && !r.outline) parts.push(RL.el("p", { class: "muted" }, `uncertainty (MC-dropout entropy): ${r.uncertainty.toFixed(3)} nats`));
  if (r.oodScore != null) parts.push(RL.el("p", { class: "muted" }, `OOD score ${r.oodScore.toFixed(1)}` + (r.oodFlagged ? " (flagged)" : "")));
  // Only tasks with the knee plug-in measure joint space widths; others have nothing to say here.
  if (view.task.measures_joint_space) parts.push(RL.el("p", { class: "muted", id: "measurements" }, jointSpaceText(r.measurements)));
  parts.push(RL.el("p", { class: "muted" }, `model ${r.modelName} ${r.modelVersion} · ${r.ms.toFixed(0)} ms`));
  box.className = "";
  box.replaceChildren(...parts);
  document.getElementById("accept").disabled = r.grade === null && !r.outline;
  if (r.grade !== null) document.getElementById("override-grade").value = r.grade;
}

function renderDecisions() {
  const list = view.decisions.map(d => RL.el("div", { class: "decision-row" },
    `${new Date(d.decidedAt).toLocaleString()} — ${d.readerName}: ${d.action} ${view.grades[d.finalGrade]}` +
    (d.reason ? ` (“${d.reason}”)` : "")));
  view.outline_decisions.forEach(d => list.push(RL.el("div", { class: "decision-row" },
    `${new Date(d.decidedAt).toLocaleString()} — ${d.readerName}: ${d.action} ${d.structure} outline` +
    (d.reason ? ` (“${d.reason}”)` : ""))));
  document.getElementById("decisions").replaceChildren(...(list.length ? list : [RL.el("span", {}, "no decision yet")]));
}

function renderHistory() {
  // Progression is one score over time: the patient's images read for this image's task only.
  const rows = view.history.filter(h => !h.taskId || h.taskId === view.task.id);
  document.querySelector("#history tbody").replaceChildren(...rows.map(h => RL.el("tr", {},
    RL.el("td", {}, h.studyDate || "—"), RL.el("td", {}, h.laterality || "—"),
    RL.el("td", {}, "AI " + RL.grade(view.grades, h.aiGrade)), RL.el("td", {}, "final " + RL.grade(view.grades, h.finalGrade)),
    RL.el("td", {}, h.imageId == id ? "this image" : RL.el("a", { href: "/case.html?id=" + h.imageId }, "open")))));
  const svg = document.getElementById("progression");
  const pts = rows.map((h, i) => [h, h.finalGrade != null ? h.finalGrade : h.aiGrade]).filter(p => p[1] != null);
  const w = 340, hgt = 110, n = Math.max(1, pts.length - 1);
  let inner = `<line x1="30" y1="100" x2="330" y2="100" stroke="#2c353f"/>`;
  view.grades.forEach((g, k) => inner += `<text x="0" y="${100 - k * 22 + 4}" fill="#9aa5b1" font-size="10">${g}</text>`);
  const xy = pts.map((p, i) => [30 + (pts.length === 1 ? 150 : i * 300 / n), 100 - p[1] * 22]);
  if (xy.length > 1) inner += `<polyline fill="none" stroke="#4fa3ff" stroke-width="2" points="${xy.map(p => p.join(",")).join(" ")}"/>`;
  xy.forEach(p => inner += `<circle cx="${p[0]}" cy="${p[1]}" r="4" fill="#4fa3ff"/>`);
  svg.innerHTML = inner;
}

async function renderAudit() {
  const events = await RL.api("/api/images/" + id + "/audit");
  document.querySelector("#audit tbody").replaceChildren(...events.map(e => RL.el("tr", { class: "audit-row" },
    RL.el("td", { class: "muted" }, new Date(e.at).toLocaleString()), RL.el("td", {}, e.username || "system"),
    RL.el("td", { class: "audit-action" }, e.action), RL.el("td", { class: "muted" }, e.detail || ""))));
}

async function loadImage() {
  if (pixels) return;
  const image = await loadPng("/api/images/" + id + "/display.png");
  const canvas = document.getElementById("image");
  canvas.width = image.width; canvas.height = image.height;
  const ctx = canvas.getContext("2d");
  ctx.drawImage(image, 0, 0);
  pixels = ctx.getImageData(0, 0, image.width, image.height);
  applyWindow();
  const heat = document.getElementById("heatmap");
  heat.width = image.width; heat.height = image.height;
  if (view.result && view.result.heatmapPath) {
    const overlay = await loadPng("/api/images/" + id + "/heatmap.png");
    heat.getContext("2d").drawImage(overlay, 0, 0, image.width, image.height);
  }
  updateHeatmap();
  resetView();
}

function loadPng(url) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error("could not load " + url));
    img.src = url;
  });
}

function applyWindow() {
  if (!pixels) return;
  const level = +document.getElementById("level").value, width = +document.getElementById("window").value;
  const lo = level - width / 2;
  const out = new ImageData(new Uint8ClampedArray(pixels.data), pixels.width, pixels.height);
  for (let i = 0; i < out.data.length; i += 4) {
    const v = Math.max(0, Math.min(255, (pixels.data[i] - lo) * 255 / width));
    out.data[i] = out.data[i + 1] = out.data[i + 2] = v;
  }
  document.getElementById("image").getContext("2d").putImageData(out, 0, 0);
}

function updateHeatmap() {
  const heat = document.getElementById("heatmap");
  heat.style.display = document.getElementById("heatmap-toggle").checked ? "block" : "none";
  heat.style.opacity = document.getElementById("heatmap-opacity").value / 100;
}

function resetView() {
  const viewer = document.getElementById("viewer"), canvas = document.getElementById("image");
  zoom = Math.min(viewer.clientWidth / canvas.width, viewer.clientHeight / canvas.height);
  panX = (viewer.clientWidth - canvas.width * zoom) / 2; panY = (viewer.clientHeight - canvas.height * zoom) / 2;
  document.getElementById("level").value = 128; document.getElementById("window").value = 255;
  applyWindow(); transform();
}

function transform() {
  document.getElementById("stage").style.transform = `translate(${panX}px, ${panY}px) scale(${zoom})`;
  for (const c of document.querySelectorAll("#stage canvas")) c.style.transform = "";
}

const viewer = document.getElementById("viewer");
viewer.addEventListener("wheel", ev => {
  ev.preventDefault();
  const factor = ev.deltaY < 0 ? 1.15 : 1 / 1.15;
  const rect = viewer.getBoundingClientRect(), mx = ev.clientX - rect.left, my = ev.clientY - rect.top;
  panX = mx - (mx - panX) * factor; panY = my - (my - panY) * factor; zoom *= factor; transform();
});
let drag = null;
viewer.addEventListener("mousedown", ev => drag = [ev.clientX - panX, ev.clientY - panY]);
window.addEventListener("mouseup", () => drag = null);
window.addEventListener("mousemove", ev => { if (drag) { panX = ev.clientX - drag[0]; panY = ev.clientY - drag[1]; transform(); } });
document.getElementById("stage").style.transformOrigin = "0 0";
document.getElementById("stage").style.position = "absolute";
document.getElementById("level").addEventListener("input", applyWindow);
document.getElementById("window").addEventListener("input", applyWindow);
document.getElementById("heatmap-toggle").addEventListener("change", updateHeatmap);
document.getElementById("heatmap-opacity").addEventListener("input", updateHeatmap);
document.getElementById("reset").addEventListener("click", resetView);

async function decide(body) {
  try {
    await RL.api("/api/images/" + id + "/decision", { method: "POST", json: body });
    RL.toast("decision recorded");
    view = await RL.api("/api/images/" + id);
    renderDecisions(); renderHistory(); renderAudit();
  } catch (e) {
    RL.toast(e.message, true);
  }
}
function accept() {
  const structure = document.getElementById("override-grade").value;
  decide(view.task.segmentation && structure ? { action: "accept", structure } : { action: "accept" });
}
function overrideOrReject() {
  const chosen = document.getElementById("override-grade").value, reason = document.getElementById("override-reason").value;
  decide(view.task.segmentation ? Object.assign({ action: "reject", reason }, chosen ? { structure: chosen } : {})
    : { action: "override", grade: +chosen, reason });
}
document.getElementById("accept").addEventListener("click", accept);
document.getElementById("override").addEventListener("click", overrideOrReject);

// Minimum joint space widths: medial/lateral when the side is known, else by image half; mm where spacing was known.
function jointSpaceText(json) {
  if (!json) return "joint space width: not measured";
  const m = JSON.parse(json);
  const fmt = (px, mm) => px == null ? "not traced" : (mm != null ? `${mm.toFixed(1)} mm (${px.toFixed(1)} px)` : `${px.toFixed(1)} px`);
  return m.side
    ? `minimum joint space width (${m.side} knee): medial ${fmt(m.jsw_medial_px, m.jsw_medial_mm)}, lateral ${fmt(m.jsw_lateral_px, m.jsw_lateral_mm)}`
    : `minimum joint space width (side unknown): image left ${fmt(m.jsw_image_left_px)}, image right ${fmt(m.jsw_image_right_px)}`;
}

document.addEventListener("keydown", ev => {
  if (["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName)) {
    if (ev.key === "Escape") document.activeElement.blur();
    return;
  }
  if (ev.key === "h") { const t = document.getElementById("heatmap-toggle"); t.checked = !t.checked; updateHeatmap(); }
  else if (ev.key === "a" && !document.getElementById("accept").disabled) accept();
  else if (ev.key === "o") { ev.preventDefault(); document.getElementById("override-reason").focus(); }
  else if (/^[0-9]$/.test(ev.key) && +ev.key < view.grades.length && !view.task.segmentation) document.getElementById("override-grade").value = ev.key;
  else if (ev.key === "r") resetView();
  else if (ev.key === "Escape") location.href = "/index.html";
});

start();
