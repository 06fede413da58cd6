// Exercises every declared export of page-conversations; checked by `tsc -p tests/types`, never
// run. Lines marked @ts-expect-error must stay errors.
import {
  listConversations, listMessages, appSecretProof, init, GRAPH_API_VERSION,
  GraphError, GraphApiError, AuthError, PermissionError, RateLimitError, InvalidRequestError,
  PolicyBlockError, NetworkError, TimeoutError, InvalidResponseError, InvalidOptionsError,
  PagingError, WebhookError, handleWebhook, verifyWebhookSignature, parseWebhookEvents,
  ConversationsGate,
} from "page-conversations";
import type {
  ListConversationsOptions, ListMessagesOptions, RequestOptions, ConversationPage, MessagePage,
  PageCursors, RateLimitUsage, UsageFigures, BusinessUseCaseUsage, Conversation, Message,
  Participant, MessengerParticipant, InstagramParticipant, Attachment, Edge, NestedPaging,
  InitInput, ConversationFolder, ConversationPlatform, GraphErrorCode, GraphApiErrorCode,
  GraphErrorJSON, AttachmentImageData, AttachmentVideoData,
  WebhookEvent, WebhookEventType, HandleWebhookOptions, HandledWebhook, ConversationsGateNamespace,
} from "page-conversations";

declare const token: string;
declare function use(...values: unknown[]): void;

export async function conversations(): Promise<void> {
  const controller = new AbortController();
  const folder: ConversationFolder = "page_done";
  const platform: ConversationPlatform = "instagram";
  const options: ListConversationsOptions = {
    pageId: "1234567890",
    accessToken: token,
    platform,
    folder,
    userId: "24680",
    fields: ["id", "updated_time", "snippet", "participants", "messages.limit(5){id,message,from}"],
    limit: 25,
    apiVersion: GRAPH_API_VERSION,
    baseUrl: "https://graph.facebook.com",
    tokenIn: "header",
    appSecret: "secret",
    timedAppSecretProof: true,
    dangerouslyAllowAppSecretInBrowser: false,
    signal: controller.signal,
    timeoutMs: 10_000,
    maxRetries: 0,
  };
  const page: ConversationPage = await listConversations(options);
  const cursors: PageCursors = page.paging;
  if (cursors.nextCursor !== null) {
    await listConversations({ ...options, after: cursors.nextCursor });
  }
  // Optional options accept `undefined`, even under exactOptionalPropertyTypes.
  await listConversations({ ...options, before: cursors.previousCursor ?? undefined, fields: "id,snippet" });
  await listConversations({ pageId: "me", accessToken: token, platform: "messenger", folder: "inbox",
    appSecretProof: "0".repeat(64), appSecretTime: 1_700_000_000, tokenIn: "query" });

  for (const conversation of page.data) {
    const c: Conversation = conversation;
    const id: string = c.id;
    const updated: string | undefined = c.updated_time;
    const counts: (number | undefined)[] = [c.message_count, c.unread_count];
    const flags: (boolean | undefined)[] = [c.can_reply, c.is_subscribed, c.is_owner];
    const texts: (string | undefined)[] =
      [c.link, c.snippet, c.name, c.subject, c.scoped_thread_key, c.wallpaper, c.folder];
    use(id, updated, counts, flags, texts);
    // @ts-expect-error: a typo'd field does not compile (no index signature)
    use(c.snipet);
    // @ts-expect-error: nor does a field Conversation does not declare, without `Extra`
    use(c["custom_field"]);
    for (const edge of [c.participants, c.senders, c.former_participants]) {
      for (const p of edge?.data ?? []) {
        const who: string | undefined = p.name ?? p.username;
        if (p.username !== undefined) {
          const ig: InstagramParticipant = p;
          use(ig, p.username.toUpperCase());
        } else {
          const fb: MessengerParticipant | InstagramParticipant = p;
          use(fb.email, fb.id);
        }
        use(who);
      }
    }
    const messages: Edge<Message> | undefined = c.messages;
    const nested: NestedPaging | undefined = messages?.paging;
    use(nested?.cursors?.after, nested?.cursors?.before, nested?.next, nested?.previous);
  }

  const usage: RateLimitUsage | null = page.usage;
  if (usage) {
    const app: UsageFigures | null = usage.app;
    const pageUsage: UsageFigures | null = usage.page;
    use(app?.callCount, app?.totalTime, app?.totalCputime, pageUsage?.callCount);
    for (const [objectId, list] of Object.entries(usage.businessUseCase)) {
      for (const b of list) {
        const bu: BusinessUseCaseUsage = b;
        use(objectId, bu.type, bu.callCount, bu.totalTime, bu.totalCputime, bu.estimatedTimeToRegainAccessMinutes);
      }
    }
  }
}

