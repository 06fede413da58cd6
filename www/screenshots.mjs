// Regenerates the README's screenshots, docs/dashboard.png and docs/dashboard-phone.png, from
// the dashboard on its Worker (Miniflare) and the mock Graph, in Debian's headless Chromium.
//
//   node www/screenshots.mjs        (after `make build`)
//
// Emoji and CJK in the mock's data need fonts: `apt-get install fonts-noto-color-emoji
// fonts-wqy-microhei` for pictures like the committed ones.
import { mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { startStack } from "../tests/e2e/stack.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const docs = path.join(root, "docs");
mkdirSync(docs, { recursive: true });

const stack = await startStack({ conversations: 300, seed: 1 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
try {
  // Desktop: the list after "load all", a thread open.
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, reducedMotion: "reduce" });
  await page.goto(`${stack.url}/`);
  await page.waitForSelector("button.conversation");
  await page.click("#load-all");
  await page.waitForSelector('#progress[data-state="done"]', { timeout: 30_000 });
  await page.locator("button.conversation").nth(2).click();
  await page.waitForSelector("#messages .message");
  await page.locator("#conversation-list").evaluate((list) => { list.scrollTop = 0; });
  await page.screenshot({ path: path.join(docs, "dashboard.png") });

  // Phones, side by side: the list while loading all, a thread, a rate limit's countdown.
  const frames = [
    ["Load all", `${stack.url}/?scenario=after=1;slow=900`],
    ["A thread", `${stack.url}/`],
    ["Rate limit", `${stack.url}/?scenario=error=80006;usage=buc;eta=2`],
  ];
  const sheet = await browser.newPage({ viewport: { width: 1200, height: 760 }, reducedMotion: "reduce" });
  await sheet.setContent(`<!doctype html><style>
    body { margin: 0; background: #dfe3ea; display: flex; gap: 24px; justify-content: center; padding: 20px; font: 600 14px system-ui, sans-serif; color: #444; }
    figure { margin: 0; text-align: center; } figcaption { margin-top: 8px; }
    iframe { width: 360px; height: 680px; border: 0; border-radius: 18px; background: #fff; box-shadow: 0 4px 20px rgb(0 0 0 / 18%); }
  </style>${frames.map(([caption, src]) => `<figure><iframe src="${src}"></iframe><figcaption>${caption}</figcaption></figure>`).join("")}`);
  const [loading, thread, rate] = sheet.frames().slice(1);
  await Promise.all([loading, thread, rate].map((frame) => frame.waitForSelector("#layout[aria-busy]")));
  await thread.waitForSelector("button.conversation");
  await thread.locator("button.conversation").nth(4).click();
  await thread.waitForSelector("#messages .message");
  await loading.waitForSelector("button.conversation");
  await loading.click("#load-all");
  await loading.waitForFunction(() => Number(document.getElementById("progress").dataset.pages) >= 2, null, { timeout: 15_000 });
  await rate.waitForSelector('#list-error[data-kind="rate"]');
  await sheet.screenshot({ path: path.join(docs, "dashboard-phone.png") });
} finally {
  await browser.close();
  await stack.close();
}
for (const name of ["dashboard.png", "dashboard-phone.png"]) {
  console.log(`docs/${name}: ${Math.round(statSync(path.join(docs, name)).size / 1024)} KB`);
}
