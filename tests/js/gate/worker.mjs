// A Worker using page-conversations through the fleet gate, run by gate.test.mjs as several
// isolates (several Worker scripts in one workerd) bound to one ConversationsGate class; the first
// of them also hosts the class. Bindings: MOCK_URL (the mock Graph), TOKEN, CONVERSATIONS_GATE.
//   /list?pageId=&spec=&limit=&fields=&abortMs=&rps=&nogate=1
//                                                       one page of conversations through the gate
//                                                       (nogate: paced in this isolate only)
//   /messages?pageId=&conversationId=&spec=&limit=      one page of a thread's messages
//   /degraded?mode=unreachable|overloaded&spec=&n=      n calls through a gate that cannot be used;
//                                                       the warnings this isolate printed
// Every route answers { ok, ids } or { ok: false, name, message, retryAfterMs, status }.
import { ConversationsGate, listConversations, listMessages } from "page-conversations";

export { ConversationsGate };

/** What this isolate printed with console.warn (the package warns once per isolate). */
const warnings = [];
const warn = console.warn.bind(console);
console.warn = (...args) => {
  warnings.push(args.map(String).join(" "));
  warn(...args);
};

const json = (value) => new Response(JSON.stringify(value), { headers: { "content-type": "application/json" } });

/** A call's outcome as plain data. */
async function outcome(call) {
  try {
    const page = await call();
    return { ok: true, ids: page.data.map((item) => item.id) };
  } catch (error) {
    return { ok: false, name: error?.name ?? String(error), message: error?.message, retryAfterMs: error?.retryAfterMs ?? null, status: error?.status ?? null };
  }
}

/** Namespaces that look right but cannot be used. */
const broken = {
  unreachable: { idFromName: () => ({}), get: () => ({ send: async () => { throw new Error("Durable Object is unreachable"); }, leave: async () => {} }) },
  overloaded: { idFromName: () => ({}), get: () => ({ send: async () => ({ kind: "overloaded" }), leave: async () => {} }) },
};

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const query = url.searchParams;
    const spec = query.get("spec") ?? "";
    const base = {
      accessToken: env.TOKEN,
      baseUrl: spec ? `${env.MOCK_URL}/_/${spec}` : env.MOCK_URL,
      gate: env.CONVERSATIONS_GATE,
      limit: Number(query.get("limit") ?? 2),
      maxRetries: 0,
    };
    if (query.has("fields")) base.fields = query.get("fields");
    if (query.has("rps")) base.requestsPerSecond = Number(query.get("rps"));
    if (query.has("abortMs")) base.signal = AbortSignal.timeout(Number(query.get("abortMs")));
    if (query.has("nogate")) delete base.gate;
    if (url.pathname === "/list") {
      return json(await outcome(() => listConversations({ ...base, pageId: query.get("pageId") })));
    }
    if (url.pathname === "/messages") {
      const options = { ...base, conversationId: query.get("conversationId") };
      if (query.has("pageId")) options.pageId = query.get("pageId");
      return json(await outcome(() => listMessages(options)));
    }
    if (url.pathname === "/degraded") {
      const results = [];
      for (let i = 0; i < Number(query.get("n") ?? 3); i++) {
        results.push(await outcome(() => listConversations({ ...base, pageId: query.get("pageId"), gate: broken[query.get("mode")] })));
      }
      return json({ results, warnings });
    }
    return new Response("not found", { status: 404 });
  },
};
