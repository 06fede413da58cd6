// `make bench`, size: the shipped `.wasm` raw, gzipped (-9) and brotli'd, the JS gzipped, and what
// the module is made of. The shipped module has no names, so the same build is run again through
// wasm-bindgen with --keep-debug and wasm-opt -Oz -g (names kept, code identical) for twiggy.
// Prints one JSON line. With BENCH_PKG (another build, see lib/package.mjs) the composition is
// that of BENCH_WASM_TARGET (its cargo output), or left out.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

import { PKG_DIR } from "./lib/package.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cargoWasm = process.env.BENCH_WASM_TARGET
  ?? (process.env.BENCH_PKG ? null : path.join(root, "target/wasm32-unknown-unknown/release/page_conversations.wasm"));
const home = os.homedir();
const gzip = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;
const brotli = (bytes) => zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const file = (name) => readFileSync(path.join(PKG_DIR, name));

const wasm = file("gen/page_conversations_bg.wasm");
const glue = file("gen/page_conversations.js");
const entryFiles = {
  browser: ["index.js", "pager.js", "errors.js", "json.js", "version.js", "gen/page_conversations.js"],
  node: ["node.js", "api.js", "pager.js", "errors.js", "json.js", "version.js", "gen/page_conversations.js"],
};
const js = Object.fromEntries(Object.entries(entryFiles).map(([entry, names]) => {
  const text = Buffer.concat(names.map(file));
  return [entry, { raw: text.length, gzip: gzip(text) }];
}));

/** Crate (or section) an item of twiggy's listing belongs to. */
function owner(name) {
  if (name.startsWith("\"function names\"") || name.startsWith("custom section") || name.includes("section headers")) return "(names and custom sections)";
  if (name.startsWith("data segment")) return "(data: strings and tables)";
  if (/^(import|export|type\[|elem|table|memory|global|code\[)/.test(name)) return "(wasm-bindgen imports, exports, types)";
  if (/shim|__wbindgen|__wbg_|__externref/.test(name)) return "(wasm-bindgen glue functions)";
  const match = /^(?:<|_<)?(?:&(?:mut )?)?(?:dyn )?([A-Za-z_][A-Za-z0-9_]*)/.exec(name);
  const crate = match ? match[1] : name;
  if (["char", "str", "u8", "u16", "u32", "u64", "i32", "i64", "f64", "usize", "bool"].includes(crate)) return "core";
  if (["T", "F", "I"].includes(crate)) return "(generic impls)";
  return crate.replace(/\[[0-9a-f]+\]$/, "");
}

const work = mkdtempSync(path.join(os.tmpdir(), "page-conversations-size-"));
let composition = null;
if (cargoWasm) try {
  const bin = (name) => path.join(home, ".cargo", "bin", name);
  execFileSync(bin("wasm-bindgen"), ["--target", "web", "--no-typescript", "--keep-debug", "--out-dir", work, "--out-name", "named",
    cargoWasm]);
  const named = path.join(work, "named.wasm");
  execFileSync(path.join(root, "node_modules/.bin/wasm-opt"), ["-Oz", "-g", "--enable-bulk-memory", "--enable-nontrapping-float-to-int",
    "--enable-sign-ext", "--enable-reference-types", "--enable-multivalue", "--enable-mutable-globals",
    path.join(work, "named_bg.wasm"), "-o", named]);
  const items = JSON.parse(execFileSync(bin("twiggy"), ["top", "-n", "100000", "--format", "json", named], { encoding: "utf8", maxBuffer: 64 << 20 }));
  const byOwner = new Map();
  for (const item of items) byOwner.set(owner(item.name), (byOwner.get(owner(item.name)) ?? 0) + item.shallow_size);
  const names = byOwner.get("(names and custom sections)") ?? 0;
  byOwner.delete("(names and custom sections)");
  composition = {
    namedSize: readFileSync(named).length - names,
    owners: [...byOwner].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => ({ name, bytes })),
    top: items.filter((item) => owner(item.name) !== "(names and custom sections)").slice(0, 15)
      .map((item) => ({ name: item.name.replace(/::h[0-9a-f]{16}$/, ""), bytes: item.shallow_size })),
  };
} finally {
  rmSync(work, { recursive: true, force: true });
}

process.stdout.write(`${JSON.stringify({
  wasm: { raw: wasm.length, gzip: gzip(wasm), brotli: brotli(wasm) },
  glue: { raw: glue.length, gzip: gzip(glue) },
  js,
  composition,
})}\n`);
