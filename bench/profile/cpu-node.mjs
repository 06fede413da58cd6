// V8 CPU profiles of the per-page loop in Node, the package's way and the raw way, against the
// bench Graph (in its own process), and the functions whose self time differs most, per page.
// Not part of `make bench`. `node bench/profile/cpu-node.mjs [pages]`; the profiles are left in
// target/profile/ (open them in Chrome's DevTools). For names of wasm functions, profile a build
// made with `wasm-bindgen --keep-debug` (and `wasm-opt -g`).
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const out = path.join(root, "target", "profile");
const pages = Number(process.argv[2] ?? 600);

if (process.argv[2] === "--child") {
  const [, , , graphJson, mode, count] = process.argv;
  const { importPackage } = await import("../lib/package.mjs");
  const { pageRequests } = await import("../lib/per-page-core.mjs");
  const { listConversations } = await importPackage();
  const requests = pageRequests(JSON.parse(graphJson), { tokenIn: "header", listConversations });
  for (let i = 0; i < 50; i++) await requests[mode]();
  for (let i = 0; i < Number(count); i++) await requests[mode]();
  process.exit(0);
}

/** Self time per function (µs per page) of a .cpuprofile. */
function selfTimes(file) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const times = new Map();
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id).callFrame;
    const name = `${frame.functionName || "(anonymous)"} ${frame.url.split("/").pop()}`.trim();
    times.set(name, (times.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / (pages + 50));
  });
  return times;
}

const child = spawn(process.execPath, [path.join(here, "../lib/graph-server.mjs"), "--conversations", "1000"], { stdio: ["pipe", "pipe", "inherit"] });
const graph = await new Promise((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
try {
  rmSync(out, { recursive: true, force: true });
  const times = {};
  for (const mode of ["raw", "pkg"]) {
    const dir = path.join(out, mode);
    mkdirSync(dir, { recursive: true });
    execFileSync(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval", "50",
      fileURLToPath(import.meta.url), "--child", graph, mode, String(pages)], { stdio: "inherit" });
    times[mode] = selfTimes(path.join(dir, readdirSync(dir)[0]));
  }
  const names = new Set([...times.raw.keys(), ...times.pkg.keys()]);
  const rows = [...names].map((name) => [name, times.raw.get(name) ?? 0, times.pkg.get(name) ?? 0])
    .sort((a, b) => Math.abs(b[2] - b[1]) - Math.abs(a[2] - a[1]));
  console.log("self time per page, µs:     raw      pkg     diff");
  for (const [name, raw, pkg] of rows.slice(0, 30)) {
    console.log(`${name.slice(0, 60).padEnd(60)} ${raw.toFixed(1).padStart(8)} ${pkg.toFixed(1).padStart(8)} ${(pkg - raw).toFixed(1).padStart(8)}`);
  }
  console.log(`profiles: ${path.relative(root, out)}/{raw,pkg}/`);
} finally {
  child.stdin.end();
}
