// Live updates: which webhook events reach the open dashboards, how a duplicate delivery is
// recognized, and how the Worker gets from an event to its conversation. Pure functions and plain
// calls of page-conversations: importable in Node (the unit tests), used by app.js (the Worker)
// and live-inbox.js (the Durable Object).

/**
 * Event kinds the dashboard shows. A new message, an echo of the Page's own message, a postback
 * (a person's tap, shown in the thread) and an edit change the conversation's snippet and time;
 * a reaction may too. Those are looked up (`LOOKED_UP`). A read changes no field of the
 * conversation the list shows (Messenger's read is the person reading the Page's messages): it is
 * pushed without a Graph call. Deliveries, referrals and unknown kinds are not pushed.
 */
export const PUSHED = new Set(["message", "echo", "edit", "reaction", "postback", "read"]);
export const LOOKED_UP = new Set(["message", "echo", "edit", "reaction", "postback"]);

/**
 * What tells two deliveries of one event apart from two events: Meta retries a delivery with the
 * same items, so kind + platform + account + person + message id + timestamp (and, for reactions
 * and reads, what they say) name an event. Bounded: ids are cut at 200 characters.
 * @param {import("page-conversations").WebhookEvent} event
 */
export function eventKey(event) {
  const raw = event.raw && typeof event.raw === "object" ? event.raw : {};
  const extra = event.type === "reaction"
    ? `${raw.reaction?.action ?? ""}/${raw.reaction?.reaction ?? raw.reaction?.emoji ?? ""}`
    : event.type === "read"
      ? String(raw.read?.watermark ?? raw.read?.mid ?? "")
      : event.type === "edit"
        ? String(raw.message_edit?.num_edit ?? "")
        : "";
  return [event.type, event.platform, event.pageId, event.userId, event.messageId ?? "", event.timestamp, extra]
    .map((part) => String(part).slice(0, 200))
    .join("|");
}

/**
 * The events of a verified payload that this Worker's dashboards show: pushed kinds, of this
 * Worker's Page (Messenger: `entry.id` is PAGE_ID) or of its Instagram account (INSTAGRAM_ACCOUNT_ID;
 * without it, Instagram events are not shown: an app subscribed for several accounts would
 * otherwise push another account's messages here).
 */
export function eventsForThisPage(events, env) {
  return events.filter((event) => PUSHED.has(event.type) && (
    event.platform === "messenger"
      ? event.pageId === env.PAGE_ID
      : Boolean(env.INSTAGRAM_ACCOUNT_ID) && event.pageId === env.INSTAGRAM_ACCOUNT_ID
  ));
}

/** The part of an event the dashboard needs (never `raw` as a whole: only what it shows). */
export function eventForDashboard(event) {
  const raw = event.raw && typeof event.raw === "object" ? event.raw : {};
  const out = {
    type: event.type,
    platform: event.platform,
    pageId: event.pageId,
    userId: event.userId,
    timestamp: event.timestamp,
    standby: event.standby,
    messageId: event.messageId,
    text: event.text,
  };
  if (event.type === "message" || event.type === "echo") {
    const attachments = Array.isArray(raw.message?.attachments) ? raw.message.attachments : [];
    out.attachments = attachments.slice(0, 20).map((a) => ({
      type: typeof a?.type === "string" ? a.type : "file",
      url: typeof a?.payload?.url === "string" ? a.payload.url : null,
    }));
    out.sticker = raw.message?.sticker_id != null;
  } else if (event.type === "postback") {
    out.text = event.text ?? (typeof raw.postback?.title === "string" ? raw.postback.title : null);
  } else if (event.type === "reaction") {
    out.action = raw.reaction?.action === "unreact" ? "unreact" : "react";
    out.emoji = typeof raw.reaction?.emoji === "string" ? raw.reaction.emoji : null;
    out.reaction = typeof raw.reaction?.reaction === "string" ? raw.reaction.reaction : null;
  } else if (event.type === "read") {
    out.watermark = Number.isFinite(raw.read?.watermark) ? raw.read.watermark : null;
  } else if (event.type === "edit") {
    out.numEdit = Number.isInteger(raw.message_edit?.num_edit) ? raw.message_edit.num_edit : null;
  }
  return out;
}

/** One lookup per person of a delivery: events of the same person share their conversation. */
export function lookupKey(event) {
  return `${event.platform}|${event.pageId}|${event.userId}`;
}
