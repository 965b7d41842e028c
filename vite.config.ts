import react from '@vitejs/plugin-react'
import { readFileSync } from 'node:fs'
import { defineConfig } from 'vite'

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }

// The renderer: served by the headless host over http and by Electron over app://dym/.
export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react()],
  define: { __DYM_VERSION__: JSON.stringify(pkg.version) },
  build: {
    outDir: '../../out/renderer',
    emptyOutDir: true,
    sourcemap: true,
    // No inline scripts: the CSP allows 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // zod ships comments Rollup cannot place; harmless, and noise in every build.
      onwarn(warning, warn) {
        if (warning.code !== 'INVALID_ANNOTATION') warn(warning)
      }
    }
  }
})
