/**
 * page-conversations: read a Facebook Page's Messenger and Instagram conversations, and the
 * messages in them, through the Graph API (`/{page-id}/conversations`,
 * `/{conversation-id}/messages`). One package for browsers and bundlers, Cloudflare Workers
 * (workerd) and Node; they all share these types.
 *
 * ```ts
 * import { createClient, GraphError } from "page-conversations";
 *
 * const inbox = createClient({
 *   pageId: "1234567890",
 *   accessToken: process.env.PAGE_TOKEN!,
 *   platform: "messenger",
 *   fields: ["id", "updated_time", "snippet", "participants"],
 * });
 * try {
 *   const page = await inbox.listConversations();
 *   for (const conversation of page.data) console.log(conversation.id, conversation.snippet);
 *   if (page.paging.nextCursor) {
 *     const next = await inbox.listConversations({ after: page.paging.nextCursor });
 *   }
 * } catch (e) {
 *   if (e instanceof GraphError && e.code === "ERR_GRAPH_RATE_LIMIT") console.log(e.retryAfterMs);
 *   throw e;
 * }
 * ```
 *
 * Options are exact: an option a call does not take (a typo such as `cursor`) is refused with
 * {@link InvalidOptionsError}, before anything is sent. Aborting through `signal` rejects with
 * `signal.reason`, unchanged; every other failure is a {@link GraphError}.
 *
 * The access token and the app secret proof never appear in anything the package returns or
 * throws: not in pages, not in nested paging links, not in errors.
 *
 * @packageDocumentation
 */

// ---------------------------------------------------------------------------------------------
// Functions
// ---------------------------------------------------------------------------------------------

/**
 * Fetches one page of a Page's conversations: one request (plus retries) to
 * `GET {baseUrl}/{apiVersion}/{pageId}/conversations`.
 *
 * Conversations come newest `updated_time` first. Without `fields`, Graph returns only `id` and
 * `updated_time` for each.
 *
 * @typeParam Extra Fields you request that {@link Conversation} does not declare, e.g.
 *   `listConversations<{ custom_label?: string }>(…)`; see {@link Conversation}.
 * @param options What to fetch, and how. Checked before anything is sent.
 * @returns The page: Graph's conversation objects untouched, the cursors to continue from, and the
 *   rate-limit usage Graph reported.
 * @throws {InvalidOptionsError} (as a rejection) when an option is refused, unknown options
 *   included; no request is sent.
 * @throws {GraphApiError} (or one of its subclasses) when Graph answered with an error.
 * @throws {NetworkError | TimeoutError | InvalidResponseError} when the last attempt failed so. A
 *   redirect (3xx) is an {@link InvalidResponseError}: redirects are never followed.
 * Cancelling through `signal` rejects with `signal.reason`, unchanged (not a {@link GraphError}).
 */
export declare function listConversations<Extra extends object = {}>(
  options: ListConversationsOptions,
): Promise<ConversationPage<Conversation & Extra>>;

/**
 * Fetches one page of a conversation's messages, newest first: one request (plus retries) to
 * `GET {baseUrl}/{apiVersion}/{conversationId}/messages`.
 *
 * Without `fields`, Graph returns only `id` and `created_time` for each message. Instagram lets
 * only the 20 most recent messages of a thread be read.
 *
 * @typeParam Extra Fields you request that {@link Message} does not declare; see
 *   {@link Conversation}.
 * @param options What to fetch, and how. Checked before anything is sent.
 * @returns The page: Graph's message objects untouched, the cursors to continue from, and the
 *   rate-limit usage Graph reported.
 * @throws {InvalidOptionsError} (as a rejection) when an option is refused, unknown options
 *   included; no request is sent.
 * @throws {GraphApiError} (or one of its subclasses) when Graph answered with an error.
 * @throws {NetworkError | TimeoutError | InvalidResponseError} when the last attempt failed so. A
 *   redirect (3xx) is an {@link InvalidResponseError}: redirects are never followed.
 * Cancelling through `signal` rejects with `signal.reason`, unchanged (not a {@link GraphError}).
 */
export declare function listMessages<Extra extends object = {}>(
  options: ListMessagesOptions,
): Promise<MessagePage<Message & Extra>>;

/**
 * Computes an `appsecret_proof`: the hex HMAC-SHA256, keyed with the app secret, of the access
 * token, or, with `unixSeconds`, of `` `${accessToken}|${unixSeconds}` `` (the timed variant, sent
 * along with `appsecret_time` and valid for about 5 minutes).
 *
 * For backends that hand proofs to browsers: the browser passes the result as
 * {@link RequestOptions.appSecretProof} (and `unixSeconds` as {@link RequestOptions.appSecretTime})
 * and never sees the app secret.
 *
 * @param accessToken The token the proof is for.
 * @param appSecret The app secret (the HMAC key).
 * @param unixSeconds For the timed variant: the time, in whole seconds since the Unix epoch.
 * @returns 64 lower-case hexadecimal characters.
 * @throws {InvalidOptionsError} (as a rejection) when an argument is refused.
 */
export declare function appSecretProof(accessToken: string, appSecret: string, unixSeconds?: number): Promise<string>;

/**
 * Answers one webhook request from Meta (the callback URL of a Page's or Instagram account's
 * app), and reads the events of a verified delivery:
 *
 * - `GET` with `hub.mode=subscribe` (the subscribe handshake): `response` is 200 with the
 *   `hub.challenge` as text when `hub.verify_token` equals `verifyToken`, else 403.
 * - `POST`: 413 when the body is over 1 MB (1 000 000 bytes: its `Content-Length` says so, or
 *   reading stops there; the rest is never read); 401 unless `X-Hub-Signature-256` is `sha256=`
 *   and the lower-case hex HMAC-SHA256 of the raw body bytes with `appSecret` (compared in
 *   constant time); 400 when the body is not a Page or Instagram webhook payload; else 200 with
 *   the `events`, in payload order.
 * - Any other method: 405 (with `Allow: GET, POST`).
 *
 * `events` is empty unless the answer is a 200 to a `POST`. Answer Meta with `response` quickly;
 * do slow work with the events afterwards (`ctx.waitUntil` in a Worker). Meta retries deliveries:
 * the same delivery gives the same events (compare `messageId`, or `raw`, to skip duplicates).
 *
 * It never throws for what the sender sent. Nothing it returns contains `appSecret` or
 * `verifyToken`. The request's body is read here: hand the request over unread.
 *
 * ```ts
 * export default {
 *   async fetch(request, env, ctx) {
 *     const { response, events } = await handleWebhook(request, { appSecret: env.APP_SECRET, verifyToken: env.VERIFY_TOKEN });
 *     ctx.waitUntil(process(events));
 *     return response;
 *   },
 * };
 * ```
 *
 * @param request The incoming request, its body unread.
 * @param options The app secret and the verify token.
 * @throws {InvalidOptionsError} (as a rejection) when an option is refused (each must be a
 *   non-empty string; unknown options are refused), or `request` is not a readable `Request`
 *   (`option: "request"`, e.g. its body was already read); checked before anything is read.
 */
export declare function handleWebhook(request: Request, options: HandleWebhookOptions): Promise<HandledWebhook>;

/** The options of {@link handleWebhook}. */
export interface HandleWebhookOptions {
  /** The app secret (App Dashboard, Settings, Basic): the key of the deliveries' signatures. */
  appSecret: string;
  /** The verify token you entered with the callback URL, for the subscribe handshake. */
  verifyToken: string;
}

/** What {@link handleWebhook} resolves to. */
export interface HandledWebhook {
  /** The answer to send back to Meta: 200, 400, 401, 403, 405 or 413, as text. */
  response: Response;
  /** The events of a verified `POST` answered 200, in payload order; else empty. */
  events: WebhookEvent[];
}

