// The dashboard: a conversation list with filters, "load more" / "load all" (with progress),
// a thread view, a cancel button, and error panels read from the typed errors. Two sources
// (sources.js): through the Worker (default) or directly from Graph; the rendering is shared.
import { liveFeed } from "./live.js";
import { directSource, workerSource } from "./sources.js";
import * as view from "./view.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

const ui = {
  layout: $("layout"),
  connection: $("connection-label"),
  liveStatus: $("live-status"),
  liveText: $("live-text"),
  filters: $("filters"),
  folder: $("folder-filter"),
  limit: $("limit-filter"),
  refresh: $("refresh"),
  progress: $("progress"),
  progressBar: $("progress-bar"),
  progressText: $("progress-text"),
  listError: $("list-error"),
  listStatus: $("list-status"),
  list: $("conversation-list"),
  loadMore: $("load-more"),
  loadAll: $("load-all"),
  cancel: $("cancel"),
  threadEmpty: $("thread-empty"),
  thread: $("thread"),
  threadTitle: $("thread-title"),
  threadMeta: $("thread-meta"),
  threadScroll: $("thread-scroll"),
  threadError: $("thread-error"),
  threadStatus: $("thread-status"),
  loadOlder: $("load-older"),
  messages: $("messages"),
  back: $("back"),
  settingsButton: $("settings-button"),
  settings: $("settings"),
  settingsForm: $("settings-form"),
  settingsError: $("settings-error"),
  settingsCancel: $("settings-cancel"),
  directFields: $("direct-fields"),
};

const state = {
  mode: "worker",
  source: workerSource({ scenario: params.get("scenario") }),
  direct: null, // { baseUrl, pageId } of direct mode (the token lives only inside the source)
  pageId: null,
  conversations: [],
  ids: new Set(),
  self: new Set(),
  nextCursor: null,
  usage: null, // the last page's rate-limit usage (Worker mode; browsers can't read Graph's headers)
  loadedOnce: false,
  list: null, // the running list operation: { kind, controller }
  thread: null, // { conversation, messages, nextCursor, controller, loading }
  timers: new Map(), // countdown timers per error panel
  // Live updates (Worker mode): the feed, its state, and the newest time the page is known to be
  // up to date with (Graph's updated_time of what it listed, and the events it was sent): after a
  // reconnect, the catch-up read asks for what changed since then.
  live: { feed: null, state: "off", lastSeen: 0, catchUp: null },
};

// Direct mode's token: only here and inside the source built from it; never stored, never in
// `state` (which window.dashboard exposes), cleared from the form once connected.
let directToken = null;

// Small hooks for tests and for the curious: what the dashboard did, never the token.
window.dashboard = { state, events: [], live: { retryNow: () => state.live.feed?.retryNow() } };
function record(type, detail = {}) {
  window.dashboard.events.push({ type, at: Date.now(), ...detail });
}

function filters() {
  const data = new FormData(ui.filters);
  return { platform: data.get("platform"), folder: data.get("folder"), limit: Number(data.get("limit")) };
}

// ---------------------------------------------------------------- the list

function resetList() {
  state.conversations = [];
  state.ids = new Set();
  state.self = new Set(state.pageId ? [state.pageId] : []);
  state.nextCursor = null;
  state.loadedOnce = false;
  ui.list.replaceChildren();
  ui.listStatus.textContent = "";
  ui.progress.hidden = true;
}

/**
 * Adds a page's conversations to the list. Only objects with a string `id` can be listed and
 * opened; their other fields may have any type (view.js reads them defensively).
 */
function appendPage(page) {
  const data = Array.isArray(page.data) ? page.data : [];
  const fresh = data.filter((c) => view.isObject(c) && typeof c.id === "string" && !state.ids.has(c.id));
  for (const conversation of fresh) {
    state.ids.add(conversation.id);
    state.conversations.push(conversation);
    seen(view.graphTime(conversation.updated_time));
  }
  const before = state.self.size;
  state.self = view.selfIds(state.conversations, state.pageId);
  if (state.self.size !== before) renderList();
  else appendItems(fresh);
  state.nextCursor = page.paging?.nextCursor ?? null;
  state.usage = page.usage ?? state.usage;
  state.loadedOnce = true;
}

function itemFor(conversation, now) {
  return view.conversationItem(conversation, {
    self: state.self,
    requestedPlatform: filters().platform,
    selected: state.thread?.conversation.id === conversation.id,
    now,
  });
}

