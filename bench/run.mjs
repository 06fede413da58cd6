// `make bench`: every benchmark of the package, in Node, headless Chromium and workerd, against
// the physical limit (a raw `fetch` + `res.json()` of the same request on the same loopback
// Graph). Prints the figures and writes BENCHMARKS.md with the machine they were measured on.
//
//   1. per page: listConversations against raw fetch, interleaved pair by pair (node-per-page.mjs,
//      chromium.mjs, workerd.mjs)
//   2. size: the .wasm raw / gzip / brotli, the JS gzipped, what the module is made of (size.mjs),
//      and the ledger of every deliberate size measure with its saving (ledger.mjs)
//   3. cold start: compile + instantiate + first call, Node and workerd (cold-node.mjs,
//      workerd-cold.mjs)
//   4. full sync: 10,000 conversations, pacing off, against a raw JS loop (full-sync.mjs)
//   5. pacing: requests per second at the default pacing over 20 pages (pacing.mjs)
//   6. CPU per page in a Worker (workerd.mjs)
//   7. the fleet gate: latency a call gains through ConversationsGate (idle, and four isolates at
//      once) and CPU per page with and without it (gate.mjs)
//
// Each figure is the median over repeated runs (separate processes, or separate browser
// contexts) with its range; the ratios are computed within one run. Every part runs alone
// (nothing else heavy at the same time); the Graph runs in a process of its own
// (lib/graph-server.mjs). BENCH_PKG=/other/pkg measures another build (see lib/package.mjs);
// BENCH_QUICK=1 makes fewer runs (for trying the benchmarks out, not for figures).
import { execFile, execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { PKG_DIR } from "./lib/package.mjs";
import { median, summarize } from "./lib/stats.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const quick = process.env.BENCH_QUICK === "1";
const RUNS = quick ? 2 : 5;
const COLD_RUNS = quick ? 3 : 15;
const started = Date.now();

const log = (text) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${text}\n`);
const run = promisify(execFile);

/** Runs `node script args…` and parses the one JSON line it prints. */
async function node(script, args = [], { env = {}, nodeArgs = [] } = {}) {
  const { stdout } = await run(process.execPath, [...nodeArgs, path.join(here, script), ...args], {
    cwd: root, env: { ...process.env, ...env }, maxBuffer: 64 << 20,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1));
}

function version(command, args) {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
}

function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  const packageVersion = (name) => JSON.parse(readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")).version;
  return {
    date: new Date().toISOString(),
    cpus: Number(version("nproc", [])) || os.cpus().length,
    model,
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    kernel: `${os.type()} ${os.release()}`,
    load: os.loadavg().map((l) => l.toFixed(2)).join(" "),
    node: process.version,
    workerd: packageVersion("workerd"),
    miniflare: packageVersion("miniflare"),
    rustc: version("rustc", ["--version"]),
    wasmBindgen: version(path.join(os.homedir(), ".cargo/bin/wasm-bindgen"), ["--version"]),
    pkg: path.relative(root, PKG_DIR) || PKG_DIR,
  };
}

/** Starts the bench Graph; resolves to its description (and `stop()`). */
async function startGraph(conversations) {
  const child = spawn(process.execPath, [path.join(here, "lib/graph-server.mjs"), "--conversations", String(conversations)], {
    cwd: root, stdio: ["pipe", "pipe", "inherit"],
  });
  const line = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the bench Graph exited (${code})`)));
  });
  const graph = JSON.parse(line);
  graph.stop = () => new Promise((resolve) => {
    child.once("exit", resolve);
    child.stdin.end();
  });
  return graph;
}

// ---------------------------------------------------------------------------------------------

const results = { machine: machine() };
log(`${results.machine.model}, ${results.machine.cpus} CPUs, load ${results.machine.load}; package ${results.machine.pkg}`);

log("size");
results.size = await node("size.mjs");

log("size ledger: the package built without each size measure (a few minutes)");
results.ledger = await node("ledger.mjs");

