// The herd's status page: asks this server's /status, then every server's /status (each admin
// endpoint allows it), and draws the servers, the links between them, each server's load (rates, p99,
// a chart of the last minute), each link's traffic, and the newest updates with the servers that hold
// them (asked of each server's store through /records).
// Plain JavaScript, no build step; it refreshes itself every second.
"use strict";

const REFRESH_MS = 1000;
const TIMEOUT_MS = 900;
const MAX_UPDATES = 10;
// Under load the update list would change every second: it is redrawn at most this often, and new
// entries are only highlighted while they come one at a time.
const UPDATES_EVERY_MS = 2000;
const CALM_NEW_ENTRIES = 3;
const HISTORY = 60; // seconds of readings kept per server, for the rates and the charts
const SVG = "http://www.w3.org/2000/svg";
const seenUpdates = new Set();
const history = new Map(); // server name -> [{t, iamat, whatsat, latency, peers}], oldest first
let updatesDrawnAt = 0;

async function fetchStatus(url) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(url, { signal: abort.signal, cache: "no-store" });
    if (!response.ok) {
      throw new Error(url + ": HTTP " + response.status);
    }
    return await response.json();
  } finally {
    clearTimeout(timer);
  }
}

// A link is up when every end that answers says it is open; with neither end answering it is down.
function linkState(a, b, statuses) {
  const reports = [];
  for (const [from, to] of [[a, b], [b, a]]) {
    const status = statuses.get(from);
    if (status) {
      const peer = status.peers.find(p => p.name === to);
      reports.push(Boolean(peer && peer.up));
    }
  }
  return reports.length > 0 && reports.every(Boolean) ? "up" : "down";
}

function serverState(member, statuses) {
  if (statuses.get(member.name)) {
    return statuses.get(member.name).serving ? "up" : "down";
  }
  return member.admin ? "down" : "unknown";
}

function svgElement(name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, value);
  }
  if (text !== undefined) {
    element.textContent = text;
  }
  return element;
}

function drawGraph(herd, statuses) {
  const svg = document.getElementById("graph");
  const width = 560, height = 380, radius = 140;
  const position = new Map();
  herd.forEach((member, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / herd.length;
    position.set(member.name, { x: width / 2 + radius * Math.cos(angle), y: height / 2 + radius * Math.sin(angle) });
  });
  svg.replaceChildren();
  const order = new Map(herd.map((m, i) => [m.name, i]));
  for (const member of herd) {
    for (const peer of member.peers) {
      if (order.get(peer) <= order.get(member.name)) {
        continue; // each link once
      }
      const a = position.get(member.name), b = position.get(peer);
      const state = linkState(member.name, peer, statuses);
      const line = svgElement("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, "data-link": member.name + "-" + peer, "data-state": state });
      line.appendChild(svgElement("title", {}, member.name + " \u2013 " + peer + ": " + state));
      svg.appendChild(line);
    }
  }
  for (const member of herd) {
    const p = position.get(member.name);
    const status = statuses.get(member.name);
    const group = svgElement("g", { "data-server": member.name, "data-state": serverState(member, statuses) });
    group.appendChild(svgElement("circle", { cx: p.x, cy: p.y, r: 26 }));
    group.appendChild(svgElement("text", { x: p.x, y: p.y - 34, class: "name" }, member.name));
    group.appendChild(svgElement("text", { x: p.x, y: p.y + 45 },
      status ? status.records + (status.records === 1 ? " record" : " records") : (member.admin ? "not answering" : "no admin endpoint")));
    svg.appendChild(group);
  }
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) {
    td.className = className;
  }
}

function uptime(seconds) {
  if (seconds < 60) return seconds + " s";
  if (seconds < 3600) return Math.floor(seconds / 60) + " min";
  return Math.floor(seconds / 3600) + " h " + Math.floor((seconds % 3600) / 60) + " min";
}

// Keeps one reading per server per refresh, as long as the server answers.
function remember(herd, statuses) {
  const now = Date.now();
  for (const member of herd) {
    const s = statuses.get(member.name);
    if (!s) {
      history.delete(member.name); // a restarted server's counters start again from zero
      continue;
    }
    const readings = history.get(member.name) || [];
    const peers = new Map(s.peers.map(p => [p.name, p]));
    readings.push({ t: now, uptime: s.uptimeSeconds, iamat: s.counts.iamat, whatsat: s.counts.whatsat,
      latency: s.latency, peers });
    if (readings.length > 1 && readings[readings.length - 1].uptime < readings[readings.length - 2].uptime) {
      readings.splice(0, readings.length - 1); // restarted between two readings
    }
    while (readings.length > HISTORY + 1) readings.shift();
    history.set(member.name, readings);
  }
}

