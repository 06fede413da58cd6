// Runs a benchmark Worker in real workerd through Miniflare, bundled with esbuild as wrangler
// bundles it (the `workerd` condition, the `.wasm` kept as a CompiledWasm module next to the
// bundle), and reads the CPU time workerd's threads have used (`/proc/PID/task/*/schedstat`).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { Miniflare } from "miniflare";

import { bundleLikeWrangler } from "../../tests/js/worker-bundle.mjs";
import { PKG_DIR } from "./package.mjs";

/**
 * Bundles `entry` into a fresh directory; returns `{ dir, script }`. `.wasm` imports stay external
 * (CompiledWasm modules next to the bundle); `extra` maps other extensions to a function that
 * puts the imported file into `dir` itself (`(source, dir) => void`), also kept external.
 * `page-conversations` is the measured package's Worker entry, or `packageEntry` when given (the
 * cold-start floor's).
 */
export async function bundleWorker(entry, extra = {}, packageEntry = path.join(PKG_DIR, "workerd.js")) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "page-conversations-bench-"));
  // (`page-conversations/json.js`: the package's helpers, for the cleaning measurement.)
  const alias = { "page-conversations": packageEntry, "page-conversations/json.js": path.join(PKG_DIR, "json.js") };
  const script = await bundleLikeWrangler({ entry, outDir: dir, alias, external: extra });
  return { dir, script };
}

/** The pids of workerd processes started by this process. */
export function workerdPids() {
  const out = execFileSync("ps", ["-o", "pid=,comm=", "--ppid", String(process.pid)], { encoding: "utf8" });
  return out.split("\n").map((line) => line.trim().split(/\s+/)).filter(([, comm]) => comm === "workerd").map(([pid]) => Number(pid));
}

/** CPU time (ms) used so far by every thread of `pid`, from the scheduler's statistics (ns). */
export function cpuMs(pid) {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // A thread that ended meanwhile.
    }
  }
  return ns / 1e6;
}

/**
 * Starts a bundled Worker; `bindings` become its `env`. Returns `{ mf, pid, get(route, params), dispose }`;
 * `pid` is the workerd process running it.
 */
export async function startWorker({ dir, script }, bindings = {}) {
  const before = new Set(workerdPids());
  const mf = new Miniflare({
    modules: true, scriptPath: script, modulesRoot: dir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-01-01", host: "127.0.0.1", cf: false, bindings,
  });
  await mf.ready;
  const pid = workerdPids().find((p) => !before.has(p));
  return {
    mf, pid,
    async get(route, params = {}) {
      const res = await mf.dispatchFetch(`http://bench.test${route}?${new URLSearchParams(params)}`);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${route}: ${res.status} ${text.slice(0, 500)}`);
      return JSON.parse(text);
    },
    dispose: () => mf.dispose(),
  };
}

/** Removes a bundle's directory. */
export function removeBundle({ dir }) {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A DevTools protocol session with the Worker's isolate of a workerd started with
 * `inspectorPort: port` (Node 20 needs --experimental-websocket for its WebSocket client):
 * `send(method, params)` resolves to the result; `close()` ends the session.
 */
export async function inspectWorker(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const target = targets.find((t) => t.webSocketDebuggerUrl.endsWith("/core:user:"));
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve) => socket.addEventListener("open", resolve));
  let id = 0;
  const pending = new Map();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    pending.get(message.id)?.(message.result);
  });
  const send = (method, params = {}) => new Promise((resolve) => {
    pending.set(++id, resolve);
    socket.send(JSON.stringify({ id, method, params }));
  });
  return { send, close: () => socket.close() };
}