log("starting the bench Graph (21,000 conversations)");
const graph = await startGraph(21_000);
const graphArg = JSON.stringify(graph);
try {
  log("per page: Node");
  results.node = [];
  for (let i = 0; i < RUNS; i++) results.node.push(await node("node-per-page.mjs", [graphArg]));

  log("per page: Chromium");
  results.chromium = await node("chromium.mjs", [graphArg], { env: { BENCH_RUNS: String(RUNS) } });

  log("per page and CPU: workerd");
  results.workerd = await node("workerd.mjs", [graphArg], { env: { BENCH_RUNS: String(RUNS), BENCH_CPU_BLOCKS: String(RUNS) } });

  log("cold start: Node (the package and the floor module, alternately)");
  results.coldNode = [];
  results.coldFloor = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    results.coldNode.push(await node("cold-node.mjs", [graphArg]));
    results.coldFloor.push(await node("cold-node.mjs", [graphArg, "floor"]));
  }

  log("cold start: workerd (the package and the floor module, alternately)");
  results.coldWorkerd = [];
  results.coldWorkerdFloor = [];
  for (let i = 0; i < (quick ? 3 : 8); i++) {
    const env = { BENCH_COLD_RUNS: "1", BENCH_COLD_WARM: "request" };
    results.coldWorkerd.push(...(await node("workerd-cold.mjs", [graphArg], { env })).runs);
    results.coldWorkerdFloor.push(...(await node("workerd-cold.mjs", [graphArg, "floor"], { env })).runs);
  }

  log("full sync: 10,000 conversations");
  results.fullSync = await node("full-sync.mjs", [graphArg], { nodeArgs: ["--expose-gc"], env: { BENCH_SYNC_RUNS: String(quick ? 1 : 3) } });

  log("pacing: 20 pages at the default rate, 3 Pages at once");
  results.pacing = await node("pacing.mjs", [graphArg], { env: { BENCH_PACING_ROUNDS: quick ? "1" : "2" } });

  if (process.env.BENCH_BEFORE) {
    // The same figures of another build (BENCH_BEFORE=/elsewhere/pkg), in this run, interleaved
    // with this build's where it matters (cold starts), for a before / after comparison.
    log(`before: ${process.env.BENCH_BEFORE}`);
    const before = { env: { BENCH_PKG: path.resolve(process.env.BENCH_BEFORE) } };
    const withRuns = (extra) => ({ env: { ...before.env, ...extra } });
    results.before = { size: await node("size.mjs", [], before), node: [], coldNode: [], coldNodeAfter: [] };
    for (let i = 0; i < RUNS; i++) results.before.node.push(await node("node-per-page.mjs", [graphArg], before));
    results.before.workerd = await node("workerd.mjs", [graphArg], withRuns({ BENCH_RUNS: String(RUNS), BENCH_CPU_BLOCKS: "1" }));
    for (let i = 0; i < COLD_RUNS; i++) {
      results.before.coldNode.push(await node("cold-node.mjs", [graphArg], before));
      results.before.coldNodeAfter.push(await node("cold-node.mjs", [graphArg]));
    }
  }

  log("the fleet gate: four isolates, one ConversationsGate");
  results.gate = await node("gate.mjs", [graphArg], { env: { BENCH_GATE_SAMPLES: quick ? "20" : "80", BENCH_CPU_BLOCKS: String(RUNS) } });
} finally {
  await graph.stop();
}
results.seconds = (Date.now() - started) / 1000;

// ---------------------------------------------------------------------------------------------
// The report.

