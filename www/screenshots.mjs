// Regenerates the README's screenshots, docs/dashboard.png, docs/dashboard-phone.png and
// docs/dashboard-live.png, from the dashboard on its Worker (Miniflare) and the mock Graph, in
// Debian's headless Chromium. The live one: the mock sends signed webhooks to the Worker while a
// thread is open.
//
//   node www/screenshots.mjs [dashboard] [phone] [live]     (after `make build`; default: all)
//
// Emoji and CJK in the mock's data need fonts: `apt-get install fonts-noto-color-emoji
// fonts-wqy-microhei` for pictures like the committed ones.
import { mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { startStack } from "../tests/e2e/stack.mjs";
import { sendWebhook } from "../tests/graph-mock/webhooks.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const docs = path.join(root, "docs");
mkdirSync(docs, { recursive: true });

const wanted = new Set(process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["dashboard", "phone", "live"]);
const stack = await startStack({ conversations: 300, seed: 1 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
try {
  if (wanted.has("dashboard")) await dashboard();
  if (wanted.has("phone")) await phones();
  if (wanted.has("live")) await live();
} finally {
  await browser.close();
  await stack.close();
}
const names = { dashboard: "dashboard.png", phone: "dashboard-phone.png", live: "dashboard-live.png" };
for (const name of [...wanted].map((key) => names[key]).filter(Boolean)) {
  console.log(`docs/${name}: ${Math.round(statSync(path.join(docs, name)).size / 1024)} KB`);
}

async function dashboard() {
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
}

async function phones() {
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
}

async function live() {
  // A thread open; the person writes (a signed webhook from the mock, as Meta sends it), and so
  // does another: both conversations jump to the top, the thread shows the new message.
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, reducedMotion: "reduce" });
  await page.goto(`${stack.url}/`);
  await page.waitForSelector('#live-status[data-state="live"]');
  await page.waitForSelector("button.conversation");
  const threads = stack.mock.inbox.threads.filter((t) => t.platform === "messenger" && t.folder === "inbox");
  const [open, other] = [threads[5], threads[9]];
  await page.locator(`button.conversation[data-id="${open.id}"]`).click();
  await page.waitForSelector("#messages .message");
  const send = async (thread, text) => {
    const { payload } = stack.mock.deliver({ platform: "messenger", conversationId: thread.id, text });
    await sendWebhook(`${stack.url}/webhook`, payload, { appSecret: stack.mock.appSecret });
  };
  await send(other, "Hi! Do you ship to Norway?");
  await page.waitForFunction((id) => document.querySelector("button.conversation")?.dataset.id === id, other.id);
  await send(open, "Perfect, see you at 7 then!");
  await page.waitForFunction((id) => document.querySelector("button.conversation")?.dataset.id === id, open.id);
  await page.waitForFunction(() => [...document.querySelectorAll("#messages .message-text")].at(-1)?.textContent.startsWith("Perfect"));
  await page.screenshot({ path: path.join(docs, "dashboard-live.png") });
}
