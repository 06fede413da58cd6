// The dashboard's live feed: a WebSocket to the Worker's /api/live (same origin), which pushes
// `{ type: "events", items: [{ conversation, event }] }` as the Page's webhooks arrive. After the
// socket drops it reconnects with backoff (1 s doubling to 30 s, ±20 % jitter) and then calls
// `onReconnect()` so that the page reads what it missed (the catch-up read). A "ping" every
// 25 s (answered "pong" by the Worker without waking its Durable Object) finds dead connections:
// no pong within 10 s closes the socket, which then reconnects.
//
//   const feed = liveFeed({ onItems, onState, onReconnect });
//   feed.start(); feed.stop();
//   onState({ state: "connecting" | "live" | "reconnecting" | "off", retryAt?: ms, attempt?: n })

const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/** The delay before reconnect attempt `attempt` (0-based): 1, 2, 4 … 30 s, ±20 %. */
export function backoffMs(attempt, random = Math.random) {
  const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function liveFeed({ onItems, onState, onReconnect, url = liveUrl() }) {
  let socket = null;
  let running = false;
  let connectedBefore = false;
  let attempt = 0;
  let retryTimer = null;
  let pingTimer = null;
  let pongTimer = null;

  function setState(state, extra = {}) {
    onState({ state, attempt, ...extra });
  }

  function clearTimers() {
    clearTimeout(retryTimer);
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
    retryTimer = pingTimer = pongTimer = null;
  }

  function connect() {
    retryTimer = null;
    setState(connectedBefore ? "reconnecting" : "connecting");
    let ws;
    try {
      ws = new WebSocket(url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.addEventListener("open", () => {
      if (socket !== ws) return;
      const reconnected = connectedBefore;
      connectedBefore = true;
      attempt = 0;
      setState("live");
      pingTimer = setInterval(() => {
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.send("ping");
        clearTimeout(pongTimer);
        pongTimer = setTimeout(() => ws.close(4000, "no pong"), PONG_WITHIN_MS);
      }, PING_EVERY_MS);
      if (reconnected) onReconnect();
    });
    ws.addEventListener("message", (message) => {
      if (socket !== ws || typeof message.data !== "string") return;
      if (message.data === "pong") {
        clearTimeout(pongTimer);
        return;
      }
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      if (data?.type === "events" && Array.isArray(data.items)) onItems(data.items);
    });
    ws.addEventListener("close", () => {
      if (socket !== ws) return;
      socket = null;
      clearTimers();
      if (running) scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    const delay = backoffMs(attempt);
    attempt += 1;
    setState("reconnecting", { retryAt: Date.now() + delay });
    retryTimer = setTimeout(connect, delay);
  }

  return {
    start() {
      if (running) return;
      running = true;
      connect();
    },
    stop() {
      running = false;
      clearTimers();
      const ws = socket;
      socket = null;
      ws?.close(1000, "bye");
      connectedBefore = false;
      attempt = 0;
      setState("off");
    },
    /** Reconnect now instead of waiting out the backoff (the indicator's "retry now"). */
    retryNow() {
      if (!running || socket) return;
      clearTimeout(retryTimer);
      connect();
    },
    get socket() {
      return socket;
    },
  };
}

function liveUrl() {
  const url = new URL("/api/live", location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}