function appendItems(conversations) {
  const now = Date.now();
  ui.list.append(...conversations.map((c) => itemFor(c, now)));
  fixTabStops();
}

function renderList() {
  const now = Date.now();
  ui.list.replaceChildren(...state.conversations.map((c) => itemFor(c, now)));
  fixTabStops();
}

/** Roving tab stop: one conversation button is in the tab order; arrows move between them. */
function fixTabStops() {
  const buttons = [...ui.list.querySelectorAll("button.conversation")];
  const current = buttons.find((b) => b.getAttribute("aria-current") === "true") ?? buttons.find((b) => b.tabIndex === 0) ?? buttons[0];
  for (const button of buttons) button.tabIndex = button === current ? 0 : -1;
}

function updateListStatus(extra) {
  const n = state.conversations.length;
  const parts = [];
  if (state.loadedOnce) {
    parts.push(n === 0 ? "No conversations in this folder" : `${n} conversation${n === 1 ? "" : "s"}`);
    parts.push(state.nextCursor ? "more available" : n > 0 ? "that's all" : null);
  }
  const app = state.usage?.app;
  if (app) parts.push(`app usage ${Math.round(app.callCount)}%`);
  if (extra) parts.push(extra);
  ui.listStatus.textContent = parts.filter(Boolean).join(" · ");
}

function setBusy(kind) {
  const busy = kind !== null;
  ui.layout.setAttribute("aria-busy", String(busy));
  ui.cancel.hidden = !busy;
  // While loading, the footer shows what runs and Cancel; otherwise both load buttons.
  ui.loadMore.hidden = busy && kind !== "more";
  ui.loadAll.hidden = busy && kind !== "all";
  ui.limit.closest("label").hidden = busy;
  ui.loadMore.disabled = busy || !state.nextCursor;
  ui.loadAll.disabled = busy || !state.nextCursor;
  ui.loadMore.textContent = kind === "more" ? "Loading…" : "Load more";
  ui.loadAll.textContent = kind === "all" ? "Loading all…" : "Load all";
  if (kind === "first") ui.listStatus.textContent = "Loading conversations…";
}

/**
 * Runs one list operation (first page, next page, all pages). A newer one supersedes it; the
 * cancel button aborts it; a failure shows the error panel with a way to try again.
 */
async function runList(kind, work) {
  state.list?.controller.abort();
  const op = { kind, controller: new AbortController() };
  state.list = op;
  hideError(ui.listError);
  setBusy(kind);
  record("list-start", { kind });
  try {
    await work(op.controller.signal);
    if (state.list !== op) return;
    updateListStatus();
    record("list-done", { kind, count: state.conversations.length });
  } catch (error) {
    if (state.list !== op) return;
    if (op.controller.signal.aborted) {
      updateListStatus("cancelled");
      record("list-cancelled", { kind });
      if (kind === "all") finishProgress("Cancelled");
    } else {
      updateListStatus();
      if (kind === "all") finishProgress("Stopped by an error");
      showError(ui.listError, error, () => runList(kind, work));
      record("list-error", { kind, code: error?.code ?? null });
    }
  } finally {
    if (state.list === op) {
      state.list = null;
      setBusy(null);
    }
  }
}

function loadFirstPage() {
  resetList();
  const f = filters();
  return runList("first", async (signal) => {
    const page = await state.source.listConversations({ ...f, signal });
    appendPage(page);
  });
}

function loadMore() {
  if (!state.nextCursor) return;
  const f = filters();
  const cursor = state.nextCursor;
  return runList("more", async (signal) => {
    appendPage(await state.source.listConversations({ ...f, cursor, signal }));
  });
}

function loadAll() {
  if (!state.nextCursor) return;
  const f = filters();
  const startCount = state.conversations.length;
  const startedAt = performance.now();
  startProgress();
  return runList("all", async (signal) => {
    let pages = 0;
    await state.source.loadAll({
      ...f,
      cursor: state.nextCursor,
      signal,
      onPage: ({ page, pageNumber, itemCount }) => {
        pages = pageNumber;
        appendPage(page);
        // Graph says nothing of how many remain: the bar shows pages and conversations so far.
        const text = `${state.conversations.length} conversations so far · page ${pageNumber}`;
        ui.progressText.textContent = `Loading all… ${text}`;
        ui.progressBar.setAttribute("aria-valuetext", text);
        ui.progress.dataset.pages = String(pageNumber);
        record("progress", { pageNumber, itemCount, total: state.conversations.length });
        updateListStatus();
      },
    });
    state.nextCursor = null;
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    const added = state.conversations.length - startCount;
    finishProgress(`All ${state.conversations.length} conversations loaded: ${added} more in ${pages} page${pages === 1 ? "" : "s"}, ${seconds} s`, true);
  });
}