const ms = (value, digits = 2) => `${value.toFixed(digits)} ms`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const range = (s, format) => `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
const ratioText = (value) => value.toFixed(3);
const verdict = (ok) => (ok ? "met" : "**missed**");

/** What cleaning a page of the token took in a run (per-page-core.mjs's cleaningCost), ms. */
const cleaningMs = (run) => median(run.cleaning.clean) - median(run.cleaning.none);
/** A call's fixed cost over fetch as the package must, by `way` (per-page-core.mjs's fixedCost), ms. */
const fixedMs = (run, way) => median(run.fixed[way]) - median(run.fixed.rawLikePackage);

/** Per-page figures of one runtime: every run's medians and ratio, summarized over the runs. */
function perPage(runs) {
  const raw = runs.map((r) => median(r.raw));
  const like = runs.map((r) => median(r.rawLikePackage));
  const pkg = runs.map((r) => median(r.pkg));
  return {
    raw: summarize(raw), like: summarize(like), pkg: summarize(pkg),
    ratio: summarize(runs.map((r) => median(r.pkg) / median(r.raw))),
    likeRatio: summarize(runs.map((r) => median(r.rawLikePackage) / median(r.raw))),
    ownRatio: summarize(runs.map((r) => median(r.pkg) / median(r.rawLikePackage))),
    overhead: summarize(runs.map((r) => median(r.pkg) - median(r.raw))),
    cleaning: summarize(runs.map(cleaningMs)),
    // The least package ÷ raw that a binding costing nothing of its own would reach: fetch as the
    // package must, plus the cleaning API.md requires.
    floorRatio: summarize(runs.map((r) => (median(r.rawLikePackage) + cleaningMs(r)) / median(r.raw))),
    // Where measured (Node, workerd): a call's fixed cost, the package's and the floor's, and the
    // least package ÷ raw with the floor's call added (the least any binding through gloo-net costs).
    fixed: runs[0].fixed && {
      pkg: summarize(runs.map((r) => fixedMs(r, "pkg"))),
      floor: summarize(runs.map((r) => fixedMs(r, "floor"))),
      leastRatio: summarize(runs.map((r) => (median(r.rawLikePackage) + cleaningMs(r) + fixedMs(r, "floor")) / median(r.raw))),
    },
    samples: runs[0].raw.length,
  };
}

const pages = {
  Node: perPage(results.node),
  Chromium: perPage(results.chromium.runs),
  workerd: perPage(results.workerd.perPage),
};
const worstRatio = Math.max(...Object.values(pages).map((p) => p.ratio.median));

/** The medians and ranges of a list of cold starts. */
const coldStarts = (runs) => ({
  compile: summarize(runs.map((r) => r.compile)),
  instantiate: summarize(runs.map((r) => r.instantiate)),
  firstCall: summarize(runs.map((r) => r.firstCall)),
  rawRequest: summarize(runs.map((r) => r.rawRequest)),
  secondCall: summarize(runs.map((r) => r.secondCall)),
  total: summarize(runs.map((r) => r.compile + r.instantiate + r.firstCall)),
  own: summarize(runs.map((r) => r.compile + r.instantiate + r.firstCall - r.secondCall)),
});
const cold = {
  node: {
    ...coldStarts(results.coldNode),
    glueImport: summarize(results.coldNode.map((r) => r.glueImport)),
    entryImport: summarize(results.coldNode.map((r) => r.entryImport)),
  },
  floor: coldStarts(results.coldFloor),
  workerd: coldStarts(results.coldWorkerd),
  workerdFloor: coldStarts(results.coldWorkerdFloor),
};
/** Package ÷ floor, run by run (each package process was followed by a floor process). */
const coldRatio = (runs, floorRuns) => summarize(runs.map((r, i) => {
  const f = floorRuns[i];
  return (r.compile + r.instantiate + r.firstCall) / (f.compile + f.instantiate + f.firstCall);
}));
const coldRatios = { node: coldRatio(results.coldNode, results.coldFloor), workerd: coldRatio(results.coldWorkerd, results.coldWorkerdFloor) };
const COLD_LABELS = { node: "Node", floor: "Node, the floor module", workerd: "workerd", workerdFloor: "workerd, the floor module" };

const sync = results.fullSync;
const syncRaw = summarize(sync.times.raw);
const syncPkg = summarize(sync.times.pkg);
const syncRatio = summarize(sync.times.pkg.map((t, i) => t / sync.times.raw[i]));

const pacingRates = summarize(results.pacing.runs.map((r) => r.rate));
const smallestGap = Math.min(...results.pacing.runs.map((r) => r.smallestGap));
const maxPerSecond = Math.max(...results.pacing.runs.map((r) => r.maxInOneSecond));

const cpuRuns = results.workerd.cpu;
const cpu = {
  none: summarize(cpuRuns.none),
  raw: summarize(cpuRuns.raw),
  like: summarize(cpuRuns.rawLikePackage),
  pkg: summarize(cpuRuns.pkg),
  pkgNet: summarize(cpuRuns.pkg.map((v, i) => v - cpuRuns.none[i])),
  rawNet: summarize(cpuRuns.raw.map((v, i) => v - cpuRuns.none[i])),
  likeNet: summarize(cpuRuns.rawLikePackage.map((v, i) => v - cpuRuns.none[i])),
  extra: summarize(cpuRuns.pkg.map((v, i) => v - cpuRuns.raw[i])),
  own: summarize(cpuRuns.pkg.map((v, i) => v - cpuRuns.rawLikePackage[i])),
};

const size = results.size;
const m = results.machine;
const lines = [];
const out = (text = "") => lines.push(text);

out("# Benchmarks");
out();
out(`Written by \`make bench\` (bench/run.mjs) on ${m.date.slice(0, 10)}, in ${results.seconds.toFixed(0)} s${quick ? " (BENCH_QUICK: fewer runs, not for figures)" : ""}.`);
out();
out("**Machine:** " + [
  `${m.cpus} × ${m.model}`, `${m.memoryGiB} GiB`, m.kernel, `load ${m.load} at the start`,
].join(", ") + ".");
out("**Software:** " + [
  `Node ${m.node}`, `Chromium ${results.chromium.version} (headless)`, `workerd ${m.workerd} (Miniflare ${m.miniflare})`,
  m.rustc, m.wasmBindgen,
].join(", ") + `. Package measured: \`${m.pkg}\`.`);
out();
out("Every figure is the median over repeated runs, with the range (min–max) of the runs in brackets.");
out("A run is a separate process (Node, workerd) or browser context (Chromium); ratios are computed");
out("within a run, then summarized. The Graph is the mock Graph (tests/graph-mock) behind a caching");
out("front in its own process (bench/lib/graph-server.mjs): it answers from memory over loopback, with");
out("the rate-limit headers Graph sends, so the baseline is as fast as the machine allows.");
out();
out("## Summary");
out();
out("| # | figure | goal | measured | |");
out("|---|---|---|---|---|");
out(`| 1 | per page, package ÷ raw fetch | ≤ 1.05 | ${Object.entries(pages).map(([k, p]) => `${k} ${ratioText(p.ratio.median)}`).join(", ")} | ${verdict(worstRatio <= 1.05)} |`);
out(`| | of which: fetch called as the package must ÷ raw; the package's own work | | ${Object.entries(pages).map(([k, p]) => `${k} ${ratioText(p.likeRatio.median)}; ${ratioText(p.ownRatio.median)}`).join(", ")} | |`);
out(`| | the token proof and link cleaning API.md requires, per page; the least package ÷ raw with nothing else of the package | | ${Object.entries(pages).map(([k, p]) => `${k} ${ms(p.cleaning.median)}; ${ratioText(p.floorRatio.median)}`).join(", ")} | |`);
out(`| | a call's fixed cost, the package's and the floor's (a bare gloo-net GET); the least package ÷ raw with the floor's call too | | ${Object.entries(pages).filter(([, p]) => p.fixed).map(([k, p]) => `${k} ${ms(p.fixed.pkg.median)} and ${ms(p.fixed.floor.median)}; ${ratioText(p.fixed.leastRatio.median)}`).join(", ")} | |`);
out(`| 2 | .wasm gzipped (issue 16's budget, webhook and gate included) | ≤ 52 KiB | ${kb(size.wasm.gzip)} (raw ${kb(size.wasm.raw)}) | ${verdict(size.wasm.gzip <= 52 * 1024)} |`);
out(`| 3 | cold start: compile + instantiate + first call | ≤ 5 ms | Node ${ms(cold.node.total.median, 1)}, workerd ${ms(cold.workerd.total.median, 1)} | ${verdict(Math.max(cold.node.total.median, cold.workerd.total.median) <= 5)} |`);
out(`| | of which the package's own (the first call's extra over a warm call, plus compile and instantiate) | | Node ${ms(cold.node.own.median, 1)}, workerd ${ms(cold.workerd.own.median, 1)} | |`);
out(`| | the floor: a module that only makes the request through gloo-net (${kb(results.coldFloor[0].wasmBytes)}); package ÷ floor | | Node ${ms(cold.floor.total.median, 1)}, workerd ${ms(cold.workerdFloor.total.median, 1)}; Node ${ratioText(coldRatios.node.median)}, workerd ${ratioText(coldRatios.workerd.median)} | |`);
out(`| 4 | full sync of 10,000 conversations, package ÷ raw loop | – | ${ratioText(syncRatio.median)} (${(sync.conversations / (syncPkg.median / 1000)).toFixed(0)} conversations/s) | |`);
out(`| 5 | pacing at the default rate | 1.9–2.0 req/s, never above 2 | ${pacingRates.median.toFixed(3)} req/s, at most ${maxPerSecond} in any second | ${verdict(pacingRates.min >= 1.9 && pacingRates.max <= 2 && maxPerSecond <= 2)} |`);
out(`| 6 | Worker CPU per page of 100 conversations | ≤ 10 ms | ${ms(cpu.pkgNet.median)} (raw fetch: ${ms(cpu.rawNet.median)}) | ${verdict(cpu.pkgNet.median <= 10)} |`);
out();

