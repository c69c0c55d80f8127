// End to end: a real telltale server loaded with the demo, driven through the UI in Debian's
// Chromium by Playwright. Sign in, open the model, find the drifted field, open its histogram,
// open the firing alert and silence it; keyboard use and labelled controls on the way.
// Screenshots go to e2e/artifacts/. Run by `make web-test` (TELLTALE_BIN: the server binary).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { checkLabels, expect, step } from "./support.mjs";

const bin = process.env.TELLTALE_BIN ?? "../build/telltale";
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const token = "e2e-admin-key";
const artifacts = new URL("./artifacts/", import.meta.url).pathname;
mkdirSync(artifacts, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), "telltale-e2e-"));

// Starts `telltale demo` on a free port; resolves with its address once the demo is loaded.
function startServer() {
  const server = spawn(bin, ["demo", "--data-dir", dataDir, "--port", "0"], {
    env: { ...process.env, TELLTALE_ADMIN_TOKEN: token, TELLTALE_MONITOR_INTERVAL: "1s" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const ready = new Promise((resolve, reject) => {
    let address;
    server.stderr.on("data", (chunk) => {
      log += chunk;
      address ??= /telltale listening on (http:\/\/[^ ]+)/.exec(log)?.[1];
      if (address && /demo: loaded/.test(log)) resolve(address);
      if (/demo: not loaded/.test(log)) reject(new Error(`the demo did not load:\n${log}`));
    });
    server.on("exit", (code) => reject(new Error(`telltale demo exited with ${code}:\n${log}`)));
    setTimeout(() => reject(new Error(`the demo was not loaded in 120 s:\n${log}`)), 120_000);
  });
  return { server, ready };
}

async function api(base, path, body) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

// A multiclass classifier with a training baseline and an hour of predictions that favour "c".
async function loadMulticlassModel(base) {
  await api(base, "/models", { name: "grapes", task: "multiclass_classification" });
  await api(base, "/models/grapes/versions", {
    version: "v1",
    schema: {
      features: { acidity: "numeric" },
      predictions: { cultivar: "categorical", p_a: "numeric", p_b: "numeric", p_c: "numeric" },
      actuals: { cultivar_true: "categorical" },
      class_probabilities: { a: "p_a", b: "p_b", c: "p_c" },
    },
  });
  const row = (i, cultivar) => ({
    id: `g${i}`,
    features: { acidity: i % 7 },
    predictions: { cultivar, p_a: cultivar === "a" ? 0.8 : 0.1, p_b: cultivar === "b" ? 0.8 : 0.1, p_c: cultivar === "c" ? 0.8 : 0.1 },
  });
  const classes = ["a", "b", "c"];
  await api(base, "/models/grapes/versions/v1/training", { rows: Array.from({ length: 30 }, (_, i) => row(i, classes[i % 3])) });
  await api(base, "/models/grapes/versions/v1/predictions", {
    rows: Array.from({ length: 30 }, (_, i) => row(100 + i, i < 20 ? "c" : classes[i % 2])),
  });
  // The truth for the first twelve: the predicted class, except two "c" that were "a".
  await api(base, "/models/grapes/actuals", {
    rows: Array.from({ length: 12 }, (_, i) => ({ id: `g${100 + i}`, actuals: { cultivar_true: i < 2 ? "a" : "c" } })),
  });
}

async function waitForFiring(base) {
  for (let attempt = 0; attempt < 120; attempt++) {
    const { alerts } = await api(base, "/alerts");
    const firing = alerts.filter((a) => a.state === "firing" && a.monitor.name === "churn feature drift");
    if (firing.length) return firing;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("no drift alert fired within 60 s of loading the demo");
}

const { server, ready } = startServer();
let browser;
try {
  const base = await ready;
  await waitForFiring(base);
  browser = await chromium.launch({
    executablePath: browserPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));

  await step("sign in with the keyboard", async () => {
    await page.goto(`${base}/`);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id), "api-key", "the first Tab reaches the key field");
    await page.keyboard.type("wrong-key");
    await page.keyboard.press("Enter");
    await page.getByRole("alert").filter({ hasText: "not valid" }).waitFor();
    errors.length = 0; // the refused key's 401 is expected
    await page.getByLabel("API key").fill(token);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Models" }).waitFor();
    await page.getByRole("link", { name: "churn" }).waitFor();
    await page.locator(".badge.health-critical").first().waitFor();
    await checkLabels(page, "models list");
    await page.screenshot({ path: `${artifacts}/1-models.png`, fullPage: true });
  });

  await step("open the model", async () => {
    await page.getByRole("link", { name: "churn" }).click();
    await page.getByRole("heading", { name: /Volume/ }).waitFor();
    await page.locator("figure.chart canvas").first().waitFor();
    expect(await page.locator(".zone").innerText(), "America/New_York (UTC-05:00)", "the model's time zone is shown");
    await page.locator(".u-legend .u-label", { hasText: "estimated accuracy" }).waitFor();
    await page.locator(".u-legend .u-label", { hasText: "label delay p50 (h)" }).waitFor();
    const matrix = page.getByRole("table", { name: /confusion matrix/ });
    expect((await matrix.locator("thead th").allInnerTexts()).slice(1).join(","), "negative,positive", "the binary matrix's classes");
    expect(await page.getByText("No estimate before labels").count(), 0, "accuracy is estimated from the validation set");
    await page.locator("table.alerts").waitFor();
    await checkLabels(page, "model overview");
    await page.screenshot({ path: `${artifacts}/2-overview.png`, fullPage: true });
  });

  await step("find the drifted field flagged first", async () => {
    await page.getByRole("link", { name: "Drift", exact: true }).click();
    await page.locator("table.drift tbody tr").first().waitFor();
    const first = page.locator("table.drift tbody tr").first();
    expect(await first.locator("th").innerText(), "monthly_charges", "the field in cents leads the table");
    expect(await first.locator(".badge").innerText(), "drifted", "and is flagged");
    const stable = await page.locator("table.drift tbody tr", { hasText: "age" }).first().locator(".badge").innerText();
    expect(stable, "stable", "an untouched feature is not flagged");
    await page.locator("svg.sparkline").first().waitFor();
    await checkLabels(page, "drift table");
    await page.screenshot({ path: `${artifacts}/3-drift.png`, fullPage: true });
  });

  await step("open its histogram", async () => {
    await page.getByRole("link", { name: "monthly_charges" }).click();
    await page.getByRole("heading", { name: /Distribution/ }).waitFor();
    await page.locator(".bars .bin").first().waitFor();
    const bins = await page.locator(".bars .bin").count();
    expect(bins > 1, true, `the histogram has bins (${bins})`);
    expect(page.url().includes("#/models/churn/fields/monthly_charges"), true, "the URL names the field");
    await page.locator("figure.chart canvas").first().waitFor();
    await page.screenshot({ path: `${artifacts}/4-field.png`, fullPage: true });
  });

  await step("open the firing alert and silence it", async () => {
    await page.getByRole("link", { name: "Alerts", exact: true }).click();
    const row = page.locator("table.alerts tr.alert-firing", { hasText: "monthly_charges" });
    await row.waitFor();
    await row.getByRole("link", { name: "churn feature drift" }).click();
    await page.getByText("of monitor churn feature drift").waitFor();
    const firing = page.locator("table.alerts tr.alert-firing", { hasText: "monthly_charges" });
    await firing.getByLabel(/silence duration/).selectOption("4h");
    await firing.getByRole("button", { name: /Silence churn feature drift on monthly_charges for 4h/ }).click();
    await page.locator("table.silences tr", { hasText: "field monthly_charges" }).waitFor();
    const { silences } = await api(base, "/silences");
    const made = silences.find((s) => s.field === "monthly_charges");
    expect(Boolean(made), true, "the silence exists on the server");
    const hours = (Date.parse(made.ends_at) - Date.parse(made.starts_at)) / 3600e3;
    expect(Math.round(hours), 4, "for the chosen duration");
    await checkLabels(page, "alerts");
    await page.screenshot({ path: `${artifacts}/5-alerts.png`, fullPage: true });
  });

  await step("a link from a notification opens the exact view", async () => {
    await page.goto(`${base}/#/models/churn/drift?range=30d&segment=US`);
    await page.locator("table.drift tbody tr").first().waitFor();
    expect(await page.getByRole("button", { name: "30d" }).getAttribute("aria-pressed"), "true", "the range is restored");
    expect(await page.getByLabel("segment").inputValue(), "US", "the segment is restored");
  });

  await step("backtest a monitor before saving it", async () => {
    await page.goto(`${base}/#/models/churn/monitors/new?range=7d`);
    await page.getByLabel("name").fill("charges drift (draft)");
    await page.getByLabel("fields").fill("monthly_charges");
    await page.getByRole("button", { name: "Backtest over the range" }).click();
    await page.getByRole("status").filter({ hasText: /would have fired [1-9]/ }).waitFor();
    await page.locator(".backtest figure.chart canvas").waitFor();
    await checkLabels(page, "monitor form");
    await page.screenshot({ path: `${artifacts}/6-monitor.png`, fullPage: true });
  });

  await step("a binary model without a validation set says why there is no estimate", async () => {
    await api(base, "/models", { name: "unvalidated", task: "binary_classification" });
    await api(base, "/models/unvalidated/versions", {
      version: "v1",
      schema: { features: { x: "numeric" }, predictions: { score: "numeric" }, actuals: { label: "boolean" } },
    });
    await api(base, "/models/unvalidated/versions/v1/predictions", { rows: [{ id: "u1", features: { x: 1 }, predictions: { score: 0.7 } }] });
    await page.goto(`${base}/#/models/unvalidated`);
    // Said without asking the server for an estimate it cannot make (no 422 in the console: any
    // error logged fails the run).
    await page.getByText(/No estimate before labels: this version has no validation \(or training\) set logged with actuals/).waitFor();
  });

  await step("a multiclass model shows the shares of its predicted classes", async () => {
    await loadMulticlassModel(base);
    await page.goto(`${base}/#/models/grapes`);
    await page.getByRole("heading", { name: /Predicted class/ }).waitFor();
    await page.locator(".bars .bin").first().waitFor();
    const labels = await page.locator(".bars .bin .bin-label").allInnerTexts();
    expect([...labels].sort().join(","), "a,b,c", "one bar pair per class");
    const c = await page.locator(".bars .bin", { hasText: "c" }).first().getAttribute("title");
    expect(c, "c: training 33.3%, current 66.7%", "the shares of the baseline and of the range");
    const matrix = page.getByRole("table", { name: /confusion matrix/ });
    await matrix.waitFor();
    const cell = (actual, column) => matrix.locator("tbody tr", { hasText: actual }).locator("td").nth(column).innerText();
    const header = await matrix.locator("thead th").allInnerTexts();
    const column = (label) => header.indexOf(label) - 1;
    expect(await cell("c", column("c")), "10", "ten c predicted c");
    expect(await cell("a", column("c")), "2", "two a predicted c");
    await checkLabels(page, "multiclass overview");
    await page.screenshot({ path: `${artifacts}/7-multiclass.png`, fullPage: true });
  });

  expect(errors.length, 0, `no errors in the browser console: ${errors.join(" | ")}`);
  console.log("web e2e: every step passed; screenshots in web/e2e/artifacts/");
} catch (error) {
  console.error(`web e2e failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await browser?.close();
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