function startProgress() {
  ui.progress.hidden = false;
  ui.progress.dataset.state = "running";
  ui.progress.dataset.pages = "0";
  ui.progressBar.setAttribute("aria-valuetext", "Starting");
  ui.progressText.textContent = "Loading all…";
}

function finishProgress(text, complete = false) {
  ui.progress.hidden = false;
  ui.progress.dataset.state = complete ? "done" : "stopped";
  ui.progressBar.setAttribute("aria-valuetext", text);
  ui.progressText.textContent = text;
}

// ---------------------------------------------------------------- the thread

function openThread(id) {
  const conversation = state.conversations.find((c) => c.id === id);
  if (!conversation) return;
  state.thread?.controller.abort();
  // `live`: what webhooks said about the thread's messages (edits, reactions by id; reads).
  const thread = { conversation, messages: [], nextCursor: null, controller: new AbortController(), loading: false, live: new Map(), readUpTo: 0, readMid: null };
  state.thread = thread;
  for (const button of ui.list.querySelectorAll("button.conversation")) {
    if (button.dataset.id === id) button.setAttribute("aria-current", "true");
    else button.removeAttribute("aria-current");
  }
  fixTabStops();
  const platform = view.platformOf(conversation, filters().platform);
  renderThreadHeader(conversation);
  ui.thread.dataset.platform = platform;
  ui.threadEmpty.hidden = true;
  ui.thread.hidden = false;
  ui.layout.classList.add("show-thread");
  ui.messages.replaceChildren();
  ui.loadOlder.hidden = true;
  hideError(ui.threadError);
  ui.threadTitle.focus({ preventScroll: true });
  record("thread-open", { id });
  loadMessages(thread, null);
}

function renderThreadHeader(conversation) {
  const platform = view.platformOf(conversation, filters().platform);
  ui.threadTitle.textContent = view.conversationTitle(conversation, state.self);
  const meta = [view.PLATFORM_LABELS[platform]];
  if (Number.isInteger(conversation.message_count)) meta.push(`${conversation.message_count} messages`);
  const unread = view.countOf(conversation.unread_count);
  if (unread) meta.push(`${unread} unread`);
  if (conversation.can_reply === false) meta.push("can't reply");
  ui.threadMeta.textContent = meta.join(" · ");
}

async function loadMessages(thread, cursor) {
  if (thread.loading) return;
  thread.loading = true;
  hideError(ui.threadError);
  ui.threadStatus.textContent = cursor ? "Loading older messages…" : "Loading messages…";
  ui.loadOlder.disabled = true;
  const scroll = ui.threadScroll;
  const fromBottom = scroll.scrollHeight - scroll.scrollTop;
  try {
    const page = await state.source.listMessages({
      conversationId: thread.conversation.id,
      limit: 20,
      cursor,
      signal: thread.controller.signal,
    });
    if (state.thread !== thread) return;
    // Live messages may already be in the thread: each id once.
    const known = new Set(thread.messages.map((m) => m.id));
    thread.messages.push(...(Array.isArray(page.data) ? page.data.filter((m) => view.isObject(m) && !known.has(m.id)) : []));
    thread.nextCursor = page.paging?.nextCursor ?? null;
    renderMessages(thread);
    ui.threadStatus.textContent = thread.messages.length === 0 ? "No messages can be read in this conversation." : "";
    // Keep the view where it was when older messages come in; start at the newest otherwise.
    scroll.scrollTop = cursor ? scroll.scrollHeight - fromBottom : scroll.scrollHeight;
    record("thread-loaded", { id: thread.conversation.id, count: thread.messages.length });
  } catch (error) {
    if (state.thread !== thread || thread.controller.signal.aborted) return;
    ui.threadStatus.textContent = "";
    showError(ui.threadError, error, () => loadMessages(thread, cursor));
  } finally {
    thread.loading = false;
    ui.loadOlder.disabled = false;
    ui.loadOlder.hidden = !thread.nextCursor;
  }
}