out("## 1. Per-page overhead");
out();
out("`listConversations` against a raw `fetch` + `res.json()` of the same HTTP request on the same");
out("loopback Graph: 100 conversations per page, each with participants, senders and its 5 newest");
out("messages (about 295 KiB of JSON, whose nested `messages.paging.next` links carry the token, as");
out("Graph's do). The two are interleaved pair by pair, alternating which goes first, after a warm-up.");
out("Node and workerd send the token in a header (the package's default there), Chromium in the query");
out("(its default in a browser window), and the raw request does the same. A third way calls `fetch`");
out("as the package must and does nothing else: a `Request` object (gloo-net hands one to `fetch`),");
out("an `AbortSignal` and a timer (the per-attempt timeout and cancellation), the body read as text");
out("(to search it for the token before parsing) and `JSON.parse`. What separates it from raw fetch is");
out("the runtime's price of those requirements; what separates the package from it is the package's own.");
out();
out("| runtime | samples per run | raw fetch + json | fetch called as the package must | listConversations | package − raw | **package ÷ raw** | required ÷ raw | package ÷ required |");
out("|---|---|---|---|---|---|---|---|---|");
for (const [name, p] of Object.entries(pages)) {
  out(`| ${name} | ${p.samples}${name === "workerd" ? ` (each the mean of ${results.workerd.batch} pages)` : ""} | ${range(p.raw, ms)} | ${range(p.like, ms)} | ${range(p.pkg, ms)} | ${range(p.overhead, ms)} | **${range(p.ratio, ratioText)}** | ${range(p.likeRatio, ratioText)} | ${range(p.ownRatio, ratioText)} |`);
}
out();
out("Timing: `performance.now()` around each awaited call. Chromium's page is cross-origin isolated");
out("(5 µs timer resolution). In workerd the clock has a 1 ms resolution here (in production it only");
out("advances across I/O), so each workerd sample times a batch of consecutive pages.");
out();
out("API.md requires the package to prove every page free of the token and to clean the token out of");
out("the nested `paging` links (Graph puts it into the 100 `messages.paging.next` links of such a page).");
out("Measured alone in the same run, the package's own cleaning (`cleanLinks` of pkg/json.js: it counts the");
out("token in the text, then cuts it out of each link of a freshly parsed copy) takes, per page:");
out();
out("| runtime | cleaning a page | ÷ raw fetch + json | least package ÷ raw (fetch as the package must + cleaning, ÷ raw) |");
out("|---|---|---|---|");
for (const [name, p] of Object.entries(pages)) {
  out(`| ${name} | ${range(p.cleaning, ms)} | ${(100 * p.cleaning.median / p.raw.median).toFixed(1)} % | ${range(p.floorRatio, ratioText)} |`);
}
out();
out("The last column is what a binding with no cost of its own would reach; the rest of");
out("\"package ÷ required\" is the binding: options, request, the futures and closures of");
out("wasm-bindgen, usage headers, cursors.");
out();
out("No binding costs nothing: the cold-start floor's one export (bench/floor: a gloo-net GET with the");
out("token in a header, the body as text, `JSON.parse`; nothing else) is the least any binding");
out("through gloo-net does. A call's fixed cost, on a one-conversation page, over fetch called as the");
out("package must (interleaved as above; the floor copies the body into Rust, which only so small a");
out("page makes negligible):");
out();
out("| runtime | the package | the floor | least package ÷ raw, with the floor's call |");
out("|---|---|---|---|");
for (const [name, p] of Object.entries(pages)) {
  if (p.fixed) out(`| ${name} | ${range(p.fixed.pkg, ms)} | ${range(p.fixed.floor, ms)} | ${range(p.fixed.leastRatio, ratioText)} |`);
}
out();

