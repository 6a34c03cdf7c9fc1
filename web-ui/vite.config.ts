// The staff web UI's build: Preact + signals in TypeScript, bundled by Vite into dist/ui/ with
// hashed file names under assets/ (served as immutable) and an index.html that loads one module
// script from a file (the Content-Security-Policy allows no inline script or style).
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/ui',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Nothing inlined into index.html; small assets may become data: URIs (img-src allows data:).
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
