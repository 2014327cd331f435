/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API serves the build from src/VagaVaraDigital.Api/wwwroot/app at "/" and under every tenant's
// "/t/{slug}/" prefix; assets are always referenced from "/assets/…", which both modes serve.
// Dev mode: `npm run dev` on :5173 proxies the API (VVD_API, default the ./run.sh port).
const api = process.env.VVD_API ?? 'http://127.0.0.1:5080';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: '../VagaVaraDigital.Api/wwwroot/app',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    // No inline scripts or styles (the CSP forbids them): keep Vite's module preload polyfill out.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    port: 5173,
    proxy: {
      '^/(api|openapi|connect|signin-|signout-|\\.well-known)': { target: api, changeOrigin: false },
      '^/t/[^/]+/(api|connect|signin-|signout-)': { target: api, changeOrigin: false },
    },
  },
  test: {
    environment: 'jsdom',
    globals: false,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