out("## 2. Size");
out();
out("| file | raw | gzip -9 | brotli |");
out("|---|---|---|---|");
out(`| \`gen/page_conversations_bg.wasm\` | ${kb(size.wasm.raw)} | ${kb(size.wasm.gzip)} | ${kb(size.wasm.brotli)} |`);
out(`| \`gen/page_conversations.js\` (wasm-bindgen glue) | ${kb(size.glue.raw)} | ${kb(size.glue.gzip)} | |`);
out(`| all JS of the browser entry (index.js, pager.js, errors.js, json.js, version.js, glue) | ${kb(size.js.browser.raw)} | ${kb(size.js.browser.gzip)} | |`);
out(`| all JS of the Node entry | ${kb(size.js.node.raw)} | ${kb(size.js.node.gzip)} | |`);
out();
if (size.composition) {
  out("What the module is made of (twiggy, shallow bytes of the same build with names kept, by crate):");
  out();
  out("| owner | bytes | share |");
  out("|---|---|---|");
  const total = size.composition.owners.reduce((sum, o) => sum + o.bytes, 0);
  for (const owner of size.composition.owners.filter((o) => o.bytes >= 500)) {
    out(`| ${owner.name.replace(/\|/g, "\\|")} | ${owner.bytes} | ${(100 * owner.bytes / total).toFixed(1)} % |`);
  }
  out();
  out("The largest items:");
  out();
  out("| item | bytes |");
  out("|---|---|");
  for (const item of size.composition.top.slice(0, 10)) out(`| \`${item.name.slice(0, 110).replace(/\|/g, "\\|")}\` | ${item.bytes} |`);
  out();
}