// Per second between two readings; null without two.
function perSecond(readings, value, back = 1) {
  if (!readings || readings.length <= back) return null;
  const a = readings[readings.length - 1 - back], b = readings[readings.length - 1];
  const seconds = (b.t - a.t) / 1000;
  return seconds > 0 ? Math.max(0, (value(b) - value(a)) / seconds) : null;
}

// The 99th percentile of the requests answered between the last two readings, from the difference
// of their cumulative buckets: the bucket's upper bound, as Prometheus's histogram_quantile would.
function p99(readings, command) {
  if (!readings || readings.length < 2) return "";
  const a = readings[readings.length - 2].latency, b = readings[readings.length - 1].latency;
  const delta = b[command].map((c, i) => c - a[command][i]);
  const total = delta[delta.length - 1];
  if (total <= 0) return "\u2013";
  const i = delta.findIndex(c => c >= 0.99 * total);
  return i >= b.boundsSeconds.length ? "> 10 s" : "\u2264 " + duration(b.boundsSeconds[i]);
}

function duration(seconds) {
  return seconds < 0.001 ? Math.round(seconds * 1e6) + " \u00b5s" : seconds < 1 ? +(seconds * 1000).toFixed(2) + " ms" : seconds + " s";
}

function rate(value) {
  if (value === null) return "";
  return value >= 1000 ? (value / 1000).toFixed(1) + " k" : value >= 10 ? String(Math.round(value)) : value.toFixed(1);
}

function bytes(perSecondValue) {
  if (perSecondValue === null) return "";
  return perSecondValue >= 1e6 ? (perSecondValue / 1e6).toFixed(1) + " MB" : perSecondValue >= 1e3
    ? (perSecondValue / 1e3).toFixed(1) + " kB" : Math.round(perSecondValue) + " B";
}

// A small chart of requests per second (IAMAT and WHATSAT) over the last minute.
function sparkline(readings) {
  const width = 120, height = 24;
  const svg = svgElement("svg", { width, height, viewBox: "0 0 " + width + " " + height, class: "spark" });
  if (!readings || readings.length < 2) return svg;
  const values = [];
  for (let i = 1; i < readings.length; i++) {
    const seconds = (readings[i].t - readings[i - 1].t) / 1000;
    const done = readings[i].iamat + readings[i].whatsat - readings[i - 1].iamat - readings[i - 1].whatsat;
    values.push(seconds > 0 ? Math.max(0, done / seconds) : 0);
  }
  const top = Math.max(1, ...values);
  const points = values.map((v, i) => ((width * (HISTORY - values.length + i)) / (HISTORY - 1)).toFixed(1) + ","
    + (height - 1 - ((height - 2) * v) / top).toFixed(1));
  svg.appendChild(svgElement("polyline", { points: points.join(" ") }));
  svg.appendChild(svgElement("title", {}, "requests/s over the last minute; peak " + rate(top)));
  return svg;
}

function fillTable(herd, statuses) {
  const body = document.querySelector("#servers tbody");
  body.replaceChildren();
  for (const member of herd) {
    const s = statuses.get(member.name);
    const readings = history.get(member.name);
    const row = body.insertRow();
    row.dataset.server = member.name;
    const state = serverState(member, statuses);
    cell(row, member.name);
    cell(row, state, "state-" + state);
    cell(row, s ? s.address : "");
    for (const value of s ? [s.records, s.connections.open] : ["", ""]) {
      cell(row, String(value));
    }
    cell(row, s ? rate(perSecond(readings, r => r.iamat)) : "", "rate iamat-rate");
    cell(row, s ? rate(perSecond(readings, r => r.whatsat)) : "", "rate whatsat-rate");
    cell(row, s ? p99(readings, "IAMAT") : "", "p99");
    cell(row, s ? p99(readings, "WHATSAT") : "", "p99");
    row.insertCell().appendChild(sparkline(s ? readings : null));
    for (const value of s ? [s.counts.iamat, s.counts.whatsat, s.counts.invalidLines, s.counts.updatesStale] : Array(4).fill("")) {
      cell(row, String(value));
    }
    cell(row, s ? uptime(s.uptimeSeconds) : "");
  }
}

// One row per direction of each link: its state at the sending end and its traffic now.
function fillLinks(herd, statuses) {
  const body = document.querySelector("#links tbody");
  body.replaceChildren();
  for (const member of herd) {
    const s = statuses.get(member.name);
    const readings = history.get(member.name);
    for (const peer of member.peers) {
      const row = body.insertRow();
      row.dataset.link = member.name + "->" + peer;
      const link = s && s.peers.find(p => p.name === peer);
      const state = link ? (link.up ? "up" : "down") : "unknown";
      cell(row, member.name + " \u2192 " + peer + (link && link.treeLink ? " (tree)" : ""));
      cell(row, state, "state-" + state);
      const sent = r => (r.peers.get(peer) || { updatesSent: 0 }).updatesSent;
      const sentBytes = r => (r.peers.get(peer) || { bytesSent: 0 }).bytesSent;
      cell(row, link ? rate(perSecond(readings, sent)) : "", "rate");
      cell(row, link ? bytes(perSecond(readings, sentBytes)) : "", "rate");
      cell(row, link ? String(link.updatesSent) : "");
      cell(row, link ? String(link.reconnects) : "");
    }
  }
}