function renderMessages(thread) {
  // Graph gives newest first; a thread reads oldest first.
  const items = [];
  let lastDay = null;
  const showSender = view.otherPeople(thread.conversation, state.self).length > 1;
  // "Seen" goes under the newest of our messages the person has read (a Messenger read's
  // watermark, an Instagram read's mid).
  const seenMessage = thread.messages.find((m) => view.isObject(m.from) && state.self.has(m.from.id)
    && (m.id === thread.readMid || view.graphTime(m.created_time) <= thread.readUpTo));
  for (const message of [...thread.messages].reverse()) {
    const ms = view.graphTime(message.created_time);
    if (Number.isFinite(ms) && view.dayKey(ms) !== lastDay) {
      lastDay = view.dayKey(ms);
      items.push(view.daySeparator(ms));
    }
    items.push(view.messageItem(message, { self: state.self, showSender, live: thread.live.get(message.id), seen: message === seenMessage }));
  }
  ui.messages.replaceChildren(...items);
}

function closeThread() {
  const id = state.thread?.conversation.id;
  ui.layout.classList.remove("show-thread");
  const button = id ? ui.list.querySelector(`button.conversation[data-id="${CSS.escape(id)}"]`) : null;
  (button ?? ui.list).focus();
}

function clearThread() {
  state.thread?.controller.abort();
  state.thread = null;
  ui.thread.hidden = true;
  ui.threadEmpty.hidden = false;
  ui.layout.classList.remove("show-thread");
}

// ---------------------------------------------------------------- error panels

function hideError(panel) {
  clearInterval(state.timers.get(panel));
  state.timers.delete(panel);
  panel.hidden = true;
  panel.replaceChildren();
  delete panel.dataset.kind;
}

function showError(panel, error, retry) {
  hideError(panel);
  const info = view.describeError(error, { mode: state.mode });
  panel.dataset.kind = info.kind;
  const retryButton = view.el("button", { type: "button", class: "button", text: "Try again", onclick: () => { hideError(panel); retry(); } });
  const actions = [retryButton];
  if (state.mode === "direct" && (info.kind === "auth" || info.kind === "config" || info.kind === "network")) {
    actions.push(view.el("button", { type: "button", class: "button ghost", text: "Connection settings", onclick: openSettings }));
  }
  let countdown = null;
  if (info.kind === "rate") {
    const waitMs = typeof error.retryAfterMs === "number" ? error.retryAfterMs : null;
    const until = Date.now() + (waitMs ?? 60_000);
    const clock = view.el("strong", { class: "countdown-clock" });
    countdown = view.el("p", { class: "countdown" }, waitMs === null ? "Graph gave no estimate. Try again in about " : "Calls are allowed again in ", clock);
    retryButton.disabled = true;
    const tick = () => {
      const left = until - Date.now();
      clock.textContent = view.clock(left);
      if (left <= 0) {
        clearInterval(state.timers.get(panel));
        countdown.replaceChildren("The limit should have reset. ");
        retryButton.disabled = false;
      }
    };
    tick();
    state.timers.set(panel, setInterval(tick, 250));
  }
  panel.replaceChildren(
    view.errorIcon(info.kind),
    view.el(
      "div",
      { class: "error-body" },
      view.el("h3", { text: info.title }),
      view.el("p", { class: "error-text", text: info.text }),
      info.hint ? view.el("p", { class: "error-hint", text: info.hint }) : null,
      countdown,
      info.details.length ? view.el("p", { class: "error-details", text: info.details.join(" · ") }) : null,
      view.el("div", { class: "error-actions" }, actions),
    ),
  );
  panel.hidden = false;
}

// ---------------------------------------------------------------- live updates

/** Events that change the conversation in the list; the Worker looks their conversation up. */
const LIST_EVENTS = new Set(["message", "echo", "edit", "reaction", "postback"]);
const REACTIONS = { love: "❤️", like: "👍", haha: "😆", wow: "😮", sad: "😢", angry: "😠", smile: "😊" };

/** The page is up to date with Graph up to `ms` (an updated_time, an event's timestamp). */
function seen(ms) {
  if (Number.isFinite(ms) && ms > state.live.lastSeen) state.live.lastSeen = ms;
}

