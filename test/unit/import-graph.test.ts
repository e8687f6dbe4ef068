import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { buildImportGraph, findCycles, layerViolations } from '../helpers/import-graph.js'
import type { ImportGraph, LayerRule } from '../helpers/import-graph.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * The layers of ARCHITECTURE.md as import rules: imports run down only. Lint enforces the same inside each
 * file (eslint.config.js); this reads the whole graph, across the four top folders, and finds circles too.
 */
const LAYERS: readonly LayerRule[] = [
  // The instruments are the base: the API, the analysis and the web apps read them, never the reverse.
  { from: 'survey-definitions', mayNotImport: 'web' },
  { from: 'survey-definitions', mayNotImport: 'api' },
  { from: 'survey-definitions', mayNotImport: 'analysis' },
  // Statistics are pure: no database, no server, no browser.
  { from: 'analysis', mayNotImport: 'api' },
  { from: 'analysis', mayNotImport: 'web' },
  { from: 'api', mayNotImport: 'web' },
  // The browser apps share the API's types (its schemas), never its code.
  { from: 'web', mayNotImport: 'api', typesAllowed: true },
  // web/shared serves the three apps and knows none of them; the apps share code only through it.
  { from: 'web/shared', mayNotImport: 'web/kiosk' },
  { from: 'web/shared', mayNotImport: 'web/console' },
  { from: 'web/shared', mayNotImport: 'web/results' },
  { from: 'web/kiosk', mayNotImport: 'web/console' },
  { from: 'web/kiosk', mayNotImport: 'web/results' },
  { from: 'web/console', mayNotImport: 'web/kiosk' },
  { from: 'web/console', mayNotImport: 'web/results' },
  { from: 'web/results', mayNotImport: 'web/kiosk' },
  { from: 'web/results', mayNotImport: 'web/console' },
  // Inside the API: entry points (server, app, cli, routes, plugins) → services → domain and queries → database.
  { from: 'api', mayNotImport: 'api/cli', except: ['api/cli'] },
  { from: 'api', mayNotImport: 'api/server.ts' },
  { from: 'api/routes', mayNotImport: 'api/db/queries' },
  { from: 'api/services', mayNotImport: 'api/routes' },
  { from: 'api/services', mayNotImport: 'api/plugins' },
  { from: 'api/db', mayNotImport: 'api/services' },
  { from: 'api/db', mayNotImport: 'api/routes' },
  { from: 'api/db', mayNotImport: 'api/plugins' },
  { from: 'api/domain', mayNotImport: 'api/db/queries' },
  { from: 'api/domain', mayNotImport: 'api/services' },
  { from: 'api/domain', mayNotImport: 'api/routes' },
  { from: 'api/intake', mayNotImport: 'api/services' },
  { from: 'api/intake', mayNotImport: 'api/routes' },
  // The validator compiler is pure: no keys, no database, no random answers.
  { from: 'api/intake', mayNotImport: 'api/db' },
  { from: 'api/intake', mayNotImport: 'api/sealing' },
  { from: 'api/intake', mayNotImport: 'api/synthetic' },
  { from: 'api/sealing', mayNotImport: 'api/services' },
  { from: 'api/sealing', mayNotImport: 'api/routes' },
  { from: 'api/synthetic', mayNotImport: 'api/services' },
  { from: 'api/synthetic', mayNotImport: 'api/routes' },
  { from: 'api/synthetic', mayNotImport: 'api/db' },
  { from: 'api/schemas', mayNotImport: 'api/services' },
  { from: 'api/schemas', mayNotImport: 'api/db/queries' },
]

describe('the import graph of api/, analysis/, survey-definitions/ and web/', () => {
  const graph = buildImportGraph(root, ['api', 'analysis', 'survey-definitions', 'web'])

  it('is read whole: every folder, and imports resolved to our files', () => {
    expect(graph.size).toBeGreaterThan(200)
    for (const folder of ['api/routes', 'api/services', 'api/db/queries', 'analysis', 'survey-definitions', 'web/console', 'web/kiosk', 'web/results', 'web/shared']) {
      expect([...graph.keys()].some((file) => file.startsWith(`${folder}/`)), folder).toBe(true)
    }
    expect(graph.get('api/routes/waves.ts')?.map((edge) => edge.to)).toContain('api/services/waves.ts')
  })

  it('has no import circle, type-only imports included', () => {
    expect(findCycles(graph)).toEqual([])
  })

  it('has no import running up a layer', () => {
    expect(layerViolations(graph, LAYERS)).toEqual([])
  })
})

describe('the checks themselves', () => {
  const toy: ImportGraph = new Map([
    ['api/routes/a.ts', [{ to: 'api/db/queries/b.ts', typeOnly: false }]],
    ['api/db/queries/b.ts', [{ to: 'api/db/queries/c.ts', typeOnly: true }]],
    ['api/db/queries/c.ts', [{ to: 'api/db/queries/b.ts', typeOnly: false }]],
    ['web/x.ts', [{ to: 'api/schemas/y.ts', typeOnly: true }, { to: 'api/errors.ts', typeOnly: false }]],
    ['web/self.ts', [{ to: 'web/self.ts', typeOnly: false }]],
  ])

  it('finds a circle of two, a circle through a type-only import, and a file that imports itself', () => {
    expect(findCycles(toy)).toEqual([['api/db/queries/b.ts', 'api/db/queries/c.ts'], ['web/self.ts']])
  })

  it('finds an upward import and lets a permitted type-only one through', () => {
    expect(layerViolations(toy, LAYERS)).toEqual([
      'api/routes/a.ts → api/db/queries/b.ts (api/routes may not import api/db/queries)',
      'web/x.ts → api/errors.ts (web may not import api except types)',
    ])
  })
})
