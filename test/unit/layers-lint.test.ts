import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** The layer messages lint gives `code` as if it were the file at `path` (which need not exist). */
async function layerViolations (eslint: ESLint, path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) })
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message)
}

describe('lint keeps the layers of ARCHITECTURE.md', () => {
  let eslint: ESLint
  beforeAll(() => { eslint = new ESLint({ cwd: root }) })

  it('refuses a route that imports a query module, and accepts one that calls a service', async () => {
    expect(await layerViolations(eslint, 'api/routes/layer-probe.ts', "import { listSites } from '../db/queries/sites.js'\nexport const probe = listSites\n"))
      .toEqual([expect.stringContaining('a route calls a service')])
    expect(await layerViolations(eslint, 'api/routes/layer-probe.ts', "import { listSitesFor } from '../services/sites.js'\nexport const probe = listSitesFor\n")).toEqual([])
  }, 120_000)

  it('refuses the database layer importing a service or a route', async () => {
    expect(await layerViolations(eslint, 'api/db/queries/layer-probe.ts', "import { planWave } from '../../services/waves.js'\nexport const probe = planWave\n"))
      .toEqual([expect.stringContaining('the database layer is below')])
    expect(await layerViolations(eslint, 'api/db/layer-probe.ts', "import waveRoutes from '../routes/waves.js'\nexport const probe = waveRoutes\n"))
      .toEqual([expect.stringContaining('the database layer is below')])
  }, 120_000)

  it('refuses survey-definitions/ importing a web app', async () => {
    expect(await layerViolations(eslint, 'survey-definitions/layer-probe.ts', "import { TEXT } from '../web/kiosk/src/i18n.js'\nexport const probe = TEXT\n"))
      .toEqual([expect.stringContaining('never import a web app')])
  }, 120_000)

  it('lets a web app take types from api/ but not code', async () => {
    expect(await layerViolations(eslint, 'web/kiosk/src/layer-probe.ts', "import { AppError } from '../../../api/errors.js'\nexport const probe = AppError\n"))
      .toEqual([expect.stringContaining('only types from api/')])
    expect(await layerViolations(eslint, 'web/kiosk/src/layer-probe.ts', "import type { Wave } from '../../../api/schemas/waves.js'\nexport type Probe = Wave\n")).toEqual([])
  }, 120_000)

  it('keeps web/shared below the apps and lets it take only types from api/', async () => {
    expect(await layerViolations(eslint, 'web/shared/layer-probe.ts', "import { TEXT } from '../kiosk/src/i18n.js'\nexport const probe = TEXT\n"))
      .toEqual([expect.stringContaining('web/shared is below the apps')])
    expect(await layerViolations(eslint, 'web/shared/layer-probe.ts', "import { AppError } from '../../api/errors.js'\nexport const probe = AppError\n"))
      .toEqual([expect.stringContaining('only types from api/')])
    expect(await layerViolations(eslint, 'web/shared/layer-probe.ts', "import type { Wave } from '../../api/schemas/waves.js'\nexport type Probe = Wave\n")).toEqual([])
    expect(await layerViolations(eslint, 'web/kiosk/src/layer-probe.ts', "import { h } from '../../shared/dom.js'\nexport const probe = h\n")).toEqual([])
  }, 120_000)
})
