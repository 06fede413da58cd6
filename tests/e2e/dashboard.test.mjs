// End to end: headless Chromium (Debian's, driven by playwright-core) uses the dashboard of www/
// served by its Worker (www/worker, bundled as wrangler does, in workerd through Miniflare), which
// reads the mock Graph. The list loads, filters change what is asked of Graph, "load all" shows
// progress and ends with every conversation, a thread opens (by keyboard), cancel stops a load,
// error panels read the typed errors (expired token, rate limit with its countdown, network),
// the phone layout works, and direct mode reads Graph from the page with a typed-in token.
// Screenshots go to tests/output/e2e/ (git-ignored).
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { chromium } from "playwright-core";

import { CHROMIUM_LAUNCH } from "../consumers/lib.mjs";

import { ROOT, WORKER_TOKEN, startStack } from "./stack.mjs";

const SHOTS = path.join(ROOT, "tests", "output", "e2e");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 780 };

let stack;
let browser;
let runs = 0;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [stack, browser] = await Promise.all([
    startStack({ conversations: 300, seed: 1 }),
    chromium.launch({ ...CHROMIUM_LAUNCH, executablePath: CHROMIUM }),
  ]);
});

after(async () => {
  await browser?.close();
  await stack?.close();
});

/** A mock run id no other test uses; the mock logs that run's Graph requests under it. */
function runId(label) {
  runs += 1;
  return `e2e-${label}-${process.pid}-${runs}`;
}

/** Graph requests the Worker made for a run (from the mock's log). */
function graphRequests(id) {
  return stack.mock.log(id).filter((entry) => entry.method === "GET");
}

/** The ids the mock serves for a platform and folder, newest first. */
function expectedIds({ platform = "messenger", folder = "inbox" } = {}) {
  return stack.mock.inbox.threads.filter((t) => t.platform === platform && t.folder === folder).map((t) => t.id);
}

/**
 * A fresh page on the dashboard. `scenario` goes to the Worker as X-Mock-Scenario (the Worker
 * runs with DEMO_SCENARIOS=1); every answer of the Worker is kept to check it for the token.
 */
async function openDashboard({ scenario, viewport = DESKTOP } = {}) {
  const context = await browser.newContext({ viewport, reducedMotion: "reduce" });
  const page = await context.newPage();
  const errors = [];
  const answers = [];
  page.on("pageerror", (error) => errors.push(error));
  page.on("console", (message) => { if (message.type() === "error" && !/Failed to load resource/.test(message.text())) errors.push(new Error(message.text())); });
  page.on("response", (response) => {
    if (response.url().startsWith(stack.url)) answers.push(response.text().catch(() => ""));
  });
  const query = scenario ? `?scenario=${encodeURIComponent(scenario)}` : "";
  await page.goto(`${stack.url}/${query}`);
  return {
    page,
    errors,
    async assertNoTokenSeen() {
      for (const text of await Promise.all(answers)) assert.ok(!text.includes(WORKER_TOKEN), "the Worker's token reached the browser");
      assert.ok(!(await page.content()).includes(WORKER_TOKEN));
    },
    async close() {
      assert.deepEqual(errors.map((e) => e.message), [], "errors in the page");
      await context.close();
    },
  };
}

const listIds = (page) => page.$$eval("#conversation-list button.conversation", (buttons) => buttons.map((b) => b.dataset.id));
const waitForCount = (page, n) =>
  page.waitForFunction((count) => document.querySelectorAll("#conversation-list button.conversation").length === count, n);