export async function messages(): Promise<void> {
  const base: RequestOptions = { accessToken: token, fields: ["id", "created_time", "message", "from", "attachments"] };
  const options: ListMessagesOptions = { ...base, conversationId: "t_587956915396498", limit: 10 };
  const page: MessagePage = await listMessages(options);
  if (page.paging.nextCursor) await listMessages({ ...options, after: page.paging.nextCursor });
  use(page.usage?.app?.callCount);
  for (const m of page.data) {
    const id: string = m.id;
    const from: Participant | undefined = m.from;
    const text: string = m.message ?? "";
    use(id, from?.id, text, m.created_time, m.sticker, m.is_unsupported);
    // @ts-expect-error: a typo'd field of a message does not compile
    use(m.create_time);
    use(m.to?.data.map((p) => p.id));
    for (const a of m.attachments?.data ?? []) {
      const att: Attachment = a;
      const image: AttachmentImageData | undefined = att.image_data;
      const video: AttachmentVideoData | undefined = att.video_data;
      const size: number | undefined = att.size;
      use(att.id, att.mime_type, att.name, att.file_url, size, image?.url, image?.preview_url,
        image?.width, image?.height, video?.url, video?.preview_url);
    }
    use(m.shares?.data[0]?.link, m.story?.mention?.link, m.story?.reply_to?.id);
    use(m.reactions?.data.map((r) => [r.reaction, r.emoji, r.users?.map((u) => u.id)]));
    use(m.reply_to?.mid, m.reply_to?.is_self_reply, m.tags?.data.map((t) => t.name.length));
  }
}

export async function proofsAndInit(bytes: Uint8Array, module: WebAssembly.Module): Promise<void> {
  const proof: string = await appSecretProof(token, "secret");
  const timed: string = await appSecretProof(token, "secret", Math.floor(Date.now() / 1000));
  use(proof, timed);
  await init();
  await init(new URL("https://cdn.example.com/page_conversations_bg.wasm"));
  await init("/page_conversations_bg.wasm");
  await init(fetch("/page_conversations_bg.wasm"));
  await init(bytes);
  await init(bytes.buffer);
  await init(module);
  const input: InitInput = new Request("/page_conversations_bg.wasm");
  await init(Promise.resolve(input));
  const version: string = GRAPH_API_VERSION;
  use(version);
}

export function handle(error: unknown): string {
  if (!(error instanceof GraphError)) throw error;
  const any: GraphErrorCode | undefined = error.code;
  const json: GraphErrorJSON = error.toJSON();
  use(any, json.name, json.code, json.message, error.message, error.name, error.stack, error.cause);

  if (error instanceof RateLimitError) {
    const code: "ERR_GRAPH_RATE_LIMIT" = error.code;
    const wait: number | null = error.retryAfterMs;
    use(code, wait, error.toJSON().retryAfterMs, error.usage?.businessUseCase);
  }
  if (error instanceof AuthError) {
    const code: "ERR_GRAPH_AUTH" = error.code;
    use(code, error.graphSubcode);
  }
  if (error instanceof PermissionError) { const code: "ERR_GRAPH_PERMISSION" = error.code; use(code); }
  if (error instanceof InvalidRequestError) { const code: "ERR_GRAPH_INVALID_REQUEST" = error.code; use(code); }
  if (error instanceof PolicyBlockError) { const code: "ERR_GRAPH_POLICY_BLOCK" = error.code; use(code); }
  if (error instanceof GraphApiError) {
    const code: GraphApiErrorCode = error.code;
    const status: number = error.status;
    const graphCode: number | null = error.graphCode;
    const nullable: (string | null)[] =
      [error.graphType, error.fbtraceId, error.userTitle, error.userMessage];
    const transient: boolean = error.isTransient;
    const usage: RateLimitUsage | null = error.usage;
    use(code, status, graphCode, error.graphSubcode, nullable, transient, usage, error.toJSON().status);
    return error.userMessage ?? error.message;
  }
  if (error instanceof NetworkError) { const code: "ERR_NETWORK" = error.code; use(code, error.cause); }
  if (error instanceof TimeoutError) {
    const code: "ERR_TIMEOUT" = error.code;
    const limit: number | null = error.timeoutMs;
    use(code, limit);
  }
  if (error instanceof InvalidResponseError) {
    const code: "ERR_INVALID_RESPONSE" = error.code;
    const status: number | null = error.status;
    use(code, status);
  }
  if (error instanceof InvalidOptionsError) {
    const code: "ERR_INVALID_OPTIONS" = error.code;
    const option: string | null = error.option;
    use(code, option, error.toJSON().option);
  }
  if (error instanceof PagingError) { const code: "ERR_PAGING" = error.code; use(code); }
  // Every class is an Error and can be constructed (e.g. by test doubles).
  const made: Error[] = [
    new GraphError("m"), new GraphError("m", { cause: error }),
    new GraphApiError("m", { status: 400, graphCode: 1, isTransient: true }),
    new AuthError("m", { status: 401, graphCode: 190, graphSubcode: 463 }),
    new PermissionError("m"), new InvalidRequestError("m"), new PolicyBlockError("m"),
    new RateLimitError("m", { retryAfterMs: 1000 }), new NetworkError("m", { cause: error }),
    new TimeoutError("m", { timeoutMs: 30000 }), new InvalidResponseError("m", { status: 502 }),
    new InvalidOptionsError("m", { option: "pageId" }), new PagingError("m"),
  ];
  use(made);
  return error.message;
}

