// ConversationsGate: the fleet gate, a Durable Object (one per Page) that is the only place
// deciding when that Page's requests reach Graph, for every isolate and Worker bound to it. It
// performs the Graph fetches itself: requests go out exactly spaced, identical reads are sent once,
// and a rate limit seen by anyone holds everyone back. The decisions are the Rust core's
// (src/gate.rs, through GateCore); this class only keeps callers, timers and storage.
//
// Storage holds the backoff deadline and its strike count (times and counts only): never a token,
// a secret or a proof, which live only in memory while a request is in flight.
import { DurableObject } from "cloudflare:workers";

import { GateCore, gateFetch } from "./gen/page_conversations.js";

/** The storage key of the backoff: `{ untilMs, strikes }`. */
const BACKOFF = "backoff";
/** Bounds of what a caller may send (the object's RPC is reachable by any bound Worker). */
const MAX_URL = 16 * 1024;
const MAX_AUTHORIZATION = 4200;
const MAX_KEY = 18 * 1024;

export class ConversationsGate extends DurableObject {
  /** The decisions for this Page. */
  #core = new GateCore(2);
  /** The rate last asked for. */
  #rate = 2;
  /** Read id -> what to send: `{ url, authorization, timeoutMs }`. */
  #reads = new Map();
  /** Caller id -> the function answering that caller. */
  #callers = new Map();
  /** A caller's ticket (its own name for itself) -> its caller id. */
  #tickets = new Map();
  /** Tickets that left before their `send` arrived (RPC calls may overtake each other), with
   * when; a `send` with one of them is answered "left" at once. Kept a minute, 1,000 at most. */
  #leftEarly = new Map();
  /** The timer of the next look, and when it fires. */
  #timer = null;
  #timerAt = null;
  /** The backoff last written to storage, as JSON (to write only changes). */
  #stored = "null";

  constructor(ctx, env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const saved = await ctx.storage.get(BACKOFF);
      if (saved && Number.isFinite(saved.untilMs) && Number.isInteger(saved.strikes)) {
        this.#stored = JSON.stringify(saved);
        this.#settle(this.#core.restoreBackoff(saved.untilMs, saved.strikes, Date.now()), null);
      }
    });
  }

  /**
   * RPC: sends one GET to Graph for a caller, when the Page's turn comes (or joins an identical
   * read). Resolves to `{ kind: "answer", status, headers, body }`, `{ kind: "failed", reason,
   * timeout }`, `{ kind: "refused", retryAfterMs }`, `{ kind: "left" }` or `{ kind: "overloaded" }`.
   * @param {{ url: string, authorization: string | null, key: string, requestsPerSecond: number,
   *   timeoutMs: number, ticket: string }} request
   */
  async send(request) {
    const { url, authorization, key, requestsPerSecond, timeoutMs, ticket } = request ?? {};
    if (!isText(url, MAX_URL) || !/^https?:\/\//.test(url) || !(authorization === null || isText(authorization, MAX_AUTHORIZATION))
      || !isText(key, MAX_KEY) || !isText(ticket, 64) || !(timeoutMs >= 1 && timeoutMs <= 2 ** 31 - 1)
      || !(requestsPerSecond === 0 || (requestsPerSecond >= 0.01 && requestsPerSecond <= 1000))) {
      return { kind: "failed", reason: "the fleet gate was sent a malformed request", timeout: false };
    }
    const now = Date.now();
    if (this.#leftEarly.delete(ticket)) return { kind: "left" };
    if (requestsPerSecond !== this.#rate) {
      this.#rate = requestsPerSecond;
      this.#settle(this.#core.setRate(requestsPerSecond, now), null);
    }
    const arrival = this.#core.ask(key, now);
    if (arrival.kind === "refused") return { kind: "refused", retryAfterMs: arrival.retryAfterMs };
    if (arrival.kind === "overloaded") return { kind: "overloaded" };
    if (arrival.kind === "queued") this.#reads.set(arrival.read, { url, authorization, timeoutMs });
    const answer = new Promise((resolve) => {
      this.#callers.set(arrival.caller, (outcome) => {
        this.#callers.delete(arrival.caller);
        this.#tickets.delete(ticket);
        resolve(outcome);
      });
    });
    this.#tickets.set(ticket, arrival.caller);
    this.#pump();
    return answer;
  }

  /** RPC: the caller of `ticket` went away: its turn is given back (and its read dropped when
   * nobody else waits for it). */
  async leave(ticket) {
    const caller = this.#tickets.get(ticket);
    if (caller === undefined) {
      if (isText(ticket, 64)) this.#rememberLeftEarly(ticket);
      return;
    }
    const dropped = this.#core.leave(caller);
    if (dropped !== undefined) this.#reads.delete(dropped);
    this.#callers.get(caller)?.({ kind: "left" });
    this.#pump();
  }

  /** Remembers a ticket that left before its `send` came (bounded in number and time). */
  #rememberLeftEarly(ticket) {
    const now = Date.now();
    for (const [known, at] of this.#leftEarly) {
      if (at > now - 60_000 && this.#leftEarly.size < 1000) break;
      this.#leftEarly.delete(known);
    }
    this.#leftEarly.set(ticket, now);
  }

  /** Sends what is due now, and sets the timer for the next look. */
  #pump() {
    const now = Date.now();
    for (const read of this.#core.takeDue(now)) this.#fetch(read);
    const wakeAt = this.#core.wakeAt(now);
    if (wakeAt === undefined || wakeAt === this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timerAt = wakeAt;
    this.#timer = setTimeout(() => {
      this.#timerAt = null;
      this.#pump();
    }, Math.max(0, Math.ceil(wakeAt - Date.now())));
  }

  /** Fetches one read, then answers its callers and keeps the backoff. */
  async #fetch(read) {
    const request = this.#reads.get(read);
    this.#reads.delete(read);
    let result;
    if (request === undefined) {
      result = { kind: "failed", reason: "the fleet gate lost this request", timeout: false, outcome: "failed", retryAfterMs: null };
    } else {
      result = await gateFetch(request.url, request.authorization ?? undefined, request.timeoutMs);
    }
    const outcome = result.kind === "answer" ? result.outcome : "failed";
    const settled = this.#core.finished(read, outcome, result.retryAfterMs ?? undefined, Date.now());
    const answer = result.kind === "answer"
      ? { kind: "answer", status: result.status, headers: result.headers, body: result.body }
      : { kind: "failed", reason: result.reason, timeout: result.timeout };
    this.#settle(settled, answer);
    await this.#keepBackoff();
    this.#pump();
  }

  /** Answers the callers `settled` names: `answer` to those answered, a refusal to the others. */
  #settle(settled, answer) {
    if (answer !== null) for (const caller of settled.answered) this.#callers.get(caller)?.(answer);
    for (const [caller, retryAfterMs] of settled.refused) this.#callers.get(caller)?.({ kind: "refused", retryAfterMs });
    for (const read of settled.dropped) this.#reads.delete(read);
  }

  /** Writes the backoff to storage when it changed (so that eviction does not forget it). */
  async #keepBackoff() {
    const backoff = this.#core.backoff();
    const json = JSON.stringify(backoff);
    if (json === this.#stored) return;
    this.#stored = json;
    if (backoff === null) await this.ctx.storage.delete(BACKOFF);
    else await this.ctx.storage.put(BACKOFF, { untilMs: backoff.untilMs, strikes: backoff.strikes });
  }
}

/** Whether `value` is a non-empty string of at most `max` characters. */
function isText(value, max) {
  return typeof value === "string" && value.length > 0 && value.length <= max;
}
