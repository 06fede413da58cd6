// A TypeScript consumer of the installed package, as the README shows; type-checked (never run)
// by types.test.mjs with `tsc --strict` under moduleResolution "bundler" and "node16". Lines
// marked @ts-expect-error must stay errors: they prove the types are real, not `any`.
import {
  listConversations, listMessages, paginateConversations, paginateMessages, appSecretProof, init,
  GRAPH_API_VERSION, GraphError, AuthError, RateLimitError, InvalidOptionsError,
} from "page-conversations";
import type { ConversationPage, Conversation, ListConversationsOptions, RateLimitUsage } from "page-conversations";

declare const pageToken: string;
declare function render(conversations: Conversation[]): void;

export async function readInbox(signal: AbortSignal): Promise<string[]> {
  const options: ListConversationsOptions = {
    pageId: "1234567890",
    accessToken: pageToken,
    platform: "instagram",
    fields: ["id", "updated_time", "snippet", "unread_count", "participants"],
    limit: 25,
    signal,
  };
  const page: ConversationPage = await listConversations(options);
  const ids: string[] = page.data.map((conversation) => conversation.id);
  const usage: RateLimitUsage | null = page.usage;
  if (usage?.app) ids.push(String(usage.app.callCount));
  if (page.paging.nextCursor) {
    const more = await listConversations({ ...options, after: page.paging.nextCursor });
    render(more.data);
  }
  const thread = await listMessages({ conversationId: ids[0] ?? "t_1", accessToken: pageToken, fields: "id,message,from,created_time" });
  for (const message of thread.data) ids.push(message.id);
  return ids;
}

export async function sync(since: number): Promise<number> {
  let count = 0;
  const pager = paginateConversations({
    pageId: "1234567890", accessToken: pageToken, updatedSince: since, limit: 100,
    onPage: ({ pageNumber, itemCount }) => { count = pageNumber + itemCount; },
  });
  for await (const conversation of pager) render([conversation]);
  const pages = pager.pages()[Symbol.asyncIterator]();
  const { value, done } = await pages.next();
  if (!done) render(value.data);
  const firstTen: Conversation[] = await pager.toArray({ limit: 10 });
  for await (const message of paginateMessages({ conversationId: "t_123", accessToken: pageToken, maxItems: 5 })) {
    count += message.id.length;
  }
  return count + firstTen.length;
}

export async function handle(): Promise<string> {
  await init(new URL("https://cdn.example.com/page_conversations_bg.wasm"));
  const proof: string = await appSecretProof(pageToken, "app-secret", Math.floor(Date.now() / 1000));
  try {
    await listConversations({ pageId: "1234567890", accessToken: pageToken, appSecretProof: proof });
  } catch (error) {
    if (error instanceof AuthError) return `${error.code} ${error.graphCode ?? ""}`;
    if (error instanceof RateLimitError) return String(error.retryAfterMs ?? 60_000);
    if (error instanceof InvalidOptionsError) return error.option ?? "";
    if (error instanceof GraphError) return JSON.stringify(error.toJSON());
    throw error;
  }
  return GRAPH_API_VERSION;
}

// @ts-expect-error pageId is required
void listConversations({ accessToken: pageToken });
// @ts-expect-error folder is one of four names
void listConversations({ pageId: "1", accessToken: pageToken, folder: "archive" });
// @ts-expect-error a page's data is typed
export const wrong: number = (await listConversations({ pageId: "1", accessToken: pageToken })).data;
