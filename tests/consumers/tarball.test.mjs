// The packed tarball (`npm pack` of pkg/, made by run.sh): exactly the files the package needs,
// every `exports` target and every relative import inside it, the metadata users expect, the
// README / LICENSE / CHANGELOG of the repository, and the same bytes as what run.sh installed.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { INSTALLED, ROOT, TARBALL, assertInstalledFromTarball, built } from "./lib.mjs";

const EXPECTED = [
  "package.json", "README.md", "LICENSE", "CHANGELOG.md",
  "index.js", "node.js", "workerd.js", "api.js", "exports.js", "gate.js", "gate-client.js", "options.js", "pager.js", "errors.js", "json.js",
  "version.js", "webhook.js", "index.d.ts",
  "gen/page_conversations.js", "gen/page_conversations_bg.wasm",
].sort();

let files;
let unpacked;
let manifest;
const read = (file) => readFileSync(path.join(unpacked, file));

before(() => {
  built("page-conversations.tgz");
  const listing = execFileSync("tar", ["-tzf", TARBALL], { encoding: "utf8" }).split("\n").filter(Boolean);
  files = listing.map((entry) => {
    assert.ok(entry.startsWith("package/"), `unexpected tarball entry ${entry}`);
    return entry.slice("package/".length);
  }).sort();
  unpacked = mkdtempSync(path.join(os.tmpdir(), "page-conversations-tarball-"));
  execFileSync("tar", ["-xzf", TARBALL, "-C", unpacked, "--strip-components=1"]);
  manifest = JSON.parse(read("package.json"));
});

after(() => { if (unpacked) rmSync(unpacked, { recursive: true, force: true }); });

test("the tarball holds exactly the entries, the glue, the .wasm, the types and the docs", (t) => {
  assert.deepEqual(files, EXPECTED);
  t.diagnostic(`tarball: ${statSync(TARBALL).size} bytes, ${files.length} files`);
});

test("every exports target (and main, browser, types) exists in the tarball", () => {
  const targets = [];
  const walk = (value) => {
    if (typeof value === "string") targets.push(value);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  targets.push(manifest.main, manifest.browser, manifest.types);
  assert.ok(targets.length >= 9);
  for (const target of targets) {
    assert.match(target, /^\.\//, `${target}: exports targets start with ./`);
    assert.ok(files.includes(target.slice(2)), `${target} is not in the tarball`);
  }
  // The conditions, in the order that makes each runtime pick its entry.
  assert.deepEqual(Object.keys(manifest.exports["."]), ["types", "workerd", "node", "browser", "default"]);
  // Without sideEffects on these two, bundlers drop their initSync (the wasm would never load).
  assert.deepEqual(manifest.sideEffects, ["./node.js", "./workerd.js"]);
});

test("every relative import and new URL(…, import.meta.url) in the package resolves inside it", () => {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)(["'])(\.{1,2}\/[^"']+|[\w.-]+\.wasm)\1/g;
  let checked = 0;
  for (const file of files.filter((name) => name.endsWith(".js") || name.endsWith(".d.ts"))) {
    for (const match of read(file).toString("utf8").matchAll(pattern)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[2]));
      assert.ok(files.includes(target), `${file} refers to ${match[2]} (${target}), which is not in the tarball`);
      checked += 1;
    }
  }
  assert.ok(checked >= 10, `only ${checked} relative references found`);
});

test("package.json has the metadata users expect", () => {
  assert.equal(manifest.name, "page-conversations");
  assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
  assert.equal(manifest.type, "module");
  assert.ok(manifest.description.length > 40);
  assert.equal(manifest.license, "MIT OR Apache-2.0");
  assert.equal(manifest.repository.type, "git");
  assert.match(manifest.repository.url, /^git\+https:\/\/.+\.git$/);
  assert.match(manifest.homepage, /^https:\/\//);
  assert.match(manifest.bugs.url, /^https:\/\//);
  assert.ok(Array.isArray(manifest.keywords) && manifest.keywords.length >= 5);
  assert.match(manifest.engines.node, /^>=\d+/);
  for (const field of ["scripts", "devDependencies", "dependencies", "private"]) {
    assert.equal(manifest[field], undefined, `${field} should not be in the published package.json`);
  }
});

test("README, LICENSE and CHANGELOG are the repository's", () => {
  assert.equal(read("README.md").toString(), readFileSync(path.join(ROOT, "README.md"), "utf8"));
  const license = read("LICENSE").toString();
  assert.equal(license, readFileSync(path.join(ROOT, "LICENSE"), "utf8"));
  for (const text of ["LICENSE-MIT", "LICENSE-APACHE"]) {
    assert.ok(license.includes(readFileSync(path.join(ROOT, text), "utf8")), `LICENSE does not include ${text} verbatim`);
  }
  const changelog = read("CHANGELOG.md").toString();
  assert.equal(changelog, readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8"));
  assert.match(changelog, new RegExp(`^## \\[?${manifest.version.replace(/\./g, "\\.")}\\]?\\b`, "m"),
    `CHANGELOG.md has no section for ${manifest.version}`);
});

test("what run.sh installed is this tarball, byte for byte", () => {
  assertInstalledFromTarball();
  for (const file of files) {
    assert.ok(read(file).equals(readFileSync(path.join(INSTALLED, file))), `installed ${file} differs from the tarball's`);
  }
});
