import { readFileSync } from 'node:fs'
import { runAnalyze } from './analyze-command.js'

// npm run -s analyze -- --input FILE …: see ANALYZE_USAGE in analyze-command.ts.
process.exitCode = runAnalyze(process.argv.slice(2), {
  readFile: (path) => readFileSync(path, 'utf8'),
  stdout: (text) => { process.stdout.write(text) },
  stderr: (text) => { process.stderr.write(text) },
})