export async function wrongUsage(): Promise<void> {
  // @ts-expect-error: unknown folder
  await listConversations({ pageId: "1", accessToken: token, folder: "archive" });
  // @ts-expect-error: pageId is a string
  await listConversations({ pageId: 1234567890, accessToken: token });
  // @ts-expect-error: accessToken is required
  await listConversations({ pageId: "1" });
  // @ts-expect-error: conversationId is required
  await listMessages({ accessToken: token });
  // @ts-expect-error: unknown platform
  await listConversations({ pageId: "1", accessToken: token, platform: "whatsapp" });
  // @ts-expect-error: tokenIn is "query" or "header"
  await listMessages({ conversationId: "t_1", accessToken: token, tokenIn: "cookie" });
  // @ts-expect-error: fields is a string or an array of strings
  await listMessages({ conversationId: "t_1", accessToken: token, fields: [1, 2] });
  // @ts-expect-error: unixSeconds is a number
  await appSecretProof(token, "secret", "1700000000");
  const page = await listConversations({ pageId: "1", accessToken: token });
  // @ts-expect-error: paging cursors are nullable
  const cursor: string = page.paging.nextCursor;
  // @ts-expect-error: updated_time is optional (only requested fields come back)
  const updated: string = page.data[0]!.updated_time;
  // @ts-expect-error: error fields are read-only
  new AuthError("m").status = 500;
  use(cursor, updated);
}

// ---- paging ----
import { paginateConversations, paginateMessages } from "page-conversations";

async function paging(): Promise<void> {
  const pager = paginateConversations({
    pageId: "1",
    accessToken: "t",
    updatedSince: new Date(),
    maxPages: 3,
    maxItems: 50,
    requestsPerSecond: 1,
    onPage: ({ page, pageNumber, itemCount }) => void [page.data.length, pageNumber, itemCount],
  });
  for await (const conversation of pager) {
    const id: string = conversation.id;
    void id;
  }
  for await (const page of pager.pages()) {
    const typed: ConversationPage = page;
    void typed;
  }
  const some: Conversation[] = await pager.toArray({ limit: 10 });
  void some;
  const messages = paginateMessages({ conversationId: "t_1", accessToken: "t" });
  for await (const page of messages.pages()) {
    const typed: MessagePage = page;
    void typed;
  }
  // @ts-expect-error `before` is not a pager option
  paginateConversations({ pageId: "1", accessToken: "t", before: "x" });
  // @ts-expect-error toArray needs a limit
  await pager.toArray();
  // @ts-expect-error updatedSince is not a messages option
  paginateMessages({ conversationId: "t_1", accessToken: "t", updatedSince: 5 });
}
void paging;

// ---- narrowing by `instanceof` and `code` ----
import type { BaseGraphError, BaseGraphApiError, OtherGraphApiError } from "page-conversations";

