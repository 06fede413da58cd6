// Adversarial option sets, shared by three runtimes: Node (bad-options.test.mjs), workerd (the
// Worker's /bad-options route) and wasm-bindgen-test in Node and headless Chromium (tests/wasm.rs
// imports this file as a snippet). Each must be refused with InvalidOptionsError naming the option,
// before any request is sent. Plain ESM without imports (wasm-bindgen copies this one file), named
// `.js` rather than `.mjs` because wasm-bindgen-test-runner serves `.mjs` snippets as
// application/octet-stream, which Chromium refuses to run as a module (the page then hangs at
// "Loading scripts..."). Non-ASCII characters are written as \u escapes.

const PAGE_ID = "1000000000000001";
const FULL_WIDTH_PAGE_ID = "\uff11\uff10\uff10\uff10\uff10\uff10\uff10\uff10\uff10\uff10\uff10\uff10\uff10\uff10\uff10\uff10\uff11";

/** Returns `base` with `key` set to a value that throws when read. */
function throwingGetter(base, key) {
  const options = { ...base };
  delete options[key];
  Object.defineProperty(options, key, { enumerable: true, get() { throw new Error("getter says no"); } });
  return options;
}

// [label, override (an object merged over the valid base, or a function of the base giving the
// whole options), the option(s) the error may name]. An override value `undefined` removes it.
const CONVERSATIONS = [
  ["pageId path traversal", { pageId: `../${PAGE_ID}` }, "pageId"],
  ["pageId traversal to me", { pageId: `${PAGE_ID}/../../me` }, "pageId"],
  ["pageId query injection", { pageId: `${PAGE_ID}?access_token=EAAother&fields=id` }, "pageId"],
  ["pageId parameter injection", { pageId: `${PAGE_ID}&limit=1000` }, "pageId"],
  ["pageId encoded traversal", { pageId: `${PAGE_ID}%2F..%2Fme` }, "pageId"],
  ["pageId fragment", { pageId: `${PAGE_ID}#x` }, "pageId"],
  ["pageId full-width digits", { pageId: FULL_WIDTH_PAGE_ID }, "pageId"],
  ["pageId Arabic-Indic digits", { pageId: "\u0661\u0662\u0663\u0664\u0665" }, "pageId"],
  ["pageId trailing LF", { pageId: `${PAGE_ID}\n` }, "pageId"],
  ["pageId me/", { pageId: "me/" }, "pageId"],
  ["pageId a number", { pageId: Number(PAGE_ID) }, "pageId"],
  ["pageId a symbol", { pageId: Symbol("pageId") }, "pageId"],
  ["pageId a throwing getter", (base) => throwingGetter(base, "pageId"), "pageId"],
  ["accessToken CR LF header injection", { accessToken: "EAAtok\r\nX-Injected: 1" }, "accessToken"],
  ["accessToken LF", { accessToken: "EAAtok\n" }, "accessToken"],
  ["accessToken NUL", { accessToken: "EAA\u0000tok" }, "accessToken"],
  ["accessToken non-ASCII", { accessToken: "EAAtok\u00e9n" }, "accessToken"],
  ["accessToken U+2028", { accessToken: "EAA\u2028tok" }, "accessToken"],
  ["accessToken an array", { accessToken: ["EAAtok"] }, "accessToken"],
  ["accessToken an object with toString", { accessToken: { toString: () => "EAAtok" } }, "accessToken"],
  ["userId parameter injection", { userId: "123&user_id=456" }, "userId"],
  ["userId full-width digits", { userId: "\uff11\uff12\uff13" }, "userId"],
  ["userId traversal", { userId: "../123" }, "userId"],
  ["userId a number", { userId: 123 }, "userId"],
  ["folder parameter injection", { folder: "inbox&platform=instagram" }, "folder"],
  ["platform with CR LF", { platform: "messenger\r\n" }, "platform"],
  ["fields with CR LF", { fields: "id\r\nX-Injected: 1" }, "fields"],
  ["fields an array of numbers", { fields: [1, 2] }, "fields"],
  ["fields empty", { fields: "" }, "fields"],
  ["limit full-width string", { limit: "\uff11\uff10" }, "limit"],
  ["limit Infinity", { limit: Infinity }, "limit"],
  ["limit -1", { limit: -1 }, "limit"],
  ["limit 1e21", { limit: 1e21 }, "limit"],
  ["limit true", { limit: true }, "limit"],
  ["limit a bigint", { limit: 10n }, "limit"],
  ["timeoutMs 2^53", { timeoutMs: 2 ** 53 }, "timeoutMs"],
  ["timeoutMs a string", { timeoutMs: "100" }, "timeoutMs"],
  ["maxRetries 2^53", { maxRetries: 2 ** 53 }, "maxRetries"],
  ["maxRetries Infinity", { maxRetries: Infinity }, "maxRetries"],
  ["apiVersion traversal", { apiVersion: "v25.0/../../me" }, "apiVersion"],
  ["apiVersion query injection", { apiVersion: "v25.0?access_token=x" }, "apiVersion"],
  ["apiVersion full-width digits", { apiVersion: "v\uff12\uff15.0" }, "apiVersion"],
  ["baseUrl javascript:", { baseUrl: "javascript:alert(1)" }, "baseUrl"],
  ["baseUrl file:", { baseUrl: "file:///etc/passwd" }, "baseUrl"],
  ["baseUrl dot-dot segment", (base) => ({ ...base, baseUrl: `${base.baseUrl}/../x` }), "baseUrl"],
  ["baseUrl percent-encoded dot-dot segment", (base) => ({ ...base, baseUrl: `${base.baseUrl}/.%2E/x` }), "baseUrl"],
  ["baseUrl CR LF host injection", { baseUrl: "http://127.0.0.1\r\nHost: evil.example" }, "baseUrl"],
  ["baseUrl userinfo host confusion", { baseUrl: "http://graph.facebook.com@evil.example" }, "baseUrl"],
  ["baseUrl backslash", { baseUrl: "http://127.0.0.1\\evil.example" }, "baseUrl"],
  ["after with CR LF", { after: "QUFB\r\nX: y" }, "after"],
  ["after with a space", { after: "QUFB QkJC" }, "after"],
  ["after a link cursor of dropped parameters only", { after: "~1.access_token=EAAother&fields=id" }, "after"],
  ["after and before together", { after: "QUFB", before: "QkJC" }, ["after", "before"]],
  ["appSecret and appSecretProof together", { appSecret: "0123456789abcdef0123456789abcdef", appSecretProof: "ab".repeat(32) }, ["appSecret", "appSecretProof"]],
  ["appSecret and appSecretTime together", { appSecret: "0123456789abcdef0123456789abcdef", appSecretTime: 1795166930 }, ["appSecret", "appSecretTime"]],
  ["appSecret with CR LF", { appSecret: "secret\r\nX: y" }, "appSecret"],
  ["appSecretProof not hex", { appSecretProof: "zz".repeat(32) }, "appSecretProof"],
  ["appSecretTime without appSecretProof", { appSecretTime: 1795166930 }, "appSecretTime"],
  ["timedAppSecretProof a string", { timedAppSecretProof: "yes" }, "timedAppSecretProof"],
  ["tokenIn Header (capitalized)", { tokenIn: "Header" }, "tokenIn"],
  ["signal without addEventListener", { signal: { aborted: false } }, "signal"],
  ["signal true", { signal: true }, "signal"],
];

