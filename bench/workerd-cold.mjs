// `make bench`, cold start in workerd: `RUNS` fresh workerd processes, each answering one
// request of worker/cold-worker.mjs (see there; BENCH_COLD_WARM=request warms the raw fetch the
// package's way). Prints one JSON line: `{ runs: [...] }`. `workerd-cold.mjs GRAPH floor`
// measures the cold-start floor (bench/floor/workerd.mjs, built by bench/floor/build.sh) the same
// way instead of the package.
import { copyFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Miniflare } from "miniflare";

import { FLOOR_DIR, PKG_DIR } from "./lib/package.mjs";
import { bundleWorker, removeBundle } from "./lib/workerd.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const graph = JSON.parse(process.argv[2]);
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 8);
const floor = process.argv[3] === "floor";
const wasmFile = floor ? path.join(FLOOR_DIR, "floor_bg.wasm") : path.join(PKG_DIR, "gen/page_conversations_bg.wasm");

const bundle = await bundleWorker(path.join(here, "worker", "cold-worker.mjs"), {
  // The .wasm's bytes, for compiling it inside the isolate: a Data module.
  ".bin": (source, dir) => copyFileSync(wasmFile, path.join(dir, "page_conversations_bg.bin")),
}, floor ? path.join(here, "floor", "workerd.mjs") : undefined);
const runs = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const mf = new Miniflare({
      modules: true, scriptPath: bundle.script, modulesRoot: bundle.dir,
      modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }, { type: "Data", include: ["**/*.bin"] }],
      compatibilityDate: "2025-01-01", host: "127.0.0.1", cf: false, unsafeEvalBinding: "UNSAFE_EVAL",
      bindings: { GRAPH: JSON.stringify({ url: graph.url, pageId: graph.pageId, token: graph.token }) },
    });
    try {
      const res = await mf.dispatchFetch(`http://bench.test/cold?warm=${process.env.BENCH_COLD_WARM ?? ""}`);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`cold worker: ${res.status} ${text.slice(0, 500)}`);
      runs.push(JSON.parse(text));
    } finally {
      await mf.dispose();
    }
  }
} finally {
  removeBundle(bundle);
}
process.stdout.write(`${JSON.stringify({ runs })}\n`);
