// The caller's side of the fleet gate: asks the Page's ConversationsGate (a Durable Object, see
// gate.js) to send one request to Graph, for the wasm transport (src/js/gate.rs). Plain ESM,
// no imports: it runs wherever the package runs, but only Workers have a `gate` to give it.

/** Whether this isolate has already said that the gate could not be used (one warning each). */
let warned = false;

/** `leave` calls under way: a call that rejects waits for them (see `leavesSent`). */
const leaving = new Set();

/**
 * Resolves once every `leave` under way has reached its object. A Worker's pending I/O may be
 * cancelled once it has answered its request, so a call rejected by its caller's `signal` waits
 * for its `leave` first: the turn is then surely given back.
 */
export async function leavesSent() {
  if (leaving.size > 0) await Promise.allSettled([...leaving]);
}

/**
 * Asks the object named `name` of `namespace` to send `request` ({ url, authorization, key,
 * requestsPerSecond, timeoutMs }) when the Page's turn comes, or to join an identical read.
 * `signal` aborting (the caller went away) gives the turn back. Never rejects. Resolves to:
 * - a `Response`: Graph's answer, fetched by the object;
 * - `{ tooLarge: status }`: Graph's answer was over the body limit (the object read no more);
 * - `{ refused: ms }`: Graph's rate limit for the Page lasts longer than a call waits;
 * - `{ failed: reason, timeout }`: the object's fetch failed;
 * - `{ failed: "left" }`: the caller went away first;
 * - `null`: the gate cannot be used (unreachable, overloaded): the caller paces in its isolate.
 */
export async function askGate(namespace, name, request, signal) {
  let stub;
  try {
    stub = namespace.get(namespace.idFromName(name));
  } catch (error) {
    return unavailable(error);
  }
  const ticket = crypto.randomUUID();
  const leave = () => {
    const sent = Promise.resolve()
      .then(() => stub.leave(ticket))
      .catch(() => {})
      .finally(() => leaving.delete(sent));
    leaving.add(sent);
  };
  signal.addEventListener("abort", leave, { once: true });
  try {
    const outcome = await stub.send({ ...request, ticket });
    switch (outcome?.kind) {
      case "answer":
        if (outcome.body === null) return { tooLarge: outcome.status };
        return new Response(outcome.body, { status: outcome.status, headers: outcome.headers });
      case "refused":
        return { refused: outcome.retryAfterMs };
      case "failed":
        return { failed: String(outcome.reason), timeout: outcome.timeout === true };
      case "left":
        return { failed: "left" };
      default:
        return unavailable(new Error("the gate is overloaded"));
    }
  } catch (error) {
    return signal.aborted ? { failed: "left" } : unavailable(error);
  } finally {
    signal.removeEventListener("abort", leave);
  }
}

/** The gate cannot be used: one warning per isolate (never with the request), then `null`. */
function unavailable(error) {
  if (!warned) {
    warned = true;
    const why = error instanceof Error ? `${error.name}: ${error.message}` : "unknown error";
    console.warn(`page-conversations: the fleet gate (ConversationsGate) cannot be used (${why}); pacing in this isolate instead`);
  }
  return null;
}
