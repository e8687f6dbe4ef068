// npm run definitions:check [-- --dir DIR]
// Checks every survey definition under DIR (default: survey-definitions/) and exits 1 on any problem,
// so CI and the publish step can refuse a definition the platform cannot serve.
import { relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { checkDefinitionsDir } from '../../survey-definitions/check.js'
import type { Problem } from '../../survey-definitions/check.js'
import { definitionsDir } from '../../survey-definitions/index.js'

function main (): number {
  let dir: string
  try {
    const { values } = parseArgs({ options: { dir: { type: 'string' } }, strict: true })
    dir = resolve(values.dir ?? definitionsDir)
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\nusage: definitions-check [--dir DIR]`)
    return 2
  }

  const { reports, problems } = checkDefinitionsDir(dir)
  for (const report of reports) {
    if (report.problems.length === 0) {
      console.log(`OK ${report.slug} v${report.version} (${report.questionCount} questions, ${report.indicatorCount} indicators)`)
    }
  }
  // Notes do not fail the check: a translation without read-aloud is allowed (survey-definitions/audio-manifest.ts).
  for (const note of reports.flatMap((report) => report.notes)) console.log(`note: ${formatProblem(note)}`)
  for (const problem of problems) console.error(formatProblem(problem))
  return problems.length === 0 ? 0 : 1
}

function formatProblem ({ file, question, problem }: Problem): string {
  const shown = relative(process.cwd(), file) || file
  return question === undefined ? `${shown}: ${problem}` : `${shown}: question ${question}: ${problem}`
}

process.exitCode = main()
