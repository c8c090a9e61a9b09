// The lecturer's dashboard: reads the token-protected API every few seconds; all text inserted with textContent.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("page-data").textContent);
  const t = data.words;
  const SVG = "http://www.w3.org/2000/svg";
  const REFRESH_MS = 3000;
  const login = document.getElementById("login");
  const dashboard = document.getElementById("dashboard");
  let timer = null;

  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) {
    sessionStorage.setItem("symbackprop:teacher", fromHash);
    history.replaceState(null, "", location.pathname + location.search);
  }

  function token() {
    return sessionStorage.getItem("symbackprop:teacher") || "";
  }

  function cell(tag, value, className) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    el.textContent = value;
    return el;
  }

  function bar(correct, consistent, wrong) {
    const total = correct + consistent + wrong || 1;
    const holder = document.createElement("div");
    holder.className = "bar";
    holder.setAttribute("role", "img");
    holder.setAttribute("aria-label", correct + " / " + consistent + " / " + wrong);
    [["c", correct], ["k", consistent], ["w", wrong]].forEach(([kind, n]) => {
      const part = document.createElement("span");
      part.className = kind;
      part.style.width = (100 * n / total) + "%";
      holder.appendChild(part);
    });
    return holder;
  }

  async function get(path) {
    const response = await fetch(path, { headers: { Authorization: "Bearer " + token() } });
    if (response.status === 401 || response.status === 403) throw new Error("refused");
    if (!response.ok) throw new Error("failed");
    return response;
  }

  function showLogin(refused) {
    dashboard.classList.add("hidden");
    login.classList.remove("hidden");
    document.getElementById("refused").classList.toggle("hidden", !refused);
    document.getElementById("token").focus();
  }

  function renderQuestions(summary) {
    const body = document.querySelector("#question-table tbody");
    body.replaceChildren();
    Object.entries(summary.questions).forEach(([name, q]) => {
      const row = document.createElement("tr");
      row.dataset.question = name;
      row.appendChild(cell("th", name));
      row.firstChild.setAttribute("scope", "row");
      row.appendChild(cell("td", String(q.correct), "n correct"));
      row.appendChild(cell("td", String(q.consistent), "n consistent"));
      row.appendChild(cell("td", String(q.wrong), "n wrong"));
      const share = document.createElement("td");
      share.appendChild(bar(q.correct, q.consistent, q.wrong));
      row.appendChild(share);
      const mistakes = document.createElement("td");
      mistakes.className = "mistakes";
      Object.entries(q.mistakes).slice(0, 3).forEach(([id, n], index) => {
        if (index) mistakes.appendChild(document.createTextNode("; "));
        const item = cell("span", ((t.mistake_names && t.mistake_names[id]) || id) + " (" + n + ")");
        item.title = id + ": " + ((t.mistakes && t.mistakes[id]) || "");
        item.dataset.mistake = id;
        mistakes.appendChild(item);
      });
      row.appendChild(mistakes);
      body.appendChild(row);
    });
  }

  function renderChart(summary) {
    const entries = Object.entries(summary.questions);
    const width = Math.max(320, entries.length * 34 + 50), height = 190, base = 150;
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("width", String(width));
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", t.correct_rate);
    [0, 0.5, 1].forEach((level) => {
      const y = base - level * 130;
      const line = document.createElementNS(SVG, "line");
      line.setAttribute("x1", "40"); line.setAttribute("x2", String(width));
      line.setAttribute("y1", String(y)); line.setAttribute("y2", String(y));
      svg.appendChild(line);
      const label = document.createElementNS(SVG, "text");
      label.setAttribute("x", "4"); label.setAttribute("y", String(y + 4));
      label.textContent = Math.round(level * 100) + "%";
      svg.appendChild(label);
    });
    entries.forEach(([name, q], index) => {
      const total = q.correct + q.consistent + q.wrong;
      const rate = total ? q.correct / total : 0;
      const x = 46 + index * 34;
      const rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("class", "bar-c");
      rect.setAttribute("x", String(x)); rect.setAttribute("width", "24");
      rect.setAttribute("y", String(base - rate * 130)); rect.setAttribute("height", String(rate * 130));
      const title = document.createElementNS(SVG, "title");
      title.textContent = name + ": " + Math.round(rate * 100) + "% (" + q.correct + "/" + total + ")";
      rect.appendChild(title);
      svg.appendChild(rect);
      const label = document.createElementNS(SVG, "text");
      label.setAttribute("transform", "translate(" + (x + 14) + "," + (base + 6) + ") rotate(45)");
      label.textContent = name.length > 14 ? name.slice(0, 13) + "…" : name;
      svg.appendChild(label);
    });
    document.getElementById("chart").replaceChildren(svg);
  }

  function renderStudents(progress) {
    const body = document.querySelector("#student-table tbody");
    body.replaceChildren();
    progress.students.forEach((s) => {
      const row = document.createElement("tr");
      row.appendChild(cell("th", s.student));
      row.firstChild.setAttribute("scope", "row");
      row.appendChild(cell("td", s.variant));
      row.appendChild(cell("td", s.answered + " / " + s.asked, "n"));
      row.appendChild(cell("td", String(s.correct), "n"));
      row.appendChild(cell("td", String(s.consistent), "n"));
      row.appendChild(cell("td", String(s.wrong), "n"));
      const share = document.createElement("td");
      share.appendChild(bar(s.correct, s.consistent, s.wrong));
      row.appendChild(share);
      body.appendChild(row);
    });
  }

  async function refresh() {
    try {
      const summary = await (await get("/api/teacher/summary")).json();
      const progress = await (await get("/api/teacher/students")).json();
      login.classList.add("hidden");
      dashboard.classList.remove("hidden");
      document.getElementById("count-submissions").textContent = String(summary.submissions);
      document.getElementById("count-students").textContent = String(summary.students);
      document.getElementById("updated").textContent = t.updated + " " + new Date().toLocaleTimeString(data.lang);
      renderQuestions(summary);
      renderChart(summary);
      renderStudents(progress);
    } catch (err) {
      if (err.message === "refused") {
        clearInterval(timer);
        timer = null;
        showLogin(Boolean(token()));
      }
    }
  }

  async function download(path, name) {
    try {
      const blob = await (await get(path)).blob();
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
    } catch (err) { /* refused: the next refresh shows the login */ }
  }

  function start() {
    refresh();
    if (!timer) timer = setInterval(refresh, REFRESH_MS);
  }

  login.addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem("symbackprop:teacher", document.getElementById("token").value.trim());
    start();
  });
  document.getElementById("export-answers").addEventListener("click", () => download("/api/teacher/answers.csv", "answers.csv"));
  document.getElementById("export-report").addEventListener("click", () => download("/api/teacher/report.csv", "report.csv"));
  if (token()) start(); else showLogin(false);
})();