const MESSAGES = [
  ["conversationId traversal to conversations", { conversationId: `t_1/../../${PAGE_ID}/conversations` }, "conversationId"],
  ["conversationId query injection", { conversationId: "t_1?access_token=EAAother" }, "conversationId"],
  ["conversationId encoded traversal", { conversationId: "t_1%2F.." }, "conversationId"],
  ["conversationId fragment", { conversationId: "t_1#x" }, "conversationId"],
  ["conversationId parameter injection", { conversationId: "t_1&fields=id" }, "conversationId"],
  ["conversationId ..", { conversationId: ".." }, "conversationId"],
  ["conversationId full-width digits", { conversationId: "t_\uff11\uff12\uff13" }, "conversationId"],
  ["conversationId CR LF", { conversationId: "t_1\r\n" }, "conversationId"],
  ["conversationId a number", { conversationId: 123 }, "conversationId"],
  ["conversationId 513 characters", { conversationId: `t_${"1".repeat(511)}` }, "conversationId"],
  ["conversationId missing", { conversationId: undefined }, "conversationId"],
  ["messages limit 0", { limit: 0 }, "limit"],
  ["messages accessToken CR LF", { accessToken: "EAAtok\r\nX: y" }, "accessToken"],
];

const PAGER = [
  ["pager pageId traversal", { pageId: `${PAGE_ID}/../me` }, "pageId"],
  ["pager pageId full-width digits", { pageId: FULL_WIDTH_PAGE_ID }, "pageId"],
  ["pager maxPages 0", { maxPages: 0 }, "maxPages"],
  ["pager maxPages 1.5", { maxPages: 1.5 }, "maxPages"],
  ["pager maxItems -1", { maxItems: -1 }, "maxItems"],
  ["pager maxItems a string", { maxItems: "10" }, "maxItems"],
  ["pager requestsPerSecond -1", { requestsPerSecond: -1 }, "requestsPerSecond"],
  ["pager requestsPerSecond 1001", { requestsPerSecond: 1001 }, "requestsPerSecond"],
  ["pager requestsPerSecond NaN", { requestsPerSecond: NaN }, "requestsPerSecond"],
  ["pager requestsPerSecond a string", { requestsPerSecond: "2" }, "requestsPerSecond"],
  ["pager updatedSince not a date", { updatedSince: "yesterday" }, "updatedSince"],
  ["pager updatedSince NaN", { updatedSince: NaN }, "updatedSince"],
  ["pager updatedSince an object", { updatedSince: {} }, "updatedSince"],
  ["pager updatedSince an invalid Date", { updatedSince: new Date("not a date") }, "updatedSince"],
  ["pager onPage a string", { onPage: "console.log" }, "onPage"],
  ["pager onPage an object", { onPage: {} }, "onPage"],
  ["pager before (not supported)", { before: "QUFB" }, "before"],
  ["pager accessToken CR LF", { accessToken: "EAAtok\r\nX: y" }, "accessToken"],
  ["pager limit 1001", { limit: 1001 }, "limit"],
  ["pager signal a string", { signal: "abort" }, "signal"],
  ["pager timeoutMs 0", { timeoutMs: 0 }, "timeoutMs"],
];

