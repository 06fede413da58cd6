// `make bench`, headless Chromium: the per-page comparison in a page that imports the package's
// browser entry (served from another origin than the Graph, as for a dashboard calling
// graph.facebook.com; the token goes in the query, the browser default). Each run is a fresh
// browser context (a fresh renderer). `node bench/chromium.mjs '<graph JSON>'` prints one JSON
// line: `{ version, runs: [{ raw: [ms…], pkg: [ms…] }] }`.
import { chromium } from "playwright-core";

const graph = JSON.parse(process.argv[2]);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 150);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 40);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run"],
});
const runs = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const query = new URLSearchParams({
        graph: JSON.stringify({ url: graph.url, pageId: graph.pageId, token: graph.token }),
        pairs: String(PAIRS), warmup: String(WARMUP),
      });
      await page.goto(`${graph.staticUrl}/bench/browser/per-page.html?${query}`);
      await page.waitForFunction(() => window.benchResult || window.benchError, null, { timeout: 120_000, polling: 200 });
      const { result, error } = await page.evaluate(() => ({ result: window.benchResult, error: window.benchError }));
      if (error) throw new Error(`Chromium: ${error}`);
      runs.push(result);
    } finally {
      await context.close();
    }
  }
  process.stdout.write(`${JSON.stringify({ version: browser.version(), runs })}\n`);
} finally {
  await browser.close();
}
