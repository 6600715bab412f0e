// Overseer dashboard: one EventSource for the live figures, fetch() for the actions. Plain JS, no
// build step. Everything from the server is written with textContent, never as HTML.
"use strict";

(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const COLORS = ["#58a6ff", "#3fb950", "#d29922", "#f85149", "#bc8cff", "#39c5cf", "#ff7b72", "#a5d6ff"];
  const LOG_REFRESH_SNAPSHOTS = 5; // the selected process's logs again every 5 snapshots (about 5 s)
  let history = [];
  let historySpanMs = 5 * 60 * 1000;
  let selected = null;
  let snapshotsSinceLogs = 0;
  const appColors = {};

  const $ = (id) => document.getElementById(id);

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function uptime(ms) {
    const s = Math.floor(ms / 1000);
    if (s >= 86400) return Math.floor(s / 86400) + "d";
    if (s >= 3600) return Math.floor(s / 3600) + "h";
    if (s >= 60) return Math.floor(s / 60) + "m";
    return s + "s";
  }

  function bytes(n) {
    if (n === undefined || n === null || n < 0) return "-";
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let v = n, u = 0;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    return u === 0 ? v + " B" : v.toFixed(1) + " " + units[u];
  }

  function cpu(p) { return p === undefined || p === null || p < 0 ? "-" : p.toFixed(1) + "%"; }

  function colorOf(app) {
    if (!appColors[app]) appColors[app] = COLORS[Object.keys(appColors).length % COLORS.length];
    return appColors[app];
  }

  function show(id, text, cls) {
    const e = $(id);
    e.textContent = text;
    e.className = cls || id;
    e.hidden = !text;
  }

  // --- actions -------------------------------------------------------------------------------

  async function call(method, path, body) {
    const response = await fetch("/_admin/ui/api" + path, {
      method: method,
      credentials: "same-origin",
      headers: { "X-Overseer-Csrf": csrf, "Content-Type": "application/json", "Accept": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let json = {};
    try { json = await response.json(); } catch (e) { json = { error: response.statusText }; }
    return { ok: response.ok, json: json };
  }

  async function act(what, path, body) {
    show("message", what + "…", "message");
    const r = await call("POST", path, body);
    if (r.ok) {
      show("message", what + ": " + (r.json.message || "done"), "message");
    } else {
      show("message", what + " failed: " + (r.json.error || "error") +
        (r.json.message ? " (" + r.json.message + ")" : ""), "message failed");
    }
  }

  const enc = encodeURIComponent;

  // --- tables --------------------------------------------------------------------------------

  // Rows are kept by key and updated in place, so a button or a half-typed number survives a push.
  function syncRows(tbody, items, keyOf, create, update) {
    const existing = new Map();
    for (const row of Array.from(tbody.rows)) existing.set(row.dataset.key, row);
    const wanted = new Set();
    items.forEach((item, index) => {
      const key = keyOf(item);
      wanted.add(key);
      let row = existing.get(key);
      if (!row) { row = create(item); row.dataset.key = key; }
      update(row, item);
      if (tbody.rows[index] !== row) tbody.insertBefore(row, tbody.rows[index] || null);
    });
    for (const [key, row] of existing) if (!wanted.has(key)) row.remove();
  }

  function createAppRow(app) {
    const row = el("tr");
    row.className = "app";
    for (let i = 0; i < 3; i++) row.appendChild(el("td"));
    const actions = el("td");
    const reload = el("button", "reload");
    reload.dataset.action = "reload";
    reload.dataset.app = app.name;
    reload.addEventListener("click", () => act("reload " + app.name, "/apps/" + enc(app.name) + "/reload", {}));
    const restart = el("button", "restart");
    restart.dataset.action = "restart";
    restart.dataset.app = app.name;
    restart.addEventListener("click", () => act("restart " + app.name, "/apps/" + enc(app.name) + "/restart", {}));
    const count = el("input");
    count.type = "number";
    count.min = "0";
    count.value = app.instances;
    count.dataset.scaleApp = app.name;
    const scale = el("button", "scale");
    scale.dataset.action = "scale";
    scale.dataset.app = app.name;
    scale.addEventListener("click", () => {
      const n = Number(count.value);
      act("scale " + app.name + " to " + count.value, "/apps/" + enc(app.name) + "/scale", { instances: n });
    });
    actions.append(reload, restart, count, scale);
    row.appendChild(actions);
    return row;
  }

  function updateAppRow(row, app) {
    row.cells[0].textContent = app.name;
    row.cells[1].textContent = app.instances;
    row.cells[2].textContent = app.state;
    row.cells[2].className = "state-" + app.state;
  }

  const PROCESS_CELLS = 12;

  function createProcessRow(p) {
    const row = el("tr");
    row.className = "process";
    for (let i = 0; i < PROCESS_CELLS; i++) row.appendChild(el("td", "", i >= 7 ? "num" : ""));
    const actions = el("td");
    const restart = el("button", "restart");
    restart.dataset.action = "restart-process";
    restart.dataset.process = p.id;
    restart.addEventListener("click", (event) => {
      event.stopPropagation();
      act("restart " + p.id, "/workers/" + enc(p.id) + "/restart", {});
    });
    actions.appendChild(restart);
    row.appendChild(actions);
    row.addEventListener("click", () => select(p.id));
    return row;
  }

  function updateProcessRow(row, p) {
    const running = p.pid !== null && p.pid !== undefined;
    const values = [
      p.id, p.app, p.host || "-", running ? p.pid : "-", p.state,
      running ? uptime(p.uptimeMillis) : "-", p.restarts, cpu(p.cpuPercent), bytes(p.rssBytes),
      p.reqPerSec.toFixed(1), p.p99Millis === null ? "-" : p.p99Millis.toFixed(0) + " ms", p.inFlight,
    ];
    values.forEach((v, i) => { row.cells[i].textContent = v; });
    row.cells[4].className = "state-" + p.state;
    row.dataset.state = p.state;
    row.classList.toggle("selected", p.id === selected);
  }

  function render(snapshot) {
    $("updated").textContent = "updated " + new Date(snapshot.time).toLocaleTimeString();
    show("error", snapshot.error || "", "error");
    if (snapshot.error) return; // keep the last good figures on the page
    syncRows($("apps").tBodies[0], snapshot.apps, (a) => a.name, createAppRow, updateAppRow);
    syncRows($("processes").tBodies[0], snapshot.processes, (p) => p.id, createProcessRow, updateProcessRow);
  }

  // --- logs ----------------------------------------------------------------------------------

  async function loadLogs() {
    if (!selected) return;
    const process = selected;
    const r = await call("GET", "/logs?process=" + enc(process));
    if (process !== selected) return;
    const pre = $("log-lines");
    pre.textContent = "";
    if (!r.ok) { pre.textContent = r.json.error || "no logs"; return; }
    if (r.json.lines.length === 0) { pre.textContent = "(no lines yet)"; return; }
    for (const line of r.json.lines) {
      const span = el("span", line.time.replace("T", " ").replace("Z", "") + "  " + line.source + "  " + line.text + "\n");
      if (line.source.endsWith("/err")) span.className = "err";
      pre.appendChild(span);
    }
    pre.scrollTop = pre.scrollHeight;
  }

  function select(id) {
    selected = id;
    $("log-process").textContent = id;
    $("log-refresh").hidden = false;
    for (const row of $("processes").tBodies[0].rows) row.classList.toggle("selected", row.dataset.key === id);
    snapshotsSinceLogs = 0;
    loadLogs();
  }

  // --- charts --------------------------------------------------------------------------------

  function drawChart(canvas, value, format) {
    const ctx = canvas.getContext("2d");
    const w = canvas.width, h = canvas.height, left = 56, bottom = 16;
    ctx.clearRect(0, 0, w, h);
    ctx.font = "11px sans-serif";
    ctx.fillStyle = "#8a99a6";
    ctx.strokeStyle = "#26323c";
    const now = history.length ? history[history.length - 1].t : Date.now();
    const from = now - historySpanMs;
    let max = 0;
    for (const s of history) for (const app in s.apps) max = Math.max(max, value(s.apps[app]));
    max = max > 0 ? max * 1.15 : 1;
    for (let i = 0; i <= 2; i++) {
      const y = 4 + (h - bottom - 8) * (i / 2);
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(w, y); ctx.stroke();
      ctx.fillText(format(max * (1 - i / 2)), 2, y + 4);
    }
    ctx.fillText("-" + Math.round(historySpanMs / 60000) + " min", left, h - 3);
    ctx.fillText("now", w - 24, h - 3);
    const apps = new Set();
    for (const s of history) for (const app in s.apps) apps.add(app);
    for (const app of apps) {
      ctx.strokeStyle = colorOf(app);
      ctx.lineWidth = 1.6;
      ctx.beginPath();
      let started = false;
      for (const s of history) {
        if (!s.apps[app]) { started = false; continue; }
        const x = left + (w - left) * ((s.t - from) / historySpanMs);
        const y = 4 + (h - bottom - 8) * (1 - value(s.apps[app]) / max);
        if (started) ctx.lineTo(x, y); else { ctx.moveTo(x, y); started = true; }
      }
      ctx.stroke();
    }
    ctx.lineWidth = 1;
  }

  function drawCharts() {
    drawChart($("chart-rps"), (a) => a.reqPerSec, (v) => v.toFixed(1));
    drawChart($("chart-cpu"), (a) => a.cpuPercent, (v) => v.toFixed(0) + "%");
    drawChart($("chart-rss"), (a) => a.rssBytes, bytes);
    const legend = $("legend");
    legend.textContent = "";
    for (const app of Object.keys(appColors)) {
      const item = el("span", "■ " + app);
      item.style.color = appColors[app];
      legend.appendChild(item);
    }
  }

  // --- the stream ----------------------------------------------------------------------------

  function connect() {
    const events = new EventSource("/_admin/ui/events");
    events.addEventListener("open", () => show("connection", "live", "badge live"));
    events.addEventListener("history", (e) => {
      history = JSON.parse(e.data);
      drawCharts();
    });
    events.addEventListener("snapshot", (e) => {
      const snapshot = JSON.parse(e.data);
      historySpanMs = Math.max(historySpanMs, snapshot.intervalMillis);
      render(snapshot);
      if (snapshot.sample) {
        history.push(snapshot.sample);
        while (history.length && history[0].t < snapshot.sample.t - historySpanMs) history.shift();
      }
      drawCharts();
      if (selected && ++snapshotsSinceLogs >= LOG_REFRESH_SNAPSHOTS) { snapshotsSinceLogs = 0; loadLogs(); }
    });
    events.addEventListener("error", () => {
      // The browser reconnects by itself; a refused stream (session expired) stays closed.
      show("connection", events.readyState === EventSource.CLOSED
        ? "disconnected: run 'overseer dashboard' to log in again" : "reconnecting…", "badge down");
    });
  }

  $("log-refresh").addEventListener("click", loadLogs);
  connect();
})();