// The newest updates the servers report (one entry per client and time, first seen where), and for
// each, the servers that hold it now, asked of their stores (/records): not guessed from the lists.
async function listUpdates(herd, statuses) {
  const merged = new Map();
  for (const [name, status] of statuses) {
    if (!status) continue;
    for (const u of status.recentUpdates) {
      const key = u.client + " " + u.time;
      const stored = Date.parse(u.storedAt); // ISO text does not sort by time: "...52Z" vs "...52.329Z"
      const entry = merged.get(key) || { update: u, first: stored };
      if (stored < entry.first) entry.first = stored;
      merged.set(key, entry);
    }
  }
  const newest = [...merged.entries()].sort((a, b) => b[1].first - a[1].first).slice(0, MAX_UPDATES);
  const clients = [...new Set(newest.map(([, e]) => e.update.client))];
  const query = clients.map(c => "client=" + encodeURIComponent(c)).join("&");
  const held = new Map(); // server name -> its records for these clients
  if (clients.length > 0) {
    await Promise.all(herd.map(async member => {
      if (!statuses.get(member.name) || !member.admin) return;
      try {
        held.set(member.name, (await fetchStatus(member.admin + "/records?" + query)).records);
      } catch (e) {
        // not answering: it holds nothing we can see
      }
    }));
  }
  const fresh = newest.filter(([key]) => !seenUpdates.has(key)).length;
  const list = document.getElementById("updates");
  list.replaceChildren();
  for (const [key, entry] of newest) {
    const u = entry.update;
    const holders = [...held.entries()].filter(([, records]) => {
      const r = records[u.client];
      return r && r.time === u.time && r.server === u.server;
    }).map(([name]) => name).sort();
    const li = document.createElement("li");
    li.dataset.client = u.client;
    if (!seenUpdates.has(key)) {
      seenUpdates.add(key);
      if (fresh <= CALM_NEW_ENTRIES) li.className = "fresh";
    }
    const client = document.createElement("span");
    client.className = "client";
    client.textContent = u.client;
    li.append(client, " at " + u.location + " \u00b7 told to " + u.server
      + " \u00b7 " + new Date(entry.first).toLocaleTimeString()
      + " \u00b7 " + (holders.length > 0 ? "held by " + holders.join(", ") : "superseded everywhere"));
    list.appendChild(li);
  }
  if (seenUpdates.size > 10000) seenUpdates.clear();
  document.getElementById("no-updates").hidden = newest.length > 0;
  let total = 0;
  for (const member of herd) {
    total += perSecond(history.get(member.name), r => r.iamat) || 0;
  }
  document.getElementById("updates-rate").textContent = total > 0
    ? rate(total) + " IAMAT/s across the herd \u00b7 the " + MAX_UPDATES + " newest, redrawn every " + UPDATES_EVERY_MS / 1000 + " s"
    : "";
}

async function refresh() {
  const summary = document.getElementById("summary");
  try {
    const self = await fetchStatus("status");
    const herd = self.herd;
    const answers = await Promise.all(herd.map(member => {
      if (member.name === self.server) return self;
      if (!member.admin) return null;
      return fetchStatus(member.admin + "/status").catch(() => null);
    }));
    const statuses = new Map(herd.map((member, i) => [member.name, answers[i]]));
    remember(herd, statuses);
    drawGraph(herd, statuses);
    fillTable(herd, statuses);
    fillLinks(herd, statuses);
    if (Date.now() - updatesDrawnAt >= UPDATES_EVERY_MS) {
      updatesDrawnAt = Date.now();
      await listUpdates(herd, statuses);
    }
    const answering = answers.filter(Boolean).length;
    // How updates spread, as the config says (one setting for the whole herd).
    const spread = self.dissemination === "tree" ? "updates go along a tree (links marked tree; notices on the others)"
      : "updates flood every link";
    summary.textContent = "served by " + self.server + " \u00b7 " + answering + " of " + herd.length
      + " servers answering \u00b7 " + spread + " \u00b7 refreshed " + new Date().toLocaleTimeString();
    document.body.dataset.refreshed = String(Date.now());
  } catch (e) {
    summary.textContent = "this server does not answer (" + e.message + "); retrying";
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
