// bench/web: the web UI's bundle size and its first meaningful paint in headless Chromium, on a
// model with 100 features and 90 days of hourly data.
//
// 1. A `telltale serve` on a fresh data directory gets a binary classifier with 90 numeric and 10
//    categorical features, a score and a label: training and validation sets, then 90 days of
//    hourly traffic (--rows-per-hour, default 20) with labels, ten features shifted in the last ten
//    days. The windows are checkpointed to the store before anything is measured.
// 2. Each page (models list; overview, drift table and field detail over the default 7 days and
//    over the whole 90) is opened --loads times in a fresh browser context (empty cache, signed in through session
//    storage). Its first meaningful paint is the first animation frame at which the page's content
//    is on screen and nothing is loading, in milliseconds since navigation began (performance.now);
//    Chromium's first contentful paint is reported beside it.
// 3. The peer, measured in the same run: the same API requests the page made, issued all at once
//    by a client that renders nothing (Node's fetch over keep-alive). It is the floor any page
//    drawing that data could reach on this server; the ratio says what the UI adds to it.
//
// Usage: make bench-web  (or: node bench/web/run.mjs [--rows-per-hour N] [--loads N] [--days N])
// --serve loads the model, prints the server's address and keeps it running (Ctrl-C stops it),
// to look at the same data by hand.
// Needs the server (build/telltale), the built UI (web/dist) and web/node_modules (make build).
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";

const repo = new URL("../../", import.meta.url).pathname;
const { chromium } = createRequire(join(repo, "web/package.json"))("playwright-core");
const { values: options } = parseArgs({
  options: {
    "rows-per-hour": { type: "string", default: "20" },
    loads: { type: "string", default: "5" },
    days: { type: "string", default: "90" },
    serve: { type: "boolean", default: false },
  },
});
const rowsPerHour = Number(options["rows-per-hour"]);
const loads = Number(options.loads);
const days = Number(options.days);
const token = "tt_bench_admin";
const model = "wide";
const numeric = Array.from({ length: 90 }, (_, i) => `x${i}`);
const categorical = Array.from({ length: 10 }, (_, i) => `c${i}`);
const categories = ["alpha", "beta", "gamma", "delta", "epsilon"];

function startServer(dataDir) {
  const server = spawn(join(repo, "build/telltale"),
    ["serve", "--port", "0", "--data-dir", dataDir, "--max-lateness", `${days + 2}d`],
    { env: { ...process.env, TELLTALE_ADMIN_TOKEN: token }, stdio: ["ignore", "ignore", "pipe"] });
  return new Promise((resolve, reject) => {
    let log = "";
    server.stderr.on("data", (chunk) => {
      log += chunk;
      const address = /listening on (http:\/\/\S+)/.exec(log)?.[1];
      if (address) resolve({ server, base: address.replace(/\/$/, "") });
    });
    server.on("exit", (code) => reject(new Error(`telltale serve exited with ${code}:\n${log}`)));
  });
}

async function call(base, method, path, body) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

// A small deterministic generator (mulberry32) and a normal draw from it.
function generator(seed) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

// One row: feature i is normal around i/10; the shifted rows move the first ten by 1.5 sd.
function row(random, shifted) {
  const features = {};
  numeric.forEach((name, i) => {
    features[name] = Math.round((i / 10 + random.normal() + (shifted && i < 10 ? 1.5 : 0)) * 1000) / 1000;
  });
  categorical.forEach((name, i) => {
    features[name] = categories[Math.floor(random.uniform() ** (1 + i / 5) * categories.length)];
  });
  const score = 1 / (1 + Math.exp(-(features.x0 - 0.2 + features.x5 - 0.5)));
  return { features, predictions: { score: Math.round(score * 1e4) / 1e4 }, actuals: { label: random.uniform() < score } };
}

async function loadModel(base) {
  const random = generator(7);
  await call(base, "POST", "/models", { name: model, task: "binary_classification", timezone: "Europe/Berlin" });
  const features = Object.fromEntries([...numeric.map((n) => [n, "numeric"]), ...categorical.map((n) => [n, "categorical"])]);
  await call(base, "POST", `/models/${model}/versions`, {
    version: "v1",
    schema: { features, predictions: { score: "numeric" }, actuals: { label: "boolean" } },
    segments: [{ name: "alpha", where: { c0: ["alpha"] } }, { name: "high x1", where: { x1: { gte: 0.5 } } }],
  });
  const path = `/models/${model}/versions/v1`;
  await call(base, "POST", `${path}/training`, { rows: Array.from({ length: 5000 }, () => row(random, false)) });
  await call(base, "POST", `${path}/validation`, { rows: Array.from({ length: 2000 }, () => row(random, false)) });
  const end = Math.floor(Date.now() / 3600e3) * 3600e3;
  const hours = days * 24;
  let batch = [];
  let sent = 0;
  for (let hour = 0; hour < hours; hour++) {
    const at = end - (hours - hour) * 3600e3;
    const shifted = hours - hour <= 10 * 24;
    for (let i = 0; i < rowsPerHour; i++) {
      const timestamp = new Date(at + ((i + 0.5) / rowsPerHour) * 3600e3).toISOString();
      batch.push({ id: `r${sent + batch.length}`, timestamp, ...row(random, shifted) });
    }
    if (batch.length >= 2000 || hour === hours - 1) {
      const { accepted, rejected } = await call(base, "POST", `${path}/predictions`, { rows: batch });
      if (rejected.length) throw new Error(`rows rejected: ${JSON.stringify(rejected.slice(0, 3))}`);
      sent += accepted;
      batch = [];
    }
  }
  return sent;
}

