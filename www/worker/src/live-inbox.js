// LiveInbox: one Durable Object per Page, holding the open dashboards' WebSockets (hibernatable:
// an idle object with sockets open is evicted from memory and costs no duration) and the keys of
// the webhook events already pushed (duplicates from Meta's retries are pushed once).
//
// Reached only through its binding (LIVE_INBOX), never by a URL of the Worker:
//   fetch(WebSocket upgrade)   a dashboard connects (the Worker forwards /api/live here)
//   claim(keys)                which of these event keys are new; remembers them
//   publish(items)             sends { type: "events", items } to every open dashboard
//   disconnectAll(code)        closes every socket (deploys, tests of reconnects)
//   stats()                    { sockets, remembered }
//
// The sockets answer "ping" with "pong" without waking the object (setWebSocketAutoResponse).
import { DurableObject } from "cloudflare:workers";

/** Keys kept: at most this many, and none older than a day (Meta retries within hours). */
export const MAX_KEYS = 5000;
export const KEY_TTL_MS = 24 * 3600 * 1000;
/** Dashboards per Page: a bound on fan-out (and on what one bad client can open). */
export const MAX_SOCKETS = 500;

export class LiveInbox extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec("CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, at INTEGER NOT NULL)");
    this.sql.exec("CREATE INDEX IF NOT EXISTS seen_at ON seen (at)");
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  async fetch(request) {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426, headers: { Upgrade: "websocket" } });
    }
    if (this.ctx.getWebSockets().length >= MAX_SOCKETS) {
      return new Response("Too many open dashboards", { status: 503, headers: { "Retry-After": "30" } });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.send(JSON.stringify({ type: "hello", at: Date.now() }));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Dashboards send only "ping" (answered without waking the object); anything else is ignored. */
  webSocketMessage(ws, message) {
    if (message === "ping") ws.send("pong");
  }

  webSocketClose(ws, code, reason) {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {}
  }

  webSocketError(ws) {
    try {
      ws.close(1011, "error");
    } catch {}
  }

  /**
   * The keys of `keys` not seen before (in order, each once), now remembered. Storage holds only
   * these keys (event kind, ids, timestamps: no text, no token) and is pruned to MAX_KEYS / a day.
   * @param {string[]} keys
   */
  claim(keys) {
    const now = Date.now();
    const fresh = [];
    for (const key of new Set(keys.map(String))) {
      const inserted = this.sql.exec("INSERT OR IGNORE INTO seen (key, at) VALUES (?, ?)", key, now).rowsWritten;
      if (inserted > 0) fresh.push(key);
    }
    if (fresh.length > 0) {
      this.sql.exec("DELETE FROM seen WHERE at < ?", now - KEY_TTL_MS);
      this.sql.exec("DELETE FROM seen WHERE key IN (SELECT key FROM seen ORDER BY at DESC, rowid DESC LIMIT -1 OFFSET ?)", MAX_KEYS);
    }
    return fresh;
  }

  /** Sends `items` ({ conversation, event }) to every open dashboard; returns how many got them. */
  publish(items) {
    const text = JSON.stringify({ type: "events", items });
    let sent = 0;
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(text);
        sent += 1;
      } catch {}
    }
    return sent;
  }

  disconnectAll(code = 1012, reason = "closed by the server") {
    let closed = 0;
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.close(code, reason);
        closed += 1;
      } catch {}
    }
    return closed;
  }

  stats() {
    const remembered = this.sql.exec("SELECT COUNT(*) AS n FROM seen").one().n;
    return { sockets: this.ctx.getWebSockets().length, remembered };
  }
}
