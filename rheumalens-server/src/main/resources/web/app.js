// RheumaLens review app: shared helpers. Plain JS, no build step.
"use strict";

const RL = {
  session: null,

  async api(path, options = {}) {
    const headers = Object.assign({}, options.headers || {});
    const method = (options.method || "GET").toUpperCase();
    if (method !== "GET" && RL.session) headers["X-CSRF-Token"] = RL.session.csrfToken;
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(options.json);
    }
    const init = { method, headers, credentials: "same-origin", body: options.body };
    const response = await fetch(path, init);
    if (response.status === 401 && path !== "/api/login" && options.toLogin !== false) {
      location.href = "/index.html?next=" + encodeURIComponent(location.pathname + location.search);
      throw new Error("not logged in");
    }
    const type = response.headers.get("Content-Type") || "";
    const body = type.includes("application/json") ? await response.json() : null;
    if (!response.ok) throw new Error((body && body.error) || response.status + " " + response.statusText);
    return body;
  },

  /** The session; without one, a redirect to the login page (or, with toLogin false, an error). */
  async requireSession(toLogin = true) {
    RL.session = await RL.api("/api/session", { toLogin });
    const who = document.getElementById("who");
    if (who) who.textContent = RL.session.user.displayName + " (" + RL.session.user.role.toLowerCase() + ")";
    document.querySelectorAll(".admin-only").forEach(e => e.hidden = RL.session.user.role !== "ADMIN");
    return RL.session;
  },

  async logout() {
    await RL.api("/api/logout", { method: "POST" });
    location.href = "/index.html";
  },

  el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.substring(2), v);
      else if (v !== null && v !== undefined) e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? "" : String(c)));
    return e;
  },

  /** Whether a ?next= target stays on this site: one leading slash, not "//host" or "/\\host" (both leave it). */
  isLocalPath(path) {
    if (!path || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return false;
    try {
      return new URL(path, location.origin).origin === location.origin;
    } catch (e) {
      return false;
    }
  },

  grade(grades, g) {
    return g === null || g === undefined ? "—" : grades[g];
  },

  reasons(list) {
    const words = { low_confidence: "low confidence", borderline: "borderline", ood: "outside what the model was trained on",
      poor_image_quality: "poor image quality", uncalibrated: "uncalibrated model" };
    return (list || []).map(r => words[r] || r).join(", ");
  },

  /** The header's own-password form: shown by its button, posts to /api/password (other sessions of the user end). */
  bindPasswordForm() {
    const form = document.getElementById("password-form");
    document.getElementById("password-toggle").addEventListener("click", () => form.hidden = !form.hidden);
    form.addEventListener("submit", async ev => {
      ev.preventDefault();
      try {
        await RL.api("/api/password", { method: "POST", json: {
          currentPassword: document.getElementById("current-password").value,
          newPassword: document.getElementById("new-own-password").value } });
        form.reset();
        form.hidden = true;
        RL.toast("password changed");
      } catch (e) {
        RL.toast(e.message, true);
      }
    });
  },

  toast(message, isError) {
    const t = document.getElementById("toast");
    if (!t) return alert(message);
    t.textContent = message;
    t.className = isError ? "toast error" : "toast";
    t.hidden = false;
    clearTimeout(RL.toastTimer);
    RL.toastTimer = setTimeout(() => t.hidden = true, 4000);
  }
};