function startLive(enabled) {
  state.live.feed?.stop();
  state.live.feed = null;
  if (!enabled) {
    showLiveState({ state: "off" });
    return;
  }
  state.live.feed = liveFeed({ onItems: applyLive, onState: showLiveState, onReconnect: catchUp });
  state.live.feed.start();
}

function showLiveState({ state: liveState, retryAt }) {
  state.live.state = liveState;
  ui.liveStatus.dataset.state = liveState;
  const text = {
    connecting: "Connecting…",
    live: "Live",
    reconnecting: "Reconnecting…",
    off: "Live off",
  }[liveState];
  ui.liveText.textContent = text;
  ui.liveStatus.title = liveState === "live"
    ? "New messages appear as they arrive"
    : liveState === "reconnecting" && retryAt
      ? `The live connection dropped; trying again at ${new Date(retryAt).toLocaleTimeString()}`
      : liveState === "off"
        ? state.mode === "direct" ? "Live updates come through the Worker" : "Live updates are not set up on this Worker"
        : "";
  record("live-state", { state: liveState });
}

/** Items pushed by the Worker: `{ conversation, event }`, in the order the webhooks sent them. */
function applyLive(items) {
  let missing = false;
  for (const item of items) {
    const event = item?.event;
    if (!view.isObject(event)) continue;
    const conversation = view.isObject(item.conversation) && typeof item.conversation.id === "string" ? item.conversation : null;
    record("live-event", { kind: event.type, conversationId: conversation?.id ?? null, messageId: event.messageId ?? null, timestamp: event.timestamp });
    seen(Number(event.timestamp));
    if (event.type === "echo" && typeof event.pageId === "string") state.self.add(event.pageId);
    if (conversation) upsertConversation(conversation, event.platform, "live");
    else if (LIST_EVENTS.has(event.type)) missing = true; // the Worker could not look it up
    applyToThread(conversation, event);
  }
  // Graph could not say which conversation changed: read what changed instead.
  if (missing) catchUp();
}

/**
 * Puts a conversation that changed at the top of the list (its new snippet, unread count and
 * time), when it belongs to what the list shows: its platform, and its folder (a conversation the
 * list does not have yet is shown in the Inbox, where new conversations land).
 */
function upsertConversation(conversation, platform, how) {
  seen(view.graphTime(conversation.updated_time));
  if (state.thread?.conversation.id === conversation.id) {
    state.thread.conversation = conversation;
    renderThreadHeader(conversation);
  }
  const f = filters();
  if (!state.loadedOnce || (platform && platform !== f.platform)) return false;
  if (!state.ids.has(conversation.id) && f.folder !== "inbox") return false;
  state.conversations = [conversation, ...state.conversations.filter((c) => c.id !== conversation.id)];
  state.ids.add(conversation.id);
  state.self = view.selfIds(state.conversations, state.pageId);
  renderList();
  ui.list.querySelector(`button.conversation[data-id="${CSS.escape(conversation.id)}"]`)?.classList.add("is-live");
  updateListStatus();
  record("live-list", { id: conversation.id, how });
  return true;
}

/** Whether an event is about the open thread. */
function isOpenThread(conversation, event) {
  const thread = state.thread;
  if (!thread) return false;
  if (conversation) return conversation.id === thread.conversation.id;
  return view.itemsOf(thread.conversation.participants).some((p) => p.id === event.userId);
}

/** A new message, an edit, a reaction or a read in the open thread. */
function applyToThread(conversation, event) {
  const thread = state.thread;
  if (!isOpenThread(conversation, event)) return;
  const id = typeof event.messageId === "string" ? event.messageId : null;
  const annotate = (change) => {
    if (!id) return;
    thread.live.set(id, { ...thread.live.get(id), ...change });
  };
  switch (event.type) {
    case "message":
    case "echo":
    case "postback": {
      if (id && thread.messages.some((m) => m.id === id)) return;
      const person = view.itemsOf(thread.conversation.participants).find((p) => p.id === event.userId) ?? { id: event.userId };
      const attachments = Array.isArray(event.attachments) ? event.attachments : [];
      thread.messages.unshift({
        id: id ?? `live-${event.timestamp}`,
        created_time: new Date(Number(event.timestamp) || Date.now()).toISOString(),
        message: typeof event.text === "string" ? event.text : "",
        from: event.type === "echo" ? { id: event.pageId } : person,
        attachments: { data: attachments.map((a) => ({ name: view.textOf(a?.type) || "Attachment", mime_type: a?.type === "image" ? "image/*" : undefined, file_url: a?.url ?? undefined })) },
        sticker: event.sticker ? "sticker" : undefined,
      });
      break;
    }
    case "edit": {
      const message = thread.messages.find((m) => m.id === id);
      if (!message) return;
      if (typeof event.text === "string") message.message = event.text;
      annotate({ edited: true });
      break;
    }
    case "reaction":
      if (!thread.messages.some((m) => m.id === id)) return;
      annotate({ reaction: event.action === "unreact" ? null : (event.emoji || REACTIONS[event.reaction] || "👍") });
      break;
    case "read":
      if (Number.isFinite(event.watermark)) thread.readUpTo = Math.max(thread.readUpTo, event.watermark);
      else if (id) thread.readMid = id;
      break;
    default:
      return;
  }
  const scroll = ui.threadScroll;
  const atBottom = scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 80;
  renderMessages(thread);
  if (atBottom) scroll.scrollTop = scroll.scrollHeight;
  ui.threadStatus.textContent = "";
  record("live-thread", { id: thread.conversation.id, kind: event.type, messageId: id });
}

