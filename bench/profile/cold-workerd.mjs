// A V8 CPU profile of the cold-start Worker's first request inside workerd (../worker/cold-worker.mjs:
// compile, instantiate, a raw fetch made as the package must, then the package's first and second
// calls), through workerd's inspector. Not part of `make bench`.
// `node --experimental-websocket bench/profile/cold-workerd.mjs`; the profile is left in
// target/profile/workerd-cold.cpuprofile and the heaviest functions are printed.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import { Miniflare } from "miniflare";

import { PKG_DIR } from "../lib/package.mjs";
import { bundleWorker, inspectWorker, removeBundle } from "../lib/workerd.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const PORT = 9332;

const child = spawn(process.execPath, [path.join(here, "../lib/graph-server.mjs"), "--conversations", "1000"], { stdio: ["pipe", "pipe", "inherit"] });
const graph = JSON.parse(await new Promise((resolve) => createInterface({ input: child.stdout }).once("line", resolve)));
const bundle = await bundleWorker(path.join(here, "../worker/cold-worker.mjs"), {
  ".bin": (source, dir) => copyFileSync(path.join(PKG_DIR, "gen/page_conversations_bg.wasm"), path.join(dir, "page_conversations_bg.bin")),
});
mkdirSync(path.join(root, "target", "profile"), { recursive: true });
try {
  const mf = new Miniflare({
    modules: true, scriptPath: bundle.script, modulesRoot: bundle.dir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }, { type: "Data", include: ["**/*.bin"] }],
    compatibilityDate: "2025-01-01", host: "127.0.0.1", cf: false, unsafeEvalBinding: "UNSAFE_EVAL", inspectorPort: PORT,
    bindings: { GRAPH: JSON.stringify({ url: graph.url, pageId: graph.pageId, token: graph.token }) },
  });
  try {
    await mf.ready;
    const { send, close } = await inspectWorker(PORT);
    await send("Profiler.enable");
    await send("Profiler.setSamplingInterval", { interval: 20 });
    await send("Profiler.start");
    const res = await mf.dispatchFetch("http://bench.test/cold?warm=request&compiles=1&instances=1");
    console.log(await res.text());
    const { profile } = await send("Profiler.stop");
    close();
    const file = path.join(root, "target", "profile", "workerd-cold.cpuprofile");
    writeFileSync(file, JSON.stringify(profile));
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
    const self = new Map();
    profile.samples.forEach((nodeId, i) => {
      const frame = nodes.get(nodeId).callFrame;
      const name = `${frame.functionName || "(anonymous)"} ${frame.url.split("/").pop()}:${frame.lineNumber}`;
      self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(us / 1000).toFixed(2).padStart(7)} ms  ${name}`);
    console.log(path.relative(root, file));
  } finally {
    await mf.dispose();
  }
} finally {
  removeBundle(bundle);
  child.stdin.end();
}
