// Runs tests/js/worker/worker.mjs in real workerd through Miniflare, bundled with esbuild as
// wrangler does (workerd condition, `.wasm` kept as a CompiledWasm module next to the bundle).
// Each test file that needs a Worker starts its own instance with its own bindings.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Miniflare } from "miniflare";

import { bundleLikeWrangler } from "./worker-bundle.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Bundles and starts the Worker. `bindings` become its `env` (strings).
 * @returns {Promise<{ get: (route: string, params?: object) => Promise<{ body: any, text: string }>,
 *   fetch: (route: string, params?: object) => Promise<Response>, outDir: string, bundleText: string,
 *   dispose: () => Promise<void> }>}
 */
export async function startWorker(bindings) {
  const outDir = mkdtempSync(path.join(os.tmpdir(), "page-conversations-worker-"));
  let mf;
  let bundlePath;
  try {
    bundlePath = await bundleLikeWrangler({ entry: path.join(here, "worker", "worker.mjs"), outDir });
    mf = new Miniflare({
      modules: true, scriptPath: bundlePath, modulesRoot: outDir,
      modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
      compatibilityDate: "2025-01-01", host: "127.0.0.1", cf: false, bindings,
    });
    await mf.ready;
  } catch (err) {
    await mf?.dispose();
    rmSync(outDir, { recursive: true, force: true });
    throw err;
  }
  const fetchRoute = (route, params = {}) => mf.dispatchFetch(`http://worker.test${route}?${new URLSearchParams(params)}`);
  return {
    outDir,
    bundleText: readFileSync(bundlePath, "utf8"),
    fetch: fetchRoute,
    /** GETs a route that must answer 200 with JSON. */
    async get(route, params = {}) {
      const res = await fetchRoute(route, params);
      const text = await res.text();
      assert.equal(res.status, 200, text.slice(0, 2000));
      return { body: JSON.parse(text), text };
    },
    async dispose() {
      await mf.dispose();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
