import path from "node:path";
import { fileURLToPath } from "node:url";

import { defineConfig } from "vite";

const here = path.dirname(fileURLToPath(import.meta.url));

// The dashboard is served by baid at /dashboard/ (and may sit behind any path), so every asset
// URL is relative. The build is reproducible: no timestamps, content-hashed file names.
export default defineConfig({
  base: "./",
  resolve: {
    // @balanceai/client is the repository's own package (client/js), built from its sources;
    // its dependencies resolve from this folder, so the bundle holds one copy of CosmJS.
    alias: { "@balanceai/client": path.resolve(here, "../client/js/src/index.js") },
    dedupe: ["@cosmjs/amino", "@cosmjs/encoding", "@cosmjs/proto-signing", "@cosmjs/stargate", "@cosmjs/crypto", "@cosmjs/math", "@cosmjs/utils", "cosmjs-types", "protobufjs"],
  },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    target: "es2022",
    chunkSizeWarningLimit: 2000,
  },
  server: {
    // `npm run dev` proxies the node's REST API (VITE_REST, default the devnet's) so that pages
    // work from the dev server as they do from /dashboard/.
    proxy: {
      "/cosmos": process.env.VITE_REST ?? "http://127.0.0.1:1317",
      "/balanceai": process.env.VITE_REST ?? "http://127.0.0.1:1317",
      "/dashboard/config.json": process.env.VITE_REST ?? "http://127.0.0.1:1317",
    },
  },
});
