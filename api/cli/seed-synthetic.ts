import { parseArgs } from 'node:util'
import { CompiledSurveyCache } from '../services/compiled-surveys.js'
import { seedSyntheticResponses } from '../services/synthetic-responses.js'
import { runWithDatabase } from './command-database.js'

const usage = 'usage: npm run seed:synthetic -- --wave WAVE_ID --responses N [--seed S]'

const { values } = parseArgs({ options: { wave: { type: 'string' }, responses: { type: 'string' }, seed: { type: 'string' } } })
const responses = Number(values.responses)
const seed = values.seed === undefined ? 1 : Number(values.seed)
const waveId = values.wave
if (waveId === undefined || !Number.isInteger(responses) || responses < 1 || !Number.isInteger(seed)) {
  process.stderr.write(`${usage}\n  --wave is the wave's id, --responses a positive whole number, --seed a whole number\n`)
  process.exit(2)
}

await runWithDatabase('seed:synthetic', async ({ db, engine, config }) => {
  const started = performance.now()
  const result = await seedSyntheticResponses(
    { db, surveys: new CompiledSurveyCache(db), timeZone: config.STUDY_TIME_ZONE },
    { waveId, responses, seed }
  )
  const seconds = (performance.now() - started) / 1000
  process.stdout.write(`${result.stored} synthetic responses stored in wave ${waveId} on ${engine} in ${seconds.toFixed(1)} s ` +
    `(${Math.round(result.stored / seconds)}/s), across ${Object.keys(result.bySite).length} sites\n`)
})
