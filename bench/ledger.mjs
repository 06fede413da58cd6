// `make bench`, the size ledger: every deliberate size measure still in the code, with what it
// saves, measured by building the package without it. `node bench/ledger.mjs` prints one JSON line:
//   { base: bytes, measures: [{ measure, where, gzip: bytes of the .wasm without it, saving }] }
//
// Each variant is the working tree copied to a temporary directory with one measure undone (the
// idiomatic form put back), built exactly as the package is (scripts/build.sh: cargo release,
// wasm-bindgen, wasm-opt), and its `.wasm` gzipped (-9). A measure stays only where it saves at
// least 1 KiB on its own. The builds share target/ledger, so later runs rebuild little.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const targetDir = path.join(root, "target", "ledger");

/** Replaces the body of `fn name(` in `source` with `body`. */
function withBody(source, name, body) {
  const start = source.indexOf(`pub fn ${name}(`);
  if (start < 0) throw new Error(`no fn ${name}`);
  const open = source.indexOf("{", start);
  let depth = 0;
  let end = open;
  for (; end < source.length; end++) {
    if (source[end] === "{") depth++;
    else if (source[end] === "}" && --depth === 0) break;
  }
  return `${source.slice(0, open)}{\n    ${body}\n}${source.slice(end + 1)}`;
}

/** Each measure: what it is, where it lives, and how to undo it (file -> new text). */
const MEASURES = [
  {
    measure: "hand-written query encoding and parsing instead of the `form_urlencoded` crate",
    where: "src/urlencoded.rs",
    undo: {
      "Cargo.toml": (s) => s.replace("[dev-dependencies]", "[dependencies.form_urlencoded]\nversion = \"1\"\n\n[dev-dependencies]"),
      "src/urlencoded.rs": (s) => withBody(
        withBody(s, "append_encoded", "out.extend(form_urlencoded::byte_serialize(text.as_bytes()));"),
        "parse", "form_urlencoded::parse(query.as_bytes()).map(|(name, value)| (name.into_owned(), value.into_owned()))",
      ),
    },
  },
  {
    measure: "an insertion sort of a request's secrets instead of `sort_by_key` (the standard library's stable sort)",
    where: "src/redact.rs",
    undo: {
      "src/redact.rs": (s) => s.replace(/        for end in 1\.\.forms\.len\(\) \{[\s\S]*?\n            \}\n        \}\n/, "        forms.sort_by_key(|form| std::cmp::Reverse(form.len()));\n"),
    },
  },
  {
    measure: "memchr's `memmem` for substring search instead of `str::find` and `str::contains` (whose searcher brings `char`'s `Debug` and Unicode tables)",
    where: "src/search.rs",
    undo: { "src/search.rs": (s) => withBody(s, "find", "haystack.find(needle)") },
  },
  {
    measure: "the Talc allocator instead of the standard library's dlmalloc",
    where: "src/lib.rs, Cargo.toml",
    undo: { "src/lib.rs": (s) => s.replace(/\/\/\/ The wasm module's allocator[\s\S]*?new_wasm_dynamic_allocator\(\);\n/, "") },
  },
];

/** The gzipped size of the `.wasm` built from `dir`. */
function build(dir) {
  execFileSync("scripts/build.sh", { cwd: dir, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, CARGO_TARGET_DIR: targetDir } });
  return gzipSync(readFileSync(path.join(dir, "pkg/gen/page_conversations_bg.wasm")), { level: 9 }).length;
}

/** The working tree's tracked files, copied into a fresh directory (node_modules linked). */
function copyOfTree() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "page-conversations-ledger-"));
  const files = execFileSync("git", ["ls-files", "-z", "Cargo.toml", "Cargo.lock", "README.md", "LICENSE", "CHANGELOG.md", "src", "scripts", "pkg"], { cwd: root, encoding: "utf8" })
    .split("\0").filter(Boolean);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(root, file), path.join(dir, file));
  }
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

const dir = copyOfTree();
try {
  const base = build(dir);
  const measures = [];
  for (const { measure, where, undo } of MEASURES) {
    const saved = {};
    for (const [file, change] of Object.entries(undo)) {
      saved[file] = readFileSync(path.join(dir, file), "utf8");
      const changed = change(saved[file]);
      if (changed === saved[file]) throw new Error(`ledger: "${measure}" is no longer in ${file} (update bench/ledger.mjs)`);
      writeFileSync(path.join(dir, file), changed);
    }
    const gzip = build(dir);
    measures.push({ measure, where, gzip, saving: gzip - base });
    for (const [file, text] of Object.entries(saved)) writeFileSync(path.join(dir, file), text);
  }
  process.stdout.write(`${JSON.stringify({ base, measures })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
