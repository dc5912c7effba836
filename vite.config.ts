import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const serverPort = Number(process.env.PORT || 8787)
const serverHost = process.env.HOST || '127.0.0.1'
const target = `http://${serverHost}:${serverPort}`

export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // tldraw is one large library; splitting it buys nothing for a single-page app.
    chunkSizeWarningLimit: 4096,
  },
  // tldraw's asset imports must stay URLs, not be pre-bundled.
  optimizeDeps: { exclude: ['@tldraw/assets'] },
  server: {
    port: Number(process.env.VITE_PORT || 5173),
    proxy: {
      '/api': target,
      '/healthz': target,
      '/sync': { target: target.replace('http', 'ws'), ws: true },
    },
  },
})
