/**
 * Scenarios: the `/_/SPEC` path prefix (`key=value;key=value`) that selects the mock's behaviour
 * per request, and the response headers some keys add. See README.md for every key.
 */

import { MOCK_IG_ACCOUNT_ID, MOCK_PAGE_ID } from "./constants.mjs";
import {
  DEFAULT_FAULT_KINDS, DEFAULT_FAULT_MAX, DEFAULT_FAULT_RATE, DEFAULT_FAULT_SLOW_MS, FAULT_KINDS,
} from "./faults.mjs";
import { MAX_RANDOM_SIZE } from "./random.mjs";

/** The sliding window of `ratelimit=N`, unless `ratewindow=MS` says otherwise: Graph's second. */
const DEFAULT_RATE_WINDOW_MS = 1000;

/**
 * Parses a SPEC segment (already taken from the path, still URL-encoded). Unknown keys and
 * malformed values are ignored; a missing spec (`null`) is healthy Graph.
 */
export function parseScenario(raw) {
  const keys = new Map();
  let text = raw ?? "";
  try { text = decodeURIComponent(text); } catch { /* keep it as sent */ }
  for (const part of text.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) keys.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const int = (key) => (/^\d+$/.test(keys.get(key) ?? "") ? Number(keys.get(key)) : undefined);
  const decimal = (key) => (/^\d+(\.\d+)?$/.test(keys.get(key) ?? "") ? Number(keys.get(key)) : undefined);
  const flag = (key) => keys.get(key) === "1";
  const errorMatch = /^(\d+)(?:\.(\d+))?$/.exec(keys.get("error") ?? "");
  const transient = keys.get("transient");
  const usage = new Set((keys.get("usage") ?? "").split(",").map((s) => s.trim()).filter(Boolean));
  // `eta=MIN` or `eta=MIN,MIN,…`: one BUC entry per value; `none`, an entry without one.
  const etaList = (keys.get("eta") ?? "").split(",").map((s) => s.trim());
  const etas = etaList.every((v) => /^\d+(\.\d+)?$|^none$/.test(v))
    ? etaList.map((v) => (v === "none" ? undefined : Number(v)))
    : undefined;
  const style = keys.get("style");
  const emptyRate = int("emptyrate");
  const size = int("size");
  if (etas !== undefined) usage.add("buc");
  if (flag("badusage")) {
    if (usage.size === 0) ["page", "buc"].forEach((h) => usage.add(h));
    usage.add("app");
  }
  const faultKinds = keys.get("faultkinds") === "all" ? FAULT_KINDS
    : (keys.get("faultkinds") ?? "").split(",").map((s) => s.trim()).filter((k) => FAULT_KINDS.includes(k));
  const faults = int("faults");
  return {
    id: keys.get("id") ?? "",
    times: int("times"),
    after: int("after") ?? 0,
    error: errorMatch ? {
      code: Number(errorMatch[1]),
      subcode: errorMatch[2] === undefined ? undefined : Number(errorMatch[2]),
      transient: transient === "1" ? true : transient === "0" ? false : undefined,
      echo: flag("echo"),
      tokenMessage: flag("tokenmsg"),
    } : undefined,
    status: int("status"),
    env200: flag("env200"),
    html: int("html"),
    truncate: flag("truncate"),
    redirect: int("redirect") >= 300 && int("redirect") <= 399 ? int("redirect") : undefined,
    redirectPort: int("redirectport") > 0 && int("redirectport") <= 65535 ? int("redirectport") : undefined,
    endless: keys.get("endless") === "1" ? "stream" : keys.get("endless") === "length" ? "length" : undefined,
    usageToken: flag("usagetoken"),
    reset: flag("reset"),
    slow: int("slow"),
    usage,
    etas: etas ?? [0],
    badUsage: flag("badusage"),
    expose: flag("expose"),
    legacy: flag("legacy"),
    empty: int("empty") ?? 0,
    emptyForever: flag("emptyforever"),
    repeat: flag("repeat"),
    requireProof: flag("requireproof"),
    preflight: int("preflight") >= 400 && int("preflight") <= 599 ? int("preflight") : undefined,
    rateLimit: int("ratelimit") || undefined,
    rateWindowMs: int("ratewindow") || DEFAULT_RATE_WINDOW_MS,
    proofCheck: keys.get("proofcheck") !== "0",
    echoAll: keys.get("echo") === "all",
    odd: flag("odd"),
    shape: ["data", "paging", "scalar", "link"].includes(keys.get("shape")) ? keys.get("shape") : undefined,
    faults: faults !== undefined && faults <= 0xffffffff ? faults : undefined,
    faultRate: Math.min(decimal("faultrate") ?? DEFAULT_FAULT_RATE, 100),
    faultMax: int("faultmax") ?? DEFAULT_FAULT_MAX,
    faultKinds: faultKinds.length ? faultKinds : DEFAULT_FAULT_KINDS,
    faultEta: decimal("faulteta"),
    faultSlow: int("faultslow") ?? DEFAULT_FAULT_SLOW_MS,
    authAt: int("authat") || undefined,
    random: !(int("random") <= 0xffffffff) ? undefined : {
      seed: int("random"),
      size: size === undefined ? undefined : Math.min(size, MAX_RANDOM_SIZE),
      style: ["graph", "legacy", "mixed"].includes(style) ? style : flag("legacy") ? "legacy" : undefined,
      emptyRate: emptyRate === undefined ? undefined : Math.min(emptyRate, 100) / 100,
    },
  };
}

