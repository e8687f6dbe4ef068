import { gzipSync } from 'node:zlib'
import { defineConfig } from 'vite'
import type { Plugin } from 'vite'

/** Staff load the console on office laptops; still, it should stay small (no framework, no chart library). */
const BUDGET_BYTES = 100 * 1024

/** Prints the console's JavaScript weight, gzipped, after each build; fails the build above the budget. */
function sizeReport (): Plugin {
  return {
    name: 'prevalens-console-size-report',
    generateBundle (_options, bundle) {
      const chunks = Object.values(bundle).flatMap((item) => item.type === 'chunk' ? [item] : [])
      const all = chunks.reduce((sum, chunk) => sum + gzipSync(chunk.code, { level: 9 }).length, 0)
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
      process.stdout.write(`console JavaScript, gzipped: ${kb(all)} in ${chunks.length} chunk(s) (budget ${kb(BUDGET_BYTES)})\n`)
      if (all > BUDGET_BYTES) this.error(`the console's JavaScript is ${kb(all)} gzipped, over the ${kb(BUDGET_BYTES)} budget`)
    },
  }
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  publicDir: false,
  build: {
    outDir: '../../dist/console',
    emptyOutDir: true,
    target: 'es2022',
    // No inline script or style anywhere, so the strict Content-Security-Policy holds.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  plugins: [sizeReport()],
})
