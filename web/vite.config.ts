import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The portal's production build: static files in web/dist, served by the gateway at / (gateway/src/edge/portal.ts).
// `npm run -w @gerbang/web dev` serves it with hot reload and forwards the graph to a running `npm start`.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2020', reportCompressedSize: false, chunkSizeWarningLimit: 1024 },
  server: {
    port: 5173,
    proxy: Object.fromEntries(['/graphql', '/dev', '/portal-config.json', '/health'].map((p) => [p, 'http://127.0.0.1:4000'])),
  },
});
