/// <reference types="node" />
// Node types only for this file's `process.env`; the app itself runs in the browser.
import vue from '@vitejs/plugin-vue';
import { defineConfig, type ProxyOptions } from 'vite';

const apiTarget = `http://127.0.0.1:${process.env.API_PORT ?? '1127'}`;
const proxy: Record<string, ProxyOptions> = {
  '/api': { target: apiTarget },
  '/assets': { target: apiTarget },
};

export default defineConfig({
  plugins: [vue()],
  // vue-i18n's build flags: Composition API only, no devtools hooks in production.
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: { host: '127.0.0.1', proxy },
  preview: { host: '127.0.0.1', proxy },
  build: {
    outDir: 'dist',
    // `/assets/` belongs to the API (compressed results); the app's own bundles go elsewhere so
    // both can be served from one origin without their URLs colliding.
    assetsDir: 'static',
  },
});
