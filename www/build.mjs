// Builds the dashboard's static files into www/dist/ (git-ignored), which the Worker serves:
//   www/public/*            the page (index.html, app.js, view.js, sources.js, style.css, …)
//   pkg/ → dist/pkg/        page-conversations as published (its browser entry and wasm), so that the
//                           page's import map can say {"page-conversations": "/pkg/index.js"}
// The import map is an inline script: its SHA-256 goes into the page's Content-Security-Policy,
// a response header set by public/_headers (which wrangler's [assets] and Miniflare apply).
// Run `make build` (or scripts/build.sh) first: pkg/gen/ must exist.
//
//   node www/build.mjs [--out DIR]
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");

/**
 * The package's JavaScript and wasm files as published (`files` of pkg/package.json), so that
 * whatever the browser entry imports is there; the page only loads index.js and its imports.
 */
export function packageFiles(pkg = path.join(root, "pkg")) {
  const manifest = JSON.parse(readFileSync(path.join(pkg, "package.json"), "utf8"));
  return (manifest.files ?? []).filter((file) => /\.(m?js|wasm)$/.test(file));
}

/**
 * Builds the dashboard into `out` (default www/dist) and returns its path.
 * @param {{ out?: string }} [options]
 */
export function buildDashboard({ out = path.join(here, "dist") } = {}) {
  const pkg = path.join(root, "pkg");
  const files = packageFiles(pkg);
  if (!files.includes("index.js")) throw new Error("www/build.mjs: pkg/package.json's files lack index.js");
  for (const file of files) {
    if (!existsSync(path.join(pkg, file))) {
      throw new Error(`www/build.mjs: pkg/${file} is missing: run \`make build\` first`);
    }
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(path.join(here, "public"), out, { recursive: true });
  for (const file of files) {
    mkdirSync(path.dirname(path.join(out, "pkg", file)), { recursive: true });
    cpSync(path.join(pkg, file), path.join(out, "pkg", file));
  }

  checkImports(path.join(out, "pkg"), files);

  const html = readFileSync(path.join(out, "index.html"), "utf8");
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html);
  if (!importMap) throw new Error("www/build.mjs: index.html has no import map");
  const hash = createHash("sha256").update(importMap[1], "utf8").digest("base64");
  const headersPath = path.join(out, "_headers");
  const headers = readFileSync(headersPath, "utf8");
  if (!headers.includes("%IMPORTMAP_HASH%")) throw new Error("www/build.mjs: _headers has no %IMPORTMAP_HASH%");
  writeFileSync(headersPath, headers.replaceAll("%IMPORTMAP_HASH%", `sha256-${hash}`));
  return out;
}

/** Every relative import of the copied package files must be a copied file. */
function checkImports(dir, files) {
  for (const file of files.filter((f) => f.endsWith(".js"))) {
    const text = readFileSync(path.join(dir, file), "utf8");
    for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = path.join(path.dirname(path.join(dir, file)), specifier);
      if (!existsSync(target)) throw new Error(`www/build.mjs: pkg/${file} imports ${specifier}, which is not among the package's files`);
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--out");
  const out = buildDashboard(at > 0 ? { out: path.resolve(process.argv[at + 1]) } : {});
  console.log(`dashboard built into ${path.relative(process.cwd(), out) || "."}`);
}
