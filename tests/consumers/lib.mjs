// Shared helpers of the consumer tests: where run.sh put things, the mock Graph, what it serves,
// a static file server for built apps, and checks that the package under test is the installed
// tarball (not the repository's pkg/ through the root node_modules).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { MOCK_PAGE_ID, MOCK_TOKEN, startMockGraph } from "../graph-mock/server.mjs";

export { MOCK_PAGE_ID, MOCK_TOKEN, startMockGraph };

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "../..");
/** Build outputs and the tarball, made by run.sh (git-ignored). */
export const WORK = path.join(HERE, ".work");
export const TARBALL = path.join(WORK, "page-conversations.tgz");
export const INSTALLED = path.join(HERE, "node_modules", "page-conversations");

/** A path of run.sh's output; fails with a hint when run.sh did not make it. */
export function built(...parts) {
  const file = path.join(WORK, ...parts);
  assert.ok(existsSync(file), `${file} is missing: run tests/consumers/run.sh (it builds the consumers)`);
  return file;
}

/** How the tests launch Debian's Chromium with playwright-core (TOOLCHAIN.md's flags). */
export const CHROMIUM_LAUNCH = {
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run"],
};

export const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

/** The installed package is a real directory inside tests/consumers/node_modules (from the tarball). */
export function assertInstalledFromTarball() {
  assert.ok(existsSync(INSTALLED), "page-conversations is not installed in tests/consumers/node_modules");
  assert.ok(!lstatSync(INSTALLED).isSymbolicLink(), "page-conversations is a symlink (not installed from the tarball)");
  assert.equal(realpathSync(INSTALLED), INSTALLED);
}

/** sha256 of the installed package's `.wasm`: what every bundle must ship, byte for byte. */
export function installedWasmHash() {
  return sha256(readFileSync(path.join(INSTALLED, "gen", "page_conversations_bg.wasm")));
}

/** The conversation ids the mock serves for the Page's Messenger inbox, in order. */
export function expectedIds(mock, { platform = "messenger", folder = "inbox" } = {}) {
  return mock.inbox.threads.filter((t) => t.platform === platform && t.folder === folder).map((t) => t.id);
}

/** The request log of a run, without CORS preflights. */
export function requestsOf(mock, runId) {
  return mock.log(runId).filter((entry) => entry.method !== "OPTIONS");
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

/**
 * Serves a directory on 127.0.0.1 (an ephemeral port), as any static host would: `/` is
 * index.html, the MIME type follows the extension, anything outside the directory is a 404.
 * Resolves to `{ url, requests, close() }`; `requests` lists the paths served with their status.
 */
export async function serveStatic(dir) {
  const root = path.resolve(dir);
  const requests = [];
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const file = path.resolve(root, `.${pathname === "/" ? "/index.html" : pathname}`);
    let status = 404;
    if (file.startsWith(root + path.sep) && existsSync(file) && statSync(file).isFile()) {
      status = 200;
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
      res.end(readFileSync(file));
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
    requests.push({ path: pathname, status });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
