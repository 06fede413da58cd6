// The TypeScript consumer: ts/usage.ts (the README's usage, with @ts-expect-error lines that
// prove the types are not `any`) passes `tsc --strict` under moduleResolution "bundler" (a web
// app) and "node16" (a Node ESM project with @types/node and no DOM), and in both the types come
// from the installed tarball's index.d.ts through its `exports`, not from the repository.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { before, test } from "node:test";

import { HERE, INSTALLED, ROOT, assertInstalledFromTarball } from "./lib.mjs";

const run = promisify(execFile);
const TSC = path.join(HERE, "node_modules", "typescript", "bin", "tsc");

before(() => assertInstalledFromTarball());

/** Runs tsc on a project of ts/; resolves to the files it read (throws with tsc's output on errors). */
async function typeCheck(project) {
  try {
    const { stdout } = await run(process.execPath, [TSC, "-p", path.join(HERE, "ts", project), "--listFiles"], {
      cwd: path.join(HERE, "ts"), timeout: 120_000, maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.split("\n").filter(Boolean);
  } catch (error) {
    assert.fail(`tsc -p ts/${project} failed:\n${error.stdout}${error.stderr}`);
  }
}

/** The files of the package tsc read: exactly the installed index.d.ts. */
function assertInstalledTypes(files) {
  const ours = files.filter((file) => file.includes(`${path.sep}node_modules${path.sep}page-conversations${path.sep}`)
    || file.startsWith(path.join(ROOT, "pkg") + path.sep));
  assert.deepEqual(ours, [path.join(INSTALLED, "index.d.ts")]);
  assert.ok(files.includes(path.join(HERE, "ts", "usage.ts")));
}

const checks = {
  bundler: typeCheck("tsconfig.bundler.json"),
  node16: typeCheck("tsconfig.node16.json"),
};
// Both start at once (two tsc processes); a rejection is reported by its own test.
for (const promise of Object.values(checks)) promise.catch(() => {});

test("tsc --strict, moduleResolution bundler (module esnext, DOM)", async () => {
  assertInstalledTypes(await checks.bundler);
});

test("tsc --strict, moduleResolution node16 (type: module, @types/node, no DOM)", async () => {
  assertInstalledTypes(await checks.node16);
});
