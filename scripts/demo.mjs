// `make demo`: starts the bundled mock Graph and prints a page of its inbox through the package,
// the way a Node or Worker user would call it. Set GRAPH_BASE_URL, PAGE_ID and PAGE_ACCESS_TOKEN
// to read a real Page instead.
import { listConversations, GraphError } from "page-conversations";
import { startMockGraph } from "../tests/graph-mock/server.mjs";

const real = process.env.PAGE_ACCESS_TOKEN !== undefined;
const mock = real ? null : await startMockGraph();
const options = {
  baseUrl: process.env.GRAPH_BASE_URL ?? mock?.url,
  pageId: process.env.PAGE_ID ?? mock?.pageId,
  accessToken: process.env.PAGE_ACCESS_TOKEN ?? mock?.token,
  fields: ["id", "updated_time", "snippet", "unread_count", "participants"],
  limit: 15,
};

try {
  const page = await listConversations(options);
  console.log(`Conversations of Page ${options.pageId} from ${real ? options.baseUrl ?? "Graph" : "the mock Graph at " + mock.url}:\n`);
  for (const conversation of page.data) {
    const people = (conversation.participants?.data ?? [])
      .filter((person) => person.id !== options.pageId)
      .map((person) => person.name ?? `@${person.username}`)
      .join(", ");
    const unread = conversation.unread_count ? ` [${conversation.unread_count} unread]` : "";
    console.log(`${conversation.updated_time}  ${people.padEnd(28).slice(0, 28)}  ${(conversation.snippet ?? "").replace(/\s+/g, " ").slice(0, 50)}${unread}`);
  }
  console.log(`\n${page.data.length} conversations; next page: ${page.paging.nextCursor ? "yes (pass paging.nextCursor as `after`)" : "none"}`);
} catch (error) {
  if (!(error instanceof GraphError)) throw error;
  console.error(`${error.name} (${error.code}): ${error.message}`);
  process.exitCode = 1;
} finally {
  await mock?.close();
}
