import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDefinitions, definitionsDir } from '../../survey-definitions/index.js'
import { AppError } from '../../api/errors.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

describe('publishing survey definitions', () => {
  let database: TestDatabase
  let changedDir: string
  beforeAll(async () => {
    database = await openTestDatabase()
    changedDir = mkdtempSync(join(tmpdir(), 'prevalens-defs-'))
    cpSync(definitionsDir, changedDir, { recursive: true, filter: (src) => !src.endsWith('.ts') })
  })
  afterAll(async () => {
    await database.close()
    rmSync(changedDir, { recursive: true, force: true })
  })

  // The languages published with each version are kiosk-languages.test.ts's concern; these are the versions'.
  const versionsOf = (results: Awaited<ReturnType<typeof publishDefinitions>>) => results.map(({ slug, version, outcome }) => ({ slug, version, outcome }))
  const publications = async () => await database.db.selectFrom('audit_log').select(['actor_id', 'object_id', 'detail']).where('action', '=', 'survey_version.publish').execute()

  it('publishes every shipped version once, registers its indicators and records it in the audit log as the console does', async () => {
    const results = await publishDefinitions(database.db)
    expect(versionsOf(results)).toEqual([{ slug: 'hverdag', version: 1, outcome: 'published' }, { slug: 'hverdag', version: 2, outcome: 'published' }])
    const indicators = await database.db.selectFrom('indicators').select('name').execute()
    const [v1, v2] = loadDefinitions()
    // v2 measures the same indicators under the same names, so waves on v1 and v2 stay comparable.
    expect(Object.keys(v2!.indicatorMap.indicators)).toEqual(Object.keys(v1!.indicatorMap.indicators))
    expect(indicators.map((row) => row.name).sort()).toEqual(Object.keys(v1!.indicatorMap.indicators).sort())
    const versions = await database.db.selectFrom('survey_versions').select(['id', 'version', 'checksum']).where('slug', '=', 'hverdag').orderBy('version').execute()
    expect(await publications()).toEqual(versions.map((version) => ({
      actor_id: null, object_id: String(version.id), detail: { slug: 'hverdag', version: version.version, checksum: version.checksum, source: 'survey-definitions' },
    })))
  })

  it('is a no-op the second time, and records nothing', async () => {
    const before = await database.db.selectFrom('survey_versions').selectAll().execute()
    const results = await publishDefinitions(database.db)
    expect(versionsOf(results)).toEqual([{ slug: 'hverdag', version: 1, outcome: 'unchanged' }, { slug: 'hverdag', version: 2, outcome: 'unchanged' }])
    expect(await database.db.selectFrom('survey_versions').selectAll().execute()).toEqual(before)
    expect(await publications()).toHaveLength(2)
  })

  it('refuses a changed file under a published version number and says to make a new version', async () => {
    const file = join(changedDir, 'hverdag', 'v1.survey.json')
    const survey = JSON.parse(readFileSync(file, 'utf8')) as { title: { en: string, nb: string } }
    survey.title.en = `${survey.title.en} (edited)`
    writeFileSync(file, JSON.stringify(survey))
    const before = await database.db.selectFrom('survey_versions').selectAll().execute()
    const refusal = await publishDefinitions(database.db, loadDefinitions(changedDir)).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(AppError)
    expect((refusal as AppError).message).toMatch(/hverdag v1 is already published with different content.*v2/)
    expect(await database.db.selectFrom('survey_versions').selectAll().execute()).toEqual(before)
  })

  it('the definitions:publish command publishes, then reports no change', async () => {
    const run = promisify(execFile)
    const dataDir = mkdtempSync(join(tmpdir(), 'prevalens-cli-'))
    try {
      // On PostgreSQL the command gets this file's database; on PGlite a data folder of its own.
      const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: database.url ?? '' }
      const command = ['tsx', 'api/cli/definitions-publish.ts']
      const first = await run('npx', command, { env })
      expect(first.stdout).toMatch(/hverdag v1: (published|already published, unchanged)/)
      const second = await run('npx', command, { env })
      expect(second.stdout).toContain('hverdag v1: already published, unchanged')
      expect(second.stdout).toContain('hverdag v2: already published, unchanged')
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 120_000) // two commands, each starting tsx and migrating a new embedded database: 20-45 s on a busy machine
})
