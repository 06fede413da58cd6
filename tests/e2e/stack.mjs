// The dashboard's stack for tests: the mock Graph, www/dist (built by www/build.mjs), and the
// Worker of www/worker bundled as wrangler bundles it (esbuild, `workerd` condition, `.wasm` as a
// CompiledWasm module) and run in real workerd through Miniflare, with the same assets layer as
// `[assets]` in wrangler.toml. Miniflare starts in about a second; `wrangler dev` (used by
// `make demo`) takes several.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Miniflare } from "miniflare";

import { buildDashboard } from "../../www/build.mjs";
import { DEMO_VERIFY_TOKEN } from "../../www/worker/demo-secrets.mjs";
import { startMockGraph } from "../graph-mock/server.mjs";
import { bundleLikeWrangler } from "../js/worker-bundle.mjs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const WORKER_DIR = path.join(ROOT, "www", "worker");

/** A Page token that only the Worker holds: the tests check it never reaches the browser. */
export const WORKER_TOKEN = "EAAWorkerOnlyTok3n0123456789secret";

/**
 * `compatibility_date` and `compatibility_flags` of wrangler.toml, so that the test runs what
 * `wrangler dev` runs.
 */
function compatibility() {
  const toml = readFileSync(path.join(WORKER_DIR, "wrangler.toml"), "utf8");
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml);
  if (!date) throw new Error("wrangler.toml has no compatibility_date");
  const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml);
  return {
    compatibilityDate: date[1],
    compatibilityFlags: flags ? [...flags[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]) : [],
  };
}

/**
 * The Durable Object bindings of wrangler.toml (`[[durable_objects.bindings]]` name and
 * class_name), each with SQLite storage as its `new_sqlite_classes` migration asks, so that the
 * stack binds what `wrangler dev` binds.
 */
export function durableObjects() {
  const toml = readFileSync(path.join(WORKER_DIR, "wrangler.toml"), "utf8");
  const sqlite = new Set([...toml.matchAll(/^new_sqlite_classes\s*=\s*\[([^\]]*)\]/gm)].flatMap((m) => [...m[1].matchAll(/"([^"]+)"/g)].map((n) => n[1])));
  const bindings = {};
  for (const block of toml.split(/^\[\[durable_objects\.bindings\]\]\s*$/m).slice(1)) {
    const name = /^name\s*=\s*"([^"]+)"/m.exec(block)?.[1];
    const className = /^class_name\s*=\s*"([^"]+)"/m.exec(block)?.[1];
    if (!name || !className) throw new Error("wrangler.toml: a durable_objects binding without name or class_name");
    if (!sqlite.has(className)) throw new Error(`wrangler.toml: ${className} has no new_sqlite_classes migration`);
    bindings[name] = { className, useSQLite: true };
  }
  return bindings;
}

/** The demo's webhook secrets (make demo and the tests): never a real app's. */
export { DEMO_VERIFY_TOKEN };

/** Bundles the Worker into `outDir` like wrangler does; returns the bundle's path. */
export async function bundleWorker(outDir) {
  return bundleLikeWrangler({ entry: path.join(WORKER_DIR, "src", "index.js"), outDir });
}

/**
 * Starts the mock Graph (unless `graphBaseUrl` is given) and the Worker serving the dashboard.
 * @param {{ conversations?: number, seed?: number, bindings?: Record<string, string>, graphBaseUrl?: string }} [options]
 * @returns {Promise<{ url: string, mock: any, mf: Miniflare, close(): Promise<void> }>}
 */
export async function startStack({ conversations = 300, seed = 1, bindings = {}, graphBaseUrl } = {}) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "page-conversations-e2e-"));
  const mock = graphBaseUrl ? null : await startMockGraph({ port: 0, conversations, seed });
  let mf;
  try {
    const dist = buildDashboard({ out: path.join(tmp, "dist") });
    const scriptPath = await bundleWorker(tmp);
    mf = new Miniflare({
      modules: true,
      scriptPath,
      modulesRoot: tmp,
      modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
      ...compatibility(),
      host: "127.0.0.1",
      port: 0,
      cf: false,
      assets: {
        directory: dist,
        binding: "ASSETS",
        routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: false, static_routing: { user_worker: ["/api/*", "/webhook"] } },
      },
      durableObjects: durableObjects(),
      bindings: {
        PAGE_ID: mock?.pageId ?? "1000000000000001",
        PAGE_ACCESS_TOKEN: WORKER_TOKEN,
        APP_SECRET: mock?.appSecret ?? "0123456789abcdef0123456789abcdef",
        GRAPH_BASE_URL: graphBaseUrl ?? mock.url,
        VERIFY_TOKEN: DEMO_VERIFY_TOKEN,
        INSTAGRAM_ACCOUNT_ID: mock?.igAccountId ?? "17841400000000001",
        DEMO_SCENARIOS: "1",
        ...bindings,
      },
    });
    const url = (await mf.ready).href.replace(/\/$/, "");
    return {
      url,
      mock,
      mf,
      async close() {
        await mf.dispose();
        await mock?.close();
        rmSync(tmp, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await mf?.dispose().catch(() => {});
    await mock?.close();
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}
