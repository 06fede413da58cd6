// The pager: a small async generator over the wasm `PagerRun`, which holds all paging logic.
// `start` creates a run (validating the options) and may be async (the browser entry loads the
// wasm module first); `toArrayLimit` checks `toArray()`'s options.

/**
 * @param {() => any | Promise<any>} start creates a PagerRun for one iteration
 * @param {{ onPage?: (info: object) => void }} options the caller's options (for `onPage`)
 * @param {(options: unknown) => number | Promise<number>} toArrayLimit validates `toArray()`'s
 *   options: throws at once, or rejects when the module must be loaded first
 */
export function createPager(start, options, toArrayLimit) {
  const onPage = options?.onPage;

  async function* pages() {
    const run = await start();
    try {
      for (;;) {
        const step = await run.nextPage();
        if (step === null) return;
        if (typeof onPage === "function") onPage(step);
        yield step.page;
      }
    } finally {
      run.free();
    }
  }

  async function* items() {
    for await (const page of pages()) yield* page.data;
  }

  async function collect(limit) {
    const collected = [];
    for await (const item of items()) {
      collected.push(item);
      if (collected.length >= limit) break;
    }
    return collected;
  }

  return {
    pages,
    [Symbol.asyncIterator]: items,
    toArray(toArrayOptions) {
      return Promise.resolve(toArrayLimit(toArrayOptions)).then(collect);
    },
  };
}
