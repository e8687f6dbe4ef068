/** One thing wrong with a definition's files, as `npm run definitions:check` reports it. */
export interface Problem {
  file: string
  question?: string
  problem: string
}
