/**
 * Deterministic, seeded generation of the mock Page's inbox.
 *
 * The same seed and size always give the same conversations, ids, texts and times (a mulberry32
 * PRNG drives every choice; nothing reads the clock or Math.random). Conversations come newest
 * `updated_time` first; each thread's messages come newest `created_time` first, the newest one at
 * the thread's `updated_time`.
 *
 * Each thread is `{ id, platform, folder, person, updatedMs, fields, messages, readable }`:
 * `fields` holds the conversation's Graph fields (absent ones left out, as Graph does; the
 * nested `participants` and `senders` edges with their `paging` cursors, as Graph gives them),
 * `messages` every message record `{ id, createdMs, fields }`, and `readable` the ones the
 * messages edge serves (Instagram exposes only the 20 most recent).
 */

import {
  MOCK_IG_ACCOUNT_ID, MOCK_IG_USERNAME, MOCK_PAGE_ID, MOCK_PAGE_NAME,
} from "./constants.mjs";
import { encodeCursor } from "./paging.mjs";

/** Time of the newest conversation: 2026-11-20T09:28:50+0000. */
export const INBOX_ANCHOR_MS = Date.UTC(2026, 10, 20, 9, 28, 50);

/** How many of a thread's most recent messages Instagram lets an app read. */
export const INSTAGRAM_READABLE_MESSAGES = 20;

const IG_THREAD_PREFIX = "aWdfZAG06MTpJR01lc3NhZA2VUaHJlYWQ6";
export const IG_MESSAGE_PREFIX = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj";
const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const CDN = "https://scontent.xx.fbcdn.net/v/t1.15752-9";

const FIRST_NAMES = [
  "Zoë", "José", "Åsa", "Łukasz", "Chloé", "Siobhán", "Mateo", "Aiko", "Nadia", "Oğuz", "Mia",
  "Noah", "Amélie", "Björn", "Priya", "Kwame", "Léa", "Наталья", "Fatima", "李", "Ana-María",
];
const LAST_NAMES = [
  "Müller", "Álvarez", "Lindström", "Wójcik", "Dubois", "O'Brien", "García", "Tanaka", "Haddad",
  "Yılmaz", "Rossi", "Smith", "Søndergaard", "Patel", "Mensah", "Смирнова", "El Amrani", "雷",
];
const NAME_DECORATIONS = [" 🌸", " ☕", " 🐶", " ✨"];
const USERNAME_STEMS = [
  "zoe", "jose", "asa", "lukasz", "chloe", "siobhan", "mateo", "aiko", "nadia", "oguz", "mia",
  "noah", "amelie", "bjorn", "priya", "kwame", "lea", "natasha", "fatima", "li", "anamaria",
];
const USERNAME_SHAPES = [(s, n) => `${s}.${n}`, (s, n) => `${s}_${n}`, (s) => `the.real.${s}`,
  (s) => `${s}.bakes`, (s, n) => `${s}${n}_`];

const CUSTOMER_TEXTS = [
  "Hi! Are you open on Sunday? ☀️",
  "Do you deliver to Zürich?",
  "Merci beaucoup ! 🥐",
  "¿Tienen opciones sin gluten?",
  "Ich hätte gern 12 Croissants für Samstag.",
  "こんにちは！予約できますか？",
  "Спасибо, всё было очень вкусно!",
  "مرحبا، هل لديكم كعك بدون سكر؟",
  "Can I change my order? 🙏",
  "👍",
  "Order #4821 still hasn't arrived 😕",
  "What time do you close today?",
  "Is the café dog-friendly? 🐶",
  "I'd like to book a table for 4 at 7pm.",
  "Thanks!! ❤️❤️",
  "Quick question about allergens — does the pistachio cake contain peanuts?",
  "Hello, I ordered a birthday cake last week for my daughter's party and I wanted to say it was absolutely perfect, everyone loved it! 🎉🎂",
  "Address:\n12 Rue de la Paix\n75002 Paris",
  "She said \"best éclair in town\" \\o/",
  "ok",
];
const PAGE_TEXTS = [
  "Hi! Yes, we're open 8–18 on Sundays.",
  "Thanks for your message! We'll get back to you shortly.",
  "Of course 😊 See you soon!",
  "Your order is on its way 🚚",
  "We've noted that, thank you.",
  "Could you send us your order number?",
  "Bonjour ! Oui, bien sûr.",
  "Sorry about that 🙇 we'll fix it today.",
];
const CONVERSATION_NAMES = ["Wedding cake order 🎂", "Catering inquiry"];
const SUBJECTS = ["Re: Opening hours", "Invoice 2026-114"];
const REACTIONS = ["❤", "😂", "😮", "👍"];

