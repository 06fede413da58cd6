// TEMPORARY (until branch h-hooks lands the package's handleWebhook): the contract of API.md
// "Webhooks" in plain JS, so that the Worker and its tests run meanwhile. Removed at the merge.
const encoder = new TextEncoder();
const MAX_BODY = 1024 * 1024;

function text(status, body) {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

async function hmacHex(secret, bytes) {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return [...new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function equal(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function eventsOf(payload) {
  if (!payload || (payload.object !== "page" && payload.object !== "instagram") || !Array.isArray(payload.entry)) throw new Error("not a webhook payload");
  const platform = payload.object === "page" ? "messenger" : "instagram";
  const events = [];
  for (const entry of payload.entry) {
    for (const [list, standby] of [[entry.messaging, false], [entry.standby, true]]) {
      for (const raw of Array.isArray(list) ? list : []) {
        const echo = raw.message?.is_echo === true;
        const type = raw.message ? (echo ? "echo" : "message") : raw.message_edit ? "edit" : raw.read ? "read" : raw.delivery ? "delivery"
          : raw.reaction ? "reaction" : raw.postback ? "postback" : raw.referral ? "referral" : "other";
        events.push({
          platform, pageId: String(entry.id), userId: String(echo ? raw.recipient?.id : raw.sender?.id), type,
          timestamp: Number(raw.timestamp), standby,
          messageId: raw.message?.mid ?? raw.message_edit?.mid ?? raw.reaction?.mid ?? raw.postback?.mid ?? raw.read?.mid ?? null,
          text: raw.message?.text ?? raw.message_edit?.text ?? null, raw,
        });
      }
    }
  }
  return events;
}

export async function fallbackHandleWebhook(request, { appSecret, verifyToken }) {
  const url = new URL(request.url);
  if (request.method === "GET") {
    const ok = url.searchParams.get("hub.mode") === "subscribe" && equal(url.searchParams.get("hub.verify_token") ?? "", verifyToken);
    return { response: ok ? text(200, url.searchParams.get("hub.challenge") ?? "") : text(403, "Forbidden"), events: [] };
  }
  if (request.method !== "POST") return { response: new Response("Method not allowed", { status: 405, headers: { Allow: "GET, POST" } }), events: [] };
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.length > MAX_BODY) return { response: text(413, "Payload too large"), events: [] };
  const signature = request.headers.get("X-Hub-Signature-256") ?? "";
  if (!signature.startsWith("sha256=") || !equal(signature.slice(7), await hmacHex(appSecret, bytes))) return { response: text(401, "Bad signature"), events: [] };
  try {
    return { response: text(200, "EVENT_RECEIVED"), events: eventsOf(JSON.parse(new TextDecoder().decode(bytes))) };
  } catch {
    return { response: text(400, "Bad payload"), events: [] };
  }
}
