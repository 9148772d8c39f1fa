import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dashboard: Preact + uPlot, built into static files the server serves at `/`.
 * JSX goes through Vite's own transformer (oxc) with Preact's automatic runtime, so no preset plugin.
 */
export default defineConfig({
  root,
  base: '/',
  // public/ holds files served as they are at the root (favicon.ico)
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 300,
  },
  server: {
    // `vite --config apps/dashboard/vite.config.ts` for development against a running server on :3000
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
});
