// Hostile option objects: options that throw when read (getters, revoked Proxies, Proxy traps,
// arrays whose items throw, signals whose `aborted` throws), values of every odd kind, unknown
// names, and thrown values that are themselves hostile. Shared by three runtimes: Node
// (hostile-options.test.mjs), workerd (the test Worker's /hostile route) and headless Chromium
// (browser.test.mjs). Plain ESM without imports.

/** A revoked Proxy: every operation on it throws. */
function revoked(target = {}) {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}

/** A Proxy over `target` whose trap `trap` throws `thrown`. */
function trapping(target, trap, thrown) {
  return new Proxy(target, { [trap]() { throw thrown; } });
}

/** `base` with `key` replaced by a getter throwing `thrown`. */
function throwingGetter(base, key, thrown) {
  const options = { ...base };
  delete options[key];
  Object.defineProperty(options, key, { enumerable: true, get() { throw thrown; } });
  return options;
}

/** Values a getter or trap can throw: errors, primitives, and values that throw themselves. */
function thrownValues() {
  return [
    new Error("getter says no"),
    "a string",
    42,
    undefined,
    null,
    Symbol("thrown"),
    revoked(),
    trapping({}, "getPrototypeOf", new Error("prototype trap")),
    trapping({}, "get", new Error("get trap")),
  ];
}

/**
 * Every kind of hostile options object built over the valid `base` ([label, options, how to call,
 * whether the call may also succeed]).
 * `how` is "list" (listConversations), "messages" (listMessages with conversationId),
 * "paginate" (paginateConversations(...).pages()), "toArray" (toArray's own options),
 * "client" (createClient defaults) or "proof" (appSecretProof arguments).
 */
export function hostileCases(base) {
  const cases = [];
  const thrown = thrownValues();
  const signal = new AbortController().signal;
  const spoiledSignal = new AbortController().signal;
  Object.defineProperty(spoiledSignal, "aborted", { get() { throw new Error("aborted getter"); } });
  Object.defineProperty(spoiledSignal, "addEventListener", { value() { throw new Error("listener"); } });
  for (const [t, value] of thrown.entries()) {
    for (const key of ["pageId", "accessToken", "limit", "fields", "signal", "updatedSince", "onPage", "after", "maxItems"]) {
      cases.push([`getter ${key} throws #${t}`, throwingGetter(base, key, value), key === "updatedSince" || key === "onPage" || key === "maxItems" ? "paginate" : "list"]);
    }
    // The traps that reading each value goes through (a throwing `has` trap on the options, say,
    // is never met: such an object is valid options).
    for (const trap of ["ownKeys", "getOwnPropertyDescriptor", "get"]) {
      cases.push([`options Proxy ${trap} throws #${t}`, trapping({ ...base }, trap, value), "list"]);
      cases.push([`toArray Proxy ${trap} throws #${t}`, trapping({ limit: 5 }, trap, value), "toArray"]);
      cases.push([`client defaults Proxy ${trap} throws #${t}`, trapping({ ...base }, trap, value), "client"]);
    }
    cases.push([`fields Proxy get throws #${t}`, { ...base, fields: trapping(["id", "snippet"], "get", value) }, "list"]);
    // Only a real AbortSignal or Date is taken, and a Proxy is neither, whatever its traps do.
    for (const trap of ["ownKeys", "getOwnPropertyDescriptor", "get", "has", "getPrototypeOf"]) {
      // (Node's AbortSignal checks its brand through symbol-keyed reads, which a Proxy forwards:
      // there a Proxy whose `get` works is a usable signal, and the call may go through.)
      cases.push([`signal Proxy ${trap} throws #${t}`, { ...base, signal: trapping(signal, trap, value) }, "list", trap !== "get"]);
      cases.push([`updatedSince Proxy ${trap} throws #${t}`, { ...base, updatedSince: trapping(new Date(), trap, value) }, "paginate"]);
    }
    const items = ["id"];
    Object.defineProperty(items, 1, { enumerable: true, get() { throw value; } });
    cases.push([`fields item getter throws #${t}`, { ...base, fields: items }, "list"]);
    const longFields = ["id"];
    Object.defineProperty(longFields, "length", { value: 3 });
    cases.push([`fields with holes #${t}`, { ...base, fields: longFields }, "list"]);
  }
  cases.push(["options revoked", revoked(), "list"]);
  cases.push(["options revoked array", revoked([]), "list"]);
  cases.push(["options revoked function", revoked(() => {}), "list"]);
  cases.push(["messages options revoked", revoked(), "messages"]);
  cases.push(["pager options revoked", revoked(), "paginate"]);
  cases.push(["toArray options revoked", revoked(), "toArray"]);
  cases.push(["client defaults revoked", revoked(), "client"]);
  cases.push(["fields revoked", { ...base, fields: revoked([]) }, "list"]);
  cases.push(["signal revoked", { ...base, signal: revoked() }, "list"]);
  // A real signal is followed through its internal state, whatever its own properties do.
  cases.push(["signal with throwing own getters", { ...base, signal: spoiledSignal }, "list", true]);
  cases.push(["signal lookalike", { ...base, signal: { aborted: false, addEventListener() {}, removeEventListener() {} } }, "list"]);
  cases.push(["signal from AbortSignal.prototype", { ...base, signal: Object.create(AbortSignal.prototype) }, "list"]);
  cases.push(["signal lookalike whose aborted throws", { ...base, signal: { get aborted() { throw new Error("x"); }, addEventListener() {} } }, "paginate"]);
  // A real Date whose own getTime throws is still a date: read through its internal slot.
  cases.push(["updatedSince Date subclass whose getTime throws", { ...base, maxPages: 1, requestsPerSecond: 0, updatedSince: new (class extends Date { getTime() { throw new Error("x"); } })(0) }, "paginate", true]);
  cases.push(["updatedSince Date lookalike", { ...base, updatedSince: { getTime: () => 0, [Symbol.toStringTag]: "Date" } }, "paginate"]);
  cases.push(["fields a huge sparse array", { ...base, fields: new Array(2 ** 31) }, "list"]);
  cases.push(["too many options", Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])), "list"]);
  cases.push(["unknown option cursor", { ...base, cursor: "QVFI" }, "list"]);
  cases.push(["unknown option pageID", { ...base, pageID: base.pageId }, "list"]);
  cases.push(["folder on listMessages", { ...base, folder: "inbox" }, "messages"]);
  cases.push(["maxPages on a one-page call", { ...base, maxPages: 2 }, "list"]);
  cases.push(["requestsPerSecond 1e-9", { ...base, requestsPerSecond: 1e-9 }, "paginate"]);
  cases.push(["requestsPerSecond 3e-7", { ...base, requestsPerSecond: 3e-7 }, "list"]);
  cases.push(["accessToken of a megabyte", { ...base, accessToken: "E".repeat(1 << 20) }, "list"]);
  cases.push(["accessToken a bigint", { ...base, accessToken: 10n }, "list"]);
  cases.push(["accessToken a symbol", { ...base, accessToken: Symbol("t") }, "list"]);
  cases.push(["accessToken with Bearer", { ...base, accessToken: `Bearer ${base.accessToken}` }, "list"]);
  cases.push(["onPage a number", { ...base, onPage: 5 }, "paginate"]);
  cases.push(["toArray without limit", {}, "toArray"]);
  cases.push(["proof arguments revoked", revoked(), "proof"]);
  return cases;
}

