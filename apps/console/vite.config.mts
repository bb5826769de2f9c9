import { defineConfig } from 'vite';

// Served by the API process at /ui/ (apps/api/src/console.ts) under a CSP that allows only this
// origin's scripts and styles: no inline script (modulepreload polyfill off, it is not needed by
// the browsers we support) and no asset inlined into CSS or JS.
export default defineConfig({
  base: '/ui/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
    reportCompressedSize: true,
    rolldownOptions: {
      // React Query marks modules "use client" for server-component bundlers; meaningless here.
      onLog(level, log, handler) {
        if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log);
      },
    },
  },
  server: { proxy: { '^/(flags|cache|health|auth)': 'http://127.0.0.1:8000' } },
});
