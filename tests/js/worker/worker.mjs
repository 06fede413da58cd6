// A Cloudflare Worker using page-conversations, run in real workerd by workerd.test.mjs.
// Routes (all answer JSON; bindings: MOCK_URL the mock Graph origin, CLOSED_URL an origin where
// nothing listens, TOKEN the access token):
//   /page?spec=…&limit=…&after=…&fields=…  one page of conversations (header token by default)
//   /error?spec=…[&closed=1]                the error a scenario (or a closed port) gives, described
//   /abort?spec=…&reason=…&ms=…             aborts a slow request with a non-Error reason
//   /timeout?spec=…&timeoutMs=…             a TimeoutError from a slow request
//   /paginate?spec=…&limit=…&maxItems=…&maxPages=…&toArray=…&updatedSince=…&rps=…&abortMs=…&reason=…
//                                           pages through paginateConversations, with onPage
//   /abort?…&reasonType=string|number|undefined|null|object|error|symbol  (default string)
//   /bad-options?id=RUN[&only=LABEL]        runs ../bad-options.js's adversarial option sets
//   /hostile?id=RUN&count=N                 runs N of ../hostile-options.js's hostile option objects
//                                           mixed with valid calls; wasm memory before and after
//   /secrets?label=…&id=RUN                 runs a case of ../secret-cases.mjs (bindings SPECIAL_TOKEN,
//                                           SPECIAL_APP_SECRET) and returns every string reachable
//                                           from what was thrown (reachable.mjs), for the test to scan
//   /instance                               this instance's id (made on its first request) and how
//                                           many requests it has served
import * as api from "page-conversations";
import {
  listConversations, paginateConversations, GraphError, GraphApiError, AuthError, PermissionError,
  RateLimitError, InvalidRequestError, PolicyBlockError, NetworkError, TimeoutError,
  InvalidResponseError, InvalidOptionsError, PagingError,
} from "page-conversations";

import { initSync } from "../../../pkg/gen/page_conversations.js";
import { badOptionCases, runBadOption } from "../bad-options.js";
import { runHostile } from "../hostile-options.js";
import { reachableStrings } from "../reachable.mjs";
import { runSecretCase, secretEnv } from "../secret-cases.mjs";

/** Made on the first request (Workers forbid random values at the top level). */
let instanceId = null;
let served = 0;

/** The abort reason of /abort: `reasonType` picks its type, `reason` its text. */
function abortReason(query) {
  const text = query.get("reason");
  switch (query.get("reasonType") ?? "string") {
    case "number": return /^-?\d+(\.\d+)?$/.test(text ?? "") ? Number(text) : 42;
    case "undefined": return undefined;
    case "null": return null;
    case "object": return { why: text, nested: [1, { deep: true }] };
    case "error": return new RangeError(text ?? "range");
    case "symbol": return Symbol(text ?? "reason");
    default: return text;
  }
}

const CLASSES = {
  GraphError, GraphApiError, AuthError, PermissionError, RateLimitError, InvalidRequestError,
  PolicyBlockError, NetworkError, TimeoutError, InvalidResponseError, InvalidOptionsError, PagingError,
};

const json = (value, status = 200) => new Response(JSON.stringify(value), {
  status, headers: { "content-type": "application/json" },
});

/** The options of a call from the request's query. */
function options(env, query) {
  const spec = query.get("spec") ?? "";
  const opts = {
    pageId: query.get("pageId") ?? "1000000000000001",
    accessToken: env.TOKEN,
    baseUrl: query.has("closed") ? env.CLOSED_URL : `${env.MOCK_URL}/_/${spec}`,
    maxRetries: Number(query.get("maxRetries") ?? 0),
  };
  for (const key of ["after", "fields", "tokenIn"]) if (query.has(key)) opts[key] = query.get(key);
  if (query.has("limit")) opts.limit = Number(query.get("limit"));
  if (query.has("timeoutMs")) opts.timeoutMs = Number(query.get("timeoutMs"));
  return opts;
}

/** What a thrown value is, as seen inside the Worker. */
function describe(err) {
  const out = {
    type: typeof err, isError: err instanceof Error, name: err?.name, code: err?.code,
    message: err?.message, stack: err?.stack, json: err instanceof GraphError ? JSON.stringify(err) : null,
    value: typeof err === "object" ? null : err, fields: {}, instanceOf: {},
  };
  for (const [name, cls] of Object.entries(CLASSES)) out.instanceOf[name] = err instanceof cls;
  out.instanceofAuthError = out.instanceOf.AuthError;
  if (err instanceof GraphError) for (const key of Object.keys(err)) out.fields[key] = err[key];
  return out;
}

