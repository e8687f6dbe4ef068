import type { MissingCode, StatCell, StatDictionary, StatVariable } from '../stat-files/dictionary.js'
import type { Codebook, CodebookColumn } from '../schemas/exports.js'
import { MULTIPLE_SEPARATOR } from './codebook.js'
import { DUMMY_VALUES } from './codebook-codes.js'

export type Language = 'nb' | 'en'

/** Text columns that stay text in the SPSS and Stata files, with their width in bytes ("2026-W49"). */
const STRING_WIDTHS: Record<string, number> = { iso_week: 8 }

/** One variable of the SPSS and Stata files and how it is read from its CSV column. */
export interface PlannedVariable {
  variable: StatVariable
  /** The CSV column it comes from. */
  column: CodebookColumn
  /** For a checkbox's 0/1 variable: the choice it stands for. */
  dummyCode?: string
  /** The variable's value from its CSV cell ('' for empty). */
  encode: (cell: string) => StatCell
}

/**
 * The variables of a wave's SPSS and Stata files, from its codebook, labelled in one language: each coded
 * CSV column becomes a numeric variable with value labels and labelled missing codes (the numbers are the
 * codebook's), a checkbox one 0/1 variable per choice, the ISO week a short string. Free text is left out.
 * The syntax readers (.sps, .do) build the same variables from the CSV, so every file means the same.
 */
export function planStatVariables (codebook: Codebook, language: Language): PlannedVariable[] {
  const planned: PlannedVariable[] = []
  for (const column of codebook.columns) {
    if (column.kind === 'free_text') continue
    const missing: MissingCode[] = (column.missingCodes ?? []).map((code) => ({ value: code.number, stata: code.stata, label: code.label[language] }))
    const emptyNumber = column.missingCodes?.find((code) => code.code === '')?.number ?? null
    if (column.dummies !== undefined) {
      const missingNumbers = new Map((column.missingCodes ?? []).filter((code) => code.code !== '').map((code) => [code.code, code.number]))
      for (const dummy of column.dummies) {
        planned.push({
          column,
          dummyCode: dummy.code,
          variable: {
            name: dummy.name,
            label: `${column.label[language]}: ${dummy.label[language]}`,
            stringWidth: 0,
            valueLabels: DUMMY_VALUES.map((value) => ({ value: Number(value.code), label: value.label[language] })),
            missing,
            measure: 'nominal',
          },
          encode: (cell) => {
            if (cell === '') return emptyNumber
            // Only "prefer not to say" ticked: every choice's variable holds that missing code.
            const missingNumber = missingNumbers.get(cell)
            if (missingNumber !== undefined) return missingNumber
            return cell.split(MULTIPLE_SEPARATOR).includes(dummy.code) ? 1 : 0
          },
        })
      }
      continue
    }
    if (column.kind === 'design' && column.values.length === 0) {
      // The weight: a number, kept at full precision, so a weighted analysis in SPSS or Stata gives the released figures.
      planned.push({
        column,
        variable: { name: column.name, label: column.label[language], stringWidth: 0, valueLabels: [], missing: [], measure: 'scale' },
        encode: (cell) => cell === '' ? null : Number(cell),
      })
      continue
    }
    if (column.values.length === 0) {
      const width = STRING_WIDTHS[column.name] ?? 255
      planned.push({
        column,
        variable: { name: column.name, label: column.label[language], stringWidth: width, valueLabels: [], missing: [], measure: 'nominal' },
        encode: (cell) => cell,
      })
      continue
    }
    const numbers = new Map(column.values.map((value) => [value.code, value.number ?? null]))
    const missingNumbers = new Set(missing.map((code) => code.value))
    planned.push({
      column,
      variable: {
        name: column.name,
        label: column.label[language],
        stringWidth: 0,
        valueLabels: column.values.filter((value) => value.number !== undefined && !missingNumbers.has(value.number)).map((value) => ({ value: value.number ?? 0, label: value.label[language] })),
        missing,
        measure: 'nominal',
      },
      encode: (cell) => {
        if (cell === '') return emptyNumber
        const number = numbers.get(cell)
        if (number === undefined || number === null) throw new Error(`column ${column.name}: the code ${JSON.stringify(cell)} is not in the codebook`)
        return number
      },
    })
  }
  return planned
}

/** The dictionary the writers take. */
export function statDictionary (codebook: Codebook, planned: readonly PlannedVariable[]): StatDictionary {
  return {
    fileLabel: `Prevalens ${codebook.surveyVersion.slug} v${codebook.surveyVersion.version}: ${codebook.wave.name}`,
    variables: planned.map((entry) => entry.variable),
  }
}

/** A function from a CSV row (cells in the codebook's column order, '' for empty) to the variables' values. */
export function rowEncoder (codebook: Codebook, planned: readonly PlannedVariable[]): (cells: readonly string[]) => StatCell[] {
  const index = new Map(codebook.columns.map((column, i) => [column.name, i]))
  const positions = planned.map((entry) => index.get(entry.column.name) ?? -1)
  return (cells) => planned.map((entry, i) => entry.encode(cells[positions[i] ?? -1] ?? ''))
}
