// `make bench`: the time of one page through `listConversations` against the physical limit, a
// raw `fetch` + `res.json()` of the same URL, on the same loopback mock Graph. 100 conversations
// per page with nested participants and messages; the two are interleaved pair by pair in one
// run (alternating which goes first), after a warm-up, and compared by their medians.
import { listConversations } from "page-conversations";
import { startMockGraph } from "../tests/graph-mock/server.mjs";

const PAIRS = Number(process.env.BENCH_PAIRS ?? 300);
const WARMUP = 30;
const FIELDS = process.env.BENCH_FIELDS ?? "id,updated_time,link,snippet,message_count,unread_count,participants,senders,messages.limit(5){id,created_time,message,from,to}";

const mock = await startMockGraph({ conversations: 1000 });
const options = { baseUrl: mock.url, pageId: mock.pageId, accessToken: mock.token, fields: FIELDS, limit: 100 };
const url = `${mock.url}/v25.0/${mock.pageId}/conversations?fields=${encodeURIComponent(FIELDS)}&limit=100`;
const headers = { Authorization: `Bearer ${mock.token}` };

async function raw() {
  const response = await fetch(url, { headers });
  const body = await response.json();
  if (body.data.length !== 100) throw new Error("raw: short page");
}

async function pkg() {
  const page = await listConversations(options);
  if (page.data.length !== 100) throw new Error("package: short page");
}

async function timed(run) {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];

for (let i = 0; i < WARMUP; i++) {
  await raw();
  await pkg();
}
const rawTimes = [];
const pkgTimes = [];
for (let i = 0; i < PAIRS; i++) {
  if (i % 2 === 0) {
    rawTimes.push(await timed(raw));
    pkgTimes.push(await timed(pkg));
  } else {
    pkgTimes.push(await timed(pkg));
    rawTimes.push(await timed(raw));
  }
}
await mock.close();

const ratios = rawTimes.map((r, i) => pkgTimes[i] / r);
const format = (ms) => `${ms.toFixed(3)} ms`;
console.log(`per-page time, 100 conversations with nested messages, ${PAIRS} interleaved pairs (Node ${process.version})`);
console.log(`  raw fetch + res.json()   median ${format(median(rawTimes))}  (p10 ${format(quantile(rawTimes, 0.1))}, p90 ${format(quantile(rawTimes, 0.9))})`);
console.log(`  listConversations        median ${format(median(pkgTimes))}  (p10 ${format(quantile(pkgTimes, 0.1))}, p90 ${format(quantile(pkgTimes, 0.9))})`);
console.log(`  ratio of medians ${(median(pkgTimes) / median(rawTimes)).toFixed(3)}; median of pair ratios ${median(ratios).toFixed(3)} (p10 ${quantile(ratios, 0.1).toFixed(3)}, p90 ${quantile(ratios, 0.9).toFixed(3)})`);