out("### Size ledger");
out();
out("Every deliberate size measure still in the code, with what it saves: the package built without");
out("it (the idiomatic form put back), gzip -9 of the `.wasm`, against the same build with it");
out(`(${kb(results.ledger.base)}). A measure stays only where it saves at least 1 KiB on its own.`);
out();
out("| measure | where | without it | saving | verdict |");
out("|---|---|---|---|---|");
for (const m of results.ledger.measures) {
  out(`| ${m.measure} | \`${m.where}\` | ${kb(m.gzip)} | ${m.saving} B | ${m.saving >= 1024 ? "kept" : "**under 1 KiB: revert**"} |`);
}
out();
out("Reverted to the idiomatic form after the same measurement (under 1 KiB each, gzip -9): src/text.rs");
out("altogether: split_once / rsplit_once / split / trim_end (203 B), has_byte (194 B), concat (171 B),");
out("parse_integer (70 B), decimal (77 B), and its own byte search (−4 B then, because `\"…\".contains(c)`");
out("of a `char` still brought core's searcher in: with ASCII sets tested on bytes, memchr's search now");
out("saves the figure above); sha2's compact rounds (991 B); the abort race written out with poll_fn");
out("instead of futures' select (53 B); the dot-segment scanner instead of str::replace (67 B); loops");
out("instead of iterator chains; one wasm export for both list calls and one for both pagers, with a");
out("flag (47 B). `scripts/short-imports.mjs`, which rewrote wasm-bindgen's output, is gone.");
out();

out("## 3. Cold start");
out();
out(`Node: ${results.coldNode.length} fresh processes. Each reads the \`.wasm\`, compiles it (\`new WebAssembly.Module\`), instantiates`);
out("it with the glue (`initSync`), then makes the first call: one page of one conversation. Node's");
out("`fetch` initialises itself on first use (tens of ms, whoever calls it), and its first `Request` with an");
out("`AbortSignal` and a timer costs more again: the same request is made that way twice without the");
out(`package first (the second is shown: "request alone"). workerd: ${results.coldWorkerd.length} fresh`);
out("workerd processes; the first request of each compiles the module through workerd's UnsafeEval");
out("binding (workerd compiles a Worker's wasm when it loads the Worker), instantiates it, then makes");
out("the first call after the same request made as the package must (clock resolution 1 ms).");
out("\"Own\" is compile + instantiate + the first call's extra over the second (warm) call: the");
out("package's cold start without the request's round trip.");
out();
out("| | compile | instantiate | first call | second call | request alone | total | own |");
out("|---|---|---|---|---|---|---|---|");
for (const [name, c] of Object.entries(cold)) {
  out(`| ${COLD_LABELS[name]} | ${range(c.compile, ms)} | ${range(c.instantiate, ms)} | ${range(c.firstCall, ms)} | ${range(c.secondCall, ms)} | ${range(c.rawRequest, ms)} | ${range(c.total, ms)} | ${range(c.own, ms)} |`);
}
out();
out(`Node also loads the package's JavaScript: the glue module in ${ms(cold.node.glueImport.median)} and the rest of the entry in ${ms(cold.node.entryImport.median)} (medians).`);
out();
out(`The floor (bench/floor, built by bench/floor/build.sh exactly as the package is) is the smallest`);
out(`module that makes the same request as the package must: one export, a gloo-net GET with the`);
out(`\`Authorization\` header, the body as text, \`JSON.parse\`; ${kb(results.coldFloor[0].wasmBytes)} of wasm. Its cold start, measured`);
out(`the same way in a fresh process after each of the package's, is what wasm-bindgen, gloo-net and`);
out(`V8 cost on this machine before any of the package's own work: package ÷ floor ${range(coldRatios.node, ratioText)} in Node,`);
out(`${range(coldRatios.workerd, ratioText)} in workerd (there the floor is bundled in place of the package, bench/floor/workerd.mjs).`);
out();

out("## 4. Full sync");
out();
out(`${sync.conversations.toLocaleString("en")} conversations (${sync.requests} pages of 100 with nested messages), \`requestsPerSecond: 0\`, through`);
out("`paginateConversations().pages()`, against a raw JS loop making the same requests (`fetch` +");
out("`res.json()`, following `paging.cursors.after` while Graph gives a `next`), alternating which goes");
out(`first, ${sync.times.raw.length} times each in one Node process after a warm-up of each.`);
out();
out("| | raw loop | package | ratio |");
out("|---|---|---|---|");
out(`| total | ${range(syncRaw, (v) => ms(v, 0))} | ${range(syncPkg, (v) => ms(v, 0))} | ${range(syncRatio, ratioText)} |`);
out(`| conversations per second | ${(sync.conversations / (syncRaw.median / 1000)).toFixed(0)} | ${(sync.conversations / (syncPkg.median / 1000)).toFixed(0)} | |`);
out();
out(`Memory: wasm linear memory ${kb(sync.before.wasm)} before, ${kb(sync.after.wasm)} after; JS heap (after a full GC) ${(sync.before.heap / 2 ** 20).toFixed(1)} MiB before, ${(sync.after.heap / 2 ** 20).toFixed(1)} MiB after.`);
out();

