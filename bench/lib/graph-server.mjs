// The Graph that `make bench` measures against: the mock Graph (tests/graph-mock) behind a
// caching front, in a process of its own, so that neither the mock's page building nor its
// serialisation runs in (or competes inside) the process being measured, and so that the baseline
// (raw `fetch` + `res.json()`) is as fast as loopback allows.
//
// The front answers every request it has seen before from memory (status, headers, body bytes:
// the mock is deterministic for a given URL and token), asks the mock otherwise, and adds the rate
// limit headers Graph sends with every answer (`X-App-Usage`, `X-Page-Usage`,
// `X-Business-Use-Case-Usage`), so the package parses them as it does against Graph. It logs the
// arrival time of every Graph request (for the pacing figures), and a second port serves the
// repository's `pkg/` and `bench/` directories to the Chromium benchmark (another origin, as
// graph.facebook.com is for a dashboard; cross-origin isolated, for precise timers).
//
// Library: `await startBenchGraph({ conversations })`; CLI: `node bench/lib/graph-server.mjs
// [--conversations N]` prints one JSON line `{ url, staticUrl, pageId, igAccountId, token }` and
// serves until SIGTERM/SIGINT or stdin closes.
import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { startMockGraph } from "../../tests/graph-mock/server.mjs";
import { PKG_DIR } from "./package.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The usage headers of every answer, shaped as Graph sends them. */
function usageHeaders(pageId) {
  return {
    "x-app-usage": JSON.stringify({ call_count: 28, total_time: 25, total_cputime: 12.5 }),
    "x-page-usage": JSON.stringify({ call_count: 104, total_time: 7.25, total_cputime: 3 }),
    "x-business-use-case-usage": JSON.stringify({
      [pageId]: [{ type: "messenger", call_count: 97, total_cputime: 23, total_time: 23.5, estimated_time_to_regain_access: 0 }],
    }),
  };
}

const STATIC_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

/**
 * Starts the mock and its caching front.
 * @param {{ conversations?: number }} [options]
 */
export async function startBenchGraph({ conversations = 1000 } = {}) {
  const mock = await startMockGraph({ port: 0, conversations, lifetimeMs: 2 * 60 * 60 * 1000 });
  const mockUrl = new URL(mock.url);
  const extra = usageHeaders(mock.pageId);
  /** key → Promise<{ status, headers, body }> */
  const cache = new Map();
  /** Arrival of each Graph request: `{ at, path }`, `at` in epoch ms with sub-ms precision. */
  let log = [];
  let hits = 0;
  let misses = 0;

  const ask = (req) => new Promise((resolve, reject) => {
    const headers = {};
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    const upstream = http.request({
      host: mockUrl.hostname, port: mockUrl.port, path: req.url, method: req.method, headers,
    }, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        const kept = { "content-type": res.headers["content-type"] ?? "application/json; charset=UTF-8" };
        resolve({
          status: res.statusCode,
          headers: { ...kept, ...extra, "access-control-allow-origin": "*", "content-length": String(body.length) },
          body,
        });
      });
      res.on("error", reject);
    });
    upstream.on("error", reject);
    upstream.end();
  });

  const front = http.createServer((req, res) => {
    if (req.url.startsWith("/__bench/")) {
      if (req.url.startsWith("/__bench/log")) {
        const body = JSON.stringify({ log, hits, misses });
        if (req.url.includes("clear=1")) log = [];
        res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" });
        return res.end(body);
      }
      res.writeHead(404);
      return res.end();
    }
    log.push({ at: performance.timeOrigin + performance.now(), path: req.url.split("?")[0] });
    const key = `${req.method} ${req.url} ${req.headers.authorization ?? ""}`;
    let entry = cache.get(key);
    if (entry) hits += 1;
    else {
      misses += 1;
      entry = ask(req);
      cache.set(key, entry);
      entry.catch(() => cache.delete(key));
    }
    entry.then(
      ({ status, headers, body }) => {
        res.writeHead(status, headers);
        res.end(body);
      },
      (error) => {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(String(error));
      },
    );
  });
  front.keepAliveTimeout = 60_000;

  const statics = http.createServer(async (req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    // /pkg/… is the package measured (see package.mjs), /bench/… this directory.
    const [, top, ...rest] = path.normalize(pathname).split("/");
    const base = { pkg: PKG_DIR, bench: path.join(ROOT, "bench") }[top];
    const file = base === undefined ? "" : path.join(base, ...rest);
    const allowed = base !== undefined && file.startsWith(base + path.sep);
    const isolation = {
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-embedder-policy": "require-corp",
      "cross-origin-resource-policy": "same-origin",
      "cache-control": "no-store",
    };
    try {
      if (!allowed) throw new Error("outside pkg/ and bench/");
      const body = await readFile(file);
      res.writeHead(200, { ...isolation, "content-type": STATIC_TYPES[path.extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404, isolation);
      res.end();
    }
  });

  const listen = (server) => new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
  const url = `http://127.0.0.1:${await listen(front)}`;
  const staticUrl = `http://127.0.0.1:${await listen(statics)}`;
  return {
    url, staticUrl, pageId: mock.pageId, igAccountId: mock.igAccountId, token: mock.token, inbox: mock.inbox,
    async close() {
      front.closeAllConnections();
      statics.closeAllConnections();
      await Promise.all([new Promise((r) => front.close(r)), new Promise((r) => statics.close(r)), mock.close()]);
    },
  };
}

/** Reads the front's request log (and clears it with `clear`). */
export async function benchLog(url, { clear = false } = {}) {
  const res = await fetch(`${url}/__bench/log${clear ? "?clear=1" : ""}`);
  return res.json();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { conversations: { type: "string", default: "1000" } } });
  const graph = await startBenchGraph({ conversations: Number(values.conversations) });
  const messengerInbox = graph.inbox.threads.filter((t) => t.platform === "messenger" && t.folder === "inbox");
  process.stdout.write(`${JSON.stringify({
    url: graph.url, staticUrl: graph.staticUrl, pageId: graph.pageId, igAccountId: graph.igAccountId,
    token: graph.token, inboxSize: messengerInbox.length,
  })}\n`);
  const stop = () => graph.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  process.stdin.on("end", stop);
  process.stdin.resume();
}
