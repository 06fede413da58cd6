// Instructions per page, counted by valgrind (cachegrind): a deterministic measure of the
// package's own cost, free of this machine's timing noise. Not part of `make bench` (about three
// minutes). `node bench/profile/instructions.mjs [pkgDir…]` (default: pkg/).
//
// Each process reads one saved page of the bench Graph (100 conversations with nested messages,
// ~295 KiB, with Graph's usage headers) through an in-memory `fetch` (the network is not what is
// counted), warms up, then makes N calls: `raw` (fetch + res.json()), `like` (fetch called as the
// package must: a Request with an AbortSignal, a timer, text + JSON.parse; see
// ../lib/per-page-core.mjs), `pkg` (listConversations), or `none`. (calls − none) / N is the
// count per call; `pkg − like` is the package's own work.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { startBenchGraph } from "../lib/graph-server.mjs";
import { FIELDS, LIMIT } from "../lib/per-page-core.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const N = 200;

if (process.argv[2] === "--child") {
  // The measured process: `--child PKG_DIR PAGE_DIR MODE`.
  const [, , , pkgDir, pageDir, mode] = process.argv;
  const { readFileSync } = await import("node:fs");
  const page = JSON.parse(readFileSync(path.join(pageDir, "page.json"), "utf8"));
  const bytes = readFileSync(path.join(pageDir, "page.bin"));
  globalThis.fetch = async (input, init) => {
    new Request(input, init); // what Node's fetch does with its arguments
    return new Response(bytes, { status: 200, headers: page.headers });
  };
  const { listConversations } = await import(pathToFileURL(path.join(pkgDir, "node.js")).href);
  const options = { baseUrl: page.baseUrl, pageId: page.pageId, accessToken: page.token, fields: FIELDS, limit: LIMIT };
  const raw = async () => (await fetch(page.url, { headers: { Authorization: `Bearer ${page.token}` } })).json();
  const pkg = () => listConversations(options);
  const like = async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    const response = await fetch(new Request(page.url, { headers: { Authorization: `Bearer ${page.token}` }, signal: controller.signal }));
    JSON.parse(await response.text());
    clearTimeout(timer);
  };
  for (let i = 0; i < 50; i++) {
    await raw();
    await like();
    await pkg();
  }
  const run = { raw, like, pkg }[mode];
  if (run) for (let i = 0; i < N; i++) await run();
  process.exit(0);
}

const packages = process.argv.slice(2).map((dir) => path.resolve(dir));
if (packages.length === 0) packages.push(path.resolve(here, "../../pkg"));
execFileSync("valgrind", ["--version"]);

const pageDir = mkdtempSync(path.join(os.tmpdir(), "page-conversations-instructions-"));
const graph = await startBenchGraph({ conversations: 1000 });
try {
  const query = new URLSearchParams({ fields: FIELDS, limit: String(LIMIT) });
  const url = `${graph.url}/v25.0/${graph.pageId}/conversations?${query}`;
  const res = await fetch(url, { headers: { Authorization: `Bearer ${graph.token}` } });
  const headers = {};
  for (const [name, value] of res.headers) if (!["connection", "keep-alive", "date", "content-length"].includes(name)) headers[name] = value;
  writeFileSync(path.join(pageDir, "page.bin"), Buffer.from(await res.arrayBuffer()));
  writeFileSync(path.join(pageDir, "page.json"), JSON.stringify({ url, headers, baseUrl: graph.url, pageId: graph.pageId, token: graph.token }));
} finally {
  await graph.close();
}

/** Instructions of one measured process. */
function count(pkgDir, mode) {
  const result = spawnSync("valgrind", ["--tool=cachegrind", "--cache-sim=no", "--smc-check=all", "--cachegrind-out-file=/dev/null",
    process.execPath, fileURLToPath(import.meta.url), "--child", pkgDir, pageDir, mode], { encoding: "utf8" });
  const match = /I\s+refs:\s+([\d,]+)/.exec(result.stderr);
  if (!match) throw new Error(`valgrind: ${result.stderr.slice(-2000)}`);
  return Number(match[1].replaceAll(",", ""));
}

try {
  for (const pkgDir of packages) {
    const none = count(pkgDir, "none");
    const raw = (count(pkgDir, "raw") - none) / N / 1e6;
    const like = (count(pkgDir, "like") - none) / N / 1e6;
    const pkg = (count(pkgDir, "pkg") - none) / N / 1e6;
    console.log(`${pkgDir}: M instructions per page: raw fetch + json ${raw.toFixed(2)}, fetch called as the package must ${like.toFixed(2)}, ` +
      `listConversations ${pkg.toFixed(2)} (package ÷ raw ${(pkg / raw).toFixed(3)}, package − required ${(pkg - like).toFixed(2)} M)`);
  }
} finally {
  rmSync(pageDir, { recursive: true, force: true });
}
