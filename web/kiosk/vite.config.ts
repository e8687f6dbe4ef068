import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { defineConfig } from 'vite'
import type { Plugin } from 'vite'

/** The respondent's first load may cost at most this much JavaScript, gzipped: a tablet on a slow connection must still start quickly (README, `npm run build:web`). */
const BUDGET_BYTES = 400 * 1024

/**
 * Prints the kiosk's JavaScript weight after each build: what the cover needs (entry and its static
 * imports) and what starting the survey adds (the survey engine, loaded after the cover shows). Fails the
 * build above the budget.
 */
function sizeReport (): Plugin {
  return {
    name: 'prevalens-size-report',
    generateBundle (_options, bundle) {
      const chunks = Object.values(bundle).flatMap((item) => item.type === 'chunk' ? [item] : [])
      const gzip = (code: string) => gzipSync(code, { level: 9 }).length
      const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]))
      const firstLoad = new Set<string>()
      const visit = (name: string) => {
        if (firstLoad.has(name)) return
        firstLoad.add(name)
        for (const imported of byName.get(name)?.imports ?? []) visit(imported)
      }
      for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName)
      const cover = [...firstLoad].reduce((sum, name) => sum + gzip(byName.get(name)?.code ?? ''), 0)
      const all = chunks.reduce((sum, chunk) => sum + gzip(chunk.code), 0)
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
      process.stdout.write(`kiosk JavaScript, gzipped: cover ${kb(cover)}; with the survey engine ${kb(all)} (budget ${kb(BUDGET_BYTES)})\n`)
      if (all > BUDGET_BYTES) this.error(`the kiosk's JavaScript is ${kb(all)} gzipped, over the ${kb(BUDGET_BYTES)} budget`)
    },
  }
}

/**
 * Writes the app shell into the service worker (src/sw.ts): every built file it must precache, and a digest of
 * their names and contents as the build id, so a new build is a new worker and the old shell is dropped.
 * Runs after Vite has emitted index.html and minified the chunks.
 */
function serviceWorkerShell (): Plugin {
  return {
    name: 'prevalens-service-worker-shell',
    enforce: 'post',
    generateBundle (_options, bundle) {
      const worker = bundle['sw.js']
      if (worker?.type !== 'chunk') return this.error('the service worker (sw.js) is missing from the build')
      const files = Object.keys(bundle).filter((name) => name !== 'sw.js' && name !== 'index.html').sort()
      const digest = createHash('sha256')
      for (const name of ['index.html', ...files]) {
        const item = bundle[name]
        digest.update(name).update(item === undefined ? '' : item.type === 'chunk' ? item.code : item.source)
      }
      // '' is the kiosk's own address (/kiosk/), which serves index.html.
      worker.code = worker.code
        .replaceAll('__KIOSK_SHELL__', JSON.stringify(['', ...files]))
        .replaceAll('__KIOSK_BUILD__', JSON.stringify(digest.digest('hex').slice(0, 16)))
    },
  }
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/kiosk/',
  publicDir: false,
  build: {
    outDir: '../../dist/kiosk',
    emptyOutDir: true,
    target: 'es2022',
    // No inline script or style anywhere, so a strict Content-Security-Policy holds.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    // survey-core is one ~1.4 MB module (about 315 KB gzipped), loaded after the cover; the report above is the measure.
    chunkSizeWarningLimit: 1600,
    rolldownOptions: {
      // The service worker is its own entry at the root (its scope is /kiosk/), under a fixed name to register.
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        sw: fileURLToPath(new URL('./src/sw.ts', import.meta.url)),
      },
      output: {
        entryFileNames: (chunk) => chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js',
      },
    },
  },
  plugins: [sizeReport(), serviceWorkerShell()],
})
