// Rendering, shared by both modes. Everything that came from Graph goes into the page through
// textContent or attributes, never as HTML.

/** `el("li", { class: "x", "data-id": id }, child, "text")` */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Graph's objects come as Graph sent them: a field can hold another type than documented (a
// number or an object for a text, a string for a count, participants that are no list). These
// read a field as what the dashboard needs, or as nothing, so one odd object never breaks a list.

/** Whether `value` is a plain JSON object (not null, not an array). */
export function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A field shown as text: a string as it is, a finite number in digits, anything else "". */
export function textOf(value) {
  if (typeof value === "string") return value;
  return typeof value === "number" && Number.isFinite(value) ? String(value) : "";
}

/** A count such as `unread_count`: a whole number above zero (digits in a string too), else 0. */
export function countOf(value) {
  const n = typeof value === "number" || typeof value === "string" ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** The objects of a Graph list field (`{ data: [...] }`); anything else is an empty list. */
export function itemsOf(list) {
  return isObject(list) && Array.isArray(list.data) ? list.data.filter(isObject) : [];
}

/** Graph's `2026-11-20T09:28:50+0000` (no colon in the offset) as epoch milliseconds. */
export function graphTime(text) {
  if (typeof text !== "string") return NaN;
  return Date.parse(text.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto", style: "short" });
const dateFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const dateThisYear = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long" });

/** "now", "12 min. ago", "3 hr. ago", "yesterday", "5 days ago", then a date. */
export function relativeTime(ms, now = Date.now()) {
  if (!Number.isFinite(ms)) return "";
  const seconds = Math.round((ms - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return relative.format(0, "second");
  if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 22 * 3600) return relative.format(Math.round(seconds / 3600), "hour");
  if (abs < 7 * 86400) return relative.format(Math.round(seconds / 86400), "day");
  if (abs < 28 * 86400) return relative.format(Math.round(seconds / (7 * 86400)), "week");
  return (new Date(ms).getFullYear() === new Date(now).getFullYear() ? dateThisYear : dateFormat).format(ms);
}

export function fullTime(ms) {
  return Number.isFinite(ms) ? fullFormat.format(ms) : "";
}

/** A person's label: the name (Messenger) or @username (Instagram). */
export function personLabel(person) {
  if (!isObject(person)) return "Unknown";
  const name = textOf(person.name);
  const username = textOf(person.username);
  const id = textOf(person.id);
  if (name) return name;
  if (username) return `@${username}`;
  return id ? `#${id}` : "Unknown";
}

/** Messenger people have names (and emails), Instagram people usernames. */
export function platformOf(conversation, requested) {
  const people = itemsOf(conversation.participants);
  if (people.some((p) => p.username)) return "instagram";
  if (people.some((p) => p.name || p.email)) return "messenger";
  return requested || "messenger";
}

export const PLATFORM_LABELS = { messenger: "Messenger", instagram: "Instagram" };

/**
 * The ids of "us" (the Page, and its Instagram account): the Page id, and any participant who
 * is in every loaded conversation of at least two (the Page's own Instagram account, whose id
 * the dashboard is not told).
 */
export function selfIds(conversations, pageId) {
  const ids = new Set(pageId ? [pageId] : []);
  const byPlatform = new Map();
  for (const conversation of conversations) {
    const platform = platformOf(conversation);
    const entry = byPlatform.get(platform) ?? { total: 0, counts: new Map() };
    entry.total += 1;
    for (const person of itemsOf(conversation.participants)) {
      entry.counts.set(person.id, (entry.counts.get(person.id) ?? 0) + 1);
    }
    byPlatform.set(platform, entry);
  }
  for (const { total, counts } of byPlatform.values()) {
    if (total < 2) continue;
    for (const [id, count] of counts) if (count === total) ids.add(id);
  }
  return ids;
}

/** The people of a conversation other than us. */
export function otherPeople(conversation, self) {
  const people = itemsOf(conversation.participants);
  const others = people.filter((p) => !self.has(p.id));
  return others.length > 0 ? others : people;
}

export function conversationTitle(conversation, self) {
  return textOf(conversation.name) || otherPeople(conversation, self).map(personLabel).join(", ") || textOf(conversation.id);
}

function initials(label) {
  // Words that start with a letter: "Léa Смирнова" → "LС", "@the.real.lea" → "TR", "@zoe.358" → "Z".
  const words = label.replace(/^@/, "").split(/[\s._-]+/).filter((w) => /^\p{L}/u.test(w));
  const letters = words.slice(0, 2).map((w) => Array.from(w)[0]);
  return (letters.join("") || Array.from(label.replace(/^@/, ""))[0] || "?").toUpperCase();
}

function hue(text) {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.codePointAt(0)) % 360;
  return h;
}

export function avatar(label, platform, key) {
  const node = el("span", { class: `avatar ${platform}`, "aria-hidden": "true" }, initials(label));
  // CSSOM, not a style attribute: the page's CSP allows no inline styles.
  node.style.setProperty("--hue", String(hue(key ?? label)));
  return node;
}

/** One row of the conversation list: a button that opens the thread. */
export function conversationItem(conversation, { self, requestedPlatform, selected, now }) {
  const platform = platformOf(conversation, requestedPlatform);
  const title = conversationTitle(conversation, self);
  const updated = graphTime(conversation.updated_time);
  const unread = countOf(conversation.unread_count);
  const snippet = textOf(conversation.snippet).replace(/\s+/g, " ").trim();
  const button = el(
    "button",
    {
      type: "button",
      class: `conversation${unread ? " is-unread" : ""}`,
      "data-id": conversation.id,
      "aria-current": selected ? "true" : null,
      "aria-label": `${title}, ${PLATFORM_LABELS[platform]}, ${unread ? `${unread} unread, ` : ""}updated ${relativeTime(updated, now)}: ${snippet}`,
    },
    avatar(title, platform, textOf(otherPeople(conversation, self)[0]?.id) || conversation.id),
    el(
      "span",
      { class: "conversation-body" },
      el(
        "span",
        { class: "conversation-top" },
        el("span", { class: "conversation-name", text: title }),
        el("time", { class: "conversation-time", datetime: Number.isFinite(updated) ? new Date(updated).toISOString() : null, title: fullTime(updated), text: relativeTime(updated, now) }),
      ),
      el(
        "span",
        { class: "conversation-bottom" },
        el("span", { class: `platform-tag ${platform}`, text: PLATFORM_LABELS[platform] }),
        el("span", { class: "conversation-snippet", text: snippet || "No text" }),
        unread ? el("span", { class: "unread-badge", title: `${unread} unread`, text: unread > 99 ? "99+" : String(unread) }) : null,
      ),
    ),
  );
  return el("li", {}, button);
}

function formatSize(bytes) {
  if (!Number.isFinite(bytes)) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function safeHttpsUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function attachmentChip(attachment) {
  const isImage = isObject(attachment.image_data) || /^image\//.test(textOf(attachment.mime_type));
  const label = textOf(attachment.name) || (isImage ? "Photo" : "Attachment");
  const size = formatSize(countOf(attachment.size) || NaN);
  const href = safeHttpsUrl(textOf(attachment.file_url) || textOf(attachment.image_data?.url) || textOf(attachment.video_data?.url));
  const content = [icon(isImage ? "image" : "file", "chip-icon"), el("span", { class: "chip-name", text: label }), size ? el("span", { class: "chip-size", text: size }) : null];
  return href
    ? el("a", { class: "chip", href, target: "_blank", rel: "noopener noreferrer" }, content)
    : el("span", { class: "chip" }, content);
}

/**
 * One message bubble. `showSender`: name the sender (threads with several people). `live`: what
 * webhooks said of it since it was read (`{ edited, reaction }`); `seen`: the person has read up
 * to here.
 */
export function messageItem(message, { self, showSender = false, live = null, seen = false }) {
  const mine = isObject(message.from) && self.has(message.from.id);
  const created = graphTime(message.created_time);
  const text = textOf(message.message);
  const parts = [];
  if (text) parts.push(el("p", { class: "message-text", text }));
  for (const attachment of itemsOf(message.attachments)) parts.push(attachmentChip(attachment));
  if (message.sticker) parts.push(el("span", { class: "chip" }, icon("sticker", "chip-icon"), el("span", { class: "chip-name", text: "Sticker" })));
  if (message.is_unsupported === true) parts.push(el("p", { class: "message-note", text: "This message type can't be shown through the API." }));
  if (parts.length === 0) parts.push(el("p", { class: "message-note", text: "Empty message" }));
  return el(
    "li",
    { class: `message ${mine ? "mine" : "theirs"}`, "data-id": textOf(message.id) || null },
    el(
      "div",
      { class: "bubble" },
      mine || !showSender ? null : el("span", { class: "message-from", text: personLabel(message.from) }),
      parts,
      el("time", { class: "message-time", datetime: Number.isFinite(created) ? new Date(created).toISOString() : null, title: fullTime(created), text: Number.isFinite(created) ? timeFormat.format(created) : "" }),
      live?.edited ? el("span", { class: "message-edited", text: "edited" }) : null,
      live?.reaction ? el("span", { class: "message-reaction", title: "Reaction", text: textOf(live.reaction) }) : null,
    ),
    seen ? el("span", { class: "message-seen", text: "Seen" }) : null,
  );
}

/** A day separator for the thread view. */
export function daySeparator(ms) {
  return el("li", { class: "day", role: "separator" }, el("span", { text: dayFormat.format(ms) }));
}

export function dayKey(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** m:ss (or h:mm:ss) for a countdown. */
export function clock(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/**
 * What an error panel says, read from the typed error (`code`, fields), in both modes.
 * @returns {{ kind: string, title: string, text: string, hint: string | null, details: string[] }}
 */
export function describeError(error, { mode }) {
  const code = error?.code;
  const details = [];
  if (error?.graphCode != null) details.push(`Graph code ${error.graphCode}${error.graphSubcode != null ? `, subcode ${error.graphSubcode}` : ""}`);
  if (error?.fbtraceId) details.push(`trace ${error.fbtraceId}`);
  if (error?.name) details.push(error.name);
  const graphText = error?.userMessage || error?.message || String(error);
  switch (code) {
    case "ERR_GRAPH_AUTH":
      return {
        kind: "auth",
        title: error.userTitle || "The access token is no longer valid",
        text: graphText,
        hint: mode === "worker"
          ? "Graph refused the Worker's Page token (expired, revoked, or the password changed). Give the Worker a new one: wrangler secret put PAGE_ACCESS_TOKEN."
          : "Graph refused the token you typed in. Paste a new Page access token in Connection settings.",
        details,
      };
    case "ERR_GRAPH_PERMISSION":
      return {
        kind: "permission",
        title: "A permission is missing",
        text: graphText,
        hint: "Messenger needs a Page token of someone who can message for the Page; Instagram needs instagram_basic, instagram_manage_messages and pages_manage_metadata.",
        details,
      };
    case "ERR_GRAPH_POLICY_BLOCK":
      return { kind: "permission", title: error.userTitle || "Blocked by Meta's policies", text: graphText, hint: "Don't retry automatically; see the Page's quality and policy status.", details };
    case "ERR_GRAPH_RATE_LIMIT":
      return { kind: "rate", title: "Graph's rate limit was reached", text: graphText, hint: "Meta asks to stop calling until the limit resets.", details };
    case "ERR_NETWORK":
      return {
        kind: "network",
        title: mode === "worker" ? "Could not reach the Worker or Graph" : "Could not reach Graph",
        text: error.message,
        hint: mode === "worker" ? "Check your connection; if it persists, the Worker may be down." : "Check the Graph base URL and your connection (a CORS refusal looks the same).",
        details,
      };
    case "ERR_TIMEOUT":
      return { kind: "network", title: "Graph took too long to answer", text: error.message, hint: "Try again in a moment.", details };
    case "ERR_INVALID_RESPONSE":
      return { kind: "network", title: "Graph's answer could not be read", text: error.message, hint: "A proxy or an outage may be in the way. Try again in a moment.", details };
    case "ERR_WORKER_CONFIG":
      return { kind: "config", title: "The Worker is misconfigured", text: error.message, hint: "Set the PAGE_ID and PAGE_ACCESS_TOKEN secrets (and APP_SECRET).", details };
    case "ERR_INVALID_OPTIONS":
      return { kind: "config", title: "A setting was refused", text: error.message, hint: mode === "direct" ? "Check the Page ID and token in Connection settings." : null, details };
    default:
      return { kind: "other", title: "Something went wrong", text: graphText, hint: null, details };
  }
}

const ICONS = {
  auth: "M7 14a5 5 0 1 1 4.9-6H22v4h-2v3h-4v-3h-4.1A5 5 0 0 1 7 14Zm0-3a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z",
  permission: "M12 2a5 5 0 0 0-5 5v3H5v12h14V10h-2V7a5 5 0 0 0-5-5Zm-3 8V7a3 3 0 0 1 6 0v3H9Zm3 4a2 2 0 0 1 1 3.7V20h-2v-2.3A2 2 0 0 1 12 14Z",
  rate: "M6 2h12v2h-1v3.6L13.4 12l3.6 4.4V20h1v2H6v-2h1v-3.6l3.6-4.4L7 7.6V4H6V2Zm3 2v2.9l3 3.7 3-3.7V4H9Z",
  network: "M13 2 4 14h7l-1 8 9-12h-7l1-8Z",
  config: "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8Zm9 5.5v-3l-2.6-.6-.7-1.7 1.4-2.3-2.1-2.1-2.3 1.4-1.7-.7L12.5 2h-3l-.6 2.5-1.7.7-2.3-1.4-2.1 2.1 1.4 2.3-.7 1.7L1 10.5v3l2.5.6.7 1.7-1.4 2.3 2.1 2.1 2.3-1.4 1.7.7.6 2.5h3l.6-2.5 1.7-.7 2.3 1.4 2.1-2.1-1.4-2.3.7-1.7 2.5-.6Z",
  other: "M11 7h2v7h-2V7Zm0 9h2v2h-2v-2Zm1-14a10 10 0 1 0 0 20 10 10 0 0 0 0-20Z",
  image: "M4 4h16a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1Zm1 2v10.6l4-4 3 3 4-5 3 3.7V6H5Zm3.5 1.5a2 2 0 1 1 0 4 2 2 0 0 1 0-4Z",
  file: "M6 2h8l6 6v13a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1Zm7 1.5V9h5.5L13 3.5ZM8 13h8v2H8v-2Zm0 4h8v2H8v-2Z",
  sticker: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm-3.5 7a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3Zm7 0a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3ZM7 14h10a5 5 0 0 1-10 0Z",
};

/** A static SVG icon (no icon font or emoji font needed). */
export function icon(name, className) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", className);
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICONS[name] ?? ICONS.other);
  svg.append(path);
  return svg;
}

/** The icon of an error panel. */
export function errorIcon(kind) {
  return icon(kind, "error-icon");
}
