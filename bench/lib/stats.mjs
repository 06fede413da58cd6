// Small statistics helpers shared by every benchmark (runtime-neutral ESM: Node, Chromium, workerd).

/** The values sorted ascending (a copy). */
const sorted = (values) => [...values].sort((a, b) => a - b);

/** The median. */
export function median(values) {
  const s = sorted(values);
  const middle = s.length >> 1;
  return s.length % 2 ? s[middle] : (s[middle - 1] + s[middle]) / 2;
}

/** The q-quantile (0..1), linear interpolation between closest ranks. */
export function quantile(values, q) {
  const s = sorted(values);
  const at = (s.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return s[low] + (s[high] - s[low]) * (at - low);
}

/** `{ n, median, p10, p90, min, max }` of the values. */
export function summarize(values) {
  return {
    n: values.length,
    median: median(values),
    p10: quantile(values, 0.1),
    p90: quantile(values, 0.9),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}
