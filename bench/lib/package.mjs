// Which build of the package the benchmarks measure: the repository's `pkg/` (through
// node_modules/page-conversations), or another build's pkg/ directory given as BENCH_PKG (to
// compare before and after a change: `BENCH_PKG=/elsewhere/pkg make bench`).
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The package directory measured. */
export const PKG_DIR = path.resolve(process.env.BENCH_PKG ?? path.join(path.dirname(fileURLToPath(import.meta.url)), "../../pkg"));

/** Imports a file of the package (`"node.js"`, `"gen/page_conversations.js"`, …). */
export function importPackage(file = "node.js") {
  return import(pathToFileURL(path.join(PKG_DIR, file)).href);
}

/** Where bench/floor/build.sh puts the cold-start floor's build (`floor.js`, `floor_bg.wasm`). */
export const FLOOR_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../target/floor/pkg");