/** Pages through a listing inside the Worker: the ids yielded, onPage's reports, what was thrown. */
async function paginate(env, query) {
  const controller = new AbortController();
  if (query.has("abortMs")) setTimeout(() => controller.abort(query.get("reason")), Number(query.get("abortMs")));
  const progress = [];
  const opts = {
    ...options(env, query),
    maxRetries: Number(query.get("maxRetries") ?? 2),
    requestsPerSecond: Number(query.get("rps") ?? 0),
    signal: controller.signal,
    onPage: ({ page, pageNumber, itemCount }) => progress.push({ pageNumber, itemCount, size: page.data.length }),
  };
  if (query.has("maxItems")) opts.maxItems = Number(query.get("maxItems"));
  if (query.has("maxPages")) opts.maxPages = Number(query.get("maxPages"));
  if (query.has("updatedSince")) opts.updatedSince = query.get("updatedSince");
  const ids = [];
  const started = Date.now();
  try {
    const pager = paginateConversations(opts);
    if (query.has("toArray")) ids.push(...(await pager.toArray({ limit: Number(query.get("toArray")) })).map((c) => c.id));
    else for await (const conversation of pager) ids.push(conversation.id);
    return { ok: true, ids, progress, elapsedMs: Date.now() - started };
  } catch (err) {
    return { ok: false, ids, progress, elapsedMs: Date.now() - started, same: err === controller.signal.reason, thrown: describe(err) };
  }
}

export default {
  async fetch(request, env) {
    instanceId ??= crypto.randomUUID();
    served += 1;
    const url = new URL(request.url);
    const query = url.searchParams;
    try {
      if (url.pathname === "/page") {
        try {
          return json({ ok: true, page: await listConversations(options(env, query)) });
        } catch (err) {
          return json({ ok: false, thrown: describe(err) }, 500);
        }
      }
      if (url.pathname === "/error" || url.pathname === "/timeout") {
        await listConversations(options(env, query));
        return json({ ok: false, error: "no error thrown" }, 500);
      }
      if (url.pathname === "/abort") {
        const controller = new AbortController();
        const reasonType = query.get("reasonType") ?? "string";
        const reason = abortReason(query);
        setTimeout(() => (reasonType === "undefined" ? controller.abort() : controller.abort(reason)), Number(query.get("ms") ?? 50));
        const started = Date.now();
        try {
          await listConversations({ ...options(env, query), signal: controller.signal });
          return json({ ok: false, error: "no abort" }, 500);
        } catch (err) {
          const described = typeof err === "symbol" ? { type: "symbol", isError: false, value: String(err.description) } : describe(err);
          return json({
            ok: true, elapsedMs: Date.now() - started, same: Object.is(err, controller.signal.reason),
            isAbortError: err instanceof Error && err.name === "AbortError",
            thrown: described,
          });
        }
      }
      if (url.pathname === "/paginate") return json(await paginate(env, query));
      if (url.pathname === "/instance") return json({ instanceId, served });
      if (url.pathname === "/bad-options") {
        const cases = badOptionCases({ baseUrl: `${env.MOCK_URL}/_/id=${query.get("id") ?? ""}`, accessToken: env.TOKEN })
          .filter((c) => !query.has("only") || c.label === query.get("only"));
        const outcomes = [];
        for (const testCase of cases) outcomes.push(await runBadOption(api, testCase));
        return json({ outcomes });
      }
      if (url.pathname === "/hostile") {
        // The package's own instance (the bundle holds one copy of the glue): its memory and table.
        const wasm = initSync();
        const memory = () => ({ wasmBytes: wasm.memory.buffer.byteLength, externrefs: wasm.__wbindgen_externrefs.length });
        const base = { pageId: "1000000000000001", accessToken: env.TOKEN, baseUrl: `${env.MOCK_URL}/_/id=${query.get("id") ?? ""}` };
        await runHostile(api, base, { count: 300 });
        return json(await runHostile(api, base, { count: Number(query.get("count") ?? 10_000), memory }));
      }
      if (url.pathname === "/secrets") {
        const secretsEnv = secretEnv({
          api, mockUrl: env.MOCK_URL, closedUrl: env.CLOSED_URL, id: query.get("id") ?? "",
          token: env.SPECIAL_TOKEN, appSecret: env.SPECIAL_APP_SECRET,
        });
        const { thrown, extra, same, name, problems } = await runSecretCase(query.get("label"), secretsEnv);
        return json({
          name, same, problems, isError: thrown instanceof Error,
          strings: reachableStrings([thrown, ...extra]),
        });
      }
      return json({ ok: false, error: "unknown route" }, 404);
    } catch (err) {
      return json({ ok: true, thrown: describe(err) });
    }
  },
};
