// The cold-start Worker (bench/workerd-cold.mjs runs it, in a fresh workerd each time). Its first
// request, GET /cold, measures inside the isolate:
//   compile      WebAssembly compilation of the package's .wasm (through workerd's UnsafeEval
//                binding: Workers may not compile wasm at run time; workerd itself compiles a
//                Worker's wasm modules when it loads the Worker), mean of `compiles`
//   instantiate  instantiating it (imports stubbed: the glue's own work after that is negligible),
//                mean of `instances`
//   first call   the package's first listConversations (one conversation), just after a raw
//                fetch of the same request (so that the fetch machinery is warm), and the raw
//                fetch and a second call for reference; with `warm=request` the raw fetch goes
//                through a Request with an AbortSignal and a timer, as the package's does (the
//                first call costs the same: what it pays for is the package's own first run)
// workerd's clock has a resolution of 1 ms here, hence the repetitions for compile and instantiate.
// For the cold-start floor, `page-conversations` is bench/floor/workerd.mjs and the .wasm the floor's.
import wasmBytes from "./page_conversations_bg.bin";
import { listConversations } from "page-conversations";

import { fetchAsThePackageMust, onePageRequest } from "../lib/per-page-core.mjs";

function stubImports(module) {
  const imports = {};
  for (const { module: name, name: field, kind } of WebAssembly.Module.imports(module)) {
    imports[name] ??= {};
    if (kind === "function") imports[name][field] = () => {};
    else if (kind === "table") imports[name][field] = new WebAssembly.Table({ initial: 1024, element: "externref" });
    else if (kind === "memory") imports[name][field] = new WebAssembly.Memory({ initial: 17 });
    else if (kind === "global") imports[name][field] = new WebAssembly.Global({ value: "i32", mutable: true }, 0);
  }
  return imports;
}

export default {
  async fetch(request, env) {
    const query = new URL(request.url).searchParams;
    const graph = JSON.parse(env.GRAPH);
    const compiles = Number(query.get("compiles") ?? 10);
    const instances = Number(query.get("instances") ?? 20);
    let t0 = performance.now();
    let module;
    for (let i = 0; i < compiles; i++) module = env.UNSAFE_EVAL.newWasmModule(wasmBytes);
    const compile = (performance.now() - t0) / compiles;
    const imports = stubImports(module);
    t0 = performance.now();
    for (let i = 0; i < instances; i++) new WebAssembly.Instance(module, imports);
    const instantiate = (performance.now() - t0) / instances;

    const { url, init, options } = onePageRequest(graph);
    const t1 = performance.now();
    if (query.get("warm") === "request") {
      await fetchAsThePackageMust(url, init);
    } else {
      await (await fetch(url, init)).json();
    }
    const t2 = performance.now();
    await listConversations(options);
    const t3 = performance.now();
    await listConversations(options);
    const t4 = performance.now();
    return Response.json({ compile, instantiate, rawRequest: t2 - t1, firstCall: t3 - t2, secondCall: t4 - t3 });
  },
};
