import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { defineConfig } from 'vite'
import type { Plugin } from 'vite'
import { contextStudiesFile, contextStudiesProblems } from '../../survey-definitions/context-studies.js'

/** What a funder's first load may cost, gzipped: the charts library is most of it. */
const BUDGET_BYTES = 150 * 1024

/** Prints the results app's JavaScript weight after each build and fails the build above the budget. */
function sizeReport (): Plugin {
  return {
    name: 'prevalens-results-size-report',
    generateBundle (_options, bundle) {
      const chunks = Object.values(bundle).flatMap((item) => item.type === 'chunk' ? [item] : [])
      const all = chunks.reduce((sum, chunk) => sum + gzipSync(chunk.code, { level: 9 }).length, 0)
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
      process.stdout.write(`results JavaScript, gzipped: ${kb(all)} in ${chunks.length} file${chunks.length === 1 ? '' : 's'} (budget ${kb(BUDGET_BYTES)})\n`)
      if (all > BUDGET_BYTES) this.error(`the results app's JavaScript is ${kb(all)} gzipped, over the ${kb(BUDGET_BYTES)} budget`)
    },
  }
}

/** The context studies are bundled as data: a build never ships a file that fails its checks. */
function checkedContextStudies (): Plugin {
  return {
    name: 'prevalens-context-studies',
    buildStart () {
      const problems = contextStudiesProblems(JSON.parse(readFileSync(contextStudiesFile, 'utf8')))
      if (problems.length > 0) this.error(`${contextStudiesFile}: ${problems.join('; ')}`)
    },
  }
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/results/',
  publicDir: false,
  build: {
    outDir: '../../dist/results',
    emptyOutDir: true,
    target: 'es2022',
    // No inline script or style anywhere, so the strict Content-Security-Policy holds.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  plugins: [checkedContextStudies(), sizeReport()],
})