/**
 * After a reconnect: what changed while the socket was down, through the Worker
 * (`updatedSince` a little before the newest time the page was up to date with: Graph's times
 * are whole seconds and webhooks may come out of order). Conversations come back newest first
 * and go to the top; the open thread re-reads its newest messages when its conversation changed.
 * More than the Worker reads at once (`complete: false`): the list reloads from the first page.
 */
async function catchUp() {
  if (state.mode !== "worker" || !state.loadedOnce) return;
  if (state.live.catchUp) {
    state.live.catchUp.again = true;
    return;
  }
  const run = { again: false };
  state.live.catchUp = run;
  const f = filters();
  const since = Math.max(0, Math.floor(state.live.lastSeen) - 5000);
  record("catch-up-start", { since });
  try {
    const page = await state.source.listConversations({ platform: f.platform, folder: f.folder, limit: f.limit, updatedSince: since });
    const now = filters();
    if (now.platform !== f.platform || now.folder !== f.folder) return;
    if (page.complete === false) {
      record("catch-up-done", { count: page.data.length, reload: true });
      loadFirstPage();
      return;
    }
    const data = Array.isArray(page.data) ? page.data.filter((c) => view.isObject(c) && typeof c.id === "string") : [];
    for (const conversation of [...data].reverse()) upsertConversation(conversation, f.platform, "catch-up");
    const thread = state.thread;
    if (thread && data.some((c) => c.id === thread.conversation.id)) await refreshThread(thread);
    record("catch-up-done", { count: data.length, ids: data.map((c) => c.id) });
  } catch (error) {
    record("catch-up-error", { code: error?.code ?? null });
    updateListStatus("live updates may be missing: reload");
  } finally {
    state.live.catchUp = null;
    if (run.again) catchUp();
  }
}

/** The open thread's newest messages, merged in front of what it shows. */
async function refreshThread(thread) {
  const page = await state.source.listMessages({ conversationId: thread.conversation.id, limit: 20, signal: thread.controller.signal });
  if (state.thread !== thread) return;
  const known = new Set(thread.messages.map((m) => m.id));
  const fresh = (Array.isArray(page.data) ? page.data : []).filter((m) => view.isObject(m) && !known.has(m.id));
  if (fresh.length === 0) return;
  thread.messages.unshift(...fresh);
  thread.messages.sort((a, b) => (view.graphTime(b.created_time) || 0) - (view.graphTime(a.created_time) || 0));
  renderMessages(thread);
  ui.threadScroll.scrollTop = ui.threadScroll.scrollHeight;
}

// ---------------------------------------------------------------- connection

function connectionLabel() {
  if (state.mode === "worker") return `Page ${state.pageId ?? "…"} · through the Worker`;
  let host = state.direct.baseUrl;
  try {
    host = new URL(state.direct.baseUrl).host;
  } catch {}
  return `Page ${state.pageId} · direct to ${host}`;
}

