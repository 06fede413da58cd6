// Builds the webpack consumer with webpack 5's Node API (production mode, default asset
// handling: no loader or plugin for the `.wasm`), into the directory given as argument.
//   node webpack-app/build.mjs OUT_DIR
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import webpack from "webpack";

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(process.argv[2] ?? path.join(here, "dist"));

const compiler = webpack({
  mode: "production",
  context: here,
  entry: "./main.js",
  output: { path: outDir, filename: "main.js", clean: true },
  performance: { hints: false },
});

const stats = await new Promise((resolve, reject) => {
  compiler.run((error, result) => (error ? reject(error) : resolve(result)));
});
await new Promise((resolve) => compiler.close(resolve));
const info = stats.toJson({ all: false, errors: true, warnings: true, assets: true });
for (const warning of info.warnings) console.warn("webpack warning:", warning.message);
if (stats.hasErrors()) {
  for (const error of info.errors) console.error("webpack error:", error.message);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
copyFileSync(path.join(here, "index.html"), path.join(outDir, "index.html"));
for (const asset of info.assets) console.log(`webpack: ${asset.name} ${asset.size} bytes`);
