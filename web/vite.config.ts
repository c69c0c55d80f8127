import { defineConfig } from "vitest/config";

// The server serves dist/ at /; in development, `npm run dev` proxies the API to a local server.
export default defineConfig({
  base: "/",
  build: { target: "es2022", outDir: "dist", emptyOutDir: true, sourcemap: false },
  server: { proxy: { "/api": "http://127.0.0.1:8080" } },
  test: { include: ["test/**/*.test.ts"], environment: "node" },
});