export async function narrowing(): Promise<number | null> {
  try {
    await listConversations({ pageId: "1", accessToken: token });
  } catch (e) {
    // `instanceof GraphError` gives the union of the concrete classes; `code` picks one.
    if (e instanceof GraphError && e.code === "ERR_GRAPH_RATE_LIMIT") {
      const wait: number | null = e.retryAfterMs;
      return wait;
    }
    if (e instanceof GraphApiError && e.code === "ERR_GRAPH_RATE_LIMIT") return e.retryAfterMs;
    if (e instanceof GraphError && e.code === "ERR_INVALID_OPTIONS") use(e.option);
    if (e instanceof GraphError) {
      // @ts-expect-error: only a RateLimitError has retryAfterMs; `code` has not narrowed yet
      use(e.retryAfterMs);
    }
  }
  return null;
}

/** Narrowing a value already typed `GraphError` (the union) by its `code`, exhaustively. */
export function describe(e: GraphError): string {
  switch (e.code) {
    case "ERR_GRAPH_RATE_LIMIT": return `wait ${e.retryAfterMs ?? "?"} ms (${e.graphCode})`;
    case "ERR_GRAPH_AUTH": { const auth: AuthError = e; return `token: ${auth.graphSubcode}`; }
    case "ERR_GRAPH_PERMISSION": case "ERR_GRAPH_INVALID_REQUEST": case "ERR_GRAPH_POLICY_BLOCK":
      return `${e.status} ${e.userMessage ?? e.message}`;
    case "ERR_GRAPH_API": { const other: OtherGraphApiError = e; return `${other.isTransient}`; }
    case "ERR_NETWORK": return String(e.cause);
    case "ERR_TIMEOUT": return `${e.timeoutMs}`;
    case "ERR_INVALID_RESPONSE": return `${e.status}`;
    case "ERR_INVALID_OPTIONS": return e.option ?? "";
    case "ERR_PAGING": return e.message;
    case "ERR_WEBHOOK": { const webhook: WebhookError = e; return webhook.message; }
    default: { const never: never = e; return never; }
  }
}

export function narrowingMore(e: GraphError, api: GraphApiError): void {
  // instanceof on a leaf class narrows the union to it.
  if (e instanceof RateLimitError) { const r: RateLimitError = e; use(r.retryAfterMs); }
  if (e instanceof GraphApiError) { const a: GraphApiError = e; use(a.status, a.graphCode); }
  if (api.code !== "ERR_GRAPH_API" && api.code !== "ERR_GRAPH_RATE_LIMIT") {
    const rest: AuthError | PermissionError | InvalidRequestError | PolicyBlockError = api;
    use(rest);
  }
  // Every member has the base members; the constructors make the bases.
  const base: BaseGraphError = e;
  const apiBase: BaseGraphApiError = new GraphApiError("m", { status: 400 });
  const asUnion: GraphError = new RateLimitError("m");
  use(base.code, base.toJSON(), apiBase.code, asUnion);
  // Leaf classes can be extended (test doubles).
  class SlowDown extends RateLimitError {}
  const slow: GraphError = new SlowDown("m", { retryAfterMs: 5 });
  use(slow);
  // @ts-expect-error: what `new GraphError()` makes has no literal code: it is not in the union
  const plain: GraphError = new GraphError("m");
  use(plain);
}

// ---- fields Conversation / Message do not declare, through `Extra` ----
interface Labels { custom_label?: string; priority: number }

export async function extraFields(): Promise<void> {
  const page = await listConversations<Labels>({ pageId: "1", accessToken: token, fields: "id,custom_label,priority" });
  for (const c of page.data) {
    const label: string | undefined = c.custom_label;
    const priority: number = c.priority;
    use(label, priority, c.snippet, c.id);
    // @ts-expect-error: still no typos, Extra or not
    use(c.custom_lable);
  }
  const typed: ConversationPage<Conversation & Labels> = page;
  use(typed);
  // Extra refines a declared field: the nested messages' own extra field.
  const nested = await listConversations<{ messages?: Edge<Message & { custom_score?: number }> }>({
    pageId: "1", accessToken: token, fields: "id,messages{id,custom_score}",
  });
  const score: number | undefined = nested.data[0]?.messages?.data[0]?.custom_score;
  use(score);
  const thread = await listMessages<{ custom_flag?: boolean }>({ conversationId: "t_1", accessToken: token });
  const flag: boolean | undefined = thread.data[0]?.custom_flag;
  use(flag, thread.data[0]?.message);
  const pager = paginateConversations<Labels>({
    pageId: "1", accessToken: token,
    onPage: ({ page: p }) => use(p.data.map((c) => c.priority)),
  });
  for await (const c of pager) use(c.priority, c.updated_time);
  const all: (Conversation & Labels)[] = await pager.toArray({ limit: 5 });
  for await (const p of pager.pages()) use(p.data[0]?.custom_label);
  const messagePager = paginateMessages<{ custom_flag?: boolean }>({ conversationId: "t_1", accessToken: token });
  for await (const m of messagePager) use(m.custom_flag, m.from?.id);
  use(all);
  // Without Extra, the plain types.
  const plain: Conversation[] = (await listConversations({ pageId: "1", accessToken: token })).data;
  use(plain);
}

