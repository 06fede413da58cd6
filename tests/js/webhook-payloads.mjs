// Webhook deliveries as Meta sends them, for webhook*.test.mjs: the raw JSON text (written by
// hand, so key order and `\u00e4` escapes are what Graph's look like), signed over its bytes.
import { createHmac } from "node:crypto";

export const APP_SECRET = "wh-app-s3cret-DoNotLeak-4f1e";
export const VERIFY_TOKEN = "wh-verify-t0ken-DoNotLeak-9a2c";
export const PAGE_ID = "1000000000000001";
export const IG_ID = "17841400000000001";

/** `sha256=<hex>` of `body` (string as UTF-8, or bytes) with `secret`, as Meta signs. */
export function sign(body, secret = APP_SECRET) {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * A Messenger delivery with every kind (message, echo, edit, read, delivery, reaction, postback,
 * referral, an unknown kind) in two entries, a standby item, and text with `\u00e4` escapes;
 * `expected` are the events it gives, without `raw`.
 */
export const MESSENGER = `{"object":"page","entry":[{"id":"${PAGE_ID}","time":1700000000999,"messaging":[
{"sender":{"id":"24680"},"recipient":{"id":"${PAGE_ID}"},"timestamp":1700000000001,"message":{"mid":"m_1","text":"H\\u00e4llo \\ud83d\\ude00 \\"q\\"","quick_reply":{"payload":"A"}}},
{"timestamp":1700000000002,"sender":{"id":"${PAGE_ID}"},"recipient":{"id":"24680"},"message":{"is_echo":true,"app_id":12345,"mid":"m_2","text":"R\\u00e9ponse"}},
{"sender":{"id":"24680"},"recipient":{"id":"${PAGE_ID}"},"timestamp":1700000000003,"message_edit":{"mid":"m_1","text":"H\\u00e4llo!","num_edit":1}},
{"sender":{"id":"24680"},"recipient":{"id":"${PAGE_ID}"},"timestamp":1700000000004,"read":{"watermark":1700000000002}},
{"sender":{"id":"24680"},"recipient":{"id":"${PAGE_ID}"},"timestamp":1700000000005,"delivery":{"mids":["m_2"],"watermark":1700000000002}},
{"sender":{"id":"24680"},"recipient":{"id":"${PAGE_ID}"},"timestamp":1700000000006,"reaction":{"mid":"m_2","action":"react","reaction":"love","emoji":"\\u2764"}},
{"sender":{"id":"24680"},"recipient":{"id":"${PAGE_ID}"},"timestamp":1700000000007,"postback":{"mid":"m_3","title":"Start","payload":"GET_STARTED"}},
{"sender":{"id":"24680"},"recipient":{"id":"${PAGE_ID}"},"timestamp":1700000000008,"referral":{"ref":"ad","source":"ADS","type":"OPEN_THREAD"}},
{"sender":{"id":"24680"},"recipient":{"id":"${PAGE_ID}"},"timestamp":1700000000009,"optin":{"type":"notification_messages","payload":"x"}}
]},{"id":"${PAGE_ID}","time":1700000001000,"standby":[
{"sender":{"id":"13579"},"recipient":{"id":"${PAGE_ID}"},"message":{"mid":"m_4","attachments":[{"type":"image","payload":{"url":"https://x.test/a.png"}}]}}
]}]}`;

const m = (userId, type, timestamp, messageId, text, standby = false) =>
  ({ platform: "messenger", pageId: PAGE_ID, userId, type, timestamp, standby, messageId, text });
export const MESSENGER_EVENTS = [
  m("24680", "message", 1700000000001, "m_1", "Hällo 😀 \"q\""),
  m("24680", "echo", 1700000000002, "m_2", "Réponse"),
  m("24680", "edit", 1700000000003, "m_1", "Hällo!"),
  m("24680", "read", 1700000000004, null, null),
  m("24680", "delivery", 1700000000005, null, null),
  m("24680", "reaction", 1700000000006, "m_2", null),
  m("24680", "postback", 1700000000007, "m_3", null),
  m("24680", "referral", 1700000000008, null, null),
  m("24680", "other", 1700000000009, null, null),
  m("13579", "message", 1700000001000, "m_4", null, true),
];

/** An Instagram delivery: a message, an echo, a read with its mid, a reaction, unsend. */
export const INSTAGRAM = `{"object":"instagram","entry":[{"time":1700000002000,"id":"${IG_ID}","messaging":[
{"sender":{"id":"99001"},"recipient":{"id":"${IG_ID}"},"timestamp":1700000002001,"message":{"mid":"ig_1","text":"Gr\\u00fc\\u00dfe"}},
{"sender":{"id":"${IG_ID}"},"recipient":{"id":"99001"},"timestamp":1700000002002,"message":{"mid":"ig_2","text":"Danke","is_echo":true}},
{"sender":{"id":"99001"},"recipient":{"id":"${IG_ID}"},"timestamp":1700000002003,"read":{"mid":"ig_2"}},
{"sender":{"id":"99001"},"recipient":{"id":"${IG_ID}"},"timestamp":1700000002004,"reaction":{"mid":"ig_2","action":"unreact"}},
{"sender":{"id":"99001"},"recipient":{"id":"${IG_ID}"},"timestamp":1700000002005,"message":{"mid":"ig_1","is_deleted":true}}
]}]}`;

const i = (userId, type, timestamp, messageId, text) =>
  ({ platform: "instagram", pageId: IG_ID, userId, type, timestamp, standby: false, messageId, text });
export const INSTAGRAM_EVENTS = [
  i("99001", "message", 1700000002001, "ig_1", "Grüße"),
  i("99001", "echo", 1700000002002, "ig_2", "Danke"),
  i("99001", "read", 1700000002003, "ig_2", null),
  i("99001", "reaction", 1700000002004, "ig_2", null),
  i("99001", "message", 1700000002005, "ig_1", null),
];

/** Each event's item as a JavaScript JSON.parse of `body` gives it (what `raw` must be). */
export function rawItems(body) {
  const payload = JSON.parse(body);
  return payload.entry.flatMap((entry) => [...(entry.messaging ?? []), ...(entry.standby ?? [])]);
}

/** Headers of a signed POST of `body`. */
export const signedHeaders = (body, secret = APP_SECRET) => ({ "x-hub-signature-256": sign(body, secret), "content-type": "application/json" });

/** Bad signature headers for `body`, by what is wrong with them (each must give 401). */
export function badSignatures(body) {
  const good = sign(body);
  const hex = good.slice("sha256=".length);
  return {
    "absent": null,
    "empty": "",
    "hex without prefix": hex,
    "sha1= prefix": `sha1=${hex}`,
    "SHA256= prefix": `SHA256=${hex}`,
    "upper-case hex": `sha256=${hex.toUpperCase()}`,
    "space after =": `sha256= ${hex}`,
    "trailing space dropped by Headers, so: tab inside": `sha256=${hex.slice(0, 10)}\t${hex.slice(10)}`,
    "one digit short": good.slice(0, -1),
    "one digit more": `${good}0`,
    "one digit changed": `${good.slice(0, -1)}${good.endsWith("0") ? "1" : "0"}`,
    "not hex": `sha256=${"g".repeat(64)}`,
    "wrong secret": sign(body, `${APP_SECRET}x`),
    "signed with an empty secret": sign(body, ""),
    "the body re-encoded as JSON": sign(JSON.stringify(JSON.parse(body))),
    "the body with a byte more": sign(`${body} `),
    "two signatures": `${good}, ${good}`,
    "very long": `sha256=${hex}${"0".repeat(8000)}`,
  };
}
