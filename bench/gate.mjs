// `make bench`, the fleet gate: what going through ConversationsGate adds to a call, and the CPU a
// page costs with and without it. `node bench/gate.mjs '<graph JSON>'` prints one JSON line:
//   { idle: { direct: [ms…], gated: [ms…] }, loaded: { direct: [ms…], gated: [ms…] },
//     cpu: { none, direct, gated: [ms per request, per block] } }
//
// Four Worker scripts (four isolates) in one workerd, the first hosting the class, as in
// tests/js/gate.test.mjs. Latency is timed from Node around each request to a Worker (the same
// dispatch for both ways): `idle` one call at a time from one isolate; `loaded` the four isolates
// calling at once, each one call at a time. The gate runs unpaced (requestsPerSecond 0), so the
// figures are its own cost (an RPC to the object, its fetch, the answer back), not waits for turns.
// CPU: every thread of the workerd process (/proc/PID/task/*/schedstat) around blocks of requests;
// with the gate, that includes the object's work, in the same process.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Miniflare } from "miniflare";

import { bundleWorker, cpuMs, workerdPids } from "./lib/workerd.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const graph = JSON.parse(process.argv[2]);
const SAMPLES = Number(process.env.BENCH_GATE_SAMPLES ?? 60);
const CPU_BLOCKS = Number(process.env.BENCH_CPU_BLOCKS ?? 5);
const CPU_REQUESTS = Number(process.env.BENCH_CPU_REQUESTS ?? 40);
const ISOLATES = 4;

const { dir, script } = await bundleWorker(path.join(here, "worker", "gate-worker.mjs"));
const persist = mkdtempSync(path.join(os.tmpdir(), "page-conversations-gate-bench-"));
const before = new Set(workerdPids());
const workers = Array.from({ length: ISOLATES }, (_, index) => ({
  name: `isolate-${index}`, modules: true, scriptPath: script, modulesRoot: dir,
  modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }], compatibilityDate: "2025-01-01",
  bindings: { GRAPH: JSON.stringify({ url: graph.url, pageId: graph.pageId, token: graph.token }) },
  durableObjects: {
    CONVERSATIONS_GATE: index === 0
      ? { className: "ConversationsGate", useSQLite: true }
      : { className: "ConversationsGate", scriptName: "isolate-0", useSQLite: true },
  },
}));
const mf = new Miniflare({ host: "127.0.0.1", cf: false, durableObjectsPersist: persist, workers });
try {
  await mf.ready;
  const pid = workerdPids().find((p) => !before.has(p));
  const isolates = await Promise.all(workers.map((worker) => mf.getWorker(worker.name)));
  let counter = 0;
  /** One request to isolate `index`; resolves to its wall time in ms. */
  const timed = async (index, route, mode) => {
    counter += 1;
    const started = performance.now();
    const res = await isolates[index].fetch(`http://bench.test${route}?mode=${mode}&limit=${25 + (counter % 7)}`);
    const body = await res.json();
    if (!body.ok) throw new Error(`${route} ${mode}: ${JSON.stringify(body)}`);
    return performance.now() - started;
  };
  for (let i = 0; i < 20; i++) for (const mode of ["direct", "gated"]) await timed(i % ISOLATES, "/page", mode);

  const idle = { direct: [], gated: [] };
  for (let i = 0; i < SAMPLES; i++) for (const mode of i % 2 ? ["direct", "gated"] : ["gated", "direct"]) idle[mode].push(await timed(0, "/page", mode));

  const loaded = { direct: [], gated: [] };
  for (let round = 0; round < SAMPLES / 4; round++) {
    for (const mode of round % 2 ? ["direct", "gated"] : ["gated", "direct"]) {
      const times = await Promise.all(Array.from({ length: ISOLATES }, async (_, index) => {
        const own = [];
        for (let k = 0; k < 4; k++) own.push(await timed(index, "/page", mode));
        return own;
      }));
      loaded[mode].push(...times.flat());
    }
  }

  const cpu = { none: [], direct: [], gated: [] };
  const modes = ["none", "direct", "gated"];
  for (let block = 0; block < CPU_BLOCKS; block++) {
    for (let k = 0; k < modes.length; k++) {
      const mode = modes[(block + k) % modes.length];
      const start = cpuMs(pid);
      for (let i = 0; i < CPU_REQUESTS; i++) await timed(1, mode === "none" ? "/none" : "/page", mode);
      cpu[mode].push((cpuMs(pid) - start) / CPU_REQUESTS);
    }
  }
  process.stdout.write(`${JSON.stringify({ idle, loaded, cpu })}\n`);
} finally {
  await mf.dispose();
  rmSync(dir, { recursive: true, force: true });
  rmSync(persist, { recursive: true, force: true });
}