/**
 * Whether `signatureHeader` (the `X-Hub-Signature-256` header, null when absent) is `sha256=`
 * followed by the lower-case hex HMAC-SHA256 of `rawBody` with `appSecret`, compared in constant
 * time. The first half of {@link handleWebhook}, for other servers.
 *
 * `rawBody` must be the body's bytes exactly as received (not re-encoded JSON); a string is
 * taken as its UTF-8 bytes. A body over 1 MB (as {@link handleWebhook} refuses it) is false.
 *
 * @param rawBody The raw body: a string (UTF-8), an `ArrayBuffer`, or a `Uint8Array` (any
 *   `ArrayBuffer` view, e.g. a Node `Buffer`).
 * @param signatureHeader The header's value, or null when it is absent.
 * @param appSecret The app secret.
 * @throws {InvalidOptionsError} (as a rejection) when `appSecret` is not a non-empty string,
 *   `rawBody` is none of the types above, or `signatureHeader` is neither a string nor null.
 */
export declare function verifyWebhookSignature(
  rawBody: string | ArrayBuffer | ArrayBufferView,
  signatureHeader: string | null,
  appSecret: string,
): Promise<boolean>;

/**
 * The events of a Page or Instagram webhook payload, in payload order: one per item of each
 * entry's `messaging` and `standby`, unknown kinds as `type: "other"`. The second half of
 * {@link handleWebhook}, for other servers (verify the signature first, with
 * {@link verifyWebhookSignature}).
 *
 * @param payload The body as text, or its parsed value (then each `raw` is a fresh copy, not the
 *   caller's object).
 * @throws {WebhookError} (as a rejection) when `payload` is not a Page or Instagram webhook
 *   payload (or is over 1 MB as JSON).
 */
export declare function parseWebhookEvents(payload: string | object): Promise<WebhookEvent[]>;

/** What a {@link WebhookEvent} is about. */
export type WebhookEventType =
  | "message"
  | "echo"
  | "edit"
  | "read"
  | "delivery"
  | "reaction"
  | "postback"
  | "referral"
  | "other";

/**
 * One messaging item of a webhook delivery. Its conversation is
 * `listConversations({ pageId: event.pageId, userId: event.userId, platform: event.platform })`.
 */
export interface WebhookEvent {
  /** `"messenger"` for a payload with `"object": "page"`, `"instagram"` for `"instagram"`. */
  platform: ConversationPlatform;
  /** `entry.id`: the Page, or the Instagram account. */
  pageId: string;
  /** The person: `sender.id`, or `recipient.id` when the Page sent it (an echo). */
  userId: string;
  /**
   * By the member the item has: `message` (`"echo"` when `is_echo`), `message_edit` (`"edit"`),
   * `read`, `delivery`, `reaction`, `postback`, `referral`; anything else is `"other"`.
   */
  type: WebhookEventType;
  /** The item's `timestamp` (the entry's `time` when it has none), in epoch milliseconds. */
  timestamp: number;
  /** From `entry.standby`: another app owns the thread. */
  standby: boolean;
  /** The mid the event is about (a message's, an echo's, an edit's, a reaction's, a postback's,
   * an Instagram read's), when it names one; null for deliveries (their `mids` are in `raw`). */
  messageId: string | null;
  /** A message's, an echo's or an edit's text; null otherwise (and for attachments only). */
  text: string | null;
  /** The messaging item exactly as Graph sent it. */
  raw: Record<string, unknown>;
}

/**
 * **workerd entry only** (`import { ConversationsGate } from "page-conversations"` in a Worker):
 * the fleet gate, a Durable Object class. One object per Page decides when that Page's requests
 * reach Graph, for every isolate and Worker bound to it (see {@link RequestOptions.gate}).
 * Re-export it from the Worker and bind it:
 *
 * ```js
 * export { ConversationsGate } from "page-conversations";
 * // wrangler.toml: [[durable_objects.bindings]] name = "CONVERSATIONS_GATE", class_name = "ConversationsGate"
 * //                [[migrations]] tag = "v1", new_sqlite_classes = ["ConversationsGate"]
 * ```
 *
 * Its storage holds only times and counts (never a token, a secret or a proof). Not exported by
 * the Node and browser entries; its methods are the package's own protocol.
 */
export declare class ConversationsGate {
  /** Made by the Workers runtime, with the object's state and the Worker's `env`. */
  constructor(ctx: unknown, env: unknown);
}

/**
 * What {@link init} accepts: where the `.wasm` module comes from. A URL (string, `URL` or
 * `Request`) is fetched; a `Response` is read; bytes are compiled; a compiled
 * `WebAssembly.Module` is instantiated.
 *
 * (The same as `RequestInfo | URL | Response | BufferSource | WebAssembly.Module`, spelled so that
 * it type-checks without the DOM library too.)
 */
export type InitInput = string | Request | URL | Response | ArrayBuffer | ArrayBufferView | WebAssembly.Module;

/**
 * Initialises the package explicitly. Optional: every call initialises it lazily anyway.
 *
 * - In browsers and bundlers, loads the WebAssembly module: by default from the `.wasm` file next
 *   to the package's JavaScript (`new URL(…, import.meta.url)`); give `input` to load it from
 *   elsewhere (a CDN URL, a `Response`, the bytes, or a compiled module). Call it before the first
 *   other call for `input` to take effect; once the module is loaded, later calls do nothing.
 *   When loading fails (offline, a wrong URL, an HTML page in its place), the call rejects with
 *   {@link NetworkError} or {@link InvalidResponseError}, and the next call (`init` or any other)
 *   tries to load it again.
 * - In Node and in Workers the module is loaded synchronously at import: this is a no-op.
 *
 * @param input Where to load the `.wasm` module from (browsers and bundlers only).
 * @throws {NetworkError | InvalidResponseError} (as a rejection) when the module could not be
 *   loaded.
 */
export declare function init(input?: InitInput | Promise<InitInput>): Promise<void>;

/** The Graph API version the package uses when {@link RequestOptions.apiVersion} is not given:
 * `"v25.0"`. */
export declare const GRAPH_API_VERSION: string;

// ---------------------------------------------------------------------------------------------
// Paging
// ---------------------------------------------------------------------------------------------

/**
 * A lazy pager over a Page's conversations: iterate it with `for await` for conversations, or
 * `.pages()` for pages. Nothing is fetched before iteration starts, each page is requested only
 * when needed, and `break` stops fetching. Every option of {@link listConversations} (except
 * `before`) is kept on every page. Empty pages that still have a next page are skipped; after
 * 10 of them in a row, or when Graph repeats a cursor, iteration throws {@link PagingError}.
 *
 * Requests are paced: 2 per second per Page by default, shared with every other paced call for
 * the Page in this instance (see {@link RequestOptions.requestsPerSecond}); a pager left while it
 * waits for its turn gives the turn back.
 *
 * The options are read and checked when it is called (bad options throw
 * {@link InvalidOptionsError} at once), and every iteration starts from what was read then:
 * changing the options object afterwards changes nothing. In the browser entry this needs the
 * wasm module loaded (`await init()` or any earlier call); before that, they are read when the
 * first iteration starts, and its first step rejects instead.
 *
 * @typeParam Extra Fields you request that {@link Conversation} does not declare; see
 *   {@link Conversation}.
 * @example
 * for await (const conversation of paginateConversations({ pageId, accessToken, updatedSince: lastSync })) {
 *   await store(conversation);
 * }
 */
export declare function paginateConversations<Extra extends object = {}>(
  options: PaginateConversationsOptions<Conversation & Extra>,
): ConversationPager<Conversation & Extra>;

/**
 * A lazy pager over a conversation's messages, newest first; see {@link paginateConversations}.
 * `requestsPerSecond` paces per conversation, or with the Page's conversations when `pageId` is
 * given.
 *
 * @typeParam Extra Fields you request that {@link Message} does not declare; see
 *   {@link Conversation}.
 */
export declare function paginateMessages<Extra extends object = {}>(
  options: PaginateMessagesOptions<Message & Extra>,
): MessagePager<Message & Extra>;

/**
 * Options that only pagers have (a one-page call refuses them). Pagers pace their requests by
 * default: see {@link RequestOptions.requestsPerSecond}.
 * @typeParam P The type of the pages.
 */