// The pages, each with what must be on screen for its first meaningful paint: at least `count`
// elements matching each selector, and nothing loading.
// Each model page at the default range (the last 7 days) and over the whole 90 days.
const pages = [{ name: "models list", hash: "#/", needs: { "svg.sparkline": 1 } }];
for (const range of ["7d", `${days}d`]) {
  pages.push(
    { name: `overview ${range}`, hash: `#/models/${model}?range=${range}`, needs: { "figure.chart canvas": 3 } },
    { name: `drift ${range}`, hash: `#/models/${model}/drift?range=${range}`, needs: { "table.drift tbody tr": 100 } },
    { name: `field ${range}`, hash: `#/models/${model}/fields/x0?range=${range}`, needs: { ".bars .bin": 1, "figure.chart canvas": 1 } },
  );
}

// Runs in the page before its own script: signs in, then checks at every animation frame whether
// the page's content is on screen and records the first time it is (window.__meaningfulPaint).
function recordMeaningfulPaint({ key, needs }) {
  sessionStorage.setItem("telltale.token", key);
  const check = () => {
    const complete = Object.entries(needs).every(([selector, count]) => document.querySelectorAll(selector).length >= count);
    if (complete && !document.querySelector("[aria-busy=true]")) window.__meaningfulPaint = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

async function paintOnce(browser, base, page) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.addInitScript(recordMeaningfulPaint, { key: token, needs: page.needs });
  const tab = await context.newPage();
  const requests = [];
  tab.on("request", (request) => request.url().includes("/api/v1/") && requests.push(request.url()));
  await tab.goto(`${base}/${page.hash}`);
  const handle = await tab.waitForFunction(() => window.__meaningfulPaint, null, { polling: 100, timeout: 60_000 });
  const meaningful = await handle.jsonValue();
  const contentful = await tab.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null);
  await context.close();
  return { meaningful, contentful, requests };
}

// The same requests, all at once, from a client that draws nothing: the floor for this page.
async function fetchFloor(urls) {
  const started = performance.now();
  await Promise.all(urls.map(async (url) => {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    await response.arrayBuffer();
  }));
  return performance.now() - started;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function bundleSizes() {
  const assets = join(repo, "web/dist/assets");
  const sizes = { js: [0, 0], css: [0, 0] };
  for (const name of readdirSync(assets)) {
    const kind = name.endsWith(".js") ? "js" : name.endsWith(".css") ? "css" : undefined;
    if (!kind) continue;
    const bytes = readFileSync(join(assets, name));
    sizes[kind][0] += bytes.length;
    sizes[kind][1] += gzipSync(bytes, { level: 9 }).length;
  }
  return sizes;
}

const dataDir = mkdtempSync(join(tmpdir(), "telltale-bench-web-"));
const { server, base } = await startServer(dataDir);
let browser;
try {
  const { js, css } = bundleSizes();
  console.log(`bundle: JavaScript ${(js[0] / 1024).toFixed(1)} KB, ${(js[1] / 1024).toFixed(1)} KB gzipped (target <= 300 KB); ` +
    `CSS ${(css[0] / 1024).toFixed(1)} KB, ${(css[1] / 1024).toFixed(1)} KB gzipped`);
  const began = performance.now();
  const rows = await loadModel(base);
  console.log(`loaded ${rows.toLocaleString("en")} rows x ${numeric.length + categorical.length} features over ${days} days ` +
    `(${days * 24} hourly windows) in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  await new Promise((resolve) => setTimeout(resolve, 7000)); // a checkpoint writes the windows to the store
  if (options.serve) {
    console.log(`serving ${base}/ (API key ${token}); Ctrl-C stops it`);
    await new Promise((resolve) => process.once("SIGINT", resolve));
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
  });
  await paintOnce(browser, base, pages[0]); // the browser's own start-up is not a page's cost
  console.log(`\n${"page".padEnd(16)} ${"API calls".padStart(9)} ${"FCP ms".padStart(8)} ${"meaningful ms".padStart(14)} ` +
    `${"API floor ms".padStart(13)} ${"ratio".padStart(6)}   (median of ${loads} cold loads; target <= 1000 ms)`);
  const results = [];
  for (const page of pages) {
    const runs = [];
    for (let i = 0; i < loads; i++) runs.push(await paintOnce(browser, base, page));
    const floors = [];
    for (let i = 0; i < loads; i++) floors.push(await fetchFloor(runs[runs.length - 1].requests));
    const result = {
      page: page.name,
      requests: runs[runs.length - 1].requests.length,
      contentful: median(runs.map((r) => r.contentful)),
      meaningful: median(runs.map((r) => r.meaningful)),
      worst: Math.max(...runs.map((r) => r.meaningful)),
      floor: median(floors),
    };
    results.push(result);
    console.log(`${result.page.padEnd(16)} ${String(result.requests).padStart(9)} ${result.contentful.toFixed(0).padStart(8)} ` +
      `${result.meaningful.toFixed(0).padStart(14)} ${result.floor.toFixed(0).padStart(13)} ${(result.meaningful / result.floor).toFixed(1).padStart(6)}` +
      `   (worst ${result.worst.toFixed(0)} ms)`);
  }
  const slow = results.filter((r) => r.meaningful > 1000);
  if (slow.length) console.log(`\nover the 1 s target: ${slow.map((r) => r.page).join(", ")}`);
} finally {
  await browser?.close();
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
