// The herd's status page: asks this server's /status, then every server's /status (each admin
// endpoint allows it), and draws the servers, the links between them and the newest updates.
// Plain JavaScript, no build step; it refreshes itself every second.
"use strict";

const REFRESH_MS = 1000;
const TIMEOUT_MS = 900;
const MAX_UPDATES = 15;
const SVG = "http://www.w3.org/2000/svg";
const seenUpdates = new Set();

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

function fillTable(herd, statuses) {
  const body = document.querySelector("#servers tbody");
  body.replaceChildren();
  for (const member of herd) {
    const s = statuses.get(member.name);
    const row = body.insertRow();
    row.dataset.server = member.name;
    const state = serverState(member, statuses);
    cell(row, member.name);
    cell(row, state, "state-" + state);
    cell(row, s ? s.address : "");
    for (const value of s ? [s.records, s.connections.open, s.counts.iamat, s.counts.whatsat, s.counts.invalidLines,
                             s.counts.updatesReceived, s.counts.updatesSent, s.counts.updatesStale] : Array(8).fill("")) {
      cell(row, String(value));
    }
    cell(row, s ? uptime(s.uptimeSeconds) : "");
  }
}

// One entry per update (client and time), however many servers stored it: first seen, and where.
function listUpdates(statuses) {
  const merged = new Map();
  for (const [name, status] of statuses) {
    if (!status) continue;
    for (const u of status.recentUpdates) {
      const key = u.client + " " + u.time;
      const stored = Date.parse(u.storedAt); // ISO text does not sort by time: "...52Z" vs "...52.329Z"
      const entry = merged.get(key) || { update: u, first: stored, holders: new Set() };
      if (stored < entry.first) entry.first = stored;
      entry.holders.add(name);
      merged.set(key, entry);
    }
  }
  const newest = [...merged.entries()].sort((a, b) => b[1].first - a[1].first).slice(0, MAX_UPDATES);
  const list = document.getElementById("updates");
  list.replaceChildren();
  for (const [key, entry] of newest) {
    const li = document.createElement("li");
    li.dataset.client = entry.update.client;
    if (!seenUpdates.has(key)) {
      seenUpdates.add(key);
      li.className = "fresh";
    }
    const client = document.createElement("span");
    client.className = "client";
    client.textContent = entry.update.client;
    li.append(client, " at " + entry.update.location + " \u00b7 told to " + entry.update.server
      + " \u00b7 " + new Date(entry.first).toLocaleTimeString()
      + " \u00b7 held by " + [...entry.holders].sort().join(", "));
    list.appendChild(li);
  }
  document.getElementById("no-updates").hidden = newest.length > 0;
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
    drawGraph(herd, statuses);
    fillTable(herd, statuses);
    listUpdates(statuses);
    const answering = answers.filter(Boolean).length;
    summary.textContent = "served by " + self.server + " \u00b7 " + answering + " of " + herd.length
      + " servers answering \u00b7 refreshed " + new Date().toLocaleTimeString();
    document.body.dataset.refreshed = String(Date.now());
  } catch (e) {
    summary.textContent = "this server does not answer (" + e.message + "); retrying";
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