export interface PagingOptions<P> {
  /** Stop after this many pages (empty pages skipped are not counted). A positive integer. */
  maxPages?: number | undefined;
  /** Stop after this many items; the last page is trimmed. A positive integer. */
  maxItems?: number | undefined;
  /** Called for each page yielded, for progress bars: `pageNumber` counts from 1, `itemCount` is
   * the running total of items yielded, this page included. */
  onPage?: ((info: PageProgress<P>) => void) | undefined;
}

/** What {@link PagingOptions.onPage} receives. */
export interface PageProgress<P> {
  /** The page just yielded (trimmed by `maxItems` / `updatedSince`). */
  page: P;
  /** 1 for the first page yielded. */
  pageNumber: number;
  /** Items yielded so far, this page included. */
  itemCount: number;
}

/**
 * Options of {@link paginateConversations}.
 * @typeParam C The type of the conversations (for {@link PagingOptions.onPage}).
 */
export interface PaginateConversationsOptions<C extends Conversation = Conversation>
  extends Omit<ListConversationsOptions, "before">,
    PagingOptions<ConversationPage<C>> {
  /**
   * Stop at the first conversation whose `updated_time` is older than this (it is not yielded):
   * a `Date`, epoch milliseconds, or an ISO 8601 string (read as `Date` reads it: a date-time
   * without an offset is local time, a date alone UTC). Conversations come newest first and
   * Graph has no time-based paging on this edge, so this is how "what changed since" is done.
   * `updated_time` is added to `fields` when `fields` is given without it.
   */
  updatedSince?: Date | number | string | undefined;
}

/**
 * Options of {@link paginateMessages}.
 * @typeParam M The type of the messages (for {@link PagingOptions.onPage}).
 */
export interface PaginateMessagesOptions<M extends Message = Message>
  extends Omit<ListMessagesOptions, "before">,
    PagingOptions<MessagePage<M>> {}

/**
 * The pager of {@link paginateConversations}: an async iterable of conversations.
 * @typeParam C The type of the conversations: {@link Conversation} and the `Extra` fields.
 */
export interface ConversationPager<C extends Conversation = Conversation> extends AsyncIterable<C> {
  /** The pages, never empty, trimmed by `maxItems` / `updatedSince`. Each call starts afresh. */
  pages(): AsyncIterable<ConversationPage<C>>;
  /** Collects up to `limit` conversations (required: a positive integer; refused with
   * {@link InvalidOptionsError} at once otherwise). */
  toArray(options: { limit: number }): Promise<C[]>;
}

/**
 * The pager of {@link paginateMessages}: an async iterable of messages.
 * @typeParam M The type of the messages: {@link Message} and the `Extra` fields.
 */
export interface MessagePager<M extends Message = Message> extends AsyncIterable<M> {
  /** The pages, never empty, trimmed by `maxItems`. Each call starts afresh. */
  pages(): AsyncIterable<MessagePage<M>>;
  /** Collects up to `limit` messages (required: a positive integer). */
  toArray(options: { limit: number }): Promise<M[]>;
}

// ---------------------------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------------------------

/**
 * Makes a client: the four calls with options given once. Each call takes the same options as
 * the function of that name, merged over `defaults` (a call's own option wins). The options
 * `defaults` gives (not `undefined`) become optional in every call, so paging by hand is:
 *
 * ```ts
 * const inbox = createClient({ pageId, accessToken, platform: "messenger", fields: ["id", "snippet"], limit: 25 });
 * const page = await inbox.listConversations();
 * const next = await inbox.listConversations({ after: page.paging.nextCursor ?? undefined });
 * const thread = await inbox.listMessages({ conversationId: page.data[0]!.id }); // paced with the Page
 * ```
 *
 * `defaults` may hold any option that any of the four calls takes ({@link ClientDefaults});
 * each call uses those it takes (`folder` only for conversations, `conversationId` only for
 * messages, `maxPages` only for pagers). An unknown option is refused, in types (excess keys
 * are `never`) and at run time. `defaults` are checked when the client is made, with the same
 * errors as the calls: this throws {@link InvalidOptionsError} at once.
 *
 * @typeParam D The defaults' type, inferred: which options the calls may leave out.
 * @param defaults Options for every call.
 * @returns The client.
 * @throws {InvalidOptionsError} when a default is refused.
 */
export declare function createClient<D extends ClientDefaults>(
  defaults: D & { [K in Exclude<keyof D, keyof ClientDefaults>]: never },
): Client<D>;

/**
 * What {@link createClient} returns: {@link listConversations}, {@link listMessages},
 * {@link paginateConversations} and {@link paginateMessages}, each taking its options merged
 * over the client's defaults (a call's own option wins). Each call's options are exact, as the
 * function's are: `folder` on `listMessages` is refused even when the defaults have a `folder`.
 *
 * @typeParam D The client's defaults: the options each call may leave out.
 */
export interface Client<D extends ClientDefaults = ClientDefaults> {
  /** {@link listConversations} with the defaults: one page of the Page's conversations.
   * @typeParam Extra Fields not declared on {@link Conversation}; see there. */
  listConversations<Extra extends object = {}>(
    ...options: ClientCallArgs<ClientCallOptions<ListConversationsOptions, D>>
  ): Promise<ConversationPage<Conversation & Extra>>;
  /** {@link listMessages} with the defaults: one page of a conversation's messages (with the
   * defaults' `pageId`, paced with that Page's conversations).
   * @typeParam Extra Fields not declared on {@link Message}; see {@link Conversation}. */
  listMessages<Extra extends object = {}>(
    ...options: ClientCallArgs<ClientCallOptions<ListMessagesOptions, D>>
  ): Promise<MessagePage<Message & Extra>>;
  /** {@link paginateConversations} with the defaults: a lazy pager over the Page's conversations.
   * @typeParam Extra Fields not declared on {@link Conversation}; see there. */
  paginateConversations<Extra extends object = {}>(
    ...options: ClientCallArgs<ClientCallOptions<PaginateConversationsOptions<Conversation & Extra>, D>>
  ): ConversationPager<Conversation & Extra>;
  /** {@link paginateMessages} with the defaults: a lazy pager over a conversation's messages.
   * @typeParam Extra Fields not declared on {@link Message}; see {@link Conversation}. */
  paginateMessages<Extra extends object = {}>(
    ...options: ClientCallArgs<ClientCallOptions<PaginateMessagesOptions<Message & Extra>, D>>
  ): MessagePager<Message & Extra>;
}

/**
 * What {@link createClient} accepts as defaults: every option of {@link ListConversationsOptions},
 * {@link ListMessagesOptions}, {@link PaginateConversationsOptions} and
 * {@link PaginateMessagesOptions}, each optional. Options that only some calls take are allowed
 * here; each call uses those it takes.
 */
export interface ClientDefaults
  extends OptionalOptions<ListConversationsOptions>,
    OptionalOptions<ListMessagesOptions>,
    OptionalOptions<PaginateConversationsOptions>,
    OptionalOptions<PaginateMessagesOptions> {
  /** Called for each page either pager yields: see {@link PagingOptions.onPage}. */
  onPage?: ((info: PageProgress<ConversationPage | MessagePage>) => void) | undefined;
}

/**
 * `O` with every option optional (and `undefined` allowed, as for the optional options).
 * @typeParam O An options type.
 */
export type OptionalOptions<O> = { [K in keyof O]?: O[K] | undefined };

/**
 * The options that the defaults `D` give: its keys whose value cannot be `undefined`.
 * @typeParam D A defaults type.
 */
export type DefaultedOptions<D> = { [K in keyof D]-?: undefined extends D[K] ? never : K }[keyof D];

/**
 * A client call's options: the function's options `O`, where those the defaults `D` give are
 * optional.
 * @typeParam O The options of the function of that name.
 * @typeParam D The client's defaults.
 */
export type ClientCallOptions<O, D> = Omit<O, DefaultedOptions<D>> &
  OptionalOptions<Pick<O, Extract<DefaultedOptions<D>, keyof O>>>;

/**
 * A client call's parameter list: `[options?]` when every option is optional (the defaults give
 * the required ones), else `[options]`.
 * @typeParam O The call's options.
 */
