// Error paths that must not leak the access token, the app secret, a proof or a token-bearing
// URL, shared by Node (secrets.test.mjs) and the Worker (its /secrets route, run in workerd).
// No Node imports. Most scenarios add `echo=all`: the mock then repeats the request URL (query
// token and proof included) and the token in the error's message, user title and user message
// (or in the HTML page), so the package has to redact what Graph really sent.

/** A token with URL-, JSON- and HTML-special characters, and distinctive ends to catch a cut-off copy. */
export const SPECIAL_TOKEN = "EAAsp3cialTOKEN\"/\\+%2F&x=1?#<>'();:@$*~!=,TOKtail9";
/** An app secret with special characters too. */
export const SPECIAL_APP_SECRET = "Sup3rS3cret\"/\\+%&=?#<>';APPtail7";
/** Fragments that must never appear either (a secret cut short). */
export const TOKEN_PARTS = ["sp3cialTOKEN", "TOKtail9"];
export const APP_SECRET_PARTS = ["Sup3rS3cret", "APPtail7"];

const PAGE_ID = "1000000000000001";

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** Awaits `promise` and returns what it rejected with (an exception thrown synchronously counts). */
async function thrownBy(call) {
  try {
    await call();
  } catch (err) {
    return err;
  }
  throw new Error("expected an error, got none");
}

/** Iterates a pager to its end or its error. */
async function drain(pager) {
  for await (const item of pager) void item;
}

/**
 * The cases: `{label, expect, run}`; `expect` is the class name of the error, or "abort" (the
 * call must reject with exactly the signal's reason); `run(env)` resolves to
 * `{thrown, extra?, reason?}` (`extra`: more values to scan, e.g. the pages seen before).
 * `env`: `{api, base(spec, extra), closedUrl, token, appSecret}` where `base` gives the options of
 * a call against a scenario (token and app secret set, `maxRetries: 0` unless overridden).
 */
