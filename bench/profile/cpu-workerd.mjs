// V8 CPU profiles of the per-page work inside workerd, through its inspector (Miniflare's
// `inspectorPort`): the bench Worker (../worker/bench-worker.mjs) serves `/page?mode=raw|pkg`
// requests while the profiler samples the Worker's isolate. Not part of `make bench`.
// `node --experimental-websocket bench/profile/cpu-workerd.mjs [requests] [modes]` (Node 20 needs
// the flag for its WebSocket client; modes: a comma list of raw, rawLikePackage, pkg, default
// raw,pkg); the profiles are left in target/profile/workerd-MODE.cpuprofile.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import { Miniflare } from "miniflare";

import { bundleWorker, inspectWorker, removeBundle } from "../lib/workerd.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const requests = Number(process.argv[2] ?? 300);
const modes = (process.argv[3] ?? "raw,pkg").split(",");
const PORT = 9331;

const child = spawn(process.execPath, [path.join(here, "../lib/graph-server.mjs"), "--conversations", "1000"], { stdio: ["pipe", "pipe", "inherit"] });
const graph = JSON.parse(await new Promise((resolve) => createInterface({ input: child.stdout }).once("line", resolve)));
const bundle = await bundleWorker(path.join(here, "../worker/bench-worker.mjs"));
mkdirSync(path.join(root, "target", "profile"), { recursive: true });
try {
  for (const mode of modes) {
    const mf = new Miniflare({
      modules: true, scriptPath: bundle.script, modulesRoot: bundle.dir,
      modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
      compatibilityDate: "2025-01-01", host: "127.0.0.1", cf: false, inspectorPort: PORT,
      bindings: { GRAPH: JSON.stringify({ url: graph.url, pageId: graph.pageId, token: graph.token }) },
    });
    try {
      await mf.ready;
      const { send, close } = await inspectWorker(PORT);
      for (let i = 0; i < 50; i++) await (await mf.dispatchFetch(`http://bench.test/page?mode=${mode}`)).text();
      await send("Profiler.enable");
      await send("Profiler.setSamplingInterval", { interval: 50 });
      await send("Profiler.start");
      for (let i = 0; i < requests; i++) await (await mf.dispatchFetch(`http://bench.test/page?mode=${mode}`)).text();
      const { profile } = await send("Profiler.stop");
      close();
      const file = path.join(root, "target", "profile", `workerd-${mode}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`${path.relative(root, file)}: ${requests} requests`);
    } finally {
      await mf.dispose();
    }
  }
} finally {
  removeBundle(bundle);
  child.stdin.end();
}