export type ClientCallArgs<O> = {} extends O ? [options?: O] : [options: O];

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/**
 * Options shared by {@link listConversations} and {@link listMessages}.
 *
 * Every option is checked before any request is sent; a refused one rejects with
 * {@link InvalidOptionsError}, whose `option` names it. An option set to `undefined` counts as
 * absent.
 *
 * Options objects are exact: an option the call does not take is refused the same way, whether
 * it is a typo (`cursor`, `pageID`: the error's message suggests the known option when one is
 * close) or belongs to another call (`folder` on {@link listMessages}, `maxPages` on a one-page
 * call). TypeScript's excess property checks catch these in object literals; an object built
 * elsewhere is checked at run time. Options are read once, into plain values: an options object
 * that throws when read (a getter, a revoked Proxy) is an {@link InvalidOptionsError} too.
 */
export interface RequestOptions {
  /**
   * The access token: a Page access token (Messenger, or Instagram through Facebook Login), or an
   * Instagram user token (Instagram Login, with `baseUrl: "https://graph.instagram.com"`).
   *
   * Required. Must be non-empty printable ASCII (no whitespace, control or non-ASCII characters:
   * Graph's tokens never have them, and a header could not carry them), at most 4096 characters.
   * The token alone: one starting with `"Bearer "` is refused, with a hint to drop the prefix
   * (the package adds it when {@link tokenIn} is `"header"`).
   * Where it goes is {@link tokenIn}. It never appears in anything the package returns or throws.
   */
  accessToken: string;

  /**
   * The fields Graph should return for each object, as Graph's comma-separated list or as an
   * array (joined with commas). Field expansion is allowed, e.g.
   * `"id,updated_time,messages.limit(10){id,message,from,created_time}"`.
   *
   * Default: not sent; Graph then returns only `id` and `updated_time` for a conversation, `id`
   * and `created_time` for a message.
   */
  fields?: string | readonly string[] | undefined;

  /**
   * Page size: how many objects Graph should return at most, an integer from 1 to 1000. A hint:
   * Graph may return fewer, and a short (even empty) page does not mean the end. Use
   * `paging.nextCursor` to know whether there is more.
   *
   * Default: not sent (Graph's default page size).
   */
  limit?: number | undefined;

  /**
   * Continue after this cursor: pass a previous page's `paging.nextCursor`. Not with
   * {@link before}. Cursors are opaque and short-lived: don't store them for later.
   */
  after?: string | undefined;

  /**
   * Go back before this cursor: pass a previous page's `paging.previousCursor`. Not with
   * {@link after}.
   */
  before?: string | undefined;

  /**
   * The Graph API version, like `"v25.0"`.
   *
   * Default: {@link GRAPH_API_VERSION}, a current version pinned in the package. (Graph silently
   * serves an expired version as the oldest live one, so an explicit version is always sent.)
   */
  apiVersion?: string | undefined;

  /**
   * The Graph host, an `http:` or `https:` URL. It may carry a path prefix (a proxy), e.g.
   * `"https://example.com/graph"`. Use `"https://graph.instagram.com"` with Instagram Login
   * tokens. The host is a name of ASCII letters, digits, `.`, `-` and `_` (an internationalized
   * name in its `xn--` form), or an IP address (`[…]` for IPv6); no credentials, query or fragment.
   * A path ending in a version segment (`"https://graph.facebook.com/v25.0"`) is refused: the
   * version is {@link apiVersion}.
   *
   * Requests never follow redirects: a 3xx answer is an {@link InvalidResponseError} (with its
   * `status`), and nothing is sent to its `Location`.
   *
   * Default: `"https://graph.facebook.com"`.
   */
  baseUrl?: string | undefined;

  /**
   * Where the access token goes:
   * - `"query"`: the `access_token` query parameter. In a browser this keeps the request a
   *   *simple* CORS request (no preflight), which Graph handles well.
   * - `"header"`: `Authorization: Bearer …`, which keeps the token out of URLs and logs.
   *
   * Default: `"query"` in a browser window (where both `window` and `document` exist), `"header"`
   * everywhere else (Node, Workers, web workers).
   */
  tokenIn?: "query" | "header" | undefined;

  /**
   * The app secret: with it, the package computes an `appsecret_proof` (the HMAC of the access
   * token) and sends it with every request, every page included.
   *
   * Refused in a browser window unless {@link dangerouslyAllowAppSecretInBrowser} is true: the app
   * secret must never reach a browser. Not with {@link appSecretProof}.
   */
  appSecret?: string | undefined;

  /**
   * With {@link appSecret} (refused without it): send the timed proof instead, the HMAC of
   * `token|unix_seconds` with `appsecret_time`, computed fresh for each request and each attempt.
   *
   * Default: false.
   */
  timedAppSecretProof?: boolean | undefined;

  /**
   * Allow {@link appSecret} in a browser window. Only for local experiments: anyone using that
   * browser can read the secret.
   *
   * Default: false.
   */
  dangerouslyAllowAppSecretInBrowser?: boolean | undefined;

  /**
   * An `appsecret_proof` computed elsewhere, e.g. by a backend with {@link appSecretProof} (the
   * function): 64 hexadecimal characters, sent with every request. Not with {@link appSecret}.
   */
  appSecretProof?: string | undefined;

  /**
   * With {@link appSecretProof} (refused without it): the time, an integer in Unix seconds, the
   * proof was computed for; sent as `appsecret_time`. Graph accepts a timed proof for about 5
   * minutes.
   */
  appSecretTime?: number | undefined;

  /**
   * Cancels the call: the request in flight, retries and the waits between them. The call then
   * rejects with `signal.reason`, unchanged (as `fetch` does).
   */
  signal?: AbortSignal | undefined;

  /**
   * Time limit for each attempt, in milliseconds: a positive integer (more than 2147483647,
   * `setTimeout`'s longest wait, counts as that). An attempt past it fails with
   * {@link TimeoutError} (which is retried).
   *
   * Default: 30000.
   */
  timeoutMs?: number | undefined;

  /**
   * How many times a transient failure is retried: an integer >= 0 (0: never).
   *
   * Retried: network failures, attempts past `timeoutMs`, HTTP 5xx answers without a Graph error
   * envelope, Graph errors flagged `is_transient` (and codes 1 and 2, Graph's temporary errors),
   * and rate limits. Never retried: auth, permission, policy-block and invalid-request errors,
   * other non-JSON answers, bad options.
   * Waits grow exponentially with jitter; a rate limit with a known `retryAfterMs` waits that long,
   * or is thrown at once when that is over 60 seconds.
   *
   * Default: 2.
   */
  maxRetries?: number | undefined;

  /**
   * Pacing: at most this many requests per second for one Page, shared with every other paced
   * call for the same Page in this instance (one-page calls and pagers alike), retries included.
   * 0, or a number from 0.01 to 1000; anything else is refused. 0 turns pacing off.
   *
   * The Page is `pageId` for conversations. Messages are paced with their Page's conversations
   * when `pageId` is given to {@link listMessages} / {@link paginateMessages}, else per
   * conversation.
   *
   * Turns are given in order of asking. A call aborted (through {@link signal}) or dropped (a
   * pager left) while it waits for its turn gives the turn back: nothing is sent, and nobody
   * waits for it.
   *
   * Default: one-page calls ({@link listConversations}, {@link listMessages}) are not paced unless
   * this is given; pagers pace at 2 (Graph's Conversations API rate: 2 calls per second per
   * Page).
   */
  requestsPerSecond?: number | undefined;

  /**
   * **Workers only; refused elsewhere** (Node, browsers) with {@link InvalidOptionsError}.
   * The fleet gate: a Durable Object namespace bound to {@link ConversationsGate}
   * (`env.CONVERSATIONS_GATE`). With it, the Page's requests are paced (at
   * {@link requestsPerSecond}, default 2), backed off and coalesced fleet-wide, by one object per
   * Page, instead of in this isolate. When the object cannot be reached or is overloaded, the
   * call falls back to pacing in its isolate and logs one warning per isolate.
   */
  gate?: ConversationsGateNamespace | undefined;
}

