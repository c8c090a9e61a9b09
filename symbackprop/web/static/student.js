// The student page: math rendering, live previews, checks and verdicts. Every text from the user or the server is
// inserted with textContent; only LaTeX printed by the server is rendered (by KaTeX).
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("page-data").textContent);
  const t = data.words;
  const NUMBER = /^\s*[+\-\u2212]?(\d[\d_]*([.,]\d*)?|[.,]\d+)([eE][+\-]?\d+)?\s*$/;
  const forms = Array.from(document.querySelectorAll("form.question"));
  const byName = new Map(forms.map((form) => [form.dataset.name, form]));
  const failed = new Set(); // expressions the server could not read or check in time: left out until edited
  const storageKey = "symbackprop:" + (data.variant || "") + ":" + (data.student || "");
  const secretKey = "symbackprop:secret:" + (data.student || "");
  const SECRET = /^[A-Za-z0-9_-]{16,128}$/;
  const TIMEOUT_MS = 20000;
  const pending = new Map(); // form -> {request, submission}: a retry of the same click keeps its submission id

  function renderMath(root) {
    if (!window.katex) return;
    root.querySelectorAll("[data-tex]").forEach((el) => {
      try {
        window.katex.render(el.dataset.tex, el, { throwOnError: false, displayMode: el.classList.contains("display") });
      } catch (err) {
        el.textContent = el.dataset.tex;
      }
    });
  }

  function math(tex) {
    const span = document.createElement("span");
    span.className = "math";
    span.dataset.tex = tex;
    span.textContent = tex;
    if (window.katex) {
      try { window.katex.render(tex, span, { throwOnError: false }); } catch (err) { span.textContent = tex; }
    }
    return span;
  }

  function text(tag, value, className) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    el.textContent = value;
    return el;
  }

  function fill(message, values) {
    return Object.keys(values).reduce((m, key) => m.split("((" + key + "))").join(values[key]), message);
  }

  function number(value) {
    if (value === null || value === undefined) return "";
    const shown = Number(value).toPrecision(6).replace(/\.?0+(e|$)/, "$1");
    return data.lang === "en" ? shown : shown.replace(".", ",");
  }

  function entryOf(form) {
    return form.querySelector("input").value.trim();
  }

  function isNumber(value) {
    return NUMBER.test(value);
  }

  function save() {
    const entries = {};
    forms.forEach((form) => { if (entryOf(form)) entries[form.dataset.name] = entryOf(form); });
    try { sessionStorage.setItem(storageKey, JSON.stringify(entries)); } catch (err) { /* private mode */ }
  }

  async function post(path, body) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(path, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
        signal: controller.signal,
      });
      let answer = {};
      try { answer = await response.json(); } catch (err) { answer = { error: t.network_error }; }
      return { ok: response.ok, status: response.status, answer };
    } finally {
      clearTimeout(timer);
    }
  }

  // -- the student's secret: made here, kept in this browser, needed to record and to read answers back ------
  function secret() {
    try { return localStorage.getItem(secretKey) || ""; } catch (err) { return ""; }
  }

  function keepSecret(value) {
    try { localStorage.setItem(secretKey, value); } catch (err) { /* private mode: kept for this page only */ }
    keptSecret = value;
    const shown = document.getElementById("key-value");
    if (shown) shown.textContent = value;
  }

  function newSecret() {
    const bytes = new Uint8Array(18);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  let keptSecret = "";

  function askForKey(message) {
    const problem = document.getElementById("key-problem");
    const form = document.getElementById("key-form");
    if (!problem || !form) return;
    problem.textContent = message;
    problem.classList.remove("hidden");
    form.classList.remove("hidden");
    document.getElementById("key-input").focus();
  }

  function setUpKey() {
    if (!data.record || !data.student) return;
    keepSecret(secret() || keptSecret || newSecret());
    const form = document.getElementById("key-form");
    if (!form) return;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = document.getElementById("key-input").value.trim();
      if (!SECRET.test(value)) return;
      keepSecret(value);
      document.getElementById("key-problem").classList.add("hidden");
      form.classList.add("hidden");
      restore();
    });
  }

  // -- previews ------------------------------------------------------------------------------------
  const timers = new Map();
  function schedulePreview(form) {
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(() => preview(form), 250));
  }

  async function preview(form) {
    const box = form.querySelector(".preview");
    const value = entryOf(form);
    box.replaceChildren();
    if (!value) return;
    if (isNumber(value)) return; // a number reads as typed
    const request = { text: value };
    if (data.variant) request.variant = data.variant;
    try {
      const { answer } = await post("/api/preview", request);
      if (entryOf(form) !== value) return; // typed on meanwhile
      box.replaceChildren(answer.tex !== undefined ? math(answer.tex) : text("span", answer.error || "", "problem-text"));
    } catch (err) {
      box.replaceChildren();
    }
  }

  // -- verdicts ------------------------------------------------------------------------------------
  function showVerdict(result) {
    const form = byName.get(result.name);
    if (!form) return;
    const box = form.querySelector(".verdict");
    box.className = "verdict " + result.verdict;
    box.replaceChildren(text("span", t[result.verdict] || result.verdict, "word"));
    const detail = result.detail || {};
    if (result.verdict === "consistent") {
      box.appendChild(text("span", fill(t.consistent_note, { from: (detail.from || []).join(", ") })));
    }
    if (result.mistake) {
      const hint = (t.mistakes && t.mistakes[result.mistake]) || result.mistake;
      box.appendChild(text("span", t.mistake + ": " + hint, "more"));
    }
    if (detail.point) {
      const where = Object.keys(detail.point).map((k) => k + " = " + number(detail.point[k])).join(", ");
      const lead = detail.at === "random" ? t.differs_elsewhere : t.differs_at;
      let line = lead + " " + where + ": " + t.claimed_value + " " + number(detail.claimed_value);
      if (detail.correct_value !== undefined) line += "; " + t.correct_value + " " + number(detail.correct_value);
      box.appendChild(text("span", line, "more"));
    } else if (detail.at === "values") {
      box.appendChild(text("span", t.differs_at_values, "more"));
    }
    if (detail.error) box.appendChild(text("span", detail.error, "more"));
    if (result.correct !== null && result.correct !== undefined && result.verdict !== "correct") {
      const more = text("span", t.correct_value + ": ", "more");
      if (typeof result.correct === "string") more.appendChild(math(result.correct));
      else more.appendChild(text("span", number(result.correct)));
      box.appendChild(more);
    }
  }

  function showInvalid(item) {
    const form = byName.get(item.name);
    if (!form) return;
    failed.add(item.name + "\u0000" + entryOf(form));
    const box = form.querySelector(".verdict");
    box.className = "verdict invalid";
    box.replaceChildren(text("span", item.reason === "timeout" ? t.too_slow : t.unreadable, "word"));
    if (item.reason !== "timeout" && item.error) box.appendChild(text("span", item.error, "more"));
  }

  function showProblem(form, message) {
    const box = form.querySelector(".verdict");
    box.className = "verdict invalid";
    box.replaceChildren(text("span", message, "word"));
  }

  function updateScore() {
    const total = forms.length;
    const correct = forms.filter((f) => f.querySelector(".verdict").classList.contains("correct")).length;
    document.getElementById("score").textContent = fill(t.summary, { correct: correct, total: total });
  }

  // -- checking ------------------------------------------------------------------------------------
  function claimsFor(form) {
    const current = entryOf(form);
    const numeric = isNumber(current);
    const claims = {};
    forms.forEach((other) => {
      const value = entryOf(other);
      if (!value || isNumber(value) !== numeric) return;
      if (other !== form && failed.has(other.dataset.name + "\u0000" + value)) return;
      claims[other.dataset.name] = value;
    });
    return claims;
  }

  async function check(form) {
    const value = entryOf(form);
    if (!value) return;
    save();
    const box = form.querySelector(".verdict");
    box.className = "verdict pending";
    box.textContent = t.checking;
    const request = { claims: claimsFor(form), entry: form.dataset.name };
    if (data.variant) request.variant = data.variant;
    if (data.student) request.student = data.student;
    if (data.record) {
      request.secret = keptSecret;
      const key = JSON.stringify(request);
      const last = pending.get(form);
      request.submission = last && last.key === key ? last.submission : newSecret().slice(0, 22);
      pending.set(form, { key: key, submission: request.submission });
    }
    let reply;
    for (let attempt = 0; attempt < 2 && !reply; attempt++) { // one automatic retry, with the same submission id
      try {
        reply = await post("/api/check", request);
      } catch (err) {
        reply = undefined;
      }
    }
    if (!reply) {
      showProblem(form, t.network_error);
      return;
    }
    if (reply.answer.secret) keepSecret(reply.answer.secret);
    if (!reply.ok) {
      showProblem(form, reply.status === 403 ? t.key_needed : reply.answer.error || t.network_error);
      if (reply.status === 403) askForKey(reply.answer.error);
      return;
    }
    pending.delete(form);
    (reply.answer.claims || []).forEach(showVerdict);
    (reply.answer.invalid || []).forEach(showInvalid);
    updateScore();
  }

  async function restore() {
    let entries = {};
    try { entries = JSON.parse(sessionStorage.getItem(storageKey) || "{}"); } catch (err) { entries = {}; }
    if (data.record && data.student) {
      const query = new URLSearchParams({ student: data.student });
      if (data.variant) query.set("variant", data.variant);
      try {
        const headers = { "X-Student-Secret": keptSecret };
        const response = await fetch("/api/answers?" + query.toString(), { headers: headers });
        if (response.ok) {
          const answer = await response.json();
          (answer.answers || []).forEach((row) => { entries[row.quantity] = row.entry; });
        } else if (response.status === 403) {
          askForKey(fill(t.student_taken, { student: data.student }));
        }
      } catch (err) { /* offline: the browser's copy */ }
    }
    const numeric = forms.find((form) => entries[form.dataset.name] && isNumber(entries[form.dataset.name]));
    const symbolic = forms.find((form) => entries[form.dataset.name] && !isNumber(entries[form.dataset.name]));
    forms.forEach((form) => {
      const value = entries[form.dataset.name];
      if (value) { form.querySelector("input").value = value; preview(form); }
    });
    if (numeric) await checkQuietly(numeric);
    if (symbolic) await checkQuietly(symbolic);
  }

  async function checkQuietly(form) {
    const request = { claims: claimsFor(form), record: false };
    if (data.variant) request.variant = data.variant;
    if (data.student) request.student = data.student;
    try {
      const reply = await post("/api/check", request);
      if (reply.ok) {
        (reply.answer.claims || []).forEach(showVerdict);
        (reply.answer.invalid || []).forEach(showInvalid);
        updateScore();
      }
    } catch (err) { /* the entries stay; the student can check again */ }
  }

  renderMath(document);
  setUpKey();
  forms.forEach((form) => {
    const input = form.querySelector("input");
    input.addEventListener("input", () => schedulePreview(form));
    form.addEventListener("submit", (event) => { event.preventDefault(); check(form); });
  });
  if (forms.length) {
    updateScore();
    restore();
  }
})();
