// The pager: a small async generator over the wasm `PagerRun`, which holds all paging logic.

/**
 * @param {() => Promise<any>} start creates a PagerRun for one iteration (checking the options
 *   when the module was not ready earlier)
 * @param {unknown} onPage the `onPage` option as read (called when it is a function)
 * @param {(options: unknown) => number | Promise<number>} toArrayLimit checks `toArray()`'s
 *   options: throws at once, or rejects when the module must be loaded first
 * @param {(error: unknown) => Promise<unknown>} decorate what an iteration rejects with for `error`
 * @param {(error: unknown) => unknown} withCallSite gives a synchronous error the caller's call site
 */
export function createPager(start, onPage, toArrayLimit, decorate, withCallSite) {
  async function* pages() {
    const run = await start();
    try {
      for (;;) {
        let step;
        try {
          step = await run.nextPage();
        } catch (error) {
          throw await decorate(error);
        }
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
      let limit;
      try {
        limit = toArrayLimit(toArrayOptions);
      } catch (error) {
        throw withCallSite(error);
      }
      return Promise.resolve(limit).then(collect);
    },
  };
}