/** mulberry32: a tiny, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Convenience draws over a PRNG. */
function randomness(seed) {
  const next = mulberry32(seed);
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  return {
    int,
    chance: (p) => next() < p,
    pick: (list) => list[int(0, list.length - 1)],
    digits: (n) => String(int(1, 9)) + Array.from({ length: n - 1 }, () => int(0, 9)).join(""),
    token: (n) => Array.from({ length: n }, () => ID_ALPHABET[int(0, 63)]).join(""),
    /** Picks a key of `weights` ({key: weight}) proportionally. */
    weighted(weights) {
      let x = next() * Object.values(weights).reduce((a, b) => a + b, 0);
      for (const [key, weight] of Object.entries(weights)) {
        x -= weight;
        if (x < 0) return key;
      }
      return Object.keys(weights).at(-1);
    },
  };
}

/** Formats epoch milliseconds the way Graph does: `2026-11-20T09:28:50+0000`. */
export function graphTime(ms) {
  return new Date(ms).toISOString().slice(0, 19) + "+0000";
}

/** Draws a value from `draw` until it is not in `seen` (ids must be unique). */
function unique(seen, draw) {
  let value;
  do value = draw(); while (seen.has(value));
  seen.add(value);
  return value;
}

/**
 * Builds the whole inbox.
 * @param {{seed?: number, conversations?: number}} options
 * @returns {{threads: object[], byId: Map<string, object>}}
 */
export function generateInbox({ seed = 1, conversations = 250 } = {}) {
  const rnd = randomness(seed);
  const seen = new Set();
  const threads = [];
  let updatedMs = INBOX_ANCHOR_MS;
  for (let n = 0; n < conversations; n += 1) {
    if (n > 0) updatedMs -= rnd.int(60, 6 * 3600) * 1000;
    const platform = rnd.chance(0.65) ? "messenger" : "instagram";
    const folder = rnd.weighted({ inbox: 75, other: 12, page_done: 9, spam: 4 });
    threads.push(makeThread(rnd, seen, { platform, folder, updatedMs }));
  }
  return { threads, byId: new Map(threads.map((t) => [t.id, t])) };
}

/** Makes the person on the other side of a thread and the Page's own participant entry. */
function makePeople(rnd, seen, platform) {
  if (platform === "messenger") {
    const id = unique(seen, () => rnd.digits(16));
    let name = `${rnd.pick(FIRST_NAMES)} ${rnd.pick(LAST_NAMES)}`;
    if (rnd.chance(0.1)) name += rnd.pick(NAME_DECORATIONS);
    return {
      person: { name, email: `${id}@facebook.com`, id },
      page: { name: MOCK_PAGE_NAME, email: `${MOCK_PAGE_ID}@facebook.com`, id: MOCK_PAGE_ID },
      displayName: name,
    };
  }
  const id = unique(seen, () => `17${rnd.digits(15)}`);
  const username = rnd.pick(USERNAME_SHAPES)(rnd.pick(USERNAME_STEMS), rnd.int(1, 999));
  return {
    person: { username, id },
    page: { username: MOCK_IG_USERNAME, id: MOCK_IG_ACCOUNT_ID },
    displayName: username,
  };
}

/** Makes one conversation with its messages. */
function makeThread(rnd, seen, { platform, folder, updatedMs }) {
  const { person, page, displayName } = makePeople(rnd, seen, platform);
  const threadNumber = unique(seen, () => rnd.digits(15));
  const id = platform === "messenger"
    ? `t_${threadNumber}`
    : IG_THREAD_PREFIX + Buffer.from(`${MOCK_IG_ACCOUNT_ID}:${threadNumber}`).toString("base64url");
  const messages = makeMessages(rnd, seen, { platform, person, page, updatedMs });
  const newest = messages[0].fields;
  const fromPerson = newest.from.id === person.id;

  let unread = 0;
  if ((folder === "inbox" || folder === "other") && rnd.chance(0.35)) {
    while (unread < messages.length && messages[unread].fields.from.id === person.id) unread += 1;
  }
  const senders = [person, page].filter((p) => messages.some((m) => m.fields.from.id === p.id));
  const fields = {
    id,
    updated_time: graphTime(updatedMs),
    link: `/${MOCK_PAGE_ID}/inbox/${threadNumber}/`,
    snippet: snippetOf(newest, fromPerson ? displayName : "You"),
    message_count: messages.length,
    unread_count: unread > 0 ? unread : undefined,
    participants: peopleEdge([person, page]),
    senders: peopleEdge(senders),
    can_reply: folder !== "spam" && !rnd.chance(0.05),
    is_subscribed: folder !== "spam",
    name: rnd.chance(0.02) ? rnd.pick(CONVERSATION_NAMES) : undefined,
    subject: rnd.chance(0.02) ? rnd.pick(SUBJECTS) : undefined,
    scoped_thread_key: platform === "messenger" ? `t_${rnd.digits(16)}` : undefined,
    folder,
  };
  const readable = platform === "instagram"
    ? messages.slice(0, INSTAGRAM_READABLE_MESSAGES)
    : messages;
  return { id, platform, folder, person, updatedMs, fields: compact(fields), messages, readable };
}

