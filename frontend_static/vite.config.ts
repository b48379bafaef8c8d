/// <reference types="vitest/config" />
// Builds the browser app into dist/, which Flask serves at / (api/frontend.py).
// `npm run dev` proxies /api to a Cueflow started with `make run` on port 5000.
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:5000' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
})