/** Runs one case; resolves to what happened (never rejects). */
async function runCase(api, base, [, options, how]) {
  try {
    switch (how) {
      case "list": await api.listConversations(options); break;
      case "messages": await api.listMessages(options); break;
      case "paginate": for await (const page of api.paginateConversations(options).pages()) void page; break;
      case "toArray": await api.paginateConversations(base).toArray(options); break;
      case "client": await api.createClient(options).listConversations({}); break;
      case "proof": await api.appSecretProof(options, options); break;
      default: throw new Error(`unknown case kind ${how}`);
    }
    return { settled: "resolved" };
  } catch (error) {
    return {
      settled: "rejected",
      invalidOptions: error instanceof api.InvalidOptionsError,
      option: error?.option,
      name: error?.name,
    };
  }
}

/**
 * Runs `count` hostile cases (cycling through every kind), with a valid `listConversations` call
 * after every `validEvery` of them. Each case must settle within `settleMs`. Resolves to counts
 * and the first few failures; `memory()` (wasm bytes and externref table length) before and after.
 */
export async function runHostile(api, base, { count = 10_000, validEvery = 100, settleMs = 10_000, memory = () => null } = {}) {
  const cases = hostileCases(base);
  const failures = [];
  let refused = 0;
  let valid = 0;
  const before = memory();
  let resolvedAsAllowed = 0;
  for (let i = 0; i < count; i++) {
    const hostile = cases[i % cases.length];
    let timer;
    const result = await Promise.race([
      runCase(api, base, hostile),
      new Promise((resolve) => { timer = setTimeout(() => resolve({ settled: "never" }), settleMs); }),
    ]);
    clearTimeout(timer);
    if (result.settled === "rejected" && result.invalidOptions) refused++;
    else if (result.settled === "resolved" && hostile[3] === true) resolvedAsAllowed++;
    else if (failures.length < 10) failures.push({ label: hostile[0], ...result });
    if (i % validEvery === validEvery - 1) {
      const page = await api.listConversations({ ...base, limit: 3 });
      if (page.data.length === 3) valid++;
      else if (failures.length < 10) failures.push({ label: "valid call", data: page.data.length });
    }
  }
  const last = await api.listConversations({ ...base, limit: 2 });
  return { kinds: cases.length, refused, resolvedAsAllowed, valid, lastCount: last.data.length, failures, before, after: memory() };
}