out("## 5. Pacing");
out();
out(`20 pages through \`paginateConversations\` at the default \`requestsPerSecond\` (2), ${results.pacing.runs.length / 3} round(s) of three`);
out("pagers at once for three different Pages (pacing is per Page), timed by when each request reached");
out("the Graph.");
out();
out("| Page | requests | seconds | requests per second | smallest gap | most requests in any second |");
out("|---|---|---|---|---|---|");
for (const r of results.pacing.runs) {
  out(`| ${r.node} | ${r.requests} | ${r.seconds.toFixed(3)} | ${r.rate.toFixed(3)} | ${ms(r.smallestGap, 1)} | ${r.maxInOneSecond} |`);
}
out();
out(`Median ${pacingRates.median.toFixed(3)} requests/s (${pacingRates.min.toFixed(3)}–${pacingRates.max.toFixed(3)}). The package spaces requests by 1/rate + 3 % as it sends them; the gaps Graph sees vary by the network's jitter (smallest ${ms(smallestGap, 1)}), never enough to fit a third request into a second.`);
out();
for (const s of results.pacing.sinceSync) {
  out(`A "since" sync (30 of the conversations changed) with \`limit\` ${s.limit}: ${s.requests} request(s), ${s.changed} conversations.`);
}
out();

out("## 6. CPU per page in a Worker");
out();
out("workerd reports no CPU time per request outside Cloudflare (tail events carry `cpuTime: 0`), so");
out("the CPU time of every thread of the workerd process (`/proc/PID/task/*/schedstat`) is read around");
out("blocks of requests to a Worker: one page the package's way, the raw way, the raw way calling");
out("`fetch` as the package must (see section 1), or no request at all (the cost of getting a request");
out(`to the Worker). ${results.workerd.cpu.pkg.length} blocks of 40 requests of each, in rotating order, one workerd process.`);
out();
out("| per request | CPU |");
out("|---|---|");
out(`| request that fetches nothing | ${range(cpu.none, ms)} |`);
out(`| raw fetch + json of a page | ${range(cpu.raw, ms)} |`);
out(`| fetch called as the package must, + JSON.parse | ${range(cpu.like, ms)} |`);
out(`| listConversations of a page | ${range(cpu.pkg, ms)} |`);
out(`| **a page through the package, less the request's own dispatch** | **${range(cpu.pkgNet, ms)}** |`);
out(`| a page through raw fetch, less the request's own dispatch | ${range(cpu.rawNet, ms)} |`);
out(`| a page through fetch called as the package must, less the dispatch | ${range(cpu.likeNet, ms)} |`);
out(`| package − raw | ${range(cpu.extra, ms)} |`);
out(`| package − fetch called as the package must (the package's own work) | ${range(cpu.own, ms)} |`);
out();
out("This counts all of workerd's work for the page, receiving the subrequest's 300 KB included, which");
out("Cloudflare does not bill as the Worker's CPU time: it is an upper bound against the free plan's 10 ms.");
out();

{
  const gate = results.gate;
  const idle = { direct: summarize(gate.idle.direct), gated: summarize(gate.idle.gated) };
  const loaded = { direct: summarize(gate.loaded.direct), gated: summarize(gate.loaded.gated) };
  const cpuGate = { none: summarize(gate.cpu.none), direct: summarize(gate.cpu.direct), gated: summarize(gate.cpu.gated) };
  out("## 7. The fleet gate");
  out();
  out("Four Worker scripts (four isolates) in one workerd, bound to one `ConversationsGate` (SQLite");
  out("storage), against the bench Graph; each call lists a page of about 25 conversations, without the");
  out("gate or through it. The gate runs unpaced here (`requestsPerSecond: 0`), so these are its own");
  out("costs (an RPC to the object, its fetch, the answer back), not waits for turns. Latency is timed");
  out("from Node around each request to a Worker, the two ways interleaved; CPU as in section 6 (with");
  out("the gate it includes the object's work, in the same process).");
  out();
  out("| | without the gate | through the gate | added |");
  out("|---|---|---|---|");
  out(`| latency per call, one at a time (${gate.idle.direct.length} each) | ${range(idle.direct, ms)} | ${range(idle.gated, ms)} | ${ms(idle.gated.median - idle.direct.median)} |`);
  out(`| latency per call, 4 isolates at once (${gate.loaded.direct.length} each) | ${range(loaded.direct, ms)} | ${range(loaded.gated, ms)} | ${ms(loaded.gated.median - loaded.direct.median)} |`);
  out(`| CPU per page, less the request's own dispatch (${gate.cpu.none.length} blocks of 40) | ${ms(cpuGate.direct.median - cpuGate.none.median)} | ${ms(cpuGate.gated.median - cpuGate.none.median)} | ${ms(cpuGate.gated.median - cpuGate.direct.median)} |`);
  out();
  out("Billing, per call through the gate: one Durable Object request (the RPC; a coalesced read is");
  out("one request per caller and one Graph fetch for all of them) and the object's wall-clock");
  out("duration while requests wait or are in flight (at most the pacing interval per waiting read).");
  out();
}

