// The per-page measurement shared by the Node, Chromium and workerd benchmarks (runtime-neutral
// ESM): the package's `listConversations` against the physical limit, a raw `fetch` +
// `res.json()` of the very same HTTP request, interleaved (rotating which goes first) after a
// warm-up. A third way, `rawLikePackage`, calls `fetch` as the package must (gloo-net hands
// `fetch` a `Request` object; a per-attempt timeout and cancellation need an AbortSignal and a
// timer; the body is read as text, to search it for the token before parsing): what a page costs
// with those requirements and nothing else of the package.

/** 100 conversations per page, each with its participants, senders and 5 nested messages. */
export const FIELDS = "id,updated_time,link,snippet,message_count,unread_count,participants,senders,messages.limit(5){id,created_time,message,from,to}";
export const LIMIT = 100;

/**
 * The URL and `fetch` init of the measured page, with the token where `tokenIn` says (the
 * package's request sends the same).
 */
function pageRequest(graph, tokenIn) {
  const query = new URLSearchParams({ fields: FIELDS, limit: String(LIMIT) });
  if (tokenIn === "query") query.set("access_token", graph.token);
  const url = `${graph.url}/v25.0/${graph.pageId}/conversations?${query}`;
  const init = tokenIn === "header" ? { headers: { Authorization: `Bearer ${graph.token}` } } : undefined;
  return { url, init };
}

/**
 * The two ways of getting the same page. `tokenIn` is where the package puts the token in this
 * runtime by default ("header" in Node and Workers, "query" in a browser window); the raw request
 * does the same, so both send identical requests.
 */
export function pageRequests(graph, { tokenIn, listConversations }) {
  const { url, init } = pageRequest(graph, tokenIn);
  const options = { baseUrl: graph.url, pageId: graph.pageId, accessToken: graph.token, fields: FIELDS, limit: LIMIT };
  return {
    async raw() {
      const response = await fetch(url, init);
      const body = await response.json();
      if (body.data.length !== LIMIT) throw new Error("raw: short page");
    },
    async rawLikePackage() {
      const body = await fetchAsThePackageMust(url, init);
      if (body.data.length !== LIMIT) throw new Error("raw like the package: short page");
    },
    async pkg() {
      const page = await listConversations(options);
      if (page.data.length !== LIMIT) throw new Error("package: short page");
    },
  };
}

/**
 * `fetch` called as the package must (a `Request` object, an `AbortSignal` and a 30 s timer),
 * the body read as text and parsed.
 */
export async function fetchAsThePackageMust(url, init) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  try {
    const response = await fetch(new Request(url, { ...init, signal: controller.signal }));
    return JSON.parse(await response.text());
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `warmup` rounds, then `pairs` timed rounds of every way named in `names` (by default `raw`,
 * `rawLikePackage`, `pkg`), rotating which goes first; each sample is the mean of `batch`
 * consecutive calls (a batch makes a coarse clock usable). Returns the samples in milliseconds,
 * by way.
 */
export async function interleave(ways, { pairs, warmup, batch = 1, now = () => performance.now(), names = ["raw", "rawLikePackage", "pkg"] }) {
  const timed = async (run) => {
    const start = now();
    for (let i = 0; i < batch; i++) await run();
    return (now() - start) / batch;
  };
  for (let i = 0; i < warmup; i++) for (const name of names) await ways[name]();
  const times = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < pairs; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      times[name].push(await timed(ways[name]));
    }
  }
  return times;
}

/**
 * What the proof and cleaning that API.md requires cost on this page, apart from everything else:
 * the package's own `cleanLinks` (pkg/json.js: it counts the token in the text and removes it from
 * the nested `paging` links) run on freshly parsed copies of the page's text (fetched once, as the
 * package's request gets it), `batch` pages a sample. `settle` is awaited before a sample starts
 * and ends (workerd's clock only moves on across I/O: a timer there); its own time is measured
 * alone (`none`), alternating, to be subtracted. Returns `{ clean: [ms…], none: [ms…] }`, per page.
 */
export async function cleaningCost(graph, { tokenIn, cleanLinks, rounds = 40, batch = 5, settle = async () => {}, now = () => performance.now() }) {
  const { url, init } = pageRequest(graph, tokenIn);
  const text = await (await fetch(url, init)).text();
  const forms = [graph.token];
  // (Only for links cleanLinks cannot cut directly; this page has none: each holds the token once.)
  const strip = /[?&](?:access_token|appsecret_proof)=[^&]*/g;
  const times = { clean: [], none: [] };
  for (let i = 0; i < rounds + 5; i++) {
    const bodies = Array.from({ length: batch }, () => JSON.parse(text));
    for (const name of i % 2 ? ["clean", "none"] : ["none", "clean"]) {
      await settle();
      const start = now();
      if (name === "clean") {
        for (const body of bodies) if (!cleanLinks(body, text, forms, strip)) throw new Error("cleaning: the page's links were not cleaned");
      }
      await settle();
      if (i >= 5) times[name].push((now() - start) / batch);
    }
  }
  return times;
}

/**
 * The fixed cost of a call: a one-conversation page (`id,updated_time`) fetched as the package
 * must (`rawLikePackage`), by the package, and by the cold-start floor's one export (`floor`,
 * `floorList(url, token)`: a gloo-net GET with the token in a header, text, `JSON.parse`, the
 * least any binding through gloo-net does), interleaved as `interleave` does. The floor reads the
 * body into a Rust `String`, which only a tiny page makes negligible. Returns ms per call, by way.
 */
export function fixedCost(graph, { listConversations, floorList, pairs = 150, warmup = 40, batch = 1, now }) {
  const { url, init, options } = onePageRequest(graph);
  const ways = {
    rawLikePackage: () => fetchAsThePackageMust(url, init),
    pkg: () => listConversations(options),
    floor: () => floorList(url, graph.token),
  };
  return interleave(ways, { pairs, warmup, batch, now, names: ["rawLikePackage", "pkg", "floor"] });
}

/**
 * A page of one conversation (`id,updated_time`), the token in a header: its URL and `fetch`
 * init, and the package's options for the same request (the cold starts and the fixed cost).
 */
export function onePageRequest(graph) {
  const url = `${graph.url}/v25.0/${graph.pageId}/conversations?${new URLSearchParams({ fields: "id,updated_time", limit: "1" })}`;
  const init = { headers: { Authorization: `Bearer ${graph.token}` } };
  const options = { baseUrl: graph.url, pageId: graph.pageId, accessToken: graph.token, fields: "id,updated_time", limit: 1, tokenIn: "header" };
  return { url, init, options };
}