/** Graph's snippet: the newest text, or a description of what was sent. */
export function snippetOf(message, who) {
  if (message.message) return [...message.message].slice(0, 100).join("");
  if (message.sticker) return `${who} sent a sticker.`;
  if (message.attachments) return `${who} sent an attachment.`;
  return "";
}

/** Makes a thread's messages, newest first, the newest at `updatedMs`. */
function makeMessages(rnd, seen, { platform, person, page, updatedMs }) {
  const count = rnd.int(3, 30);
  const messages = [];
  let createdMs = updatedMs;
  let fromPerson = rnd.chance(0.6);
  for (let n = 0; n < count; n += 1) {
    if (n > 0) {
      createdMs -= rnd.int(20, 2 * 3600) * 1000;
      if (rnd.chance(0.55)) fromPerson = !fromPerson;
    }
    const from = fromPerson ? person : page;
    const to = fromPerson ? page : person;
    const id = platform === "messenger"
      ? `m_${unique(seen, () => rnd.token(44))}`
      : IG_MESSAGE_PREFIX + unique(seen, () => rnd.token(64));
    messages.push({
      id,
      createdMs,
      fields: compact({
        id,
        created_time: graphTime(createdMs),
        ...makeContent(rnd, { platform, fromPerson, id }),
        from,
        to: { data: [to] },
        ...(platform === "messenger" ? { tags: tagsOf(fromPerson) } : {}),
      }),
    });
  }
  return messages;
}

/** The Messenger tags Graph attaches to a message. */
function tagsOf(fromPerson) {
  return { data: fromPerson ? [{ name: "inbox" }, { name: "source:chat" }] : [{ name: "source:chat" }, { name: "sent" }] };
}

/** What a message carries: text, and rarely attachments, a sticker, a share, a reaction... */
function makeContent(rnd, { platform, fromPerson, id }) {
  const text = () => rnd.pick(fromPerson ? CUSTOMER_TEXTS : PAGE_TEXTS);
  const kind = rnd.weighted({ text: 84, attachment: 8, sticker: 3, share: 2, unsupported: 3 });
  const content = {};
  if (kind === "attachment") {
    content.message = rnd.chance(0.5) ? "" : text();
    content.attachments = { data: [makeAttachment(rnd)] };
  } else if (kind === "sticker" && platform === "messenger") {
    content.message = "";
    content.sticker = `https://scontent.xx.fbcdn.net/v/t39.1997-6/${rnd.digits(9)}_${rnd.digits(15)}_n.png`;
  } else if (kind === "share") {
    content.message = "https://example.com/menu";
    content.shares = { data: [{ link: "https://example.com/menu", name: "Our menu", id: rnd.digits(16) }] };
  } else if (kind === "unsupported" && platform === "instagram") {
    content.message = "";
    content.is_unsupported = true;
  } else {
    content.message = text();
  }
  if (platform === "instagram" && rnd.chance(0.05)) {
    content.story = { mention: { link: `${CDN}/${rnd.digits(9)}_n.jpg`, id: rnd.digits(17) } };
  }
  if (rnd.chance(0.06)) {
    content.reactions = { data: [{ reaction: rnd.pick(REACTIONS), users: [{ id: rnd.digits(16) }] }] };
  }
  if (rnd.chance(0.04)) content.reply_to = { mid: id.slice(0, 20) + rnd.token(10), is_self_reply: false };
  return content;
}

/** An image or, now and then, a PDF. */
function makeAttachment(rnd) {
  const id = rnd.digits(16);
  if (rnd.chance(0.2)) {
    return {
      id, mime_type: "application/pdf", name: `order-${rnd.int(1000, 9999)}.pdf`, size: rnd.int(20000, 900000),
      file_url: `https://cdn.fbsbx.com/v/t59.2708-21/${id}_n.pdf/order.pdf`,
    };
  }
  const [width, height] = rnd.pick([[720, 960], [1080, 1080], [1280, 720]]);
  const url = `${CDN}/${id}_n.jpg?stp=dst-jpg&_nc_cat=${rnd.int(100, 111)}&_nc_sid=fc17b8`;
  return {
    id, mime_type: "image/jpeg", name: `image-${id}.jpg`, size: rnd.int(40000, 400000),
    image_data: {
      width, height, max_width: width, max_height: height, url, preview_url: `${url}&_nc_p=1`,
      image_type: 1, render_as_sticker: false,
    },
  };
}

/**
 * A nested people edge (`participants`, `senders`) as Graph returns it at the default nested
 * limit (25, more than any thread has): `{data, paging: {cursors: {before, after}}}`, no links.
 * graph.mjs serves the same edge with `next`/`previous` links under a smaller `.limit(n)`.
 */
export function peopleEdge(people) {
  if (people.length === 0) return { data: [] };
  return {
    data: people,
    paging: { cursors: { before: encodeCursor(people, 0), after: encodeCursor(people, people.length - 1) } },
  };
}

/** Drops keys whose value is undefined (Graph leaves out fields that have no data). */
function compact(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}