if (results.before) {
  const b = results.before;
  const beforePages = { Node: perPage(b.node), workerd: perPage(b.workerd.perPage) };
  const total = (runs) => summarize(runs.map((r) => r.compile + r.instantiate + r.firstCall));
  out("## Before and after");
  out();
  out(`The same figures of another build (\`BENCH_BEFORE=${process.env.BENCH_BEFORE}\`), measured in this run`);
  out("against the same Graph; the cold starts of the two builds alternate, process by process.");
  out();
  out("| figure | before | after |");
  out("|---|---|---|");
  out(`| \`.wasm\` gzip -9 (raw) | ${kb(b.size.wasm.gzip)} (${kb(b.size.wasm.raw)}) | ${kb(size.wasm.gzip)} (${kb(size.wasm.raw)}) |`);
  out(`| glue gzip -9 | ${kb(b.size.glue.gzip)} | ${kb(size.glue.gzip)} |`);
  // (Chromium's page loads the package from the bench Graph's static port, which serves this build.)
  for (const runtime of ["Node", "workerd"]) {
    out(`| per page ÷ raw fetch, ${runtime} | ${range(beforePages[runtime].ratio, ratioText)} | ${range(pages[runtime].ratio, ratioText)} |`);
  }
  out(`| cold start, Node (compile + instantiate + first call) | ${range(total(b.coldNode), ms)} | ${range(total(b.coldNodeAfter), ms)} |`);
  out();
}

out("## Where the rest goes, and how to look further");
out();
out("- **Per page.** Beyond `fetch` + `res.json()`, each call validates its options, builds the");
out("  request, creates an `AbortController` and a timer (the per-attempt timeout and cancellation),");
out("  sends a `Request` through gloo-net (which hands the `Request` object to `fetch`: Node's fetch");
out("  then builds a second one, following its signal), reads the three usage headers, proves the body");
out("  free of the token (it counts the token's occurrences in the text and removes it from the nested");
out("  `paging` links of the parsed page, without copying the text) and turns Graph's paging into");
out("  cursors. The fixed part dominates where a page is cheap to fetch (workerd), the");
out("  redaction where pages are large.");
out("- **Size.** The composition above: the wasm-bindgen runtime (futures, closures, imports), the");
out("  standard library's panic and formatting code, HMAC-SHA256 and the allocator are there whatever");
out("  the package does; the package's own code is option validation (with its messages), requests,");
out("  responses, redaction, cursors, usage, paging and timestamps.");
out("- **Cold start.** V8 compiles wasm lazily: `compile` only validates the module, and the first call");
out("  pays for compiling every function it runs (Liftoff), plus V8's first run of the glue's JavaScript");
out("  and of each import wrapper. Less code on the first call's path is what shortens it.");
out();
out("Tools (not run by `make bench`): `node bench/profile/instructions.mjs [pkgDir…]` counts the");
out("instructions per page under valgrind, the package's and raw fetch's (deterministic, unlike times on");
out("a shared machine); `node bench/profile/cpu-node.mjs` and `node --experimental-websocket");
out("bench/profile/cpu-workerd.mjs` record V8 CPU profiles of both ways in Node and inside workerd;");
out("`BENCH_PKG=/other/pkg node bench/run.mjs` measures another build the same way (before and after a");
out("change).");
out();

const report = lines.join("\n");
writeFileSync(path.join(root, "BENCHMARKS.md"), `${report}\n`);
writeFileSync(path.join(root, "target", "bench-results.json"), `${JSON.stringify(results, null, 1)}\n`);
process.stdout.write(`${report}\n\nWritten to BENCHMARKS.md (raw results: target/bench-results.json).\n`);
