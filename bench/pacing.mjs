// `make bench`, pacing: 20 pages through `paginateConversations` at the default
// `requestsPerSecond` (2 per Page), three pagers at once for three different Pages (the mock
// Graph's Page, its Instagram account and `me`: pacing is per Page, so they do not wait for
// each other), timed by when the requests reached the Graph (the bench Graph logs arrivals).
// Then the requests of a "since" sync (30 conversations changed). Prints one JSON line.
import { benchLog } from "./lib/graph-server.mjs";
import { importPackage } from "./lib/package.mjs";

const { paginateConversations } = await importPackage();

const graph = JSON.parse(process.argv[2]);
const PAGES = 20;
const ROUNDS = Number(process.env.BENCH_PACING_ROUNDS ?? 2);

const base = { baseUrl: graph.url, accessToken: graph.token, fields: "id,updated_time" };
const nodes = [graph.pageId, graph.igAccountId, "me"];
const runs = [];
for (let round = 0; round < ROUNDS; round++) {
  await benchLog(graph.url, { clear: true });
  await Promise.all(nodes.map(async (pageId) => {
    let pages = 0;
    for await (const page of paginateConversations({ ...base, pageId, limit: 5, maxPages: PAGES }).pages()) pages += page.data.length > 0 ? 1 : 0;
    if (pages !== PAGES) throw new Error(`pacing: ${pages} pages`);
  }));
  const { log } = await benchLog(graph.url, { clear: true });
  for (const node of nodes) {
    const times = log.filter((entry) => entry.path === `/v25.0/${node}/conversations`).map((entry) => entry.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // The most requests that reached Graph within any window of one second.
    const perSecond = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    runs.push({
      node, requests: times.length, seconds: (times.at(-1) - times[0]) / 1000,
      rate: (times.length - 1) / ((times.at(-1) - times[0]) / 1000),
      smallestGap: Math.min(...gaps), largestGap: Math.max(...gaps), maxInOneSecond: perSecond,
    });
  }
}

// "Since" sync: the 30 newest conversations changed since the last sync; updatedSince is just
// after the 31st, so paging stops within the first page (limit 25: the second).
const first = await (await fetch(`${graph.url}/v25.0/${graph.pageId}/conversations?fields=updated_time&limit=31`, {
  headers: { Authorization: `Bearer ${graph.token}` },
})).json();
const since = new Date(Date.parse(first.data[30].updated_time.replace(/\+0000$/, "Z")) + 1000).toISOString();
const sinceSync = [];
for (const limit of [25, 100]) {
  await benchLog(graph.url, { clear: true });
  const changed = await paginateConversations({ ...base, pageId: graph.pageId, limit, updatedSince: since, requestsPerSecond: 0 })
    .toArray({ limit: 100_000 });
  const { log } = await benchLog(graph.url, { clear: true });
  sinceSync.push({ limit, changed: changed.length, requests: log.length });
}
process.stdout.write(`${JSON.stringify({ pages: PAGES, runs, sinceSync })}\n`);
