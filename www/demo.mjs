// `make demo`: the dashboard on its Worker under `wrangler dev`, reading the mock Graph seeded
// with a realistic inbox (300 conversations across Messenger and Instagram and all four folders,
// with messages). Prints the URL to open and runs until Ctrl-C.
//
// Against the real Graph: set PAGE_ID and PAGE_ACCESS_TOKEN (and APP_SECRET, GRAPH_BASE_URL if
// wanted; GRAPH_BASE_URL defaults to https://graph.facebook.com). The secrets reach wrangler
// through a temporary env file (mode 0600, deleted on exit), never through the command line.
//
//   node www/demo.mjs            DEMO_PORT=8787 by default (the next free port if taken)
//
// Needs the package built (`make build`); wrangler runs fully offline: no login, no metrics, no
// update check.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

import { buildDashboard } from "./build.mjs";
import { DEMO_VERIFY_TOKEN } from "./worker/demo-secrets.mjs";
import { startMockGraph } from "../tests/graph-mock/server.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const real = Boolean(process.env.PAGE_ACCESS_TOKEN);

if (real && !process.env.PAGE_ID) {
  console.error("demo: PAGE_ACCESS_TOKEN is set but PAGE_ID is not: set both to read a real Page.");
  process.exit(2);
}

/** DEMO_PORT if free, else the next free one. */
async function freePort(wanted) {
  for (let port = wanted; port < wanted + 20; port += 1) {
    const free = await new Promise((resolve) => {
      const server = createServer().once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`demo: no free port from ${wanted} to ${wanted + 19}`);
}

const started = Date.now();
const mock = real ? null : await startMockGraph({ port: 0, seed: 1, conversations: 300, lifetimeMs: 7 * 24 * 3600 * 1000 });
buildDashboard();

const config = real
  ? {
    GRAPH_BASE_URL: process.env.GRAPH_BASE_URL || "https://graph.facebook.com",
    PAGE_ID: process.env.PAGE_ID,
    PAGE_ACCESS_TOKEN: process.env.PAGE_ACCESS_TOKEN,
    APP_SECRET: process.env.APP_SECRET ?? "",
    VERIFY_TOKEN: process.env.VERIFY_TOKEN ?? "",
    INSTAGRAM_ACCOUNT_ID: process.env.INSTAGRAM_ACCOUNT_ID ?? "",
  }
  : {
    GRAPH_BASE_URL: mock.url, PAGE_ID: mock.pageId, PAGE_ACCESS_TOKEN: mock.token, APP_SECRET: mock.appSecret,
    VERIFY_TOKEN: DEMO_VERIFY_TOKEN, INSTAGRAM_ACCOUNT_ID: mock.igAccountId,
  };

// Secrets for wrangler dev: --env-file takes precedence over www/worker/.dev.vars, which is
// left alone.
const secretsDir = mkdtempSync(path.join(os.tmpdir(), "page-conversations-demo-"));
const envFile = path.join(secretsDir, "demo.env");
const quote = (value) => JSON.stringify(String(value));
writeFileSync(
  envFile,
  ["PAGE_ID", "PAGE_ACCESS_TOKEN", "APP_SECRET", "VERIFY_TOKEN"].filter((k) => config[k]).map((k) => `${k}=${quote(config[k])}\n`).join(""),
  { mode: 0o600 },
);

const port = await freePort(Number(process.env.DEMO_PORT ?? 8787));
const args = [
  path.join(root, "node_modules", "wrangler", "bin", "wrangler.js"), "dev",
  "--config", path.join(here, "worker", "wrangler.toml"),
  "--ip", "127.0.0.1", "--port", String(port),
  "--env-file", envFile,
  "--var", `GRAPH_BASE_URL:${config.GRAPH_BASE_URL}`,
  "--show-interactive-dev-session=false",
];
if (config.INSTAGRAM_ACCOUNT_ID) args.push("--var", `INSTAGRAM_ACCOUNT_ID:${config.INSTAGRAM_ACCOUNT_ID}`);
if (!real) args.push("--var", "DEMO_SCENARIOS:1");

const wrangler = spawn(process.execPath, args, {
  cwd: path.join(here, "worker"),
  stdio: ["ignore", "pipe", "pipe"],
  env: {
    ...process.env,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_HIDE_BANNER: "true", // also skips the update check
    CI: "true", // never an interactive prompt
  },
});
for (const stream of [wrangler.stdout, wrangler.stderr]) {
  readline.createInterface({ input: stream }).on("line", (line) => {
    if (line.trim()) console.log(`  wrangler │ ${line}`);
  });
}

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (wrangler.exitCode === null) {
    wrangler.kill("SIGINT");
    const killer = setTimeout(() => wrangler.kill("SIGKILL"), 5000);
    await new Promise((resolve) => wrangler.once("exit", resolve));
    clearTimeout(killer);
  }
  await mock?.close();
  rmSync(secretsDir, { recursive: true, force: true });
  process.exit(code);
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
wrangler.on("exit", (code) => {
  if (!stopping) {
    console.error(`demo: wrangler dev stopped (exit ${code})`);
    stop(code || 1);
  }
});

// Ready when the Worker answers its API.
const url = `http://127.0.0.1:${port}`;
const deadline = Date.now() + 90_000;
for (;;) {
  try {
    const response = await fetch(`${url}/api/info`);
    if (response.ok) break;
  } catch {}
  if (stopping) await new Promise(() => {});
  if (Date.now() > deadline) {
    console.error("demo: wrangler dev did not answer within 90 s");
    await stop(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
const lines = [
  "",
  `  Dashboard: ${url}/`,
  "",
  real
    ? `  The Worker (wrangler dev, www/worker) reads Page ${config.PAGE_ID} at ${config.GRAPH_BASE_URL}${config.APP_SECRET ? ", with appsecret_proof" : " (no APP_SECRET: no appsecret_proof)"}.`
    : `  The Worker (wrangler dev, www/worker) reads the mock Graph at ${mock.url}: 300 conversations, Page ${mock.pageId}.`,
];
if (!real) {
  lines.push(
    "  Error panels, through the Worker (demo scenarios of the mock):",
    `    expired token   ${url}/?scenario=error=190.463`,
    `    permission      ${url}/?scenario=error=200`,
    `    rate limit      ${url}/?scenario=error=80006;usage=buc;eta=2`,
    `    slow Graph      ${url}/?scenario=slow=1500   (try Cancel during "Load all")`,
    `    Graph down      ${url}/?scenario=html=502`,
    `  Direct mode: Connection → "Directly from Graph", base URL ${mock.url}, Page ID ${mock.pageId}, any token.`,
    `  Live updates: keep the dashboard open and send a signed webhook (a new message) as Meta would:`,
    `    node tests/graph-mock/send-webhook.mjs --mock ${mock.url} --to ${url}/webhook --secret ${mock.appSecret}`,
    `    (add --text "…", --platform instagram, --kind echo|edit|reaction|read, --duplicate, --bad-signature)`,
  );
}
lines.push("", `  Ready in ${seconds} s. Ctrl-C stops the Worker${real ? "" : " and the mock"}.`, "");
console.log(lines.join("\n"));