const events = (page, type) => page.evaluate((t) => window.dashboard.events.filter((e) => e.type === t), type);
const idle = (page) => page.waitForFunction(() => document.getElementById("layout").getAttribute("aria-busy") === "false");
const shot = (page, name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

describe("dashboard through the Worker", () => {
  test("the list loads: names, platform, snippet, time, unread; the token stays in the Worker", async () => {
    const id = runId("list");
    const { page, assertNoTokenSeen, close } = await openDashboard({ scenario: `id=${id}` });
    await waitForCount(page, 25);
    await idle(page);
    assert.deepEqual(await listIds(page), expectedIds().slice(0, 25));

    const thread = stack.mock.inbox.byId.get(expectedIds()[0]);
    const first = page.locator("#conversation-list button.conversation").first();
    assert.equal(await first.locator(".conversation-name").textContent(), thread.person.name);
    assert.equal(await first.locator(".platform-tag").textContent(), "Messenger");
    assert.equal(await first.locator(".conversation-snippet").textContent(), thread.fields.snippet.replace(/\s+/g, " ").trim());
    assert.match(await first.locator("time").textContent(), /ago|yesterday|today|now/);
    const unread = stack.mock.inbox.threads.filter((t) => expectedIds().slice(0, 25).includes(t.id) && t.fields.unread_count);
    assert.ok(unread.length > 0, "the seed has unread conversations on page 1");
    assert.equal(await page.locator(".unread-badge").count(), unread.length);
    assert.match(await page.locator("#list-status").textContent(), /25 conversations · more available/);
    assert.match(await page.locator("#connection-label").textContent(), /Page 1000000000000001 · through the Worker/);

    // What Graph was asked: the Worker's fields, a Bearer token and appsecret_proof on every call.
    const requests = graphRequests(id);
    assert.equal(requests.length, 1);
    assert.equal(requests[0].path, "/v25.0/1000000000000001/conversations");
    assert.equal(requests[0].tokenIn, "header");
    assert.match(requests[0].proof, /^[0-9a-f]{64}$/);
    assert.equal(requests[0].query.limit, "25");
    assert.match(requests[0].query.fields, /participants/);
    await assertNoTokenSeen();
    await shot(page, "01-list");
    await close();
  });

  test("conversations and messages whose fields have odd types are shown with the rest", async () => {
    // odd=1: the 1st, 3rd, … item of every page has a number, object, null or array where Graph
    // sends text, times that are no dates, counts that are not numbers, participants that are no
    // list (tests/graph-mock/odd.mjs).
    const { page, close } = await openDashboard({ scenario: `id=${runId("odd")};odd=1` });
    await waitForCount(page, 25);
    await idle(page);
    assert.deepEqual(await listIds(page), expectedIds().slice(0, 25), "every conversation, the odd ones included");
    assert.ok(await page.locator("#list-error").isHidden());
    const snippets = await page.$$eval("#conversation-list .conversation-snippet", (spans) => spans.map((s) => s.textContent));
    assert.deepEqual(snippets.slice(0, 8).filter((_, i) => i % 2 === 0), ["42", "No text", "No text", "No text"], "a number as text, anything else blank");
    assert.ok(!(await page.locator("#conversation-list").textContent()).includes("[object Object]"));
    assert.equal(await page.locator("#conversation-list button.conversation").first().locator("time").textContent(), "");

    // The first conversation's thread: its odd messages are shown with the others.
    await page.locator("#conversation-list button.conversation").first().click();
    await page.waitForSelector("#messages .message");
    const thread = stack.mock.inbox.byId.get(expectedIds()[0]);
    const shown = Math.min(20, thread.readable.length);
    assert.equal(await page.locator("#messages .message").count(), shown);
    assert.equal(await page.locator("#messages .message").last().locator(".message-text").textContent(), "42", "the newest message, a number, as text");
    assert.ok(!(await page.locator("#messages").textContent()).includes("[object Object]"));
    assert.ok(await page.locator("#thread-error").isHidden());
    await shot(page, "11-odd-types");
    await close();
  });

  test("filters change what is asked of Graph", async () => {
    const id = runId("filter");
    const { page, close } = await openDashboard({ scenario: `id=${id}` });
    await waitForCount(page, 25);
    await page.getByRole("radio", { name: "Instagram" }).check();
    await page.waitForFunction(() => document.querySelector("#conversation-list .platform-tag")?.textContent === "Instagram");
    await idle(page);
    await page.selectOption("#folder-filter", "other");
    const want = expectedIds({ platform: "instagram", folder: "other" });
    await waitForCount(page, want.length);
    await idle(page);
    assert.deepEqual(await listIds(page), want);
    assert.ok((await page.locator(".conversation-name").first().textContent()).startsWith("@"), "Instagram people show as @username");

    const asked = graphRequests(id).map((r) => [r.query.platform ?? null, r.query.folder ?? null]);
    assert.deepEqual(asked, [["messenger", "inbox"], ["instagram", "inbox"], ["instagram", "other"]]);
    await shot(page, "02-filter-instagram-other");
    await close();
  });

  test("load all: a progress bar fed page by page, ending with every conversation", async () => {
    const id = runId("all");
    const { page, close } = await openDashboard({ scenario: `id=${id}` });
    await waitForCount(page, 25);
    await idle(page);
    await page.click("#load-more");
    await waitForCount(page, 50);
    await idle(page);

    await page.click("#load-all");
    await page.waitForSelector('#progress[data-state="running"]:not([hidden])');
    await page.waitForFunction(() => Number(document.getElementById("progress").dataset.pages) >= 2);
    await shot(page, "03-load-all-progress");
    await page.waitForSelector('#progress[data-state="done"]', { timeout: 20_000 });
    const want = expectedIds();
    assert.deepEqual(await listIds(page), want, "every conversation, in order, once");
    assert.match(await page.locator("#progress-text").textContent(), new RegExp(`^All ${want.length} conversations loaded`));
    assert.match(await page.locator("#list-status").textContent(), new RegExp(`${want.length} conversations · that's all`));
    assert.ok(await page.locator("#load-all").isDisabled());
    assert.ok(await page.locator("#load-more").isDisabled());

    const progress = await events(page, "progress");
    const pages = Math.ceil((want.length - 50) / 25);
    assert.deepEqual(progress.map((e) => e.pageNumber), Array.from({ length: pages }, (_, i) => i + 1));
    assert.deepEqual(progress.map((e) => e.total), progress.map((_, i) => Math.min(want.length, 50 + 25 * (i + 1))));

    // Cursor by cursor: every request continued from the previous page, with a proof.
    const requests = graphRequests(id);
    assert.equal(requests.length, 2 + pages);
    assert.equal(requests[0].query.after, undefined);
    assert.ok(requests.slice(1).every((r) => typeof r.query.after === "string" && r.proof));
    assert.equal(new Set(requests.map((r) => r.query.after)).size, requests.length);
    await shot(page, "04-load-all-done");
    await close();
  });

  test("a thread opens from the keyboard and shows its messages", async () => {
    const id = runId("thread");
    const { page, close } = await openDashboard({ scenario: `id=${id}` });
    await waitForCount(page, 25);
    await idle(page);
    await page.focus("#conversation-list button.conversation >> nth=0");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    const thread = stack.mock.inbox.byId.get(expectedIds()[2]);
    await page.waitForSelector("#messages .message");
    assert.equal(await page.locator("#thread-title").textContent(), thread.person.name);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "thread-title");
    const shown = Math.min(20, thread.readable.length);
    assert.equal(await page.locator("#messages .message").count(), shown);
    // Oldest first on screen; the Page's own messages on the right.
    const ids = await page.$$eval("#messages .message", (items) => items.map((li) => [li.dataset.id, li.classList.contains("mine")]));
    const want = thread.readable.slice(0, shown).reverse().map((m) => [m.id, m.fields.from.id === "1000000000000001"]);
    assert.deepEqual(ids, want);
    assert.equal(await page.locator("#load-older").isVisible(), thread.readable.length > 20);
    const requests = graphRequests(id).filter((r) => r.path.endsWith("/messages"));
    assert.equal(requests.length, 1);
    assert.equal(requests[0].path, `/v25.0/${thread.id}/messages`);
    assert.ok(requests[0].proof);
    assert.equal(await page.locator("#conversation-list button[aria-current='true']").getAttribute("data-id"), thread.id);
    await shot(page, "05-thread");

    // Escape goes back to the conversation in the list.
    await page.keyboard.press("Escape");
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.id), thread.id);
    await close();
  });

  test("cancel stops a load and keeps what was loaded", async () => {
    const id = runId("cancel");
    const { page, close } = await openDashboard({ scenario: `id=${id};after=1;slow=5000` });
    await waitForCount(page, 25);
    await idle(page);
    await page.click("#load-all");
    await page.waitForSelector("#cancel:not([hidden])");
    await page.click("#cancel");
    await idle(page);
    assert.match(await page.locator("#list-status").textContent(), /25 conversations · more available · cancelled/);
    assert.equal(await page.locator("#progress-text").textContent(), "Cancelled");
    assert.ok(await page.locator("#cancel").isHidden());
    assert.ok(await page.locator("#load-more").isEnabled());
    assert.equal(await page.locator("#list-error").isHidden(), true);
    await close();
  });

  test("an expired token shows the auth panel", async () => {
    const { page, assertNoTokenSeen, close } = await openDashboard({ scenario: `id=${runId("auth")};error=190.463` });
    const panel = page.locator('#list-error[data-kind="auth"]');
    await panel.waitFor();
    assert.match(await panel.locator("h3").textContent(), /session has expired/i);
    assert.match(await panel.textContent(), /wrangler secret put PAGE_ACCESS_TOKEN/);
    assert.match(await panel.textContent(), /Graph code 190, subcode 463/);
    assert.equal(await page.locator("#conversation-list button").count(), 0);
    await assertNoTokenSeen();
    await shot(page, "06-auth-error");
    await close();
  });

  test("a rate limit shows a countdown from retryAfterMs", async () => {
    const { page, close } = await openDashboard({ scenario: `id=${runId("rate")};error=80006;usage=buc;eta=2` });
    const panel = page.locator('#list-error[data-kind="rate"]');
    await panel.waitFor();
    const clock = panel.locator(".countdown-clock");
    const first = await clock.textContent();
    assert.match(first, /^(2:00|1:5\d)$/, "eta=2 minutes → retryAfterMs 120000");
    assert.ok(await panel.getByRole("button", { name: "Try again" }).isDisabled());
    await page.waitForFunction((start) => document.querySelector(".countdown-clock")?.textContent !== start, first);
    assert.match(await clock.textContent(), /^1:5\d$/);
    await shot(page, "07-rate-limit");
    await close();
  });

  test("after the countdown, trying again loads the list", async () => {
    // The fault hits once; the BUC header says 0.05 min (3 s).
    const { page, close } = await openDashboard({ scenario: `id=${runId("rate-retry")};times=1;error=613;usage=buc;eta=0.05` });
    const panel = page.locator('#list-error[data-kind="rate"]');
    await panel.waitFor();
    const retry = panel.getByRole("button", { name: "Try again" });
    assert.ok(await retry.isDisabled());
    await page.waitForFunction(() => !document.querySelector('#list-error[data-kind="rate"] button')?.disabled, null, { timeout: 6000 });
    await retry.click();
    await waitForCount(page, 25);
    assert.ok(await page.locator("#list-error").isHidden());
    await close();
  });

  test("Graph failing behind the Worker shows the network panel", async () => {
    const { page, close } = await openDashboard({ scenario: `id=${runId("html")};html=502` });
    const panel = page.locator('#list-error[data-kind="network"]');
    await panel.waitFor();
    assert.match(await panel.textContent(), /InvalidResponseError/);
    await close();
  });

  test("a phone: the list, then the thread in its place, and back", async () => {
    const { page, close } = await openDashboard({ scenario: `id=${runId("phone")}`, viewport: PHONE });
    await waitForCount(page, 25);
    await idle(page);
    assert.ok(await page.locator("#thread-pane").isHidden());
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, "no horizontal scrolling");
    await shot(page, "08-phone-list");
    await page.locator("#conversation-list button.conversation").nth(1).click();
    await page.waitForSelector("#messages .message");
    assert.ok(await page.locator(".list-pane").isHidden());
    await shot(page, "09-phone-thread");
    await page.click("#back");
    assert.ok(await page.locator(".list-pane").isVisible());
    await close();
  });
});

