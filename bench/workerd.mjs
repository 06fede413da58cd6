// `make bench`, workerd: the per-page comparison timed inside the isolate, and the Worker's CPU
// time per page. `node bench/workerd.mjs '<graph JSON>'` prints one JSON line:
//   { perPage: [{ raw, rawLikePackage, pkg: [ms…], cleaning: { clean, none }, fixed: { rawLikePackage, pkg, floor } } per run], cpu: { none, raw, rawLikePackage, pkg: [ms per request, per block] } }
//
// Timing inside the isolate: workerd's clock here has a resolution of 1 ms (in production it
// only advances across I/O); each sample is the mean of `batch` consecutive pages, which makes
// that resolution small next to the sample. Every run is a fresh workerd process.
//
// CPU: workerd does not report CPU time per request outside Cloudflare (Miniflare's tail events
// carry cpuTime 0), so the benchmark reads the CPU time of every thread of the workerd process
// (/proc/PID/task/*/schedstat) around blocks of requests: a page the package's way, the raw way,
// the raw way calling fetch as the package must (lib/per-page-core.mjs), and a request that
// fetches nothing (the cost of dispatching a request to the Worker at all).
import path from "node:path";
import { fileURLToPath } from "node:url";

import { bundleWorker, cpuMs, removeBundle, startWorker } from "./lib/workerd.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const graph = JSON.parse(process.argv[2]);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PAIRS = Number(process.env.BENCH_WORKERD_PAIRS ?? 30);
const BATCH = Number(process.env.BENCH_WORKERD_BATCH ?? 10);
const CPU_BLOCKS = Number(process.env.BENCH_CPU_BLOCKS ?? 5);
const CPU_REQUESTS = Number(process.env.BENCH_CPU_REQUESTS ?? 40);

const bundle = await bundleWorker(path.join(here, "worker", "bench-worker.mjs"));
const bindings = { GRAPH: JSON.stringify({ url: graph.url, pageId: graph.pageId, token: graph.token }) };
const perPage = [];
const cpu = { none: [], raw: [], rawLikePackage: [], pkg: [] };
try {
  for (let run = 0; run < RUNS; run++) {
    const worker = await startWorker(bundle, bindings);
    try {
      perPage.push({
        ...await worker.get("/per-page", { pairs: PAIRS, warmup: 10, batch: BATCH }),
        cleaning: await worker.get("/cleaning"),
        fixed: await worker.get("/fixed", { pairs: PAIRS, warmup: 10, batch: 20 }),
      });
      if (run === RUNS - 1) {
        // CPU per request, in blocks, the three modes in a rotating order.
        const modes = ["none", "raw", "rawLikePackage", "pkg"];
        for (let i = 0; i < 20; i++) for (const mode of modes) await worker.get("/page", { mode });
        for (let block = 0; block < CPU_BLOCKS; block++) {
          for (let k = 0; k < modes.length; k++) {
            const mode = modes[(block + k) % modes.length];
            const before = cpuMs(worker.pid);
            for (let i = 0; i < CPU_REQUESTS; i++) await worker.get("/page", { mode });
            cpu[mode].push((cpuMs(worker.pid) - before) / CPU_REQUESTS);
          }
        }
      }
    } finally {
      await worker.dispose();
    }
  }
} finally {
  removeBundle(bundle);
}
process.stdout.write(`${JSON.stringify({ perPage, cpu, batch: BATCH })}\n`);
