// Bundles a Worker as wrangler does, for the tests (tests/js, tests/e2e) and the benchmarks:
// esbuild with the `workerd` condition, each `.wasm` import kept external and copied next to the
// bundle (Miniflare's `CompiledWasm` module rule then loads it as a `WebAssembly.Module`).
import { copyFileSync } from "node:fs";
import path from "node:path";

import * as esbuild from "esbuild";

/** Copies `source` next to the bundle in `dir`. */
const copyInto = (source, dir) => copyFileSync(source, path.join(dir, path.basename(source)));

/**
 * Bundles `entry` into `outDir/worker.mjs`; returns that path. `alias` as esbuild's; `external`
 * maps other extensions to a function that puts the imported file into `outDir` itself
 * (`(source, outDir) => void`), the import staying external as `.wasm` ones do. esbuild's
 * warnings (not printed) are pushed into `warnings` when given.
 * @param {{ entry: string, outDir: string, alias?: Record<string, string>,
 *   external?: Record<string, (source: string, outDir: string) => void>,
 *   warnings?: import("esbuild").Message[] }} options
 */
export async function bundleLikeWrangler({ entry, outDir, alias = {}, external = {}, warnings }) {
  const outfile = path.join(outDir, "worker.mjs");
  const placed = { ".wasm": copyInto, ...external };
  const result = await esbuild.build({
    entryPoints: [entry], outfile, bundle: true, format: "esm", platform: "neutral",
    conditions: ["workerd", "worker", "browser"], logLevel: "silent", alias, external: ["cloudflare:*"],
    plugins: [{
      name: "files-next-to-bundle",
      setup(build) {
        for (const [extension, place] of Object.entries(placed)) {
          build.onResolve({ filter: new RegExp(`\\${extension}$`) }, (args) => {
            place(path.resolve(args.resolveDir, args.path), outDir);
            return { path: `./${path.basename(args.path)}`, external: true };
          });
        }
      },
    }],
  });
  warnings?.push(...result.warnings);
  return outfile;
}