/** Whether a fault key applies to the run's `n`-th Graph request (1-based): after < n <= after + times. */
export function faultApplies(scenario, n) {
  return n > scenario.after && (scenario.times === undefined || n <= scenario.after + scenario.times);
}

/** Whether the scenario asks for any fault at all. */
export function hasFault(scenario) {
  return Boolean(scenario.error || scenario.status || scenario.html || scenario.truncate
    || scenario.reset || scenario.slow || scenario.shape || scenario.redirect || scenario.endless);
}

/**
 * The rate-limit usage headers (and CORS expose header) for every response of the run; with
 * `usagetoken=1`, `X-Business-Use-Case-Usage` carries the request's `token` (when printable) as
 * an id, inside an id, and as an entry's `type`.
 */
export function usageHeaders(scenario, token = null) {
  const headers = {};
  if (scenario.usageToken && token && /^[\x20-\x7e]+$/.test(token)) {
    const entry = (type) => ({ type, call_count: 12, total_cputime: 3, total_time: 4, estimated_time_to_regain_access: 0 });
    headers["X-Business-Use-Case-Usage"] = JSON.stringify({
      [token]: [entry("messenger")], [`${MOCK_PAGE_ID}`]: [entry(token), entry(`pages ${token}`)],
    });
  }
  if (scenario.usage.has("app")) {
    headers["X-App-Usage"] = scenario.badUsage
      ? '{"call_count":28,"total_time":'
      : JSON.stringify({ call_count: 28, total_time: 25, total_cputime: 12.5 });
  }
  if (scenario.usage.has("page")) {
    headers["X-Page-Usage"] = JSON.stringify({ call_count: 104, total_time: 7.25, total_cputime: 3 });
  }
  if (scenario.usage.has("buc") && !headers["X-Business-Use-Case-Usage"]) {
    // One entry per `eta` value: the first two for the Page (messenger, pages), the others for
    // its Instagram account (instagram).
    const byId = {};
    scenario.etas.forEach((eta, i) => {
      const id = i < 2 ? MOCK_PAGE_ID : MOCK_IG_ACCOUNT_ID;
      const type = ["messenger", "pages"][i] ?? "instagram";
      const entry = { type, call_count: 97, total_cputime: 23, total_time: 23.5 };
      if (eta !== undefined) entry.estimated_time_to_regain_access = eta;
      (byId[id] ??= []).push(entry);
    });
    headers["X-Business-Use-Case-Usage"] = JSON.stringify(byId);
  }
  if (scenario.expose) {
    headers["Access-Control-Expose-Headers"] = "X-App-Usage, X-Page-Usage, X-Business-Use-Case-Usage";
  }
  return headers;
}
