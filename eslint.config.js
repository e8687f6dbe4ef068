import neostandard from 'neostandard'

/**
 * The layers of ARCHITECTURE.md, enforced: each entry names what a folder may not import. Imports run down
 * only (routes → services → domain and queries → database types); test/unit/layers-lint.test.ts proves a
 * violation fails lint, and test/unit/import-graph.test.ts checks the whole graph for circles and upward imports.
 */
const why = 'see ARCHITECTURE.md, "Layers"'
const forbid = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })

export const LAYER_RULES = [
  {
    files: ['api/routes/**/*.ts'],
    rules: forbid([{ group: ['**/db/queries/**'], message: `a route calls a service (api/services/), never a query module: ${why}` }]),
  },
  {
    files: ['api/db/**/*.ts'],
    rules: forbid([{ group: ['**/services/**', '**/routes/**', '**/plugins/**'], message: `the database layer is below services and routes: ${why}` }]),
  },
  {
    files: ['api/domain/**/*.ts'],
    rules: forbid([{ group: ['**/db/queries/**', '**/services/**', '**/routes/**', '**/plugins/**'], message: `domain rules are pure and below every other layer: ${why}` }]),
  },
  {
    files: ['api/services/**/*.ts'],
    rules: forbid([{ group: ['**/routes/**', '**/plugins/**'], message: `services are below routes and plugins: ${why}` }]),
  },
  {
    files: ['survey-definitions/**/*.ts'],
    rules: forbid([{ group: ['**/web/**'], message: `the instruments never import a web app; a web app imports them: ${why}` }]),
  },
  {
    files: ['web/**/*.ts'],
    rules: forbid([{ group: ['**/api/**'], allowTypeImports: true, message: `a web app takes only types from api/ (import type): ${why}` }]),
  },
  {
    // Repeats the rule above: a later entry's no-restricted-imports replaces an earlier one's for the same file.
    files: ['web/shared/**/*.ts'],
    rules: forbid([
      { group: ['**/api/**'], allowTypeImports: true, message: `web/shared takes only types from api/ (import type): ${why}` },
      { group: ['**/kiosk/**', '**/console/**', '**/results/**'], message: `web/shared is below the apps; an app imports it, never the reverse: ${why}` },
    ]),
  },
]

export default [
  ...neostandard({ ts: true, ignores: ['node_modules/**', 'data/**', 'dist/**', 'web/**/dist/**'] }),
  ...LAYER_RULES,
]
