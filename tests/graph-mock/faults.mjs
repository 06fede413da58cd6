/**
 * Seeded faults (`faults=SEED`): per request, a fault chosen deterministically from the seed, the
 * request's position (its path and paging parameters) and the attempt number at that position in
 * the run, never more than `faultmax` (default 2) times in a row at one position; and `authat=N`,
 * an auth error (190) at the run's N-th position. See README.md, "Seeded faults".
 *
 * `seededFault(scenario, position, attempt)` is a pure function: the same scenario, position and
 * attempt always give the same fault, whatever came before in the run or in other runs.
 */

import { MOCK_PAGE_ID } from "./constants.mjs";
import { hash32 } from "./random.mjs";

/** Every fault kind, in the order the draw picks from. */
export const FAULT_KINDS = ["html", "truncate", "reset", "ratelimit", "ratelimit-usage", "transient", "slow"];

/**
 * The kinds drawn when the scenario names none: all but `truncate`, which Graph clients are not
 * expected to retry (a 200 answer whose JSON is cut short is an InvalidResponseError, never
 * retried): a run faulted with the default kinds always completes with enough retries.
 */
export const DEFAULT_FAULT_KINDS = FAULT_KINDS.filter((kind) => kind !== "truncate");

/** Default chance, in percent, that a request at a position is faulted. */
export const DEFAULT_FAULT_RATE = 25;

/** Default bound of faults in a row at one position. */
export const DEFAULT_FAULT_MAX = 2;

/** Default wait of a `slow` fault, in ms (over a client's 150 ms `timeoutMs`, under a second). */
export const DEFAULT_FAULT_SLOW_MS = 400;

/** HTTP statuses of the `html` fault. */
const HTML_STATUSES = [500, 502, 503, 504];

/** Graph codes of the rate-limit faults: Messenger business use case, custom limit, app limit. */
const RATE_LIMIT_CODES = [80006, 613, 4];

/** `estimated_time_to_regain_access` of `ratelimit-usage` faults, in minutes (0, 0.3 s, 0.6 s). */
const FAULT_ETAS = [0, 0.005, 0.01];

/** Query parameters that are not part of a request's position (they vary between attempts). */
const NOT_POSITION = new Set(["access_token", "appsecret_proof", "appsecret_time"]);

/**
 * A request's position: the path (without the scenario prefix) and its query without the token
 * and proof, sorted. Retries of one page have the same position; different pages differ.
 * @param {string} path
 * @param {URLSearchParams} params
 */
export function positionOf(path, params) {
  const pairs = [...params].filter(([key]) => !NOT_POSITION.has(key)).sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
  return pairs.length ? `${path}?${new URLSearchParams(pairs)}` : path;
}

/** A float in [0, 1) for the parts. */
function draw(...parts) {
  return hash32(...parts) / 4294967296;
}

/** Picks from `list` with a draw for the parts. */
function pick(list, ...parts) {
  return list[Math.floor(draw(...parts) * list.length)];
}

/**
 * The usage headers of a `ratelimit-usage` fault: `X-App-Usage` over 100 % and
 * `X-Business-Use-Case-Usage` with `estimated_time_to_regain_access` = `eta` minutes.
 */
export function faultUsageHeaders(eta) {
  return {
    "X-App-Usage": JSON.stringify({ call_count: 100, total_time: 43, total_cputime: 12.5 }),
    "X-Business-Use-Case-Usage": JSON.stringify({
      [MOCK_PAGE_ID]: [{
        type: "messenger", call_count: 100, total_cputime: 31, total_time: 40.5,
        estimated_time_to_regain_access: eta,
      }],
    }),
  };
}

/**
 * The fault of attempt `attempt` (1-based) at `position`, or null: the `faults` draw (skipped
 * once `faultmax` faults came in a row at that position). Pure: it replays the position's
 * earlier attempts to know how many faults came in a row.
 * @param {object} scenario from parseScenario (uses faults, faultRate, faultMax, faultKinds, faultEta, faultSlow)
 * @param {string} position from positionOf
 * @param {number} attempt
 * @returns {null | {kind: string, status?: number, code?: number, eta?: number, slowMs?: number}}
 */
export function seededFault(scenario, position, attempt) {
  if (scenario.faults === undefined) return null;
  let inARow = 0;
  let fault = null;
  for (let n = 1; n <= attempt; n += 1) {
    fault = inARow < scenario.faultMax ? drawFault(scenario, position, n) : null;
    inARow = fault ? inARow + 1 : 0;
  }
  return fault;
}

/** The fault drawn for attempt `n` at `position`, ignoring the bound of faults in a row. */
function drawFault(scenario, position, n) {
  const seed = scenario.faults;
  if (draw("hit", seed, position, n) * 100 >= scenario.faultRate) return null;
  const kind = pick(scenario.faultKinds, "kind", seed, position, n);
  switch (kind) {
    case "html":
      return { kind, status: pick(HTML_STATUSES, "status", seed, position, n) };
    case "ratelimit":
      return { kind, code: pick(RATE_LIMIT_CODES, "code", seed, position, n), status: 400 };
    case "ratelimit-usage":
      return {
        kind, code: pick(RATE_LIMIT_CODES, "code", seed, position, n), status: 400,
        eta: scenario.faultEta ?? pick(FAULT_ETAS, "eta", seed, position, n),
      };
    case "transient":
      return { kind, code: 2, status: 500 };
    case "slow":
      return { kind, slowMs: scenario.faultSlow };
    default:
      return { kind };
  }
}

/** The `authat=N` fault: error 190 (subcode 463, expired session) at the run's N-th position. */
export function authFault() {
  return { kind: "auth", code: 190, subcode: 463, status: 400 };
}