export const SECRET_CASES = [
  // Retries exhausted.
  { label: "retries exhausted: transient Graph error 2", expect: "GraphApiError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("error=2;echo=all", { maxRetries: 1 }))) }) },
  { label: "retries exhausted: rate limit 613", expect: "RateLimitError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("error=613;echo=all", { maxRetries: 1 }))) }) },
  { label: "retries exhausted: rate limit 80006 with a 0.3 s eta", expect: "RateLimitError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("error=80006;eta=0.005;echo=all", { maxRetries: 1 }))) }) },
  { label: "retries exhausted: HTML 503 repeating the URL and token", expect: "InvalidResponseError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("html=503;echo=all", { maxRetries: 1 }))) }) },
  { label: "retries exhausted: connection reset mid-body", expect: "NetworkError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("error=190;echo=all;reset=1", { maxRetries: 1 }))) }) },
  { label: "retries exhausted: timeouts", expect: "TimeoutError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("slow=2000", { maxRetries: 1, timeoutMs: 100 }))) }) },
  { label: "a rate limit asking for 2 minutes (thrown at once)", expect: "RateLimitError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("error=80001;eta=2;echo=all", { maxRetries: 2 }))) }) },
  // Timeouts.
  { label: "timeout, token in the query, timed proof", expect: "TimeoutError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("slow=2000", { timeoutMs: 100, timedAppSecretProof: true }))) }) },
  { label: "timeout, token in a header", expect: "TimeoutError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("slow=2000", { timeoutMs: 100, tokenIn: "header" }))) }) },
  // Network failures.
  { label: "network failure: connection refused", expect: "NetworkError",
    run: async ({ api, base, closedUrl }) => ({ thrown: await thrownBy(() => api.listConversations(base("", { baseUrl: `${closedUrl}/_/x` }))) }) },
  { label: "network failure: connection refused, retried", expect: "NetworkError",
    run: async ({ api, base, closedUrl }) => ({ thrown: await thrownBy(() => api.listMessages({ ...base("", { baseUrl: closedUrl, maxRetries: 1 }), pageId: undefined, conversationId: "t_100000000000001" })) }) },
  // Graph echoing the token.
  { label: "Graph echoing the token: 190, query", expect: "AuthError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("error=190;echo=1"))) }) },
  { label: "Graph echoing the token: 190, header", expect: "AuthError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("error=190;echo=1", { tokenIn: "header" }))) }) },
  { label: "Graph echoing URL and token in every field, timed proof", expect: "AuthError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("error=190.463;echo=all", { timedAppSecretProof: true }))) }) },
  { label: "Graph echoing in a 200 envelope", expect: "InvalidRequestError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("error=100;echo=all;env200=1"))) }) },
  { label: "Graph echoing, answer truncated", expect: "InvalidResponseError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("error=190;echo=all;truncate=1"))) }) },
  { label: "HTML 200 page repeating the URL and token", expect: "InvalidResponseError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("html=200;echo=all"))) }) },
  { label: "messages: Graph echoing everything", expect: "PermissionError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listMessages({ ...base("error=10;echo=all"), pageId: undefined, conversationId: "t_100000000000001" })) }) },
  // Legacy cursors.
  { label: "legacy cursor: an error while continuing from it", expect: "AuthError",
    run: async ({ api, base }) => {
      const page = await api.listConversations(base("legacy=1", { limit: 3, fields: "id,messages.limit(1){id}" }));
      const thrown = await thrownBy(() => api.listConversations(base("legacy=1;error=190;echo=all", { after: page.paging.nextCursor })));
      return { thrown, extra: [page, page.paging.nextCursor] };
    } },
  { label: "legacy cursor refused by Graph (2642)", expect: "InvalidRequestError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => api.listConversations(base("legacy=1;echo=all", { after: "~1.__paging_token=enc_bogus&until=1" }))) }) },
  // PagingError.
  { label: "PagingError: a repeated cursor", expect: "PagingError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => drain(api.paginateConversations(base("repeat=1", { limit: 5, requestsPerSecond: 0 })))) }) },
  { label: "PagingError: a repeated legacy cursor", expect: "PagingError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => drain(api.paginateConversations(base("repeat=1;legacy=1", { limit: 5, requestsPerSecond: 0 })))) }) },
  { label: "PagingError: empty pages forever", expect: "PagingError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => drain(api.paginateConversations(base("emptyforever=1", { requestsPerSecond: 0 })))) }) },
  { label: "PagingError: empty legacy pages forever, timed proof", expect: "PagingError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => drain(api.paginateConversations(base("emptyforever=1;legacy=1", { requestsPerSecond: 0, timedAppSecretProof: true })))) }) },
  // Pagers failing mid-sync.
  { label: "pager: AuthError at the 2nd page, echoed", expect: "AuthError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => drain(api.paginateConversations(base("authat=2;echo=all", { limit: 5, requestsPerSecond: 0 })))) }) },
  { label: "pager: retries exhausted at the 2nd page", expect: "GraphApiError",
    run: async ({ api, base }) => ({ thrown: await thrownBy(() => drain(api.paginateConversations(base("after=1;error=2;echo=all", { limit: 5, maxRetries: 1, requestsPerSecond: 0 })))) }) },
  // Aborts, with any reason.
  { label: "abort with a string during a request", expect: "abort",
    run: async ({ api, base }) => abortDuring((signal) => api.listConversations(base("slow=2000", { signal })), "left the page", 50) },
  { label: "abort without a reason (DOMException) during a request", expect: "abort",
    run: async ({ api, base }) => abortDuring((signal) => api.listConversations(base("slow=2000", { signal })), undefined, 50) },
  { label: "abort with an object during a backoff wait", expect: "abort",
    run: async ({ api, base }) => abortDuring((signal) => api.listConversations(base("error=2;echo=all", { signal, maxRetries: 2 })), { why: "user left" }, 150) },
  { label: "abort with a number before the call", expect: "abort",
    run: async ({ api, base }) => {
      const controller = new AbortController();
      controller.abort(42);
      const thrown = await thrownBy(() => api.listConversations(base("", { signal: controller.signal })));
      return { thrown, same: thrown === controller.signal.reason };
    } },
  { label: "abort a pager during a slow page", expect: "abort",
    run: async ({ api, base }) => abortDuring((signal) => drain(api.paginateConversations(base("after=1;slow=2000", { signal, limit: 5, requestsPerSecond: 0 }))), "stop", 150) },
  // Refused options that hold secrets.
  { label: "the token given as pageId", expect: "InvalidOptionsError",
    run: async ({ api, base, token }) => ({ thrown: await thrownBy(() => api.listConversations(base("", { pageId: token }))) }) },
  { label: "the token given as a cursor, with a space", expect: "InvalidOptionsError",
    run: async ({ api, base, token }) => ({ thrown: await thrownBy(() => api.listConversations(base("", { after: `${token} x` }))) }) },
  { label: "the app secret given as appSecretProof", expect: "InvalidOptionsError",
    run: async ({ api, base, appSecret }) => ({ thrown: await thrownBy(() => api.listConversations(base("", { appSecret: undefined, appSecretProof: appSecret }))) }) },
  { label: "appSecretProof() with an app secret holding a space", expect: "InvalidOptionsError",
    run: async ({ api, token, appSecret }) => ({ thrown: await thrownBy(() => api.appSecretProof(token, `${appSecret} x`)) }) },
];

/** Aborts `call(signal)` after `ms` with `reason` (none when undefined). */
async function abortDuring(call, reason, ms) {
  const controller = new AbortController();
  setTimeout(() => (reason === undefined ? controller.abort() : controller.abort(reason)), ms);
  const promise = call(controller.signal);
  let thrown;
  try {
    await promise;
    throw new Error("expected an abort");
  } catch (err) {
    thrown = err;
  }
  await sleep(0);
  return { thrown, same: thrown === controller.signal.reason };
}

/**
 * The `env` of a case for the package exports `api`, the mock's origin, a run id, and an origin
 * where nothing listens. The scenario turns the proof check off (`proofcheck=0`): the mock does
 * not know this app secret.
 */
export function secretEnv({ api, mockUrl, closedUrl, id, token = SPECIAL_TOKEN, appSecret = SPECIAL_APP_SECRET }) {
  const base = (spec, extra = {}) => {
    const options = {
      pageId: PAGE_ID, accessToken: token, appSecret, tokenIn: "query", maxRetries: 0,
      baseUrl: `${mockUrl}/_/id=${id};proofcheck=0${spec ? `;${spec}` : ""}`, ...extra,
    };
    for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
    return options;
  };
  return { api, base, closedUrl, token, appSecret };
}

/** Runs the case labelled `label` and checks its class: `{thrown, extra, same, name, problems}`. */
export async function runSecretCase(label, env) {
  const testCase = SECRET_CASES.find((c) => c.label === label);
  if (!testCase) throw new Error(`no secret case ${label}`);
  const { thrown, extra = [], same } = await testCase.run(env);
  const problems = [];
  if (testCase.expect === "abort") {
    if (same !== true) problems.push("did not reject with exactly signal.reason");
  } else {
    if (!(thrown instanceof env.api.GraphError)) problems.push(`not a GraphError: ${String(thrown)}`);
    if (thrown?.name !== testCase.expect) problems.push(`expected ${testCase.expect}, got ${thrown?.name}: ${thrown?.message}`);
  }
  return { thrown, extra, same, name: thrown?.name ?? null, problems };
}
