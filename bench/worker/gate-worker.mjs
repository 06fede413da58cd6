// The fleet gate benchmark's Worker (bench/gate.mjs runs four of it, one hosting the class).
// `env.GRAPH` is the bench Graph (`{ url, pageId, token }`, JSON). Routes, answering JSON:
//   /page?mode=direct|gated&limit=N   one page of 25 conversations, without the gate or through
//                                     it (unpaced: requestsPerSecond 0, so that only the gate's own
//                                     cost is measured); `limit` varies the read (no coalescing)
//   /none                             no request at all (the cost of a request to the Worker)
import { ConversationsGate, listConversations } from "page-conversations";

export { ConversationsGate };

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/none") return Response.json({ ok: true });
    const graph = JSON.parse(env.GRAPH);
    const options = {
      pageId: graph.pageId, accessToken: graph.token, baseUrl: graph.url,
      limit: Number(url.searchParams.get("limit") ?? 25), requestsPerSecond: 0,
    };
    if (url.searchParams.get("mode") === "gated") options.gate = env.CONVERSATIONS_GATE;
    const page = await listConversations(options);
    return Response.json({ ok: true, count: page.data.length });
  },
};
