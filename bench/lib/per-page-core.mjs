// The per-page measurement shared by the Node, Chromium and workerd benchmarks (runtime-neutral
// ESM): the package's `listConversations` against the physical limit, a raw `fetch` +
// `res.json()` of the very same HTTP request, interleaved pair by pair (alternating which goes
// first) after a warm-up.

/** 100 conversations per page, each with its participants, senders and 5 nested messages. */
export const FIELDS = "id,updated_time,link,snippet,message_count,unread_count,participants,senders,messages.limit(5){id,created_time,message,from,to}";
export const LIMIT = 100;

/**
 * The two ways of getting the same page. `tokenIn` is where the package puts the token in this
 * runtime by default ("header" in Node and Workers, "query" in a browser window); the raw request
 * does the same, so both send identical requests.
 */
export function pageRequests(graph, { tokenIn, listConversations }) {
  const query = new URLSearchParams({ fields: FIELDS, limit: String(LIMIT) });
  if (tokenIn === "query") query.set("access_token", graph.token);
  const url = `${graph.url}/v25.0/${graph.pageId}/conversations?${query}`;
  const init = tokenIn === "header" ? { headers: { Authorization: `Bearer ${graph.token}` } } : undefined;
  const options = { baseUrl: graph.url, pageId: graph.pageId, accessToken: graph.token, fields: FIELDS, limit: LIMIT };
  return {
    async raw() {
      const response = await fetch(url, init);
      const body = await response.json();
      if (body.data.length !== LIMIT) throw new Error("raw: short page");
    },
    async pkg() {
      const page = await listConversations(options);
      if (page.data.length !== LIMIT) throw new Error("package: short page");
    },
  };
}

/**
 * Runs `warmup` pairs, then `pairs` timed pairs; each sample is the mean of `batch` consecutive
 * calls (a batch makes a coarse clock usable). Returns the samples in milliseconds.
 */
export async function interleave({ raw, pkg }, { pairs, warmup, batch = 1, now = () => performance.now() }) {
  const timed = async (run) => {
    const start = now();
    for (let i = 0; i < batch; i++) await run();
    return (now() - start) / batch;
  };
  for (let i = 0; i < warmup; i++) {
    await raw();
    await pkg();
  }
  const rawTimes = [];
  const pkgTimes = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      rawTimes.push(await timed(raw));
      pkgTimes.push(await timed(pkg));
    } else {
      pkgTimes.push(await timed(pkg));
      rawTimes.push(await timed(raw));
    }
  }
  return { raw: rawTimes, pkg: pkgTimes };
}
