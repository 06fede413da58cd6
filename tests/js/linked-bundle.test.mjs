// The package bundled from a linked folder, as `npm link` and workspaces install it: a symlinked
// node_modules/page-conversations pointing at pkg/. esbuild (and wrangler, which runs esbuild) stay
// quiet about files inside node_modules, but a symlinked package resolves to its real path,
// outside node_modules, so every warning about the package's files (its generated glue included)
// is printed to whoever bundles it. Bundling must print none: esbuild with the `workerd`
// conditions (as wrangler, through tests/js/worker-bundle.mjs) and the `browser` ones, and
// `wrangler deploy --dry-run` of a tiny Worker itself. Offline; needs pkg/gen (scripts/build.sh).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";

import * as esbuild from "esbuild";

import { bundleLikeWrangler } from "./worker-bundle.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = path.join(root, "pkg");

const WORKER = `import { listConversations } from "page-conversations";

export default {
  async fetch(request, env) {
    const page = await listConversations({ pageId: env.PAGE_ID, accessToken: env.TOKEN });
    return Response.json(page);
  },
};
`;
const APP = `import { listConversations } from "page-conversations";

globalThis.list = listConversations;
`;

/** esbuild's warnings, one line each, with the file they are about. */
const described = (warnings) => warnings.map((w) => `${w.location?.file ?? "?"}:${w.location?.line ?? "?"}: ${w.text}`);

let dir;

before(() => {
  assert.ok(existsSync(path.join(pkg, "gen", "page_conversations.js")), "pkg/gen is not built: run scripts/build.sh");
  dir = mkdtempSync(path.join(tmpdir(), "page-conversations-linked-"));
  mkdirSync(path.join(dir, "node_modules"));
  symlinkSync(pkg, path.join(dir, "node_modules", "page-conversations"), "dir");
  mkdirSync(path.join(dir, "worker", "src"), { recursive: true });
  writeFileSync(path.join(dir, "worker", "src", "index.js"), WORKER);
  writeFileSync(path.join(dir, "worker", "wrangler.toml"),
    'name = "linked-consumer"\nmain = "src/index.js"\ncompatibility_date = "2025-01-01"\n');
  writeFileSync(path.join(dir, "app.js"), APP);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("bundling the package from a linked folder", () => {
  test("the link resolves outside node_modules (so bundlers report the package's warnings)", () => {
    const real = realpathSync(path.join(dir, "node_modules", "page-conversations"));
    assert.equal(real, realpathSync(pkg));
    assert.ok(!real.split(path.sep).includes("node_modules"), real);
  });

  test("esbuild, workerd conditions (as wrangler): no warning", async () => {
    const outDir = path.join(dir, "esbuild-workerd");
    mkdirSync(outDir);
    const warnings = [];
    const bundle = await bundleLikeWrangler({ entry: path.join(dir, "worker", "src", "index.js"), outDir, warnings });
    assert.deepEqual(described(warnings), []);
    assert.ok(existsSync(bundle));
    assert.deepEqual(readdirSync(outDir).filter((file) => file.endsWith(".wasm")), ["page_conversations_bg.wasm"]);
  });

  test("esbuild, browser conditions: no warning", async () => {
    const result = await esbuild.build({
      entryPoints: [path.join(dir, "app.js")], bundle: true, format: "esm", platform: "browser",
      outdir: path.join(dir, "esbuild-browser"), write: false, logLevel: "silent",
    });
    assert.deepEqual(described(result.warnings), []);
    const js = result.outputFiles.find((file) => file.path.endsWith(".js")).text;
    assert.match(js, /import\.meta\.url/, "not the browser entry (index.js) of the package");
  });

  test("wrangler deploy --dry-run: no warning", async () => {
    const outDir = path.join(dir, "wrangler-dist");
    const env = {
      ...process.env,
      WRANGLER_SEND_METRICS: "false", WRANGLER_SEND_ERROR_REPORTS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_HIDE_BANNER: "true", // the banner asks the npm registry for a newer wrangler
      NO_COLOR: "1", FORCE_COLOR: "0",
      WRANGLER_LOG_PATH: path.join(dir, "wrangler-logs"), XDG_CONFIG_HOME: path.join(dir, "config"),
    };
    const { code, output } = await new Promise((resolve) => {
      const child = execFile(path.join(root, "node_modules", ".bin", "wrangler"),
        ["deploy", "--dry-run", "--outdir", outDir],
        { cwd: path.join(dir, "worker"), env, timeout: 50_000, maxBuffer: 16 << 20 },
        (error, stdout, stderr) => resolve({ code: error ? (error.code ?? error.signal) : 0, output: `${stdout}\n${stderr}` }));
      child.stdin.end();
    });
    assert.equal(code, 0, output);
    const warnings = output.replace(/\x1b\[[0-9;]*m/g, "").split("\n").filter((line) => /\[WARNING\]|▲/.test(line));
    assert.deepEqual(warnings, [], output);
    assert.ok(readdirSync(outDir).some((file) => file.endsWith(".wasm")), `no .wasm module in ${readdirSync(outDir)}`);
  });
});