// ---- createClient ----
import { createClient } from "page-conversations";
import type { Client, ClientDefaults, PaginateConversationsOptions } from "page-conversations";

export async function clients(signal: AbortSignal): Promise<void> {
  const pageId = "1234567890";
  const inbox = createClient({ pageId, accessToken: token, platform: "messenger", fields: ["id", "snippet"], limit: 25 });
  const first = await inbox.listConversations();
  const after = first.paging.nextCursor ?? undefined;
  const next: ConversationPage = await inbox.listConversations({ after });
  // pageId and accessToken come from the defaults; a call's own option wins.
  await createClient({ pageId, accessToken: token }).listConversations({ after });
  await inbox.listConversations({ pageId: "me", folder: "spam", signal, requestsPerSecond: 1 });
  const thread: MessagePage = await inbox.listMessages({ conversationId: next.data[0]?.id ?? "t_1" });
  for await (const c of inbox.paginateConversations({ maxPages: 2, updatedSince: "2026-01-01" })) use(c.snippet);
  for await (const m of inbox.paginateMessages({ conversationId: "t_1", maxItems: 5 })) use(m.message);
  const labelled = await inbox.listConversations<{ custom_label?: string }>({ after });
  use(thread, labelled.data[0]?.custom_label);

  // Defaults may hold options that only some calls take.
  const threads = createClient({
    accessToken: token, pageId, conversationId: "t_1", folder: "inbox", maxPages: 3, updatedSince: 0,
    requestsPerSecond: 2, onPage: ({ page, itemCount }) => use(page.data.length, itemCount),
  });
  await threads.listMessages();
  await threads.listConversations();
  use(threads.paginateMessages(), threads.paginateConversations({ maxItems: 10 }));

  // A client without pageId still needs it per conversation call.
  const tokenOnly = createClient({ accessToken: token, tokenIn: "header" });
  await tokenOnly.listConversations({ pageId });
  await tokenOnly.listMessages({ conversationId: "t_1", pageId });
  // @ts-expect-error: pageId was not in the defaults
  await tokenOnly.listConversations({ after });
  // @ts-expect-error: conversationId was not in the defaults
  await inbox.listMessages();
  // @ts-expect-error: nor is it optional when the default may be undefined
  await createClient({ accessToken: token, pageId: undefined as string | undefined }).listConversations();
  // @ts-expect-error: a call's options are exact: `folder` is not a messages option
  await threads.listMessages({ folder: "inbox" });
  // @ts-expect-error: unknown option in the defaults (a typo of `after`)
  createClient({ pageId, accessToken: token, cursor: "x" });
  // @ts-expect-error: unknown option on a client call
  await inbox.listConversations({ cursor: "x" });
  // @ts-expect-error: defaults are typed as the calls' options
  createClient({ platform: "whatsapp" });

  const annotated: Client = createClient({});
  await annotated.listConversations({ pageId, accessToken: token });
  const defaults: ClientDefaults = { accessToken: token, maxRetries: 1 };
  use(createClient(defaults));
  const pagerOptions: PaginateConversationsOptions = { pageId, accessToken: token, requestsPerSecond: 0 };
  use(pagerOptions);
}