/**
 * What the {@link RequestOptions.gate | gate} option takes: a Durable Object namespace binding
 * (Cloudflare's `DurableObjectNamespace`, which has these methods) bound to
 * {@link ConversationsGate}. Typed loosely so that no Workers types are needed.
 */
export interface ConversationsGateNamespace {
  /** The id of the object named `name` (the package names one per Page). */
  idFromName(name: string): unknown;
  /** A stub of the object of `id`. */
  get(id: any): unknown;
}

/** Where Graph files a conversation: the `folder` option of {@link listConversations}. */
export type ConversationFolder = "inbox" | "other" | "page_done" | "spam";

/** Which conversations: the `platform` option of {@link listConversations}. */
export type ConversationPlatform = "messenger" | "instagram";

/** Options of {@link listConversations}. */
export interface ListConversationsOptions extends RequestOptions {
  /**
   * The Page (or Instagram account) whose conversations to list: its numeric id as a string, or
   * `"me"` (with an Instagram Login token, or for the Page a Page token belongs to). Required;
   * anything else is refused.
   */
  pageId: string;

  /**
   * Which platform's conversations: `"messenger"` or `"instagram"`. Typed lower-case, but
   * checked case-insensitively at run time (Meta's docs write `"INSTAGRAM"`); anything else is
   * refused.
   *
   * Default: not sent (Graph's default view; Meta documents no default platform).
   */
  platform?: ConversationPlatform | undefined;

  /**
   * Only the conversations in this folder: `"inbox"`, `"other"`, `"page_done"` (archived, "Done")
   * or `"spam"`. Anything else is refused.
   *
   * Default: not sent (Graph's default).
   */
  folder?: ConversationFolder | undefined;

  /**
   * Only the conversation with this person: their page-scoped id (PSID, Messenger) or
   * Instagram-scoped id (IGSID), a string of digits.
   */
  userId?: string | undefined;
}

/** Options of {@link listMessages}. No `folder`, `platform` or `userId`: those are refused. */
export interface ListMessagesOptions extends RequestOptions {
  /**
   * The conversation whose messages to list: a conversation's `id`, e.g. `"t_587956915396498"`
   * (Messenger) or Instagram's base64-like ids. Required. Letters, digits and `_ - : . =` only,
   * and not `.` or `..`; anything else is refused.
   */
  conversationId: string;