async function start() {
  if (state.mode !== "worker") startLive(false);
  clearThread();
  resetList();
  ui.connection.textContent = connectionLabel();
  ui.connection.dataset.mode = state.mode;
  if (state.mode === "worker") {
    const op = { kind: "info", controller: new AbortController() };
    state.list = op;
    setBusy("first");
    try {
      const info = await state.source.info();
      state.pageId = info.pageId;
      ui.connection.textContent = connectionLabel();
      // The socket opens before the first page loads: nothing falls between the two.
      startLive(info.live === true);
    } catch (error) {
      if (state.list !== op) return;
      state.list = null;
      setBusy(null);
      ui.listStatus.textContent = "";
      showError(ui.listError, error, start);
      return;
    }
    if (state.list === op) state.list = null;
  }
  state.self = new Set(state.pageId ? [state.pageId] : []);
  await loadFirstPage();
}

function openSettings() {
  const form = ui.settingsForm;
  form.elements.mode.value = state.mode;
  if (state.direct) {
    form.elements.baseUrl.value = state.direct.baseUrl;
    form.elements.pageId.value = state.direct.pageId;
  }
  form.elements.token.value = "";
  form.elements.token.placeholder = state.mode === "direct" ? "Leave empty to keep the current token" : "";
  ui.settingsError.hidden = true;
  syncModeFields();
  ui.settings.showModal();
}

function syncModeFields() {
  const direct = ui.settingsForm.elements.mode.value === "direct";
  ui.directFields.hidden = !direct;
  for (const input of ui.directFields.querySelectorAll("input")) input.disabled = !direct;
}

function settingsError(text, field) {
  ui.settingsError.textContent = text;
  ui.settingsError.hidden = false;
  field?.focus();
}

function applySettings(event) {
  event.preventDefault();
  const form = ui.settingsForm.elements;
  if (form.mode.value === "worker") {
    state.mode = "worker";
    state.direct = null;
    directToken = null;
    state.pageId = null;
    state.source = workerSource({ scenario: params.get("scenario") });
  } else {
    const baseUrl = form.baseUrl.value.trim();
    const pageId = form.pageId.value.trim();
    const token = form.token.value.trim();
    if (!/^https?:\/\/[^\s]+$/.test(baseUrl)) return settingsError("The Graph base URL must be an http(s) URL.", form.baseUrl);
    if (!/^(\d+|me)$/.test(pageId)) return settingsError("The Page ID is digits (or me for Instagram Login).", form.pageId);
    if (!token && !(state.mode === "direct" && directToken)) return settingsError("Paste a Page access token.", form.token);
    if (token) directToken = token;
    state.mode = "direct";
    state.direct = { baseUrl, pageId };
    state.pageId = pageId;
    state.source = directSource({ baseUrl, pageId, accessToken: directToken });
  }
  form.token.value = "";
  ui.settings.close();
  record("connect", { mode: state.mode });
  start();
}

// ---------------------------------------------------------------- events

ui.filters.addEventListener("change", () => {
  clearThread();
  loadFirstPage();
});
ui.filters.addEventListener("submit", (event) => event.preventDefault());
ui.refresh.addEventListener("click", () => loadFirstPage());
ui.loadMore.addEventListener("click", loadMore);
ui.loadAll.addEventListener("click", loadAll);
ui.cancel.addEventListener("click", () => {
  state.list?.controller.abort();
  record("cancel");
});
ui.loadOlder.addEventListener("click", () => state.thread && loadMessages(state.thread, state.thread.nextCursor));
ui.back.addEventListener("click", closeThread);

ui.list.addEventListener("click", (event) => {
  const button = event.target.closest("button.conversation");
  if (button) openThread(button.dataset.id);
});
ui.list.addEventListener("focusin", (event) => {
  const button = event.target.closest("button.conversation");
  if (!button) return;
  for (const other of ui.list.querySelectorAll("button.conversation[tabindex='0']")) other.tabIndex = -1;
  button.tabIndex = 0;
});
ui.list.addEventListener("keydown", (event) => {
  const buttons = [...ui.list.querySelectorAll("button.conversation")];
  if (buttons.length === 0) return;
  const index = buttons.indexOf(document.activeElement);
  const go = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: buttons.length - 1 }[event.key];
  if (go === undefined) return;
  event.preventDefault();
  buttons[Math.max(0, Math.min(buttons.length - 1, go))].focus();
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && ui.thread.contains(document.activeElement)) {
    event.preventDefault();
    closeThread();
  }
});

ui.settingsButton.addEventListener("click", openSettings);
ui.settingsCancel.addEventListener("click", () => ui.settings.close());
ui.settingsForm.addEventListener("change", syncModeFields);
ui.settingsForm.addEventListener("submit", applySettings);

start();