// ---- exact options, and the options of this stop ----
export async function optionsOfThisStop(): Promise<void> {
  // requestsPerSecond on one-page calls; pageId on the messages calls (not sent to Graph).
  await listConversations({ pageId: "1", accessToken: token, requestsPerSecond: 0.5 });
  await listMessages({ conversationId: "t_1", accessToken: token, pageId: "1", requestsPerSecond: 2 });
  paginateMessages({ conversationId: "t_1", accessToken: token, pageId: "me" });
  // @ts-expect-error: unknown option (a typo of `after`) in a literal
  await listConversations({ pageId: "1", accessToken: token, cursor: "abc" });
  // @ts-expect-error: `folder` is a conversations option only
  await listMessages({ conversationId: "t_1", accessToken: token, folder: "inbox" });
  // @ts-expect-error: `maxPages` is a pager option only
  await listConversations({ pageId: "1", accessToken: token, maxPages: 2 });
  // @ts-expect-error: userId is not a messages option
  paginateMessages({ conversationId: "t_1", accessToken: token, userId: "1" });
}

// ---- webhooks ----
export async function webhooks(request: Request, env: { APP_SECRET: string; VERIFY_TOKEN: string }): Promise<Response> {
  const options: HandleWebhookOptions = { appSecret: env.APP_SECRET, verifyToken: env.VERIFY_TOKEN };
  const handled: HandledWebhook = await handleWebhook(request, options);
  for (const event of handled.events) {
    const e: WebhookEvent = event;
    const type: WebhookEventType = e.type;
    const platform: ConversationPlatform = e.platform;
    const ids: string[] = [e.pageId, e.userId];
    const when: number = e.timestamp;
    const standby: boolean = e.standby;
    const mid: string | null = e.messageId;
    const text: string | null = e.text;
    const raw: Record<string, unknown> = e.raw;
    if (e.type === "message" || e.type === "echo") await listConversations({ pageId: e.pageId, userId: e.userId, platform: e.platform, accessToken: token });
    // @ts-expect-error: a typo'd field (it is `messageId`)
    use(e.messageID);
    // @ts-expect-error: not a type of event
    const wrong: WebhookEventType = "message_reads";
    use(type, platform, ids, when, standby, mid, text, raw, wrong);
  }
  // @ts-expect-error: verifyToken is required
  await handleWebhook(request, { appSecret: env.APP_SECRET });
  // @ts-expect-error: unknown option (a typo of verifyToken)
  await handleWebhook(request, { appSecret: env.APP_SECRET, verifyTokn: "x" });

  const header = request.headers.get("x-hub-signature-256");
  const ok: boolean[] = await Promise.all([
    verifyWebhookSignature("{}", header, env.APP_SECRET),
    verifyWebhookSignature(new ArrayBuffer(2), null, env.APP_SECRET),
    verifyWebhookSignature(new Uint8Array(2), "sha256=00", env.APP_SECRET),
  ]);
  // @ts-expect-error: the body is not a number
  await verifyWebhookSignature(42, header, env.APP_SECRET);
  const events: WebhookEvent[] = await parseWebhookEvents(await request.text());
  await parseWebhookEvents({ object: "page", entry: [] });
  // @ts-expect-error: a payload is text or an object
  await parseWebhookEvents(7);
  try {
    await parseWebhookEvents("{");
  } catch (e) {
    if (e instanceof GraphError && e.code === "ERR_WEBHOOK") { const w: WebhookError = e; use(w); }
    if (e instanceof WebhookError) { const code: "ERR_WEBHOOK" = e.code; use(code); }
  }
  use(ok, events);
  return handled.response;
}

// ---- the fleet gate (workerd entry) ----
declare const gateBinding: ConversationsGateNamespace;
export async function gated(env: { CONVERSATIONS_GATE: ConversationsGateNamespace }): Promise<void> {
  await listConversations({ pageId: "1", accessToken: token, gate: env.CONVERSATIONS_GATE });
  await listMessages({ conversationId: "t_1", pageId: "1", accessToken: token, gate: gateBinding });
  paginateMessages({ conversationId: "t_1", accessToken: token, gate: gateBinding });
  createClient({ accessToken: token, gate: gateBinding });
  // A namespace-like object from Workers types fits.
  const namespace = { idFromName: (name: string) => ({ name }), get: (id: { name: string }) => ({ id }) };
  await listConversations({ pageId: "1", accessToken: token, gate: namespace });
  // @ts-expect-error: gate is a Durable Object namespace, not its name
  await listConversations({ pageId: "1", accessToken: token, gate: "CONVERSATIONS_GATE" });
  const cls: typeof ConversationsGate = ConversationsGate;
  use(cls);
}