  /**
   * The Page the conversation belongs to (digits, or `"me"`), whose request budget its messages
   * share; not sent to Graph. With it, these requests are paced (see
   * {@link RequestOptions.requestsPerSecond}) together with that Page's conversations; without
   * it, per conversation.
   */
  pageId?: string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

/** Where to continue from. Cursors are opaque and short-lived; they never contain the token. */
export interface PageCursors {
  /** Non-null exactly when Graph says a next page exists: pass it back as `after`. This is the
   * only reliable end signal (a short or empty page does not mean the end). */
  nextCursor: string | null;
  /** Non-null exactly when Graph says a previous page exists: pass it back as `before`. */
  previousCursor: string | null;
}

/**
 * One page of conversations, from {@link listConversations}.
 * @typeParam C The type of the conversations: {@link Conversation} and the `Extra` fields.
 */
export interface ConversationPage<C extends Conversation = Conversation> {
  /** Graph's conversation objects exactly as returned (snake_case field names), except that
   * nested paging links are cleaned of the access token. May be empty even when there is a next
   * page. */
  data: C[];
  /** Where to continue from. */
  paging: PageCursors;
  /** The rate-limit usage Graph reported in its headers; null when none could be read (headers
   * are absent at low usage, and browsers usually cannot read them). */
  usage: RateLimitUsage | null;
}

/**
 * One page of messages, from {@link listMessages}.
 * @typeParam M The type of the messages: {@link Message} and the `Extra` fields.
 */
export interface MessagePage<M extends Message = Message> {
  /** Graph's message objects exactly as returned (snake_case field names), newest first, except
   * that nested paging links are cleaned of the access token. */
  data: M[];
  /** Where to continue from. */
  paging: PageCursors;
  /** The rate-limit usage Graph reported in its headers; null when none could be read. */
  usage: RateLimitUsage | null;
}

/**
 * Graph's rate-limit usage, parsed from the answer's headers. A header that is absent or does
 * not parse is left out (null or empty), never fatal.
 */
export interface RateLimitUsage {
  /** From `X-App-Usage`: the app's usage, in percent of its hourly window. */
  app: UsageFigures | null;
  /** From `X-Page-Usage` (legacy): the Page's usage; values can exceed 100. */
  page: UsageFigures | null;
  /** From `X-Business-Use-Case-Usage`: by object id (e.g. the Page id), the usage of each
   * business use case. Empty when the header is absent. */
  businessUseCase: Record<string, BusinessUseCaseUsage[]>;
}

/** Usage figures, in percent of the allowed amount (ints or floats, as Graph sends them). */
export interface UsageFigures {
  /** Share of the allowed number of calls used (`call_count`). */
  callCount: number;
  /** Share of the allowed total time used (`total_time`). */
  totalTime: number;
  /** Share of the allowed CPU time used (`total_cputime`). */
  totalCputime: number;
}

/** The usage of one business use case, from `X-Business-Use-Case-Usage`. */
export interface BusinessUseCaseUsage extends UsageFigures {
  /** The use case: `"messenger"`, `"pages"`, `"instagram"`, `"ads_management"`, … */
  type: string;
  /** How long until calls are allowed again, in minutes, as Graph sends it
   * (`estimated_time_to_regain_access`); 0 when not limited. */
  estimatedTimeToRegainAccessMinutes: number;
}

// ---------------------------------------------------------------------------------------------
// Graph's objects (snake_case, as Graph returns them; only the requested fields are present)
// ---------------------------------------------------------------------------------------------

/**
 * A nested edge inside an object, e.g. a conversation's `participants` or `messages`.
 * @typeParam T The type of the edge's items.
 */
export interface Edge<T> {
  /** The edge's items. */
  data: T[];
  /** Graph's own paging of the nested edge, when it sent one. */
  paging?: NestedPaging;
}

/**
 * Graph's paging object of a nested edge, as Graph sent it, except that the `next` / `previous`
 * links are cleaned of the access token (and of `appsecret_proof`); to follow one, add your own
 * credentials. To page through a conversation's messages, {@link listMessages} with the
 * conversation's id is usually simpler.
 */
export interface NestedPaging {
  /** Graph's cursors for the nested edge. */
  cursors?: {
    /** Cursor of the first item. */
    before?: string;
    /** Cursor of the last item (present even on the last page). */
    after?: string;
  };
  /** Link to the next items of the edge, without the access token; absent at the end. */
  next?: string;
  /** Link to the previous items of the edge, without the access token. */
  previous?: string;
}

/**
 * A conversation (Graph's `UnifiedThread`). Only `id` is always present: Graph returns the
 * requested `fields`, and leaves out those without data, so every other field is optional.
 *
 * Only the fields declared here can be read, so a typo (`c.snipet`) does not compile. To read a
 * field Graph has that is not declared here, declare it through the `Extra` type parameter of the
 * call (optional unless you always request it), and it is typed on every item:
 *
 * ```ts
 * const page = await listConversations<{ custom_label?: string }>({ ...options, fields: "id,custom_label" });
 * page.data[0]?.custom_label; // string | undefined
 * ```
 *
 * `Extra` may also refine a declared field, e.g. `{ messages?: Edge<Message & { custom?: number }> }`.
 */
export interface Conversation {
  /** The conversation's id, e.g. `"t_587956915396498"`; use it as `conversationId`. */
  id: string;
  /** When the conversation last changed, like `"2021-07-23T09:28:50+0000"`. The offset has no
   * colon, so this is not RFC 3339: V8 (Chrome, Node, Workers) parses it with `new Date()`, other
   * engines may not; `s.replace(/([+-]\d\d)(\d\d)$/, "$1:$2")` makes it portable. */
  updated_time?: string;
  /** Link to the conversation in the Page inbox, often a relative path like
   * `"/PAGEID/inbox/THREADID/"`. */
  link?: string;
  /** The last message's text, shortened. */
  snippet?: string;
  /** Number of messages in the conversation. */
  message_count?: number;
  /** Number of unread messages; Graph leaves it out when zero. */
  unread_count?: number;
  /** The people in the conversation (the Page or account included). */
  participants?: Edge<Participant>;
  /** The people who sent messages in the conversation. */
  senders?: Edge<Participant>;
  /** People who were in the conversation and left it. */
  former_participants?: Edge<Participant>;
  /** Whether the Page can reply in the conversation. */
  can_reply?: boolean;
  /** Whether the Page is subscribed to the conversation. */
  is_subscribed?: boolean;
  /** Whether the app owns the conversation (only with conversation routing / handover). */
  is_owner?: boolean;
  /** The conversation's name (group conversations). */
  name?: string;
  /** The conversation's subject. */
  subject?: string;
  /** Scoped thread key. */
  scoped_thread_key?: string;
  /** The conversation's wallpaper (a URL). */
  wallpaper?: string;
  /** The folder the conversation is in. */
  folder?: string;
  /** The conversation's messages, newest first, when requested (e.g.
   * `messages.limit(10){id,message,from,created_time}`). */
  messages?: Edge<Message>;
}

/** A person (or Page) on Messenger. Fields present as requested. */
export interface MessengerParticipant {
  /** The person's page-scoped id (PSID), or the Page's id. */
  id: string;
  /** Display name. */
  name?: string;
  /** `"<psid>@facebook.com"`: a relay address, not the person's real email. */
  email?: string;
  /** Never on Messenger. */
  username?: undefined;
}

/** A person (or account) on Instagram. Fields present as requested. */
export interface InstagramParticipant {
  /** The person's Instagram-scoped id (IGSID), or the account's id. */
  id: string;
  /** Instagram username. */
  username?: string;
  /** Never on Instagram. */
  name?: undefined;
  /** Never on Instagram. */
  email?: undefined;
}

/**
 * A participant, sender or message author: `{ id, name, email }` on Messenger, `{ id, username }`
 * on Instagram. Every field can be read on either; `participant.username !== undefined`
 * narrows to {@link InstagramParticipant}, `participant.name !== undefined` to
 * {@link MessengerParticipant}.
 */
export type Participant = MessengerParticipant | InstagramParticipant;

/**
 * A message. Only `id` is always present: Graph returns the requested `fields`, and leaves out
 * those without data, so every other field is optional. Only the fields declared here can be
 * read; declare others through the `Extra` type parameter of {@link listMessages} /
 * {@link paginateMessages} (see {@link Conversation}).
 */
export interface Message {
  /** The message's id. */
  id: string;
  /** When it was sent, like `"2021-07-23T09:28:50+0000"` (see {@link Conversation.updated_time}
   * about parsing it). */
  created_time?: string;
  /** The text; may be empty (e.g. attachments only). */
  message?: string;
  /** Who sent it. */
  from?: Participant;
  /** Who it was sent to. */
  to?: Edge<Participant>;
  /** Files, images, videos and audio attached. */
  attachments?: Edge<Attachment>;
  /** URL of the sticker image, when the message is a sticker. */
  sticker?: string;
  /** Shared items: links, posts, products. */
  shares?: Edge<MessageShare>;
  /** Instagram: the story this message mentions or replies to. */
  story?: MessageStory;
  /** Reactions to the message. */
  reactions?: Edge<MessageReaction>;
  /** The message this one replies to. */
  reply_to?: MessageReplyTo;
  /** Graph's tags of the message, e.g. `{ name: "inbox" }`, `{ name: "read" }`, `{ name: "source:chat" }`. */
  tags?: Edge<MessageTag>;
  /** True when the message's content type is not supported by the API (present only when true). */
  is_unsupported?: boolean;
}

/** A file attached to a message. Fields present as Graph sent them. */
export interface Attachment {
  /** The attachment's id. */
  id?: string;
  /** MIME type, e.g. `"image/jpeg"`. */
  mime_type?: string;
  /** File name. */
  name?: string;
  /** Size in bytes. */
  size?: number;
  /** URL of the file (non-image, non-video attachments). */
  file_url?: string;
  /** For images. */
  image_data?: AttachmentImageData;
  /** For videos. */
  video_data?: AttachmentVideoData;
  /** Other fields Graph sends. */
  [field: string]: unknown;
}

/** An attached image (Graph's `image_data`). */
export interface AttachmentImageData {
  /** URL of the full image (short-lived, signed CDN URL). */
  url?: string;
  /** URL of a preview. */
  preview_url?: string;
  /** Width in pixels. */
  width?: number;
  /** Height in pixels. */
  height?: number;
  /** Largest width the image may be shown at. */
  max_width?: number;
  /** Largest height the image may be shown at. */
  max_height?: number;
  /** Graph's image type code. */
  image_type?: number;
  /** Whether to render it as a sticker. */
  render_as_sticker?: boolean;
  /** URL of the animated GIF, for GIFs. */
  animated_gif_url?: string;
  /** URL of the animated GIF's preview. */
  animated_gif_preview_url?: string;
  /** Other fields Graph sends. */
  [field: string]: unknown;
}

/** An attached video (Graph's `video_data`). */
export interface AttachmentVideoData {
  /** URL of the video (short-lived, signed CDN URL). */
  url?: string;
  /** URL of a preview image. */
  preview_url?: string;
  /** Width in pixels. */
  width?: number;
  /** Height in pixels. */
  height?: number;
  /** Other fields Graph sends. */
  [field: string]: unknown;
}

/** A shared item in a message. */
export interface MessageShare {
  /** The shared link. */
  link?: string;
  /** Its title. */
  name?: string;
  /** Its description. */
  description?: string;
  /** Other fields Graph sends. */
  [field: string]: unknown;
}

/** Instagram: the story a message refers to. */
export interface MessageStory {
  /** The story in which the sender mentioned the account. */
  mention?: { link?: string; id?: string; [field: string]: unknown };
  /** The story the message replies to. */
  reply_to?: { link?: string; id?: string; [field: string]: unknown };
  /** Other fields Graph sends. */
  [field: string]: unknown;
}

/** A reaction to a message. */
export interface MessageReaction {
  /** The reaction, e.g. `"love"`. */
  reaction?: string;
  /** The emoji. */
  emoji?: string;
  /** Who reacted so. */
  users?: Participant[];
  /** Other fields Graph sends. */
  [field: string]: unknown;
}

/** The message a message replies to. */
export interface MessageReplyTo {
  /** Id of the message replied to. */
  mid?: string;
  /** Whether the sender replied to their own message. */
  is_self_reply?: boolean;
  /** Other fields Graph sends. */
  [field: string]: unknown;
}

/** A tag of a message. */
export interface MessageTag {
  /** The tag, e.g. `"inbox"`, `"read"`, `"sent"`, `"source:chat"`. */
  name: string;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** The `code` of a {@link GraphApiError} or of one of its subclasses. */
export type GraphApiErrorCode =
  | "ERR_GRAPH_API"
  | "ERR_GRAPH_AUTH"
  | "ERR_GRAPH_PERMISSION"
  | "ERR_GRAPH_RATE_LIMIT"
  | "ERR_GRAPH_INVALID_REQUEST"
  | "ERR_GRAPH_POLICY_BLOCK";

/** The `code` of any error the package throws. */
export type GraphErrorCode =
  | GraphApiErrorCode
  | "ERR_NETWORK"
  | "ERR_TIMEOUT"
  | "ERR_INVALID_RESPONSE"
  | "ERR_INVALID_OPTIONS"
  | "ERR_PAGING"
  | "ERR_WEBHOOK";

/** The second constructor argument of {@link GraphError}. */
export interface GraphErrorDetails {
  /** The underlying error; becomes `error.cause`. */
  cause?: unknown;
}

/** The second constructor argument of {@link GraphApiError} and its subclasses: its fields. */
export interface GraphApiErrorDetails extends GraphErrorDetails {
  /** See {@link BaseGraphApiError.status}. */
  status?: number;
  /** See {@link BaseGraphApiError.graphCode}. */
  graphCode?: number | null;
  /** See {@link BaseGraphApiError.graphSubcode}. */
  graphSubcode?: number | null;
  /** See {@link BaseGraphApiError.graphType}. */
  graphType?: string | null;
  /** See {@link BaseGraphApiError.fbtraceId}. */
  fbtraceId?: string | null;
  /** See {@link BaseGraphApiError.userTitle}. */
  userTitle?: string | null;
  /** See {@link BaseGraphApiError.userMessage}. */
  userMessage?: string | null;
  /** See {@link BaseGraphApiError.isTransient}. Default false. */
  isTransient?: boolean;
  /** See {@link BaseGraphApiError.usage}. */
  usage?: RateLimitUsage | null;
}

/** The second constructor argument of {@link RateLimitError}. */
export interface RateLimitErrorDetails extends GraphApiErrorDetails {
  /** See {@link RateLimitError.retryAfterMs}. */
  retryAfterMs?: number | null;
}

/** What `toJSON()` returns: a plain, JSON-safe copy of an error, without `stack` or `cause`. */
export interface GraphErrorJSON {
  /** The class name. */
  name: string;
  /** The stable code (undefined only on a plain `new GraphError(…)`). */
  code: GraphErrorCode | undefined;
  /** The message. */
  message: string;
  /** The class's fields (`status`, `graphCode`, `option`, …). */
  [field: string]: unknown;
}

// How `instanceof` and `code` narrow. `GraphError` and `GraphApiError` are each declared as a
// constructor value plus a type of the same name. The type is the union of the concrete classes
// below it, each with a literal `code`, and the constructor's `prototype` has that union type:
// TypeScript narrows `x instanceof C` to the type of `C.prototype`. So after
// `e instanceof GraphError`, `e.code === "ERR_GRAPH_RATE_LIMIT"` (or a `switch (e.code)`) narrows
// `e` to `RateLimitError`, and a value typed `GraphError` narrows the same way. The leaf classes
// are ordinary classes, and `instanceof` on each of them narrows to it.

/**
 * Any error the package throws: catch it with `error instanceof GraphError`. (Aborts through
 * `signal` are the exception: the call rejects with `signal.reason`, unchanged, as `fetch`
 * does; that is not a `GraphError`.)
 *
 * As a type, this is the union of the concrete error classes, each with its own literal
 * {@link BaseGraphError.code | code}, so `code` narrows it:
 *
 * ```ts
 * try {
 *   await listConversations(options);
 * } catch (e) {
 *   if (e instanceof GraphError && e.code === "ERR_GRAPH_RATE_LIMIT") wait(e.retryAfterMs ?? 60_000);
 *   else throw e;
 * }
 * ```
 *
 * Every one is a real `Error`; `name` is its class name. `message`, `stack`, `toJSON()` and every
 * property are free of the access token, the app secret and any URL carrying them. `stack` shows
 * where the caller made the call, not only the package's internals.
 */
export type GraphError =
  | GraphApiError
  | NetworkError
  | TimeoutError
  | InvalidResponseError
  | InvalidOptionsError
  | PagingError
  | WebhookError;

/**
 * Base class of every error the package throws; `error instanceof GraphError` narrows `error` to
 * the {@link GraphError} union. The package never throws a plain `GraphError`, only its
 * subclasses. `new GraphError(…)` works (e.g. in test doubles), but a class extending it directly
 * does not type-check unless it is one of the union's members: construct or extend the concrete
 * classes instead.
 */
export declare const GraphError: GraphErrorConstructor;

/** The type of the {@link GraphError} constructor. */
export interface GraphErrorConstructor {
  /**
   * @param message What went wrong.
   * @param details `cause`: the underlying error.
   */
  new (message?: string, details?: GraphErrorDetails): BaseGraphError;
  /** What `instanceof GraphError` narrows to: any error the package throws. */
  readonly prototype: GraphError;
}

/** What every error of the package has: what `new GraphError(…)` returns, and the base of every
 * error class. */
export interface BaseGraphError extends Error {
  /** The stable code of the error's class, e.g. `"ERR_GRAPH_AUTH"`: a literal type on each
   * class, so comparing it narrows a {@link GraphError}. Undefined only on a plain
   * `new GraphError(…)`, which the package never throws. */
  readonly code: GraphErrorCode | undefined;
  /** A plain, JSON-safe copy: `{ name, code, message, ...fields }`, without `stack` or `cause`. */
  toJSON(): GraphErrorJSON;
}

/**
 * Graph answered with an `{"error": …}` envelope (at any HTTP status, 200 included): any of
 * {@link OtherGraphApiError} (code `"ERR_GRAPH_API"`, an envelope none of the subclasses covers),
 * {@link AuthError}, {@link PermissionError}, {@link RateLimitError}, {@link InvalidRequestError}
 * or {@link PolicyBlockError}. Each carries Graph's error fields (see {@link BaseGraphApiError});
 * `code` narrows the union.
 */
export type GraphApiError =
  | OtherGraphApiError
  | AuthError
  | PermissionError
  | RateLimitError
  | InvalidRequestError
  | PolicyBlockError;

/**
 * Base class of the errors of Graph's `{"error": …}` envelopes; `error instanceof GraphApiError`
 * narrows `error` to the {@link GraphApiError} union. Thrown itself (as an
 * {@link OtherGraphApiError}, code `"ERR_GRAPH_API"`) for an envelope none of the subclasses
 * covers. Like {@link GraphError}, extend its concrete subclasses rather than it.
 */
export declare const GraphApiError: GraphApiErrorConstructor;

/** The type of the {@link GraphApiError} constructor. */
export interface GraphApiErrorConstructor {
  /**
   * @param message What went wrong; includes Graph's own message.
   * @param details Graph's error fields, and `cause`.
   */
  new (message?: string, details?: GraphApiErrorDetails): BaseGraphApiError;
  /** What `instanceof GraphApiError` narrows to: any Graph error envelope. */
  readonly prototype: GraphApiError;
}

/**
 * What every {@link GraphApiError} has: Graph's error fields. Retried when Graph flags it
 * {@link isTransient}, and for codes 1 and 2 (Graph's temporary errors). `message` includes
 * Graph's own message.
 */
export interface BaseGraphApiError extends BaseGraphError {
  /** `"ERR_GRAPH_API"`, or the subclass's code. */
  readonly code: GraphApiErrorCode;
  /** The HTTP status of Graph's answer (usually 400; can be 403, 500, or 200). */
  readonly status: number;
  /** Graph's `error.code`, e.g. `190`; null when Graph sent none. */
  readonly graphCode: number | null;
  /** Graph's `error.error_subcode`, e.g. `463` (expired token); null when Graph sent none. */
  readonly graphSubcode: number | null;
  /** Graph's `error.type`, e.g. `"OAuthException"` (rate limits have it too: don't classify by
   * it); null when Graph sent none. */
  readonly graphType: string | null;
  /** Graph's `error.fbtrace_id`, to quote to Meta support; null when Graph sent none. */
  readonly fbtraceId: string | null;
  /** Graph's `error.error_user_title`, a title meant for end users; null when Graph sent none. */
  readonly userTitle: string | null;
  /** Graph's `error.error_user_msg`, a message meant for end users; null when Graph sent none. */
  readonly userMessage: string | null;
  /** Graph's own `error.is_transient` flag; false when absent. */
  readonly isTransient: boolean;
  /** The rate-limit usage from the answer's headers; null when none could be read. */
  readonly usage: RateLimitUsage | null;
  /** A plain, JSON-safe copy of the error and its fields. */
  toJSON(): GraphApiErrorJSON;
}

/**
 * A Graph error envelope that none of the subclasses of {@link GraphApiError} covers, e.g. a
 * temporary error (codes 1, 2) or an unknown code. Thrown as an instance of `GraphApiError`
 * itself.
 */
export interface OtherGraphApiError extends BaseGraphApiError {
  /** Always `"ERR_GRAPH_API"`. */
  readonly code: "ERR_GRAPH_API";
}

/** What `GraphApiError.toJSON()` returns. */
export interface GraphApiErrorJSON extends GraphErrorJSON {
  /** See {@link BaseGraphApiError.code}. */
  code: GraphApiErrorCode;
  /** See {@link BaseGraphApiError.status}. */
  status: number;
  /** See {@link BaseGraphApiError.graphCode}. */
  graphCode: number | null;
  /** See {@link BaseGraphApiError.graphSubcode}. */
  graphSubcode: number | null;
  /** See {@link BaseGraphApiError.graphType}. */
  graphType: string | null;
  /** See {@link BaseGraphApiError.fbtraceId}. */
  fbtraceId: string | null;
  /** See {@link BaseGraphApiError.userTitle}. */
  userTitle: string | null;
  /** See {@link BaseGraphApiError.userMessage}. */
  userMessage: string | null;
  /** See {@link BaseGraphApiError.isTransient}. */
  isTransient: boolean;
  /** See {@link BaseGraphApiError.usage}. */
  usage: RateLimitUsage | null;
}

/**
 * The access token is invalid, expired or revoked, or the session is invalid: Graph codes 102,
 * 190 (any subcode: 463 expired, 460 password changed, 492 no role on the Page, …), and 2500 when
 * its message is about the access token. Never retried: get a new token.
 */
export declare class AuthError extends GraphApiError {
  /** Always `"ERR_GRAPH_AUTH"`. */
  readonly code: "ERR_GRAPH_AUTH";
}

/**
 * A permission is missing, or permissions disallow the action: Graph codes 3, 10, 200-299, 230.
 * Never retried.
 */
export declare class PermissionError extends GraphApiError {
  /** Always `"ERR_GRAPH_PERMISSION"`. */
  readonly code: "ERR_GRAPH_PERMISSION";
}

/**
 * A rate limit was reached: Graph codes 4, 17, 32, 341, 613, 80000-80014. Retried (up to
 * `maxRetries`), after {@link retryAfterMs} when known; thrown at once when that is over 60
 * seconds. Meta's advice: stop calling until the usage goes down.
 */
export declare class RateLimitError extends GraphApiError {
  /**
   * @param message What went wrong; includes Graph's own message.
   * @param details Graph's error fields, `retryAfterMs`, and `cause`.
   */
  constructor(message?: string, details?: RateLimitErrorDetails);
  /** Always `"ERR_GRAPH_RATE_LIMIT"`. */
  readonly code: "ERR_GRAPH_RATE_LIMIT";
  /** How long until calls are allowed again, in milliseconds: from
   * `estimated_time_to_regain_access` in a usage header (the largest if several give one; 0 when
   * Graph says 0, and then the retry waits the usual backoff); null when no header gives one. */
  readonly retryAfterMs: number | null;
  /** A plain, JSON-safe copy of the error and its fields. */
  toJSON(): GraphApiErrorJSON & { code: "ERR_GRAPH_RATE_LIMIT"; retryAfterMs: number | null };
}

/**
 * Graph refused the request: codes 100 (invalid parameter, invalid cursor, "requires
 * appsecret_proof"), 104 (incorrect `appsecret_proof`), 2500 (error parsing the query, e.g. bad
 * `fields`). Never retried.
 */
export declare class InvalidRequestError extends GraphApiError {
  /** Always `"ERR_GRAPH_INVALID_REQUEST"`. */
  readonly code: "ERR_GRAPH_INVALID_REQUEST";
}

/** Blocked for policy reasons: Graph code 368. Never retried. */
export declare class PolicyBlockError extends GraphApiError {
  /** Always `"ERR_GRAPH_POLICY_BLOCK"`. */
  readonly code: "ERR_GRAPH_POLICY_BLOCK";
}

/**
 * `fetch` itself failed: offline, connection refused, DNS, or CORS (in a browser, a CORS failure
 * looks like a network failure). Retried.
 *
 * Its `message` names the method, the host and the path it tried (never the token, a proof or
 * the query) and the runtime's own reason (`ECONNREFUSED`, a DNS failure, `Failed to fetch`);
 * that reason is also its `cause`.
 *
 * In a browser, loading the `.wasm` module can fail too (offline, a wrong {@link init} URL): the
 * call that needed it rejects with a `NetworkError` (or an {@link InvalidResponseError} when
 * something else than the module came back), and the next call tries to load it again.
 */
export declare class NetworkError extends GraphError {
  /** Always `"ERR_NETWORK"`. */
  readonly code: "ERR_NETWORK";
  /** The runtime's own error, as `fetch` threw it (the reason the `message` names). */
  readonly cause: unknown;
}

/** An attempt ran past `timeoutMs`. Retried. */
export declare class TimeoutError extends GraphError {
  /**
   * @param message What went wrong.
   * @param details `timeoutMs`, and `cause`.
   */
  constructor(message?: string, details?: GraphErrorDetails & { timeoutMs?: number | null });
  /** Always `"ERR_TIMEOUT"`. */
  readonly code: "ERR_TIMEOUT";
  /** The per-attempt limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number | null;
  /** A plain, JSON-safe copy of the error and its fields. */
  toJSON(): GraphErrorJSON & { code: "ERR_TIMEOUT"; timeoutMs: number | null };
}

/**
 * The answer was not what Graph sends: not JSON, truncated, HTML (e.g. from a proxy), or JSON of
 * an unexpected shape; or a redirect (3xx): redirects are never followed, and nothing (no header
 * either) is sent to their `Location`. Retried only for HTTP 5xx answers.
 *
 * In a browser, also what a call rejects with when something else than the `.wasm` module came
 * back for it (e.g. an HTML page from a wrong {@link init} URL); the next call tries again.
 */
export declare class InvalidResponseError extends GraphError {
  /**
   * @param message What went wrong.
   * @param details `status`, and `cause`.
   */
  constructor(message?: string, details?: GraphErrorDetails & { status?: number | null });
  /** Always `"ERR_INVALID_RESPONSE"`. */
  readonly code: "ERR_INVALID_RESPONSE";
  /** The HTTP status of the answer (e.g. 302 for a redirect, 502 from a proxy). */
  readonly status: number | null;
  /** A plain, JSON-safe copy of the error and its fields. */
  toJSON(): GraphErrorJSON & { code: "ERR_INVALID_RESPONSE"; status: number | null };
}

/**
 * An option was refused, before any request was sent: a bad value, a missing required option,
 * two options that exclude each other, or an option this call does not take (a typo such as
 * `cursor` or `pageID`, `folder` on {@link listMessages}, `maxPages` on a one-page call; the
 * `message` suggests the known option when one is close). Also an options object that throws
 * when read (a getter, a revoked Proxy). Never retried.
 */
export declare class InvalidOptionsError extends GraphError {
  /**
   * @param message What went wrong.
   * @param details `option`, and `cause`.
   */
  constructor(message?: string, details?: GraphErrorDetails & { option?: string | null });
  /** Always `"ERR_INVALID_OPTIONS"`. */
  readonly code: "ERR_INVALID_OPTIONS";
  /** The name of the refused option, e.g. `"pageId"`, `"after"`, or the unknown `"cursor"`. */
  readonly option: string | null;
  /** A plain, JSON-safe copy of the error and its fields. */
  toJSON(): GraphErrorJSON & { code: "ERR_INVALID_OPTIONS"; option: string | null };
}

/** Paging made no progress: a cursor repeated, or too many empty pages came in a row. The pager
 * stops rather than loop. */
export declare class PagingError extends GraphError {
  /** Always `"ERR_PAGING"`. */
  readonly code: "ERR_PAGING";
}

/** {@link parseWebhookEvents} was given something that is not a Page or Instagram webhook
 * payload. The `message` says what is wrong and where (positions, never the payload's content). */
export declare class WebhookError extends GraphError {
  /** Always `"ERR_WEBHOOK"`. */
  readonly code: "ERR_WEBHOOK";
}

// Fallbacks so that these types check without the DOM library (e.g. Node with only @types/node,
// or Workers types): empty interfaces merge harmlessly with the real declarations where they
// exist.
declare global {
  interface AbortSignal {}
  interface Request {}
  interface Response {}
  interface URL {}
  namespace WebAssembly {
    interface Module {}
  }
}
