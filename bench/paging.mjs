// `make bench`, paging figures: the pacing the default `requestsPerSecond` gives over 20 pages,
// and how many requests a "since" sync of a 10,000-conversation inbox makes when 30 changed.
import { paginateConversations } from "page-conversations";
import { startMockGraph } from "../tests/graph-mock/server.mjs";

const mock = await startMockGraph({ conversations: 14_000 });
const base = { pageId: mock.pageId, accessToken: mock.token };
let run = 0;
const baseUrl = (label) => `${mock.url}/_/id=bench-${label}-${++run}`;
const requests = (label) => mock.log(`bench-${label}-${run}`).filter((entry) => entry.method === "GET");

// Pacing: 20 pages at the default rate (2 per second per Page).
{
  const pager = paginateConversations({ ...base, baseUrl: baseUrl("pacing"), limit: 5, maxPages: 20 });
  let pages = 0;
  for await (const page of pager.pages()) pages += page.data.length > 0 ? 1 : 0;
  const times = requests("pacing").map((entry) => entry.at);
  const seconds = (times.at(-1) - times[0]) / 1000;
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  console.log(`pacing: ${pages} pages, ${times.length} requests in ${seconds.toFixed(3)} s between first and last: ` +
    `${((times.length - 1) / seconds).toFixed(3)} requests/s (smallest gap ${Math.min(...gaps)} ms, largest ${Math.max(...gaps)} ms)`);
}

// "Since" sync: the inbox view (Messenger, inbox folder) has about 10,000 conversations; the
// 30 newest changed since the last sync, so updatedSince is just after the 31st.
{
  const inbox = mock.inbox.threads.filter((t) => t.platform === "messenger" && t.folder === "inbox");
  const since = new Date(inbox[30].updatedMs + 1).toISOString();
  for (const limit of [25, 100]) {
    const pager = paginateConversations({ ...base, baseUrl: baseUrl("since"), limit, updatedSince: since, requestsPerSecond: 0 });
    const changed = await pager.toArray({ limit: 100_000 });
    console.log(`since sync: inbox of ${inbox.length} conversations, ${changed.length} changed, limit ${limit}: ` +
      `${requests("since").length} request(s)`);
  }
}
await mock.close();