/**
 * The cases, each `{label, call, options, option}`: `call` is "listConversations",
 * "listMessages" or "paginateConversations", `options` the whole options object, `option` the
 * names the error may give (an array).
 * @param {{baseUrl: string, accessToken: string, pageId?: string, conversationId?: string}} context
 */
export function badOptionCases({ baseUrl, accessToken, pageId = PAGE_ID, conversationId = "t_100000000000001" }) {
  const build = (call, base, [label, override, option]) => {
    let options;
    if (typeof override === "function") options = override(base);
    else {
      options = { ...base, ...override };
      for (const key of Object.keys(override)) if (override[key] === undefined) delete options[key];
    }
    return { label, call, options, option: Array.isArray(option) ? option : [option] };
  };
  return [
    ...CONVERSATIONS.map((c) => build("listConversations", { pageId, accessToken, baseUrl }, c)),
    ...MESSAGES.map((c) => build("listMessages", { conversationId, accessToken, baseUrl }, c)),
    ...PAGER.map((c) => build("paginateConversations", { pageId, accessToken, baseUrl, requestsPerSecond: 0 }, c)),
  ];
}

/**
 * Runs one case with the package's exports `api`: what happened, as plain JSON-able data.
 * `listConversations`/`listMessages` must reject (not throw); `paginateConversations` must throw
 * at once.
 */
export async function runBadOption(api, testCase) {
  let sync = false;
  let accepted = false;
  let thrown;
  try {
    const result = api[testCase.call](testCase.options);
    if (result && typeof result.then === "function") {
      await result.then(() => { accepted = true; }, (err) => { thrown = err; });
    } else {
      accepted = true;
    }
  } catch (err) {
    sync = true;
    thrown = err;
  }
  const message = typeof thrown?.message === "string" ? thrown.message : null;
  return {
    label: testCase.label,
    call: testCase.call,
    expected: testCase.option,
    accepted,
    sync,
    isInvalidOptionsError: thrown instanceof api.InvalidOptionsError,
    isGraphError: thrown instanceof api.GraphError,
    name: thrown?.name ?? null,
    code: thrown?.code ?? null,
    option: thrown?.option ?? null,
    message,
    stack: typeof thrown?.stack === "string" ? thrown.stack : null,
  };
}

/** Problems with one outcome of runBadOption (an empty list when it is right). */
export function badOptionProblems(outcome, secrets = []) {
  const problems = [];
  if (outcome.accepted) problems.push("accepted");
  if (!outcome.isInvalidOptionsError || !outcome.isGraphError) problems.push(`not an InvalidOptionsError: ${outcome.name}: ${outcome.message}`);
  if (outcome.code !== "ERR_INVALID_OPTIONS") problems.push(`code ${outcome.code}`);
  if (!outcome.expected.includes(outcome.option)) problems.push(`names ${outcome.option}, not ${outcome.expected.join(" or ")}`);
  if (typeof outcome.option === "string" && !outcome.message?.includes(outcome.option)) problems.push("message does not name the option");
  const wantSync = outcome.call === "paginateConversations";
  if (!outcome.accepted && outcome.sync !== wantSync) problems.push(wantSync ? "not thrown at once" : "thrown synchronously instead of a rejection");
  for (const secret of secrets) {
    if (`${outcome.message}\n${outcome.stack}`.includes(secret)) problems.push("the error leaks a secret");
  }
  return problems;
}
