import { publishDefinitions } from '../services/survey-versions.js'
import { runWithDatabase } from './command-database.js'

await runWithDatabase('definitions:publish', async ({ db, engine }) => {
  for (const { slug, version, outcome } of await publishDefinitions(db)) {
    process.stdout.write(`${slug} v${version}: ${outcome === 'published' ? 'published' : 'already published, unchanged'}\n`)
  }
  process.stdout.write(`(${engine})\n`)
})
