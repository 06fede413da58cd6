// The benchmark Worker (bench/workerd.mjs runs it in workerd). `env.GRAPH` is the bench Graph
// (`{ url, pageId, token }`, JSON). Routes, each answering JSON:
//   /per-page?pairs=&warmup=&batch=  listConversations against raw fetch + res.json(), interleaved,
//                                    timed in the isolate (see lib/per-page-core.mjs)
//   /cleaning                        what cleaning the page of the token costs (lib/per-page-core.mjs)
//   /fixed?pairs=&warmup=&batch=     a call's fixed cost: the package and the floor (lib/per-page-core.mjs)
//   /page?mode=pkg|raw|rawLikePackage|none
//                                    one page the package's way, the raw way, the raw way calling
//                                    fetch as the package must, or no request at all (the CPU
//                                    benchmark counts workerd's CPU time around many)
import { listConversations } from "page-conversations";
import { cleanLinks } from "page-conversations/json.js";

import { list as floorList } from "../floor/workerd.mjs";
import { cleaningCost, fixedCost, interleave, pageRequests } from "../lib/per-page-core.mjs";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const query = url.searchParams;
    const graph = JSON.parse(env.GRAPH);
    const requests = pageRequests(graph, { tokenIn: "header", listConversations });
    if (url.pathname === "/per-page") {
      const result = await interleave(requests, {
        pairs: Number(query.get("pairs")), warmup: Number(query.get("warmup")), batch: Number(query.get("batch") ?? 1),
      });
      return Response.json(result);
    }
    if (url.pathname === "/fixed") {
      return Response.json(await fixedCost(graph, {
        listConversations, floorList, pairs: Number(query.get("pairs")), warmup: Number(query.get("warmup")), batch: Number(query.get("batch")),
      }));
    }
    if (url.pathname === "/cleaning") {
      // workerd's clock advances by whole milliseconds, and only across I/O (a timer): batches of 20 pages.
      const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
      return Response.json(await cleaningCost(graph, { tokenIn: "header", cleanLinks, rounds: 20, batch: 20, settle }));
    }
    if (url.pathname === "/page") {
      const mode = query.get("mode");
      if (mode !== "none") await requests[mode]();
      return Response.json({ mode });
    }
    return new Response("not found", { status: 404 });
  },
};
