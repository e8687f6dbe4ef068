import { publishDefinitions } from '../services/survey-versions.js'
import type { LanguageOutcome } from '../services/survey-version-languages.js'
import { runWithDatabase } from './command-database.js'

const LANGUAGE_OUTCOME: Record<LanguageOutcome, string> = {
  added: 'added',
  reviewed: 'marked reviewed',
  replaced: 'draft replaced',
  unchanged: 'unchanged',
  'review-kept': 'unchanged, reviewed in the database; its file still says "draft": copy the review into the file',
}

await runWithDatabase('definitions:publish', async ({ db, engine }) => {
  for (const { slug, version, outcome, languages } of await publishDefinitions(db)) {
    process.stdout.write(`${slug} v${version}: ${outcome === 'published' ? 'published' : 'already published, unchanged'}\n`)
    for (const language of languages) process.stdout.write(`  language ${language.code}: ${LANGUAGE_OUTCOME[language.outcome]}\n`)
  }
  process.stdout.write(`(${engine})\n`)
})
