/**
 * `odd=1`: listings whose items carry fields of unexpected types, for clients (the dashboard)
 * that must show such an item without losing the rest of the page. Every other item of a page
 * (the 1st, 3rd, …) keeps its `id` and gets the next variant's odd values; the others are untouched.
 */

/** Odd values for a conversation (`/…/conversations`). */
const ODD_CONVERSATIONS = [
  { snippet: 42, updated_time: 1795166930, unread_count: "3", participants: "nobody", messages: "none", message_count: "many", name: 7 },
  { snippet: { text: "hi" }, updated_time: "last Tuesday", unread_count: { n: 1 }, participants: { data: "x" }, messages: { data: 5 }, can_reply: "yes" },
  { snippet: null, updated_time: null, unread_count: null, participants: { data: [null, 5, "x", { name: 7, id: 9 }, { username: ["a"] }] }, messages: null, name: null },
  { snippet: ["a", "b"], updated_time: {}, unread_count: -4, participants: null, messages: { data: [null, { message: {}, from: "x" }] }, message_count: null },
];

/** Odd values for a message (`/…/messages`). */
const ODD_MESSAGES = [
  { message: 42, from: "someone", created_time: 1795166930, attachments: "x" },
  { message: { text: "hi" }, from: null, created_time: "yesterday", attachments: { data: "y" }, sticker: 5 },
  { message: null, from: { id: 5, name: { first: "A" } }, created_time: null, attachments: { data: [null, 3, { name: 9, size: "big", file_url: {} }] } },
  { message: ["a"], from: [], created_time: {}, is_unsupported: "maybe", attachments: null },
];

/**
 * The listing `body` of `path` with odd values in every other item; other bodies (errors, other
 * paths) unchanged.
 * @param {unknown} body
 * @param {string} path
 */
export function withOddTypes(body, path) {
  const variants = path.endsWith("/conversations") ? ODD_CONVERSATIONS : path.endsWith("/messages") ? ODD_MESSAGES : null;
  if (!variants || !Array.isArray(body?.data)) return body;
  const data = body.data.map((item, i) => (i % 2 === 0 ? { ...item, ...variants[(i / 2) % variants.length], id: item.id } : item));
  return { ...body, data };
}