describe("dashboard in direct mode", () => {
  test("a typed-in token, the package's pager with onPage: every conversation", async () => {
    const id = runId("direct");
    const { page, close } = await openDashboard({ scenario: `id=${runId("direct-worker")}` });
    await waitForCount(page, 25);
    await idle(page);
    const token = "EAADirectModeTok3n0123456789";
    await page.click("#settings-button");
    await page.check('input[name="mode"][value="direct"]');
    await page.fill('input[name="baseUrl"]', `${stack.mock.url}/_/id=${id}`);
    await page.fill('input[name="pageId"]', stack.mock.pageId);
    await page.fill('input[name="token"]', token);
    await shot(page, "10-direct-settings");
    await page.click('#settings-form button[type="submit"]');
    await page.waitForFunction(() => document.getElementById("connection-label").dataset.mode === "direct");
    await waitForCount(page, 25);
    await idle(page);
    assert.equal(await page.inputValue('input[name="token"]'), "", "the token does not stay in the form");

    await page.selectOption("#limit-filter", "100");
    await page.click("#load-all");
    await page.waitForSelector('#progress[data-state="done"]', { timeout: 20_000 });
    assert.deepEqual(await listIds(page), expectedIds());
    const progress = await events(page, "progress");
    assert.deepEqual(progress.map((e) => e.pageNumber), [1, 2]);
    assert.deepEqual(progress.map((e) => e.itemCount), [100, expectedIds().length - 25]);

    const requests = graphRequests(id);
    assert.ok(requests.length >= 3);
    assert.ok(requests.every((r) => r.tokenIn === "query" && r.proof === null), "a simple CORS request, no app secret in a browser");
    assert.deepEqual(requests.slice(1).map((r) => r.query.limit), ["100", "100"]);

    // An expired token in direct mode points at the settings.
    await page.click("#settings-button");
    await page.fill('input[name="baseUrl"]', `${stack.mock.url}/_/id=${id};error=190.460`);
    await page.click('#settings-form button[type="submit"]');
    const panel = page.locator('#list-error[data-kind="auth"]');
    await panel.waitFor();
    assert.match(await panel.textContent(), /Paste a new Page access token/);
    await panel.getByRole("button", { name: "Connection settings" }).click();
    assert.ok(await page.locator("#settings").isVisible());
    await close();
  });
});
