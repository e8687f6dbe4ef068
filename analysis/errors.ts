/**
 * The one error the analysis library throws: input that is not a valid set of counts or options.
 *
 * Absence of data is not an error: a cell with no respondents (n = 0, or no cluster rows) gives a
 * `{ status: 'no_data', reason }` result, because an empty cell is an ordinary state of a results
 * table. Everything that is malformed (a negative or fractional count, yes > n, a level outside
 * (0, 1), a cluster listed twice, a design cluster count smaller than the clusters seen) throws
 * this error, with a `code` for programs and a message that names the offending value for people.
 */
export type AnalysisInputErrorCode =
  | 'invalid_count'
  | 'invalid_level'
  | 'invalid_probability'
  | 'invalid_parameter'
  | 'invalid_design'
  | 'invalid_file'

export class AnalysisInputError extends Error {
  override readonly name = 'AnalysisInputError'
  readonly code: AnalysisInputErrorCode

  constructor (code: AnalysisInputErrorCode, message: string) {
    super(message)
    this.code = code
  }
}
