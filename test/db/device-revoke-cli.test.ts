import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enrolDevice } from '../../api/db/queries/devices.js'
import { buildTestApp } from '../helpers/build-app.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openCommandDatabase } from '../helpers/command-database.js'
import type { CommandDatabase } from '../helpers/command-database.js'

const run = promisify(execFile)

describe('npm run device:revoke', () => {
  let commandDb: CommandDatabase
  let study: StudyFixture
  /** A second tablet at the same site, which must go on working. */
  let other: { id: string, token: string }

  /** What the kiosk's start route answers each token, through the real app on the command's database. */
  async function kioskAnswers (...tokens: string[]): Promise<Array<{ status: number, code?: string }>> {
    return await commandDb.use(async (handle) => {
      const { app } = await buildTestApp(handle, { LOG_LEVEL: 'warn' })
      try {
        const answers = []
        for (const token of tokens) {
          const reply = await app.inject({ method: 'GET', url: '/api/kiosk/wave', headers: { authorization: `Bearer ${token}` } })
          answers.push({ status: reply.statusCode, ...(reply.statusCode === 200 ? {} : { code: (reply.json<{ code: string }>()).code }) })
        }
        return answers
      } finally {
        await app.close()
      }
    })
  }

  // node --import tsx rather than npx tsx: the same loader without npx's own start-up, for the six runs here.
  const command = async (...args: string[]) => await run(process.execPath, ['--import', 'tsx', 'api/cli/device-revoke.ts', ...args], {
    env: commandDb.env,
  })
  const failure = async (...args: string[]) => await command(...args).then(() => null, (error: { code: number, stderr: string }) => error)

  beforeAll(async () => {
    commandDb = await openCommandDatabase()
    await commandDb.use(async (handle) => {
      study = await createStudy(handle.db)
      const enrolled = await enrolDevice(handle.db, study.site.id, 'Tablet 2')
      other = { id: enrolled.device.id, token: enrolled.token }
    })
  })
  afterAll(async () => {
    await commandDb?.close()
  })

  it('revokes the tablet named by site and label: the kiosk then answers device_revoked, the other tablet still works, and the audit log says so', async () => {
    expect(await kioskAnswers(study.token, other.token)).toEqual([{ status: 200 }, { status: 200 }])
    const { stdout } = await command('--site', study.site.name, '--label', 'Tablet 1')
    expect(stdout).toContain(`Revoked tablet "Tablet 1" at ${study.site.name} (${study.deviceId})`)
    expect(await kioskAnswers(study.token, other.token)).toEqual([{ status: 401, code: 'device_revoked' }, { status: 200 }])
    const audit = await commandDb.use(async (handle) =>
      await handle.db.selectFrom('audit_log').select(['action', 'actor_id', 'object_id', 'detail']).where('action', '=', 'tablet.revoke').execute())
    expect(audit).toEqual([{ action: 'tablet.revoke', actor_id: null, object_id: study.deviceId, detail: { siteId: study.site.id, label: 'Tablet 1', by: 'command' } }])
  }, 60_000)

  it('revokes by id (the site given by its id works the same) and refuses a second revocation by name', async () => {
    await command('--id', other.id)
    expect(await kioskAnswers(other.token)).toEqual([{ status: 401, code: 'device_revoked' }])
    const again = await failure('--site', study.site.id, '--label', 'Tablet 2')
    expect(again?.code).toBe(1)
    expect(again?.stderr).toMatch(/tablet "Tablet 2" at .* was already revoked/)
  }, 60_000)

  it('refuses an unknown label, an ambiguous one and bad arguments, naming the problem', async () => {
    const twins = await commandDb.use(async (handle) => [
      (await enrolDevice(handle.db, study.site.id, 'Desk')).device.id,
      (await enrolDevice(handle.db, study.site.id, 'Desk')).device.id,
    ])
    const ambiguous = await failure('--site', study.site.name, '--label', 'Desk')
    expect(ambiguous?.code).toBe(1)
    expect(ambiguous?.stderr).toContain('2 tablets at')
    for (const id of twins) expect(ambiguous?.stderr).toContain(id)
    const unknown = await failure('--site', study.site.name, '--label', 'Nowhere')
    expect(unknown?.stderr).toMatch(/no tablet at .* is labelled "Nowhere" \(its tablets: .*"Desk"/)
    expect((await failure('--site', 'No such site', '--label', 'Desk'))?.stderr).toMatch(/no tablet is enrolled at a site with the id or name "No such site"/)
    for (const args of [['--label', 'Desk'], ['--id', twins[0]!, '--label', 'Desk']]) {
      const refused = await failure(...args)
      expect(refused?.code, args.join(' ')).toBe(2)
      expect(refused?.stderr).toMatch(/usage: npm run device:revoke/)
    }
    // Nothing of that revoked either twin.
    expect(await commandDb.use(async (handle) =>
      (await handle.db.selectFrom('devices').select('revoked_at').where('id', 'in', twins).execute()).map((row) => row.revoked_at))).toEqual([null, null])
  }, 120_000)
})
